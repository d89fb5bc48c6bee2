"""Seeded, calibrated stand-in for the statistics bureau's monthly tables (SIMULATED DATA).

The county's monthly above-scale output is not public, so the repository ships releases
2012-01 … 2022-10 in the bureau's input format (``data/internal/simulated/bureau/``), for the
county total (合计) and a key-enterprise group (重点企业(晨光、恒博、科伦等)). Every file is marked
simulated in its name (``模拟数据_…``) and title (``【模拟数据】``); the ingest marks every row.

How the series are made (all seeded, ``SEED``):

* two components, key group and all other enterprises; ``ln X`` = level + yearly growth path +
  a fixed monthly profile + a Spring Festival effect + AR(1) noise, 2011–2022;
* **the Spring Festival effect is known**: ``FESTIVAL_COEFFICIENT = -0.25`` times the
  Bell–Hillmer share regressor of methods.md §2.2 (window ``FESTIVAL_WINDOW`` = 4 days before to 15
  days after 正月初一, dates from ``lunardate``, centred by calendar month over 2011–2022);
* the 2020 Q1 slump (``COVID_LOG_EFFECT``);
* register changes at each year start: other enterprises' comparable base is ``k × last year's
  published level`` with ``k`` drawn from ``SCOPE_FACTOR_RANGE`` (the key group keeps its firms,
  k = 1), so published growth is on a comparable basis and differs from the ratio of levels;
* calibration: 2022 and 2021 levels are rescaled so that the 1–10月 2022 release gives exactly
  the work report's figures (F01–F06): total 964900万元 (96.49亿元) +20.7%, October 138700万元
  (13.87亿元) +28.96%, key group 230900万元 (23.09亿元) +16%. ``CALIBRATION.csv`` records them:
  these figures are *made* to match, so they prove nothing about real data.

Releases: 1-2月 every year (its 本月 is February alone in years that also have a January
release, ``JANUARY_RELEASE_YEARS``, and ``—`` otherwise), then 1-3月 … 1-12月. Formats are mixed
as delivered (``FORMATS``): GBK/GB18030/UTF-8/UTF-8-BOM CSV and xlsx with merged headers, units
元, 万元 and 亿元, both table shapes.

Regenerate (deterministic, byte-identical): ``python -m analysis.simulate.output [--out DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.io import write_csv_rows, write_xlsx_rows

SEED = 20221110
START_YEAR = 2012
END_YEAR, END_MONTH = 2022, 10
FESTIVAL_COEFFICIENT = -0.25
FESTIVAL_WINDOW = (4, 15)
COVID_LOG_EFFECT = {(2020, 1): -0.06, (2020, 2): -0.45, (2020, 3): -0.15, (2020, 4): -0.04}
SCOPE_FACTOR_RANGE = (0.90, 1.05)
JANUARY_RELEASE_YEARS = (2013, 2015, 2016, 2018, 2019, 2021, 2022)
KEY_LABEL = "重点企业(晨光、恒博、科伦等)"
SUBFOLDER = "bureau"
MARK = "【模拟数据】"
CREATOR = "analysis.simulate.output"  # the workbooks' author (document properties)

# Work report 2022 figures the stand-in is built to hit (figure id -> value as published).
TARGETS = {
    "F01": 964900.0,  # total 1-10月, 万元 (96.49亿元)
    "F02": 0.207,
    "F03": 138700.0,  # total October, 万元 (13.87亿元)
    "F04": 0.2896,
    "F05": 230900.0,  # key group 1-10月, 万元 (23.09亿元)
    "F06": 0.16,
}

# Yearly growth path of the two components (log points), before noise and calibration.
GROWTH_PATH = {
    2012: 0.12, 2013: 0.11, 2014: 0.09, 2015: 0.05, 2016: 0.07, 2017: 0.08,
    2018: 0.06, 2019: 0.07, 2020: 0.01, 2021: 0.16, 2022: 0.22,
}  # fmt: skip
MONTH_PROFILE = np.log([0.82, 0.68, 0.92, 0.94, 0.96, 1.00, 0.94, 0.98, 1.10, 1.30, 1.28, 1.42])

# How each year's releases are delivered: (suffix, encoding, shape, unit, level decimals,
# growth decimals, merged header). Shape "enterprise" has rows 合计 / key group; "indicator" one
# row per indicator with the key group as a block; "indicator_cum" only 累计 | 同比增长(±%).
FORMATS = {
    2012: (".csv", "gbk", "enterprise", "万元", 0, 1, False),
    2013: (".csv", "gbk", "enterprise", "万元", 0, 1, False),
    2014: (".csv", "utf-8-sig", "enterprise", "元", 0, 1, False),
    2015: (".xlsx", "", "indicator", "万元", 1, 1, True),
    2016: (".xlsx", "", "indicator", "万元", 1, 1, True),
    2017: (".csv", "gb18030", "indicator_cum", "万元", 0, 1, False),
    2018: (".xlsx", "", "enterprise", "万元", 0, 1, True),
    2019: (".xlsx", "", "enterprise", "万元", 0, 1, True),
    2020: (".xlsx", "", "enterprise", "亿元", 4, 1, True),
    2021: (".csv", "utf-8", "enterprise", "万元", 0, 1, False),
    2022: (".xlsx", "", "enterprise", "万元", 0, 2, True),
}


# ------------------------------------------------------------------------------------------
# festival regressor


def festival_dates(years: range) -> dict[int, dt.date]:
    from lunardate import LunarDate

    return {y: LunarDate(y, 1, 1).to_solar_date() for y in years}


def festival_share(years: range, before: int = 4, after: int = 15) -> pd.Series:
    """Centred Bell–Hillmer share: the festival window's part in each month (methods.md §2.2)."""
    dates = festival_dates(years)
    idx = pd.period_range(f"{years[0]}-01", f"{years[-1]}-12", freq="M")
    values = []
    for p in idx:
        c = pd.Timestamp(dates[p.year])
        days = pd.date_range(c - pd.Timedelta(days=before), periods=before + after + 1)
        values.append(float(np.mean([(d.year, d.month) == (p.year, p.month) for d in days])))
    s = pd.Series(values, index=idx)
    return s - s.groupby(s.index.month).transform("mean")


# ------------------------------------------------------------------------------------------
# true series


def _component(rng: np.random.Generator, level: float, growth_scale: float) -> pd.Series:
    years = range(START_YEAR - 1, END_YEAR + 1)
    h = festival_share(years, *FESTIVAL_WINDOW)
    logs = []
    noise = 0.0
    trend = np.log(level)
    for p in h.index:
        if p.year > START_YEAR - 1:  # the year's growth accrues month by month
            trend += growth_scale * GROWTH_PATH[p.year] / 12 + rng.normal(0, 0.004)
        noise = 0.4 * noise + rng.normal(0, 0.025)
        covid = COVID_LOG_EFFECT.get((p.year, p.month), 0.0)
        logs.append(
            trend + MONTH_PROFILE[p.month - 1] + FESTIVAL_COEFFICIENT * h[p] + covid + noise
        )
    return pd.Series(np.exp(logs), index=h.index)


def true_series(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly levels (万元, columns key/others) and scope factors by year, calibrated."""
    rng = np.random.default_rng(seed)
    key = _component(rng, 10300.0, 0.9)
    others = _component(rng, 27000.0, 1.1)
    k = pd.DataFrame(
        {
            "key": 1.0,
            "others": np.round(rng.uniform(*SCOPE_FACTOR_RANGE, END_YEAR - START_YEAR + 1), 4),
        },
        index=range(START_YEAR, END_YEAR + 1),
    )
    levels = pd.DataFrame({"key": key, "others": others})
    return _calibrate(levels, k), k


def _months(year: int, months: range) -> list[pd.Period]:
    return [pd.Period(f"{year}-{m:02d}", "M") for m in months]


def _calibrate(levels: pd.DataFrame, k: pd.DataFrame) -> pd.DataFrame:
    """Rescale 2022 and 2021 so the 1–10月 2022 release reproduces F01–F06 exactly."""
    lv = levels.copy()
    y, n = END_YEAR, END_MONTH
    ytd, sep = _months(y, range(1, n + 1)), _months(y, range(1, n))
    oct_, last_ytd = pd.Period(f"{y}-{n:02d}", "M"), _months(y - 1, range(1, n + 1))
    last_sep, last_oct = _months(y - 1, range(1, n)), pd.Period(f"{y - 1}-{n:02d}", "M")
    last_rest = _months(y - 1, range(n + 1, 13))
    # this year's levels
    lv.loc[ytd, "key"] *= TARGETS["F05"] / lv.loc[ytd, "key"].sum()
    lv.loc[oct_, "others"] = TARGETS["F03"] - lv.loc[oct_, "key"]
    rest = TARGETS["F01"] - TARGETS["F05"] - lv.loc[oct_, "others"]
    lv.loc[sep, "others"] *= rest / lv.loc[sep, "others"].sum()
    # last year's levels, through the comparable bases B = C / (1 + g)
    base_key = TARGETS["F05"] / (1 + TARGETS["F06"])
    key_factor = base_key / (k.loc[y, "key"] * lv.loc[last_ytd, "key"].sum())
    lv.loc[[*last_ytd, *last_rest], "key"] *= key_factor
    base_total = TARGETS["F01"] / (1 + TARGETS["F02"])
    base_oct = TARGETS["F03"] / (1 + TARGETS["F04"])
    ko = k.loc[y, "others"]
    oct_others = (base_oct - k.loc[y, "key"] * lv.loc[last_oct, "key"]) / ko
    sep_others = (base_total - base_key) / ko - oct_others
    factor = sep_others / lv.loc[last_sep, "others"].sum()
    lv.loc[last_oct, "others"] = oct_others
    lv.loc[last_sep, "others"] *= factor
    lv.loc[last_rest, "others"] *= factor
    return lv


# ------------------------------------------------------------------------------------------
# releases


def releases() -> list[tuple[int, int]]:
    """(year, through month) of every release: January in some years, 1-2月, then 1-N月."""
    out = []
    for y in range(START_YEAR, END_YEAR + 1):
        last = END_MONTH if y == END_YEAR else 12
        if y in JANUARY_RELEASE_YEARS:
            out.append((y, 1))
        out.extend((y, n) for n in range(2, last + 1))
    return out


def release_figures(levels: pd.DataFrame, k: pd.DataFrame, year: int, n: int) -> dict:
    """Exact (unrounded) levels and comparable growth of one release, per group."""
    out = {}
    for group in ("合计", "key"):
        cols = ["key", "others"] if group == "合计" else ["key"]
        cur = levels.loc[_months(year, range(1, n + 1)), cols]
        prev = levels.loc[_months(year - 1, range(1, n + 1)), cols]
        kk = k.loc[year, cols].to_numpy()
        cum, base = cur.to_numpy().sum(), (prev.to_numpy() * kk).sum()
        month, mbase = cur.iloc[-1].sum(), (prev.iloc[-1].to_numpy() * kk).sum()
        out[group] = {
            "cum": cum,
            "cum_g": cum / base - 1,
            "month": month,
            "month_g": month / mbase - 1,
        }
    return out


def _q(x: float, decimals: int) -> str:
    return str(
        Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    )


def _money(x_wan: float, unit: str, decimals: int) -> str:
    factor = {"元": 10000.0, "万元": 1.0, "亿元": 0.0001}[unit]
    return _q(x_wan * factor, decimals)


def _period_text(year: int, n: int) -> str:
    return f"{year}年{n}月" if n == 1 else f"{year}年1-{n}月"


def release_rows(
    year: int, n: int, fig: dict, county: str, firms: int, sales_rate: tuple[float, float]
) -> tuple[list[list[str]], list[str]]:
    """The cells of one release in its year's format, and its merged ranges (xlsx)."""
    _, _, shape, unit, dec, gdec, merged = FORMATS[year]
    combined = n == 2
    title = f"{MARK}{county}{_period_text(year, n)}规模以上工业企业主要指标"

    def month_cells(f: dict) -> tuple[str, str]:
        if combined and year not in JANUARY_RELEASE_YEARS:
            return "—", "—"
        return _money(f["month"], unit, dec), _q(f["month_g"] * 100, gdec)

    def cum_cells(f: dict) -> tuple[str, str]:
        return _money(f["cum"], unit, dec), _q(f["cum_g"] * 100, gdec)

    if shape == "enterprise":
        head = ["企业名称", "本月", "1-本月累计", "本月同比增长(%)", "累计同比增长(%)"]
        rows = [[title], [f"单位：{unit}"]]
        if merged:
            rows += [["企业名称", "工业总产值", "", "", ""], ["", *head[1:]]]
        else:
            rows += [head]
        for label, f in (("合计", fig["合计"]), (KEY_LABEL, fig["key"])):
            m, mg = month_cells(f)
            c, cg = cum_cells(f)
            rows.append([label, m, c, mg, cg])
        merges = ["A1:E1", "A3:A4", "B3:E3"] if merged else []
    elif shape == "indicator":
        rows = [
            [title],
            [f"单位:个、{unit}"],
            ["指标名称", "计量单位", "本月", "", "1-本月累计", ""],
            ["", "", "绝对值", "同比%", "绝对值", "同比%"],
            ["企业单位数", "个", str(firms), "—", str(firms), "—"],
            ["工业总产值", unit, *_interleave(month_cells(fig["合计"]), cum_cells(fig["合计"]))],
            ["产品销售率", "%", "—", "—", _q(sales_rate[0], 1), f"{sales_rate[1]:+.1f}个百分点"],
            [f"其中：{KEY_LABEL}", "", "", "", "", ""],
            ["工业总产值", unit, *_interleave(month_cells(fig["key"]), cum_cells(fig["key"]))],
        ]
        merges = ["A1:F1", "A3:A4", "B3:B4", "C3:D3", "E3:F3"]
    else:  # indicator_cum
        rows = [
            [title],
            ["单位：万元"],
            ["指标名称", "计量单位", "1-本月累计", "同比增长(±%)"],
            ["企业单位数", "个", str(firms), "—"],
            ["工业总产值", unit, *cum_cells(fig["合计"])],
            ["产品销售率", "%", _q(sales_rate[0], 1), f"{sales_rate[1]:+.1f}个百分点"],
            [f"其中：{KEY_LABEL}", "", "", ""],
            ["工业总产值", unit, *cum_cells(fig["key"])],
        ]
        merges = []
    rows.append([f"注：{MARK}本表为按公开数字校准的模拟数据，并非统计局数据。"])
    return rows, merges


def _interleave(month: tuple[str, str], cum: tuple[str, str]) -> list[str]:
    return [month[0], month[1], cum[0], cum[1]]


def file_name(year: int, n: int) -> str:
    suffix = FORMATS[year][0]
    span = f"{n:02d}" if n == 1 else f"01-{n:02d}"
    return f"模拟数据_{year}年{span}月规上工业{suffix}"


# ------------------------------------------------------------------------------------------
# the whole stand-in


def generate(out_dir: Path, county: str, seed: int = SEED) -> list[Path]:
    """Write every release and CALIBRATION.csv into ``out_dir/bureau/``; return the files."""
    folder = Path(out_dir) / SUBFOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("模拟数据_*"):
        old.unlink()
    levels, k = true_series(seed)
    rng = np.random.default_rng(seed + 1)
    firms = {}
    count = 38
    for y in range(START_YEAR, END_YEAR + 1):
        count += int(rng.integers(-3, 6))
        firms[y] = count
    paths = []
    for year, n in releases():
        fig = release_figures(levels, k, year, n)
        rate = float(np.round(rng.uniform(96.5, 99.0), 1))
        change = float(np.round(rng.uniform(-1.5, 1.5), 1))
        rows, merges = release_rows(year, n, fig, county, firms[year], (rate, change))
        path = folder / file_name(year, n)
        suffix, enc = FORMATS[year][0], FORMATS[year][1]
        if suffix == ".csv":
            paths.append(write_csv_rows(path, rows, enc))
        else:
            paths.append(write_xlsx_rows(path, rows, merges, creator=CREATOR))
    paths.append(write_calibration(folder, levels, k))
    return paths


def write_calibration(folder: Path, levels: pd.DataFrame, k: pd.DataFrame) -> Path:
    """CALIBRATION.csv: each work-report figure the stand-in was made to hit, target vs achieved
    (achieved = the figure as written in the committed file, in the report's unit)."""
    fig = release_figures(levels, k, END_YEAR, END_MONTH)
    _, _, _, unit, dec, gdec, _ = FORMATS[END_YEAR]
    name = file_name(END_YEAR, END_MONTH)

    def yi(x: float) -> str:
        return str(Decimal(_money(x, unit, dec)) * Decimal(_factor_to_yi(unit)))

    def pct(g: float) -> str:
        return str(Decimal(_q(g * 100, gdec)).normalize())

    rows = [
        ["file", "target_figure_id", "target_value", "achieved_value"],
        [name, "F01", "96.49", _norm(yi(fig["合计"]["cum"]))],
        [name, "F02", "20.7", pct(fig["合计"]["cum_g"])],
        [name, "F03", "13.87", _norm(yi(fig["合计"]["month"]))],
        [name, "F04", "28.96", pct(fig["合计"]["month_g"])],
        [name, "F05", "23.09", _norm(yi(fig["key"]["cum"]))],
        [name, "F06", "16", pct(fig["key"]["cum_g"])],
    ]
    path = folder / "CALIBRATION.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return path


def _factor_to_yi(unit: str) -> str:
    return {"元": "0.00000001", "万元": "0.0001", "亿元": "1"}[unit]


def _norm(text: str) -> str:
    d = Decimal(text).normalize()
    return format(d, "f")


def main(argv: list[str] | None = None) -> int:
    from analysis.params import load_params
    from analysis.paths import Paths

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None, help="internal-data folder (default: params)")
    parser.add_argument("--params", default=None, help="parameters file (for the county name)")
    args = parser.parse_args(argv)
    params = load_params(args.params)
    paths = Paths.for_run()
    out = Path(args.out) if args.out else paths.internal(params.internal_data_dir)
    written = generate(out, params.county)
    print(f"wrote {len(written)} files to {out / SUBFOLDER}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
