"""The one translation table: every word, label and sentence shown in either language.

Figures and the leadership summary are Chinese by default and English with ``lang: en`` (run
parameters). Putting every recurring axis, legend and unit word here, and every headline label
and drafted sentence of the summary (as a template with named fields), keeps the two languages
in step: code writes ``t("round", lang)`` instead of a literal, so switching the run's language
switches every figure and sentence, and a missing translation fails loudly instead of leaving a
Chinese word on an English page.
"""

from __future__ import annotations

import difflib

from analysis.figures.labels_pages import PAGE_LABELS
from analysis.figures.labels_site import SITE_LABELS

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
    "count_units": ("县（市、区）数", "Number of county-level units"),
    "class": ("类别", "Class"),
    "class_A": ("A类", "Class A"),
    "class_B": ("B类", "Class B"),
    "class_C": ("C类", "Class C"),
    "county": ("本县", "This county"),
    "group_key": ("重点企业", "Key enterprises"),
    "group_others": ("其他企业", "Other enterprises"),
    "group_total": ("全县合计", "County total"),
    "province": ("全省", "Province"),
    "city": ("全市", "City"),
    "growth": ("增速", "Growth"),
    "growth_cumulative": ("累计增速", "Cumulative growth"),
    "growth_month": ("当月增速", "Monthly growth"),
    "contribution_rate": ("贡献率", "Contribution rate"),
    "pull_pp": ("拉动（百分点）", "Pull (percentage points)"),
    "target": ("目标", "Target"),
    "actual": ("实际", "Actual"),
    "projection": ("预测", "Projection"),
    "indicator": ("指标", "Indicator"),
    # output growth (02)
    "output_month_yi": ("当月产值（亿元）", "Monthly output (100 million yuan)"),
    "cumulative_output": ("累计产值", "Cumulative output"),
    "cumulative_output_yi": ("累计产值（亿元）", "Cumulative output (100 million yuan)"),
    "growth_month_percent": ("当月同比增速（%）", "Growth of the month (%)"),
    "calendar_month": ("月份", "Month"),
    "month_share_of_year_mean": (
        "当月产值相当于当年月均的百分比（%）",
        "Month's output as % of the year's monthly mean",
    ),
    "full_year_growth_percent": ("全年增速预测（%）", "Full-year growth, projected (%)"),
    "interval_95": ("95%区间", "95% interval"),
    "target_value": ("目标{pct}%", "target {pct}%"),
    "origin_year": ("预测起点年份", "Forecast origin (year)"),
    "ape_percent": ("全年预测绝对百分比误差（%）", "Absolute % error of the full-year forecast"),
    "method_model_sarimax": ("SARIMAX模型（含春节因素）", "SARIMAX with festival"),
    "method_seasonal_naive": ("季节朴素法", "Seasonal naive"),
    "method_carry_forward": ("累计增速外推", "YTD growth carried forward"),
    "method_ytd_share": ("累计占比法", "YTD share of the year"),
    "growth_error_pp": ("全年增速预测误差（百分点）", "Error of full-year growth (pp)"),
    "rounding_band": ("按公布位数的取值区间", "Range allowed by published rounding"),
    # provenance and status marks
    "simulated": ("模拟数据 · 非真实统计", "SIMULATED DATA — not real statistics"),
    "derived": ("推算", "derived"),
    "published": ("公布值", "published"),
    "source": ("资料来源", "Source"),
    "not_published": ("未公布", "not published"),
    "publisher_work_report": ("县科技兴县改革工作汇报", "the county's S&T work report"),
    "publisher_news": ("政府网站与新闻报道", "government websites and news reports"),
    "publisher_census": ("第七次全国人口普查", "the 2020 population census"),
    "list_separator_short": ("、", ", "),
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
    "kind_technology_centre": ("技术（创新）中心", "technology centre"),
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
    # registries and definitions of the S&T indicators: the English is the value stored in
    # sti_indicators.registry_or_definition (analysis.indicators.INDICATOR_SPECS)
    **{
        f"definition_{en}": (zh, en)
        for en, zh in {
            "stock (总数)": "总数",
            "applications in the year": "当年申报",
            "certified in the year's first batch": "当年第一批认定",
            "provincial 评价入库 (stock)": "省级评价入库（总数）",
            "provincial, recognised in the year": "当年认定（省级）",
            "national registry, recognised in the year": "当年认定（国家级）",
            "national registry (stock)": "国家级入库（总数）",
            "granted, stock": "授权量（存量）",
            "as stated by the report": "报告所述",
            "computed: patents / 2020 census population × 10 000": "按普查人口计算",
            "stock": "存量",
            "net increase on the year before": "较上年净增",
            "level": "金额",
            "growth on the year before": "同比增长",
            "PhD/master-level recruited, cumulative": "引进博硕人才（累计）",
            "bachelor-and-above recruited in the year": "当年引进本科及以上人才",
        }.items()
    },
    # 03 innovation ranking (published layer and structural drivers)
    "class_B_plus_C": ("B+C类", "Classes B+C"),
    "inferred": ("推断", "inferred"),
    "inferred_mark": ("* 推断（非直接公布）", "* inferred (not stated directly)"),
    "mean_score_short": ("均分", "mean"),
    "in_top_list": ("进入前{n}位", "In the top {n}"),
    "not_in_top_list": ("未进入前{n}位", "Not in the top {n}"),
    "fitted_probability": ("拟合概率（Logit）", "Fitted probability (logit)"),
    "marginal_effect": (
        "平均边际效应（概率变化）",
        "Average marginal effect (change in probability)",
    ),
    "model_logit": ("Logit", "Logit"),
    "model_probit": ("Probit", "Probit"),
    "term_urban_share_2020": ("城镇人口比重（2020）", "Urban share (2020)"),
    "term_tertiary_share_2020": ("大专及以上人口比重（2020）", "Tertiary-educated share (2020)"),
    "term_log_population_2020": ("常住人口（对数，2020）", "Population (log, 2020)"),
    "term_age_0_14_share_2020": ("0-14岁人口比重（2020）", "Share aged 0-14 (2020)"),
    "term_age_65_plus_share_2020": ("65岁及以上人口比重（2020）", "Share aged 65+ (2020)"),
    "term_industry_share_2020": ("工业就业比重（2020）", "Industry employment share (2020)"),
    "term_pop_change": ("人口变化（2010-2020）", "Population change (2010-2020)"),
    "term_is_district": ("市辖区（相对县、县级市）", "District (vs county or city)"),
    "term_region_north": ("冀北（相对冀中）", "North (vs central)"),
    "term_region_south": ("冀南（相对冀中）", "South (vs central)"),
    # 03 innovation ranking (indicator layer: what-if)
    "qualitative_points": ("定性指标（创新管理）", "Qualitative (innovation management)"),
    "reconstruction_residual": ("重构残差", "Reconstruction residual"),
    "county_behind": ("本县落后（拉大差距）", "This county behind (widens the gap)"),
    "county_ahead": ("本县领先（缩小差距）", "This county ahead (narrows the gap)"),
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
    "published_growth": ("公布的同比增速（同口径）", "Published growth (comparable basis)"),
    "level_ratio": ("两年公布数直接相比", "Ratio of the published levels − 1"),
    "scope_factor_k": ("可比基数÷上年公布数", "Comparable base ÷ last year's level"),
    "scope_factor_short": ("可比基数÷\n上年公布数", "comparable base ÷\nlast year's level"),
    "growth_percent": ("增速（%）", "Growth (%)"),
    # 05 annual review: notices and marks
    "not_available": ("暂无数据", "not available"),
    "simulated_banner": (
        "⚠ 本报告部分数字来自模拟数据（{tables}），仅用于演示分析流程，不是真实统计。"
        "换用县统计局月报等真实文件后重新运行即可。",
        "⚠ Some numbers in this summary come from SIMULATED stand-ins ({tables}): they show "
        "how the analysis works and are not real statistics. Put the real files in place and "
        "re-run.",
    ),
    "no_simulated": ("本报告未使用模拟数据。", "No simulated input was used in this summary."),
    "no_bureau_releases": ("暂无{county}的统计局月报数据", "No bureau releases for {county}"),
    "simulated_sentence_mark": ("【模拟数据】", "[SIMULATED] "),
    "source_short": ("来源", "source"),
    "csv_line": ("行", "line"),
    # 05 annual review: headline labels
    "headline_output_cum": ("规上工业总产值（累计）", "Above-scale output (year to date)"),
    "headline_growth_cum": ("累计同比增速", "Year-to-date growth"),
    "headline_output_month": ("规上工业总产值（当月）", "Above-scale output (month)"),
    "headline_growth_month": ("当月同比增速", "Growth of the month"),
    "headline_key_output": ("重点企业累计产值", "Key enterprises: output (year to date)"),
    "headline_key_growth": ("重点企业累计增速", "Key enterprises: growth"),
    "headline_key_pull": ("重点企业拉动", "Key enterprises: pull"),
    "headline_key_share": ("重点企业贡献率", "Key enterprises: contribution"),
    "headline_projection": ("全年增速预测", "Full-year growth (projection)"),
    "headline_p_target": ("完成增长目标的概率", "Probability of reaching the target"),
    "headline_eval_latest": (
        "科技创新能力评价（最近公布）",
        "Innovation evaluation (latest published)",
    ),
    "headline_eval_claim": ("工作汇报所称位次", "Position claimed by the work report"),
    "headline_eval_score": ("评价得分", "Evaluation score"),
    "headline_whatif": ("提分空间最大的指标", "Indicator with the most headroom"),
    "headline_patents_per_10k": ("万人发明专利拥有量", "Invention patents per 10 000 residents"),
    "headline_high_tech_enterprises": ("高新技术企业", "High-tech enterprises"),
    "headline_tech_smes": ("科技型中小企业（省评价入库）", "Tech-based SMEs (provincial register)"),
    "headline_naive_ratio": (
        "两年公布数直接相比（非同比）",
        "Level ÷ last year's published level − 1",
    ),
    # 05 annual review: numbers as written in a work report ({fields} filled by analysis.review)
    "amount_yi": ("{yi}亿元", "{yi} hundred million yuan"),
    "amount_pp": ("{pp}个百分点", "{pp} pp"),
    "amount_unit": ("{value}{unit}", "{value} {unit}"),
    "labelled_value": ("{label}{value}", "{label}: {value}"),
    "value_in_period": ("{value}（{period}年）", "{value} ({period})"),
    "growth_up": ("同比增长{pct}%", "up {pct}% year on year"),
    "growth_down": ("同比下降{pct}%", "down {pct}% year on year"),
    "growth_flat": ("与上年同期持平", "flat year on year"),
    "probability_above_99": ("99%以上", "above 99%"),
    "probability_below_1": ("不足1%", "below 1%"),
    "interval_80": ("80%区间", "80% interval"),
    "score_display": ("{round}年度：{score}分", "{round}: {score}"),
    "headroom_display": (
        "{indicator}（尚有{points}分空间）",
        "{indicator} ({points} points of headroom)",
    ),
    "span_months": ("1-{month}月", "January–{month_en}"),
    "span_first_month": ("1月", "January–{month_en}"),
    "full_stop": ("。", "."),
    "list_separator": ("，", "; "),
    # 05 annual review: drafted sentences and their optional parts
    "sentence_output": (
        "{span}，{area}规模以上工业总产值完成{level}亿元，{growth}",
        "{span}: above-scale industrial output of the county reached {level} hundred million "
        "yuan, {growth}",
    ),
    "sentence_output_month": (
        "，其中{month}月份完成产值{level}亿元，{growth}",
        "; {month_en} alone {level} hundred million yuan, {growth}",
    ),
    "sentence_key_enterprises": (
        "{name}累计完成产值{level}亿元，{change}，{pull}。",
        "{name} produced {level} hundred million yuan in January–{month_en}, {change}, {pull}.",
    ),
    "key_change_up": ("增长{pct}%", "up {pct}% year on year"),
    "key_change_down": ("下降{pct}%", "down {pct}% year on year"),
    "pull_up": (
        "拉动{area}增长{pp}个百分点",
        "adding {pp} percentage points to the county's growth",
    ),
    "pull_down": (
        "下拉{area}增长{pp}个百分点",
        "taking {pp} percentage points from the county's growth",
    ),
    "sentence_projection": (
        "按1-{month}月走势测算{method}，预计全年规上工业总产值{point}亿元左右，{growth}{interval}，"
        "{relation}全年增长{target}%的目标{gap}个百分点{probability}。",
        "On the trend of January–{month_en}{method}, full-year above-scale output is projected at "
        "about {point} hundred million yuan, {growth}{interval}, {gap} percentage points "
        "{relation} the target of {target}%{probability}.",
    ),
    "projection_method": (
        "（采用{method}，该方法在历年回测中全年增速误差最小）",
        " (by the {method} method, the one with the smallest full-year growth error in past years)",
    ),
    "projection_display": ("{growth}（{interval}{method}）", "{growth} ({interval}{method})"),
    "projection_display_interval": ("80%区间{interval}；", "80% interval {interval}; "),
    "projection_interval": ("（80%预测区间{interval}）", " (80% interval {interval})"),
    "projection_probability": ("，完成目标的概率{p}", "; probability of reaching it {p}"),
    "target_above": ("高于", "above"),
    "target_below": ("低于", "below"),
    "position_round": ("{round}年度{cls}类", "{round}: class {cls}"),
    "position_in_province": ("，全省第{position}位", ", {position_ord} in the province"),
    "position_in_class": ("，{cls}类第{position}位", ", {position_ord} within class {cls}"),
    "sentence_evaluation": (
        "在{round}年度全省县域科技创新能力监测评价（{data_year}年数据）中，{county}被评为{cls}类县"
        "{position}{count}{city}。",
        "In the province's {round} county innovation evaluation ({data_year} data), {county} is "
        "class {cls}{position}{count}{city}.",
    ),
    "evaluation_in_province": ("，位列全省第{position}位", ", {position_ord} in the province"),
    "evaluation_in_class": ("，位列{cls}类县中第{position}位", ", {position_ord} within its class"),
    "evaluation_class_size": ("（全省{cls}类县共{n}个）", " (of {n} class-{cls} units)"),
    "evaluation_in_city": ("，居全市第{position}位", ", {position_ord} in its city"),
    "sentence_claim": (
        "工作汇报称{county}县域科技创新能力“位列全省第{position}位{city}”，{note}",
        "The work report places {county} {position_ord} in the province{city}. {note}",
    ),
    "claim_in_city": ("、全市第{position}位", " and {position_ord} in its city"),
    "inferred_note": (
        "推断：汇报写于{written}，未注明轮次；按当时已公布的最近一轮（即{round}年度，"
        "{data_year}年数据）计，不是直接公布的位次。",
        "Inferred: the report (written {written}) names no round; it is taken as the latest "
        "round then published ({round}, {data_year} data), not a position stated by the "
        "province.",
    ),
    "sentence_score": (
        "{round}年度监测评价中，{county}得分{score}分，为{cls}类，位列全省第{position}位。",
        "In the {round} evaluation {county} scored {score}, class {cls}, {position_ord} in the "
        "province.",
    ),
    "sentence_indicators": ("{county}{items}。", "{county}: {items}."),
    "sentence_level_ratio": (
        "说明：{year}年{span}产值{level}亿元，与上年同期公布的{previous}亿元直接相比{direction}"
        "{naive}%，而公布的同比增速为{growth}%。同比按同口径计算：分母是今年在库企业上年同期的产值"
        "（可比基数{base}亿元），而上年公布数还包括此后退库、剔重的企业，可比基数只有上年公布数的"
        "{k}倍。因此不能用两年公布数相除代替同比增速。",
        "Note: output of {span} {year}, {level} hundred million yuan, is {naive}% {direction} "
        "last year's published {previous}, while the published growth is {growth}%. Growth is "
        "computed on a comparable basis: its base is what this year's enterprises produced last "
        "year ({base}), whereas last year's published level still includes enterprises that "
        "have since left the register or were de-duplicated: the comparable base is {k} times "
        "last year's published level. A ratio of two published levels is therefore not the "
        "growth rate.",
    ),
    "level_ratio_above": ("增长", "above"),
    "level_ratio_below": ("下降", "below"),
    "region_河北省": ("河北省", "Hebei"),
    "region_全国": ("全国", "the country"),
    # the office's own formats (analysis.office): the Word draft and the Excel tables
    "office_title": (
        "{county}{year}年科技兴县改革工作汇报",
        "{county}: annual review of the science-and-technology reform, {year}",
    ),
    "office_subtitle": ("（数据部分）", "(data sections)"),
    "office_table_source": (
        "资料来源：data/processed/review_headlines.csv（各行所据数据表及行号见Excel表“主要指标”）。",
        "Source: data/processed/review_headlines.csv (the table and row behind each number: "
        "Excel sheet Headline numbers).",
    ),
    "office_draft": ("初稿", "Draft"),
    "office_vintage": (
        "数据截至{year}年{month}月（{year}年{span}）",
        "Data to {month_en} {year} ({span} {year})",
    ),
    "office_figures": ("图表", "figures"),
    "office_draft_note": (
        "本稿由分析流程根据处理后的数据表自动生成，供办公室修改；数字按统计局公布的位数表述，"
        "每段、每图、每表标注来源。",
        "Drafted by the analysis from its processed tables for the office to edit; numbers keep "
        "the bureau's published decimals and every paragraph, figure and table names its source.",
    ),
    "office_section_headlines": ("主要指标", "Headline numbers"),
    "office_section_output": ("规模以上工业运行情况", "Above-scale industry"),
    "office_section_evaluation": ("县域科技创新能力评价", "County innovation evaluation"),
    "office_section_indicators": ("科技创新主要指标", "Science and technology indicators"),
    "office_section_note": ("口径说明", "Notes on definitions"),
    "office_section_other": ("其他图表", "Other figures"),
    "office_sub_text": ("主要情况", "Main points"),
    "office_sub_figures": ("相关图表", "Figures"),
    "office_figure_caption": ("图{n} {title}", "Figure {n}. {title}"),
    "office_figure_source": ("资料来源：{sources}", "Source: {sources}"),
    "office_table_caption": ("表{n} {title}", "Table {n}. {title}"),
    "office_sentence_source": ("（来源：{table}，第{rows}行）", " (source: {table}, row {rows})"),
    "office_col_no": ("序号", "No."),
    "office_col_item": ("指标", "Item"),
    "office_col_value": ("数值", "Value"),
    "office_col_unit": ("单位", "Unit"),
    "office_col_display": ("表述(按公布位数)", "As written (published decimals)"),
    "office_col_source": ("来源表", "Source table"),
    "office_col_source_row": ("来源行", "Source row"),
    "office_col_simulated": ("模拟数据", "Simulated"),
    "office_col_note": ("备注", "Note"),
    "office_yes": ("是", "yes"),
    "office_no": ("否", "no"),
    "office_unit_place": ("位", "place"),
    "office_unit_points": ("分", "points"),
    "office_unit_ratio": ("比值", "ratio"),
    "office_sheet_note_simulated": (
        "注：“模拟数据”列为“是”的行来自模拟的替代文件，不是真实统计；换用真实文件后重新运行即可。",
        "Note: rows marked 'yes' under Simulated come from simulated stand-ins, not real "
        "statistics; put the real files in place and re-run.",
    ),
    "office_sheet_note_real": (
        "注：本表各行均未使用模拟数据。",
        "Note: no row of this sheet rests on simulated data.",
    ),
    "office_sheet_sources": ("来源", "Sources"),
    "office_col_sheet": ("工作表", "Sheet"),
    "office_col_table": ("数据表(文件)", "Table (file)"),
    "office_col_file": ("文件", "File"),
    "office_col_url": ("来源网址", "Source URL"),
    "office_col_publisher": ("发布者", "Publisher"),
    "office_col_licence": ("许可", "Licence"),
    "office_col_collected": ("收集日期", "Collected"),
    "office_sheet_contributions": ("增长拉动", "Contributions"),
    "office_sheet_projection": ("全年预测", "Projection"),
    "office_sheet_positions": ("评价位次", "Evaluation positions"),
    "office_sheet_claims": ("汇报数据核对", "Claims register"),
    "office_total": ("合计", "Total"),
    "office_span_cumulative": ("1-本月累计", "Year to date"),
    "office_span_month": ("当月", "Month"),
    "office_col_span": ("口径", "Span"),
    "office_col_group": ("企业组", "Group"),
    "office_col_level_yi": ("产值(亿元)", "Output (100 million yuan)"),
    "office_col_base_yi": (
        "上年同期可比基数(亿元)",
        "Comparable base a year earlier (100 million yuan)",
    ),
    "office_col_growth": ("同比增速", "Growth year on year"),
    "office_col_pull_lo": ("拉动下限(百分点)", "Pull, low end (pp)"),
    "office_col_pull_hi": ("拉动上限(百分点)", "Pull, high end (pp)"),
    "office_col_through": ("截至月份", "Data to month"),
    "office_col_method": ("测算方法", "Method"),
    "office_col_point_yi": ("全年产值预测(亿元)", "Full-year output, projected (100 million yuan)"),
    "office_col_lo80_yi": ("80%区间下限(亿元)", "80% interval, low (100 million yuan)"),
    "office_col_hi80_yi": ("80%区间上限(亿元)", "80% interval, high (100 million yuan)"),
    "office_col_lo95_yi": ("95%区间下限(亿元)", "95% interval, low (100 million yuan)"),
    "office_col_hi95_yi": ("95%区间上限(亿元)", "95% interval, high (100 million yuan)"),
    "office_col_base_fy_yi": ("上年全年产值(亿元)", "Last year's output (100 million yuan)"),
    "office_col_growth_point": ("全年增速预测", "Full-year growth, projected"),
    "office_col_growth_lo80": ("增速80%区间下限", "Growth, 80% interval low"),
    "office_col_growth_hi80": ("增速80%区间上限", "Growth, 80% interval high"),
    "office_col_growth_lo95": ("增速95%区间下限", "Growth, 95% interval low"),
    "office_col_growth_hi95": ("增速95%区间上限", "Growth, 95% interval high"),
    "office_col_target": ("增长目标", "Growth target"),
    "office_col_chosen": ("采用的方法", "Method used"),
    "office_col_role": ("对象", "Unit"),
    "office_role_city_peer": ("同市县(市、区)", "City peer"),
    "office_col_code": ("区划代码", "Division code"),
    "office_col_unit_name": ("县(市、区)", "County-level unit"),
    "office_col_city": ("所属市", "City"),
    "office_col_position": ("全省位次", "Position in the province"),
    "office_col_n_in_class": ("同类县数", "Units in the class"),
    "office_col_city_position": ("全市位次", "Position in the city"),
    "office_col_attribution": ("依据", "Basis"),
    "office_col_basis": ("说明", "Explanation"),
    "office_col_claim_id": ("编号", "No."),
    "office_col_claim_item": ("汇报所列指标", "Figure of the work report"),
    "office_col_stated": ("汇报数值", "Stated value"),
    "office_col_status": ("核对结果", "Status"),
    "office_col_recomputed": ("重算值", "Recomputed value"),
    "office_col_computation": ("计算说明", "How it was computed"),
    "office_sources_missing": ("本次运行无此表，未列工作表", "not in this run: no sheet"),
}
for _part in (PAGE_LABELS, SITE_LABELS):  # one table, written in three files
    if _clash := set(LABELS) & set(_part):
        raise ImportError(f"labels declared twice in analysis.figures.labels*: {sorted(_clash)}")
    LABELS.update(_part)


# the bureau's enterprise groups as stored (analysis.vocabulary, analysis.growth) -> label keys
GROUP_KEYS = {"重点企业": "group_key", "其他企业": "group_others", "合计": "group_total",
              "total": "group_total"}  # fmt: skip


def group_label(group: str, lang: str = "zh") -> str:
    """An enterprise group in ``lang`` (a group the table does not list is shown as stored)."""
    key = GROUP_KEYS.get(group)
    return t(key, lang) if key else group


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


def in_parens(text: str, lang: str = "zh") -> str:
    """``text`` in brackets as each language writes them: full-width （…） after Chinese, with
    no space; ' (…)' in English."""
    return f"（{text}）" if check_lang(lang) == "zh" else f" ({text})"


OTHER_NUMBERS = ("其他相关数字", "other numbers")


def table_words(table: str, lang: str) -> str:
    """What a processed table holds, in words (never its file name: a reader of the pages or the
    Word draft does not know ``industry_monthly``); a table without words reads "other numbers"."""
    zh, en = LABELS.get(f"table_{table}", OTHER_NUMBERS)
    return en if lang == "en" else zh
