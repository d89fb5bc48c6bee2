from pathlib import Path

import pytest

from analysis.errors import DataError
from analysis.params import load_params


def test_defaults_load_with_types() -> None:
    p = load_params()
    assert p.county_code == "130435" and isinstance(p.year, int) and p.lang == "zh"


def test_a_run_file_overrides_the_defaults(tmp_path: Path) -> None:
    f = tmp_path / "feixiang.yaml"
    f.write_text(
        'county: 肥乡区\ncounty_code: "130407"\nlang: en\noutput_dir: runs/fx\n', encoding="utf-8"
    )
    p = load_params(f)
    assert (p.county, p.county_code, p.lang, p.output_dir) == ("肥乡区", "130407", "en", "runs/fx")
    assert p.year == load_params().year


def test_unknown_parameter_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "typo.yaml"
    f.write_text("contry: x\n", encoding="utf-8")
    with pytest.raises(DataError, match="contry"):
        load_params(f)


@pytest.mark.parametrize("bad", [{"lang": "fr"}, {"through_month": 13}, {"county_code": "1304"}])
def test_invalid_values_are_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        load_params(**bad)
