"""Where things are. Every path the pipeline touches is derived here from two roots.

* the *project root* holds the inputs (``data/raw``, ``notebooks``, ``params``);
* the *output root* holds what a run writes (``data/processed``, ``figures``, ``reports``).

The project root is the folder you work in: ``$ANALYSIS_ROOT`` if set, else the nearest folder,
from the working directory upwards, holding this project's ``pyproject.toml``. It is never taken
from where the installed package lives, so a copied project folder (``cp -a project
project-2023``) builds itself, not the folder it was copied from.

For the default run the two roots are the same folder. A run with other parameters (another
county, English figures) gets its own output root so it never overwrites the default run's
files, and the tests point ``ANALYSIS_ROOT`` at a temporary copy so they never touch the working
tree. While the runner executes a notebook, ``$ANALYSIS_STAGING`` names the staging folder that
stands in for the output root: the notebook's ``output_dir`` parameter stays the run's own, so
the executed notebook, opened from a report, runs again as it is, from its own folder.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "ANALYSIS_ROOT"
STAGING_ENV = "ANALYSIS_STAGING"  # set by the runner for the kernel it starts
PROJECT_NAME = "analysis"  # [project] name in pyproject.toml


def is_project(folder: Path) -> bool:
    """Does ``folder`` hold this project's ``pyproject.toml``?"""
    file = folder / "pyproject.toml"
    if not file.is_file():
        return False
    try:
        with open(file, "rb") as fh:
            meta = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return meta.get("project", {}).get("name") == PROJECT_NAME


def project_root(start: Path | None = None) -> Path:
    """The project folder: ``$ANALYSIS_ROOT`` if set, else the nearest folder from ``start``
    (the working directory) upwards that holds this project's ``pyproject.toml``."""
    env = os.environ.get(ROOT_ENV)
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        if is_project(folder):
            return folder
    raise FileNotFoundError(
        f"Cannot find the project folder (its pyproject.toml) in {here} or above it. "
        f"Run inside the project folder or set {ROOT_ENV}."
    )


@dataclass(frozen=True)
class Paths:
    """All folders of one run. Build with :meth:`for_run`."""

    root: Path
    out: Path

    @classmethod
    def for_run(cls, output_dir: str | os.PathLike[str] | None = None) -> Paths:
        """Paths for a run; ``output_dir`` (relative to the project root) separates other runs.
        Under the runner, the staging folder (``$ANALYSIS_STAGING``) is the output root."""
        root = project_root()
        staging = os.environ.get(STAGING_ENV)
        if staging:
            return cls(root=root, out=Path(staging).resolve())
        out = root / output_dir if output_dir else root
        return cls(root=root, out=out.resolve())

    # inputs -------------------------------------------------------------------------------
    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def sources_csv(self) -> Path:
        return self.raw / "SOURCES.csv"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def params_dir(self) -> Path:
        return self.root / "params"

    def internal(self, folder: str | os.PathLike[str]) -> Path:
        """The internal-data folder named in the run parameters (relative to the root)."""
        p = Path(folder)
        return p if p.is_absolute() else self.root / p

    # outputs ------------------------------------------------------------------------------
    @property
    def processed(self) -> Path:
        return self.out / "data" / "processed"

    @property
    def figures(self) -> Path:
        return self.out / "figures"

    @property
    def reports(self) -> Path:
        return self.out / "reports"

    def figure_dir(self, notebook: str) -> Path:
        return self.figures / notebook
