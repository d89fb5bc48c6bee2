"""What a run is: the parameters in ``params/*.yaml`` as one typed, validated object.

Parameters flow from the YAML file into functions as arguments (never read from globals deep
inside), so a notebook run top to bottom in JupyterLab and a batch run by ``make report`` see
the same values.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import DataError
from analysis.paths import project_root

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
