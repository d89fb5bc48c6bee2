"""Reference tables built once per process and input content.

The code table and the published evaluation classes are rebuilt from a few small CSVs (~0.7 s
of pandas work together), and one run asks for them many times: the run's parameter check, the
public tables and the evaluation reports of notebook 01, and every test that ingests a report.
:func:`memoised` keeps the built table under a key of the *content* of the files it reads (so an
edited input is never served stale, whatever its timestamp) and hands out copies, so a caller
that changes its table cannot change anyone else's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from pathlib import Path

import pandas as pd

_TABLES: dict[Hashable, pd.DataFrame] = {}
MAX_ENTRIES = 32  # a few raw folders per process (tests use copies); never grows without bound


def content_key(*paths: Path) -> tuple[str, ...] | None:
    """SHA-256 of each file's bytes (None when one cannot be read: the builder then says why)."""
    try:
        return tuple(hashlib.sha256(p.read_bytes()).hexdigest() for p in paths)
    except OSError:
        return None


def frame_key(df: pd.DataFrame) -> str:
    """A digest of a table's columns and values (for tables passed in as arguments)."""
    h = hashlib.sha256("\x1f".join(map(str, df.columns)).encode())
    h.update(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes())
    return h.hexdigest()


def memoised(key: Hashable | None, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``build()`` once per ``key``; a copy every time. ``key`` None: no memo (build runs)."""
    if key is None:
        return build()
    if key not in _TABLES:
        if len(_TABLES) >= MAX_ENTRIES:
            _TABLES.pop(next(iter(_TABLES)))
        _TABLES[key] = build()
    return _TABLES[key].copy(deep=True)


def clear() -> None:
    _TABLES.clear()
