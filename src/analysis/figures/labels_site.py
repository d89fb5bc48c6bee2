"""Words of the landing page, the page navigation and the printed brief (zh, en): part of the one
translation table (:data:`analysis.figures.labels.LABELS`, keys ``site_<word>`` and
``table_<processed table>``), read by :mod:`analysis.build.page_text`.

Templates carry named fields filled from computed values (never a number typed here).
"""

from __future__ import annotations

SITE_WORDS: dict[str, tuple[str, str]] = {
    "back_to_index": ("← 返回报告首页", "← All reports"),
    "heading": ("{county}{year}年科技统计分析", "{county} {year}: science and technology review"),
    "headline": ("主要数字", "Headline numbers"),
    "not_built": ("尚未生成", "Not built yet"),
    "simulated_badge": ("模拟", "simulated"),
    "as_of": ("截至{period}", "to {period}"),
    "bureau_basis": (
        "产值、增速：县统计局规上工业月报，{as_of}。",
        "Output and growth: the county statistics bureau's monthly releases, {as_of}.",
    ),
    "position_basis": ("位次：{publishers}公布。", "Position: as published by {publishers}."),
    "simulated_line": (
        "注意：标有“模拟”的数字来自模拟数据，用于演示分析方法，不是真实统计，不能引用。",
        'Note: numbers marked "simulated" come from a simulated stand-in that shows how the '
        "analysis works; they are not real statistics and must not be quoted.",
    ),
    "details": ("详见说明", "details"),
    "reports": ("分析报告", "Reports"),
    "report_failed": (
        "上次生成失败，此为此前的版本",
        "The last run failed; this is the previous one",
    ),
    "materials": ("汇报材料", "For the review"),
    "pdf": ("汇报要点（PDF，A4，可转发）", "Brief for leaders (PDF, A4, for sharing)"),
    "docx": ("汇报稿（Word）", "Draft review (Word)"),
    "xlsx": ("汇报数据表（Excel）", "Review tables (Excel)"),
    "pack": ("图表包（图片及说明）", "Figure pack (images and captions)"),
    "notes": ("说明", "Notes"),
    "claim_note": (
        "工作汇报所称位次：{display}。{note}",
        "Position the work report states: {display}. {note}",
    ),
    "simulated_score_note": (
        "模拟的评价结果：{display}。这是模拟数据演示的结果，不是公布的位次，不能引用。",
        "Simulated evaluation result: {display}. It shows how the analysis works; it is not a "
        "published position and must not be quoted.",
    ),
    "simulated_heading": ("关于模拟数据", "About the simulated data"),
    "simulated_intro": (
        "以下内容使用了模拟数据，只用于演示分析方法，不是真实统计，不能引用；"
        "真实数据到位后重新生成即可替换：",
        "These parts rest on simulated stand-ins that show how the analysis works; they are not "
        "real statistics and must not be quoted. A new build with the real data replaces them:",
    ),
    "simulated_charts": ("图表：", "Charts:"),
    "sources": ("数据来源", "Sources"),
    "sources_intro": ("公开发布的资料：", "Published by: "),
    "work_report": ("本县《科技兴县改革工作汇报》", "the county's work report"),
    "built": ("更新时间：{time}（北京时间）", "Updated {time} (Beijing time)"),
    "analysts": (
        "分析人员版（含代码、数据文件和核对记录）",
        "Analysts' edition (code, data files and checks)",
    ),
    "list_sep": ("、", ", "),
    # the printed brief (analysis.build.brief)
    "brief_title": ("{county}{year}年科技工作汇报要点", "{county} {year}: brief for leaders"),
    "brief_charts": ("主要图表", "Key charts"),
    "brief_more": ("其他主要数字", "Other numbers"),
    "brief_sentences": ("可直接使用的汇报语句", "Sentences for the written review"),
    "brief_sentences_note": (
        "标有【模拟数据】的语句依据模拟数据，正式使用前须换成真实数据。",
        "Sentences marked [SIMULATED] rest on a stand-in; replace them with real data before use.",
    ),
}

# what each processed table is, for a reader of the landing page's simulated-data note
TABLE_WORDS: dict[str, tuple[str, str]] = {
    "industry_monthly": (
        "县统计局规上工业月报（产值、增速）",
        "the bureau's monthly output releases",
    ),
    "contributions": ("重点企业产值和拉动", "output and pull of the key enterprises"),
    "projection": ("全年增速预测", "the full-year projection"),
    "real_growth": ("扣除价格后的增速（估算）", "growth net of prices (estimate)"),
    "evaluation_scores": ("本县评价得分", "the county's evaluation scores"),
    "ranking_whatif": ("提分空间测算", "the headroom of each indicator"),
}


SITE_LABELS: dict[str, tuple[str, str]] = {f"site_{k}": v for k, v in SITE_WORDS.items()} | {
    f"table_{k}": v for k, v in TABLE_WORDS.items()
}
