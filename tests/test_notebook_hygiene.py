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
