"""The one figure style: the CJK font, palette, sizes, and the 'simulated' watermark.

Every figure goes through :func:`new_figure`, so that Chinese renders everywhere (the CJK font
ships as a pip wheel, ``noto-cjk-sans-otc``, and is registered here: a fresh machine or CI needs
no system fonts) and SVGs are byte-identical run to run (fixed hash salt, glyphs as paths). A
figure drawn from simulated stand-ins says so on its face (:func:`mark_simulated`), not only in
a table column.
"""

from __future__ import annotations

import importlib.resources
import sys
from pathlib import Path
from typing import Any

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure

from analysis.figures.labels import t

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

SIMULATED_GID = "simulated-mark"


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
