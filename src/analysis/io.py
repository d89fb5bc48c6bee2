"""Writing tables and files safely and reproducibly.

Every output is written to a temporary file beside its target and moved into place with
``os.replace``, so a crash or Ctrl-C never leaves a half-written file and the last good version
survives a failed run. CSVs meant for people are UTF-8 with BOM (Excel and WPS read that as
Chinese text) with ``\\n`` line ends, so two runs produce byte-identical files.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
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
