"""Shared fixtures. Tests never write into the working tree: outputs go to ``tmp_path``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def raw(repo: Path) -> Path:
    return repo / "data" / "raw"


def copy_inputs(src: Path, dst: Path) -> Path:
    """A project copy with the inputs only (no outputs): what a fresh clone has."""
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(src / name, dst / name)
    for folder in ("data/raw", "data/internal", "notebooks", "params"):
        if (src / folder).exists():
            shutil.copytree(src / folder, dst / folder)
    (dst / "src" / "analysis").mkdir(parents=True)  # marks the folder as a project root
    return dst


@pytest.fixture
def raw_copy(raw: Path, tmp_path: Path) -> Path:
    """A writable copy of data/raw, for tests that break an input on purpose."""
    dst = tmp_path / "raw"
    shutil.copytree(raw, dst)
    return dst


@pytest.fixture(scope="session")
def built(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole project built once by the runner in a temporary copy, as ``make report`` does.

    Session-scoped and shared by the modules in the xdist group "build" (run with
    ``--dist loadgroup``), so the suite builds the project once, not once per module.
    """
    import os

    from analysis.build import build
    from analysis.paths import ROOT_ENV

    if _BUILD_FAILED:  # pytest re-runs a failed session fixture per test: fail fast instead
        pytest.fail(_BUILD_FAILED[0])
    root = copy_inputs(repo, tmp_path_factory.mktemp("project"))
    old = os.environ.get(ROOT_ENV)
    os.environ[ROOT_ENV] = str(root)
    try:
        rc = build()
    finally:
        if old is None:
            os.environ.pop(ROOT_ENV)
        else:
            os.environ[ROOT_ENV] = old
    if rc != 0:
        _BUILD_FAILED.append("the project build failed (see the first error's output)")
        pytest.fail("a notebook failed; see the output above")
    return root


_BUILD_FAILED: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    # registered here rather than in pyproject.toml, whose hash stamps the environment
    config.addinivalue_line(
        "markers", "bench: the benchmark code end to end on a tiny project (no timing asserted)"
    )
