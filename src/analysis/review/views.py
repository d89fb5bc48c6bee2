"""The tables a leader reads on pages 02–05, each built through the display layer.

A view picks the rows and columns a leader needs from a result table, names them from the
translation table and leaves the formatting to :func:`analysis.review.display.leader_table`
(units in the header, 亿元 two decimals, x.x%, 个百分点, 暂无 for a missing value). Raw
frames, checks and diagnostics stay in the analysts' edition.
"""

from __future__ import annotations

import pandas as pd

from analysis.figures.labels import group_label, t
from analysis.review.display import Column, LeaderTable, leader_table
from analysis.review.numbers import span_text
from analysis.review.real_growth import context_rows, region_name
from analysis.review.report_check import claim_counts

# the headlines a leader reads, in order; the others (the level-ratio note, the simulated
# evaluation score and what-if, the work report's claim) stay with the analysts or in a note
LEADER_HEADLINES: tuple[str, ...] = (
    "output_cumulative_wan",
    "growth_cumulative",
    "output_month_wan",
    "growth_month",
    "key_output_wan",
    "key_growth",
    "key_pull_pp",
    "key_contribution_share",
    "projection_growth",
    "p_reach_target",
    "real_growth",
    "evaluation_latest",
    "patents_per_10k",
    "high_tech_enterprises",
    "tech_smes",
)


def headline_table(headlines: pd.DataFrame, lang: str) -> LeaderTable:
    """The headline numbers as 'item | value', a simulated value marked 【模拟数据】."""
    rows = headlines.set_index("key").reindex(
        [k for k in LEADER_HEADLINES if k in set(headlines["key"])]
    )
    mark = t("simulated_sentence_mark", lang)
    shown = pd.DataFrame(
        {
            "label": rows["label"],
            "display": [
                (mark if sim else "") + str(d)
                for d, sim in zip(rows["display"], rows["simulated"].astype(bool), strict=True)
            ],
        }
    )
    return leader_table(shown, [Column("label", "col_item"), Column("display", "col_value")], lang)


# the bureau's name of a group in its releases, for the groups of contributions.csv
RELEASE_GROUP = {"total": "合计"}


def published_decimals(
    industry: pd.DataFrame | None, year: int, month: int, span: str, group: str
) -> int | None:
    """The decimals the bureau printed for the growth of ``group`` (its release of year/month),
    None for a rate computed here (then one decimal is shown)."""
    if industry is None or industry.empty or "growth_decimals" not in industry.columns:
        return None
    sel = industry[
        (industry["year"] == year)
        & (industry["month"] == month)
        & (industry["span"] == span)
        & (industry["group"] == RELEASE_GROUP.get(group, group))
    ]
    if "coverage" in sel.columns and (sel["coverage"] == "规模以上").any():
        sel = sel[sel["coverage"] == "规模以上"]
    d = sel["growth_decimals"].dropna()
    return int(d.iloc[0]) if len(d) else None


def contributions_table(
    contrib: pd.DataFrame | None,
    lang: str,
    industry: pd.DataFrame | None = None,
    year: int | None = None,
    month: int | None = None,
) -> LeaderTable:
    """Output, growth, pull and contribution of each group, year to date and the month.

    A published growth (the total's, the key group's) keeps the bureau's decimals, the same as
    in the key messages and the drafted sentences (``industry``, ``year``, ``month``: the
    releases it was printed in); a rate computed here (all other enterprises) has one."""
    cols = [
        Column("span", "col_span", "label", prefix="span_"),
        Column("group", "col_group"),
        Column("level_wan", "col_output", "yi"),
        Column("growth", "col_growth", "percent", decimals="growth_decimals"),
        Column("pull_pp", "col_pull", "pp"),
        Column("contribution_share", "col_share", "percent"),
    ]
    if contrib is None or contrib.empty:
        return leader_table(None, cols, lang)
    decimals = [
        published_decimals(industry, year, month, span, group)
        if year is not None and month is not None
        else None
        for span, group in zip(contrib["span"], contrib["group"], strict=True)
    ]
    shown = contrib.assign(
        group=[group_label(g, lang) for g in contrib["group"]],
        growth_decimals=pd.array(decimals, dtype="Int64"),
    )
    return leader_table(shown, cols, lang)


def growth_context_table(
    real: pd.DataFrame | None,
    context: pd.DataFrame | None,
    county: str,
    year: int,
    month: int,
    lang: str,
    industry: pd.DataFrame | None = None,
) -> LeaderTable:
    """Nominal growth, the estimated real growth (估算) and the province's and nation's published
    real growth of value added, each with its span: the only fair company for a real rate.
    The nominal growth is the bureau's, with its printed decimals (from ``industry``); the
    estimate has one decimal, as have the province's and the nation's published rates."""
    rows = []
    span = span_text(month, lang)
    if real is not None and len(real):
        cum = real[(real["span"] == "cumulative") & (real["period"] == f"{year}-01..{month:02d}")]
        if len(cum):
            r = cum.iloc[0]
            published = published_decimals(industry, year, month, "cumulative", "total")
            rows += [
                (county, t("measure_nominal", lang), span, r["nominal_growth"], published),
                (county, t("measure_real_estimate", lang), span, r["real_growth_estimate"], None),
            ]
    for r in context_rows(context, year, month):
        rows.append(
            (
                region_name(r["region"], lang),
                t("measure_value_added", lang),
                span_text(int(r["end"]), lang),
                r["growth"],
                None,
            )
        )
    frame = pd.DataFrame(rows, columns=["region", "measure", "span", "growth", "decimals"])
    frame["decimals"] = frame["decimals"].astype("Int64")
    cols = [
        Column("region", "col_region"),
        Column("measure", "col_measure"),
        Column("span", "col_span"),
        Column("growth", "col_growth", "percent", decimals="decimals"),
    ]
    return leader_table(frame if len(frame) else None, cols, lang)


def positions_table(positions: pd.DataFrame | None, county_code: str, lang: str) -> LeaderTable:
    """The county's published classes and positions by round (inferred ones are in a note)."""
    cols = [
        Column("round", "col_round"),
        Column("data_year", "col_data_year"),
        Column("class", "col_class"),
        Column("position", "col_position", "int"),
        Column("city_position", "col_city_position", "int"),
    ]
    if positions is None or positions.empty:
        return leader_table(None, cols, lang)
    mine = positions[
        (positions["role"] == "county")
        & (positions["county_code"] == county_code)
        & (positions["attribution"] == "published")
    ].sort_values("round")
    return leader_table(mine, cols, lang)


def claim_status_table(register: pd.DataFrame | None, lang: str) -> LeaderTable:
    """How many of the work report's figures came to each result of the check."""
    counts = claim_counts(register, lang)
    return leader_table(
        counts if register is not None and len(register) else None,
        [Column("label", "col_status"), Column("count", "col_count", "int")],
        lang,
    )


# drafted sentences a leader does not paste: the work report's own position claim (an
# inference, shown as a note) and a position or score from a simulated evaluation stand-in,
# which must never sit beside the published position
NOTE_SENTENCES = ("evaluation_claim",)
SIMULATED_RANK_SENTENCES = ("evaluation_score",)


def leader_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """The drafted sentences for the leaders' list (all of them stay in the CSV)."""
    if sentences is None or sentences.empty:
        return sentences
    sim = sentences["simulated"].astype(str).str.lower().eq("true")
    drop = sentences["sentence_id"].isin(NOTE_SENTENCES) | (
        sentences["sentence_id"].isin(SIMULATED_RANK_SENTENCES) & sim
    )
    return sentences[~drop]
