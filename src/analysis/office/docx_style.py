"""Page, styles and fonts of the Word draft, as a county office formats a work report.

Page: A4 with the margins of a government document (top 3.7 cm, bottom 3.5 cm, left 2.8 cm,
right 2.6 cm), body 三号 (16 pt) at a fixed 28 pt line, first line indented two characters.

Fonts. Body text is 仿宋_GB2312 (what the office's templates name), headings and the title 黑体;
Latin letters and digits Times New Roman. Word picks the font of Chinese characters from the
East-Asian slot of a run (``w:rFonts/@w:eastAsia``), not from the ``w:ascii`` name that
python-docx's ``font.name`` sets, so every style sets ``w:eastAsia`` itself, and the theme-font
attributes of the built-in heading styles (which would override it) are removed.

The fallback is declared in the file, in two places:

* ``word/fontTable.xml`` lists each font with an alternative (``w:altName``) and the GB2312
  character set (``w:charset`` 86) and family: 仿宋_GB2312 → 仿宋 (the name on Windows since
  Vista, where the _GB2312 font is often missing), 仿宋 → Noto Serif CJK SC, 黑体 → Noto Sans
  CJK SC; Noto Serif/Sans CJK SC are declared too. Word and WPS substitute a missing font by
  this entry (its alternative name, else a font of the same character set and family), so a
  PC without 仿宋_GB2312 shows 仿宋, and one without either a GB2312 serif such as Noto.
* every style carries the language zh-CN for East-Asian text (``w:lang/@w:eastAsia``), so
  LibreOffice on Linux (fontconfig), lacking 仿宋, falls back to the *Simplified Chinese* face of
  Noto CJK rather than its Japanese one.
"""

from __future__ import annotations

from typing import cast

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
SMALL_SIZE = Pt(12)  # 小四: captions, sources, table text
TITLE_SIZE = Pt(22)  # 二号
LINE = Pt(28)
TEXT_WIDTH = Cm(21.0 - 2.8 - 2.6)
FIGURE_WIDTH = Cm(14.0)  # two figures with captions fit on a page
RED = RGBColor(0xC0, 0x00, 0x00)

# name -> (alternative name, family, pitch): written to word/fontTable.xml
FONT_TABLE: dict[str, tuple[str, str, str]] = {
    "仿宋_GB2312": ("仿宋", "modern", "fixed"),
    "仿宋": ("Noto Serif CJK SC", "modern", "fixed"),
    "黑体": ("Noto Sans CJK SC", "modern", "fixed"),
    "Noto Serif CJK SC": ("仿宋", "roman", "variable"),
    "Noto Sans CJK SC": ("黑体", "swiss", "variable"),
}


def set_fonts(element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Give a style's or a run's ``rPr`` explicit fonts in all slots and the languages
    (Western en-US, East-Asian zh-CN)."""
    _set_fonts_rpr(element.get_or_add_rPr(), east_asia, latin)


def _set_fonts_rpr(rpr, east_asia: str, latin: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")  # Latin text: Western line breaking (no break inside 96.49)
    lang.set(qn("w:eastAsia"), "zh-CN")


def chinese_defaults(doc: Document) -> None:
    """The default template is Japanese-East-Asian (document defaults and the theme language
    ``ja-JP``): make both Simplified Chinese, so no text falls back to a Japanese face."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts_rpr(rpr, BODY_FONT, LATIN_FONT)
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _style(doc: Document, name: str, font: str, size: Pt, bold: bool = False) -> ParagraphStyle:
    style = cast(ParagraphStyle, doc.styles[name])  # the draft styles only paragraph styles
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(style.element, font)
    return style


def apply_page_and_styles(doc: Document, lang: str = "zh") -> None:
    """A4, document margins, and the body/heading/caption styles of a work report (黑体 headings
    are not bold in Chinese; the English draft's Times New Roman headings are)."""
    chinese_defaults(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = _style(doc, "Normal", BODY_FONT, BODY_SIZE)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = Pt(32)  # two characters of 三号
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    title = _style(doc, "Title", HEADING_FONT, TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.space_after = Pt(6)
    title.paragraph_format.line_spacing = Pt(36)
    _no_border(title)
    for name in ("Heading 1", "Heading 2"):
        h = _style(doc, name, HEADING_FONT, BODY_SIZE, bold=lang == "en")
        h.paragraph_format.space_before = Pt(6)
        h.paragraph_format.space_after = Pt(0)
        h.paragraph_format.first_line_indent = Pt(32)
        h.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        h.paragraph_format.line_spacing = LINE
        h.paragraph_format.keep_with_next = True
    caption = _style(doc, "Caption", HEADING_FONT, SMALL_SIZE)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    caption.paragraph_format.space_after = Pt(2)
    declare_fallback_fonts(doc)


def _no_border(style: ParagraphStyle) -> None:
    """The default template's Title has a blue rule under it; a work report has none."""
    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def declare_fallback_fonts(doc: Document) -> None:
    """Add the CJK fonts with their alternatives to ``word/fontTable.xml`` (see the module)."""
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, (alt, family, pitch) in FONT_TABLE.items()
    )
    part._blob = xml.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")
