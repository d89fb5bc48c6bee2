"""The review in the office's own formats: a Word draft of the data sections
(``reports/annual_review.docx``) and the reusable result tables as Excel
(``reports/annual_review_tables.xlsx``).

Both are runner-own outputs made after 05 from the processed tables and the figure pack only
(:mod:`.sources`), byte-identical across builds on the same data (:mod:`.zipfix`). The runner
calls :func:`write_office_files` from :mod:`analysis.build.shared`.
"""

from __future__ import annotations

from pathlib import Path

DOCX = "reports/annual_review.docx"
XLSX = "reports/annual_review_tables.xlsx"


def write_office_files(
    out: Path, county: str, year: int, through_month: int, lang: str
) -> list[str]:
    """Write both files under the output folder ``out`` from the tables there; return them
    (relative to ``out``)."""
    from analysis.office.docx_draft import write_docx
    from analysis.office.sources import Run, read_inputs
    from analysis.office.xlsx_tables import write_xlsx_tables

    inputs = read_inputs(out)
    run = Run(county=county, year=int(year), through_month=int(through_month), lang=lang)
    write_docx(inputs, run, out / DOCX)
    write_xlsx_tables(inputs, run, out / XLSX)
    return [DOCX, XLSX]
