"""Rounding intervals: what a published figure stands for, carried through arithmetic.

A stated value stands for an interval of half a unit of its last published digit (``6.02`` ->
[6.015, 6.025]); counts of things (家, 件, 人 ...) are exact; qualifiers widen it (…多 -> at
least, 近… -> about). :class:`Interval` propagates the intervals through a computation, and a
check passes when the recomputed interval meets the stated one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] with the arithmetic of intervals (for positive quantities).

    Used to carry the published rounding through a computation: the result holds every value
    the true inputs could give.
    """

    lo: float
    hi: float

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @classmethod
    def exact(cls, x: float) -> Interval:
        return cls(float(x), float(x))

    @staticmethod
    def _of(x: Interval | float) -> Interval:
        return x if isinstance(x, Interval) else Interval.exact(x)

    def __add__(self, other: Interval | float) -> Interval:
        o = self._of(other)
        return Interval(self.lo + o.lo, self.hi + o.hi)

    __radd__ = __add__

    def __sub__(self, other: Interval | float) -> Interval:
        o = self._of(other)
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def __rsub__(self, other: float) -> Interval:
        return self._of(other) - self

    def __mul__(self, other: Interval | float) -> Interval:
        o = self._of(other)
        ends = [self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi]
        return Interval(min(ends), max(ends))

    __rmul__ = __mul__

    def __truediv__(self, other: Interval | float) -> Interval:
        o = self._of(other)
        if o.lo <= 0 <= o.hi:
            raise ZeroDivisionError(f"division by an interval containing 0: {o}")
        return self * Interval(1 / o.hi, 1 / o.lo)

    def __rtruediv__(self, other: float) -> Interval:
        return self._of(other) / self

    @property
    def mid(self) -> float:
        return (self.lo + self.hi) / 2

    def meets(self, other: Interval) -> bool:
        """True if the two intervals share a point (a check within rounding passes)."""
        return self.lo <= other.hi and other.lo <= self.hi

    def __str__(self) -> str:
        if self.lo == self.hi:
            return f"{self.lo:g}"
        return f"[{self.lo:.6g}, {self.hi:.6g}]"


def half_unit(text: str) -> float:
    """Half a unit of the last published digit: '6.02' -> 0.005, '5488' -> 0.5, '20.7' -> 0.05."""
    try:
        exponent = Decimal(text.strip()).as_tuple().exponent
    except ArithmeticError:
        raise ValueError(f"{text!r} is not a number") from None
    return 0.5 * 10.0 ** min(int(exponent), 0)


def published_interval(text: str, qualifier: str = "", exact: bool = False) -> Interval:
    """The values a stated figure stands for.

    ``exact`` (a count of things) -> the value itself; qualifier ``more than`` (…多, …以上,
    …余) -> [value, +inf); ``about`` (近…, 约…) -> ± one unit of the last significant digit of the
    integer part (近50 -> [40, 60]); otherwise ± half a unit of the last published digit.
    """
    value = float(text)
    if qualifier == "more than":
        return Interval(value, float("inf"))
    if qualifier == "about":
        digits = str(int(abs(value))).rstrip("0")
        unit = 10.0 ** (len(str(int(abs(value)))) - len(digits)) if digits else 1.0
        return Interval(value - unit, value + unit)
    if qualifier:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    if exact:
        return Interval.exact(value)
    # in decimal, so that '6.02' gives exactly the doubles nearest 6.015 and 6.025
    d = Decimal(text.strip())
    h = Decimal("0.5").scaleb(min(int(d.as_tuple().exponent), 0))
    return Interval(float(d - h), float(d + h))
