"""The figure pack for the written review: every figure of the run, named by its id, with a
captions file, in ``figures/annual_review/`` (``make figures``; also the last step of
``make report``).

The pack is built from the merged manifest after the notebooks ran (it is the runner's output,
not a notebook's, so the 'undeclared write' rule of the runner does not apply). It holds no
``manifest.csv``, so the runner's manifest merge never mistakes it for a notebook's folder.
Files are replaced only when their bytes change, and figures no longer in the manifest are
removed, so the folder always mirrors the run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.figures.manifest import MANIFEST_NAME, merge_manifests, read_manifest
from analysis.io import atomic_open, write_csv
from analysis.paths import Paths

PACK_DIR = "annual_review"
CAPTIONS_CSV = "captions.csv"
CAPTIONS_MD = "captions.md"
FORMATS = ("png", "svg")
CAPTION_COLUMNS = [
    "number",
    "figure_id",
    "file_png",
    "file_svg",
    "title_zh",
    "title_en",
    "caption_zh",
    "caption_en",
    "sources",
    "simulated",
    "notebook",
]


def pack_dir(paths: Paths) -> Path:
    return paths.figures / PACK_DIR


def _copy_if_changed(src: Path, dst: Path) -> bool:
    data = src.read_bytes()
    if dst.is_file() and dst.read_bytes() == data:
        return False
    with atomic_open(dst, "wb") as fh:
        fh.write(data)
    return True


def captions_table(manifest: pd.DataFrame) -> pd.DataFrame:
    """One row per figure, numbered in id order (图1, 图2 …), with both languages and sources."""
    m = manifest.sort_values("figure_id", kind="stable").reset_index(drop=True)
    return pd.DataFrame(
        {
            "number": range(1, len(m) + 1),
            "figure_id": m["figure_id"],
            "file_png": m["figure_id"] + ".png",
            "file_svg": m["figure_id"] + ".svg",
            "title_zh": m["title_zh"],
            "title_en": m["title_en"],
            "caption_zh": m["caption_zh"],
            "caption_en": m["caption_en"],
            "sources": m["sources"],
            "simulated": m["simulated"].astype(bool),
            "notebook": m["notebook"],
        },
        columns=CAPTION_COLUMNS,
    )


def captions_markdown(captions: pd.DataFrame) -> str:
    """Captions ready to paste under each figure: Chinese first, then English, then sources."""
    lines = ["# 图表及说明 · Figures and captions", ""]
    for _, r in captions.iterrows():
        sim = " 【模拟数据，非真实统计 · SIMULATED data】" if r["simulated"] else ""
        lines += [
            f"## 图{r['number']} {r['title_zh']}{sim}",
            "",
            f"文件 · files: `{r['file_png']}`, `{r['file_svg']}`",
            "",
            f"{r['caption_zh']}",
            "",
            f"*Figure {r['number']}. {r['title_en']}.* {r['caption_en']}",
            "",
            f"资料来源 · Sources: {r['sources']}",
            "",
        ]
    return "\n".join(lines)


def build_pack(paths: Paths) -> Path:
    """Collect the run's figures and their captions into ``figures/annual_review/``."""
    merged = paths.figures / MANIFEST_NAME
    if any(p.parent.name != PACK_DIR for p in paths.figures.glob(f"*/{MANIFEST_NAME}")):
        manifest = merge_manifests(paths.figures)
    elif merged.is_file():
        manifest = read_manifest(merged)
    else:
        manifest = pd.DataFrame(columns=["figure_id"])
    target = pack_dir(paths)
    target.mkdir(parents=True, exist_ok=True)
    missing = [
        rel
        for rel in [*manifest.get("png", []), *manifest.get("svg", [])]
        if not (paths.figures / rel).is_file()
    ]
    if missing:
        raise FileNotFoundError(f"figures listed in the manifest are missing: {missing[:5]}")
    keep = {CAPTIONS_CSV, CAPTIONS_MD}
    for _, row in manifest.iterrows():
        for fmt in FORMATS:
            name = f"{row['figure_id']}.{fmt}"
            _copy_if_changed(paths.figures / row[fmt], target / name)
            keep.add(name)
    for stale in target.iterdir():
        if stale.is_file() and stale.name not in keep and not stale.name.startswith("."):
            stale.unlink()
    captions = captions_table(manifest) if len(manifest) else pd.DataFrame(columns=CAPTION_COLUMNS)
    write_csv(captions, target / CAPTIONS_CSV)
    with atomic_open(target / CAPTIONS_MD, "w", encoding="utf-8") as fh:
        fh.write(captions_markdown(captions))
    return target
