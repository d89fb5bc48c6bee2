"""What a run is: the parameters in ``params/*.yaml`` as one typed, validated object.

Parameters flow from the YAML file into functions as arguments (never read from globals deep
inside), so a notebook run top to bottom in JupyterLab and a batch run by ``make report`` see
the same values. :func:`check_run` checks a run against the data before anything runs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import DataError
from analysis.paths import Paths, project_root

DEFAULT_PARAMS = Path("params") / "default.yaml"
LANGS = ("zh", "en")


@dataclass(frozen=True)
class RunParams:
    county: str
    county_code: str
    city: str
    year: int
    through_month: int
    lang: str = "zh"
    internal_data_dir: str = "data/internal/simulated"
    target_growth: float = 0.15
    target_position: int = 5
    allow_enterprise_tables: bool = False
    output_dir: str = ""

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, got {self.lang!r}")
        if not 1 <= int(self.through_month) <= 12:
            raise ValueError(f"through_month must be 1..12, got {self.through_month!r}")
        code = str(self.county_code)
        if len(code) != 6 or not code.isdigit():
            raise ValueError(f"county_code must be a 6-digit 区划代码, got {self.county_code!r}")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _coerce(raw: dict[str, Any], source: str) -> dict[str, Any]:
    known = {f.name: f.type for f in fields(RunParams)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise DataError(f"unknown parameter(s) {unknown}; known: {sorted(known)}", file=source)
    out = dict(raw)
    if "county_code" in out:
        out["county_code"] = str(out["county_code"])
    for key in ("year", "through_month", "target_position"):
        if key in out:
            out[key] = int(out[key])
    if "target_growth" in out:
        out["target_growth"] = float(out["target_growth"])
    if out.get("output_dir") is None:
        out["output_dir"] = ""
    return out


def read_yaml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The raw mapping in a parameters file (relative paths are taken from the project root)."""
    p = Path(path)
    if not p.is_absolute():
        p = project_root() / p
    with open(p, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    if not isinstance(data, dict):
        raise DataError("a parameters file must be a mapping of name: value", file=p)
    return data


def load_params(path: str | os.PathLike[str] | None = None, **overrides: Any) -> RunParams:
    """Load the defaults, then the file ``path`` on top, then keyword overrides."""
    merged = read_yaml(DEFAULT_PARAMS)
    source = str(DEFAULT_PARAMS)
    if path is not None and Path(path) != DEFAULT_PARAMS:
        merged.update(read_yaml(path))
        source = str(path)
    merged.update(overrides)
    return RunParams(**_coerce(merged, source))


# ---------------------------------------------------------------------------------------------
# the run checked against the data, before anything runs

TARGET_GROWTH_RANGE = (-0.5, 2.0)  # a fraction: 0.15 is 15 %


def _field_problems(raw: Mapping[str, Any]) -> list[str]:
    """Unknown keys and values of the wrong kind, one message each (nothing is read yet)."""
    known = {f.name for f in fields(RunParams)}
    problems = [f"unknown parameter {k!r} (known: {', '.join(sorted(known))})" for k in raw if
                k not in known]  # fmt: skip
    required = [f.name for f in fields(RunParams) if f.default is MISSING]
    problems += [f"parameter {k!r} is missing" for k in required if k not in raw]
    checks: dict[str, tuple[Callable[[Any], bool], str]] = {
        "county_code": (lambda v: re.fullmatch(r"\d{6}", str(v)) is not None,
                        "a 6-digit 区划代码 such as \"130435\""),
        "year": (lambda v: str(v).isdigit() and 1990 <= int(v) <= 2100, "a year such as 2022"),
        "through_month": (lambda v: str(v).isdigit() and 1 <= int(v) <= 12, "a month 1..12"),
        "lang": (lambda v: v in LANGS, f"one of {', '.join(LANGS)}"),
        "target_position": (lambda v: str(v).isdigit() and int(v) >= 1, "a position 1, 2, …"),
        "target_growth": (
            lambda v: _is_number(v) and _within(float(v), TARGET_GROWTH_RANGE),
            "a fraction such as 0.15 (15 %)",
        ),
        "county": (lambda v: isinstance(v, str) and v.strip() != "", "the county's name"),
        "city": (lambda v: isinstance(v, str) and v.strip() != "", "the city's name"),
    }  # fmt: skip
    for key, (ok, want) in checks.items():
        if key in raw and not ok(raw[key]):
            problems.append(f"{key} is {raw[key]!r}; expected {want}")
    return problems


def _within(x: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= x <= bounds[1]


def _is_number(v: Any) -> bool:
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return not isinstance(v, bool)


def _unit_problems(run: RunParams, raw_dir: Path) -> list[str]:
    """County, code and city against the code table of the run's year."""
    from analysis.ingest import admin

    units = admin.units_as_of(run.year, raw_dir)
    hit = units[units["code"] == run.county_code]
    if hit.empty:
        table = admin.code_table(raw_dir)
        known = table[table["code"] == run.county_code]
        when = (
            f" (it was {known['name'].iloc[0]} until {known['valid_to'].iloc[0]}; now "
            f"{known['current_codes'].iloc[0]})"
            if len(known)
            else ""
        )
        return [
            f"county_code {run.county_code} is not a county-level unit of Hebei at the end of "
            f"{run.year}{when}; the codes are in data/raw/{admin.COUNTIES_FILE.as_posix()}"
        ]
    unit = hit.iloc[0]
    problems = []
    if run.county != unit["name"]:
        try:
            code = admin.resolve_name(run.county, admin.code_table(raw_dir), year=run.year)
        except Exception as exc:  # DataError: unknown or ambiguous name
            code, why = None, f" ({exc})"
        else:
            why = ""
        if code != run.county_code:
            named = f" names {code}" if code else f" is not a unit's name{why}"
            problems.append(
                f"county {run.county!r}{named}, but county_code {run.county_code} is "
                f"{unit['name']}: make the two agree"
            )
    stem = re.sub(r"市$", "", str(run.city).strip())
    if stem != re.sub(r"市$", "", str(unit["city"])):
        problems.append(f"city is {run.city!r}, but {unit['name']} is in {unit['city']}")
    return problems


def _label(year: int, month: int) -> str:
    return f"{year}年{month}月" if month == 1 else f"{year}年1-{month}月"


def _periods_text(periods: list[tuple[int, int]]) -> str:
    """``2021: 1月, 1-2月…1-12月; 2022: 1-2月…1-10月`` (runs of months shortened)."""
    out = []
    for year in sorted({y for y, _ in periods}):
        months = sorted(m for y, m in periods if y == year)
        runs: list[list[int]] = []
        for m in months:
            if runs and m == runs[-1][-1] + 1 and m > 2:
                runs[-1].append(m)
            else:
                runs.append([m])
        parts = [
            _label(year, r[0]).removeprefix(f"{year}年")
            + (f"…{_label(year, r[-1]).removeprefix(f'{year}年')}" if len(r) > 1 else "")
            for r in runs
        ]
        out.append(f"{year}: {', '.join(parts)}")
    return "; ".join(out)


def _data_problems(run: RunParams, paths: Paths) -> list[str]:
    """The run's year and month against the bureau releases in ``internal_data_dir``."""
    from analysis.ingest import bureau
    from analysis.ingest.bureau.cache import ReleaseCache, project_cache

    internal = paths.internal(run.internal_data_dir)
    if not internal.is_dir():
        return [f"internal_data_dir {run.internal_data_dir!r} does not exist ({internal})"]
    folder = bureau.bureau_folder(internal)
    try:
        # the parsed releases go to the project's cache (not a build output), so 01 reads them
        # from there instead of parsing every file a second time
        cache = ReleaseCache(project_cache(paths.root))
        releases = bureau.read_folder(folder, cache, run.county)
    except DataError as exc:
        return [f"a bureau release cannot be read: {exc}"]
    releases, _ = bureau.for_county(releases, run.county)  # another county's do not count
    periods = bureau.periods_available(releases)
    if not periods:
        return []  # no bureau releases for the county: 01 says so, 02 and 05 show no output
    wanted = (run.year, run.through_month)
    later = [p for p in periods if p > wanted]
    problems = []
    if wanted not in periods:
        problems.append(
            f"no bureau release for {_label(*wanted)} in {folder}; releases exist for "
            + _periods_text(periods)
        )
    if later:
        problems.append(
            f"releases later than the run ({_label(*wanted)}) would be refused: "
            + ", ".join(_label(*p) for p in later)
            + "; run for the latest month or move them out"
        )
    return problems


def check_run(params: RunParams | Mapping[str, Any], paths: Paths | None = None) -> RunParams:
    """Every run parameter checked before anything runs; returns the typed parameters.

    ``params`` is a :class:`RunParams` or the mapping of a parameters file (then unknown keys
    and wrong kinds of values are found too). Checked: the county and its code agree and the
    code is a county-level unit of Hebei at the end of ``year`` (data/raw/admin), the city is
    the unit's, ``year``/``through_month`` is a period the bureau releases in
    ``internal_data_dir`` cover (the message lists those that exist) and none is later (only
    releases that count for the county: :func:`analysis.ingest.bureau.for_county`). All
    problems are raised together in one :class:`DataError`, one line each; no output is written
    (releases parsed for the check go to the project's parse cache, ``.cache/``, for 01).
    """
    paths = paths or Paths.for_run()
    run: RunParams | None
    if isinstance(params, RunParams):
        run, problems = params, _field_problems(params.as_dict())
    else:
        problems = _field_problems(params)
        run = None if problems else RunParams(**_coerce(dict(params), "run parameters"))
    if run is not None and not problems:
        problems = _unit_problems(run, paths.raw) + _data_problems(run, paths)
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise DataError(f"the run's parameters do not fit the data:\n{lines}")
    assert run is not None
    return run
