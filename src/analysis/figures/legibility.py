"""How large a figure's text is on a phone, measured in the saved SVG.

A leader opens a page on a phone: each figure is shrunk to the column, about 375 CSS px, so a
label's size on the screen is its size in points times 375 / the figure's width in points. The
SVG records both: its ``width`` (pt), and, with glyphs saved as outlines
(``svg.fonttype = "path"``), each text as a group ``text_N`` scaled from matplotlib's 100-unit
glyphs, so ``scale(0.09 -0.09)`` is 9-pt text. Measuring the file rather than the code catches
whatever drew the text (tick labels, legends, annotations, titles).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.figures.style import MIN_TEXT_PX, PHONE_WIDTH_PX

GLYPH_UNITS = 100.0  # matplotlib's path-text glyphs are defined at this size (FONT_SCALE)
_WIDTH = re.compile(r'<svg[^>]*\swidth="([\d.]+)pt"')
_TEXT_GROUP = re.compile(r'<g id="text_\d+">(.*?)(?=<g id="text_\d+">|\Z)', re.S)
_LABEL = re.compile(r"<!--\s?(.*?)\s?-->", re.S)
_SCALE = re.compile(r"scale\(([\d.]+)\s+-[\d.]+\)")


@dataclass(frozen=True)
class SvgText:
    text: str
    size_pt: float


def svg_width_pt(svg: str) -> float:
    """The figure's width in points, from the root element."""
    m = _WIDTH.search(svg)
    if m is None:
        raise ValueError("not a matplotlib SVG: no width in pt on the <svg> element")
    return float(m.group(1))


def svg_texts(svg: str) -> list[SvgText]:
    """Every text of the figure with its size in points (glyphs saved as paths)."""
    out = []
    for group in _TEXT_GROUP.findall(svg):
        label = _LABEL.search(group)
        scale = _SCALE.search(group)
        if scale is None:  # an empty text draws nothing
            continue
        out.append(SvgText(label.group(1) if label else "", float(scale.group(1)) * GLYPH_UNITS))
    return out


def shown_px(size_pt: float, width_pt: float, shown_width_px: float = PHONE_WIDTH_PX) -> float:
    """A text's height in CSS px when the figure is shown ``shown_width_px`` wide."""
    return size_pt * shown_width_px / width_pt


def too_small(svg: str, min_px: float = MIN_TEXT_PX, shown_width_px: float = PHONE_WIDTH_PX):
    """The texts under ``min_px`` on a phone, each with its size there (empty when legible)."""
    width = svg_width_pt(svg)
    return [
        (t.text, round(shown_px(t.size_pt, width, shown_width_px), 2))
        for t in svg_texts(svg)
        if shown_px(t.size_pt, width, shown_width_px) < min_px - 1e-9
    ]
