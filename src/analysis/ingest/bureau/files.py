"""Finding a bureau's release files and reading each sheet as a grid of text cells.

Why text: a release is read the way the analyst sees it on screen (the number as displayed,
with its published decimals), so every later step works on one kind of cell whatever the file
type; a cell's address in an error message is its spreadsheet row and column letter.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import DataError

SUBFOLDER = "bureau"
SUFFIXES = (".xlsx", ".csv")
REFUSED_SUFFIXES = (".xls", ".et", ".wps", ".ods", ".numbers")  # would be skipped unnoticed
SKIP_PREFIXES = ("CALIBRATION", "README", ".", "~$")
ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK

MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/WPS .xls (or .doc) file"),
    (b"PK\x03\x04", "a zip archive that is not an Excel workbook"),
)


@dataclass
class Grid:
    """One sheet of a delivered file as text cells, row ``i`` being spreadsheet row ``i + 1``."""

    file: Path
    sheet: str
    rows: list[list[str]]
    encoding: str = ""


def col_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def bureau_folder(internal_dir: Path) -> Path:
    """Where the bureau's files live: ``<internal_data_dir>/bureau/``."""
    return Path(internal_dir) / SUBFOLDER


def release_files(folder: Path) -> list[Path]:
    """The release files in ``folder``, sorted by name (the vintage order)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(SKIP_PREFIXES)
    )


def refused_files(folder: Path) -> list[Path]:
    """Spreadsheets in a format the reader does not open (``.xls``, WPS ``.et``): an error, so
    a release saved in the old format is not silently left out."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in REFUSED_SUFFIXES
        and not p.name.startswith(SKIP_PREFIXES)
    )


# ------------------------------------------------------------------------------------------
# xlsx


def _xlsx_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        m = re.search(r"0\.(0+)", cell.number_format or "")
        if m:
            return f"{value:.{len(m.group(1))}f}"
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    return str(value).strip()


def read_xlsx(path: Path) -> list[Grid]:
    """Every non-empty sheet as text; merged ranges are filled with their top-left value."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # a corrupt or mis-named file
        raise DataError(
            f"cannot open as .xlsx: {what_file_is(path)} ({type(exc).__name__}); open it in "
            "Excel/WPS and save it as .xlsx, or export a .csv",
            file=path,
        ) from None
    grids = []
    for ws in wb.worksheets:
        rows = [[_xlsx_text(c) for c in row] for row in ws.iter_rows()]
        for rng in ws.merged_cells.ranges:
            top = rows[rng.min_row - 1][rng.min_col - 1]
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    rows[r - 1][c - 1] = top
        if any(any(c for c in row) for row in rows):
            grids.append(Grid(path, ws.title, rows, "xlsx"))
    if not grids:
        raise DataError("the workbook has no sheet with data (an empty file?)", file=path)
    return grids


def what_file_is(path: Path) -> str:
    """A plain description of a file's real content from its first bytes (for error messages)."""
    head = path.read_bytes()[:512]
    if not head:
        return "the file is empty"
    for magic, what in MAGIC:
        if head.startswith(magic):
            return f"the file is {what}"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head.decode("gb18030")
        except UnicodeDecodeError:
            return "the file is not a spreadsheet"
    return "the file is text (a CSV renamed to .xlsx?)"


# ------------------------------------------------------------------------------------------
# csv


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """Text and encoding of a CSV: UTF-8 (with or without BOM), else GBK/GB18030."""
    for enc in ENCODINGS:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-8-sig":
            return text, "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        return text, enc
    raise DataError("not UTF-8, GBK or GB18030 text: save the file as CSV (UTF-8)", file=path)


def read_csv_grid(path: Path) -> Grid:
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError("the file is empty", file=path)
    text, enc = decode(raw, path)
    rows = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    return Grid(path, "", rows, enc)


def read_grids(path: Path) -> list[Grid]:
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path)
    if path.suffix.lower() == ".csv":
        return [read_csv_grid(path)]
    raise DataError(f"unsupported file type {path.suffix!r}; use .xlsx or .csv", file=path)
