"""The landing page of a run (``reports/index.html``): the headline numbers, a notice wherever
simulated inputs were used, every report with its title and build time, the PDF and the figure
pack, the run's parameters, the data vintage and the sources.

Standard library only (csv, html): the index is rewritten by every build, and a build with
nothing to do must stay fast.
"""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path
from typing import Any

from analysis.build import clock
from analysis.build.pages import (
    FONT_STACK,
    PRINT_CSS,
    check_offline,
    notebook_title,
    write_page,
)
from analysis.build.plan import FAILED

# the one line of index.html that holds build times (see index_html); pages have none
BUILD_TIME_LINE = '<p class="meta" id="built">'

PARAM_LABELS: dict[str, str] = {
    "county": "县(市、区) · County",
    "county_code": "区划代码 · Division code",
    "city": "设区市 · City",
    "year": "年份 · Year",
    "through_month": "截至月份 · Through month",
    "lang": "图表语言 · Language",
    "internal_data_dir": "内部数据 · Internal data",
    "target_growth": "增长目标 · Growth target",
    "target_position": "位次目标 · Position target",
    "allow_enterprise_tables": "显示企业数据 · Enterprise tables",
    "output_dir": "输出目录 · Output folder",
}


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


def read_sources(sources_csv: Path) -> list[dict[str, str]]:
    """Rows of ``data/raw/SOURCES.csv`` (stdlib csv; BOM or not)."""
    if not sources_csv.is_file():
        return []
    with open(sources_csv, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def read_figures(manifest: Path) -> list[dict[str, str]]:
    if not manifest.is_file():
        return []
    with open(manifest, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a processed CSV (stdlib csv, so the index never needs pandas); [] if absent."""
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _true(value: Any) -> bool:
    return str(value).strip().lower() == "true"


def data_vintage(processed: Path) -> dict[str, str]:
    """What the run's numbers are as of: the latest bureau release and evaluation round."""
    out: dict[str, str] = {}
    releases = [r for r in read_rows(processed / "industry_monthly.csv") if _true(r.get("latest"))]
    if releases:
        last = max(releases, key=lambda r: (int(r["year"]), int(r["month"])))
        year, month = int(last["year"]), int(last["month"])
        span = f"1-{month}月" if month > 1 else "1月"
        out["bureau"] = f"{year}年{span} · {last.get('release', '')}"
        out["bureau_simulated"] = str(
            any(
                _true(r.get("simulated"))
                for r in releases
                if int(r["year"]) == year and int(r["month"]) == month
            )
        )
    rounds = [
        r for r in read_rows(processed / "evaluation_rounds.csv") if _true(r.get("published"))
    ]
    if rounds:
        last = max(rounds, key=lambda r: int(r["round"]))
        out["evaluation"] = (
            f"{last['round']}年度监测评价({last['data_year']}年数据) · round {last['round']} "
            f"({last['data_year']} data)"
        )
    return out


def headline_cards(headlines: list[dict[str, str]]) -> str:
    """The summary's headline numbers as cards that wrap on a phone; a simulated one says so."""
    cards = []
    for h in headlines:
        available = _true(h.get("available"))
        src = h.get("source_table", "") + ".csv"
        if h.get("source_row"):
            src += f" · {h['source_row']}"
        sim = '<div class="sim">模拟数据 · SIMULATED</div>' if _true(h.get("simulated")) else ""
        cards.append(
            f'<div class="card{"" if available else " na"}">'
            f'<div class="label">{_e(h.get("label", ""))}</div>'
            f'<div class="value">{_e(h.get("display", ""))}</div>{sim}'
            f'<div class="src">{_e(src)}</div></div>'
        )
    return f'<div class="cards">{"".join(cards)}</div>'


def simulated_notice(
    headlines: list[dict[str, str]], figures: list[dict[str, str]], vintage: dict[str, str]
) -> str:
    """A red notice listing what rests on simulated stand-ins; empty when nothing does."""
    parts = sorted({h["source_table"] for h in headlines if _true(h.get("simulated"))})
    if _true(vintage.get("bureau_simulated")) and "industry_monthly" not in parts:
        parts.append("industry_monthly")
    sim_figs = [f.get("figure_id", "") for f in figures if _true(f.get("simulated"))]
    if not parts and not sim_figs:
        return ""
    what = "; ".join(
        x
        for x in (
            ", ".join(f"{p}.csv" for p in parts),
            ("图表 · figures " + ", ".join(sim_figs)) if sim_figs else "",
        )
        if x
    )
    return (
        '<div class="notice" role="alert">⚠ 本次运行使用了模拟数据，相关数字不是真实统计 · '
        f"This run uses SIMULATED stand-ins; those numbers are not real statistics: {_e(what)}"
        "</div>"
    )


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _link(href: str, text: str) -> str:
    return f'<a href="{_e(href)}">{_e(text)}</a>'


def _source_link(url: str) -> str:
    url = url.strip()
    return _link(url, url) if url.startswith(("http://", "https://")) else _e(url)


def index_html(
    params: dict[str, Any],
    reports: list[dict[str, Any]],
    sources: list[dict[str, str]],
    figures: list[dict[str, str]],
    headlines: list[dict[str, str]] | None = None,
    vintage: dict[str, str] | None = None,
    shared: dict[str, str] | None = None,
) -> str:
    """The landing page: the headline numbers (``review_headlines.csv``), a notice wherever
    simulated inputs were used, every report with its title and build time, the PDF and the
    figure pack, the run's parameters, the data vintage and the sources.

    ``shared``: link text by relative href (the PDF, the figure pack) for the files that exist.

    ``reports``: dicts with name, title, built_at, status ('ok', 'failed', 'not built').
    Deterministic: the same inputs give the same bytes (no 'generated at' clock). Build times
    appear on one line only, the one starting with :data:`BUILD_TIME_LINE` (the run's build
    time and the reports table with each report's time): two builds of the same inputs differ
    in that line alone.
    """
    headlines = headlines or []
    vintage = vintage or {}
    shared = shared or {}
    shown = display_params(params)
    lang = str(params.get("lang", "zh"))
    notice = simulated_notice(headlines, figures, vintage)
    headline_block = (
        headline_cards(headlines)
        if headlines
        else '<p class="meta">尚未生成(05_annual_review) · not built yet</p>'
    )
    shared_block = (
        "<ul>" + "".join(f"<li>{_link(href, text)}</li>" for href, text in shared.items()) + "</ul>"
        if shared
        else '<p class="meta">尚未生成 · not built yet</p>'
    )
    vintage_rows = "".join(
        f"<tr><th>{_e(label)}</th><td>{_e(vintage.get(key, '—'))}"
        + (
            " <em>(模拟数据 · simulated)</em>"
            if key == "bureau" and _true(vintage.get("bureau_simulated"))
            else ""
        )
        + "</td></tr>"
        for key, label in (
            ("bureau", "最新统计局月报 · Latest bureau release"),
            ("evaluation", "最新公布评价轮次 · Latest evaluation round"),
        )
    )
    heading = _e(heading_of(params))
    built = max((clock.shown(r["built_at"]) for r in reports if r.get("built_at")), default="")
    rows = []
    for r in reports:
        name = r["name"]
        if r.get("built_at"):
            links = " · ".join(
                [
                    _link(f"html/{name}.html", r["title"] or name),
                    _link(f"html-code/{name}.html", "含代码 with code"),
                    _link(f"{name}.ipynb", "notebook"),
                ]
            )
        else:
            links = _e(r["title"] or name)
        status = {
            "ok": "",
            "failed": "上次运行失败，此为此前成功的版本 · last run failed; previous good report",
            "not built": "尚未生成 · not built",
        }.get(r.get("status", "ok"), "")
        rows.append(
            f"<tr><td>{_e(name[:2])}</td><td>{links}"
            + (f'<div class="status">{_e(status)}</div>' if status else "")
            + f"</td><td>{_e(clock.shown(r.get('built_at') or ''))}</td></tr>"
        )
    param_rows = "".join(
        f"<tr><th>{_e(PARAM_LABELS.get(k, k))}</th><td>{_e(v)}</td></tr>" for k, v in shown.items()
    )
    source_rows = "".join(
        "<tr>"
        f"<td>{_e(s.get('file', ''))}</td><td>{_e(s.get('publisher', ''))}</td>"
        f"<td>{_e(s.get('licence', ''))}</td><td>{_e(s.get('collected', ''))}</td>"
        f"<td>{_source_link(s.get('source_url', ''))}</td>"
        "</tr>"
        for s in sources
    )
    title_key = "title_en" if lang == "en" else "title_zh"
    figure_rows = "".join(
        f"<tr><td>{_e(f.get('figure_id', ''))}</td>"
        f"<td>{_link('../figures/' + f.get('png', ''), f.get(title_key, ''))}"
        + (" <em>(模拟数据 · simulated)</em>" if f.get("simulated") == "True" else "")
        + "</td></tr>"
        for f in figures
    )
    figures_block = (
        '<h2>图表 · Figures</h2><div class="scroll"><table><thead><tr><th>id</th>'
        f"<th>标题 · Title</th></tr></thead><tbody>{figure_rows}</tbody></table></div>"
        if figures
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="{"en" if lang == "en" else "zh-CN"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{heading}</title>
<style>
body {{ font-family: {FONT_STACK}; line-height: 1.6; color: #222; margin: 0 auto;
  max-width: 960px; padding: 8px 12px 48px; box-sizing: border-box; }}
h1 {{ font-size: 1.6em; margin: 0.6em 0 0.2em; }}
.meta {{ color: #555; }}
.scroll {{ max-width: 100%; overflow-x: auto; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left;
  vertical-align: top; }}
td {{ overflow-wrap: anywhere; }}
.status {{ color: #b03a2e; font-size: 0.9em; }}
.notice {{ border: 2px solid #d62728; background: #fdecea; color: #8b1a1a; padding: 8px 12px;
  margin: 8px 0; font-weight: bold; overflow-wrap: anywhere; }}
.cards {{ display: flex; flex-wrap: wrap; gap: 8px; margin: 0.5em 0 1.5em; }}
.card {{ flex: 1 1 150px; min-width: 0; border: 1px solid #ddd; border-radius: 6px;
  padding: 6px 10px; box-sizing: border-box; }}
.card .label {{ font-size: 0.85em; color: #555; }}
.card .value {{ font-size: 1.2em; font-weight: bold; overflow-wrap: anywhere; }}
.card.na .value {{ color: #888; font-weight: normal; }}
.card .sim {{ color: #d62728; font-size: 0.85em; font-weight: bold; }}
.card .src {{ font-size: 0.75em; color: #777; overflow-wrap: anywhere; }}
{PRINT_CSS}
</style>
</head>
<body>
<main>
<h1 id="title">{heading}</h1>
{notice}
<h2 id="headlines">主要数字 · Headline numbers</h2>
{headline_block}
{BUILD_TIME_LINE}生成时间 · Built: {_e(built + " " + clock.LABEL if built else "—")}</p>\
<h2>报告 · Reports</h2><div class="scroll"><table><thead><tr><th>#</th><th>报告 · Report</th>\
<th>生成(北京时间) · Built (Beijing time)</th></tr>\
</thead><tbody>{"".join(rows)}</tbody></table></div>
<p><a href="html-code/index.html">分析人员版(代码、依赖关系) · Analysts' edition (code, how the
notebooks depend on each other)</a></p>
<h2>分享与汇报材料 · For sharing and the written review</h2>
{shared_block}
<h2>运行参数 · Run parameters</h2>
<div class="scroll"><table><tbody>{param_rows}</tbody></table></div>
<h2>数据时点 · Data vintage</h2>
<div class="scroll"><table><tbody>{vintage_rows}</tbody></table></div>
{figures_block}
<h2>数据来源 · Data sources</h2>
<div class="scroll"><table><thead><tr><th>文件 · File</th><th>发布者 · Publisher</th>
<th>许可 · Licence</th><th>采集 · Collected</th><th>来源 · Source</th></tr></thead>
<tbody>{source_rows}</tbody></table></div>
</main>
</body>
</html>
"""


def heading_of(params: dict[str, Any]) -> str:
    return f"{params.get('county', '')} {params.get('year', '')} 科技统计分析报告"


def write_index(paths: Any, params: Any, steps: dict[str, Any], state: dict[str, Any]) -> Path:
    """Write ``reports/index.html`` from the build state (only if its content changed)."""
    reports = []
    for name in sorted(steps):
        entry = state["steps"].get(name) or {}
        status = "ok" if entry else "not built"
        if (paths.reports / FAILED / f"{name}.ipynb").is_file():
            status = "failed"
        title = entry.get("title") or title_of(steps[name].notebook)
        reports.append(
            {"name": name, "title": title, "built_at": entry.get("built_at", ""), "status": status}
        )
    shared = {}
    if (paths.reports / "annual_review.pdf").is_file():
        shared["annual_review.pdf"] = "汇报要点PDF(A4，可转发) · Summary as PDF (A4, for sharing)"
    if (paths.figures / "annual_review" / "captions.md").is_file():
        shared["../figures/annual_review/captions.md"] = (
            "图表包及说明(PNG/SVG) · Figure pack with captions (PNG/SVG)"
        )
    page = index_html(
        params.as_dict(),
        reports,
        read_sources(paths.sources_csv),
        read_figures(paths.figures / "manifest.csv"),
        headlines=read_rows(paths.processed / "review_headlines.csv"),
        vintage=data_vintage(paths.processed),
        shared=shared,
    )
    check_offline(page, "index.html")
    target = paths.reports / "index.html"
    if not target.is_file() or target.read_text(encoding="utf-8") != page:
        write_page(target, page)
    return target


def title_of(notebook: Path) -> str:
    """The title of a notebook as stored (its first heading), for one not built yet."""
    with open(notebook, encoding="utf-8") as fh:
        return notebook_title(json.load(fh), notebook.stem)
