from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import claims, schemas
from analysis.claims import Context, Evidence, Interval, Relation, TableCheck
from analysis.errors import DataError
from analysis.ingest.bureau import INDUSTRY_MONTHLY
from analysis.ingest.workreport import FIGURES_FILE
from analysis.schemas import write_table

# --- rounding intervals -------------------------------------------------------------------


def test_half_unit_of_the_last_published_digit() -> None:
    assert claims.half_unit("6.02") == pytest.approx(0.005)
    assert claims.half_unit("20.7") == pytest.approx(0.05)
    assert claims.half_unit("5488") == pytest.approx(0.5)
    assert claims.half_unit("20.70") == pytest.approx(0.005)


def test_published_intervals_by_qualifier() -> None:
    assert claims.published_interval("6.02") == Interval(6.015, 6.025)
    assert claims.published_interval("279", exact=True) == Interval(279, 279)
    assert claims.published_interval("2", "more than") == Interval(2, float("inf"))
    assert claims.published_interval("50", "about") == Interval(40, 60)
    with pytest.raises(ValueError):
        claims.published_interval("5", "roughly")


def test_interval_arithmetic_carries_the_rounding() -> None:
    a, b = Interval(5487.5, 5488.5), Interval(1.00385, 1.00395)
    got = a / b
    assert got.lo == pytest.approx(5487.5 / 1.00395)
    assert got.hi == pytest.approx(5488.5 / 1.00385)
    diff = Interval(5209, 5209) - Interval(908.5, 909.5)
    assert (diff.lo, diff.hi) == (4299.5, 4300.5)
    assert Interval(1, 2).meets(Interval(2, 3)) and not Interval(1, 2).meets(Interval(2.01, 3))


# --- a hand-worked consistency check ------------------------------------------------------


def _figures(rows: list[tuple[str, str, str, str, str, str]]) -> pd.DataFrame:
    """Figures as read_figures gives them: id, indicator_zh, period, value text, unit, kind."""
    df = pd.DataFrame(rows, columns=["figure_id", "indicator_zh", "period", "value_text", "unit",
                                     "kind"])  # fmt: skip
    df["value"] = df["value_text"].astype(float)
    df["qualifier"] = ""
    df["exact"] = df.apply(claims.is_exact_count, axis=1)
    df["interval"] = [
        claims.published_interval(t, "", e) for t, e in zip(df["value_text"], df["exact"])
    ]
    df["year"] = df["period"].map(claims.period_year)
    return df


PATENTS = claims.RELATIONS[0]


def test_patents_per_10k_within_rounding_is_consistent() -> None:
    # 279 / 463727 * 10000 = 6.01647..., and 6.02 stands for [6.015, 6.025]: inside.
    figs = _figures([("F12", "万人发明专利拥有量", "2022", "6.02", "件", "ratio"),
                     ("F53", "发明专利授权", "2022", "279", "件", "count")])  # fmt: skip
    ctx = Context(figs, "130435", "邯郸市", census={"population_2020": 463727.0})
    ev = claims.relation_evidence(PATENTS, figs.iloc[0], ctx)
    assert (ev.basis, ev.agrees, ev.status) == ("published", True, "consistent")
    assert ev.recomputed == pytest.approx(279 / 463727 * 10000)
    # the band of populations that give 6.02: 2 790 000 / 6.025 .. 2 790 000 / 6.015
    assert "[463071, 463840]" in ev.computation


def test_patents_per_10k_outside_rounding_is_contradicted() -> None:
    # with 470 000 residents: 5.936..., outside [6.015, 6.025]
    figs = _figures([("F12", "万人发明专利拥有量", "2022", "6.02", "件", "ratio"),
                     ("F53", "发明专利授权", "2022", "279", "件", "count")])  # fmt: skip
    ctx = Context(figs, "130435", "邯郸市", census={"population_2020": 470000.0})
    ev = claims.relation_evidence(PATENTS, figs.iloc[0], ctx)
    assert (ev.agrees, ev.status) == (False, "contradicted")
    assert "OUTSIDE" in ev.computation and "F53" in ev.computation


def test_growth_relation_uses_the_rounding_of_both_levels() -> None:
    # 5488 / 5467 - 1 = 0.3841 %; with 5488 ± 0.5 and 5467 ± 0.5 up to 0.4024 %: meets 0.39 ±0.005
    growth = next(r for r in claims.RELATIONS if r.name == "fiscal_sti_growth")
    rows = [("F15", "地方财政科技支出", "2021", "5488", "万元", "level"),
            ("F16", "地方财政科技支出同比增长", "2021", "0.39", "%", "growth"),
            ("F90", "地方财政科技支出", "2020", "5467", "万元", "level")]  # fmt: skip
    ctx = Context(_figures(rows), "130435", "邯郸市")
    assert claims.relation_evidence(growth, ctx.figures.iloc[1], ctx).status == "consistent"
    rows[2] = ("F90", "地方财政科技支出", "2020", "5400", "万元", "level")  # 1.63 %: fails
    ctx = Context(_figures(rows), "130435", "邯郸市")
    assert claims.relation_evidence(growth, ctx.figures.iloc[1], ctx).status == "contradicted"


def test_a_relation_missing_an_input_gives_a_note_naming_it() -> None:
    growth = next(r for r in claims.RELATIONS if r.name == "fiscal_sti_growth")
    figs = _figures(
        [
            ("F15", "地方财政科技支出", "2021", "5488", "万元", "level"),
            ("F16", "地方财政科技支出同比增长", "2021", "0.39", "%", "growth"),
        ]
    )
    ev = claims.relation_evidence(growth, figs.iloc[1], Context(figs, "130435", "邯郸市"))
    assert ev.basis == "note" and ev.status is None
    assert "地方财政科技支出 (2020)" in ev.computation


# --- status and precedence ------------------------------------------------------------------


def _ev(basis: str, agrees: bool | None) -> Evidence:
    return Evidence("F01", basis, agrees, None, f"{basis} {agrees}")


def test_status_precedence() -> None:
    assert claims.decide_status([]) == "stated_only"
    assert claims.decide_status([_ev("note", None)]) == "stated_only"
    assert claims.decide_status([_ev("simulated", True)]) == "calibrated"
    assert claims.decide_status([_ev("simulated", True), _ev("published", True)]) == "consistent"
    assert claims.decide_status([_ev("published", True), _ev("real", True)]) == "reproduced"
    assert claims.decide_status([_ev("real", True), _ev("published", False)]) == "contradicted"


def test_a_stand_in_never_reproduces_even_when_it_matches() -> None:
    assert _ev("simulated", True).status == "calibrated"
    assert _ev("simulated", False).status == "calibrated"


def test_a_note_cannot_carry_a_verdict() -> None:
    with pytest.raises(ValueError):
        Evidence("F01", "note", True, None, "x")
    with pytest.raises(ValueError):
        Evidence("F01", "real", None, None, "x")


# --- stand-ins and real tables -----------------------------------------------------------


def _write_calibration(folder: Path, rows: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "CALIBRATION.csv").write_text(
        "file,target_figure_id,target_value,achieved_value\n" + rows, encoding="utf-8"
    )
    return folder


def test_every_calibration_file_under_the_folder_is_read(tmp_path: Path) -> None:
    _write_calibration(tmp_path / "bureau", "output_2022-10.csv,F01,96.49,96.49\n")
    _write_calibration(tmp_path / "evaluation", "county_report.csv,F10,8,8\n")
    cal = claims.read_calibrations(tmp_path)
    assert cal["target_figure_id"].tolist() == ["F01", "F10"]
    assert claims.simulated_files(cal) == {"output_2022-10.csv", "county_report.csv"}
    assert cal["calibration_file"].tolist() == [
        f"{tmp_path.name}/bureau/CALIBRATION.csv",
        f"{tmp_path.name}/evaluation/CALIBRATION.csv",
    ]
    assert claims.read_calibrations(tmp_path / "none").empty


def test_targets_that_are_not_numbers_are_read_as_missing(tmp_path: Path) -> None:
    # the evaluation stand-in's CALIBRATION.csv: class letters and ranges
    _write_calibration(tmp_path / "e", "f.csv,classes:2019:class:桥西区,A,A\nf.csv,r,60..70,60.4\n")
    cal = claims.read_calibrations(tmp_path)
    assert cal["target_figure_id"].tolist() == ["classes:2019:class:桥西区", "r"]
    assert cal["target_value"].isna().all()


def test_a_bad_calibration_value_names_row_and_column(tmp_path: Path) -> None:
    _write_calibration(tmp_path / "b", "a.csv,F01,96.49,96.49\nb.csv,F02,20.7,x\n")
    with pytest.raises(DataError) as err:
        claims.read_calibrations(tmp_path)
    assert (err.value.row, err.value.column) == (3, "achieved_value")


OUTPUT_CHECK = TableCheck(
    indicator_zh="规模以上工业总产值",
    table="output",
    where={"scope": "total", "period": "{period}"},
    value_column="cumulative_wan",
    scale=1e-4,
)


def _output_table(file: str, value_wan: float) -> pd.DataFrame:
    return pd.DataFrame(
        {"scope": ["total", "group"], "period": ["2022-01..10"] * 2,
         "cumulative_wan": [value_wan, 230900.0], "file": [file, file]}
    )  # fmt: skip


def _f01() -> pd.DataFrame:
    return _figures([("F01", "规模以上工业总产值", "2022-01..10", "96.49", "亿元", "level")])


def test_the_same_check_is_calibrated_on_a_stand_in_and_reproduced_on_real_data(
    tmp_path: Path,
) -> None:
    cal = claims.read_calibrations(
        _write_calibration(tmp_path / "sim", "output_2022-10.csv,F01,96.49,96.49\n")
    )
    figs = _f01()
    ctx = Context(figs, "130435", "邯郸市")
    simulated = {"output": _output_table("output_2022-10.csv", 964_900.0)}
    ev = claims.collect_evidence(ctx, cal, simulated, (), {}, (OUTPUT_CHECK,))
    assert claims.decide_status(ev) == "calibrated"

    real = {"output": _output_table("my_bureau_2022-10.xlsx", 964_936.0)}  # 96.4936 亿元
    ev = claims.collect_evidence(ctx, claims.read_calibrations(tmp_path / "own"), real, (), {},
                                 (OUTPUT_CHECK,))  # fmt: skip
    assert claims.decide_status(ev) == "reproduced"
    assert ev[0].recomputed == pytest.approx(96.4936)

    wrong = {"output": _output_table("my_bureau_2022-10.xlsx", 960_000.0)}  # 96.00 亿元
    ev = claims.collect_evidence(ctx, cal.iloc[0:0], wrong, (), {}, (OUTPUT_CHECK,))
    assert claims.decide_status(ev) == "contradicted"


def test_a_table_marked_simulated_is_calibrated_without_a_calibration_file() -> None:
    table = _output_table("x.csv", 964_900.0).assign(simulated=True)
    ev = claims.table_evidence(OUTPUT_CHECK, _f01().iloc[0], table, frozenset())
    assert ev.status == "calibrated"


def test_a_calibration_for_another_value_of_the_id_does_not_apply(tmp_path: Path) -> None:
    # next year's F01 is another figure: a stand-in calibrated to 96.49 says nothing about it
    cal = claims.read_calibrations(_write_calibration(tmp_path / "s", "o.csv,F01,96.49,96.49\n"))
    figs = _figures([("F01", "规模以上工业总产值", "2023-01..10", "101.2", "亿元", "level")])
    assert claims.calibration_evidence(figs.iloc[0], cal) == []


def test_real_data_takes_precedence_over_a_stand_in(tmp_path: Path) -> None:
    cal = claims.read_calibrations(_write_calibration(tmp_path / "s", "sim.csv,F01,96.49,96.49\n"))
    real = {"output": _output_table("mine.csv", 964_900.0)}
    ev = claims.collect_evidence(Context(_f01(), "1", "c"), cal, real, (), {}, (OUTPUT_CHECK,))
    register = claims.claims_register(_f01(), ev, "wr.csv")
    assert register[["status", "simulated"]].values.tolist() == [["reproduced", False]]
    computation = register["computation"].iloc[0]
    assert computation.startswith("cumulative_wan from output (mine.csv) = 96.49")
    assert "stand-in sim.csv" in computation  # still listed, after the deciding evidence


# --- the evaluation statements ------------------------------------------------------------


def _classes(rows: list[tuple[int, str, str, str, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["round", "county_code", "city", "class", "position"])


def _rounds(published: dict[int, bool]) -> pd.DataFrame:
    return pd.DataFrame({"round": list(published), "published": list(published.values())})


RANKS = _figures([("F09", "全省A类县(科技创新能力)", "to 2022", "3", "年", "count"),
                  ("F10", "全省县域科技创新能力排名", "latest round before 2022-11", "8", "位",
                   "rank"),
                  ("F11", "全市县域科技创新能力排名", "latest round before 2022-11", "1", "位",
                   "rank")])  # fmt: skip
ROUNDS = _rounds({2019: True, 2020: True, 2021: True, 2022: False, 2023: True})


def test_the_referenced_round_is_the_latest_published_by_the_report_year() -> None:
    assert claims.referenced_round(ROUNDS, 2022) == 2021
    assert claims.referenced_round(ROUNDS, 2023) == 2023


def test_a_later_rounds_position_is_context_not_a_check() -> None:
    classes = _classes([(2023, "130435", "邯郸市", "A", float(p)) for p in [13]]
                       + [(2023, f"9{p:05d}", "x市", "A", float(p)) for p in range(1, 13)]
                       + [(2023, "130481", "邯郸市", "A", 32.0)])  # fmt: skip
    ctx = Context(RANKS, "130435", "邯郸市", classes=classes, rounds=ROUNDS)
    ev = claims.collect_evidence(ctx, claims.read_calibrations(Path("/nonexistent")))
    register = claims.claims_register(RANKS, ev, "wr.csv").set_index("figure_id")
    assert register["status"].tolist() == ["stated_only"] * 3
    assert (
        "round 2023: class A, 13th in the score-ordered A list, 1st among 邯郸市 units"
        in (register.at["F10", "computation"])
    )
    assert claims.city_position(ctx, 2023) == 1


def test_positions_of_the_referenced_round_are_checked() -> None:
    classes = _classes([(2021, "130435", "邯郸市", "A", float(8))]
                       + [(2021, f"9{p:05d}", "x市", "A", float(p)) for p in range(1, 8)]
                       + [(r, "130435", "邯郸市", "A", None) for r in (2019, 2020)])  # fmt: skip
    ctx = Context(RANKS, "130435", "邯郸市", classes=classes, rounds=ROUNDS)
    ev = claims.collect_evidence(ctx, claims.read_calibrations(Path("/nonexistent")))
    assert [claims.decide_status([e]) for e in ev] == ["reproduced"] * 3
    classes.loc[classes["round"] == 2020, "class"] = "B"
    ctx = Context(RANKS, "130435", "邯郸市", classes=classes, rounds=ROUNDS)
    ev = claims.class_streak_evidence(RANKS.iloc[0], ctx)
    assert ev.status == "contradicted" and "round 2020: B" in ev.computation


def test_city_position_is_unknown_when_a_place_above_is_not_published() -> None:
    classes = _classes([(2023, "130435", "邯郸市", "A", 13.0), (2023, "1", "x市", "A", 1.0)])
    assert claims.city_position(Context(RANKS, "130435", "邯郸市", classes=classes), 2023) is None


# --- the real register --------------------------------------------------------------------


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory, raw: Path) -> Path:
    from analysis.ingest import public as ingest

    out = tmp_path_factory.mktemp("processed")
    ingest.write_public_tables(raw, out)
    return out


def test_the_2022_register_on_the_real_files(raw: Path, processed: Path, tmp_path: Path) -> None:
    register, _ = claims.build_claims(
        raw / FIGURES_FILE, processed, tmp_path, "130435", "邯郸市", about_county=True
    )
    schemas.validate(register, schemas.CLAIMS, "claims")
    assert len(register) == 59
    by_id = register.set_index("figure_id")
    assert by_id.at["F12", "status"] == "consistent"
    assert by_id.at["F12", "recomputed_value"] == pytest.approx(279 / 463727 * 10000)
    for fid in ("F09", "F10", "F11", "F16", "F54", "F55", "F07", "F13"):
        assert by_id.at[fid, "status"] == "stated_only", fid
    counts = claims.status_counts(register).set_index("status")["figures"]
    assert counts.to_dict() == {"reproduced": 0, "consistent": 1, "contradicted": 0,
                                "calibrated": 0, "stated_only": 58}  # fmt: skip
    assert len(claims.not_reproduced(register)) == 59


def test_the_register_with_stand_ins(raw: Path, processed: Path, tmp_path: Path) -> None:
    _write_calibration(tmp_path / "bureau", "out.csv,F01,96.49,96.49\nout.csv,F02,20.7,20.7\n")
    _write_calibration(tmp_path / "evaluation", "ev.csv,F10,8,8\nev.csv,F12,6.02,6.02\n")
    register, _ = claims.build_claims(
        raw / FIGURES_FILE, processed, tmp_path, "130435", "邯郸市", about_county=True
    )
    status = register.set_index("figure_id")["status"]
    assert status[["F01", "F02", "F10"]].tolist() == ["calibrated"] * 3
    assert status["F12"] == "consistent"  # published figures beat the stand-in
    assert register.set_index("figure_id").at["F01", "simulated"]


def test_another_county_gets_an_empty_register(processed: Path, tmp_path: Path) -> None:
    register, evidence = claims.build_claims(
        tmp_path / "x.csv", processed, tmp_path, "130424", "邯郸市", about_county=False
    )
    assert register.empty and evidence == []
    schemas.validate(register, schemas.CLAIMS, "claims")


def test_relations_are_found_by_name_not_by_id_and_the_digits_set_the_tolerance() -> None:
    for text, expected in (("6.5", "consistent"), ("6.50", "contradicted")):
        figs = _figures([("F99", "万人发明专利拥有量", "2023", text, "件", "ratio"),
                         ("F98", "发明专利授权", "2023", "301", "件", "count")])  # fmt: skip
        ctx = Context(figs, "1", "c", census={"population_2020": 463727.0})
        ev = claims.collect_evidence(ctx, claims.read_calibrations(Path("/nonexistent")))
        assert [e.figure_id for e in ev] == ["F99"]
        # 301 / 463727 * 10000 = 6.4909: inside 6.5 ± 0.05, outside 6.50 ± 0.005
        assert ev[0].recomputed == pytest.approx(301 / 463727 * 10000)
        assert ev[0].status == expected, text


def test_custom_relation_table() -> None:
    rel = Relation("sum", "合计", {"a": "figure:甲", "b": "figure:乙"},
                   lambda v: v["a"] + v["b"], "甲 + 乙")  # fmt: skip
    figs = _figures([("F01", "合计", "2022", "10.1", "亿元", "level"),
                     ("F02", "甲", "2022", "4.06", "亿元", "level"),
                     ("F03", "乙", "2022", "6.0", "亿元", "level")])  # fmt: skip
    # 4.06 + 6.0 = 10.06, with rounding [10.005, 10.115]: meets [10.05, 10.15]
    ev = claims.relation_evidence(rel, figs.iloc[0], Context(figs, "1", "c"))
    assert ev.status == "consistent"


def _industry_table(folder: Path, simulated: bool, cumulative_wan: float) -> None:
    """A two-row bureau table (1-10月 and October 2022) as 01_ingest writes it: the register
    reads it through its contract, like every processed table."""
    release = "2022年1-10月.xlsx"
    common = {"year": 2022, "month": 10, "scope": "全县", "group": "合计", "label": "合计",
              "indicator": "工业总产值", "unit": "万元", "value_decimals": 0,
              "growth_decimals": 1, "change_pp": np.nan, "original_unit": "万元",
              "file": release, "sheet": "", "value_column": "C", "growth_column": "E",
              "release": release, "latest": True, "simulated": simulated, "base_wan": np.nan,
              "scope_factor": np.nan, "flags": ""}  # fmt: skip
    rows = [
        {**common, "span": "cumulative", "value": cumulative_wan, "value_wan": cumulative_wan,
         "growth": 0.207, "row": 4},
        {**common, "span": "month", "value": 138700.0, "value_wan": 138700.0, "growth": 0.2896,
         "row": 5},
    ]  # fmt: skip
    table = pd.DataFrame(rows)[list(INDUSTRY_MONTHLY.columns)]
    table = table.astype({"value_decimals": "Int64", "growth_decimals": "Int64"})
    write_table(table, INDUSTRY_MONTHLY, folder, "industry_monthly")


@pytest.mark.parametrize(
    ("simulated", "cumulative_wan", "expected"),
    [(True, 964900.0, "calibrated"), (False, 964900.0, "reproduced"),
     (False, 965100.0, "contradicted")],
)  # fmt: skip
def test_output_figures_follow_the_bureau_table(
    raw: Path,
    processed: Path,
    tmp_path: Path,
    simulated: bool,
    cumulative_wan: float,
    expected: str,
) -> None:
    folder = tmp_path / "processed"
    import shutil

    shutil.copytree(processed, folder)
    _industry_table(folder, simulated, cumulative_wan)
    register, _ = claims.build_claims(
        raw / FIGURES_FILE, folder, tmp_path / "none", "130435", "邯郸市", about_county=True
    )
    status = register.set_index("figure_id")["status"]
    assert status["F01"] == expected
    assert status["F03"] == ("calibrated" if simulated else "reproduced")


def test_anchors_that_are_not_figures_may_be_text(tmp_path: Path) -> None:
    _write_calibration(
        tmp_path / "e", "a.csv,F10,8,8\nb.csv,classes:2019:class:X,A,A\nb.csv,x:range,60-70,64\n"
    )
    cal = claims.read_calibrations(tmp_path)
    assert len(cal) == 3
    assert cal.loc[cal["target_figure_id"] == "F10", "target_value"].tolist() == [8.0]
