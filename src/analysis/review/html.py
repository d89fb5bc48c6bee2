"""HTML fragments of the leadership page: the simulated-data notice, headline cards that wrap on
a phone, the drafted sentences with their sources, and figures inlined (the page works offline).
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from analysis.figures.labels import t


def _e(x: object) -> str:
    return html.escape(str(x), quote=True)


def banner_html(simulated_tables: list[str], lang: str) -> str:
    """The notice at the top of the summary: red when simulated inputs were used."""
    if not simulated_tables:
        return f'<p style="color:#2e7d32">{_e(t("no_simulated", lang))}</p>'
    text = t("simulated_banner", lang).format(tables=", ".join(simulated_tables))
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
            f" {t('csv_line', lang)} {h['source_row']}" if h["source_row"] else ""
        )
        color = "#222" if h["available"] else "#888"
        cards.append(
            '<div style="flex:1 1 150px;min-width:0;border:1px solid #ddd;border-radius:6px;'
            'padding:6px 10px">'
            f'<div style="font-size:0.85em;color:#555">{_e(h["label"])}</div>'
            f'<div style="font-size:1.2em;font-weight:bold;color:{color};'
            f'overflow-wrap:anywhere">{_e(h["display"])}</div>{sim}'
            f'<div style="font-size:0.75em;color:#777;overflow-wrap:anywhere">'
            f"{_e(t('source_short', lang))}: {_e(src)}</div></div>"
        )
    return f'<div style="display:flex;flex-wrap:wrap;gap:8px">{"".join(cards)}</div>'


def sentences_html(sentences: pd.DataFrame, lang: str) -> str:
    """The drafted sentences, each with its source; a simulated one carries its mark in its own
    text (analysis.review.build.marked), shown in red here."""
    items = []
    for _, s in sentences.iterrows():
        mark = t("simulated_sentence_mark", lang)
        text = str(s["text"])
        shown = (
            f'<strong style="color:#d62728">{_e(mark)}</strong>{_e(text[len(mark) :])}'
            if text.startswith(mark)
            else _e(text)
        )
        items.append(
            f"<li style='margin-bottom:6px'>{shown}"
            f"<br><small style='color:#777'>{_e(t('source_short', lang))}: "
            f"{_e(s['source_table'])}.csv {t('csv_line', lang)} "
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
