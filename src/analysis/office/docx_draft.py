"""The Word draft of the review's data sections (``reports/annual_review.docx``).

What the office would otherwise paste by hand: a title with county, year and data vintage; a
first-page notice when any number rests on a simulated stand-in; 表1 of the headline numbers;
then one numbered section per topic of ``review_sentences.csv`` with its drafted sentences
(the text as written there, i.e. with the bureau's decimals) and the figures of the notebooks
behind that topic, at a printable width with numbered captions (图1 … in the order they appear)
and their sources. Every paragraph, caption and table resting on a stand-in carries the
simulated mark. Page, styles and fonts: :mod:`analysis.office.docx_style`.

The file is byte-identical across builds on the same data: the core properties' times come from
the data vintage, the revision is fixed at 1, and the zip entries are re-dated
(:mod:`analysis.office.zipfix`).
"""

from __future__ import annotations

from pathlib import Path

import docx
import pandas as pd
from docx.document import Document
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from analysis.figures.labels import t, table_words
from analysis.office import docx_style as st
from analysis.office.numbering import marked, section_number, subsection_number, value_text
from analysis.office.sources import OfficeInputs, Run
from analysis.office.zipfix import save_fixed
from analysis.review.numbers import month_en, span_text

# sentence topic -> (heading label, notebooks whose figures belong to it), in report order
TOPICS: dict[str, tuple[str, tuple[str, ...]]] = {
    "output": ("office_section_output", ("02_output_growth",)),
    "evaluation": ("office_section_evaluation", ("01_ingest", "03_innovation_ranking")),
    "indicators": ("office_section_indicators", ("04_sti_indicators",)),
    "note": ("office_section_note", ("05_annual_review",)),
}
# headline unit -> label of the unit its display text is written in
UNIT_LABELS = {
    "万元": "unit_yi_yuan",
    "fraction": "unit_percent",
    "probability": "unit_percent",
    "pp": "unit_pp",
    "position": "office_unit_place",
    "points": "office_unit_points",
    "件": "unit_items",
    "家": "unit_enterprises",
    "ratio": "office_unit_ratio",
}
# 表1's columns (sum = the text width, 15.6 cm); English units ("100 million yuan") are longer
COLUMN_WIDTHS_CM = {"zh": (1.4, 5.6, 4.4, 1.8, 2.4), "en": (1.2, 5.4, 4.0, 2.6, 2.4)}
CENTRED_COLUMNS = {0, 3, 4}  # number, unit, simulated flag
GREY = RGBColor(0x59, 0x59, 0x59)


def unit_text(unit: str, lang: str) -> str:
    key = UNIT_LABELS.get(str(unit))
    return t(key, lang) if key else str(unit)


def _run(p: Paragraph, text: str, *, size: Pt | None = None, bold: bool = False,
         color: RGBColor | None = None, font: str | None = None) -> None:  # fmt: skip
    r = p.add_run(text)
    if size is not None:
        r.font.size = size
    r.font.bold = bold or None
    if color is not None:
        r.font.color.rgb = color
    if font is not None:
        st.set_fonts(r._r, font)


def _plain(p: Paragraph, center: bool = False) -> Paragraph:
    """A paragraph without the body's indent and fixed line (pictures, table cells, notes)."""
    pf = p.paragraph_format
    pf.first_line_indent = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    return p


def _page_numbers(doc: Document) -> None:
    """'— 1 —' centred in the footer, as in a printed work report."""
    p = _plain(doc.sections[0].footer.paragraphs[0], center=True)
    _run(p, "— ", size=Pt(14))
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)
    _run(p, " —", size=Pt(14))


def simulated_tables(inp: OfficeInputs) -> list[str]:
    """The tables behind a simulated number of the draft (as the review's banner names them)."""
    tabs = [
        *inp.headlines.loc[inp.headlines["simulated"], "source_table"],
        *inp.sentences.loc[inp.sentences["simulated"], "source_table"],
    ]
    return sorted(set(map(str, tabs)))


def _front(doc: Document, inp: OfficeInputs, run: Run) -> None:
    lang = run.lang
    doc.add_paragraph(t("office_title", lang).format(county=run.county, year=run.year), "Title")
    p = _plain(doc.add_paragraph(), center=True)
    _run(p, t("office_subtitle", lang), font=st.BODY_FONT)
    span = span_text(run.through_month, lang)
    vintage = t("office_vintage", lang).format(
        year=run.year, month=run.through_month, month_en=month_en(run.through_month), span=span
    )
    p = _plain(doc.add_paragraph(), center=True)
    _run(p, f"{vintage} · {t('office_draft', lang)}", size=st.SMALL_SIZE, font=st.BODY_FONT)
    tables = simulated_tables(inp)
    if tables or inp.captions["simulated"].any():
        p = _plain(doc.add_paragraph())
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.space_after = Pt(6)
        words = [table_words(name, lang) for name in tables] or [t("office_figures", lang)]
        text = t("simulated_banner", lang).format(tables=t("site_list_sep", lang).join(words))
        _run(p, text, size=st.SMALL_SIZE, bold=True, color=st.RED)
    p = _plain(doc.add_paragraph())
    p.paragraph_format.space_after = Pt(6)
    _run(p, t("office_draft_note", lang), size=st.SMALL_SIZE, color=GREY)


def _cell(cell, text: str, header: bool, center: bool = False) -> None:
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    p = _plain(cell.paragraphs[0], center=header or center)
    _run(p, text, size=st.SMALL_SIZE, font=st.HEADING_FONT if header else st.BODY_FONT)


def headline_table(doc: Document, headlines: pd.DataFrame, lang: str, number: int = 1) -> None:
    """表1: one row per headline number: item, value as written, its unit, source, flag."""
    sim = bool(headlines["simulated"].any())
    caption = t("office_table_caption", lang).format(
        n=number, title=t("office_section_headlines", lang)
    )
    doc.add_paragraph(_suffix(caption, sim, lang), "Caption")
    keys = ("office_col_no", "office_col_item", "office_col_value", "office_col_unit",
            "office_col_simulated")  # fmt: skip
    table = doc.add_table(rows=1, cols=len(keys))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, key in zip(table.rows[0].cells, keys):
        _cell(cell, t(key, lang), header=True)
    for i, (_, h) in enumerate(headlines.iterrows(), start=1):
        values = (
            str(i),
            str(h["label"]),
            value_text(h["display"]),
            unit_text(h["unit"], lang),
            t("office_yes" if h["simulated"] else "office_no", lang),
        )
        for j, (cell, v) in enumerate(zip(table.add_row().cells, values)):
            _cell(cell, v, header=False, center=j in CENTRED_COLUMNS)
    _widths(table, COLUMN_WIDTHS_CM[lang])
    _row_flags(table)
    p = _plain(doc.add_paragraph())
    p.paragraph_format.space_after = Pt(8)
    _run(p, t("office_table_source", lang), size=Pt(10.5), color=GREY)


def _widths(table, widths_cm: tuple[float, ...]) -> None:
    """Column widths in the grid (LibreOffice and WPS read ``w:tblGrid``) and in every cell
    (Word reads ``w:tcW``), so the table spans the text width in all three."""
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(Cm(width).twips))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _row_flags(table) -> None:
    """No row split across pages; the header row repeated on each page the table spans."""
    for i, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader")[: 2 if i == 0 else 1]:
            el = OxmlElement(tag)
            el.set(qn("w:val"), "true")
            trpr.append(el)


def _suffix(caption: str, simulated: bool, lang: str) -> str:
    """Captions carry the mark at their end (图1 标题【模拟数据】)."""
    mark = t("simulated_sentence_mark", lang).strip()
    if not simulated or mark in caption:
        return caption
    return f"{caption}{mark}" if lang == "zh" else f"{caption} {mark}"


def _figure(doc: Document, inp: OfficeInputs, row: pd.Series, n: int, lang: str) -> None:
    p = _plain(doc.add_paragraph(), center=True)
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(str(inp.pack / str(row["file_png"])), width=st.FIGURE_WIDTH)
    title = str(row[f"title_{lang}"])
    caption = t("office_figure_caption", lang).format(n=n, title=title)
    cap = doc.add_paragraph(_suffix(caption, bool(row["simulated"]), lang), "Caption")
    cap.paragraph_format.keep_with_next = True
    src = _plain(doc.add_paragraph(), center=True)
    src.paragraph_format.space_after = Pt(8)
    src.paragraph_format.keep_together = True
    text = t("office_figure_source", lang).format(sources=row["sources"])
    _run(src, text, size=Pt(10.5), color=GREY)


def _sentence(doc: Document, s: pd.Series, lang: str) -> None:
    p = doc.add_paragraph()
    _run(p, marked(str(s["text"]), bool(s["simulated"]), lang))
    rows = str(s["source_row"]).replace(";", "、" if lang == "zh" else ", ")
    src = t("office_sentence_source", lang).format(table=s["source_table"], rows=rows)
    _run(p, src, size=Pt(10.5), color=GREY)


def _topic_order(sentences: pd.DataFrame) -> list[str]:
    seen = list(dict.fromkeys(map(str, sentences["topic"])))
    return [k for k in TOPICS if k in seen] + [k for k in seen if k not in TOPICS]


def build_document(inp: OfficeInputs, run: Run) -> Document:
    """The draft as a python-docx document (not yet saved)."""
    lang = run.lang
    doc = docx.Document()
    st.apply_page_and_styles(doc, lang)
    _page_numbers(doc)
    _front(doc, inp, run)
    section = 1
    doc.add_heading(section_number(section, lang) + t("office_section_headlines", lang), 1)
    headline_table(doc, inp.headlines, lang)
    figures = inp.captions.sort_values("number", kind="stable")
    placed: set[str] = set()
    n_fig = 0
    for topic in _topic_order(inp.sentences):
        label, notebooks = TOPICS.get(topic, ("office_section_other", ()))
        rows = inp.sentences[inp.sentences["topic"].astype(str) == topic]
        figs = figures[figures["notebook"].isin(notebooks) & ~figures["figure_id"].isin(placed)]
        section += 1
        doc.add_heading(section_number(section, lang) + t(label, lang), 1)
        sub = 0
        if len(rows):
            sub += 1
            doc.add_heading(subsection_number(sub, lang) + t("office_sub_text", lang), 2)
            for _, s in rows.iterrows():
                _sentence(doc, s, lang)
        if len(figs):
            sub += 1
            doc.add_heading(subsection_number(sub, lang) + t("office_sub_figures", lang), 2)
            for _, f in figs.iterrows():
                n_fig += 1
                _figure(doc, inp, f, n_fig, lang)
                placed.add(str(f["figure_id"]))
    rest = figures[~figures["figure_id"].isin(placed)]
    if len(rest):
        section += 1
        doc.add_heading(section_number(section, lang) + t("office_section_other", lang), 1)
        for _, f in rest.iterrows():
            n_fig += 1
            _figure(doc, inp, f, n_fig, lang)
    _core_properties(doc, run)
    return doc


def _core_properties(doc: Document, run: Run) -> None:
    cp = doc.core_properties
    cp.title = t("office_title", run.lang).format(county=run.county, year=run.year)
    cp.subject = t("office_draft", run.lang)
    cp.author = cp.last_modified_by = "analysis"
    cp.language = "zh-CN" if run.lang == "zh" else "en-GB"
    cp.created = cp.modified = run.vintage_date
    cp.revision = 1
    cp.comments = "made by `make report` from data/processed and figures/annual_review"


def write_docx(inp: OfficeInputs, run: Run, target: Path) -> Path:
    """Build the draft and write it to ``target`` atomically, byte-stable (see the module)."""
    return save_fixed(build_document(inp, run).save, target, run.vintage_date)
