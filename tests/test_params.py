import re
from pathlib import Path

import pytest

from analysis.errors import DataError
from analysis.params import check_run, load_params
from analysis.paths import Paths


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


# ---------------------------------------------------------------------------------------------
# check_run: the run against the data, before anything runs

HEAD = "企业名称,本月,1-本月累计,本月同比增长(%),累计同比增长(%)"


def releases(folder: Path, *periods: str) -> Path:
    """An internal-data folder whose bureau/ holds one small release per period (2022年1-9月)."""
    (folder / "bureau").mkdir(parents=True)
    for p in periods:
        text = f"{p}规模以上工业企业主要指标\n单位：万元\n{HEAD}\n合计,100,900,1.0,1.0\n"
        (folder / "bureau" / f"{p}.csv").write_text(text, encoding="utf-8")
    return folder


def paths_of(repo: Path, tmp_path: Path) -> Paths:
    return Paths(root=repo, out=tmp_path / "out")


def test_the_default_run_fits_its_data(repo: Path, tmp_path: Path) -> None:
    run = check_run(load_params(), paths_of(repo, tmp_path))
    assert run == load_params()


def test_every_problem_of_a_parameters_file_is_named_at_once(repo: Path, tmp_path: Path) -> None:
    raw = {**load_params().as_dict(), "contry": "x", "lang": "fr", "through_month": 13}
    with pytest.raises(DataError) as err:
        check_run(raw, paths_of(repo, tmp_path))
    lines = [line for line in str(err.value).splitlines() if line.startswith("  - ")]
    assert len(lines) == 3
    assert "unknown parameter 'contry'" in lines[0]
    assert {"through_month is 13", "lang is 'fr'"} <= {line[4:].split(";")[0] for line in lines}


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"county": "肥乡区"}, "county '肥乡区' names 130407, but county_code 130435 is 曲周县"),
        (
            {"county_code": "110101"},
            "110101 is not a county-level unit of Hebei at the end of 2022",
        ),
        ({"city": "石家庄市"}, "city is '石家庄市', but 曲周县 is in 邯郸市"),
        ({"county": "肥乡县", "county_code": "130407"}, "'肥乡县' is an old name"),
    ],
)
def test_county_code_and_city_must_agree_with_the_code_table(
    change: dict, says: str, repo: Path, tmp_path: Path
) -> None:
    with pytest.raises(DataError, match=re.escape(says)):
        check_run({**load_params().as_dict(), **change}, paths_of(repo, tmp_path))


def test_a_short_name_of_the_county_is_accepted(repo: Path, tmp_path: Path) -> None:
    assert check_run(load_params(county="曲周"), paths_of(repo, tmp_path)).county == "曲周"


def test_a_period_without_a_release_lists_the_releases_that_exist(
    repo: Path, tmp_path: Path
) -> None:
    internal = releases(tmp_path / "in", "2021年1-12月", "2022年1-8月", "2022年1-9月")
    run = load_params(internal_data_dir=str(internal), year=2022, through_month=10)
    with pytest.raises(DataError) as err:
        check_run(run, paths_of(repo, tmp_path))
    assert "no bureau release for 2022年1-10月" in str(err.value)
    assert "releases exist for 2021: 1-12月; 2022: 1-8月…1-9月" in str(err.value)


def test_releases_later_than_the_run_are_named(repo: Path, tmp_path: Path) -> None:
    internal = releases(tmp_path / "in", "2022年1-9月", "2022年1-10月")
    run = load_params(internal_data_dir=str(internal), year=2022, through_month=9)
    with pytest.raises(DataError, match=r"later than the run \(2022年1-9月\) .*: 2022年1-10月"):
        check_run(run, paths_of(repo, tmp_path))


def test_a_folder_without_bureau_releases_passes_and_nothing_is_written(
    repo: Path, tmp_path: Path
) -> None:
    (tmp_path / "in").mkdir()
    before = sorted(p for p in tmp_path.rglob("*"))
    run = load_params(internal_data_dir=str(tmp_path / "in"))
    assert check_run(run, paths_of(repo, tmp_path)) == run
    with pytest.raises(DataError, match="does not exist"):
        check_run(
            load_params(internal_data_dir=str(tmp_path / "nowhere")), paths_of(repo, tmp_path)
        )
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_another_countys_releases_do_not_count_for_the_run(repo: Path, tmp_path: Path) -> None:
    # the bundled stand-in names 曲周县 in every title: a run for 肥乡区 has no bureau releases
    # (01 says so), so its period is not checked against 曲周县's releases
    feixiang = load_params(county="肥乡区", county_code="130407", year=2023, through_month=3)
    assert check_run(feixiang, paths_of(repo, tmp_path)) == feixiang
    with pytest.raises(DataError, match=r"no bureau release for 2023年1-3月"):
        check_run(load_params(year=2023, through_month=3), paths_of(repo, tmp_path))
