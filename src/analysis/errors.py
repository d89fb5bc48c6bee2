"""Errors that speak to the analyst: which file, which row, which column, what to do."""

from __future__ import annotations

from pathlib import Path
from typing import Literal


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


def refuse_repeats(
    values,
    message: str,
    *,
    file: str | Path,
    column: str | None = None,
    keep: Literal["first", "last", False] = "first",
) -> None:
    """Stop at the first value a table column gives twice (``values``: a pandas Series read
    from ``file`` with a header row, so data row k is row k + 2 in a spreadsheet).

    ``message`` is formatted with the value (``"code {} listed twice"``). With ``keep="first"``
    the row named is the repeat; with ``keep=False`` it is the first of the rows involved.
    """
    dup = values.duplicated(keep=keep)
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataError(message.format(values.iloc[i]), file=file, row=i + 2, column=column)
