"""Readers for the statistics bureau's monthly tables of above-scale industry, as delivered.

The county bureau sends one release a month (not public). Users drop the files into
``<internal_data_dir>/bureau/`` (run parameter ``internal_data_dir``, default
``data/internal/simulated``), in subfolders if they like (``bureau/2022/…``); :func:`ingest`
reads every ``.xlsx``/``.csv`` there (files whose name starts with ``CALIBRATION``, ``README``,
``.`` or ``~$`` are skipped) into one tidy table in 万元 and runs the checks of
:mod:`analysis.ingest.bureau.checks`. :func:`read_release` reads one file the same way.

What a release file may look like (docs/input-formats.md; blank templates in
``data/internal/templates/``):

* ``.xlsx`` (every non-empty sheet is one release; merged header cells are filled from their
  top-left cell; cells read as displayed: a percent format is a percent, a date a period) or
  ``.csv`` in UTF-8, UTF-8 with BOM, GBK or GB18030, separated by commas, tabs or semicolons;
* the period in the title (``2022年1-10月``, ``2022年1–10月``, ``1~10月``, ``2022年10月``, a date),
  else in the sheet name or the file name; the year may stand apart or only in a folder name;
* a unit row ``单位：万元`` or ``单位:个、万元`` (money in 元, 千元, 万元 or 亿元; a column
  ``计量单位`` or a unit in a label's brackets overrides it per row or column);
* header rows (possibly merged) starting with a cell ``企业名称``/``单位名称`` (shape A: rows
  of 合计, enterprise groups and enterprises; the indicator is the header text above the
  period columns, default 工业总产值) or ``指标名称`` (shape B: one row per indicator);
* period columns ``本月``/``当月`` and ``1-本月累计``/``累计``/``1-10月``, each with its growth
  column ``同比增长(%)``/``同比%``/``同比增长(±%)`` (a growth column without its own period
  belongs to the level column on its left);
* rows with a label and no values start a block: a coverage (``全部工业``, ``规模以上工业``), a
  part of the county (``其中：开发区``, kept as its own ``scope``) or, if the label names
  enterprises (``其中：重点企业(…)``), a ``group``; a valued ``其中：规模以上`` row is the
  above-scale figure of the row above it (which is then 全部工业);
* names as printed are mapped by :data:`analysis.vocabulary.PRINTED_NAMES` (现价工业总产值,
  规模以上工业 as the total, …);
* missing values ``—``, ``--``, ``-``, ``…`` or empty; full-width digits, a Unicode minus,
  ``9.65E+09``, ``增长20.7%``/``下降3.2%``; a change of a rate may be ``+0.5个百分点``.

Money is converted exactly to 万元 (the original unit is kept); growth is stored as a fraction
exactly as published (``growth_decimals`` keeps the published precision for rounding bands).
Releases of the same period are kept as vintages; ``latest`` marks the one to use by the rule
of :mod:`.versions` (修订/更正/revised in the name, then a vintage; a tie that disagrees stops).
Releases later than the run's period are refused.

Modules: :mod:`.files` (finding and reading files into text grids), :mod:`.numbers` (numbers,
units), :mod:`.periods`, :mod:`.versions`, :mod:`.grid` (the header and names), :mod:`.body`
(the rows), :mod:`.table` (the tidy table and its schema), :mod:`.checks` (the analyst's
checks), :mod:`.cache` (parsed releases by content), :mod:`.templates` (blank templates).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import schemas
from analysis.errors import DataError
from analysis.ingest.bureau import checks, versions
from analysis.ingest.bureau.body import Release, parse_grid
from analysis.ingest.bureau.cache import ReleaseCache
from analysis.ingest.bureau.files import (
    SUBFOLDER,
    Grid,
    bureau_folder,
    decode,
    read_grids,
    refused_files,
    release_files,
)
from analysis.ingest.bureau.numbers import parse_number
from analysis.ingest.bureau.places import belongs_to
from analysis.ingest.bureau.table import (
    INDUSTRY_CHECKS,
    INDUSTRY_MONTHLY,
    KEY,
    release_summary,
    tidy,
    version_ties,
    write_tables,
)
from analysis.ingest.bureau.templates import write_templates

__all__ = [
    "INDUSTRY_CHECKS",
    "INDUSTRY_MONTHLY",
    "KEY",
    "DataError",
    "Grid",
    "Release",
    "ReleaseCache",
    "bureau_folder",
    "checks",
    "decode",
    "for_county",
    "ingest",
    "ingest_folder",
    "no_releases_text",
    "parse_grid",
    "parse_number",
    "periods_available",
    "read_file",
    "read_folder",
    "read_grids",
    "read_release",
    "release_files",
    "release_summary",
    "releases_missing",
    "tidy",
    "versions",
    "write_tables",
    "write_templates",
]


def read_file(
    path: Path,
    folders: tuple[str, ...] = (),
    cache: ReleaseCache | None = None,
    county: str = "",
) -> list[Release]:
    """Every release (sheet) of one file; ``folders`` are those between the bureau folder and
    the file (a year may be written there); ``county`` is the run's (it picks the county's
    columns of a table that puts places side by side and names none itself)."""
    cache = cache or ReleaseCache(None)
    cached = cache.get(path, folders, county)
    if cached is not None:
        return cached
    grids = read_grids(path)
    for g in grids:
        g.folders = folders
    releases = [parse_grid(g, county) for g in grids]
    cache.put(path, folders, releases, county)
    return releases


def read_folder(folder: Path, cache: ReleaseCache | None = None, county: str = "") -> list[Release]:
    """Parse every release file in ``folder`` and its subfolders (DataError on the first
    unreadable one)."""
    for path in refused_files(folder):
        raise DataError(
            f"{path.suffix} files are not read: open it in Excel/WPS and save it as .xlsx",
            file=path,
        )
    return [
        rel
        for path in release_files(folder)
        for rel in read_file(path, path.relative_to(folder).parts[:-1], cache, county)
    ]


def _period_label(year: int, month: int) -> str:
    return f"{year}年{month}月" if month == 1 else f"{year}年1-{month}月"


def refuse_later(releases: list[Release], through: tuple[int, int]) -> None:
    """A release later than the run's period is a mistake (a future date, a wrong year) or
    belongs to a later run: refused either way, naming the file."""
    for rel in releases:
        if (rel.period.year, rel.period.month) > tuple(through):
            raise DataError(
                f"this release is of {_period_label(rel.period.year, rel.period.month)}, later "
                f"than the run ({_period_label(*through)}): check its year and month, or move "
                "it out of the folder, or run for that month (through_month)",
                file=rel.grid.file,
                row=1,
                column="A",
            )


def for_county(releases: list[Release], county: str | None) -> tuple[list[Release], list[Release]]:
    """(releases that count for ``county``, the others): a release naming a place counts for
    that place alone, one naming none for the run's county; ``county=None`` keeps all."""
    if county is None:
        return list(releases), []
    keep = [rel for rel in releases if belongs_to(rel.place, county)]
    return keep, [rel for rel in releases if not belongs_to(rel.place, county)]


def _named(others: list[Release]) -> str:
    counts: dict[str, int] = {}
    for rel in others:
        counts[rel.place] = counts.get(rel.place, 0) + 1
    if len(counts) == 1:
        return next(iter(counts))
    return "、".join(f"{place} ({n})" for place, n in sorted(counts.items()))


def other_county_notes(others: list[Release], county: str | None) -> list[checks.Finding]:
    """One warning for the releases left out because they name another place."""
    if not others:
        return []
    first = others[0]
    return [
        checks.Finding(
            "other_county",
            "warning",
            first.grid_path,
            1,
            "A",
            f"{len(others)} release(s) name another place, not {county}, and are not read for "
            f"this run: {_named(others)}; first: {first.name} (named in its {first.place_source})",
        )
    ]


def no_releases_note(others: list[Release], county: str | None, where: str) -> checks.Finding:
    """The finding that says why the industry table is empty (``check`` = ``no_releases``)."""
    whose = f" for {county}" if county else ""
    why = (
        f": the {len(others)} release(s) in {where} are for {_named(others)}"
        if others
        else f": no release files in {where}"
    )
    message = f"no bureau releases{whose}{why}"
    return checks.Finding("no_releases", "warning", where, None, "", message)


def releases_missing(findings: pd.DataFrame) -> str:
    """Why the industry table is empty ("" when it is not): the message of the ``no_releases``
    finding in ``industry_checks`` (02 and 05 read it to say what is missing)."""
    hit = findings[findings["check"] == "no_releases"] if len(findings) else findings
    return str(hit["message"].iloc[0]) if len(hit) else ""


def no_releases_text(county: str, lang: str) -> str:
    """The sentence a page shows when the run's county has no bureau releases."""
    if lang == "zh":
        return f"没有{county}的统计局规上工业月报：本节不显示产值数字。"
    return f"No bureau releases for {county}: no output figures are shown in this section."


def periods_available(releases: list[Release]) -> list[tuple[int, int]]:
    """The (year, through month) of every release, sorted, each once."""
    return sorted({(rel.period.year, rel.period.month) for rel in releases})


def _tables(
    releases: list[Release],
    simulated: bool,
    through: tuple[int, int] | None,
    where: str,
    county: str | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    releases, others = for_county(releases, county)
    if through is not None:
        refuse_later(releases, through)
    table = tidy(releases, simulated)
    notes = [n for rel in releases for n in rel.notes] + version_ties(table, releases)
    notes += other_county_notes(others, county)
    if not len(table):
        notes.append(no_releases_note(others, county, where))
    findings = checks.run_checks(table, notes)
    schemas.validate(table, INDUSTRY_MONTHLY, "industry_monthly")
    return table, findings


def _raise_first_error(findings: pd.DataFrame, folder: Path) -> None:
    errors = findings[findings["severity"] == "error"]
    if len(errors):
        first = errors.iloc[0]
        raise DataError(
            f"[{first['check']}] {first['message']} ({len(errors)} error(s) in all)",
            file=folder / first["file"],
            row=None if pd.isna(first["row"]) else int(first["row"]),
            column=first["column"] or None,
        )


def ingest(
    internal_dir: Path,
    simulated: bool = False,
    *,
    raise_on_error: bool = True,
    through: tuple[int, int] | None = None,
    cache: Path | None = None,
    county: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``<internal_dir>/bureau/`` into (tidy table, findings of the checks).

    Files marked 模拟数据 or 测试样例 (title or name) are flagged simulated whatever
    ``simulated`` says. ``through`` = (year, month) of the run: later releases are refused.
    ``county`` = the run's county: releases naming another place are left out (a warning
    ``other_county``), and when none is left the table is empty and the finding
    ``no_releases`` says why (:func:`releases_missing`); None reads every release.
    ``cache`` is a folder for parsed releases (the project's ``.cache``; None: parse every
    file). With ``raise_on_error`` a finding of severity *error* raises :class:`DataError`
    naming the file, row and column, so nothing is written; warnings are returned for the
    quality report.
    """
    return ingest_folder(
        bureau_folder(internal_dir),
        simulated,
        raise_on_error=raise_on_error,
        through=through,
        cache=cache,
        county=county,
    )


def ingest_folder(
    folder: Path,
    simulated: bool = False,
    *,
    raise_on_error: bool = True,
    through: tuple[int, int] | None = None,
    cache: Path | None = None,
    county: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`ingest` of a folder of releases itself (``…/bureau``)."""
    releases = read_folder(folder, ReleaseCache(cache), county or "")
    table, findings = _tables(releases, simulated, through, f"{SUBFOLDER}/", county)
    if raise_on_error:
        _raise_first_error(findings, folder)
    return table, findings


def read_release(
    path: Path,
    *,
    through: tuple[int, int] | None = None,
    raise_on_error: bool = False,
    folders: tuple[str, ...] = (),
    county: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One release file alone -> (tidy table, findings), as :func:`ingest` reads a folder.

    ``folders``: the folder names a year may come from, as if the file lay in
    ``bureau/<folders>/`` (``("2019",)`` for a release that states no year)."""
    path = Path(path)
    releases = read_file(path, tuple(folders), county=county or "")
    table, findings = _tables(releases, False, through, path.name, county)
    if raise_on_error:
        _raise_first_error(findings, path.parent)
    return table, findings
