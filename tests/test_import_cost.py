"""What a notebook pays at import: heavy libraries load with the function that needs them.

The summary notebook (05) reads the ranking tables' contracts without fitting a model; when
importing :mod:`analysis.ranking` pulled in statsmodels and scipy.stats, that alone cost it
about a second of CPU. Checked in a fresh interpreter, since this one has them loaded already.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("statsmodels", "scipy.stats", "scipy.optimize")


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
