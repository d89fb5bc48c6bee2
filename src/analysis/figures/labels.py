"""The one translation table for words that recur on figures and tables.

Figures are Chinese by default and English with ``lang: en`` (run parameters). Putting every
recurring axis, legend and unit word here keeps the two languages in step: a notebook writes
``t("round", lang)`` instead of a literal, so switching the run's language switches every figure,
and a missing translation fails loudly instead of leaving a Chinese word on an English figure.
"""

from __future__ import annotations

import difflib

LANGS: tuple[str, ...] = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {
    # axes and legends
    "round": ("评价轮次", "Evaluation round"),
    "data_year": ("数据年份", "Data year"),
    "year": ("年份", "Year"),
    "month": ("月份", "Month"),
    "period": ("时期", "Period"),
    "position": ("位次", "Position"),
    "score": ("得分", "Score"),
    "mean_score": ("平均得分", "Mean score"),
    "count_units": ("县(市、区)数", "Number of county-level units"),
    "class": ("类别", "Class"),
    "class_A": ("A类", "Class A"),
    "class_B": ("B类", "Class B"),
    "class_C": ("C类", "Class C"),
    "county": ("本县", "This county"),
    "province": ("全省", "Province"),
    "city": ("全市", "City"),
    "growth": ("增速", "Growth"),
    "growth_cumulative": ("累计增速", "Cumulative growth"),
    "growth_month": ("当月增速", "Monthly growth"),
    "contribution_rate": ("贡献率", "Contribution rate"),
    "pull_pp": ("拉动(百分点)", "Pull (percentage points)"),
    "target": ("目标", "Target"),
    "actual": ("实际", "Actual"),
    "projection": ("预测", "Projection"),
    "indicator": ("指标", "Indicator"),
    # output growth (02)
    "output_month_yi": ("当月产值(亿元)", "Monthly output (100 million yuan)"),
    "cumulative_output": ("累计产值", "Cumulative output"),
    "origin_year": ("预测起点年份", "Forecast origin (year)"),
    "ape_percent": ("全年预测绝对百分比误差(%)", "Absolute % error of the full-year forecast"),
    "method_model_sarimax": ("SARIMAX模型(含春节因素)", "SARIMAX with festival"),
    "method_seasonal_naive": ("季节朴素法", "Seasonal naive"),
    "method_carry_forward": ("累计增速外推", "YTD growth carried forward"),
    "method_ytd_share": ("累计占比法", "YTD share of the year"),
    "growth_error_pp": ("全年增速预测误差(百分点)", "Error of full-year growth (pp)"),
    "rounding_band": ("按公布位数的取值区间", "Range allowed by published rounding"),
    # provenance and status marks
    "simulated": ("模拟数据 · 非真实统计", "SIMULATED DATA — not real statistics"),
    "derived": ("推算", "derived"),
    "published": ("公布值", "published"),
    "source": ("资料来源", "Source"),
    "not_published": ("未公布", "not published"),
    # units (display only: the pipeline keeps one unit per quantity)
    "unit_yi_yuan": ("亿元", "100 million yuan"),
    "unit_wan_yuan": ("万元", "10,000 yuan"),
    "unit_percent": ("%", "%"),
    "unit_pp": ("百分点", "percentage points"),
    "unit_items": ("件", "items"),
    "unit_enterprises": ("家", "enterprises"),
    "unit_persons": ("人", "persons"),
    # S&T indicators and platforms (04_sti_indicators)
    "level_national": ("国家级", "National"),
    "level_provincial": ("省级", "Provincial"),
    "level_municipal": ("市级", "Municipal"),
    "level_not_stated": ("级别未说明", "Level not stated"),
    "kind_laboratory": ("实验室", "laboratory"),
    "kind_technology_centre": ("技术(创新)中心", "technology centre"),
    "kind_research_institute": ("产业技术研究院", "research institute"),
    "kind_innovation_alliance": ("创新战略联盟", "innovation alliance"),
    "kind_incubator_maker_space": ("孵化器/众创空间/星创天地", "incubator / maker space"),
    "kind_popular_science_base": ("科普基地", "popular-science base"),
    "kind_workstation": ("工作站", "workstation"),
    "kind_cooperation_base": ("国际合作基地", "cooperation base"),
    "status_reproduced": ("已复现", "reproduced"),
    "status_consistent": ("与其他公布数一致", "consistent"),
    "status_contradicted": ("与其他数据矛盾", "contradicted"),
    "status_calibrated": ("仅有校准的模拟数据", "calibrated (stand-in only)"),
    "status_stated_only": ("无数据可核", "stated only"),
    # 03 innovation ranking (published layer and structural drivers)
    "class_B_plus_C": ("B+C类", "Classes B+C"),
    "inferred": ("推断", "inferred"),
    "inferred_mark": ("* 推断(非直接公布)", "* inferred (not stated directly)"),
    "mean_score_short": ("均分", "mean"),
    "in_top_list": ("进入前{n}位", "In the top {n}"),
    "not_in_top_list": ("未进入前{n}位", "Not in the top {n}"),
    "fitted_probability": ("拟合概率(Logit)", "Fitted probability (logit)"),
    "marginal_effect": (
        "平均边际效应(概率变化)",
        "Average marginal effect (change in probability)",
    ),
    "model_logit": ("Logit", "Logit"),
    "model_probit": ("Probit", "Probit"),
    "term_urban_share_2020": ("城镇人口比重(2020)", "Urban share (2020)"),
    "term_tertiary_share_2020": ("大专及以上人口比重(2020)", "Tertiary-educated share (2020)"),
    "term_log_population_2020": ("常住人口(对数,2020)", "Population (log, 2020)"),
    "term_age_0_14_share_2020": ("0-14岁人口比重(2020)", "Share aged 0-14 (2020)"),
    "term_age_65_plus_share_2020": ("65岁及以上人口比重(2020)", "Share aged 65+ (2020)"),
    "term_industry_share_2020": ("工业就业比重(2020)", "Industry employment share (2020)"),
    "term_pop_change": ("人口变化(2010-2020)", "Population change (2010-2020)"),
    "term_is_district": ("市辖区(相对县、县级市)", "District (vs county or city)"),
    "term_region_north": ("冀北(相对冀中)", "North (vs central)"),
    "term_region_south": ("冀南(相对冀中)", "South (vs central)"),
    # 03 innovation ranking (indicator layer: what-if)
    "qualitative_points": ("定性指标(创新管理)", "Qualitative (innovation management)"),
    "reconstruction_residual": ("重构残差", "Reconstruction residual"),
    "target_ahead": ("目标县领先", "Target unit ahead"),
    "county_ahead": ("本县领先", "This county ahead"),
    "rank_gained": (
        "单项指标达到满分可前进的位次",
        "Places gained if this indicator alone reaches its maximum",
    ),
    "headroom_label": ("+{:.2f}分", "+{:.2f} pts"),
    "headroom_none": ("已满分", "at maximum"),
    "headroom_note": (
        "条末数字：该指标距满分的可提升分数",
        "Number at each bar: points the indicator can still gain",
    ),
    "mode_own_report": ("本县报告+公布名单", "Own report + published lists"),
    "mode_full_table": ("全省完整表", "Full provincial table"),
    # 05 annual review
    "published_growth": ("公布的同比增速(同口径)", "Published growth (comparable basis)"),
    "level_ratio": ("产值÷上年公布数−1", "Level ÷ last year's published level − 1"),
    "scope_factor_k": ("口径系数k", "Scope factor k"),
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported; a typo in the run parameters should stop the run early."""
    if lang not in LANGS:
        raise ValueError(f"Unknown language {lang!r}: use one of {', '.join(LANGS)}.")
    return lang


def t(key: str, lang: str = "zh") -> str:
    """The label for ``key`` in ``lang``; unknown keys raise KeyError suggesting near matches."""
    check_lang(lang)
    try:
        zh, en = LABELS[key]
    except KeyError:
        close = difflib.get_close_matches(key, LABELS, n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise KeyError(
            f"No label {key!r} in analysis.figures.labels.LABELS.{hint} "
            "Add it there with its Chinese and English text."
        ) from None
    return zh if lang == "zh" else en
