"""The leadership summary (05_annual_review): headline numbers and drafted sentences.

Everything here reads the processed tables the other notebooks wrote and turns them into text
for the written review, in the conventions of a Chinese work report: money in 亿元 with two
decimals, growth as 同比增长/下降 x.x%, differences and pulls in 个百分点 (拉动). Each headline
and each sentence carries the table and the CSV line(s) it comes from (``source_table``,
``source_row``: 1-based lines as Excel/WPS shows them, header = line 1), so every number a
leader reads can be traced back, and each says whether a simulated stand-in stands behind it.

Rounding is done once, here, from the stored values (fractions, 万元): half-up (四舍五入) with
the decimals the bureau published where the table records them (``growth_decimals``). A
section whose table is missing (another county, a table not yet produced, e.g. the evaluation
stand-in or ``ranking_whatif``) yields a row marked not available, never an error.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.figures.labels import check_lang, t
from analysis.io import read_csv
from analysis.vocabulary import KEY_GROUP, OUTPUT_INDICATOR, TOTAL_GROUP

PROJECTION_METHOD = "model_sarimax"

# table name -> dtype overrides for reading; the optional ones may be absent
TABLES: dict[str, dict[str, type]] = {
    "industry_monthly": {},
    "contributions": {},
    "projection": {},
    "ranking_published_positions": {"county_code": str},
    "evaluation_scores": {"county_code": str},
    "evaluation_indicators": {"county_code": str},
    "ranking_whatif": {},
    "sti_indicators": {},
    "claims": {},
}
OPTIONAL_TABLES = ("evaluation_scores", "evaluation_indicators", "ranking_whatif")

# S&T indicators shown in the summary: (indicator, registry_or_definition) in sti_indicators
KEY_INDICATORS: tuple[tuple[str, str, str], ...] = (
    ("patents_per_10k", "万人发明专利拥有量", "as stated by the report"),
    ("high_tech_enterprises", "高新技术企业", "stock (总数)"),
    ("tech_smes", "科技型中小企业", "provincial 评价入库 (stock)"),
)

TEXT: dict[str, tuple[str, str]] = {
    "not_available": ("暂无数据", "not available"),
    "banner": (
        "⚠ 本报告部分数字来自模拟数据（{tables}），仅用于演示分析流程，不是真实统计。"
        "换用县统计局月报等真实文件后重新运行即可。",
        "⚠ Some numbers in this summary come from SIMULATED stand-ins ({tables}): they show "
        "how the analysis works and are not real statistics. Put the real files in place and "
        "re-run.",
    ),
    "no_simulated": ("本报告未使用模拟数据。", "No simulated input was used in this summary."),
    "sentence_simulated": ("【模拟数据】", "[SIMULATED] "),
    "source": ("来源", "source"),
    "h_output_cum": ("规上工业总产值(累计)", "Above-scale output (year to date)"),
    "h_growth_cum": ("累计同比增速", "Year-to-date growth"),
    "h_output_month": ("规上工业总产值(当月)", "Above-scale output (month)"),
    "h_growth_month": ("当月同比增速", "Growth of the month"),
    "h_key_output": ("重点企业累计产值", "Key enterprises: output (year to date)"),
    "h_key_growth": ("重点企业累计增速", "Key enterprises: growth"),
    "h_key_pull": ("重点企业拉动", "Key enterprises: pull"),
    "h_key_share": ("重点企业贡献率", "Key enterprises: contribution"),
    "h_projection": ("全年增速预测", "Full-year growth (projection)"),
    "h_p_target": ("完成增长目标的概率", "Probability of reaching the target"),
    "h_eval_latest": ("科技创新能力评价(最近公布)", "Innovation evaluation (latest published)"),
    "h_eval_claim": ("工作汇报所称位次", "Position claimed by the work report"),
    "h_eval_score": ("评价得分", "Evaluation score"),
    "h_whatif": ("提分空间最大的指标", "Indicator with the most headroom"),
    "h_patents_per_10k": ("万人发明专利拥有量", "Invention patents per 10 000 residents"),
    "h_high_tech_enterprises": ("高新技术企业", "High-tech enterprises"),
    "h_tech_smes": ("科技型中小企业(省评价入库)", "Tech-based SMEs (provincial register)"),
    "h_naive_ratio": ("产值÷上年公布数−1(非同比)", "Level ÷ last year's published level − 1"),
    "h_scope_factor": ("口径系数k", "Scope factor k"),
    "unit_yi": ("亿元", "hundred million yuan"),
    "unit_pp": ("个百分点", "percentage points"),
    "unit_items": ("件", "items"),
    "unit_firms": ("家", "enterprises"),
    "unit_points": ("分", "points"),
    "inferred_note": (
        "推断：汇报写于{written}，未注明轮次；按当时已公布的最近一轮(即{round}年度，"
        "{data_year}年数据)计，不是直接公布的位次。",
        "Inferred: the report (written {written}) names no round; it is taken as the latest "
        "round then published ({round}, {data_year} data), not a position stated by the "
        "province.",
    ),
}


def tx(key: str, lang: str) -> str:
    """Text of this module in ``lang`` (the summary's own sentences; labels.t for figure words)."""
    check_lang(lang)
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


# number formatting ----------------------------------------------------------------------------
def _round_half_up(x: float, decimals: int) -> Decimal:
    """四舍五入 on the decimal representation of the stored value (not on binary floats)."""
    q = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP)


def yi_text(value_wan: float) -> str:
    """万元 -> 亿元 with two decimals (96,4900 万元 -> '96.49')."""
    v = (Decimal(repr(float(value_wan))) / Decimal(10000)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return f"{v:,.2f}" if abs(v) >= 1000 else f"{v:.2f}"


def yi_display(value_wan: float, lang: str) -> str:
    """'96.49亿元' / '96.49 hundred million yuan'."""
    unit = tx("unit_yi", lang)
    return f"{yi_text(value_wan)}{unit}" if lang == "zh" else f"{yi_text(value_wan)} {unit}"


def percent_text(fraction: float, decimals: float | int | None = None) -> str:
    """A growth fraction as the magnitude of a percentage, as a work report writes it.

    ``decimals`` is what the bureau published (``growth_decimals``; one when unknown). Trailing
    zeros beyond the first decimal are dropped, the usage of the reports (20.70 -> 20.7,
    16.00 -> 16.0, 28.96 stays), so the drafted text matches the printed figures.
    """
    d = 1 if decimals is None or pd.isna(decimals) else int(decimals)
    s = f"{abs(_round_half_up(float(fraction) * 100, d)):f}"
    if "." in s:
        whole, frac = s.split(".")
        frac = frac.rstrip("0") or "0"
        s = f"{whole}.{frac}"
    return s


def signed_percent(fraction: float, decimals: float | int | None = None) -> str:
    """'20.7%' / '-3.2%': :func:`percent_text` with the sign of ``fraction`` and the % sign."""
    return f"{'-' if fraction < 0 else ''}{percent_text(fraction, decimals)}%"


def pp_text(pp: float, decimals: int = 1) -> str:
    """Percentage points with one decimal (3.9839 -> '4.0')."""
    return f"{abs(_round_half_up(pp, decimals)):f}"


def growth_phrase(fraction: float, decimals: float | int | None, lang: str) -> str:
    """'同比增长20.7%' / '同比下降3.2%' / 'up 20.7%' (a zero after rounding reads as flat)."""
    text = percent_text(fraction, decimals)
    if float(text) == 0:
        return "与上年同期持平" if lang == "zh" else "flat year on year"
    if lang == "zh":
        return f"同比{'增长' if fraction > 0 else '下降'}{text}%"
    return f"{'up' if fraction > 0 else 'down'} {text}% year on year"


def probability_text(p: float, lang: str) -> str:
    """A probability as leaders read it: '99%以上' rather than a spurious '100%'."""
    if p >= 0.995:
        return "99%以上" if lang == "zh" else "above 99%"
    if p <= 0.005:
        return "不足1%" if lang == "zh" else "below 1%"
    return f"{_round_half_up(p * 100, 0):f}%"


def area_word(county: str) -> str:
    """全县 / 全区 / 全市: how a county-level unit refers to itself in its own report."""
    for suffix in ("区", "市", "旗"):
        if county.endswith(suffix):
            return f"全{suffix}"
    return "全县"


def csv_line(index: int) -> int:
    """The 1-based line of a row in its CSV (header = line 1), from its position when read."""
    return int(index) + 2


def rows_ref(indices: Iterable[int]) -> str:
    return ";".join(str(csv_line(i)) for i in indices)


# inputs ----------------------------------------------------------------------------------------
def load_inputs(processed: Path) -> dict[str, pd.DataFrame]:
    """Every table of :data:`TABLES` that exists in ``processed`` (absent ones are left out)."""
    out = {}
    for name, dtype in TABLES.items():
        p = Path(processed) / f"{name}.csv"
        if p.is_file():
            out[name] = read_csv(p, dtype=dtype or None)
    return out


def table_simulated(df: pd.DataFrame | None, rows: Iterable[int] | None = None) -> bool:
    """Whether the (given rows of a) table come from a simulated stand-in."""
    if df is None or "simulated" not in df.columns or df.empty:
        return False
    col = df["simulated"] if rows is None else df.loc[list(rows), "simulated"]
    return bool(col.astype(str).str.lower().eq("true").any())


# headline numbers and sentences ----------------------------------------------------------------
@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: float | None
    unit: str
    display: str
    source_table: str
    source_row: str
    simulated: bool
    available: bool
    note: str = ""


@dataclass(frozen=True)
class Sentence:
    sentence_id: str
    topic: str
    text: str
    source_table: str
    source_row: str
    simulated: bool


def _missing(key: str, label_key: str, table: str, lang: str, note: str = "") -> Headline:
    return Headline(
        key, tx(label_key, lang), None, "", tx("not_available", lang), table, "", False, False, note
    )


def _found(
    key: str,
    label_key: str,
    value: float,
    unit: str,
    display: str,
    table: str,
    ref: str,
    simulated: bool,
    lang: str,
    note: str = "",
) -> Headline:
    """An available headline number: value, display text and the table rows it comes from."""
    return Headline(
        key, tx(label_key, lang), value, unit, display, table, ref, simulated, True, note
    )


@dataclass(frozen=True)
class OutputRows:
    """The bureau's rows for one release: total and key group, cumulative and month."""

    cum: pd.Series | None
    month: pd.Series | None
    key_cum: pd.Series | None
    prev_cum: pd.Series | None


def _release_row(
    industry: pd.DataFrame, year: int, month: int, span: str, group: str
) -> pd.Series | None:
    rows = industry[
        industry["latest"].astype(str).str.lower().eq("true")
        & (industry["year"] == year)
        & (industry["month"] == month)
        & (industry["span"] == span)
        & (industry["group"] == group)
        & (industry["indicator"] == OUTPUT_INDICATOR)
    ]
    if rows.empty:
        return None
    # the total scope is the widest one (a 其中 block such as 开发区 is part of it)
    return rows.loc[rows["value_wan"].idxmax()]


def output_rows(industry: pd.DataFrame | None, year: int, month: int) -> OutputRows:
    if industry is None:
        return OutputRows(None, None, None, None)
    return OutputRows(
        cum=_release_row(industry, year, month, "cumulative", TOTAL_GROUP),
        month=_release_row(industry, year, month, "month", TOTAL_GROUP),
        key_cum=_release_row(industry, year, month, "cumulative", KEY_GROUP),
        prev_cum=_release_row(industry, year - 1, month, "cumulative", TOTAL_GROUP),
    )


def key_group_name(label: str, allow_enterprise_names: bool, lang: str) -> str:
    """'重点企业(晨光、恒博、科伦等)' -> '晨光、恒博、科伦等重点企业' when names may be shown,
    else the group alone; leadership pages name enterprises only if the run allows it."""
    if lang == "en":
        return "Key enterprises"
    if allow_enterprise_names and "(" in label and label.endswith(")"):
        group, names = label[:-1].split("(", 1)
        return f"{names}{group}"
    return KEY_GROUP


def output_section(
    inputs: Mapping[str, pd.DataFrame],
    county: str,
    year: int,
    month: int,
    lang: str,
    allow_enterprise_names: bool = False,
) -> tuple[list[Headline], list[Sentence]]:
    """Output level and comparable growth (cumulative and month), key enterprises' pull."""
    industry = inputs.get("industry_monthly")
    r = output_rows(industry, year, month)
    heads: list[Headline] = []
    sents: list[Sentence] = []
    area = area_word(county)
    table = "industry_monthly"
    for row, (level_key, level_label), (growth_key, growth_label) in (
        (r.cum, ("output_cumulative_wan", "h_output_cum"), ("growth_cumulative", "h_growth_cum")),
        (r.month, ("output_month_wan", "h_output_month"), ("growth_month", "h_growth_month")),
    ):
        if row is None:
            heads += [
                _missing(level_key, level_label, table, lang),
                _missing(growth_key, growth_label, table, lang),
            ]
            continue
        i = int(row.name)
        ref, sim = rows_ref([i]), table_simulated(industry, [i])
        level, growth = row["value_wan"], row["growth"]
        heads += [
            _found(level_key, level_label, float(level), "万元", yi_display(level, lang), table,
                   ref, sim, lang),
            _found(growth_key, growth_label, float(growth), "fraction",
                   signed_percent(growth, row["growth_decimals"]), table, ref, sim, lang),
        ]  # fmt: skip
    if r.cum is not None:
        sents.append(output_sentence(r, area, month, lang, industry))

    key_heads, key_sents = key_enterprise_section(
        inputs, r, year, month, area, lang, allow_enterprise_names
    )
    return heads + key_heads, sents + key_sents


def output_sentence(
    r: OutputRows, area: str, month: int, lang: str, industry: pd.DataFrame
) -> Sentence:
    """'1-10月，全县规模以上工业总产值完成96.49亿元，同比增长20.7%，其中10月份完成产值…'"""
    c = r.cum
    span = f"1-{month}月" if month > 1 else "1月"
    idx = [int(c.name)]
    if lang == "zh":
        text = (
            f"{span}，{area}规模以上工业总产值完成{yi_text(c['value_wan'])}亿元，"
            f"{growth_phrase(c['growth'], c['growth_decimals'], lang)}"
        )
    else:
        text = (
            f"January–{_month_en(month)}: above-scale industrial output of the county reached "
            f"{yi_text(c['value_wan'])} hundred million yuan, "
            f"{growth_phrase(c['growth'], c['growth_decimals'], lang)}"
        )
    m = r.month
    if m is not None and month > 1 and pd.notna(m["value_wan"]):
        idx.append(int(m.name))
        if lang == "zh":
            text += (
                f"，其中{month}月份完成产值{yi_text(m['value_wan'])}亿元，"
                f"{growth_phrase(m['growth'], m['growth_decimals'], lang)}"
            )
        else:
            text += (
                f"; {_month_en(month)} alone {yi_text(m['value_wan'])} hundred million yuan, "
                f"{growth_phrase(m['growth'], m['growth_decimals'], lang)}"
            )
    text += "。" if lang == "zh" else "."
    return Sentence(
        "output", "output", text, "industry_monthly", rows_ref(idx), table_simulated(industry, idx)
    )


_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _month_en(month: int) -> str:
    return _MONTHS_EN[month - 1]


def key_enterprise_section(
    inputs: Mapping[str, pd.DataFrame],
    r: OutputRows,
    year: int,
    month: int,
    area: str,
    lang: str,
    allow_enterprise_names: bool,
) -> tuple[list[Headline], list[Sentence]]:
    """The key-enterprise group's output, growth, pull (拉动, pp) and contribution share."""
    contrib = inputs.get("contributions")
    keys = ("key_output_wan", "key_growth", "key_pull_pp", "key_contribution_share")
    labels = ("h_key_output", "h_key_growth", "h_key_pull", "h_key_share")
    row = None
    if contrib is not None:
        sel = contrib[
            (contrib["period"] == f"{year}-01..{month:02d}")
            & (contrib["span"] == "cumulative")
            & (contrib["group"] == KEY_GROUP)
        ]
        row = sel.iloc[0] if len(sel) else None
        if row is not None:
            row.name = sel.index[0]
    if row is None:
        return [_missing(k, lab, "contributions", lang) for k, lab in zip(keys, labels)], []
    i = int(row.name)
    ref = rows_ref([i])
    sim = table_simulated(contrib, [i])
    decimals = r.key_cum["growth_decimals"] if r.key_cum is not None else None
    label = str(r.key_cum["label"]) if r.key_cum is not None else KEY_GROUP
    pull_text = (
        f"{'-' if row['pull_pp'] < 0 else ''}{pp_text(row['pull_pp'])}"
        f"{tx('unit_pp', lang) if lang == 'zh' else ' pp'}"
    )
    shown = (
        (float(row["level_wan"]), "万元", yi_display(row["level_wan"], lang)),
        (float(row["growth"]), "fraction", signed_percent(row["growth"], decimals)),
        (float(row["pull_pp"]), "pp", pull_text),
        (
            float(row["contribution_share"]),
            "fraction",
            signed_percent(row["contribution_share"], 1),
        ),
    )
    heads = [
        _found(key, lab, value, unit, display, "contributions", ref, sim, lang)
        for key, lab, (value, unit, display) in zip(keys, labels, shown, strict=True)
    ]
    name = key_group_name(label, allow_enterprise_names, lang)
    pull = pp_text(row["pull_pp"])
    if lang == "zh":
        verb = "增长" if row["growth"] >= 0 else "下降"
        drag = "拉动" if row["pull_pp"] >= 0 else "下拉"
        text = (
            f"{name}累计完成产值{yi_text(row['level_wan'])}亿元，{verb}"
            f"{percent_text(row['growth'], decimals)}%，{drag}{area}增长{pull}个百分点。"
        )
    else:
        text = (
            f"{name} produced {yi_text(row['level_wan'])} hundred million yuan in "
            f"January–{_month_en(month)}, "
            f"{growth_phrase(row['growth'], decimals, lang)}, "
            f"{'adding' if row['pull_pp'] >= 0 else 'taking'} {pull} percentage points "
            f"{'to' if row['pull_pp'] >= 0 else 'from'} the county's growth."
        )
    return heads, [Sentence("key_enterprises", "output", text, "contributions", ref, sim)]


def projection_section(
    inputs: Mapping[str, pd.DataFrame], year: int, month: int, target_growth: float, lang: str
) -> tuple[list[Headline], list[Sentence]]:
    """Full-year projection (the model's median and 80% interval) against the growth target."""
    proj = inputs.get("projection")
    row = None
    if proj is not None:
        sel = proj[
            (proj["year"] == year)
            & (proj["through_month"] == month)
            & (proj["method"] == PROJECTION_METHOD)
        ]
        if len(sel):
            row = sel.iloc[0]
            row.name = sel.index[0]
    if row is None or pd.isna(row["growth_point"]):
        return [
            _missing("projection_growth", "h_projection", "projection", lang),
            _missing("p_reach_target", "h_p_target", "projection", lang),
        ], []
    i = int(row.name)
    ref, sim = rows_ref([i]), table_simulated(proj, [i])
    g, lo, hi = row["growth_point"], row["growth_lo80"], row["growth_hi80"]
    interval = ""
    if pd.notna(lo) and pd.notna(hi):
        interval = f"{lo * 100:.1f}%–{hi * 100:.1f}%"
    display = signed_percent(g, 1) + (
        f" ({'80%区间' if lang == 'zh' else '80% interval'} {interval})" if interval else ""
    )
    heads = [
        _found("projection_growth", "h_projection", float(g), "fraction", display, "projection",
               ref, sim, lang)
    ]  # fmt: skip
    p = row["p_reach_target"]
    if pd.notna(p):
        heads.append(
            _found("p_reach_target", "h_p_target", float(p), "probability",
                   probability_text(p, lang), "projection", ref, sim, lang,
                   note=f"target {target_growth:.1%}")
        )  # fmt: skip
    else:
        heads.append(_missing("p_reach_target", "h_p_target", "projection", lang))
    gap_pp = (g - target_growth) * 100
    point = yi_text(row["point_wan"])
    tgt = f"{float(_round_half_up(target_growth * 100, 2)):g}"  # 0.15 -> "15"
    if lang == "zh":
        rel = "高于" if gap_pp >= 0 else "低于"
        text = (
            f"按1-{month}月走势测算，预计全年规上工业总产值{point}亿元左右，"
            f"{growth_phrase(g, 1, lang)}"
            + (f"(80%预测区间{interval})" if interval else "")
            + f"，{rel}全年增长{tgt}%的目标{pp_text(gap_pp)}个百分点"
            + (f"，完成目标的概率{probability_text(p, lang)}" if pd.notna(p) else "")
            + "。"
        )
    else:
        rel = "above" if gap_pp >= 0 else "below"
        text = (
            f"On the trend of January–{_month_en(month)}, full-year above-scale output is "
            f"projected at about {point} hundred million yuan, {growth_phrase(g, 1, lang)}"
            + (f" (80% interval {interval})" if interval else "")
            + f", {pp_text(gap_pp)} percentage points {rel} the target of {tgt}%"
            + (f"; probability of reaching it {probability_text(p, lang)}" if pd.notna(p) else "")
            + "."
        )
    return heads, [Sentence("projection", "output", text, "projection", ref, sim)]


def evaluation_section(
    inputs: Mapping[str, pd.DataFrame],
    county: str,
    county_code: str,
    target_position: int,
    lang: str,
) -> tuple[list[Headline], list[Sentence]]:
    """The county's class and position as published, the work report's (inferred) claim, and
    the evaluation stand-in's score and what-if when those tables exist."""
    pos = inputs.get("ranking_published_positions")
    heads: list[Headline] = []
    sents: list[Sentence] = []
    mine = (
        pos[(pos["role"] == "county") & (pos["county_code"] == county_code)]
        if pos is not None
        else None
    )
    published = (
        mine[mine["attribution"] == "published"].sort_values("round") if mine is not None else None
    )
    if published is None or published.empty:
        heads.append(
            _missing("evaluation_latest", "h_eval_latest", "ranking_published_positions", lang)
        )
    else:
        row = published.iloc[-1]
        i = int(published.index[-1])
        heads.append(
            _found(
                "evaluation_latest",
                "h_eval_latest",
                _num(row["position"]),
                "position",
                _position_display(row, lang),
                "ranking_published_positions",
                rows_ref([i]),
                False,
                lang,
                note=str(row["source"]),
            )
        )
        sents.append(
            Sentence(
                "evaluation_latest",
                "evaluation",
                _evaluation_sentence(row, county, lang),
                "ranking_published_positions",
                rows_ref([i]),
                False,
            )
        )
    claimed = (
        mine[(mine["attribution"] == "inferred") & mine["position"].notna()].sort_values("round")
        if mine is not None
        else None
    )
    if claimed is None or claimed.empty:
        heads.append(
            _missing("evaluation_claim", "h_eval_claim", "ranking_published_positions", lang)
        )
    else:
        row = claimed.iloc[-1]
        i = int(claimed.index[-1])
        written = str(row["source"]).replace("work report written ", "")
        note = tx("inferred_note", lang).format(
            written=written, round=int(row["round"]), data_year=int(row["data_year"])
        )
        heads.append(
            _found(
                "evaluation_claim",
                "h_eval_claim",
                _num(row["position"]),
                "position",
                _position_display(row, lang) + (" *推断" if lang == "zh" else " *inferred"),
                "ranking_published_positions",
                rows_ref([i]),
                False,
                lang,
                note=note,
            )
        )
        if lang == "zh":
            text = (
                f"工作汇报称{county}县域科技创新能力“位列全省第{int(row['position'])}位"
                + (
                    f"、全市第{int(row['city_position'])}位"
                    if pd.notna(row["city_position"])
                    else ""
                )
                + f"”，{note}"
            )
        else:
            text = (
                f"The work report places {county} {_ordinal(int(row['position']))} in the "
                "province"
                + (
                    f" and {_ordinal(int(row['city_position']))} in its city"
                    if pd.notna(row["city_position"])
                    else ""
                )
                + f". {note}"
            )
        sents.append(
            Sentence(
                "evaluation_claim",
                "evaluation",
                text,
                "ranking_published_positions",
                rows_ref([i]),
                False,
            )
        )
    h, s = evaluation_score_section(inputs, county, county_code, lang)
    heads += h
    sents += s
    heads.append(whatif_headline(inputs, target_position, lang))
    return heads, sents


def _num(x: object) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _position_display(row: pd.Series, lang: str) -> str:
    """'2023年度 A类 全省第13位' — the A list is in score order, so within A it is provincial."""
    rnd, cls = int(row["round"]), str(row["class"])
    p = row["position"]
    if lang == "zh":
        where = "全省" if cls == "A" else f"{cls}类"
        return f"{rnd}年度 {cls}类" + (f" {where}第{int(p)}位" if pd.notna(p) else "")
    where = "in the province" if cls == "A" else f"within class {cls}"
    return f"{rnd}: class {cls}" + (f", {_ordinal(int(p))} {where}" if pd.notna(p) else "")


def _evaluation_sentence(row: pd.Series, county: str, lang: str) -> str:
    rnd, dy, cls = int(row["round"]), int(row["data_year"]), str(row["class"])
    p, n, cp = row["position"], row["n_in_class"], row["city_position"]
    if lang == "zh":
        text = f"在{rnd}年度全省县域科技创新能力监测评价({dy}年数据)中，{county}被评为{cls}类县"
        if pd.notna(p):
            where = "全省" if cls == "A" else f"{cls}类县中"
            text += f"，位列{where}第{int(p)}位"
        if pd.notna(n):
            text += f"(全省{cls}类县共{int(n)}个)"
        if pd.notna(cp):
            text += f"，居全市第{int(cp)}位"
        return text + "。"
    text = (
        f"In the province's {rnd} county innovation evaluation ({dy} data), {county} is class {cls}"
    )
    if pd.notna(p):
        text += f", {_ordinal(int(p))} {'in the province' if cls == 'A' else 'within its class'}"
    if pd.notna(n):
        text += f" (of {int(n)} class-{cls} units)"
    if pd.notna(cp):
        text += f", {_ordinal(int(cp))} in its city"
    return text + "."


def evaluation_score_section(
    inputs: Mapping[str, pd.DataFrame], county: str, county_code: str, lang: str
) -> tuple[list[Headline], list[Sentence]]:
    """The county's score in the latest round of ``evaluation_scores`` (when present)."""
    scores = inputs.get("evaluation_scores")
    if scores is None:
        return [_missing("evaluation_score", "h_eval_score", "evaluation_scores", lang)], []
    mine = scores[scores["county_code"] == county_code].sort_values("round")
    if mine.empty:
        return [_missing("evaluation_score", "h_eval_score", "evaluation_scores", lang)], []
    row, i = mine.iloc[-1], int(mine.index[-1])
    sim = table_simulated(scores, [i])
    ref = rows_ref([i])
    score = f"{_round_half_up(row['score'], 2):f}"
    display = f"{int(row['round'])}: {score}{tx('unit_points', lang) if lang == 'zh' else ''}"
    head = _found(
        "evaluation_score",
        "h_eval_score",
        float(row["score"]),
        "points",
        display,
        "evaluation_scores",
        ref,
        sim,
        lang,
    )
    if lang == "zh":
        text = (
            f"{int(row['round'])}年度监测评价中，{county}得分{score}分，"
            f"为{row['class']}类，位列全省第{int(row['position'])}位。"
        )
    else:
        text = (
            f"In the {int(row['round'])} evaluation {county} scored {score}, class "
            f"{row['class']}, {_ordinal(int(row['position']))} in the province."
        )
    return [head], [Sentence("evaluation_score", "evaluation", text, "evaluation_scores", ref, sim)]


def whatif_headline(
    inputs: Mapping[str, pd.DataFrame], target_position: int, lang: str
) -> Headline:
    """The indicator with the most headroom in ``ranking_whatif`` (03's indicator layer)."""
    w = inputs.get("ranking_whatif")
    if w is None or w.empty or "headroom_points" not in w.columns:
        return _missing("whatif_top", "h_whatif", "ranking_whatif", lang)
    i = int(w["headroom_points"].astype(float).idxmax())
    row = w.loc[i]
    pts = f"{_round_half_up(row['headroom_points'], 2):f}"
    display = (
        f"{row['indicator']} (尚有{pts}分空间)"
        if lang == "zh"
        else f"{row['indicator']} ({pts} points of headroom)"
    )
    return _found(
        "whatif_top",
        "h_whatif",
        float(row["headroom_points"]),
        "points",
        display,
        "ranking_whatif",
        rows_ref([i]),
        table_simulated(w, [i]),
        lang,
        note=f"target position {target_position}",
    )


def indicator_section(
    inputs: Mapping[str, pd.DataFrame], county: str, lang: str
) -> tuple[list[Headline], list[Sentence]]:
    """Key S&T indicators, the latest stated value of each (sti_indicators)."""
    sti = inputs.get("sti_indicators")
    heads: list[Headline] = []
    parts: list[str] = []
    idx: list[int] = []
    units = {"件": "unit_items", "家": "unit_firms"}
    for key, indicator, registry in KEY_INDICATORS:
        sel = (
            sti[
                (sti["indicator"] == indicator)
                & (sti["registry_or_definition"] == registry)
                & (sti["kind"] == "stated")
            ]
            if sti is not None
            else pd.DataFrame()
        )
        if sel.empty:
            heads.append(_missing(key, f"h_{key}", "sti_indicators", lang))
            continue
        sel = sel.sort_values("period")
        row, i = sel.iloc[-1], int(sel.index[-1])
        v = float(row["value"])
        shown = f"{v:g}"
        unit = tx(units[row["unit"]], lang) if row["unit"] in units else str(row["unit"])
        display = f"{shown}{unit}" if lang == "zh" else f"{shown} {unit}"
        heads.append(
            _found(
                key,
                f"h_{key}",
                v,
                str(row["unit"]),
                f"{display} ({row['period']})",
                "sti_indicators",
                rows_ref([i]),
                False,
                lang,
                note=str(row["source"]),
            )
        )
        label = tx(f"h_{key}", lang).split("(")[0].strip()
        parts.append(f"{label}{display}" if lang == "zh" else f"{label}: {display}")
        idx.append(i)
    sents: list[Sentence] = []
    if parts:
        if lang == "zh":
            text = f"{county}" + "，".join(parts) + "。"
        else:
            text = f"{county}: " + "; ".join(parts) + "."
        sents.append(
            Sentence("indicators", "indicators", text, "sti_indicators", rows_ref(idx), False)
        )
    return heads, sents


# why a level ratio is not the published growth -------------------------------------------------
@dataclass(frozen=True)
class LevelRatio:
    """This year's level over last year's published level, against the published growth."""

    year: int
    month: int
    level_wan: float
    prev_level_wan: float
    naive_growth: float
    published_growth: float
    published_decimals: float
    base_wan: float
    k: float
    rows: tuple[int, int]
    simulated: bool


def level_ratio(industry: pd.DataFrame | None, year: int, month: int) -> LevelRatio | None:
    """METHODS §1.2: C_t/C_{t-1}(published) − 1 = (1+g)·k − 1, with k = B/C_{t-1}(published).

    None when either release is missing.
    """
    r = output_rows(industry, year, month)
    if r.cum is None or r.prev_cum is None:
        return None
    c, p = float(r.cum["value_wan"]), float(r.prev_cum["value_wan"])
    g = float(r.cum["growth"])
    base = c / (1 + g)
    idx = (int(r.cum.name), int(r.prev_cum.name))
    return LevelRatio(
        year,
        month,
        c,
        p,
        c / p - 1,
        g,
        r.cum["growth_decimals"],
        base,
        base / p,
        idx,
        table_simulated(industry, idx),
    )


def level_ratio_history(industry: pd.DataFrame | None, month: int) -> pd.DataFrame:
    """The level ratio, the published growth and k for every year with both releases."""
    if industry is None:
        return pd.DataFrame(columns=["year", "naive_growth", "published_growth", "k"])
    rows = []
    for y in sorted(set(industry["year"])):
        lr = level_ratio(industry, int(y), month)
        if lr is not None:
            rows.append(
                {
                    "year": lr.year,
                    "naive_growth": lr.naive_growth,
                    "published_growth": lr.published_growth,
                    "k": lr.k,
                    "simulated": lr.simulated,
                }
            )
    return pd.DataFrame(
        rows, columns=["year", "naive_growth", "published_growth", "k", "simulated"]
    )


def level_ratio_items(lr: LevelRatio | None, lang: str) -> tuple[list[Headline], list[Sentence]]:
    """The note as two headline rows and one sentence (with numbers from the bureau table)."""
    if lr is None:
        return [
            _missing("naive_level_ratio", "h_naive_ratio", "industry_monthly", lang),
            _missing("scope_factor_k", "h_scope_factor", "industry_monthly", lang),
        ], []
    ref = rows_ref(lr.rows)
    naive = signed_percent(lr.naive_growth, 1)
    heads = [
        _found(
            "naive_level_ratio",
            "h_naive_ratio",
            lr.naive_growth,
            "fraction",
            naive,
            "industry_monthly",
            ref,
            lr.simulated,
            lang,
        ),
        _found(
            "scope_factor_k",
            "h_scope_factor",
            lr.k,
            "ratio",
            f"{lr.k:.3f}",
            "industry_monthly",
            ref,
            lr.simulated,
            lang,
        ),
    ]
    g = percent_text(lr.published_growth, lr.published_decimals)
    m = lr.month
    span = f"1-{m}月" if m > 1 else "1月"
    if lang == "zh":
        text = (
            f"说明：{lr.year}年{span}产值{yi_text(lr.level_wan)}亿元，与上年同期公布的"
            f"{yi_text(lr.prev_level_wan)}亿元直接相比{'增长' if lr.naive_growth >= 0 else '下降'}"
            f"{percent_text(lr.naive_growth, 1)}%，而公布的同比增速为{g}%。同比按同口径计算："
            f"分母是今年在库企业上年同期的产值(可比基数{yi_text(lr.base_wan)}亿元)，"
            f"而上年公布数包含此后退库、剔重的企业；两者之比即口径系数k={lr.k:.3f}。"
            "因此不能用两年公布数相除代替同比增速。"
        )
    else:
        text = (
            f"Note: output of January–{_month_en(m)} {lr.year}, {yi_text(lr.level_wan)} hundred "
            f"million yuan, is {percent_text(lr.naive_growth, 1)}% "
            f"{'above' if lr.naive_growth >= 0 else 'below'} last year's published "
            f"{yi_text(lr.prev_level_wan)}, while the published growth is {g}%. Growth is "
            "computed on a comparable basis: its base is what this year's enterprises produced "
            f"last year ({yi_text(lr.base_wan)}), whereas last year's published level still "
            "includes enterprises that have since left the register or were de-duplicated; "
            f"their ratio is the scope factor k = {lr.k:.3f}. A ratio of two published levels "
            "is therefore not the growth rate."
        )
    return heads, [
        Sentence("level_ratio_note", "note", text, "industry_monthly", ref, lr.simulated)
    ]


# the two tables ---------------------------------------------------------------------------------
HEADLINE_COLUMNS = [
    "key",
    "lang",
    "label",
    "value",
    "unit",
    "display",
    "source_table",
    "source_row",
    "simulated",
    "available",
    "note",
]
SENTENCE_COLUMNS = [
    "sentence_id",
    "topic",
    "lang",
    "text",
    "source_table",
    "source_row",
    "simulated",
]
_ROWS = pa.Check.str_matches(r"^(\d+(;\d+)*)?$")

REVIEW_HEADLINES = pa.DataFrameSchema(
    {
        "key": pa.Column(str, unique=True),
        "lang": pa.Column(str, pa.Check.isin(["zh", "en"])),
        "label": pa.Column(str, pa.Check.str_length(min_value=1)),
        "value": pa.Column(float, nullable=True),
        "unit": pa.Column(str),
        "display": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source_table": pa.Column(str, pa.Check.isin(list(TABLES))),
        "source_row": pa.Column(str, _ROWS),
        "simulated": pa.Column(bool),
        "available": pa.Column(bool),
        "note": pa.Column(str),
    },
    checks=[
        pa.Check(
            lambda d: d["available"] == (d["value"].notna() & d["source_row"].ne("")),
            error="an available headline has a value and its source row; a missing one neither",
        ),
    ],
    strict=True,
    ordered=True,
)

REVIEW_SENTENCES = pa.DataFrameSchema(
    {
        "sentence_id": pa.Column(str, unique=True),
        "topic": pa.Column(str, pa.Check.isin(["output", "evaluation", "indicators", "note"])),
        "lang": pa.Column(str, pa.Check.isin(["zh", "en"])),
        "text": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source_table": pa.Column(str, pa.Check.isin(list(TABLES))),
        "source_row": pa.Column(str, pa.Check.str_matches(r"^\d+(;\d+)*$")),
        "simulated": pa.Column(bool),
    },
    strict=True,
    ordered=True,
)


@dataclass(frozen=True)
class Review:
    headlines: pd.DataFrame
    sentences: pd.DataFrame
    level_ratio: LevelRatio | None

    @property
    def simulated_tables(self) -> list[str]:
        """The tables behind a simulated number in this summary."""
        tabs = pd.concat(
            [
                self.headlines.loc[self.headlines["simulated"], "source_table"],
                self.sentences.loc[self.sentences["simulated"], "source_table"],
            ]
        )
        return sorted(set(tabs))


def build_review(
    inputs: Mapping[str, pd.DataFrame],
    *,
    county: str,
    county_code: str,
    year: int,
    through_month: int,
    target_growth: float,
    target_position: int,
    lang: str = "zh",
    allow_enterprise_tables: bool = False,
) -> Review:
    """Headline numbers and drafted sentences of the summary, in ``lang``."""
    check_lang(lang)
    heads: list[Headline] = []
    sents: list[Sentence] = []
    for h, s in (
        output_section(inputs, county, year, through_month, lang, allow_enterprise_tables),
        projection_section(inputs, year, through_month, target_growth, lang),
        evaluation_section(inputs, county, county_code, target_position, lang),
        indicator_section(inputs, county, lang),
    ):
        heads += h
        sents += s
    lr = level_ratio(inputs.get("industry_monthly"), year, through_month)
    h, s = level_ratio_items(lr, lang)
    heads += h
    sents += s
    hdf = pd.DataFrame([{**asdict(x), "lang": lang} for x in heads], columns=HEADLINE_COLUMNS)
    hdf["value"] = hdf["value"].astype(float)
    hdf["simulated"] = hdf["simulated"].astype(bool)
    hdf["available"] = hdf["available"].astype(bool)
    sdf = pd.DataFrame([{**asdict(x), "lang": lang} for x in sents], columns=SENTENCE_COLUMNS)
    sdf["simulated"] = sdf["simulated"].astype(bool)
    return Review(hdf, sdf, lr)


# claims and figures --------------------------------------------------------------------------
CLAIM_STATUSES = ("reproduced", "consistent", "contradicted", "calibrated", "stated_only")


def claim_counts(claims: pd.DataFrame | None, lang: str) -> pd.DataFrame:
    """Figures of the work report by status (every status listed, zeros included)."""
    counts = (
        claims["status"].value_counts() if claims is not None else pd.Series(dtype=int)
    ).reindex(list(CLAIM_STATUSES), fill_value=0)
    return pd.DataFrame(
        {
            "status": list(CLAIM_STATUSES),
            "label": [t(f"status_{s}", lang) for s in CLAIM_STATUSES],
            "count": counts.astype(int).tolist(),
        }
    )


def claims_list(claims: pd.DataFrame | None) -> pd.DataFrame:
    cols = [
        "figure_id",
        "indicator_zh",
        "stated_value",
        "unit",
        "status",
        "recomputed_value",
        "simulated",
    ]
    if claims is None:
        return pd.DataFrame(columns=cols)
    return claims[cols].reset_index(drop=True)


def figure_set(figures_dir: Path, lang: str, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """Every figure of the run's notebooks (their own manifests), captioned in ``lang``.

    Read from ``figures/<notebook>/manifest.csv`` rather than the merged manifest, which the
    runner writes only after all notebooks finished.
    """
    from analysis.figures.manifest import MANIFEST_NAME, read_manifest

    parts = [
        read_manifest(p)
        for p in sorted(Path(figures_dir).glob(f"*/{MANIFEST_NAME}"))
        if p.parent.name not in set(exclude)
    ]
    cols = ["figure_id", "title", "caption", "sources", "simulated", "png"]
    if not parts:
        return pd.DataFrame(columns=cols)
    m = pd.concat(parts, ignore_index=True).sort_values("figure_id").reset_index(drop=True)
    return pd.DataFrame(
        {
            "figure_id": m["figure_id"],
            "title": m[f"title_{lang}"],
            "caption": m[f"caption_{lang}"],
            "sources": m["sources"],
            "simulated": m["simulated"].astype(bool),
            "png": m["png"],
        }
    )


# HTML for the leadership page --------------------------------------------------------------------
def _e(x: object) -> str:
    return html.escape(str(x), quote=True)


def banner_html(simulated_tables: list[str], lang: str) -> str:
    """The notice at the top of the summary: red when simulated inputs were used."""
    if not simulated_tables:
        return f'<p style="color:#2e7d32">{_e(tx("no_simulated", lang))}</p>'
    text = tx("banner", lang).format(tables=", ".join(simulated_tables))
    return (
        '<div class="simulated-banner" style="border:2px solid #d62728;background:#fdecea;'
        f'color:#8b1a1a;padding:8px 12px;margin:8px 0;font-weight:bold">{_e(text)}</div>'
    )


def headlines_html(headlines: pd.DataFrame, lang: str) -> str:
    """Headline numbers as a list of cards that wraps on a phone."""
    cards = []
    for _, h in headlines.iterrows():
        sim = (
            f'<div style="color:#d62728;font-size:0.85em">{_e(t("simulated", lang))}</div>'
            if h["simulated"]
            else ""
        )
        src = f"{h['source_table']}.csv" + (
            f" {'行' if lang == 'zh' else 'line'} {h['source_row']}" if h["source_row"] else ""
        )
        color = "#222" if h["available"] else "#888"
        cards.append(
            '<div style="flex:1 1 150px;min-width:0;border:1px solid #ddd;border-radius:6px;'
            'padding:6px 10px">'
            f'<div style="font-size:0.85em;color:#555">{_e(h["label"])}</div>'
            f'<div style="font-size:1.2em;font-weight:bold;color:{color};'
            f'overflow-wrap:anywhere">{_e(h["display"])}</div>{sim}'
            f'<div style="font-size:0.75em;color:#777;overflow-wrap:anywhere">'
            f"{_e(tx('source', lang))}: {_e(src)}</div></div>"
        )
    return f'<div style="display:flex;flex-wrap:wrap;gap:8px">{"".join(cards)}</div>'


def sentences_html(sentences: pd.DataFrame, lang: str) -> str:
    """The drafted sentences, each with its source and a mark when simulated."""
    items = []
    for _, s in sentences.iterrows():
        mark = (
            f'<strong style="color:#d62728">{_e(tx("sentence_simulated", lang))}</strong>'
            if s["simulated"]
            else ""
        )
        items.append(
            f"<li style='margin-bottom:6px'>{mark}{_e(s['text'])}"
            f"<br><small style='color:#777'>{_e(tx('source', lang))}: "
            f"{_e(s['source_table'])}.csv {'行' if lang == 'zh' else 'line'} "
            f"{_e(s['source_row'])}</small></li>"
        )
    return f"<ol>{''.join(items)}</ol>"


def figure_html(figures_dir: Path, row: pd.Series, lang: str) -> str:
    """One figure (inline PNG, offline) with its caption, source and simulated mark."""
    data = base64.b64encode((Path(figures_dir) / row["png"]).read_bytes()).decode()
    sim = f' <strong style="color:#d62728">({_e(t("simulated", lang))})</strong>'
    return (
        f"<figure style='margin:12px 0'><figcaption><strong>{_e(row['figure_id'])} "
        f"{_e(row['title'])}</strong>{sim if row['simulated'] else ''}</figcaption>"
        f"<img src='data:image/png;base64,{data}' alt='{_e(row['title'])}' "
        "style='max-width:100%;height:auto'>"
        f"<p style='font-size:0.9em'>{_e(row['caption'])}<br><small style='color:#777'>"
        f"{_e(t('source', lang))}: {_e(row['sources'])}</small></p></figure>"
    )


def level_ratio_frame(history: pd.DataFrame) -> pd.DataFrame:
    """The level-ratio history for display (percent and k)."""
    if history.empty:
        return history
    return pd.DataFrame(
        {
            "year": history["year"],
            "published_growth_%": np.round(history["published_growth"] * 100, 2),
            "level_ratio_%": np.round(history["naive_growth"] * 100, 2),
            "k": np.round(history["k"], 4),
            "simulated": history["simulated"],
        }
    )
