"""The figure pack (analysis.figures.pack): every manifest figure named by its id, with
captions in both languages, mirroring the run (stale files removed, nothing rewritten
needlessly)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.figures import pack as figure_pack
from analysis.figures.export import save_figure
from analysis.figures.style import new_figure
from analysis.io import read_csv
from analysis.paths import ROOT_ENV, Paths


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    (tmp_path / "src" / "analysis").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.setenv(ROOT_ENV, str(tmp_path))
    return Paths.for_run()


def figure(paths: Paths, notebook: str, figure_id: str, simulated: bool) -> None:
    fig, ax = new_figure()
    ax.plot([1, 2], [1, 2])
    save_figure(
        fig,
        paths=paths,
        notebook=notebook,
        figure_id=figure_id,
        title_zh=f"标题{figure_id}",
        title_en=f"Title {figure_id}",
        caption_zh="说明。",
        caption_en="Caption.",
        sources="来源表",
        simulated=simulated,
    )


def test_the_pack_holds_each_figure_by_id_with_captions(paths: Paths) -> None:
    figure(paths, "02_output_growth", "02-monthly", True)
    figure(paths, "04_sti_indicators", "04-indicators", False)
    pack = figure_pack.build_pack(paths)
    assert pack == paths.figures / "annual_review"
    assert sorted(p.name for p in pack.iterdir()) == [
        "02-monthly.png",
        "02-monthly.svg",
        "04-indicators.png",
        "04-indicators.svg",
        "captions.csv",
        "captions.md",
    ]
    src = paths.figures / "02_output_growth" / "02-monthly.png"
    assert (pack / "02-monthly.png").read_bytes() == src.read_bytes()
    cap = read_csv(pack / "captions.csv")
    assert cap["figure_id"].tolist() == ["02-monthly", "04-indicators"]
    assert cap["number"].tolist() == [1, 2]
    assert cap["simulated"].tolist() == [True, False]
    assert cap["title_en"].tolist() == ["Title 02-monthly", "Title 04-indicators"]
    md = (pack / "captions.md").read_text(encoding="utf-8")
    assert "## 图1 标题02-monthly 【模拟数据，非真实统计 · SIMULATED data】" in md
    assert "## 图2 标题04-indicators\n" in md
    assert "资料来源 · Sources: 来源表" in md
    # the pack is not a notebook's folder: the merged manifest does not list it
    assert not (pack / "manifest.csv").exists()
    assert (paths.figures / "manifest.csv").is_file()


def test_the_pack_mirrors_the_run(paths: Paths) -> None:
    figure(paths, "02_output_growth", "02-monthly", True)
    figure(paths, "03_innovation_ranking", "03-pyramid", False)
    pack = figure_pack.build_pack(paths)
    kept = pack / "02-monthly.png"
    before = kept.stat().st_mtime_ns
    os.utime(kept, ns=(before - 10**9, before - 10**9))
    (paths.figures / "03_innovation_ranking" / "manifest.csv").unlink()
    figure_pack.build_pack(paths)
    assert not (pack / "03-pyramid.png").exists()
    assert kept.stat().st_mtime_ns == before - 10**9  # same bytes: not rewritten


def test_a_figure_missing_from_disk_is_an_error(paths: Paths) -> None:
    figure(paths, "02_output_growth", "02-monthly", True)
    (paths.figures / "02_output_growth" / "02-monthly.svg").unlink()
    with pytest.raises(FileNotFoundError, match=r"02-monthly\.svg"):
        figure_pack.build_pack(paths)
