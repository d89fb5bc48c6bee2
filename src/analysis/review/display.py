"""The one display layer for what a leader reads: tables, notes and figure captions as HTML.

A leader never sees a raw frame: every table on a leadership page goes through
:func:`leader_table`, which writes Chinese (or English) headers with the unit in the header
(亿元, %, 个百分点), money in 亿元 with two decimals, growth with the bureau's published decimals
(one when unknown), percentage points with one decimal, no index, and 暂无 / "n/a" for a missing
value — never NaN, <NA>, True or False. Headers and words come from the one translation table
(:mod:`analysis.figures.labels`); numbers are rounded half-up by :mod:`analysis.review.numbers`.

The blocks carry the CSS classes the page stylesheet styles: ``leader-table`` (tables),
``leader-note`` (one-line notes, the simulated-data notice), ``leader-figure`` (a chart with its
caption and sources), ``leader-sentences`` (the drafted sentences of the summary). Each object
also has a plain-text ``repr`` (deterministic, for the executed notebook's text output), and
:meth:`LeaderTable.frame` gives the formatted cells (for tests).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.figures.inline import INLINE_WIDTH_PX, cached_scaled_png
from analysis.figures.labels import LABELS, check_lang, t
from analysis.figures.manifest import FigureRecord
from analysis.review.numbers import percent_text, pp_text, round_half_up, yi_text

# where a leadership page (reports/html/<notebook>.html) finds the details of the simulated
# stand-ins: a section of the landing page (reports/index.html)
SIMULATED_DETAILS_HREF = "../index.html#simulated"

KINDS = ("text", "label", "yi", "percent", "pp", "int", "number", "points", "bool")
# the unit each kind puts in its header (a label key), none for words and counts
UNIT_OF_KIND = {"yi": "unit_header_yi", "percent": "unit_header_percent", "pp": "unit_header_pp",
                "points": "unit_header_points"}  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One column of a leader table.

    ``name``: the column of the frame; ``header``: its label key in the translation table;
    ``kind``: how a cell is written (:data:`KINDS`): ``yi`` (万元 shown in 亿元), ``percent`` (a
    fraction shown in %), ``pp``, ``int``, ``number`` and ``points`` (``decimals``), ``bool``
    (是/否), ``label`` (the value is looked up in the translation table under ``prefix``+value,
    shown as stored when absent), ``text`` (as stored). ``decimals`` for ``percent`` may name a
    column of the frame holding the bureau's published decimals of each row.
    """

    name: str
    header: str
    kind: str = "text"
    decimals: int | str | None = None
    prefix: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: kind {self.kind!r} is not one of {KINDS}")


def is_missing(value: object) -> bool:
    """None, NaN, NaT, pd.NA and empty text all read as missing."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def header_text(col: Column, lang: str) -> str:
    """The header with its unit: '产值（亿元）' / 'Output (100 million yuan)'."""
    head = t(col.header, lang)
    unit = UNIT_OF_KIND.get(col.kind)
    return head + t(unit, lang) if unit else head


def _decimals(col: Column, row: pd.Series, default: int) -> int:
    d: Any = col.decimals
    if isinstance(d, str):
        d = row.get(d)
    return default if is_missing(d) else int(d)


def cell_text(value: Any, col: Column, row: pd.Series, lang: str) -> str:
    """One cell as a leader reads it."""
    if is_missing(value):
        return t("missing_value", lang)
    if col.kind == "yi":
        return yi_text(float(value))
    if col.kind == "percent":
        sign = "-" if float(value) < 0 else ""
        return sign + percent_text(float(value), _decimals(col, row, 1))
    if col.kind == "pp":
        return ("-" if float(value) < 0 else "") + pp_text(float(value))
    if col.kind == "int":
        return f"{round_half_up(float(value), 0):f}"
    if col.kind in ("number", "points"):
        d = _decimals(col, row, 2)
        return f"{round_half_up(float(value), d):f}"
    if col.kind == "bool":
        truthy = value if isinstance(value, bool) else str(value).strip().lower() == "true"
        return t("yes" if truthy else "no", lang)
    if col.kind == "label":
        key = f"{col.prefix}{value}"
        return t(key, lang) if key in LABELS else str(value)
    return str(value)


@dataclass(frozen=True)
class LeaderTable:
    """A formatted table: headers and cells as text, shown as ``<table class="leader-table">``."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=list(self.headers))

    def _repr_html_(self) -> str:
        e = html.escape
        cap = f"<caption>{e(self.caption)}</caption>" if self.caption else ""
        head = "".join(f"<th>{e(h)}</th>" for h in self.headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in self.rows
        )
        return (
            f'<table class="leader-table">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )

    def __repr__(self) -> str:
        lines = [self.caption] if self.caption else []
        lines += [" | ".join(self.headers), *(" | ".join(r) for r in self.rows)]
        return "\n".join(lines)


def leader_table(
    df: pd.DataFrame | None, columns: Sequence[Column], lang: str, caption: str = ""
) -> LeaderTable:
    """``df`` as a leader reads it: the given columns in order, formatted, headers translated.

    A missing frame or one without rows gives a one-row table saying 暂无数据 / "not available"
    under the same headers, so a page never shows an empty grid or an error.
    """
    check_lang(lang)
    headers = tuple(header_text(c, lang) for c in columns)
    if df is None or df.empty:
        empty = (t("not_available", lang), *[""] * (len(columns) - 1))
        return LeaderTable(headers, (empty,), caption)
    absent = [c.name for c in columns if c.name not in df.columns]
    if absent:
        raise KeyError(f"leader_table: the frame has no column(s) {absent}")
    rows = tuple(
        tuple(cell_text(row[c.name], c, row, lang) for c in columns) for _, row in df.iterrows()
    )
    return LeaderTable(headers, rows, caption)


@dataclass(frozen=True)
class LeaderHtml:
    """A block of HTML made for leaders, with a plain-text ``repr`` for the notebook's text."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def leader_note(text: str) -> LeaderHtml:
    """One short line under a chart or a section: ``<p class="leader-note">``."""
    return LeaderHtml(f'<p class="leader-note">{html.escape(text)}</p>', text)


def simulated_note(simulated: bool, lang: str, what: str = "") -> LeaderHtml:
    """The page's one line about simulated data, with a link to the details on the landing page;
    nothing (an empty block) when no simulated stand-in is used."""
    if not simulated:
        return LeaderHtml("", "")
    text = t("simulated_page_note", lang).format(what=what or t("simulated_what_default", lang))
    link = (
        f' <a href="{SIMULATED_DETAILS_HREF}">{html.escape(t("simulated_details_link", lang))}</a>'
    )
    return LeaderHtml(f'<p class="leader-note">{html.escape(text)}{link}</p>', text)


def inline_png(path: Path, width_px: int = INLINE_WIDTH_PX) -> str:
    """The PNG at ``path`` scaled to ``width_px`` (never up), base64: figures travel inside the
    page (offline) at a size a phone shows sharply, not at the 300-dpi print resolution. The
    scaled image is kept by content (:mod:`analysis.figures.inline`): a chart shown on two
    pages of one build is scaled once."""
    return base64.b64encode(cached_scaled_png(Path(path).read_bytes(), width_px)).decode()


def _record_field(record: FigureRecord | pd.Series, field: str) -> object:
    return getattr(record, field) if isinstance(record, FigureRecord) else record[field]


def leader_figure(record: FigureRecord | pd.Series, figures_dir: Path, lang: str) -> LeaderHtml:
    """A chart with its caption and sources (by publisher) as ``<figure class="leader-figure">``.

    ``record`` is what :func:`analysis.figures.export.save_figure` returned, or a row of a
    figure manifest; its title is drawn in the image, so the caption does not repeat it.
    """
    check_lang(lang)
    png = Path(figures_dir) / str(_record_field(record, "png"))
    title = str(_record_field(record, f"title_{lang}"))
    caption = str(_record_field(record, f"caption_{lang}"))
    sources = str(_record_field(record, "sources"))
    simulated = str(_record_field(record, "simulated")).lower() == "true"
    mark = t("simulated_sentence_mark", lang) if simulated else ""
    src = t("source_line", lang).format(sources=sources) if sources else ""
    body = (
        f'<img src="data:image/png;base64,{inline_png(png)}" alt="{html.escape(title)}">'
        f"<figcaption>{html.escape(mark + caption)}"
        + (f"<br><small>{html.escape(src)}</small>" if src else "")
        + "</figcaption>"
    )
    text = "\n".join(x for x in (title, mark + caption, src) if x)
    return LeaderHtml(f'<figure class="leader-figure">{body}</figure>', text)


def sentence_list(sentences: pd.DataFrame, lang: str) -> LeaderHtml:
    """The drafted sentences ready to paste, numbered, without file or line references (those
    are in the analysts' edition); a simulated one carries 【模拟数据】 in its own text."""
    check_lang(lang)
    if sentences is None or sentences.empty:
        return leader_note(t("not_available", lang))
    texts = [str(x) for x in sentences["text"]]
    items = "".join(f"<li>{html.escape(x)}</li>" for x in texts)
    plain = "\n".join(f"{i}. {x}" for i, x in enumerate(texts, 1))
    return LeaderHtml(f'<ol class="leader-sentences">{items}</ol>', plain)


def figure_block(
    records: Mapping[str, FigureRecord | pd.Series],
    figure_ids: Sequence[str],
    figures_dir: Path,
    lang: str,
) -> LeaderHtml:
    """The charts ``figure_ids`` that this run drew (in that order), each with its caption and
    sources; a chart the run did not draw (no data for it) is left out, never an error."""
    shown = [leader_figure(records[i], figures_dir, lang) for i in figure_ids if i in records]
    return LeaderHtml("".join(x.html for x in shown), "\n\n".join(x.text for x in shown))
