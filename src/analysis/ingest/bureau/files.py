"""Finding a bureau's release files and reading each sheet as a grid of text cells.

Why text: a release is read the way the analyst sees it on screen (the number as displayed,
with its published decimals, a percent format as a percent), so every later step works on one
kind of cell whatever the file type; a cell's address in an error message is its spreadsheet
row and column letter. What the screen does not show is reported: hidden rows, columns and
sheets (a warning) and formulas saved without their values (an error: the numbers are missing).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from analysis.errors import DataError

SUBFOLDER = "bureau"
SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv")
REFUSED_SUFFIXES = (".xls", ".et", ".wps", ".ods", ".numbers")  # would be skipped unnoticed
SKIP_PREFIXES = ("CALIBRATION", "README", ".", "~$")
ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK
DELIMITERS = (",", "\t", ";")  # Excel's "CSV", "Unicode text" and a European-locale "CSV"

MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Excel/WPS .xls (or .doc) file"),
    (b"PK\x03\x04", "a zip archive that is not an Excel workbook"),
)
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}


@dataclass
class Grid:
    """One sheet of a delivered file as text cells, row ``i`` being spreadsheet row ``i + 1``."""

    file: Path
    sheet: str
    rows: list[list[str]]
    encoding: str = ""
    hidden_rows: list[int] = field(default_factory=list)  # spreadsheet rows (1-based)
    hidden_columns: list[str] = field(default_factory=list)  # column letters
    hidden_sheet: bool = False
    folders: tuple[str, ...] = ()  # folders between the bureau folder and the file


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


def _visible_files(folder: Path) -> list[Path]:
    """Files under ``folder`` and its subfolders (``bureau/2022/…``), hidden ones and lock
    files left out, sorted by their path below ``folder``."""
    if not folder.is_dir():
        return []
    return sorted(
        (
            p
            for p in folder.rglob("*")
            if p.is_file()
            and not p.name.startswith(SKIP_PREFIXES)
            and not any(part.startswith(".") for part in p.relative_to(folder).parts[:-1])
        ),
        key=lambda p: p.relative_to(folder).parts,
    )


def release_files(folder: Path) -> list[Path]:
    """The release files in ``folder`` and its subfolders, sorted by path."""
    return [p for p in _visible_files(folder) if p.suffix.lower() in SUFFIXES]


def refused_files(folder: Path) -> list[Path]:
    """Spreadsheets in a format the reader does not open (``.xls``, WPS ``.et``): an error, so
    a release saved in the old format is not silently left out."""
    return [p for p in _visible_files(folder) if p.suffix.lower() in REFUSED_SUFFIXES]


# ------------------------------------------------------------------------------------------
# cells as shown


def _decimals_of(number_format: str) -> int | None:
    """Decimals a number format shows (``0.0%`` -> 1, ``#,##0`` -> 0); None for General."""
    fmt = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format.split(";")[0])
    if not re.search(r"[0#?]", fmt):
        return None
    m = re.search(r"\.([0#?]+)", fmt)
    return len(m.group(1)) if m else 0


def _shown(value: float, decimals: int) -> str:
    """A number with ``decimals`` places, from the shortest text of its binary value."""
    q = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN)
    return format(q, "f")


def cell_text(value: object, number_format: str = "General") -> str:
    """A cell as the analyst sees it: a percent format shows ``20.7%`` for 0.207, a scientific
    one ``9.65E+09``, a date ``2022年10月``; numbers keep the decimals their format shows; text
    keeps its leading spaces (they indent a sub-row under the row above)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月"
    if isinstance(value, int | float):
        fmt = number_format or "General"
        decimals = _decimals_of(fmt)
        if "%" in fmt and decimals is not None:
            return _shown(value * 100, decimals) + "%"
        if re.search(r"E[+-]", fmt, re.IGNORECASE) and decimals is not None:
            return f"{value:.{decimals}E}"
        if re.search(r"0\.(0+)", fmt):
            return f"{value:.{decimals}f}"
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    return str(value).rstrip()  # leading spaces indent a sub-row (``  # 食品制造业``)


# ------------------------------------------------------------------------------------------
# xlsx


def _sheet_parts(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path in the zip) of every sheet, from the workbook and its rels."""
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels.findall("p:Relationship", _NS)}
    out = []
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        t = target.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        part = t.lstrip("/") if t.startswith("/") else str(PurePosixPath("xl") / t)
        out.append((sheet.get("name", ""), part))
    return out


def formulas_without_values(path: Path) -> dict[str, list[str]]:
    """Cells holding a formula saved without its value, by sheet (``{"Sheet1": ["B5"]}``).

    A program that writes formulas but does not calculate (a script, some exports) leaves such
    cells; read with cached values they look empty, so they are found in the sheet XML itself.
    """
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for sheet, part in _sheet_parts(z):
            if part not in names:
                continue
            xml = z.read(part).decode("utf-8", "replace")
            if "<f" not in xml:
                continue
            cells = [
                ref
                for ref, inner in re.findall(r'<c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>(.*?)</c>', xml)
                if "<f" in inner and not re.search(r"<v>[^<]+</v>|<is>", inner)
            ]
            if cells:
                out[sheet] = cells
    return out


def _refuse_uncalculated(path: Path) -> None:
    missing = formulas_without_values(path)
    if not missing:
        return
    first = next(iter(missing.values()))[0]
    listed = "; ".join(f"{sheet}: {', '.join(refs)}" for sheet, refs in missing.items())
    m = re.fullmatch(r"([A-Z]+)(\d+)", first)
    raise DataError(
        f"formulas saved without their values ({listed}): the numbers are not in the file; "
        "open it in Excel/WPS (which calculates them) and save it again",
        file=path,
        row=int(m.group(2)) if m else None,
        column=m.group(1) if m else None,
    )


def _hidden(ws) -> tuple[list[int], list[str]]:
    """Hidden rows (numbers) and hidden columns (letters) of a worksheet."""
    rows = sorted(r for r, d in ws.row_dimensions.items() if d.hidden)
    columns: set[str] = set()
    for key, d in ws.column_dimensions.items():
        if d.hidden:
            lo, hi = d.min or 0, d.max or 0
            columns |= {col_letter(i - 1) for i in range(lo, hi + 1)} if lo and hi else {key}
    return rows, sorted(columns, key=lambda c: (len(c), c))


def _grid(path: Path, ws) -> Grid:
    rows = [[cell_text(c.value, c.number_format) for c in row] for row in ws.iter_rows()]
    for rng in ws.merged_cells.ranges:
        top = rows[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                rows[r - 1][c - 1] = top
    hidden_rows, hidden_columns = _hidden(ws)
    hidden_sheet = ws.sheet_state != "visible"
    return Grid(path, ws.title, rows, "xlsx", hidden_rows, hidden_columns, hidden_sheet)


def read_xlsx(path: Path) -> list[Grid]:
    """Every non-empty sheet as text; merged ranges are filled with their top-left value.

    openpyxl, not a faster reader: the text depends on the cells' number formats (the decimals
    shown, percent), merged ranges and hidden rows, which only it reads (the parsed release is
    cached by content, so a file is read once).
    """
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # a corrupt or mis-named file
        raise DataError(
            f"cannot open as .xlsx: {what_file_is(path)} ({type(exc).__name__}); open it in "
            "Excel/WPS and save it as .xlsx, or export a .csv",
            file=path,
        ) from None
    _refuse_uncalculated(path)
    grids = [_grid(path, ws) for ws in wb.worksheets]
    grids = [g for g in grids if any(any(c for c in row) for row in g.rows)]
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


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one that splits the most lines into several cells (a comma
    wins ties, so a plain CSV with a stray tab stays a CSV)."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]

    def lines_split(d: str) -> int:
        return sum(len(row) > 1 for row in csv.reader(lines, delimiter=d))

    return max(DELIMITERS, key=lambda d: (lines_split(d), d == ","))


def read_csv_grid(path: Path) -> Grid:
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError("the file is empty", file=path)
    text, enc = decode(raw, path)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = [[c.rstrip() for c in row] for row in reader]  # leading spaces indent sub-rows
    return Grid(path, "", rows, enc)


def read_grids(path: Path) -> list[Grid]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if path.suffix.lower() in (".csv", ".tsv"):
        return [read_csv_grid(path)]
    raise DataError(f"unsupported file type {path.suffix!r}; use .xlsx or .csv", file=path)
