"""Where things are. Every path the pipeline touches is derived here from two roots.

* the *project root* holds the inputs (``data/raw``, ``notebooks``, ``params``);
* the *output root* holds what a run writes (``data/processed``, ``figures``, ``reports``).

For the default run the two are the same folder. A run with other parameters (another county,
English figures) gets its own output root so it never overwrites the default run's files, and
the tests point ``ANALYSIS_ROOT`` at a temporary copy so they never touch the working tree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "ANALYSIS_ROOT"


def _looks_like_project(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "src" / "analysis").is_dir()


def project_root() -> Path:
    """The project folder: ``$ANALYSIS_ROOT`` if set, else the checkout this package lives in.

    Falls back to searching upwards from the working directory, so a notebook opened anywhere
    inside the repository finds its data.
    """
    env = os.environ.get(ROOT_ENV)
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parents[2]
    if _looks_like_project(here):
        return here
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if _looks_like_project(folder):
            return folder
    raise FileNotFoundError(
        "Cannot find the project folder (pyproject.toml and src/analysis). "
        f"Run from inside the repository or set {ROOT_ENV}."
    )


@dataclass(frozen=True)
class Paths:
    """All folders of one run. Build with :meth:`for_run`."""

    root: Path
    out: Path

    @classmethod
    def for_run(cls, output_dir: str | os.PathLike[str] | None = None) -> Paths:
        """Paths for a run; ``output_dir`` (relative to the project root) separates other runs."""
        root = project_root()
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
