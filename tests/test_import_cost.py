"""What a notebook and the runner pay at import: heavy libraries load with the function that
needs them.

The summary notebook (05) reads the ranking tables' contracts without fitting a model; when
importing :mod:`analysis.ranking` pulled in statsmodels and scipy.stats, that alone cost it
about a second of CPU. Checked in a fresh interpreter, since this one has them loaded already.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

import pytest

HEAVY = ("statsmodels", "scipy.stats", "scipy.optimize")
IRI_PARSERS = ("rfc3987_syntax.syntax_helpers", "lark")


def _loaded_after(code: str, modules: tuple[str, ...]) -> list[str]:
    probe = f"{code}\nimport sys\nprint(','.join(m for m in {modules!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    return [m for m in out.split(",") if m]


def test_ranking_contracts_load_without_the_model_libraries():
    code = "from analysis.review.inputs import input_schemas\ninput_schemas()"
    assert _loaded_after(code, HEAVY) == []


def test_fitting_still_loads_them():
    # the probe can see a library load, so the test above can fail
    code = "from analysis.ranking.binary import link_functions\nlink_functions('probit')"
    assert "scipy.stats" in _loaded_after(code, HEAVY)


def test_reading_a_notebook_builds_no_iri_parsers():
    """nbformat imports jsonschema's format checkers; with rfc3987-syntax installed that import
    built some thirty Earley parsers (~1 s of CPU) in the runner and each of its workers.
    ``import analysis`` keeps it out; notebooks are still read and validated."""
    code = (
        "import analysis, nbformat\n"
        "nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')]))"
    )
    assert _loaded_after(code, IRI_PARSERS) == []


def test_without_the_package_they_are_built():
    # the probe can see them load, so the test above can fail (rfc3987-syntax is in the lock)
    try:
        version("rfc3987-syntax")
    except PackageNotFoundError:
        pytest.skip("rfc3987-syntax is not installed here")
    assert "rfc3987_syntax.syntax_helpers" in _loaded_after("import nbformat", IRI_PARSERS)


def test_the_growth_package_loads_without_the_model_libraries():
    # 05 imports analysis.growth for its small helpers (context_rates); the fits load scipy
    code = "import analysis.growth\nanalysis.growth.context_rates"
    assert _loaded_after(code, (*HEAVY, "scipy.linalg")) == []
    fit = (
        "import numpy as np\nfrom analysis.growth.regarima import profile_loglike\n"
        "profile_loglike(0.1, 0.1, np.ones((30, 2)))"
    )
    assert "scipy.linalg" in _loaded_after(fit, (*HEAVY, "scipy.linalg"))
