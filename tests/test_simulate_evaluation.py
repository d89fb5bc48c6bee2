"""The calibrated evaluation stand-in: every anchor hit, read back through the ingest from the
committed files (not from the generator's targets), and regeneration is deterministic."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import DataError
from analysis.ingest import admin
from analysis.ingest import evaluation_published as evaluation
from analysis.ingest import evaluation_report as evalreport
from analysis.simulate import evaluation as sim
from analysis.simulate import evaluation_indicators as sim_indicators
from analysis.simulate import evaluation_inputs as sim_inputs
from analysis.simulate import evaluation_spread as spread

REPO = Path(__file__).resolve().parents[1]
STANDIN = REPO / "data" / "internal" / "simulated"
FOLDER = STANDIN / "evaluation"
COUNTY = "130435"  # the default params' county; its anchors are rows of ANCHORS.csv


@pytest.fixture(scope="module")
def tables(raw: Path) -> dict[str, pd.DataFrame]:
    return evalreport.ingest(STANDIN, raw, simulated=True)


@pytest.fixture(scope="module")
def sc(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["evaluation_scores"]


@pytest.fixture(scope="module")
def keys(raw: Path) -> dict[str, str]:
    return sim_inputs.link_keys(admin.code_table(raw))


def rnd(sc: pd.DataFrame, r: int) -> pd.DataFrame:
    return sc[sc["round"] == r].set_index("county_code")


def city_mean(sc: pd.DataFrame, r: int, city: str) -> float:
    g = rnd(sc, r)
    return float(g.loc[g["city"] == city, "score"].mean())


def moves(sc: pd.DataFrame, r: int, keys: dict[str, str], city: str | None = None) -> pd.Series:
    """'B>A' etc. for every linked unit whose class changed from round r-1 to r."""
    before = {keys[c]: k for c, k in rnd(sc, r - 1)["class"].items()}
    g = rnd(sc, r)
    if city:
        g = g[g["city"] == city]
    out = [f"{before[keys[c]]}>{k}" for c, k in g["class"].items() if before.get(keys[c], k) != k]
    return pd.Series(out, dtype=str).value_counts()


def test_the_passed_checks_include_the_published_counts(tables) -> None:
    detail = tables["evaluation_checks"].set_index("check")["detail"]
    assert detail["published_counts"] == "rounds 2019, 2020, 2021, 2022, 2023, 2024"


@pytest.mark.parametrize(
    ("r", "counts", "mean"),
    [
        (2019, (13, 42, 113), 51.81),  # mean derived: 61.07 - 9.26
        (2020, (19, 64, 85), 56.26),  # counts derived from the 2021 changes
        (2021, (32, 66, 69), 61.07),
        (2022, (49, 70, 48), 67.00),  # not published: assumed midway (ANCHORS.csv)
        (2023, (66, 73, 28), 72.92),
        (2024, (82, 70, 15), 76.93),  # B, C not published: assumed
    ],
)
def test_class_counts_and_mean(sc, r: int, counts: tuple[int, int, int], mean: float) -> None:
    g = rnd(sc, r)
    assert tuple(int((g["class"] == c).sum()) for c in "ABC") == counts
    assert round(g["score"].mean(), 2) == mean


def test_means_rise_every_round(sc) -> None:
    means = sc.groupby("round")["score"].mean()
    assert means.is_monotonic_increasing


def test_2023_a_list_order_is_the_published_one(sc, raw: Path) -> None:
    pub = evaluation.evaluation_classes(raw, admin.code_table(raw))
    listed = pub[(pub["round"] == 2023) & pub["position"].notna()].sort_values("position")
    g = rnd(sc, 2023).sort_values("position")
    assert g.index[:49].tolist() == listed["county_code"].tolist()
    assert g.loc[COUNTY, "position"] == 13


def test_every_published_class_membership_is_kept(sc, raw: Path) -> None:
    pub = evaluation.evaluation_classes(raw, admin.code_table(raw))
    got = sc.set_index(["round", "county_code"])["class"]
    want = pub.set_index(["round", "county_code"])["class"]
    assert (got.reindex(want.index) == want).all()
    assert got.reindex(want.index).notna().all()


def test_2019_a_only_in_five_cities_b_and_c_everywhere(sc) -> None:
    g = rnd(sc, 2019)
    by = g.groupby(["city", "class"]).size().unstack(fill_value=0)
    assert set(by.index[by["A"] > 0]) == {"石家庄市", "廊坊市", "保定市", "唐山市", "邯郸市"}
    assert (by["B"] > 0).all() and (by["C"] > 0).all() and len(by) == 11
    assert by.loc[["邯郸市", "唐山市", "衡水市", "保定市"], "B"].tolist() == [7, 6, 5, 4]
    assert g.loc[COUNTY, "class"] == "A"


def test_2019_jumps_against_the_simulated_2018_baseline(sc, keys) -> None:
    base = pd.read_csv(FOLDER / sim_inputs.BASELINE_FILE, dtype=str, encoding="utf-8-sig")
    assert len(base) == 168 and base["note"].str.contains("simulated").all()
    assert base["class"].value_counts().to_dict() == {"C": 131, "B": 31, "A": 6}  # published
    # codes of the time: 滦县 (130223) before it became 滦州市 (130284) in 2018; same units
    assert "130223" in set(base["county_code"]) and "130284" in rnd(sc, 2019).index
    assert set(base["county_code"].map(keys)) == set(rnd(sc, 2019).index.map(keys))
    before = {keys[c]: k for c, k in zip(base["county_code"], base["class"])}
    now = rnd(sc, 2019)["class"]
    assert sum(before[keys[c]] != k for c, k in now.items()) == 26  # "26 counties jumped"


def test_2020_handan_moves_and_langfang(sc, keys) -> None:
    handan = moves(sc, 2020, keys, "邯郸市")
    assert handan.sum() == 8  # "8 counties jumped", read as: all upward
    assert set(handan.index) <= {"B>A", "C>B", "C>A"}
    g = rnd(sc, 2020)
    at_least_b = g[g["class"] != "C"].groupby("city").size().sort_values(ascending=False)
    assert at_least_b.index[0] == "邯郸市" and at_least_b.iloc[0] > at_least_b.iloc[1]
    assert round(city_mean(sc, 2020, "廊坊市"), 2) == 70.88
    assert (g.loc[g["city"] == "廊坊市", "class"] != "C").all()
    assert g.loc["130521", "class"] == "B"  # 邢台县: derived from the 2021 changes


def test_2021_moves_hengshui_and_city_means(sc, keys) -> None:
    assert moves(sc, 2021, keys).to_dict() == {"C>B": 17, "B>A": 13, "B>C": 1}
    assert moves(sc, 2021, keys, "衡水市").to_dict() == {"B>A": 3, "C>B": 2}
    g = rnd(sc, 2021)
    hs = g[g["city"] == "衡水市"]["class"].value_counts()
    assert (hs["A"], hs["B"]) == (4, 5)
    assert round(city_mean(sc, 2021, "廊坊市"), 2) == 77.59
    assert round(city_mean(sc, 2021, "唐山市"), 2) == 70.58
    assert round(city_mean(sc, 2021, "衡水市"), 2) == 70.39
    for city in ("沧州市", "石家庄市", "邯郸市"):
        assert 60 <= city_mean(sc, 2021, city) < 70


def test_the_county_in_the_2021_round_8th_and_first_in_its_city(sc) -> None:
    g = rnd(sc, 2021)
    assert g.loc[COUNTY, ["class", "position"]].tolist() == ["A", 8]
    handan = g[g["city"] == "邯郸市"].sort_values("position")
    assert handan.index[0] == COUNTY


def test_the_county_a_in_2019_to_2022_and_first_in_its_city_2023(sc) -> None:
    assert [rnd(sc, r).loc[COUNTY, "class"] for r in range(2019, 2023)] == ["A"] * 4
    g = rnd(sc, 2023)
    assert g[g["city"] == "邯郸市"].sort_values("position").index[0] == COUNTY


def test_2022_round_unpublished_langfang_mean(sc) -> None:
    assert not rnd(sc, 2022)["round_published"].any()
    assert round(city_mean(sc, 2022, "廊坊市"), 2) == 80.57


def test_2023_and_2024_moves_and_2024_cities(sc, keys) -> None:
    assert moves(sc, 2023, keys).sum() == 42
    assert moves(sc, 2024, keys).sum() == 29
    means = rnd(sc, 2024).groupby("city")["score"].mean().sort_values(ascending=False)
    assert means.index[0] == "廊坊市" and round(means.iloc[0], 1) == 85.9
    g = rnd(sc, 2024)
    per_city_a = g[g["class"] == "A"].groupby("city").size()
    assert (per_city_a["石家庄市"], per_city_a["廊坊市"]) == (13, 7)


def rises(sc: pd.DataFrame, r: int, keys: dict[str, str]) -> pd.Series:
    """Places gained from round r-1 to r (positions as printed) by every unit in both rounds."""
    before = {keys[c]: p for c, p in rnd(sc, r - 1)["position"].items()}
    return pd.Series(
        {c: before[keys[c]] - p for c, p in rnd(sc, r)["position"].items() if keys[c] in before}
    )


def test_2021_scores_and_ranks_moved_as_published(sc, keys) -> None:
    before = {keys[c]: s for c, s in rnd(sc, 2020)["score"].items()}
    now = rnd(sc, 2021)["score"]
    assert len(now) == 167 and all(keys[c] in before for c in now.index)
    assert sum(s > before[keys[c]] for c, s in now.items()) == 139  # "139 scores up"
    d = rises(sc, 2021, keys)
    assert (d > 0).sum() == 82  # "82 ranks up: 41 by >= 10, 23 by 5-9, 18 by 1-4"
    assert ((d >= 10).sum(), d.between(5, 9).sum(), d.between(1, 4).sum()) == (41, 23, 18)
    assert d["130427"] == 38  # 磁县 +38 places


def test_2023_eighteen_counties_rose_five_places_or_more(sc, keys) -> None:
    # against the previous round, the unpublished 2022 round (simulated)
    assert (rises(sc, 2023, keys) >= 5).sum() == 18


@pytest.mark.parametrize(
    ("r", "name", "value"),
    [
        (2021, "高新技术企业数量", 34),
        (2021, "科技型中小企业数量", 670),
        (2022, "地方财政科技支出", 5488),
        (2023, "高新技术企业数量", 33),
        (2023, "科技型中小企业数量", 777),
        (2023, "万人发明专利拥有量", 6.02),
    ],
)
def test_the_county_values_are_the_published_ones(tables, r: int, name: str, value: float) -> None:
    ind = tables["evaluation_indicators"]
    hit = ind[(ind["round"] == r) & (ind["county_code"] == COUNTY) & (ind["level2"] == name)]
    assert hit["value"].tolist() == [pytest.approx(value)]
    assert hit["data_year"].tolist() == [r - 1]


def test_points_are_capped_benchmark_ratios(tables) -> None:
    ind = tables["evaluation_indicators"]
    spec = {i.level2: i for i in sim_indicators.QUANT}
    q = ind[ind["level2"].isin(spec)]
    w = q["level2"].map(lambda n: spec[n].max_points)
    star = q["level2"].map(lambda n: spec[n].benchmark)
    want = w * (q["value"] / star).clip(upper=1)
    assert (want - q["points"]).abs().max() <= 0.005 + 1e-6  # printed to 0.01


def test_calibration_records_every_target_as_achieved() -> None:
    cal = pd.read_csv(FOLDER / "CALIBRATION.csv", dtype=str, keep_default_na=False,
                      encoding="utf-8-sig")  # fmt: skip
    assert list(cal.columns) == ["file", "target_figure_id", "target_value", "achieved_value"]
    for row in cal.itertuples():
        if ".." in row.target_value:
            lo, hi = (float(v) for v in row.target_value.split(".."))
            assert lo <= float(row.achieved_value) < hi, row
        else:
            assert row.target_value == row.achieved_value, row
        assert (FOLDER / row.file).is_file(), row.file
    ids = set(cal["target_figure_id"])
    assert {"anchor:a2019-county-A", "F10", "F11", "F12", "F13", "F14", "F15"} <= ids
    assert "summary:2023:n_A" in ids and "classes:2023:position:石家庄市鹿泉区" in ids
    moves = {"anchor:a2021-scores-up", "anchor:a2021-ranks-up-10", "anchor:a2021-cixian-rise"}
    assert moves | {"anchor:a2023-ranks-up-5", "anchor:a2019-moves-all"} <= ids
    assert {"summary:2018:n_A", "summary:2018:n_C"} <= ids  # the baseline's published counts


def test_files_small_and_in_both_formats() -> None:
    files = [p for p in FOLDER.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 3_000_000
    for r in sim_inputs.ROUNDS:
        for name in (sim_inputs.full_file(r), sim_inputs.report_file(r, COUNTY)):
            assert (FOLDER / name).is_file() and (FOLDER / name).with_suffix(".xlsx").is_file()


def test_regeneration_is_deterministic(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "evaluation"
    out.mkdir()
    shutil.copy(FOLDER / sim_inputs.ANCHORS_FILE, out / sim_inputs.ANCHORS_FILE)
    written = sim.generate(raw, out, COUNTY)
    committed = sorted(p.name for p in FOLDER.iterdir() if p.name != sim_inputs.ANCHORS_FILE)
    assert sorted(p.name for p in written) == committed
    for p in written:
        assert p.read_bytes() == (FOLDER / p.name).read_bytes(), p.name


def test_another_county_gets_its_own_report(raw: Path) -> None:
    full = sim.build(raw, FOLDER).full
    own = full[(full["round"] == 2021) & (full["county_code"] == "130102")]
    assert len(own) == 20 and own["county"].iloc[0] == "长安区"


def test_an_unknown_county_code_is_refused(raw: Path, tmp_path: Path) -> None:
    with pytest.raises(DataError, match="130499 is not a unit"):
        sim.generate(raw, tmp_path, "130499")


# --- a realistic spread ---------------------------------------------------------------------
@pytest.mark.parametrize("r", sim_inputs.ROUNDS)
def test_scores_spread_like_real_ones_not_in_001_staircases(sc, r: int) -> None:
    s = rnd(sc, r)["score"].sort_values(ascending=False).to_numpy()
    gaps = (s[:-1] - s[1:]).round(2)
    assert (gaps == 0.01).mean() < 0.15  # the old stand-in: 35-83 % of gaps were 0.01
    assert (gaps > 0).all()  # no ties: positions are strict
    assert s[0] < 97.0 and s[-1] > 15.0  # nothing piled on the bounds of the score range
    assert gaps.max() < 10  # no empty stretch of ten points between neighbours


def test_the_spread_meets_class_counts_and_mean_exactly() -> None:
    counts = {"A": 66, "B": 73, "C": 28}
    s = spread.draw_scores(counts, 72.92, np.random.default_rng(0))
    assert s.mean() == pytest.approx(72.92, abs=1e-9)
    assert ((s >= 80).sum(), (s >= 60).sum()) == (66, 139)
    assert (np.diff(s) <= 0).all()  # best first
    # the expected order statistics of the fitted distribution meet them too
    knots, values = spread.quantile_function(66, 73, 28, 72.92)
    q = np.interp(spread.normal_scores(167), knots, values)
    assert ((q >= 80).sum(), (q >= 60).sum()) == (66, 139)
    assert q.mean() == pytest.approx(72.92, abs=1e-5)
    assert (np.diff(values) > 0).all() and values[-1] <= spread.CAP


def test_exact_mean_moves_scores_within_their_class_and_keeps_the_order() -> None:
    s = np.array([90.0, 82.0, 70.0, 61.0, 40.0])
    classes = ["A", "A", "B", "B", "C"]
    up = spread.exact_mean(s, classes, s.mean() + 1.0)
    # every score moves the same share of its distance to its class's upper bound
    room = np.array([97.0, 97.0, 79.99, 79.99, 59.99]) - s
    assert up - s == pytest.approx(room * 5.0 / room.sum())
    assert up.mean() == pytest.approx(s.mean() + 1.0)
    down = spread.exact_mean(s, classes, s.mean() - 1.0)
    assert (down[:2] >= 80).all() and (down[2:4] >= 60).all() and (down[2:4] < 80).all()
    with pytest.raises(DataError, match="cannot hold a mean of 10"):
        spread.exact_mean(s, classes, 10.0)
