import sys
from pathlib import Path

import pytest

from analysis.env import envfiles, envsetup


def test_environment_yml_and_lock_pin_the_same_versions(repo: Path) -> None:
    assert envfiles.pins_agree(repo) == []


def test_lock_pins_numpy_that_runs_on_python_311(repo: Path) -> None:
    pins = envfiles.lock_pins(repo)
    assert pins["numpy"].startswith("2.4."), "numpy >= 2.5 needs Python >= 3.12"
    for needed in (
        "pandas",
        "matplotlib",
        "seaborn",
        "statsmodels",
        "papermill",
        "nbval",
        "jupyterlab",
        "ipykernel",
        "pandera",
        "ruff",
        "noto-cjk-sans-otc",
    ):
        assert needed in pins, f"{needed} is not pinned in requirements.lock"


def test_pins_agree_reports_a_drifted_pin(tmp_path: Path, repo: Path) -> None:
    (tmp_path / "requirements.lock").write_text("pandas==3.1.1\nnumpy==2.4.6\n")
    (tmp_path / "environment.yml").write_text(
        "dependencies:\n  - python=3.11\n  - pip:\n      - pandas==3.1.0\n      - numpy==2.4.6\n"
    )
    assert envfiles.pins_agree(tmp_path) == ["pandas: lock 3.1.1 vs environment.yml 3.1.0"]


def test_the_running_environment_matches_the_lock(repo: Path) -> None:
    if Path(sys.prefix).resolve() != (repo / ".venv").resolve():
        pytest.skip("not running in the project's .venv (e.g. a conda environment)")
    assert envsetup.environment_is_current(repo), "run `make setup`: .venv differs from the lock"


def test_project_kernel_is_registered() -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    assert envsetup.KERNEL_NAME in KernelSpecManager().find_kernel_specs()


def test_drift_lists_packages_that_differ_from_the_lock(tmp_path: Path) -> None:
    from importlib import metadata

    real = metadata.version("pandas")
    (tmp_path / "requirements.lock").write_text(
        f"pandas=={real}\nnumpy==0.0.1\nnot-a-real-package-xyz==1.0\n"
    )
    assert envfiles.installed_drift(tmp_path) == [
        "not-a-real-package-xyz: locked 1.0, not installed",
        f"numpy: locked 0.0.1, installed {metadata.version('numpy')}",
    ]


def test_the_project_environment_has_no_drift(repo: Path) -> None:
    if Path(sys.prefix).resolve() != (repo / ".venv").resolve():
        pytest.skip("not running in the project's .venv")
    assert envfiles.installed_drift(repo) == []
