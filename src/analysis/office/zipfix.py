"""Byte-stable Office files: a .docx or .xlsx re-packed with one fixed time everywhere.

Both python-docx and openpyxl stamp the clock into the file twice: in ``docProps/core.xml``
(``dcterms:created``/``dcterms:modified``; openpyxl overwrites ``modified`` on save) and in every
zip entry's date. The office files take the data vintage instead (the last day of the last month
of data), so two builds on the same data are byte-identical and the file's date says which data
it holds. Entries keep their order; compression is fixed (deflate, default level).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from analysis.io import atomic_path

CORE = "docProps/core.xml"


def _w3cdtf(when: dt.datetime) -> bytes:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()


def fix_core_times(xml: bytes, when: dt.datetime) -> bytes:
    """Set created and modified (and last printed, if any) in ``core.xml`` to ``when``."""
    stamp = _w3cdtf(when)
    for tag in (rb"dcterms:created", rb"dcterms:modified", rb"cp:lastPrinted"):
        xml = re.sub(rb"(<" + tag + rb"[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", xml)
    return xml


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """Re-pack the zip ``data`` with every entry dated ``when`` and core.xml's times fixed."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == CORE:
                body = fix_core_times(body, when)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def save_fixed(save: Callable[[IO[bytes]], None], target: Path, when: dt.datetime) -> Path:
    """Let ``save`` write an Office file to memory (``Document.save``, ``Workbook.save``), then
    write it to ``target`` atomically, re-packed by :func:`fixed_zip`."""
    raw = io.BytesIO()
    save(raw)
    with atomic_path(target) as tmp:
        tmp.write_bytes(fixed_zip(raw.getvalue(), when))
    return target
