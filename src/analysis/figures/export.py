"""How a figure leaves a notebook: titled in the run's language, PNG (300 dpi) + SVG written
atomically without timestamps, and recorded in its notebook's manifest."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from analysis.figures.labels import check_lang
from analysis.figures.manifest import MANIFEST_NAME, FigureRecord, upsert_manifest
from analysis.figures.style import PNG_DPI, mark_simulated, setup_style, wrap_text
from analysis.io import atomic_path
from analysis.paths import Paths

FIGURE_ID_RE = re.compile(r"^\d\d-[a-z0-9-]+$")
NOTEBOOK_RE = re.compile(r"^(\d\d)_[A-Za-z0-9_]+$")


def title_for(
    titles: FigureRecord | Mapping[str, str] | pd.Series | Sequence[str], lang: str = "zh"
) -> str:
    """The title to show in ``lang``: from a record, a manifest row or mapping, or a (zh, en) pair.

    Notebooks always pass both languages, so switching ``lang`` never needs a notebook edit.
    """
    check_lang(lang)
    if isinstance(titles, FigureRecord):
        return titles.title_zh if lang == "zh" else titles.title_en
    if isinstance(titles, Mapping | pd.Series):
        return titles[f"title_{lang}"]
    zh, en = titles
    return zh if lang == "zh" else en


def title_wrapped(fig: Figure, title: str) -> str:
    """The title in as many lines as the figure's width needs (a phone shows it whole)."""
    from matplotlib import rcParams
    from matplotlib.font_manager import FontProperties

    size = FontProperties(size=rcParams["figure.titlesize"]).get_size_in_points()
    return wrap_text(title, 0.95 * fig.get_figwidth() * 72 / size)


def check_figure_id(figure_id: str, notebook: str) -> None:
    """Ids look like ``02-contributions`` and carry their notebook's number, so they stay unique."""
    nb = NOTEBOOK_RE.match(notebook)
    if not nb:
        raise ValueError(f"Notebook name {notebook!r} should look like '02_output_growth'.")
    if not FIGURE_ID_RE.match(figure_id):
        raise ValueError(
            f"Figure id {figure_id!r} should look like '{nb.group(1)}-contributions': "
            "two digits, a hyphen, then lower-case letters, digits and hyphens."
        )
    if figure_id[:2] != nb.group(1):
        raise ValueError(
            f"Figure id {figure_id!r} must start with {nb.group(1)!r}, the number of its "
            f"notebook {notebook!r}."
        )


def _save_deterministic(fig: Figure, target: Path, fmt: str) -> None:
    """Save without timestamps or version strings; the temp file has no suffix, so pass format."""
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format=fmt, dpi=PNG_DPI, metadata=metadata)


def save_figure(
    fig: Figure,
    *,
    paths: Paths,
    notebook: str,
    figure_id: str,
    title_zh: str,
    title_en: str,
    caption_zh: str,
    caption_en: str,
    sources: str | Sequence[str],
    simulated: bool,
    lang: str = "zh",
) -> FigureRecord:
    """Title the figure in ``lang``, mark it if simulated, write PNG + SVG, record it.

    Writes ``figures/<notebook>/<figure_id>.png`` (300 dpi) and ``.svg`` atomically and updates
    ``figures/<notebook>/manifest.csv``. Both languages go to the manifest whatever ``lang`` is,
    so the report can caption the figure in either.
    """
    check_lang(lang)
    check_figure_id(figure_id, notebook)
    source_text = sources if isinstance(sources, str) else "；".join(sources)
    texts = {"title_zh": title_zh, "title_en": title_en, "caption_zh": caption_zh}
    texts |= {"caption_en": caption_en, "sources": source_text}
    empty = [name for name, value in texts.items() if not value.strip()]
    if empty:
        raise ValueError(f"Figure {figure_id!r}: {', '.join(empty)} must not be empty.")

    setup_style()
    fig.suptitle(title_wrapped(fig, title_for((title_zh, title_en), lang)))
    if simulated:
        mark_simulated(fig, lang)
    folder = paths.figure_dir(notebook)
    for fmt in ("png", "svg"):
        _save_deterministic(fig, folder / f"{figure_id}.{fmt}", fmt)
    record = FigureRecord(
        figure_id=figure_id,
        notebook=notebook,
        **texts,
        simulated=bool(simulated),
        png=f"{notebook}/{figure_id}.png",
        svg=f"{notebook}/{figure_id}.svg",
    )
    upsert_manifest(folder / MANIFEST_NAME, record)
    # Closed so that the notebook shows it once (by ending the cell with ``fig``) rather than
    # again through the inline backend, and so that long batch runs do not hold every figure.
    import matplotlib.pyplot as plt

    plt.close(fig)
    return record
