"""Official-statistics arithmetic against hand-worked examples (methods.md §1.2, §1.4–1.6)."""

import pytest

from analysis import conventions as cv

# methods.md §1.5 illustration, in 亿元: 1–10月 96.49 +20.7%, 10月 13.87 +28.96%.
C10, G10, X10, GM10 = 96.49, 0.207, 13.87, 0.2896


def test_monthly_from_cumulative() -> None:
    assert cv.monthly_from_cumulative(C10, X10) == pytest.approx(82.62)


def test_comparable_base_of_the_illustration() -> None:
    assert cv.comparable_base(C10, G10) == pytest.approx(79.942, abs=5e-4)
    assert cv.comparable_base(X10, GM10) == pytest.approx(10.7553, abs=5e-5)


def test_implied_previous_cumulative_of_the_illustration() -> None:
    prev = cv.implied_previous_cumulative(C10, G10, X10, GM10)
    assert prev.level == pytest.approx(82.62)
    assert prev.base_now == pytest.approx(79.94, abs=0.005)
    assert prev.month_base == pytest.approx(10.755, abs=0.0005)
    assert prev.base == pytest.approx(69.19, abs=0.005)
    assert round(prev.growth * 100, 1) == 19.4


def test_scope_factor_of_the_2018_profit_example() -> None:
    # methods.md §1.2: 27,298.3亿元 +16.5% against a published 29,047.6亿元 gives k = 0.807.
    base = cv.comparable_base(27298.3, 0.165)
    assert round(cv.scope_factor(base, 29047.6), 3) == 0.807


def test_monthly_comparable_growth_recovers_the_published_month() -> None:
    b10 = cv.monthly_base(cv.comparable_base(C10, G10), 69.1867)
    assert cv.monthly_comparable_growth(X10, b10) == pytest.approx(GM10, abs=5e-4)


def test_pulls_and_contributions_of_the_work_report_figures_by_hand() -> None:
    # total 964900 +20.7%, key group 230900 +16%, others the remainder.
    # By hand: B = 964900/1.207 = 799420.05; B_key = 230900/1.16 = 199051.72, ΔC_key = 31848.28
    # -> 拉动 3.984 pp; others: 734000 on a base of 600368.33 -> +22.26%, ΔC = 133631.67 ->
    # 16.716 pp; 贡献率 31848.28 / 165479.95 = 19.25%.
    others = cv.remainder_part(964900, 0.207, 230900, 0.16)
    assert others[0] == 734000
    assert others[1] == pytest.approx(0.22258, abs=5e-5)
    levels = {"key": 230900.0, "others": others[0]}
    growths = {"key": 0.16, "others": others[1]}
    pulls = cv.pulls_pp(levels, growths)
    assert pulls["key"] == pytest.approx(3.984, abs=5e-4)
    assert pulls["others"] == pytest.approx(16.716, abs=5e-4)
    assert cv.contribution_shares(levels, growths)["key"] == pytest.approx(0.19246, abs=5e-5)


def test_pull_band_of_a_growth_published_to_whole_percent() -> None:
    """Issue #18 item 7: a published "16%" is 15.5–16.5%, so the key group's pull is
    3.87–4.09 pp (the total's 20.7% and the levels' rounding move it by less than 0.01 pp)."""
    band = cv.pull_band_pp(
        964900, 0.207, 230900, 0.16,
        total_level_half=0.5, total_growth_half=0.0005,
        part_level_half=0.5, part_growth_half=0.005,
    )  # fmt: skip
    lo, hi = band["part"]
    # by hand at the key growth's ends: (230900 − 230900/1.155)/799420 and (… /1.165)/799420
    assert lo == pytest.approx((230900 - 230900 / 1.155) / (964900 / 1.207) * 100, abs=0.01)
    assert hi == pytest.approx((230900 - 230900 / 1.165) / (964900 / 1.207) * 100, abs=0.01)
    assert (round(lo, 2), round(hi, 2)) == (3.87, 4.09)
    # the others' pull moves the other way, and by as much plus the total's own ±0.05 pp
    rest_lo, rest_hi = band["remainder"]
    assert rest_lo == pytest.approx(20.65 - hi, abs=0.01)
    assert rest_hi == pytest.approx(20.75 - lo, abs=0.01)


def test_contribution_can_exceed_one_when_a_part_falls() -> None:
    shares = cv.contribution_shares({"a": 110.0, "b": 95.0}, {"a": 0.10, "b": -0.05})
    assert shares["a"] == pytest.approx(2.0)
    assert shares["b"] == pytest.approx(-1.0)


def test_two_year_average_growth_of_2021() -> None:
    # methods.md §1.4: sqrt(1.351 × 0.865) − 1 = 8.1%
    assert round(cv.two_year_average_growth(0.351, -0.135) * 100, 1) == 8.1


def test_units_convert_exactly_to_wan() -> None:
    assert cv.to_wan("96.49", "亿元") == 964900.0
    assert cv.to_wan("12345", "元") == 1.2345
    assert cv.to_wan("1234.5", "千元") == 123.45
    with pytest.raises(ValueError):
        cv.to_wan("1", "美元")


def test_half_unit_in_wan() -> None:
    assert cv.half_unit(2, "亿元") == 50.0
    assert cv.half_unit(0, "万元") == 0.5
    assert cv.half_unit(1) == 0.05


def test_rounding_band_of_the_implied_growth_contains_the_exact_value() -> None:
    lo, hi = cv.implied_previous_growth_band(
        964900, 0.207, 138700, 0.2896, level_half=0.5, growth_half=0.0005
    )
    exact = cv.implied_previous_cumulative(964900, 0.207, 138700, 0.2896).growth
    assert lo < exact < hi
    # by hand: ±0.05 pp on g(10) moves B(10) by ∓331, hence g(9) by ±0.057 pp; on g_m(10) b(10)
    # moves by ∓42, g(9) by ∓0.007 pp; the levels' ±0.5 add little: width ≈ 2 × 0.064 pp
    assert hi - lo == pytest.approx(0.00129, abs=0.00002)
