"""Figures inlined on a leadership page: scaled for a phone, kept by content, never stale."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image

from analysis.figures import inline
from analysis.review.display import inline_png


def _png(width: int, height: int, colour: tuple[int, int, int, int]) -> bytes:
    im = Image.new("RGBA", (width, height), colour)
    im.putpixel((width // 2, height // 2), (0, 0, 0, 255))  # something for LANCZOS to smooth
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as im:
        return im.size


def test_scaled_to_the_page_width_never_up():
    assert _size(inline.scaled_png(_png(1500, 900, (255, 255, 255, 255)))) == (1000, 600)
    assert _size(inline.scaled_png(_png(400, 300, (255, 255, 255, 255)))) == (400, 300)


def test_kept_by_content_and_served_from_the_cache(tmp_path: Path):
    png = _png(1500, 900, (250, 250, 250, 255))
    first = inline.cached_scaled_png(png, folder=tmp_path)
    assert first == inline.scaled_png(png)
    (entry,) = tmp_path.rglob("*.png")
    entry.write_bytes(b"served from the cache")  # a second call reads the entry, not the PNG
    assert inline.cached_scaled_png(png, folder=tmp_path) == b"served from the cache"


def test_another_figure_or_width_gets_its_own_entry(tmp_path: Path):
    a, b = _png(1500, 900, (250, 250, 250, 255)), _png(1500, 900, (240, 240, 240, 255))
    inline.cached_scaled_png(a, folder=tmp_path)
    assert inline.cached_scaled_png(b, folder=tmp_path) == inline.scaled_png(b)
    assert _size(inline.cached_scaled_png(a, 500, folder=tmp_path)) == (500, 300)
    assert len(list(tmp_path.rglob("*.png"))) == 3


def test_an_unwritable_cache_only_costs_time(tmp_path: Path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    png = _png(1500, 900, (250, 250, 250, 255))
    assert inline.cached_scaled_png(png, folder=blocked / "inline") == inline.scaled_png(png)


def test_the_page_uses_the_project_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "analysis"\n')
    monkeypatch.delenv("ANALYSIS_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "figure.png"
    path.write_bytes(_png(1500, 900, (250, 250, 250, 255)))
    shown = base64.b64decode(inline_png(path))
    assert shown == inline.scaled_png(path.read_bytes())
    assert len(list((tmp_path / ".cache" / inline.SUBFOLDER).rglob("*.png"))) == 1
