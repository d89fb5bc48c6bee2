"""Figure style, export and manifest: Chinese renders, outputs are stable, simulated is visible."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib as mpl
import pytest
from matplotlib import font_manager

from analysis.figures.export import save_figure, title_for
from analysis.figures.labels import LABELS, t
from analysis.figures.manifest import MANIFEST_COLUMNS, merge_manifests
from analysis.figures.style import CJK_FAMILY, CJK_FONT_FILE, PALETTE, new_figure, setup_style
from analysis.io import read_csv
from analysis.paths import Paths

NB = "02_output_growth"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(root=tmp_path, out=tmp_path)


def _chinese_figure():
    fig, ax = new_figure("print")
    ax.bar(["一月", "二月", "三月"], [1.0, -2.0, 3.0], color=PALETTE["county"])
    ax.set_title("规上工业产值累计增速（%）")
    ax.set_xlabel(t("month", "zh"))
    ax.set_ylabel(t("growth", "zh"))
    return fig, ax


def _save(fig, paths: Paths, **overrides):
    kwargs = dict(
        paths=paths,
        notebook=NB,
        figure_id="02-growth",
        title_zh="规上工业增速",
        title_en="Above-scale industrial growth",
        caption_zh="说明",
        caption_en="Note",
        sources=["县统计局月报", "河北省统计局"],
        simulated=False,
    )
    return save_figure(fig, **(kwargs | overrides))


# style --------------------------------------------------------------------------------------
def test_chinese_text_renders_with_no_missing_glyphs_in_the_noto_sc_face():
    fig, ax = _chinese_figure()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" becomes a failure
        fig.canvas.draw()
        fig.savefig(io.BytesIO(), format="png")
    found = font_manager.findfont(ax.title.get_fontproperties(), fallback_to_default=False)
    assert Path(found).name == CJK_FONT_FILE
    assert font_manager.get_font(found).family_name == CJK_FAMILY
    assert mpl.rcParams["axes.unicode_minus"] is False


def test_missing_glyph_check_would_catch_a_latin_only_font():
    import matplotlib.pyplot as plt

    setup_style()
    with (
        mpl.rc_context({"font.sans-serif": ["DejaVu Sans"]}),
        pytest.warns(UserWarning, match="missing from font"),
    ):
        fig = plt.figure()
        fig.suptitle("规上工业")
        fig.canvas.draw()


def test_setup_style_is_idempotent():
    setup_style()
    count = sum(CJK_FONT_FILE in e.fname for e in font_manager.fontManager.ttflist)
    setup_style()
    assert sum(CJK_FONT_FILE in e.fname for e in font_manager.fontManager.ttflist) == count
    assert mpl.rcParams["font.sans-serif"][:2] == [CJK_FAMILY, "DejaVu Sans"]


@pytest.mark.parametrize(
    ("env_backend", "expected"),
    [(None, "agg"), ("module://matplotlib_inline.backend_inline", "inline")],
)
def test_setup_style_uses_agg_only_when_no_backend_was_chosen(env_backend, expected):
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    if env_backend:
        env["MPLBACKEND"] = env_backend
    code = (
        "import matplotlib as mpl; from analysis.figures.style import setup_style; "
        "setup_style(); "
        "print(mpl.get_backend(auto_select=False))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert expected in out.stdout.strip().lower()


def test_new_figure_rejects_unknown_kind():
    with pytest.raises(ValueError, match="print"):
        new_figure("poster")


def test_title_for_picks_the_language():
    assert title_for(("增速", "Growth")) == "增速"
    assert title_for({"title_zh": "增速", "title_en": "Growth"}, "en") == "Growth"
    with pytest.raises(ValueError, match="zh"):
        title_for(("增速", "Growth"), "fr")


# export -------------------------------------------------------------------------------------
def test_save_figure_writes_png_svg_and_a_manifest_row(paths: Paths):
    fig, _ = _chinese_figure()
    record = _save(fig, paths)
    folder = paths.figures / NB
    assert (folder / "02-growth.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (folder / "02-growth.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    manifest = read_csv(folder / "manifest.csv", dtype=str, keep_default_na=False)
    assert tuple(manifest.columns) == MANIFEST_COLUMNS
    assert manifest.to_dict("records") == [
        {
            "figure_id": "02-growth",
            "notebook": NB,
            "title_zh": "规上工业增速",
            "title_en": "Above-scale industrial growth",
            "caption_zh": "说明",
            "caption_en": "Note",
            "sources": "县统计局月报；河北省统计局",
            "simulated": "False",
            "png": f"{NB}/02-growth.png",
            "svg": f"{NB}/02-growth.svg",
        }
    ]
    assert record.png == f"{NB}/02-growth.png"
    assert fig.get_suptitle() == "规上工业增速"
    assert not list(folder.glob("*.tmp"))


def test_saving_twice_is_byte_identical_and_keeps_one_row(paths: Paths):
    folder = paths.figures / NB
    _save(_chinese_figure()[0], paths)
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    _save(_chinese_figure()[0], paths)  # a fresh figure, as when the notebook is re-run
    second = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert first == second
    assert len(read_csv(folder / "manifest.csv")) == 1


def test_exports_carry_no_timestamp(paths: Paths):
    _save(_chinese_figure()[0], paths)
    svg = (paths.figures / NB / "02-growth.svg").read_text(encoding="utf-8")
    png = (paths.figures / NB / "02-growth.png").read_bytes()
    assert "<dc:date>" not in svg
    assert not re.search(r"\d{4}-\d\d-\d\d", svg)
    assert b"Software" not in png
    assert not re.search(rb"\d{4}-\d\d-\d\d", png)


def test_manifest_rows_sorted_by_id(paths: Paths):
    _save(_chinese_figure()[0], paths, figure_id="02-zeta")
    _save(_chinese_figure()[0], paths, figure_id="02-alpha")
    manifest = read_csv(paths.figures / NB / "manifest.csv")
    assert manifest["figure_id"].tolist() == ["02-alpha", "02-zeta"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_simulated_figure_carries_a_visible_label(paths: Paths, lang: str):
    fig, _ = _chinese_figure()
    record = _save(fig, paths, simulated=True, lang=lang)
    marks = [x for x in fig.texts if x.get_text() == t("simulated", lang)]
    assert len(marks) == 1
    assert mpl.colors.to_hex(marks[0].get_color()) == PALETTE["simulated"]
    assert marks[0].get_visible()
    assert fig.get_suptitle() == title_for(record, lang)
    svg = (paths.figures / NB / "02-growth.svg").read_text(encoding="utf-8")
    assert 'id="simulated-mark"' in svg
    assert bool(read_csv(paths.figures / NB / "manifest.csv")["simulated"].iloc[0]) is True
    _save(fig, paths, simulated=True, lang=lang)
    assert sum(x.get_gid() == "simulated-mark" for x in fig.texts) == 1


def test_real_figure_has_no_simulated_label(paths: Paths):
    fig, _ = _chinese_figure()
    _save(fig, paths)
    assert all(x.get_gid() != "simulated-mark" for x in fig.texts)


@pytest.mark.parametrize(
    ("notebook", "figure_id", "message"),
    [
        (NB, "2-growth", "two digits"),
        (NB, "02_growth", "two digits"),
        (NB, "02-Growth", "two digits"),
        (NB, "03-growth", "must start with '02'"),
        ("output_growth", "02-growth", "Notebook name"),
    ],
)
def test_bad_figure_id_is_an_error(paths: Paths, notebook, figure_id, message):
    with pytest.raises(ValueError, match=message):
        _save(_chinese_figure()[0], paths, notebook=notebook, figure_id=figure_id)
    assert not paths.figures.exists()


def test_empty_source_is_an_error(paths: Paths):
    with pytest.raises(ValueError, match="sources"):
        _save(_chinese_figure()[0], paths, sources=[])


def test_merge_manifests_combines_notebooks(paths: Paths):
    _save(_chinese_figure()[0], paths, notebook="03_ranking", figure_id="03-position")
    _save(_chinese_figure()[0], paths, figure_id="02-growth", simulated=True)
    merged = merge_manifests(paths.figures)
    assert merged["figure_id"].tolist() == ["02-growth", "03-position"]
    assert merged["simulated"].tolist() == [True, False]
    on_disk = read_csv(paths.figures / "manifest.csv")
    assert on_disk["notebook"].tolist() == [NB, "03_ranking"]


def test_merge_manifests_rejects_an_id_used_by_two_notebooks(paths: Paths):
    _save(_chinese_figure()[0], paths, notebook="02_output_growth", figure_id="02-dup")
    _save(_chinese_figure()[0], paths, notebook="02_other", figure_id="02-dup")
    with pytest.raises(ValueError, match=r"'02-dup' in 02_other and 02_output_growth"):
        merge_manifests(paths.figures)
    assert not (paths.figures / "manifest.csv").exists()


# labels -------------------------------------------------------------------------------------
def test_t_returns_chinese_and_english():
    assert t("round") == "评价轮次"
    assert t("round", "en") == "Evaluation round"
    assert t("class_A", "zh") == "A类"
    assert t("count_units", "en") == "Number of county-level units"


def test_t_unknown_key_suggests_a_near_match():
    with pytest.raises(KeyError, match="mean_score"):
        t("mean_scor", "zh")


def test_t_unknown_language_is_an_error():
    with pytest.raises(ValueError, match="zh, en"):
        t("round", "de")


def test_every_label_has_both_languages():
    assert all(zh.strip() and en.strip() for zh, en in LABELS.values())
