"""Movement anchors of the evaluation stand-in on small hand-made rounds: the order chosen meets
the published counts, a unit's rise, and says clearly when they cannot be met."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds

from analysis.errors import DataError
from analysis.simulate import movement
from analysis.simulate.program import Program

COLUMNS = ["anchor_id", "round", "kind", "subject", "value", "status", "source", "note"]


def anchors(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """(kind, subject, value) rows of one round as ANCHORS.csv would give them."""
    data = [(f"t{k}", 2021, kind, subj, val, "published", "test", "") for k, (kind, subj, val)
            in enumerate(rows)]  # fmt: skip
    return pd.DataFrame(data, columns=COLUMNS)


NONE = anchors()


def six_units() -> tuple[pd.DataFrame, pd.Series]:
    units = pd.DataFrame(
        {
            "code": [f"13010{k}" for k in range(6)],
            "name": list("abcdef"),
            "city": ["X"] * 3 + ["Y"] * 3,
        }
    )
    return units, pd.Series(list("AABBCC"))


def links(prev_position, nxt=None) -> movement.Links:
    n = len(prev_position)
    return movement.Links(
        np.array(prev_position, dtype=float),
        np.full(n, np.nan),
        np.full(n, np.nan) if nxt is None else np.array(nxt, dtype=float),
    )


@pytest.mark.parametrize(
    ("text", "want"),
    [("10..", (10, np.inf)), ("5..9", (5, 9)), ("..-1", (-np.inf, -1)), ("3", (3, 3))],
)
def test_parse_range(text: str, want: tuple[float, float]) -> None:
    assert movement.parse_range(text) == want


def test_blocks_follow_the_class_counts() -> None:
    assert movement.blocks({"A": 2, "B": 3, "C": 1}) == {"A": (1, 2), "B": (3, 5), "C": (6, 6)}


def test_without_anchors_the_start_order_is_kept() -> None:
    units, classes = six_units()
    start = [1, 0, 3, 2, 5, 4]
    got = movement.choose_order("t", units, classes, start, {}, [], links([1] * 6), NONE, NONE)
    assert got == start


def test_order_meets_rank_counts_and_a_units_rise() -> None:
    units, classes = six_units()
    start = [0, 1, 2, 3, 4, 5]
    # the start order has two risers (units 2 and 4); holding unit 5 at its 5th place pushes
    # unit 4 to 6th, so a second riser must be found elsewhere (a swap in the A block)
    prev = [1, 2, 4, 3, 6, 5]
    ask = anchors(("ranks_up", "*:1..", "2"), ("unit_rank_change", "130105", "0"))
    got = movement.choose_order("t", units, classes, start, {}, [], links(prev), ask, NONE)
    pos = {i: k + 1 for k, i in enumerate(got)}
    assert sum(prev[i] - pos[i] >= 1 for i in range(6)) == 2
    assert pos[5] == 5  # rise 0: 5th before, 5th now
    assert [classes[i] for i in got] == list("AABBCC")  # classes keep their blocks


def test_published_positions_and_pairs_are_kept() -> None:
    units, classes = six_units()
    prev = [2, 1, 3, 4, 5, 6]
    ask = anchors(("ranks_up", "*:1..", "1"))
    got = movement.choose_order(
        "t", units, classes, [0, 1, 2, 3, 4, 5], {2: 4}, [(4, 5)], links(prev), ask, NONE
    )
    pos = {i: k + 1 for k, i in enumerate(got)}
    assert pos[2] == 4 and pos[4] < pos[5]
    assert sum(prev[i] - pos[i] >= 1 for i in range(6)) == 1


def test_impossible_counts_are_refused_naming_the_round() -> None:
    units, classes = six_units()
    ask = anchors(("ranks_up", "*:3..", "4"))  # classes keep their blocks: nobody rises 3
    with pytest.raises(DataError, match=r"round 2021 \(order\)"):
        movement.choose_order(
            "round 2021", units, classes, list(range(6)), {}, [], links(range(1, 7)), ask, NONE
        )


def test_lookahead_holds_listed_units_back() -> None:
    units, classes = six_units()
    # units 2 and 3 (class B: positions 3-4) are listed 1st and 2nd next round, and no listed
    # unit may rise 3 places or more into it: unit 2 must take 3rd place, unit 3 4th
    nxt = [np.nan, np.nan, 1, 2, np.nan, np.nan]
    ahead = anchors(("ranks_up", "*:3..", "0"))
    start = [0, 1, 3, 2, 4, 5]  # unit 2 4th: it would rise 3 places into the next round
    got = movement.choose_order(
        "t", units, classes, start, {}, [], links([1] * 6, nxt), NONE, ahead
    )
    assert got == [0, 1, 2, 3, 4, 5]


def test_class_conditions_force_a_fixed_rise_into_the_right_block() -> None:
    units, _ = six_units()
    counts = {"A": 2, "B": 2, "C": 2}
    col = {(i, c): 3 * i + k for i in range(6) for k, c in enumerate("ABC")}
    p = Program(18)
    for i in range(6):
        p.add({col[i, c]: 1 for c in "ABC"}, 1, 1)
    for c in "ABC":
        p.add({col[i, c]: 1 for i in range(6)}, 2, 2)
    ask = anchors(("unit_rank_change", "130105", "5"))  # from 6th to 1st: must be in A
    movement.class_conditions(p, col, units, counts, {}, links(range(1, 7)), ask, NONE)
    cost = np.array([{"A": 0, "B": 1, "C": 2}[c] * (5 - i) for i in range(6) for c in "ABC"])
    x = p.solve(cost.astype(float), np.ones(18), Bounds(0, 1), "t")
    assert x[col[5, "A"]] == 1


def test_scores_up_rows_count_strict_rises() -> None:
    units, _ = six_units()
    prev_score = np.array([5000, 5000, 5000, 5000, 5000, 5000], dtype=float)
    lk = movement.Links(np.arange(1, 7, dtype=float), prev_score, np.full(6, np.nan))
    p = Program(6)
    extra = movement.scores_up_rows(p, units, lk, anchors(("scores_up", "*", "4")), 6)
    p.n += extra
    cost = np.r_[np.ones(6), np.zeros(extra)]  # as low as possible: only 4 may rise
    bounds = Bounds(
        np.r_[np.full(6, 4000), np.zeros(extra)], np.r_[np.full(6, 6000), np.ones(extra)]
    )
    x = p.solve(cost, np.ones(6 + extra), bounds, "t")
    assert extra == 6 and int((x[:6] > 5000).sum()) == 4
    assert x[:6].min() == 4000 and sorted(x[:6])[2] == 5001


def test_achieved_reads_two_rounds_of_scores() -> None:
    before = pd.DataFrame(
        {
            "county_code": ["1", "2", "3"],
            "city": "X",
            "score": [70.0, 60.0, 50.0],
            "position": [1, 2, 3],
        }
    )
    now = before.assign(score=[71.0, 59.0, 66.0], position=[1, 3, 2])
    keys = {"1": "1", "2": "2", "3": "3"}
    a = anchors(
        ("scores_up", "*", "2"), ("ranks_up", "*:1..", "1"), ("unit_rank_change", "2", "-1")
    )
    got = [movement.achieved(row, now, before, keys) for row in a.itertuples()]
    assert got == [(2, 2), (1, 1), (-1, -1)]


def test_a_rise_for_a_unit_without_a_previous_round_is_refused() -> None:
    units, _ = six_units()
    col = {(i, c): 3 * i + k for i in range(6) for k, c in enumerate("ABC")}
    ask = anchors(("unit_rank_change", "130100", "1"))
    with pytest.raises(DataError, match="130100 has no previous round"):
        movement.class_conditions(Program(18), col, units, {"A": 2, "B": 2, "C": 2}, {},
                                  links([np.nan] * 6), ask, NONE)  # fmt: skip


def test_a_rise_the_class_block_cannot_hold_is_refused_naming_the_anchor() -> None:
    units, classes = six_units()
    ask = anchors(("unit_rank_change", "130105", "5"))  # 6th to 1st, but unit 5 is in class C
    with pytest.raises(DataError, match=r"anchor t0: 130105 cannot be at position 1"):
        movement.choose_order("t", units, classes, list(range(6)), {}, [], links(range(1, 7)),
                              ask, NONE)  # fmt: skip
