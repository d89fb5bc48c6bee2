"""A figure as a leadership page carries it: the PNG scaled to what a phone shows sharply.

Scaling a 300-dpi PNG and compressing it again costs about 0.3 s of CPU per figure, and one
build does it more than once for the same figure: the summary (05) shows charts that 02 and 03
have already put on their own pages. So the result is kept in ``<project>/.cache/inline/``
(outside every build output, git-ignored, like the bureau's parsed releases) under a key of
the PNG's bytes, the width, Pillow's version and this module's source: a changed figure, width,
Pillow or conversion never finds a stale entry, and an entry holds exactly the bytes the
conversion gives. Entries are written to a temporary file and moved into place, so notebooks
running side by side never read half an entry; an entry that cannot be read is computed again.
"""

from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path

from analysis.io import atomic_open

INLINE_WIDTH_PX = 1000  # a leadership page's figures: sharp on a phone, light to load
SUBFOLDER = "inline"


def scaled_png(png: bytes, width_px: int = INLINE_WIDTH_PX) -> bytes:
    """The PNG ``png`` scaled to ``width_px`` (never up), compressed as small as zlib makes it."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as opened:
        im: Image.Image = opened
        if im.width > width_px:
            im = im.resize(
                (width_px, round(im.height * width_px / im.width)), Image.Resampling.LANCZOS
            )
        buf = io.BytesIO()
        im.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


@functools.cache
def _conversion_digest() -> str:
    """What the conversion's result depends on besides its inputs: Pillow and this code."""
    import PIL

    return hashlib.sha256(
        PIL.__version__.encode() + b"\0" + Path(__file__).read_bytes()
    ).hexdigest()


def cache_folder() -> Path | None:
    """``<project>/.cache/inline``, or None outside a project folder (then nothing is kept)."""
    from analysis.paths import project_root

    try:
        return project_root() / ".cache" / SUBFOLDER
    except FileNotFoundError:
        return None


def cached_scaled_png(
    png: bytes, width_px: int = INLINE_WIDTH_PX, folder: Path | None = None
) -> bytes:
    """:func:`scaled_png`, read from ``folder`` (default :func:`cache_folder`) when this PNG was
    scaled to this width before, and kept there otherwise."""
    folder = cache_folder() if folder is None else folder
    if folder is None:
        return scaled_png(png, width_px)
    h = hashlib.sha256(_conversion_digest().encode())
    h.update(f"{width_px}\0".encode() + png)
    key = h.hexdigest()
    entry = folder / key[:2] / f"{key}.png"
    try:
        return entry.read_bytes()
    except OSError:
        pass
    out = scaled_png(png, width_px)
    try:
        with atomic_open(entry, "wb") as fh:
            fh.write(out)
    except OSError:  # a read-only project folder: the page is right, only slower next time
        pass
    return out
