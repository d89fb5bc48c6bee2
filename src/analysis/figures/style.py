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
from typing import Any, cast

import matplotlib as mpl
from cycler import cycler
from matplotlib import font_manager
from matplotlib.figure import Figure

from analysis.figures.labels import t

CJK_FAMILY = "Noto Sans CJK SC"
CJK_FONT_FILE = "NotoSansCJK-Regular.ttc"
CJK_FONT_PACKAGE = "noto_cjk_sans_otc"

# One width for every figure: what a leader reads on a phone. A figure is shown at the width of
# the page's column (375 CSS px on a phone, less the margins), so its text shrinks by
# 375 / (width in pt); at 5 inches (12.7 cm, 360 pt) a 9-pt label is still 9.4 px on the phone,
# and the figure fills a print column too. Chart text is never set below MIN_FONT_PT
# (tests/test_figure_legibility.py measures it in the saved SVGs).
FIG_WIDTH_IN = 5.0
PHONE_WIDTH_PX = 375
MIN_TEXT_PX = 9.0
MIN_FONT_PT = 9.0  # >= MIN_TEXT_PX * 72 * FIG_WIDTH_IN / PHONE_WIDTH_PX (8.64)
FIG_SIZE_PRINT: tuple[float, float] = (FIG_WIDTH_IN, 3.4)  # the usual chart
FIG_SIZE_SCREEN: tuple[float, float] = (FIG_WIDTH_IN, 4.2)  # a taller chart, same width
FIG_SIZES = {"print": FIG_SIZE_PRINT, "screen": FIG_SIZE_SCREEN}
PNG_DPI = 300

# Colours mean one thing in every chart: blue = ahead / up / gain, red = behind / down /
# shortfall; the county under review is purple wherever it is singled out; groups, methods and
# kinds take the categorical cycle, which holds neither the blue nor the red.
PALETTE: dict[str, str] = {
    "ahead": "#1b6ca8",  # ahead of, up, gained
    "behind": "#c0392b",  # behind, down, short of
    "class_A": "#1b6ca8",  # the top class reads as 'ahead'
    "class_B": "#f28e2b",
    "class_C": "#59a14f",
    "county": "#6a3d9a",  # the county under review, wherever it appears
    "series": "#3d3d3d",  # an observed series (actual output, published growth)
    "neutral": "#9a9a9a",  # other units, totals, reference lines, context
    "simulated": "#d62728",  # the 'simulated data' mark
    "text": "#222222",
}
CYCLE: tuple[str, ...] = ("#f28e2b", "#59a14f", "#af7aa1", "#76b7b2", "#edc948", "#9c755f")
ONE_LINE_EM = 30.0  # characters (em) of a title line at the title size on a 5-inch figure

STYLE: dict[str, Any] = {
    "font.family": ["sans-serif"],
    "font.sans-serif": [CJK_FAMILY, "DejaVu Sans"],
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "legend.fontsize": 9.5,
    "legend.title_fontsize": 9.5,
    "figure.titlesize": 11,
    "axes.unicode_minus": False,
    "axes.prop_cycle": cycler(color=list(CYCLE)),
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
    mpl.rcParams.update(cast(Any, STYLE))  # the stubs type keys as literals; ours are str


def new_figure(kind: str = "print", **kwargs: Any) -> tuple[Figure, Any]:
    """A styled ``(fig, ax)`` of the usual (5 x 3.4 in) or taller size; kwargs go to subplots."""
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


NO_LINE_START = frozenset("，。；：、）)》”’%")  # never the first character of a line
NO_LINE_END = frozenset("（(《“‘")  # never the last


def _em(ch: str) -> float:
    """Approximate width of a character in em: CJK and full-width forms 1, others ~0.55."""
    return 1.0 if ord(ch) >= 0x2E80 else 0.55


def text_em(text: str) -> float:
    """The approximate width of one line of ``text`` in em (for wrapping, not layout)."""
    return sum(_em(c) for c in text)


def wrap_text(text: str, max_em: float) -> str:
    """Break ``text`` into lines of at most ``max_em`` em: at spaces or after punctuation in
    Latin text, anywhere between CJK characters, so long titles and tick labels fit a phone."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, width = "", 0.0
        tokens = [tok for tok in _tokens(paragraph)]
        for tok in tokens:
            w = text_em(tok)
            if line and width + w > max_em and tok not in NO_LINE_START:
                carry = line[-1] if line[-1] in NO_LINE_END else ""
                lines.append(line[: len(line) - len(carry)].rstrip())
                line = carry + tok.lstrip()
                width = text_em(line)
            else:
                line, width = line + tok, width + w
        lines.append(line.rstrip())
    return "\n".join(lines)


def _tokens(text: str) -> list[str]:
    """Latin words (with their trailing space) stay whole; each CJK character is a token."""
    out: list[str] = []
    word = ""
    for ch in text:
        if _em(ch) == 1.0:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
            if ch == " ":
                out.append(word)
                word = ""
    if word:
        out.append(word)
    return out
