"""The calibrated stand-in: deterministic, hits F01–F06 at their rounding, has the known effects."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.ingest import bureau
from analysis.io import read_csv
from analysis.simulate import output

COMMITTED = Path(__file__).resolve().parents[1] / "data" / "internal" / "simulated"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim")
    output.generate(out, "曲周县")
    return out


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return bureau.ingest(COMMITTED)[0]


def test_regenerating_gives_identical_bytes(regenerated: Path) -> None:
    new = {p.name: p.read_bytes() for p in (regenerated / "bureau").iterdir()}
    old = {p.name: p.read_bytes() for p in (COMMITTED / "bureau").iterdir()}
    assert sorted(new) == sorted(old)
    assert [n for n in sorted(new) if new[n] != old[n]] == []


def test_every_release_names_qu_zhou_so_no_other_county_reads_it() -> None:
    releases = bureau.read_folder(COMMITTED / "bureau")
    assert len(releases) == 126
    assert {(rel.place, rel.place_source) for rel in releases} == {("曲周县", "title")}


def test_files_are_small_and_marked_simulated(table: pd.DataFrame) -> None:
    files = list((COMMITTED / "bureau").iterdir())
    assert sum(p.stat().st_size for p in files) < 2_000_000
    assert all(p.name.startswith("模拟数据_") for p in files if p.name != "CALIBRATION.csv")
    assert table["simulated"].all()


def test_releases_cover_2012_01_to_2022_10(table: pd.DataFrame) -> None:
    months = table[["year", "month"]].drop_duplicates()
    assert (months.min().tolist(), months.max().tolist()) == ([2012, 1], [2022, 12])
    assert months[months["year"] == 2022]["month"].max() == 10
    jan = sorted(months[months["month"] == 1]["year"])
    assert jan == list(output.JANUARY_RELEASE_YEARS)
    assert len(months) == 11 * 11 - 2 + len(jan)  # 1-2月 … 1-12月, 2022 to October


def test_calibration_hits_the_work_report_at_its_rounding(table: pd.DataFrame, raw: Path) -> None:
    cal = read_csv(COMMITTED / "bureau" / "CALIBRATION.csv", dtype=str)
    figures = pd.read_csv(raw / "published" / "work_report_2022_figures.csv", dtype=str)
    targets = figures.set_index("figure_id")["value"]
    assert cal["target_figure_id"].tolist() == ["F01", "F02", "F03", "F04", "F05", "F06"]
    for _, r in cal.iterrows():
        assert r["target_value"] == targets[r["target_figure_id"]]
        assert float(r["achieved_value"]) == float(r["target_value"])
    oct22 = table[(table["year"] == 2022) & (table["month"] == 10)].set_index(["group", "span"])
    assert oct22.loc[("合计", "cumulative"), "value_wan"] == 964900.0
    assert oct22.loc[("合计", "cumulative"), "growth"] == 0.207
    assert oct22.loc[("合计", "month"), "value_wan"] == 138700.0
    assert oct22.loc[("合计", "month"), "growth"] == 0.2896
    assert oct22.loc[("重点企业", "cumulative"), "value_wan"] == 230900.0
    assert oct22.loc[("重点企业", "cumulative"), "growth"] == 0.16


def test_the_stand_in_passes_its_own_hard_checks() -> None:
    _, findings = bureau.ingest(COMMITTED)  # would raise on an error
    assert set(findings["severity"]) <= {"warning"}


def test_scope_factor_differs_from_one(table: pd.DataFrame) -> None:
    k = table[(table["group"] == "合计") & (table["span"] == "cumulative") & (table["month"] == 10)]
    k = k.set_index("year")["scope_factor"].dropna()
    assert len(k) == 10
    assert (abs(k - 1) > 0.005).sum() >= 8


def test_2020_first_quarter_slump(table: pd.DataFrame) -> None:
    cum = table[(table["group"] == "合计") & (table["span"] == "cumulative")]
    g = cum.set_index(["year", "month"])["growth"]
    assert g[(2020, 2)] < -0.10  # cf. national value added 1-2月 2020 −13.5% (methods.md §1.4)
    assert g[(2019, 2)] > 0 and g[(2021, 2)] > 0.2
    month = table[(table["group"] == "合计") & (table["span"] == "month")]
    assert month.set_index(["year", "month"])["growth"][(2020, 3)] < 0


def test_festival_effect_is_recoverable_from_the_true_series() -> None:
    levels, _ = output.true_series()
    y = np.log(levels["key"] + levels["others"])
    h = output.festival_share(range(2011, 2023), *output.FESTIVAL_WINDOW)
    d = (y - y.shift(12)).dropna()  # seasonal differences remove the monthly profile
    dh = (h - h.shift(12)).reindex(d.index)
    keep = ~d.index.year.isin([2020, 2021]) & (d.index.year > 2011)
    beta = np.polyfit(dh[keep], d[keep], 1)[0]
    assert beta == pytest.approx(output.FESTIVAL_COEFFICIENT, abs=0.05)
