"""The analysts' page of a run's data (``reports/html-code/data.html``): what the leaders'
landing page leaves out on purpose — the run's parameters, the data vintage with its release
file, every headline number with the table and CSV row it comes from, the figures by id, and
the sources with their files, licences and addresses (mirrors included, as collected).

Standard library only (written with the landing page by every build).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from analysis.build import run_facts
from analysis.build.page_style import ANALYST_TABLES_CSS, FONT_STACK, PRINT_CSS
from analysis.build.pages import check_offline, write_page
from analysis.build.plan import HTML_CODE_DIR

PARAM_LABELS: dict[str, str] = {
    "county": "县(市、区) · County",
    "county_code": "区划代码 · Division code",
    "city": "设区市 · City",
    "year": "年份 · Year",
    "through_month": "截至月份 · Through month",
    "lang": "语言 · Language",
    "internal_data_dir": "内部数据 · Internal data",
    "target_growth": "增长目标 · Growth target",
    "target_position": "位次目标 · Position target",
    "allow_enterprise_tables": "显示企业数据 · Enterprise tables",
    "output_dir": "输出目录 · Output folder",
}


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def display_params(params: dict[str, Any]) -> dict[str, str]:
    """The run's parameters for people: no file-system paths (an absolute path -> its name)."""
    out: dict[str, str] = {}
    for key, value in params.items():
        text = "" if value is None else str(value)
        if key in {"output_dir", "internal_data_dir"} and text:
            p = Path(text)
            text = p.name if p.is_absolute() else p.as_posix()
        if key == "output_dir" and not text:
            text = "默认 · default"
        if key == "target_growth" and isinstance(value, float):
            text = f"{value:.1%}"
        out[key] = text
    return out


def _source_link(url: str) -> str:
    url = url.strip()
    if url.startswith(("http://", "https://")):
        return f'<a href="{_e(url)}">{_e(url)}</a>'
    return _e(url)


def _table(head: list[str], rows: list[list[str]]) -> str:
    """A scrolling table; cells are HTML already escaped by the caller."""
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    table = f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="scroll">{table}</div>'


def data_html(
    heading: str,
    params: dict[str, Any],
    sources: list[dict[str, str]],
    figures: list[dict[str, str]],
    headlines: list[dict[str, str]],
    vintage: dict[str, str],
) -> str:
    params_rows = [[_e(PARAM_LABELS.get(k, k)), _e(v)] for k, v in display_params(params).items()]
    vintage_rows = [
        [
            _e(label),
            _e(vintage.get(key, "—"))
            + (" <em>(模拟数据 · simulated)</em>" if key == "bureau" and
               run_facts.true(vintage.get("bureau_simulated")) else ""),
        ]
        for key, label in (
            ("bureau", "最新统计局月报 · Latest bureau release"),
            ("evaluation", "最新公布评价轮次 · Latest evaluation round"),
        )
    ]  # fmt: skip
    headline_rows = [
        [
            _e(h.get("key", "")),
            _e(h.get("label", "")),
            _e(h.get("display", "")),
            _e(f"{h.get('source_table', '')}.csv · {h.get('source_row', '')}"),
            _e("模拟 · simulated" if run_facts.true(h.get("simulated")) else ""),
            _source_link(h.get("note", "")),
        ]
        for h in headlines
    ]
    figure_rows = [
        [
            _e(f.get("figure_id", "")),
            f'<a href="../../figures/{_e(f.get("png", ""))}">{_e(f.get("title_zh", ""))}</a>',
            _e("模拟 · simulated" if run_facts.true(f.get("simulated")) else ""),
        ]
        for f in figures
    ]
    source_rows = [
        [
            _e(s.get("file", "")),
            _e(s.get("publisher", "")),
            _e(s.get("licence", "")),
            _e(s.get("collected", "")),
            _source_link(s.get("source_url", "")),
        ]
        for s in sources
    ]
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{_e(heading)} · 数据与来源</title>
<style>
body {{ font-family: {FONT_STACK}; line-height: 1.5; color: #222; margin: 0 auto;
  max-width: 1200px; padding: 8px 12px 48px; box-sizing: border-box; font-size: 15px; }}
{ANALYST_TABLES_CSS}
td {{ overflow-wrap: anywhere; }}
{PRINT_CSS}
</style>
</head>
<body>
<main>
<p><a href="index.html">← 分析人员版 · Analysts' edition</a> ·
<a href="../index.html">报告首页 · Reports</a></p>
<h1>{_e(heading)} · 数据与来源 · Data and sources</h1>
<h2>主要数字及其出处 · Headline numbers and their rows</h2>
{
        _table(
            [
                "key",
                "标签 · Label",
                "数值 · Value",
                "表 · 行 · Table · row",
                "模拟 · Simulated",
                "备注 · Note",
            ],
            headline_rows,
        )
    }
<h2>运行参数 · Run parameters</h2>
{_table(["参数 · Parameter", "值 · Value"], params_rows)}
<h2>数据时点 · Data vintage</h2>
{_table(["", ""], vintage_rows)}
<h2>图表 · Figures</h2>
{_table(["id", "标题 · Title", "模拟 · Simulated"], figure_rows)}
<h2>数据来源 · Data sources</h2>
{
        _table(
            [
                "文件 · File",
                "发布者 · Publisher",
                "许可 · Licence",
                "采集 · Collected",
                "来源 · Source",
            ],
            source_rows,
        )
    }
</main>
</body>
</html>
"""


def write_data_page(
    paths: Any,
    heading: str,
    params: dict[str, Any],
    sources: list[dict[str, str]],
    figures: list[dict[str, str]],
    headlines: list[dict[str, str]],
    vintage: dict[str, str],
) -> Path:
    """Write ``reports/html-code/data.html`` (only if its content changed)."""
    page = data_html(heading, params, sources, figures, headlines, vintage)
    check_offline(page, "html-code/data.html")
    target = paths.reports / HTML_CODE_DIR / "data.html"
    if not target.is_file() or target.read_text(encoding="utf-8") != page:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_page(target, page)
    return target
