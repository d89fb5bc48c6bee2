"""The landing page of a run (``reports/index.html``), written for a county leader on a phone:

1. one headline block: output, growth and the county's published position, with what they rest
   on in one line (the bureau's releases to which month; who published the position);
2. one line when simulated numbers are shown, linking to the details further down;
3. the reports, by their titles in the run's language;
4. the material for the review: the brief (PDF), the Word draft and the Excel tables (made by
   the office step, linked when they exist), the figure pack;
5. notes: the position the work report itself states, simulated evaluation results (never
   beside the published position); what is simulated; the sources by publisher; the build
   time in Beijing time.

File names, CSV rows, figure ids, parameters and source addresses are for analysts: they are on
``reports/html-code/data.html`` (:mod:`analysis.build.data_page`), linked at the bottom.
Standard library only: the index is rewritten by every build, a no-op build stays fast.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from analysis.build import clock, data_page, run_facts
from analysis.build.page_style import LEADER_CSS
from analysis.build.page_text import table_words, w
from analysis.build.pages import check_offline, notebook_title, write_page
from analysis.build.plan import FAILED

_NUMBERED = re.compile(r"^\d{1,2}[\s.、]+")  # "05 年度科技工作汇报要点": the list numbers it
_MARKER = re.compile(r"\s*\*\s*(\S+)$")  # "全省第8位 *推断" whose note starts "推断：…"

# the one line of index.html that holds the build time (see index_html); pages have none
BUILD_TIME_LINE = '<p class="meta" id="built">'
SIMULATED_ANCHOR = "simulated"  # index.html#simulated: what the pages' simulated notes link to

# the review's files in reports/, linked when they exist: (href, word)
MATERIALS = (
    ("annual_review.pdf", "pdf"),
    ("annual_review.docx", "docx"),
    ("annual_review_tables.xlsx", "xlsx"),
    ("../figures/annual_review/captions.md", "pack"),
)

INDEX_CSS = """
.headline { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr));
  gap: 10px; margin: 10px 0 6px; }
.hl { border: 1px solid #e3e6ea; border-radius: 8px; padding: 10px 14px; background: #fafbfc; }
.hl .label { font-size: 15px; color: #57606a; }
.hl .value { font-size: 1.45em; font-weight: 700; line-height: 1.35; color: #1f2328; }
.hl.na .value { font-size: 1.05em; font-weight: 400; color: #57606a; }
.badge { display: inline-block; font-size: 14px; font-weight: 600; color: #b03a2e;
  border: 1px solid #b03a2e; border-radius: 3px; padding: 0 4px; margin-left: 6px;
  vertical-align: middle; line-height: 1.5; }
.basis { font-size: 15px; color: #57606a; margin: 4px 0 10px; }
ol.reports { padding-left: 1.5em; }
ol.reports li { margin: 8px 0; font-size: 1.05em; }
ul.plain { padding-left: 1.2em; }
ul.plain li { margin: 6px 0; }
.status { font-size: 15px; color: #b03a2e; }
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _link(href: str, text: str) -> str:
    return f'<a href="{_e(href)}">{_e(text)}</a>'


def _name(text: str, lang: str) -> str:
    """A Chinese name on an English page, marked as such (readers and tests know it is one)."""
    return f'<span lang="zh-CN">{_e(text)}</span>' if lang == "en" else _e(text)


def headline_block(
    headlines: dict[str, dict[str, str]],
    vintage: dict[str, str],
    sources: list[dict[str, str]],
    lang: str,
) -> str:
    """The three numbers a leader repeats, and in one line what they rest on."""
    cards = []
    for key in run_facts.HEADLINE_KEYS:
        h = headlines.get(key)
        if not h or not run_facts.true(h.get("available")):
            label = h.get("label", "") if h else ""
            # the summary's own words for a missing number (暂无<县>的统计局月报数据); a
            # headline the summary never wrote is not built yet
            value = (h.get("display") if h else "") or w("not_built", lang)
            cards.append(
                f'<div class="hl na"><div class="label">{_e(label)}</div>'
                f'<div class="value">{_e(value)}</div></div>'
            )
            continue
        badge = (
            f'<span class="badge">{_e(w("simulated_badge", lang))}</span>'
            if run_facts.true(h.get("simulated"))
            else ""
        )
        cards.append(
            f'<div class="hl"><div class="label">{_e(h.get("label", ""))}</div>'
            f'<div class="value">{_e(h.get("display", ""))}{badge}</div></div>'
        )
    basis = []
    if vintage.get("bureau_period"):
        as_of = w("as_of", lang, period=vintage["bureau_period"])
        basis.append(_e(w("bureau_basis", lang, as_of=as_of)))
    position_by = run_facts.publishers(
        [s for s in sources if s.get("file") == run_facts.POSITION_SOURCE], ("",)
    )
    if position_by and headlines.get("evaluation_latest"):
        names = _e(w("list_sep", lang)).join(_name(n, lang) for n in position_by)
        basis.append(_e(w("position_basis", lang)).format(publishers=names))
    return f'<section class="headline" id="headline">{"".join(cards)}</section>' + (
        f'<p class="basis">{" ".join(basis)}</p>' if basis else ""
    )


def simulated_line(headlines: dict[str, dict[str, str]], lang: str, link: bool = True) -> str:
    """One line, only when a number of the headline block is simulated; ``link``: to the
    details further down the page."""
    shown = [headlines.get(k) for k in run_facts.HEADLINE_KEYS]
    if not any(h and run_facts.true(h.get("simulated")) for h in shown):
        return ""
    details = f' <a href="#{SIMULATED_ANCHOR}">{_e(w("details", lang))}</a>' if link else ""
    return f'<p class="leader-note">{_e(w("simulated_line", lang))}{details}</p>'


def reports_block(reports: list[dict[str, Any]], lang: str) -> str:
    items = []
    for r in reports:
        title = _NUMBERED.sub("", r.get("title") or "") or r["name"]  # the list numbers them
        text = _link(f"html/{r['name']}.html", title) if r.get("built_at") else _e(title)
        if r.get("status") == "failed":
            text += f'<div class="status">{_e(w("report_failed", lang))}</div>'
        elif r.get("status") == "not built":
            text += f'<div class="status">{_e(w("not_built", lang))}</div>'
        items.append(f"<li>{text}</li>")
    return f'<ol class="reports">{"".join(items)}</ol>'


def materials_block(shared: dict[str, str], lang: str) -> str:
    if not shared:
        return f'<p class="meta">{_e(w("not_built", lang))}</p>'
    return (
        '<ul class="plain">'
        + "".join(f"<li>{_link(href, text)}</li>" for href, text in shared.items())
        + "</ul>"
    )


def notes_block(headlines: dict[str, dict[str, str]], lang: str) -> str:
    """The work report's own claim and any simulated evaluation result, apart from the
    published position they could be confused with."""
    notes = []
    claim = headlines.get(run_facts.CLAIM_KEY)
    if claim and run_facts.true(claim.get("available")):
        note = claim.get("note", "")
        note = note if note and not note.startswith(("http://", "https://")) else ""
        display = claim.get("display", "")
        marker = _MARKER.search(display)
        if marker and note.casefold().startswith(marker.group(1).casefold()):  # said once
            display = display[: marker.start()]
        notes.append(w("claim_note", lang, display=display, note=note).strip())
    score = headlines.get(run_facts.SCORE_KEY)
    if score and run_facts.true(score.get("available")) and run_facts.true(score.get("simulated")):
        notes.append(w("simulated_score_note", lang, display=score.get("display", "")))
    if not notes:
        return ""
    items = "".join(f"<li>{_e(n)}</li>" for n in notes)
    return f'<h2 id="notes">{_e(w("notes", lang))}</h2><ul class="plain">{items}</ul>'


def simulated_block(
    headlines: list[dict[str, str]],
    figures: list[dict[str, str]],
    vintage: dict[str, str],
    lang: str,
) -> str:
    """What rests on simulated stand-ins, in words (no file names)."""
    tables = run_facts.simulated_tables(headlines, vintage)
    charts = run_facts.simulated_figures(figures, lang)
    if not tables and not charts:
        return ""
    lis = "".join(f"<li>{_e(table_words(t, lang))}</li>" for t in tables)
    if charts:
        sub = "".join(f"<li>{_e(c)}</li>" for c in charts)
        lis += f'<li>{_e(w("simulated_charts", lang))}<ul class="plain">{sub}</ul></li>'
    return (
        f'<h2 id="{SIMULATED_ANCHOR}">{_e(w("simulated_heading", lang))}</h2>'
        f'<p>{_e(w("simulated_intro", lang))}</p><ul class="plain">{lis}</ul>'
    )


def sources_block(sources: list[dict[str, str]], lang: str) -> str:
    """The publishers of the published data, by name (never a web address)."""
    names = [_name(n, lang) for n in run_facts.publishers(sources, run_facts.PUBLISHED_PREFIXES)]
    if run_facts.has_work_report(sources):
        names.append(_e(w("work_report", lang)))
    if not names:
        return ""
    return (
        f'<h2 id="sources">{_e(w("sources", lang))}</h2>'
        f"<p>{_e(w('sources_intro', lang))}{_e(w('list_sep', lang)).join(names)}</p>"
    )


def index_html(
    params: dict[str, Any],
    reports: list[dict[str, Any]],
    sources: list[dict[str, str]],
    figures: list[dict[str, str]],
    headlines: list[dict[str, str]] | None = None,
    vintage: dict[str, str] | None = None,
    shared: dict[str, str] | None = None,
) -> str:
    """The landing page (see the module's docstring).

    ``reports``: dicts with name, title, built_at, status ('ok', 'failed', 'not built').
    ``shared``: link text by relative href, for the review files that exist.
    Deterministic: the same inputs give the same bytes. The build time appears on one line
    only, the one starting with :data:`BUILD_TIME_LINE`.
    """
    lang = "en" if params.get("lang") == "en" else "zh"
    rows = headlines or []
    by_key = run_facts.headlines_by_key(rows, lang)
    vintage = vintage or {}
    heading = _e(heading_of(params))
    built = max((clock.shown(r["built_at"]) for r in reports if r.get("built_at")), default="")
    built_line = _e(w("built", lang, time=built)) if built else ""
    return f"""<!DOCTYPE html>
<html lang="{"en" if lang == "en" else "zh-CN"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{heading}</title>
<style>
{LEADER_CSS}
{INDEX_CSS}
</style>
</head>
<body class="leader-page">
<main>
<h1 id="title">{heading}</h1>
<h2>{_e(w("headline", lang))}</h2>
{headline_block(by_key, vintage, sources, lang)}
{simulated_line(by_key, lang)}
<h2 id="reports">{_e(w("reports", lang))}</h2>
{reports_block(reports, lang)}
<h2 id="materials">{_e(w("materials", lang))}</h2>
{materials_block(shared or {}, lang)}
{notes_block(by_key, lang)}
{simulated_block(rows, figures, vintage, lang)}
{sources_block(sources, lang)}
{BUILD_TIME_LINE}{built_line}</p>
<p class="meta"><a href="html-code/index.html">{_e(w("analysts", lang))}</a></p>
</main>
</body>
</html>
"""


def heading_of(params: dict[str, Any]) -> str:
    lang = "en" if params.get("lang") == "en" else "zh"
    return w("heading", lang, county=params.get("county", ""), year=params.get("year", ""))


def shared_files(paths: Any, lang: str) -> dict[str, str]:
    """The review's files that exist, by href relative to reports/."""
    out = {}
    for href, word in MATERIALS:
        if (paths.reports / href).resolve().is_file():
            out[href] = w(word, lang)
    return out


def write_index(paths: Any, params: Any, steps: dict[str, Any], state: dict[str, Any]) -> Path:
    """Write ``reports/index.html`` and the analysts' ``reports/html-code/data.html`` from the
    build state (each only if its content changed)."""
    reports = []
    for name in sorted(steps):
        entry = state["steps"].get(name) or {}
        status = "ok" if entry else "not built"
        if (paths.reports / FAILED / f"{name}.ipynb").is_file():
            status = "failed"
        title = entry.get("title") or title_of(steps[name].notebook, params.lang)
        reports.append(
            {"name": name, "title": title, "built_at": entry.get("built_at", ""), "status": status}
        )
    provenance = paths.processed / "provenance.csv"
    sources = run_facts.read_rows(provenance if provenance.is_file() else paths.sources_csv)
    figures = run_facts.read_rows(paths.figures / "manifest.csv")
    headlines = run_facts.read_rows(paths.processed / "review_headlines.csv")
    vintage = run_facts.data_vintage(paths.processed, params.lang)
    page = index_html(
        params.as_dict(),
        reports,
        sources,
        figures,
        headlines=headlines,
        vintage=vintage,
        shared=shared_files(paths, params.lang),
    )
    check_offline(page, "index.html")
    target = paths.reports / "index.html"
    if not target.is_file() or target.read_text(encoding="utf-8") != page:
        write_page(target, page)
    data_page.write_data_page(
        paths, heading_of(params.as_dict()), params.as_dict(), sources, figures, headlines, vintage
    )
    return target


def title_of(notebook: Path, lang: str | None = None) -> str:
    """The title of a notebook as stored (its first heading), for one not built yet."""
    with open(notebook, encoding="utf-8") as fh:
        return notebook_title(json.load(fh), notebook.stem, lang)
