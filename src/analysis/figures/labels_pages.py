"""Words of the leadership pages: table headers, notes and the key messages of each page.

Part of the one translation table: :data:`analysis.figures.labels.LABELS` includes these, so
code asks ``t(key, lang)`` for them like for any other word. Kept in their own file only
because they are many; each key is declared once (a key in both files is an import error).
Templates carry named fields filled by :mod:`analysis.review.messages` and
:mod:`analysis.review.display` from computed values — never a number typed here.
"""

from __future__ import annotations

PAGE_LABELS: dict[str, tuple[str, str]] = {
    # the display layer (analysis.review.display)
    "missing_value": ("暂无", "n/a"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "unit_header_yi": ("（亿元）", " (100 million yuan)"),
    "unit_header_percent": ("（%）", " (%)"),
    "unit_header_pp": ("（个百分点）", " (pp)"),
    "unit_header_points": ("（分）", " (points)"),
    "source_line": ("资料来源：{sources}", "Source: {sources}"),
    "simulated_page_note": (
        "注意：本页{what}来自模拟数据，用于演示分析方法，不是真实统计，不能引用。",
        "Note: {what} on this page come from a simulated stand-in that shows how the analysis "
        "works; they are not real statistics and must not be quoted.",
    ),
    "simulated_what_default": ("部分数字", "some numbers"),
    "simulated_what_bureau": ("产值和增速", "output and growth figures"),
    "simulated_what_evaluation": ("评价得分和指标分析", "evaluation scores and indicator analysis"),
    "simulated_what_review": ("标注【模拟数据】的数字", "numbers marked [SIMULATED]"),
    "simulated_details_link": ("说明", "details"),
    # table headers
    "col_group": ("组别", "Group"),
    "col_output": ("产值", "Output"),
    "col_growth": ("同比增速", "Growth"),
    "col_pull": ("拉动", "Pull"),
    "col_share": ("贡献率", "Contribution"),
    "col_span": ("时期", "Period"),
    "col_region": ("地区", "Region"),
    "col_measure": ("指标", "Measure"),
    "col_item": ("项目", "Item"),
    "col_value": ("数值", "Value"),
    "col_round": ("评价年度", "Round"),
    "col_data_year": ("数据年份", "Data year"),
    "col_units": ("参评单位数", "Units"),
    "col_class": ("类别", "Class"),
    "col_n_a": ("A类", "Class A"),
    "col_n_b": ("B类", "Class B"),
    "col_n_c": ("C类", "Class C"),
    "col_mean": ("全省平均分", "Provincial mean"),
    "col_position": ("全省位次", "Position in the province"),
    "col_city_position": ("全市位次", "Position in the city"),
    "col_basis": ("依据", "Basis"),
    "col_status": ("核对结果", "Result of the check"),
    "col_count": ("个数", "Figures"),
    "col_indicator": ("指标", "Indicator"),
    "col_points": ("得分", "Points"),
    "col_max_points": ("满分", "Maximum"),
    "col_headroom": ("尚可提高", "Headroom"),
    "col_gain": ("达到满分可前进位次", "Places gained at the maximum"),
    "col_published_growth": ("公布的同比增速", "Published growth"),
    "col_level_ratio": ("两年公布数直接相比", "Ratio of the published levels"),
    "col_scope_ratio": ("可比基数÷上年公布数", "Comparable base ÷ last year's level"),
    "col_year": ("年份", "Year"),
    "col_stated": ("汇报数字", "As stated"),
    "col_unit": ("单位", "Unit"),
    "col_period": ("时期", "Period"),
    "col_label": ("指标", "Item"),
    "col_display": ("数值", "Value"),
    "col_simulated": ("模拟数据", "Simulated"),
    "attribution_published": ("公布", "published"),
    "attribution_inferred": ("推断", "inferred"),
    "span_cumulative": ("累计", "year to date"),
    "span_month": ("当月", "the month"),
    "measure_nominal": ("规上工业总产值（现价）", "Above-scale gross output (current prices)"),
    "measure_real_estimate": (
        "规上工业总产值（扣除价格，估算）",
        "Above-scale gross output, net of prices (estimate)",
    ),
    "measure_value_added": (
        "规模以上工业增加值（可比价，公布）",
        "Above-scale value added (comparable prices, published)",
    ),
    # 01 ingest
    "msg_ingest_bureau": (
        "县统计局规上工业月报：{n}期，{first}至{last}。",
        "Bureau monthly releases: {n}, from {first} to {last}.",
    ),
    "msg_ingest_no_bureau": (
        "暂无{county}的县统计局规上工业月报：产值、增速和全年预测（第2页）暂不计算。",
        "No bureau releases for {county}: output, growth and the projection (page 2) are not "
        "computed.",
    ),
    "msg_ingest_evaluation": (
        "全省县域科技创新能力监测评价公布结果：{first}—{last}年度，共{n}轮{gaps}。",
        "The province's published county innovation evaluation: {n} rounds, {first}–{last}{gaps}.",
    ),
    "msg_ingest_evaluation_gaps": ("（{rounds}年度未公布）", " ({rounds} not published)"),
    "msg_ingest_own_report": (
        "本县评价报告（分指标得分）：{rounds}年度。",
        "The county's evaluation report (points by indicator): {rounds}.",
    ),
    "msg_ingest_no_own_report": (
        "暂无本县评价报告（分指标得分）：第3页的指标分析暂不计算。",
        "No evaluation report of the county (points by indicator): the indicator analysis of "
        "page 3 is not computed.",
    ),
    "msg_ingest_checks": (
        "数据检查全部通过；另有{n}条提示，供分析人员核对。",
        "Every check passed; notes left for the analysts to review: {n}.",
    ),
    "msg_ingest_checks_clean": ("数据检查全部通过。", "Every check passed."),
    "period_year_month": ("{year}年{month}月", "{month_en} {year}"),
    # 02 output growth
    "msg_output": (
        "{span}规上工业总产值{level}亿元，{growth}{month_part}。",
        "{span}: above-scale output {level} hundred million yuan, {growth}{month_part}.",
    ),
    "msg_output_month": (
        "；{month}月当月{level}亿元，{growth}",
        "; {month_en} alone {level}, {growth}",
    ),
    "msg_key_pull": (
        "重点企业{pull}，贡献率{share}%。",
        "Key enterprises: {pull} ({share}% of the growth).",
    ),
    "msg_no_groups": (
        "月报只有全县合计、没有重点企业分组，拉动和贡献率不作计算。",
        "The release gives the county total only (no enterprise groups): pulls and "
        "contributions are not computed.",
    ),
    "msg_projection": (
        "按{method}测算，全年预计{point}亿元，{growth}（80%区间{interval}），"
        "完成全年增长{target}%目标的概率{p}。",
        "Projected by the {method} method: {point} hundred million yuan for the year, {growth} "
        "(80% interval {interval}); probability of reaching the {target}% target: {p}.",
    ),
    "msg_no_projection": ("全年预测暂无。", "No full-year projection."),
    "msg_no_projection_history": (
        "全年预测暂无：测算需要至少{need}个月（三年）的月度数据，现有{have}个月；"
        "以上为统计局公布的产值和增速。",
        "No full-year projection: it needs at least {need} months (three years) of monthly "
        "releases, and there are {have}; the figures above are the bureau's published ones.",
    ),
    "msg_real": (
        "扣除价格因素，{span}实际增长约{real}%（估算：按{region}工业生产者出厂价格指数折算）。",
        "Net of prices, real growth of {span} is about {real}% (an estimate, deflated by the "
        "{region} producer price index).",
    ),
    "msg_no_bureau_hint": (
        "把县统计局的月报文件放入内部数据文件夹后重新运行，即可生成本页。",
        "Put the bureau's monthly releases in the internal-data folder and run again to build "
        "this page.",
    ),
    "region_national": ("全国", "national"),
    # 03 innovation ranking
    "msg_position": (
        "{round}年度评价（{data_year}年数据）：{county}为{cls}类{position}{city}。",
        "{round} evaluation ({data_year} data): {county} is class {cls}{position}{city}.",
    ),
    "msg_position_province": ("，全省第{position}位", ", {position_ord} in the province"),
    "msg_position_city": ("，全市第{position}位", ", {position_ord} in its city"),
    "msg_no_position": (
        "暂无{county}的公布评价结果。",
        "No published evaluation result for {county}.",
    ),
    "msg_standing_still": (
        "若得分保持{score}分不变，下一轮预计列全省第{rank}位左右（其他县按全省平均分每年提高的幅度推算）。",
        "If its score stays at {score}, the county would be about {rank_ord} next round (the "
        "others projected at the yearly rise of the provincial mean).",
    ),
    "msg_needed": (
        "进入全省前{target}位约需{needed}分，比现在多{gap}分。",
        " A place in the top {target} would take about {needed} points, {gap} more than now.",
    ),
    "msg_unreachable": (
        "即使满分也难以进入全省前{target}位。",
        " Even full marks would hardly reach the top {target}.",
    ),
    "msg_top_indicator": (
        "提分空间最大的是“{indicator}”：尚有{points}分，单项达到满分可前进约{gain}位。",
        "Most room to gain: '{indicator}', {points} points below its maximum; at its maximum "
        "alone the county would gain about {gain} places.",
    ),
    "msg_claim_note": (
        "工作汇报所称“全省第{position}位”未注明轮次，推断为{round}年度评价（{data_year}年数据），"
        "不是直接公布的位次。",
        "The work report's '{position_ord} in the province' names no round; it is taken to mean "
        "the {round} evaluation ({data_year} data): an inference, not a published position.",
    ),
    # 04 S&T indicators
    "msg_claims": ("工作汇报中的{n}个数字：{parts}。", "The work report's {n} figures: {parts}."),
    "msg_claims_part": ("{label}{count}个", "{count} {label}"),
    "msg_indicators": ("{items}。", "{items}."),
    "msg_contradicted": ("与其他数据矛盾的数字：{names}。", "Contradicted by other data: {names}."),
    "msg_calibrated": (
        "其中{n}个只能与按汇报数字编制的模拟数据对照，不算核实。",
        "{n} of them are matched only by simulated stand-ins built to hit them, which proves "
        "nothing.",
    ),
    "msg_no_sources": (
        "暂无{county}的科技工作汇报和公开科技指标资料：本页不列指标，也不核对汇报数字。",
        "No work report or published S&T figures for {county}: no indicators are listed and no "
        "figures checked.",
    ),
    # 05 annual review
    "msg_review_output": (
        "{span}规上工业总产值{level}，{growth}{pull}。",
        "{span}: above-scale output {level}, {growth}{pull}.",
    ),
    "msg_review_pull": ("，其中重点企业拉动{pp}", "; key enterprises {pp}"),
    "msg_review_projection": (
        "全年增速预测{growth}，完成增长目标的概率{p}。",
        "Full-year growth projected at {growth}; probability of reaching the target {p}.",
    ),
    "msg_review_evaluation": (
        "科技创新能力评价（最近公布）：{position}。",
        "Innovation evaluation (latest published): {position}.",
    ),
    "msg_review_claims": (
        "工作汇报数字核对：{parts}。",
        "The work report's figures checked: {parts}.",
    ),
    "msg_review_no_bureau": (
        "暂无{county}的县统计局规上工业月报数据：产值、增速和全年预测暂无。",
        "No bureau releases for {county}: no output, growth or projection.",
    ),
    "headline_real_growth": (
        "扣除价格因素的实际增长（估算）",
        "Real growth net of prices (estimate)",
    ),
    "estimate_mark": ("估算", "estimate"),
    "sentence_real_growth": (
        "扣除价格因素，{span}全县规上工业总产值实际增长约{real}%（估算：按{region}工业生产者出厂"
        "价格指数折算，总产值不等同于增加值，仅供参考）{context}。",
        "Net of prices, above-scale output of {span} grew by about {real}% in real terms (an "
        "estimate: deflated by the {region} producer price index; gross output is not value "
        "added){context}.",
    ),
    "real_growth_context": (
        "；同期{items}",
        "; in the same period {items}",
    ),
    "real_growth_context_item": (
        "{region}{span}规模以上工业增加值增长{growth}%",
        "above-scale value added of {region} grew {growth}% ({span})",
    ),
    "sentence_no_groups": (
        "月报只有全县合计、未分重点企业，重点企业的产值和拉动暂无。",
        "The release gives the county total only: no key-enterprise output or pull.",
    ),
    "key_figures": ("主要图表", "Key charts"),
}
