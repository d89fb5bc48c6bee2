import json
from pathlib import Path

import pytest

from analysis.build.hygiene import has_outputs, load_notebook, parameter_defaults, parameters_cells
from analysis.params import read_yaml

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS][:1] == ["01_ingest.ipynb"]


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(nb: Path) -> None:
    assert not has_outputs(load_notebook(nb)), f"run `python -m analysis hygiene strip {nb}`"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_with_the_default_values(nb: Path) -> None:
    assert len(parameters_cells(load_notebook(nb))) == 1
    defaults = read_yaml("params/default.yaml")
    declared = parameter_defaults(nb)
    assert declared, "the parameters cell declares nothing"
    for name, value in declared.items():
        assert name in defaults, f"{name} is not a run parameter (params/default.yaml)"
        assert value == defaults[name], f"{name}: notebook {value!r} vs params {defaults[name]!r}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_uses_the_project_kernel(nb: Path) -> None:
    assert load_notebook(nb)["metadata"]["kernelspec"]["name"] == "county-sti"


def test_outputs_are_detected() -> None:
    nb = {"cells": [{"cell_type": "code", "outputs": [{"x": 1}], "execution_count": 1}]}
    assert has_outputs(nb)
    assert not has_outputs(
        {"cells": [{"cell_type": "code", "outputs": [], "execution_count": None}]}
    )


def _project_with_notebook(tmp: Path, params_source: str) -> Path:
    (tmp / "params").mkdir()
    (tmp / "params" / "default.yaml").write_text("year: 2023\ncounty: 馆陶县\n", encoding="utf-8")
    (tmp / "notebooks").mkdir()
    nb = {
        "cells": [
            {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": params_source,
             "outputs": [], "execution_count": None}
        ]
    }  # fmt: skip
    path = tmp / "notebooks" / "x.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_defaults_read_from_the_params_file_are_that_files_values(tmp_path: Path) -> None:
    nb = _project_with_notebook(
        tmp_path,
        "from analysis.params import load_params\n_d = load_params().as_dict()\n"
        'year = _d["year"]\ncounty = _d["county"]\nlang = "zh"\n',
    )
    assert parameter_defaults(nb) == {"year": 2023, "county": "馆陶县", "lang": "zh"}


@pytest.mark.parametrize(
    "source",
    ['year = _d["county"]\n', "year = 2020 + 2\n", 'month = _d["month"]\n'],
    ids=["another-key", "computed", "not-in-params"],
)
def test_a_default_that_papermill_could_not_replace_by_name_is_refused(
    tmp_path: Path, source: str
) -> None:
    nb = _project_with_notebook(tmp_path, source)
    with pytest.raises(ValueError, match=r"x\.ipynb"):
        parameter_defaults(nb)
