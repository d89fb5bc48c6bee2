"""The rules of Hebei's county innovation evaluation (县域科技创新能力监测评价), declared once.

Every module that reads, checks, simulates or models the evaluation takes its classes, class
thresholds and the shape of the score from here, so a change of the province's rules is one edit.
Sources: the provincial S&T department's press conference of 2019 (A ≥ 80, B 60–80, C < 60) and
the published indicator system (14 quantitative indicators worth 85 points, 3 qualitative ones
under 创新管理 worth 15; ``data/raw/published/hebei_sti_indicator_system.csv``).
"""

from __future__ import annotations

CLASSES = ("A", "B", "C")
CLASS_A_MIN = 80.0  # a score of 80 or more is class A
CLASS_B_MIN = 60.0  # 60 up to 80 is class B; below 60 class C
CLASS_RULE_TEXT = "A >= 80, B 60-80, C < 60"

QUALITATIVE_LEVEL1 = "创新管理"  # 创新管理情况: the 3 qualitative indicators (15 points)
N_QUANTITATIVE, MAX_QUANTITATIVE = 14, 85.0
N_QUALITATIVE, MAX_QUALITATIVE = 3, 15.0
SCORE_STEP = 0.01  # scores are printed to 0.01: the smallest lead that beats a unit


def class_of_score(score: float) -> str:
    """The class a total score falls in (A ≥ 80, B 60–80, C < 60)."""
    if not 0 <= score <= 100:
        raise ValueError(f"score {score} outside 0..100")
    return "A" if score >= CLASS_A_MIN else "B" if score >= CLASS_B_MIN else "C"
