"""Writing tables and files safely and reproducibly.

Every output is written to a temporary file beside its target and moved into place with
``os.replace``, so a crash or Ctrl-C never leaves a half-written file and the last good version
survives a failed run. CSVs meant for people are UTF-8 with BOM (Excel and WPS read that as
Chinese text) with ``\\n`` line ends, so two runs produce byte-identical files.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where a table is read or written, not by the runner
    import pandas as pd

CSV_ENCODING = "utf-8-sig"


def _umask() -> int:
    """The process's umask (read by setting and restoring it: there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes the file readable by its owner only; give it the permissions any new
        # file gets under the user's umask, so colleagues can read the outputs.
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@contextlib.contextmanager
def atomic_open(
    target: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8"
) -> Iterator[IO]:
    """Open a temporary file for writing; it replaces ``target`` only if the block succeeds."""
    with atomic_path(target) as tmp:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with open(tmp, mode, **kwargs) as fh:
            yield fh


def write_csv(df: pd.DataFrame, target: str | os.PathLike[str]) -> Path:
    """Write ``df`` as a UTF-8-with-BOM CSV, atomically and deterministically (no index)."""
    target = Path(target)
    with atomic_open(target, "w", encoding=CSV_ENCODING) as fh:
        df.to_csv(fh, index=False, lineterminator="\n")
    return target


def read_csv(path: str | os.PathLike[str], **kwargs) -> pd.DataFrame:
    """Read a CSV written by :func:`write_csv` (or any UTF-8 CSV, BOM or not)."""
    import pandas as pd

    return pd.read_csv(path, encoding=CSV_ENCODING, **kwargs)


# ---------------------------------------------------------------------------------------------
# byte-stable spreadsheets (templates and the simulated stand-ins: committed files that a
# regeneration must reproduce byte for byte)

XLSX_TIME = dt.datetime(2023, 1, 1)


def write_csv_rows(path: Path, rows: list[list[str]], encoding: str) -> Path:
    """Cells as a bureau's CSV: ``\\r\\n`` line ends (as Excel writes them), the given encoding."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def numbers_as_numbers(rows: list[list[str]]) -> list[list[object]]:
    """Text cells that are decimal numbers become :class:`~decimal.Decimal` (written as numbers
    formatted to their published decimals); other text stays text."""
    return [[_decimal_or_text(text) for text in row] for row in rows]


def _decimal_or_text(text: str) -> object:
    try:
        d = Decimal(text)
    except ArithmeticError:
        return text
    return d if d.is_finite() else text


def write_xlsx_rows(
    path: Path, rows: list[list[str]], merges: list[str], creator: str = "analysis"
) -> Path:
    """Text cells as a bureau's workbook: numbers as numbers, merged ranges, a wide label column."""
    return write_xlsx(
        path, numbers_as_numbers(rows), merges=merges, widths={"A": 34}, creator=creator
    )


def write_xlsx(
    path: str | os.PathLike[str],
    rows: list[list[object]],
    *,
    sheet: str = "Sheet1",
    merges: list[str] | tuple[str, ...] = (),
    widths: dict[str, float] | None = None,
    creator: str = "analysis",
) -> Path:
    """The project's one xlsx writer: one sheet, atomically, bytes that depend on the content only
    (fixed document times and zip entry times; openpyxl stamps the current time).

    Cells: ``""``/None empty; ``str`` text (codes such as ``130435`` stay text); ``int``/``float``
    numbers; :class:`~decimal.Decimal` a number shown with its own decimals (``0.00``).
    """
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            if isinstance(value, Decimal):
                decimals = max(0, -int(value.as_tuple().exponent))
                cell = ws.cell(row=r, column=c, value=float(value))
                cell.number_format = "0" if decimals == 0 else "0." + "0" * decimals
            else:
                ws.cell(row=r, column=c, value=value)
    for rng in merges:
        ws.merge_cells(rng)
    for column, width in (widths or {}).items():
        ws.column_dimensions[column].width = width
    wb.properties.created = XLSX_TIME
    wb.properties.modified = XLSX_TIME
    wb.properties.creator = creator
    raw = io.BytesIO()
    wb.save(raw)
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.write_bytes(_fixed_zip(raw.getvalue()))
    return target


def _fixed_zip(data: bytes) -> bytes:
    """Re-pack a zip with fixed entry times (openpyxl stamps the current time)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            text = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = _strip_modified(text)
            fixed = zipfile.ZipInfo(info.filename, date_time=XLSX_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, text)
    return out.getvalue()


def _strip_modified(xml: bytes) -> bytes:
    stamp = XLSX_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", xml)
