"""What each row below the header is: a total, an indicator, a coverage, a group or a part.

Bureaus lay rows out for people, and the reader follows the same cues a person does:

* a row with a label and no values opens a block: a coverage (``全部工业``, ``规模以上工业企业``),
  a group of enterprises (``其中：重点企业(…)``), a breakdown (``主要行业产值``: industries
  follow) or a part of the county (``其中：开发区``, kept as its own ``scope``);
* a ``其中：规模以上`` / ``#规模以上工业总产值`` row is the row above for above-scale industry
  (the row above is then 全部工业), never the same figure twice;
* rows marked ``其中``/``#`` or indented under an indicator, that name no indicator
  (``# 食品制造业`` and the industries after it, ``其中：中央市属``), are parts of that indicator:
  their label is the ``group``; a run of several is one breakdown, ``part_of`` = ``<first>等``
  (so an ownership breakdown and a size breakdown of the same total are summed apart);
* a label that puts words before an indicator (``六个重点行业工业总产值``) is a group whose members
  follow (``part_of`` = the group, as under the template's ``重点企业(…等)``);
* in a table whose rows are places (``全 市``, ``东城区``, ``北京经济技术开发区``) each row is a
  ``scope`` and the indicator comes from the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.errors import DataError
from analysis.ingest.bureau.files import col_letter
from analysis.ingest.bureau.grid import (
    DEFAULT_SCOPE,
    PART_OF,
    Layout,
    clean_label,
    group_name,
    known_indicator,
    total_coverage,
)
from analysis.ingest.bureau.places import is_place, is_zone
from analysis.vocabulary import ALL_INDUSTRY, KEY_GROUP, TOTAL_GROUP, WHOLE_PLACE_WORDS

REST_PREFIXES = ("其他", "其它", "其余")
LOOSE_COVERAGE = ("title", "assumed")  # a 其中 sub-row below may widen these to 全部工业
BREAKDOWN_HEADING = re.compile(r"行业|门类|分组|按")  # 主要行业产值, 按经济类型分


@dataclass
class Block:
    """Where the body is: what label-only rows opened, and the rows parts belong to."""

    scope: str = DEFAULT_SCOPE
    group: str = TOTAL_GROUP
    coverage: str = ""
    parent: str = ""  # the group whose members follow (重点企业(…等), 六个重点行业…)
    heading: str = ""  # a breakdown opened by a label-only row (主要行业产值)
    heading_indicator: str = ""
    previous: list[dict] = field(default_factory=list)  # records of the last indicator row
    head: list[dict] = field(default_factory=list)  # the row parts hang under (incl. 其中 rows)
    head_indent: int = 0
    head_unit: str = ""
    members: list[dict] = field(default_factory=list)  # records of the breakdown being read


@dataclass(frozen=True)
class Meaning:
    group: str
    indicator: str  # "" in the enterprise shape (the column says)
    coverage: str  # stated by the label (or the row the part belongs to)
    part_of: str
    sub_row: bool = False  # a 其中 row of a narrower coverage under the row above
    member: bool = False  # a part of a breakdown (industries, 其中：中央市属)
    head: bool = False  # parts may hang under this row
    unit: str = ""  # the unit the row inherits (a part's, from the row it belongs to)
    scope: str = ""  # a place row's own scope


def indent_of(label: str) -> int:
    """Leading spaces of a label (a full-width space counts two)."""
    stripped = label.lstrip(" \u3000\t")
    lead = label[: len(label) - len(stripped)]
    return len(lead) + lead.count("\u3000")


# ------------------------------------------------------------------------------------------
# indicator rows


def _where_label(layout: Layout) -> str:
    return f"{col_letter(layout.label_col)} ({layout.header_text})"


def indicator_row(label: str, block: Block, layout: Layout, excel_row: int) -> Meaning:
    """The meaning of a valued row of an indicator-row table."""
    clean, _ = clean_label(label)
    marked = bool(PART_OF.match(label))
    indent = indent_of(label)
    cov = total_coverage(label)
    if cov:  # 其中：规模以上 under an indicator row
        if not block.head:
            raise DataError(
                f"{label.strip()!r} names a coverage but there is no indicator row above it",
                file=layout.file,
                row=excel_row,
                column=_where_label(layout),
            )
        return Meaning(block.group, block.head[0]["indicator"], cov, "", sub_row=True, head=True,
                       unit=block.head_unit)  # fmt: skip
    known = known_indicator(clean)
    if known is not None:
        indicator, cov, prefix = known
        above = block.previous[0]["indicator"] if block.previous else None
        if marked and cov and above == indicator:
            return Meaning(block.group, indicator, cov, "", sub_row=True, head=True,
                           unit=block.head_unit)  # fmt: skip
        if prefix:  # 六个重点行业工业总产值: a group, its members follow
            return Meaning(prefix, indicator, cov, "", head=True)
        unit = block.head_unit if marked else ""
        return Meaning(block.group, indicator, cov, "", head=True, unit=unit)
    if block.heading:
        indicator = block.heading_indicator or (block.head[0]["indicator"] if block.head else "")
        if indicator:
            return Meaning(clean, indicator, block.coverage, block.heading, member=True)
    if block.parent and block.head:
        h = block.head[0]
        return Meaning(clean, h["indicator"], h["coverage"], block.parent, member=True,
                       unit=block.head_unit)  # fmt: skip
    continues = bool(block.members) and not marked
    if block.head and (marked or continues or indent > block.head_indent):
        h = block.head[0]
        return Meaning(clean, h["indicator"], h["coverage"], "", member=True,
                       unit=block.head_unit)  # fmt: skip
    return Meaning(block.group, clean, "", "", head=True)


def join_breakdown(block: Block, records: list[dict], marked: bool) -> None:
    """A member row joins the breakdown being read (a marked row starts a new one); a run of
    several members is named after the first: ``part_of`` = ``<first>等``."""
    if marked or not block.members:
        block.members = []
    block.members.extend(records)
    groups = list(dict.fromkeys(r["group"] for r in block.members))
    if len(groups) > 1:
        for r in block.members:
            r["part_of"] = f"{groups[0]}等"


# ------------------------------------------------------------------------------------------
# enterprise rows


def enterprise_row(label: str, block: Block) -> Meaning:
    group = group_name(label)
    cov = total_coverage(label) or ""
    above = block.previous[0]["group"] if block.previous else None
    sub = bool(cov and group == TOTAL_GROUP and above == TOTAL_GROUP and PART_OF.match(label))
    part_of = ""
    if group in (TOTAL_GROUP, KEY_GROUP) or group.startswith(REST_PREFIXES):
        block.parent = KEY_GROUP if group == KEY_GROUP else ""
    else:
        part_of = block.parent
    return Meaning(group, "", cov, part_of, sub, head=not sub)


# ------------------------------------------------------------------------------------------
# place rows


def place_label(label: str) -> bool:
    """A row label naming a place or a part of one (全 市, 东城区, 北京经济技术开发区,
    首都功能核心区, 大兴区及北京经济技术开发区, 其他)."""
    clean, _ = clean_label(label)
    parts = [p for p in re.split(r"[及和、与]", clean) if p]
    return bool(parts) and (
        clean.startswith(REST_PREFIXES)
        or all(is_place(p) or is_zone(p) or p in WHOLE_PLACE_WORDS for p in parts)
    )


def is_place_table(labels: list[str]) -> bool:
    """Rows are places when no valued label names an indicator or a total and at least two in
    three name a place."""
    if not labels:
        return False
    for label in labels:
        clean, _ = clean_label(label)
        if known_indicator(clean) is not None or total_coverage(label) is not None:
            return False
    return sum(place_label(x) for x in labels) * 3 >= 2 * len(labels)


def place_row(label: str, indicator: str) -> Meaning:
    clean, _ = clean_label(label)
    return Meaning(TOTAL_GROUP, indicator, "", "", head=True, scope=clean)


# ------------------------------------------------------------------------------------------
# blocks


def widen(previous: list[dict], narrower: str) -> None:
    """The row above a 其中 row of a narrower coverage is the wider one: 全部工业."""
    for r in previous:
        if r["_coverage_source"] in LOOSE_COVERAGE and r["coverage"] == narrower:
            r["coverage"], r["_coverage_source"] = ALL_INDUSTRY, "sub-row"
            r["flags"] = [f for f in r["flags"] if f != "coverage_assumed"]


def opens_block(layout: Layout, row: list[str]) -> bool:
    """A row with a label and no values (``其中：开发区``) opens a block."""
    values = [row[c.index] for c in layout.cols if c.kind not in ("unit", "vintage")]
    unit = layout.unit_col and row[layout.unit_col.index].strip()
    return all(not v.strip() for v in values) and not unit


def open_block(block: Block, label: str, places: bool = False) -> None:
    """A label-only row: a coverage, a group of enterprises, a breakdown heading (主要行业产值)
    or a part of the county (其中：开发区). In a table of places it is only a heading."""
    name, _ = clean_label(label)
    cov = total_coverage(label)
    block.previous, block.head, block.members = [], [], []
    block.parent = block.heading = block.heading_indicator = ""
    if places:
        return
    if cov:
        block.coverage = cov
    elif "企业" in name and not BREAKDOWN_HEADING.search(name):
        block.group = group_name(name)
    elif BREAKDOWN_HEADING.search(name) and not is_zone(name):
        known = known_indicator(name) or _indicator_at_end(name)
        block.heading = name
        block.heading_indicator = known[0] if known else ""
    else:
        block.scope = name


def _indicator_at_end(name: str) -> tuple[str, str, str] | None:
    """主要行业产值 -> the indicator 产值 names (工业总产值)."""
    for i in range(1, len(name)):
        found = known_indicator(name[i:])
        if found is not None and not found[2]:
            return found
    return None
