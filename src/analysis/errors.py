"""Errors that speak to the analyst: which file, which row, which column, what to do."""

from __future__ import annotations

from pathlib import Path


class DataError(ValueError):
    """Bad input data. The message names the file, row and column so it can be fixed at source.

    ``row`` is the 1-based line or spreadsheet row as the analyst sees it in Excel/WPS
    (the header is row 1 in a plain CSV).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.detail = message
        where = []
        if self.file:
            where.append(f"file {Path(self.file).name}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)
