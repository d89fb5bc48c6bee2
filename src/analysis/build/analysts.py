"""The analysts' index (``reports/html-code/index.html``): every notebook with its code page, its
executed notebook, when and why it last ran, what it reads and writes, and the dependency graph
drawn from ``notebooks/pipeline.yaml`` (with its Mermaid text, to paste into documents).

The leadership index (``reports/index.html``) links here; this page is for the people who
maintain the analysis, so it names files and globs freely. Standard library only.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from analysis.build import clock, graph
from analysis.build.page_style import ANALYST_TABLES_CSS, FONT_STACK
from analysis.build.pages import check_offline, write_page
from analysis.build.plan import FAILED, HTML_CODE_DIR, Step

STATUS_TEXT = {
    "ok": "已生成 · built",
    "failed": "上次运行失败 · last run failed",
    "not built": "尚未生成 · not built",
}


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def statuses(paths: Any, steps: dict[str, Step], state: dict[str, Any]) -> dict[str, str]:
    """ok / failed / not built, per notebook, from the state file and ``reports/failed/``."""
    out = {}
    for name in sorted(steps):
        if (paths.reports / FAILED / f"{name}.ipynb").is_file():
            out[name] = "failed"
        else:
            out[name] = "ok" if state["steps"].get(name) else "not built"
    return out


def _globs(globs: tuple[str, ...]) -> str:
    return "<br>".join(f"<code>{_e(g)}</code>" for g in globs) or "—"


def analysts_html(
    heading: str,
    steps: dict[str, Step],
    deps: dict[str, set[str]],
    state: dict[str, Any],
    status: dict[str, str],
    titles: dict[str, str],
) -> str:
    """The page: the graph, then one row per notebook (deterministic apart from build times)."""
    rows = []
    for name in sorted(steps):
        entry = state["steps"].get(name) or {}
        step = steps[name]
        built = entry.get("built_at")
        links = (
            f'<a href="{_e(name)}.html">{_e(titles.get(name) or name)}</a>'
            f' · <a href="../{_e(name)}.ipynb">notebook</a>'
            if built
            else _e(titles.get(name) or name)
        )
        after = ", ".join(sorted(deps[name])) or "—"
        seconds = f"{entry['seconds']} s" if "seconds" in entry else ""
        css = status[name].replace(" ", "-")
        rows.append(
            f'<tr><td>{_e(name)}</td><td>{links}<div class="status {css}">'
            f"{_e(STATUS_TEXT[status[name]])}</div></td>"
            f"<td>{_e(clock.shown(built) if built else '—')} {_e(seconds)}</td>"
            f"<td>{_e(entry.get('reason', '—'))}</td><td>{_e(after)}</td>"
            f"<td>{_globs(step.reads)}</td><td>{_globs(step.writes)}</td></tr>"
        )
    source = graph.mermaid(steps, deps, titles)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{_e(heading)} · 分析人员版</title>
<style>
body {{ font-family: {FONT_STACK}; line-height: 1.5; color: #222; margin: 0 auto;
  max-width: 1200px; padding: 8px 12px 48px; box-sizing: border-box; }}
{ANALYST_TABLES_CSS}
code {{ font-size: 0.85em; }}
.status {{ font-size: 0.85em; color: #555; }}
.status.failed {{ color: #b03a2e; font-weight: bold; }}
pre {{ background: #f6f6f6; padding: 8px; overflow-x: auto; }}
</style>
</head>
<body>
<main>
<p><a href="../index.html">← 报告首页 · Reports</a> ·
<a href="data.html">数据与来源(主要数字出处、参数、图表、来源) · Data and sources</a></p>
<h1>{_e(heading)} · 分析人员版 · Analysts' edition</h1>
<h2>笔记本依赖关系 · How the notebooks depend on each other</h2>
<p>箭头从写出文件的笔记本指向读取它的笔记本(<code>notebooks/pipeline.yaml</code>)。
An arrow runs from the notebook that writes a file to the one that reads it.</p>
<div class="scroll">{graph.svg(deps, status, titles)}</div>
<details><summary>Mermaid</summary><pre>{_e(source)}</pre></details>
<h2>笔记本 · Notebooks</h2>
<div class="scroll"><table><thead><tr><th>#</th><th>代码页 · Code page</th>
<th>生成(北京时间) · Built (Beijing time)</th><th>上次运行原因 · Why it last ran</th>
<th>依赖 · After</th><th>读取 · Reads</th><th>写出 · Writes</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>
</main>
</body>
</html>
"""


def write_analysts_index(
    paths: Any,
    heading: str,
    steps: dict[str, Step],
    deps: dict[str, set[str]],
    state: dict[str, Any],
    titles: dict[str, str],
) -> Path:
    """Write ``reports/html-code/index.html`` (only if its content changed)."""
    page = analysts_html(heading, steps, deps, state, statuses(paths, steps, state), titles)
    check_offline(page, "html-code/index.html")
    target = paths.reports / HTML_CODE_DIR / "index.html"
    if not target.is_file() or target.read_text(encoding="utf-8") != page:
        write_page(target, page)
    return target
