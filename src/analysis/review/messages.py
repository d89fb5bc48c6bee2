"""Each page starts with its message: 2–4 lines a leader would repeat, with their numbers.

One function per notebook builds the lines from the values that notebook computed (or read),
never from typed numbers; the words are templates of the one translation table
(:mod:`analysis.figures.labels`), the numbers are rounded by :mod:`analysis.review.numbers`
(the bureau's decimals for its rates, one decimal for what is computed here). A line resting on
a simulated stand-in starts with 【模拟数据】, so it cannot be repeated without it. Where a
page's data are missing (another county, a release without groups, no evaluation report) the
lines say what is missing instead of showing anything else.

The block is ``<div class="leader-messages">`` (styled by the page stylesheet), with a
plain-text ``repr`` for the executed notebook's text output.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from analysis.claims import STATUSES, ordinal
from analysis.figures.labels import check_lang, t
from analysis.review.indicators import KEY_INDICATORS, UNIT_LABELS, latest_stated
from analysis.review.inputs import table_simulated
from analysis.review.numbers import (
    area_word,
    growth_phrase,
    interval_text,
    month_en,
    percent_text,
    pp_text,
    probability_text,
    round_half_up,
    span_text,
    yi_text,
)
from analysis.review.output import output_rows
from analysis.vocabulary import KEY_GROUP


@dataclass(frozen=True)
class KeyMessages:
    """The key-message lines of a page."""

    lines: tuple[str, ...]

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines)
        return f'<div class="leader-messages"><ul>{items}</ul></div>'

    def __repr__(self) -> str:
        return "\n".join(f"· {line}" for line in self.lines)


def _marked(text: str, simulated: bool, lang: str) -> str:
    return t("simulated_sentence_mark", lang) + text if simulated else text


def _messages(lines: Iterable[str]) -> KeyMessages:
    return KeyMessages(tuple(line for line in lines if line))


def period_text(year: int, month: int, lang: str) -> str:
    """'2022年10月' / 'October 2022'."""
    return t("period_year_month", lang).format(year=year, month=month, month_en=month_en(month))


# 01 ingest -------------------------------------------------------------------------------------
def ingest_messages(
    industry: pd.DataFrame | None,
    checks: pd.DataFrame | None,
    rounds: pd.DataFrame,
    scores: pd.DataFrame | None,
    county: str,
    county_code: str,
    lang: str,
) -> KeyMessages:
    """What data came in (the bureau's releases, the published evaluation, the county's own
    evaluation report), what of it is simulated, what is missing, and how the checks went."""
    check_lang(lang)
    lines = []
    if industry is None or industry.empty:
        lines.append(t("msg_ingest_no_bureau", lang).format(county=county))
    else:
        periods = sorted({(int(y), int(m)) for y, m in zip(industry["year"], industry["month"])})
        text = t("msg_ingest_bureau", lang).format(
            n=len(periods),
            first=period_text(*periods[0], lang),
            last=period_text(*periods[-1], lang),
        )
        lines.append(_marked(text, table_simulated(industry), lang))
    published = rounds[rounds["n_A"].notna() | rounds["mean_score"].notna()]
    gaps = rounds.loc[rounds["n_A"].isna() & rounds["mean_score"].isna(), "round"]
    lines.append(
        t("msg_ingest_evaluation", lang).format(
            first=int(rounds["round"].min()),
            last=int(rounds["round"].max()),
            n=len(published),
            gaps=t("msg_ingest_evaluation_gaps", lang).format(
                rounds=t("list_separator_short", lang).join(str(int(r)) for r in gaps)
            )
            if len(gaps)
            else "",
        )
    )
    mine = scores[scores["county_code"] == county_code] if scores is not None else None
    if mine is None or mine.empty:
        lines.append(t("msg_ingest_no_own_report", lang))
    else:
        own = t("list_separator_short", lang).join(str(int(r)) for r in sorted(set(mine["round"])))
        text = t("msg_ingest_own_report", lang).format(rounds=own)
        lines.append(_marked(text, table_simulated(mine), lang))
    notes = 0 if checks is None else int((checks["severity"] == "warning").sum())
    lines.append(
        t("msg_ingest_checks", lang).format(n=notes)
        if notes
        else t("msg_ingest_checks_clean", lang)
    )
    return _messages(lines)


# 02 output growth ------------------------------------------------------------------------------
def no_bureau_messages(county: str, lang: str) -> KeyMessages:
    """A run whose county has no bureau releases: say so, and show no number."""
    return _messages([t("msg_ingest_no_bureau", lang).format(county=county),
                      t("msg_no_bureau_hint", lang)])  # fmt: skip


def _key_row(contrib: pd.DataFrame | None, year: int, month: int) -> pd.Series | None:
    if contrib is None or contrib.empty:
        return None
    sel = contrib[
        (contrib["period"] == f"{year}-01..{month:02d}")
        & (contrib["span"] == "cumulative")
        & (contrib["group"] == KEY_GROUP)
    ]
    return None if sel.empty else sel.iloc[0]


def _headline_projection(projection: pd.DataFrame | None) -> pd.Series | None:
    if projection is None or projection.empty:
        return None
    sel = projection[projection["headline"].astype(str).str.lower().eq("true")]
    return None if sel.empty else sel.iloc[0]


def growth_messages(
    industry: pd.DataFrame | None,
    contrib: pd.DataFrame | None,
    projection: pd.DataFrame | None,
    real: pd.DataFrame | None,
    county: str,
    year: int,
    month: int,
    lang: str,
) -> KeyMessages:
    """Output and growth to month N (with the month itself), what the key group pulled, the
    headline projection with its method and interval, the estimated real growth (估算)."""
    check_lang(lang)
    r = output_rows(industry, year, month)
    if r.cum is None:
        return no_bureau_messages(county, lang)
    sim = table_simulated(industry)
    month_part = ""
    if r.month is not None and month > 1 and pd.notna(r.month["value_wan"]):
        month_part = t("msg_output_month", lang).format(
            month=month,
            month_en=month_en(month),
            level=yi_text(r.month["value_wan"]),
            growth=growth_phrase(r.month["growth"], r.month["growth_decimals"], lang),
        )
    lines = [
        _marked(
            t("msg_output", lang).format(
                span=span_text(month, lang),
                level=yi_text(r.cum["value_wan"]),
                growth=growth_phrase(r.cum["growth"], r.cum["growth_decimals"], lang),
                month_part=month_part,
            ),
            sim,
            lang,
        )
    ]
    key = _key_row(contrib, year, month)
    if key is None:
        lines.append(t("msg_no_groups", lang))
    else:
        pull = t("pull_up" if key["pull_pp"] >= 0 else "pull_down", lang).format(
            area=area_word(county), pp=pp_text(key["pull_pp"])
        )
        text = t("msg_key_pull", lang).format(
            pull=pull, share=percent_text(key["contribution_share"], 1)
        )
        lines.append(_marked(text, bool(str(key["simulated"]).lower() == "true"), lang))
    head = _headline_projection(projection)
    if head is None or pd.isna(head["growth_point"]):
        lines.append(_no_projection_line(industry, county, year, month, lang))
    else:
        p = head["p_reach_target"]
        text = t("msg_projection", lang).format(
            method=t(f"method_{head['method']}", lang),
            point=yi_text(head["point_wan"]),
            growth=growth_phrase(head["growth_point"], 1, lang),
            interval=interval_text(head["growth_lo80"], head["growth_hi80"]),
            target=f"{float(round_half_up(float(head['target_growth']) * 100, 2)):g}",
            p=probability_text(p, lang) if pd.notna(p) else t("missing_value", lang),
        )
        lines.append(_marked(text, str(head["simulated"]).lower() == "true", lang))
    cum_real = (
        real[(real["span"] == "cumulative") & (real["period"] == f"{year}-01..{month:02d}")]
        if real is not None and len(real)
        else None
    )
    if cum_real is not None and len(cum_real):
        row = cum_real.iloc[0]
        value = float(row["real_growth_estimate"])
        text = t("msg_real", lang).format(
            span=span_text(month, lang),
            real=("-" if value < 0 else "") + percent_text(value, 1),
            region=t("region_national", lang) if row["ppi_region"] == "全国" else row["ppi_region"],
        )
        lines.append(_marked(text, str(row["simulated"]).lower() == "true", lang))
    return _messages(lines)


def _no_projection_line(
    industry: pd.DataFrame | None, county: str, year: int, month: int, lang: str
) -> str:
    """Why there is no projection, in the reader's language: too short a history is the usual
    reason (a county's first year of releases), and the leader should know what would fix it."""
    from analysis.growth.readiness import MIN_MODEL_MONTHS, readiness

    if industry is None or industry.empty:
        return t("msg_no_projection", lang)
    ready = readiness(industry, county, year, month)
    if not ready.release or ready.model:
        return t("msg_no_projection", lang)
    cut = pd.Period(f"{year}-{month:02d}", "M")
    have = int(ready.series.loc[ready.series.index <= cut, "level_wan"].notna().sum())
    return t("msg_no_projection_history", lang).format(need=MIN_MODEL_MONTHS, have=have)


# 03 innovation ranking -------------------------------------------------------------------------
def _county_rows(positions: pd.DataFrame | None, county_code: str) -> pd.DataFrame:
    if positions is None or positions.empty:
        return pd.DataFrame()
    return positions[(positions["role"] == "county") & (positions["county_code"] == county_code)]


def position_line(positions: pd.DataFrame | None, county: str, county_code: str, lang: str) -> str:
    """The county's class and positions in the latest round that published them."""
    mine = _county_rows(positions, county_code)
    published = mine[mine["attribution"] == "published"].sort_values("round") if len(mine) else mine
    if published.empty:
        return t("msg_no_position", lang).format(county=county)
    row = published.iloc[-1]
    p, cp = row["position"], row["city_position"]
    return t("msg_position", lang).format(
        round=int(row["round"]),
        data_year=int(row["data_year"]),
        county=county,
        cls=row["class"],
        position=t("msg_position_province", lang).format(
            position=int(p), position_ord=ordinal(int(p))
        )
        if pd.notna(p)
        else "",
        city=t("msg_position_city", lang).format(position=int(cp), position_ord=ordinal(int(cp)))
        if pd.notna(cp)
        else "",
    )


def claim_note(positions: pd.DataFrame | None, county_code: str, lang: str) -> str:
    """The work report's own position claim, said to be an inference ('' when there is none):
    shown as a note, never beside the published position."""
    mine = _county_rows(positions, county_code)
    if mine.empty:
        return ""
    claimed = mine[(mine["attribution"] == "inferred") & mine["position"].notna()]
    if claimed.empty:
        return ""
    row = claimed.sort_values("round").iloc[-1]
    p = int(row["position"])
    return t("msg_claim_note", lang).format(
        position=p, position_ord=ordinal(p), round=int(row["round"]),
        data_year=int(row["data_year"]),
    )  # fmt: skip


def whatif_lines(whatif: pd.DataFrame | None, target_position: int, lang: str) -> list[str]:
    """Where standing still leads, the score the target needs, the indicator with the most
    places to gain — from the full provincial table when there is one, else the own report."""
    if whatif is None or whatif.empty:
        return []
    mode = "full_table" if "full_table" in set(whatif["mode"]) else "own_report"
    rows = whatif[whatif["mode"] == mode]
    first = rows.iloc[0]
    sim = table_simulated(rows)
    score = float(first["score_now"])
    rank = int(first["rank_standing_still"])
    line = t("msg_standing_still", lang).format(
        score=f"{round_half_up(score, 2):f}", rank=rank, rank_ord=ordinal(rank)
    )
    needed = first["score_needed"]
    if pd.isna(needed):
        line += t("msg_unreachable", lang).format(target=target_position)
    else:
        line += t("msg_needed", lang).format(
            target=target_position,
            needed=f"{round_half_up(float(needed), 2):f}",
            gap=f"{round_half_up(float(needed) - score, 2):f}",
        )
    lines = [_marked(line, sim, lang)]
    gains = rows.assign(g=rows["rank_standing_still"] - rows["rank_at_full_headroom"])
    gains = gains[gains["headroom_points"] > 0.005]
    if len(gains):
        best = gains.loc[gains["g"].idxmax()]
        text = t("msg_top_indicator", lang).format(
            indicator=best["indicator"],
            points=f"{round_half_up(float(best['headroom_points']), 2):f}",
            gain=int(best["g"]),
        )
        lines.append(_marked(text, sim, lang))
    return lines


def ranking_messages(
    positions: pd.DataFrame | None,
    whatif: pd.DataFrame | None,
    county: str,
    county_code: str,
    target_position: int,
    lang: str,
) -> KeyMessages:
    """The county's published position, then (marked when simulated) what standing still
    would mean, the score the target needs and where the points are."""
    check_lang(lang)
    return _messages(
        [
            position_line(positions, county, county_code, lang),
            *whatif_lines(whatif, target_position, lang),
        ]
    )


# 04 S&T indicators -----------------------------------------------------------------------------
def status_parts(register: pd.DataFrame | None, lang: str) -> tuple[int, str]:
    """The number of figures and '已复现3个，无数据可核47个…' (statuses with a count only)."""
    if register is None or register.empty:
        return 0, ""
    counts = register["status"].value_counts()
    parts = [
        t("msg_claims_part", lang).format(label=t(f"status_{s}", lang), count=int(counts[s]))
        for s in STATUSES
        if counts.get(s, 0)
    ]
    return len(register), t("list_separator", lang).join(parts)


def indicator_items(table: pd.DataFrame | None, lang: str) -> list[str]:
    """The key indicators' latest stated values with their years."""
    items = []
    for key, indicator, registry in KEY_INDICATORS:
        sel = latest_stated(table, indicator, registry)
        if sel.empty:
            continue
        row = sel.sort_values("period").iloc[-1]
        unit = t(UNIT_LABELS[row["unit"]], lang) if row["unit"] in UNIT_LABELS else row["unit"]
        value = t("amount_unit", lang).format(value=f"{float(row['value']):g}", unit=unit)
        label = t(f"headline_{key}", lang)
        items.append(
            t("labelled_value", lang).format(
                label=label,
                value=t("value_in_period", lang).format(value=value, period=row["period"]),
            )
        )
    return items


def indicator_messages(
    register: pd.DataFrame | None,
    table: pd.DataFrame | None,
    county: str,
    about_county: bool,
    lang: str,
) -> KeyMessages:
    """What the work report's figures came to when checked, how many rest only on simulated
    stand-ins, the key indicators, and what was contradicted."""
    check_lang(lang)
    if not about_county:
        return _messages([t("msg_no_sources", lang).format(county=county)])
    n, parts = status_parts(register, lang)
    lines = [t("msg_claims", lang).format(n=n, parts=parts)] if n else []
    calibrated = 0 if register is None else int((register["status"] == "calibrated").sum())
    if calibrated:
        lines.append(t("msg_calibrated", lang).format(n=calibrated))
    items = indicator_items(table, lang)
    if items:
        lines.append(t("msg_indicators", lang).format(items=t("list_separator", lang).join(items)))
    if register is not None and len(register):
        bad = register[register["status"] == "contradicted"]
        if len(bad):
            names = t("list_separator_short", lang).join(bad["indicator_zh"].astype(str))
            lines.append(t("msg_contradicted", lang).format(names=names))
    return _messages(lines[:4])


# 05 annual review ------------------------------------------------------------------------------
def _by_key(headlines: pd.DataFrame) -> dict[str, pd.Series]:
    return {str(h["key"]): h for _, h in headlines.iterrows()}


def review_messages(
    headlines: pd.DataFrame,
    claims: pd.DataFrame | None,
    county: str,
    month: int,
    lang: str,
) -> KeyMessages:
    """The summary's message: output and growth (with the key group's pull), the projection,
    the published evaluation position, what the work report's figures came to."""
    check_lang(lang)
    h = _by_key(headlines)
    lines = []
    out, growth = h.get("output_cumulative_wan"), h.get("growth_cumulative")
    if out is None or not out["available"] or growth is None or not growth["available"]:
        lines.append(t("msg_review_no_bureau", lang).format(county=county))
    else:
        pct = str(growth["display"]).lstrip("-").rstrip("%")
        word = "growth_up" if float(growth["value"]) > 0 else "growth_down"
        pull = h.get("key_pull_pp")
        lines.append(
            _marked(
                t("msg_review_output", lang).format(
                    span=span_text(month, lang),
                    level=out["display"],
                    growth=t(word, lang).format(pct=pct)
                    if float(pct) != 0
                    else t("growth_flat", lang),
                    pull=t("msg_review_pull", lang).format(pp=pull["display"])
                    if pull is not None and pull["available"]
                    else "",
                ),
                bool(out["simulated"]),
                lang,
            )
        )
        proj, p = h.get("projection_growth"), h.get("p_reach_target")
        if proj is not None and proj["available"]:
            text = t("msg_review_projection", lang).format(
                growth=proj["display"],
                p=p["display"] if p is not None and p["available"] else t("missing_value", lang),
            )
            lines.append(_marked(text, bool(proj["simulated"]), lang))
    ev = h.get("evaluation_latest")
    if ev is not None and ev["available"]:
        lines.append(t("msg_review_evaluation", lang).format(position=ev["display"]))
    n, parts = status_parts(claims, lang)
    if n:
        lines.append(t("msg_review_claims", lang).format(parts=parts))
    return _messages(lines[:4])
