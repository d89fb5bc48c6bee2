"""Heading numbers as a work report writes them: 一、二、… then （一）（二）… (``lang: en``: 1. 2. …
then (1) (2) …), the simulated mark added once, and the number inside a headline's display
text (``96.49亿元``) for the table's value column and the workbook's decimals."""

from __future__ import annotations

import re

from analysis.figures.labels import t

# unit words a display text may end in (both languages): stripped into the unit column
UNIT_SUFFIXES = {"", "亿元", "%", "个百分点", "件", "家", "分", "位", "hundred million yuan", "pp"}

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1..99, more than a report needs)."""
    if not 1 <= n <= 99:
        raise ValueError(f"heading number {n} outside 1..99")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "")


def section_number(n: int, lang: str) -> str:
    return f"{chinese_number(n)}、" if lang == "zh" else f"{n}. "


def subsection_number(n: int, lang: str) -> str:
    return f"（{chinese_number(n)}）" if lang == "zh" else f"({n}) "


def simulated_mark(lang: str) -> str:
    """【模拟数据】 / [SIMULATED] (from the one translation table)."""
    return t("simulated_sentence_mark", lang).strip()


def marked(text: str, simulated: bool, lang: str) -> str:
    """``text`` with the simulated mark in front when it rests on a stand-in, unless the text
    already carries it (review_sentences.csv may write it into the sentence itself)."""
    mark = simulated_mark(lang)
    if not simulated or mark in text:
        return text
    return f"{mark}{text}" if lang == "zh" else f"{mark} {text}"


def _number_and_unit(display: str) -> re.Match[str] | None:
    m = re.fullmatch(r"\s*([-+]?\d[\d,]*(?:\.(\d+))?)\s*(.*?)\s*", str(display))
    return m if m and m.group(3) in UNIT_SUFFIXES else None


def value_text(display: str) -> str:
    """The number of a display text such as ``96.49亿元`` without its unit word (the table has a
    unit column); a text that is more than number and unit is kept whole."""
    m = _number_and_unit(display)
    return m.group(1) if m else str(display)


def display_decimals(display: str) -> int | None:
    """Decimals of a display text that is only number and unit (``28.96%`` → 2), else None."""
    m = _number_and_unit(display)
    return len(m.group(2) or "") if m else None
