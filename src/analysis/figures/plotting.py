"""The one figure style, and how figures leave a notebook: PNG + SVG, manifest, 'simulated' mark.

Every figure in the review goes through :func:`new_figure` (style) and :func:`save_figure`
(export), so that:

* Chinese renders everywhere: the CJK font ships as a pip wheel (``noto-cjk-sans-otc``) and is
  registered here, so a fresh machine or CI needs no system fonts;
* outputs are byte-identical run to run (no timestamps, fixed SVG hash salt, glyphs as paths);
* each figure has an id, both titles, both captions and its sources in a per-notebook manifest
  (one writer per file, so notebooks run in parallel; the runner merges them);
* a figure drawn from simulated stand-ins says so on its face, not only in a table column.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure

from analysis.figures.labels import check_lang, t
from analysis.io import atomic_path, read_csv, write_csv
from analysis.paths import Paths

CJK_FAMILY = "Noto Sans CJK SC"
CJK_FONT_FILE = "NotoSansCJK-Regular.ttc"
CJK_FONT_PACKAGE = "noto_cjk_sans_otc"

FIG_SIZE_PRINT: tuple[float, float] = (16 / 2.54, 10 / 2.54)  # 16 x 10 cm, a page column
FIG_SIZE_SCREEN: tuple[float, float] = (8.0, 5.0)  # inches; reads on a phone at full width
FIG_SIZES = {"print": FIG_SIZE_PRINT, "screen": FIG_SIZE_SCREEN}
PNG_DPI = 300

PALETTE: dict[str, str] = {
    "class_A": "#1b6ca8",
    "class_B": "#f28e2b",
    "class_C": "#59a14f",
    "county": "#c0392b",  # the county under review, wherever it appears
    "neutral": "#9a9a9a",  # other units, reference lines, context
    "simulated": "#d62728",  # the 'simulated data' mark
    "text": "#222222",
}
CYCLE: tuple[str, ...] = ("#1b6ca8", "#f28e2b", "#59a14f", "#af7aa1", "#76b7b2", "#edc948")

STYLE: dict[str, Any] = {
    "font.family": ["sans-serif"],
    "font.sans-serif": [CJK_FAMILY, "DejaVu Sans"],
    "font.size": 9,
    "axes.titlesize": 10,
    "figure.titlesize": 11,
    "axes.unicode_minus": False,
    "axes.prop_cycle": mpl.cycler(color=list(CYCLE)),
    "axes.edgecolor": PALETTE["text"],
    "axes.labelcolor": PALETTE["text"],
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#e5e5e5",
    "grid.linewidth": 0.6,
    "text.color": PALETTE["text"],
    "xtick.color": PALETTE["text"],
    "ytick.color": PALETTE["text"],
    "legend.frameon": False,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.dpi": PNG_DPI,
    "svg.fonttype": "path",  # glyphs as outlines: the SVG renders without the font installed
    "svg.hashsalt": "analysis",  # stable element ids, so SVGs are byte-identical run to run
}

FIGURE_ID_RE = re.compile(r"^\d\d-[a-z0-9-]+$")
NOTEBOOK_RE = re.compile(r"^(\d\d)_[A-Za-z0-9_]+$")
SIMULATED_GID = "simulated-mark"
MANIFEST_NAME = "manifest.csv"


@dataclasses.dataclass(frozen=True)
class FigureRecord:
    """One row of a figure manifest; ``png``/``svg`` are relative to the figures folder."""

    figure_id: str
    notebook: str
    title_zh: str
    title_en: str
    caption_zh: str
    caption_en: str
    sources: str
    simulated: bool
    png: str
    svg: str


MANIFEST_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(FigureRecord))


# style --------------------------------------------------------------------------------------
def cjk_font_path() -> Path:
    """The Noto Sans CJK collection inside the pip wheel (no system font needed)."""
    path = Path(str(importlib.resources.files(CJK_FONT_PACKAGE) / CJK_FONT_FILE))
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: reinstall the 'noto-cjk-sans-otc' package.")
    return path


def _use_headless_backend_if_unset() -> None:
    """Choose Agg unless a backend was chosen already (Jupyter's inline one, a GUI, MPLBACKEND).

    ``get_backend(auto_select=False)`` is None while nothing was chosen; calling ``use`` in a
    kernel would replace the inline backend and figures would stop showing in the notebook.
    """
    if mpl.get_backend(auto_select=False) is None and "ipykernel" not in sys.modules:
        mpl.use("Agg")


def register_cjk_font() -> font_manager.FontPath:
    """Register the collection once and return where 'Noto Sans CJK SC' resolves.

    The .ttc holds JP, KR, SC, TC, HK faces (and Mono variants), which matplotlib lists under
    names like 'Noto Sans CJK SC'; we ask for SC by name and check it resolves to the wheel's
    file, so simplified-Chinese glyph shapes are used and a silent fallback cannot happen.
    """
    path = cjk_font_path()
    if not any(Path(entry.fname) == path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(path))
    found = font_manager.findfont(
        font_manager.FontProperties(family=CJK_FAMILY), fallback_to_default=False
    )
    if Path(found) != path:
        raise RuntimeError(f"{CJK_FAMILY!r} resolves to {found}, not to {path}.")
    return found


def setup_style() -> None:
    """Apply the house style; safe to call any number of times (every helper here calls it)."""
    _use_headless_backend_if_unset()
    register_cjk_font()
    mpl.rcParams.update(STYLE)


def new_figure(kind: str = "print", **kwargs: Any) -> tuple[Figure, Any]:
    """A styled ``(fig, ax)`` of the print (16 x 10 cm) or screen size; kwargs go to subplots."""
    import matplotlib.pyplot as plt  # after setup_style, so the backend is settled first

    if kind not in FIG_SIZES:
        raise ValueError(f"Unknown figure kind {kind!r}: use one of {', '.join(FIG_SIZES)}.")
    setup_style()
    kwargs.setdefault("figsize", FIG_SIZES[kind])
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(**kwargs)


# language -----------------------------------------------------------------------------------
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


def mark_simulated(fig: Figure, lang: str = "zh") -> Figure:
    """Stamp a red watermark saying the data are simulated; calling it twice keeps one mark."""
    text = t("simulated", lang)
    for existing in fig.texts:
        if existing.get_gid() == SIMULATED_GID:
            existing.set_text(text)
            return fig
    fig.text(
        0.5,
        0.5,
        text,
        gid=SIMULATED_GID,
        ha="center",
        va="center",
        rotation=20,
        fontsize=18,
        color=PALETTE["simulated"],
        alpha=0.45,
        zorder=10,
    )
    return fig


# export -------------------------------------------------------------------------------------
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


def read_manifest(path: Path) -> pd.DataFrame:
    """A manifest as written by this module (text columns, ``simulated`` as bool)."""
    df = read_csv(path, dtype=str, keep_default_na=False)
    missing = set(MANIFEST_COLUMNS) - set(df.columns)
    if missing:
        raise ValueError(f"{path}: manifest lacks columns {sorted(missing)}.")
    df = df[list(MANIFEST_COLUMNS)]
    return df.assign(simulated=df["simulated"].str.lower() == "true")


def _upsert_manifest(path: Path, record: FigureRecord) -> None:
    """Replace the record's row (re-running a cell must not duplicate it); sort for stable bytes."""
    row = pd.DataFrame([dataclasses.asdict(record)], columns=list(MANIFEST_COLUMNS))
    if path.is_file():
        old = read_manifest(path)
        row = pd.concat([old[old["figure_id"] != record.figure_id], row], ignore_index=True)
    write_csv(row.sort_values("figure_id", kind="stable").reset_index(drop=True), path)


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
    source_text = sources if isinstance(sources, str) else "; ".join(sources)
    texts = {"title_zh": title_zh, "title_en": title_en, "caption_zh": caption_zh}
    texts |= {"caption_en": caption_en, "sources": source_text}
    empty = [name for name, value in texts.items() if not value.strip()]
    if empty:
        raise ValueError(f"Figure {figure_id!r}: {', '.join(empty)} must not be empty.")

    setup_style()
    fig.suptitle(title_for((title_zh, title_en), lang))
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
    _upsert_manifest(folder / MANIFEST_NAME, record)
    # Closed so that the notebook shows it once (by ending the cell with ``fig``) rather than
    # again through the inline backend, and so that long batch runs do not hold every figure.
    import matplotlib.pyplot as plt

    plt.close(fig)
    return record


def merge_manifests(figures_dir: Path) -> pd.DataFrame:
    """Merge ``figures/*/manifest.csv`` into ``figures/manifest.csv``; ids must be unique.

    Run by the runner after the notebooks, so no two processes ever write the same file.
    """
    figures_dir = Path(figures_dir)
    parts = [read_manifest(p) for p in sorted(figures_dir.glob(f"*/{MANIFEST_NAME}"))]
    merged = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=list(MANIFEST_COLUMNS))
    )
    dupes = merged[merged["figure_id"].duplicated(keep=False)]
    if not dupes.empty:
        clashes = [
            f"{fid!r} in {' and '.join(sorted(group['notebook']))}"
            for fid, group in dupes.groupby("figure_id", sort=True)
        ]
        raise ValueError(
            f"Figure ids must be unique across notebooks: {'; '.join(clashes)}. Rename one of them."
        )
    merged = merged.sort_values("figure_id", kind="stable").reset_index(drop=True)
    write_csv(merged, figures_dir / MANIFEST_NAME)
    return merged
