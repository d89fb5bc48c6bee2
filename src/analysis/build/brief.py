"""The printed brief for leaders (``reports/annual_review.pdf``): at most four A4 pages, made for
print rather than cut from the notebooks.

1. the headline block (output, growth, published position; what they rest on), the simulated
   line, and the notes (the work report's own claim, simulated results);
2. and 3. the key charts, two to a page, each with its caption;
4. the drafted sentences (``review_sentences.csv``, the run's language), ready to paste, and
   the publishers of the sources.

Each part starts a new page and is sized to fit one (charts at most 112 mm high), so the PDF
has at most 4 pages whatever the data. Built from the build's view of the outputs (``find``:
the staged file of this build, else the one in place), figures inline, no network.
Standard library only.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.build import index, run_facts
from analysis.build.page_style import LEADER_CSS
from analysis.build.page_text import w

Find = Callable[[str], Path]

# the charts a leader is shown, in order (figure ids of figures/manifest.csv); missing ones are
# replaced by the next figures of the manifest, so the brief always has up to four
KEY_FIGURES = ("02-monthly", "02-projection", "03-city-peers", "03-rank-gain")
N_FIGURES = 4
SUMMARY_NOTEBOOK = "05_annual_review"

BRIEF_CSS = """
@page { size: A4; margin: 14mm 14mm; }
body { font-size: 11pt; line-height: 1.6; }
main { max-width: none; padding: 0; }
.sheet { break-after: page; page-break-after: always; }
.sheet:last-child { break-after: auto; page-break-after: auto; }
h1 { font-size: 19pt; margin: 0 0 6mm; }
h2 { font-size: 13.5pt; margin: 0 0 3mm; }
figure { margin: 0 0 6mm; break-inside: avoid; page-break-inside: avoid; }
figure img { max-height: 108mm; max-width: 100%; width: auto; margin: 0 auto; }
figcaption { font-size: 9.5pt; line-height: 1.45; color: #444; }
figcaption b { color: #1f2328; font-size: 10.5pt; }
ol.sentences li { margin: 0 0 2.5mm; font-size: 10.5pt; }
.hl .value { font-size: 16pt; }
.meta, .basis, .leader-note, li { font-size: 10pt; }
.badge { font-size: 8pt; }
table.brief-numbers { display: table; font-size: 10pt; margin: 0 0 4mm; }
table.brief-numbers th { background: none; font-weight: 400; color: #444; }
table.brief-numbers td { font-weight: 600; white-space: normal; }
table.brief-numbers th, table.brief-numbers td { padding: 1.2mm 3mm; }
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def run_parameters(executed: Path) -> dict[str, Any]:
    """The parameters papermill gave the summary notebook (county, year, lang ...)."""
    if not executed.is_file():
        return {}
    nb = json.loads(executed.read_text(encoding="utf-8"))
    return dict(nb.get("metadata", {}).get("papermill", {}).get("parameters", {}))


def key_figures(figures: list[dict[str, str]]) -> list[dict[str, str]]:
    """Up to :data:`N_FIGURES` figures: :data:`KEY_FIGURES` first, then the manifest's order."""
    by_id = {f.get("figure_id", ""): f for f in figures}
    chosen = [by_id[i] for i in KEY_FIGURES if i in by_id]
    chosen += [f for f in figures if f not in chosen]
    return chosen[:N_FIGURES]


def _figure(f: dict[str, str], find: Find, lang: str) -> str:
    png = find(f"figures/{f.get('png', '')}")
    if not f.get("png") or not png.is_file():
        return ""
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    title = f.get("title_en" if lang == "en" else "title_zh", "")
    caption = f.get("caption_en" if lang == "en" else "caption_zh", "")
    return (
        f'<figure><img alt="{_e(title)}" src="data:image/png;base64,{data}">'
        f"<figcaption><b>{_e(title)}</b> {_e(caption)}</figcaption></figure>"
    )


def leader_sentences(sentences: list[dict[str, str]]) -> list[dict[str, str]]:
    """The sentences for leaders: the work report's claim and a simulated rank are in the notes
    of page 1, never listed beside the published position (the rule of
    :func:`analysis.review.views.leader_sentences`, on CSV rows)."""
    from analysis.review.views import NOTE_SENTENCES, SIMULATED_RANK_SENTENCES

    return [
        s
        for s in sentences
        if s.get("sentence_id") not in NOTE_SENTENCES
        and not (
            s.get("sentence_id") in SIMULATED_RANK_SENTENCES and run_facts.true(s.get("simulated"))
        )
    ]


def more_numbers(by_key: dict[str, dict[str, str]], lang: str) -> str:
    """The other headline numbers a leader may quote, as a two-column table."""
    skip = {*run_facts.HEADLINE_KEYS, run_facts.CLAIM_KEY, run_facts.SCORE_KEY,
            *run_facts.ANALYST_KEYS}  # fmt: skip
    rows = []
    for key, h in by_key.items():
        if key in skip or not run_facts.true(h.get("available")):
            continue
        badge = (
            f' <span class="badge">{_e(w("simulated_badge", lang))}</span>'
            if run_facts.true(h.get("simulated"))
            else ""
        )
        rows.append(
            f"<tr><th>{_e(h.get('label', ''))}</th><td>{_e(h.get('display', ''))}{badge}</td></tr>"
        )
    if not rows:
        return ""
    return (
        f"<h2>{_e(w('brief_more', lang))}</h2>"
        f'<table class="leader-table brief-numbers"><tbody>{"".join(rows)}</tbody></table>'
    )


def brief_html(
    params: dict[str, Any],
    headlines: list[dict[str, str]],
    sentences: list[dict[str, str]],
    figures: list[dict[str, str]],
    sources: list[dict[str, str]],
    vintage: dict[str, str],
    find: Find,
) -> str:
    """The brief's page (print layout), self-contained."""
    lang = "en" if params.get("lang") == "en" else "zh"
    by_key = run_facts.headlines_by_key(headlines, lang)
    title = _e(w("brief_title", lang, county=params.get("county", ""), year=params.get("year", "")))
    charts = [c for c in (_figure(f, find, lang) for f in key_figures(figures)) if c]
    chart_pages = "".join(
        f'<section class="sheet">{"<h2>" + _e(w("brief_charts", lang)) + "</h2>" if i == 0 else ""}'
        f"{''.join(charts[i : i + 2])}</section>"
        for i in range(0, len(charts), 2)
    )
    own = [s for s in leader_sentences(sentences) if s.get("lang", lang) in (lang, "")]
    items = "".join(f"<li>{_e(s.get('text', ''))}</li>" for s in own)
    marked = any(run_facts.true(s.get("simulated")) for s in own)
    sentence_page = (
        f'<section class="sheet"><h2>{_e(w("brief_sentences", lang))}</h2>'
        + (f'<p class="leader-note">{_e(w("brief_sentences_note", lang))}</p>' if marked else "")
        + f'<ol class="sentences">{items}</ol>{index.sources_block(sources, lang)}</section>'
        if own
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="{"en" if lang == "en" else "zh-CN"}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
{LEADER_CSS}
{index.INDEX_CSS}
{BRIEF_CSS}
</style>
</head>
<body class="leader-page">
<main>
<section class="sheet">
<h1>{title}</h1>
{index.headline_block(by_key, vintage, sources, lang)}
{index.simulated_line(by_key, lang, link=False)}
{more_numbers(by_key, lang)}
{index.notes_block(by_key, lang)}
</section>
{chart_pages}
{sentence_page}
</main>
</body>
</html>
"""


def write_brief(find: Find, target: Path) -> Path | None:
    """Write the brief's HTML to ``target`` from the build's view of the outputs (``find``);
    None when the summary notebook has not run."""
    params = run_parameters(find(f"reports/{SUMMARY_NOTEBOOK}.ipynb"))
    if not params:
        return None
    lang = "en" if params.get("lang") == "en" else "zh"
    provenance = find("data/processed/provenance.csv")
    page = brief_html(
        params,
        run_facts.read_rows(find("data/processed/review_headlines.csv")),
        run_facts.read_rows(find("data/processed/review_sentences.csv")),
        run_facts.read_rows(find("figures/manifest.csv")),
        run_facts.read_rows(provenance if provenance.is_file() else find("data/raw/SOURCES.csv")),
        run_facts.vintage_of(
            run_facts.read_rows(find("data/processed/industry_monthly.csv")),
            run_facts.read_rows(find("data/processed/evaluation_rounds.csv")),
            lang,
        ),
        find,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8")
    return target
