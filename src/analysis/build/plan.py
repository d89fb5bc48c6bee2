"""What the build is made of: the notebooks, what each reads and writes, and their order.

``notebooks/pipeline.yaml`` declares, for each ``NN_name.ipynb``, the files it reads and writes
(globs). A notebook that reads what another writes runs after it; a notebook missing from the
file still runs, after every lower-numbered notebook. Standard library (and the parameters
file) only: planning a build must not wait for pandas or papermill.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any

from analysis.build.hygiene import parameter_defaults
from analysis.params import DEFAULT_PARAMS, RunParams, load_params, read_yaml
from analysis.paths import Paths, project_root

PIPELINE_FILE = Path("notebooks") / "pipeline.yaml"
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
OUTPUT_PREFIXES = ("data/processed/", "figures/", "reports/")
RUNS_DIR = "runs"
HTML_DIR = "html"
HTML_CODE_DIR = "html-code"
FAILED = "failed"
_WILDCARD = re.compile(r"[*?\[]")


@dataclasses.dataclass(frozen=True)
class Step:
    """One notebook and what it reads and writes (globs; see ``notebooks/pipeline.yaml``)."""

    name: str
    notebook: Path
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    declared: bool = True


def report_files(name: str) -> tuple[str, str, str]:
    """The runner's own outputs for a notebook, relative to the output folder: the executed
    notebook, its leadership page and its analysts' page."""
    return (
        f"reports/{name}.ipynb",
        f"reports/{HTML_DIR}/{name}.html",
        f"reports/{HTML_CODE_DIR}/{name}.html",
    )


def notebook_paths(paths: Paths) -> list[Path]:
    return sorted(paths.notebooks.glob(NOTEBOOK_GLOB))


def load_steps(paths: Paths) -> dict[str, Step]:
    """Every ``NN_name.ipynb`` with its declaration; an undeclared one reads all and writes all."""
    file = paths.root / PIPELINE_FILE
    spec: dict[str, Any] = read_yaml(file) if file.is_file() else {}
    steps: dict[str, Step] = {}
    for nb in notebook_paths(paths):
        entry = spec.get(nb.stem)
        if entry is None:
            steps[nb.stem] = Step(
                nb.stem,
                nb,
                reads=("data/raw/**", "{internal_data_dir}/**", "data/processed/**", "figures/**"),
                writes=(),
                declared=False,
            )
            continue
        unknown = set(entry) - {"reads", "writes"}
        if unknown:
            raise ValueError(f"{PIPELINE_FILE}: {nb.stem}: unknown keys {sorted(unknown)}")
        reads = tuple(str(x) for x in entry.get("reads") or ())
        writes = tuple(str(x) for x in entry.get("writes") or ())
        bad = [w for w in writes if not w.startswith(OUTPUT_PREFIXES)]
        if bad:
            raise ValueError(
                f"{PIPELINE_FILE}: {nb.stem} writes {bad}: outputs must be under "
                f"{', '.join(OUTPUT_PREFIXES)}"
            )
        steps[nb.stem] = Step(nb.stem, nb, reads, writes)
    stray = sorted(set(spec) - set(steps))
    if stray:
        raise ValueError(f"{PIPELINE_FILE} declares {stray}, but there is no such notebook")
    return steps


# globs ----------------------------------------------------------------------------------------
def glob_regex(pattern: str) -> re.Pattern[str]:
    """``*`` and ``?`` within one folder, ``**`` across folders (``a/**`` = everything in a)."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def has_wildcard(pattern: str) -> bool:
    return _WILDCARD.search(pattern) is not None


def literal_prefix(pattern: str) -> str:
    m = _WILDCARD.search(pattern)
    return pattern if m is None else pattern[: m.start()]


def patterns_overlap(a: str, b: str) -> bool:
    """Could a file match both globs? Exact for literal paths, conservative for two globs."""
    a_lit, b_lit = not has_wildcard(a), not has_wildcard(b)
    if a_lit and b_lit:
        return a == b
    if a_lit:
        return bool(glob_regex(b).match(a))
    if b_lit:
        return bool(glob_regex(a).match(b))
    pa, pb = literal_prefix(a), literal_prefix(b)
    return pa.startswith(pb) or pb.startswith(pa)


# order ----------------------------------------------------------------------------------------
def dependencies(steps: dict[str, Step]) -> dict[str, set[str]]:
    """name -> the notebooks it must wait for; raises on a cycle."""
    names = sorted(steps)
    deps: dict[str, set[str]] = {n: set() for n in names}
    for reader in names:
        for writer in names:
            if reader == writer:
                continue
            r, w = steps[reader], steps[writer]
            if not (r.declared and w.declared):
                if writer < reader:  # undeclared: keep the number order
                    deps[reader].add(writer)
            elif any(patterns_overlap(x, y) for x in r.reads for y in w.writes):
                deps[reader].add(writer)
    _check_acyclic(deps)
    return deps


def ancestors(deps: dict[str, set[str]], name: str) -> set[str]:
    """Every notebook ``name`` waits for, directly or through others."""
    out: set[str] = set()
    todo = list(deps.get(name, ()))
    while todo:
        d = todo.pop()
        if d not in out:
            out.add(d)
            todo.extend(deps.get(d, ()))
    return out


def side_by_side(deps: dict[str, set[str]], names: list[str]) -> bool:
    """Whether two of ``names`` could run at the same time (neither waits for the other): only
    then is a second worker worth starting."""
    up = {n: ancestors(deps, n) for n in names}
    return any(
        a not in up[b] and b not in up[a] for i, a in enumerate(names) for b in names[i + 1 :]
    )


def _check_acyclic(deps: dict[str, set[str]]) -> None:
    done: set[str] = set()

    def visit(node: str, trail: tuple[str, ...]) -> None:
        if node in trail:
            cycle = " -> ".join((*trail[trail.index(node) :], node))
            raise ValueError(f"{PIPELINE_FILE}: notebooks read each other's outputs: {cycle}")
        if node in done:
            return
        for d in sorted(deps[node]):
            visit(d, (*trail, node))
        done.add(node)

    for n in sorted(deps):
        visit(n, ())


# parameters -----------------------------------------------------------------------------------
def notebook_parameters(notebook: Path, params: RunParams) -> dict[str, Any]:
    """The run's values for the names this notebook's parameters cell declares."""
    run = params.as_dict()
    return {k: run[k] for k in parameter_defaults(notebook) if k in run}


def run_params(params_file: str | os.PathLike[str] | None) -> RunParams:
    """The run's parameters; a non-default file without ``output_dir`` gets ``runs/<stem>``."""
    params = load_params(params_file)
    if (
        params_file is not None
        and Path(params_file).resolve() != (project_root() / DEFAULT_PARAMS).resolve()
        and Path(params_file) != DEFAULT_PARAMS
        and not params.output_dir
    ):
        params = dataclasses.replace(params, output_dir=f"{RUNS_DIR}/{Path(params_file).stem}")
    return params
