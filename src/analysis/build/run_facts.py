"""What the landing pages say about a run, read from its processed tables with the standard
library (the index is rewritten by every build; a build with nothing to do must stay fast):
the headline rows, the data vintage, who published the sources, what rests on simulated data.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# the three numbers a leader reads first, in order (keys of review_headlines.csv)
HEADLINE_KEYS = ("output_cumulative_wan", "growth_cumulative", "evaluation_latest")
CLAIM_KEY = "evaluation_claim"
SCORE_KEY = "evaluation_score"
# rows of review_headlines.csv that explain a method to analysts, not numbers to repeat
ANALYST_KEYS = ("naive_level_ratio", "scope_factor_k")
# the published file the county's position comes from (data/raw/SOURCES.csv "file")
POSITION_SOURCE = "published/hebei_sti_evaluation_classes.csv"
# the files whose publishers a leader is told about: what was published, not tooling or mirrors
PUBLISHED_PREFIXES = ("published/", "census/")
WORK_REPORT_PREFIX = "reference/work_report"
# a publisher's name inside the free text of the provenance table: a run of Chinese ending in
# the word for an office, a bureau, a government or a newspaper
_ORGANISATION = re.compile(
    r"[\u4e00-\u9fff]+(?:办公厅|人民政府|科学技术厅|科技厅|统计局|科技局|办公室|委员会|日报)"
)


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV (stdlib csv; BOM or not); [] if absent."""
    if not path.is_file():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def true(value: Any) -> bool:
    return str(value).strip().lower() == "true"


def period_text(year: int, month: int, lang: str) -> str:
    """1-10月 of a year, as the bureau writes it (en: Jan–Oct 2022)."""
    if lang == "en":
        span = MONTHS_EN[0] if month == 1 else f"{MONTHS_EN[0]}–{MONTHS_EN[month - 1]}"
        return f"{span} {year}"
    return f"{year}年1月" if month == 1 else f"{year}年1-{month}月"


def data_vintage(processed: Path, lang: str = "zh") -> dict[str, str]:
    """What the run's numbers are as of (see :func:`vintage_of`), from a processed folder."""
    return vintage_of(
        read_rows(processed / "industry_monthly.csv"),
        read_rows(processed / "evaluation_rounds.csv"),
        lang,
    )


def vintage_of(
    releases: list[dict[str, str]], rounds: list[dict[str, str]], lang: str = "zh"
) -> dict[str, str]:
    """The latest bureau release (its period, and its file for the analysts) and the latest
    published evaluation round."""
    out: dict[str, str] = {}
    releases = [r for r in releases if true(r.get("latest"))]
    if releases:
        last = max(releases, key=lambda r: (int(r["year"]), int(r["month"])))
        year, month = int(last["year"]), int(last["month"])
        out["bureau_period"] = period_text(year, month, lang)
        out["bureau"] = f"{period_text(year, month, 'zh')} · {last.get('release', '')}"
        out["bureau_simulated"] = str(
            any(
                true(r.get("simulated"))
                for r in releases
                if int(r["year"]) == year and int(r["month"]) == month
            )
        )
    rounds = [r for r in rounds if true(r.get("published"))]
    if rounds:
        last = max(rounds, key=lambda r: int(r["round"]))
        out["evaluation"] = (
            f"{last['round']}年度监测评价({last['data_year']}年数据) · round {last['round']} "
            f"({last['data_year']} data)"
        )
    return out


def headlines_by_key(rows: list[dict[str, str]], lang: str) -> dict[str, dict[str, str]]:
    """The headline rows of the run's language, by key (rows without a lang column count for
    every language)."""
    return {r["key"]: r for r in rows if r.get("lang", lang) in (lang, "") and r.get("key")}


def organisations(text: str) -> list[str]:
    """The publishers named in Chinese in a free-text publisher field, in order, once each:
    ``河北省科学技术厅 / 河北省人民政府 press releases`` -> 河北省科学技术厅, 河北省人民政府."""
    found: list[str] = []
    for name in _ORGANISATION.findall(text or ""):
        if name not in found:
            found.append(name)
    return found


def publishers(sources: list[dict[str, str]], prefixes: tuple[str, ...]) -> list[str]:
    """Every publisher named in the rows whose file starts with one of ``prefixes``, once."""
    out: list[str] = []
    for row in sources:
        if row.get("file", "").startswith(prefixes):
            out += [n for n in organisations(row.get("publisher", "")) if n not in out]
    return out


def has_work_report(sources: list[dict[str, str]]) -> bool:
    return any(r.get("file", "").startswith(WORK_REPORT_PREFIX) for r in sources)


def simulated_tables(headlines: list[dict[str, str]], vintage: dict[str, str]) -> list[str]:
    """The processed tables of which a headline number rests on a simulated stand-in."""
    tables = sorted({h["source_table"] for h in headlines if true(h.get("simulated"))})
    if true(vintage.get("bureau_simulated")) and "industry_monthly" not in tables:
        tables.insert(0, "industry_monthly")
    return tables


def simulated_figures(figures: list[dict[str, str]], lang: str) -> list[str]:
    """Titles of the figures drawn from simulated data, in the run's language."""
    key = "title_en" if lang == "en" else "title_zh"
    return [f.get(key, "") for f in figures if true(f.get("simulated")) and f.get(key)]
