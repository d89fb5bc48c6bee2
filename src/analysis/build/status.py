"""``python -m analysis status``: what ``make report`` would run and why, without running or
writing anything.

Each notebook is judged as the runner judges it (:func:`analysis.build.state.verdict`), in
dependency order. A notebook downstream of one that will run cannot be judged yet — it runs
only if that notebook's outputs change — and says so.
"""

from __future__ import annotations

import dataclasses
import os

from analysis.build import clock, graph
from analysis.build.index import title_of
from analysis.build.pending import Pending
from analysis.build.plan import FAILED, dependencies, load_steps, run_params
from analysis.build.state import (
    STAGED,
    Hasher,
    code_digest,
    inputs_of,
    read_state,
    verdict,
)
from analysis.paths import Paths


@dataclasses.dataclass(frozen=True)
class Line:
    name: str
    state: str  # "up to date", "staged", "will run", "may run", "failed before"
    why: str


def order(deps: dict[str, set[str]]) -> list[str]:
    """The notebooks, each after the ones it depends on (ties by name)."""
    done: list[str] = []
    while len(done) < len(deps):
        done += [n for n in sorted(deps) if n not in done and deps[n] <= set(done)][:1]
    return done


def status(params_file: str | os.PathLike[str] | None = None) -> list[Line]:
    """One line per notebook: will it run, and why."""
    params = run_params(params_file)
    paths = Paths.for_run(params.output_dir)
    steps = load_steps(paths)
    deps = dependencies(steps)
    recorded = read_state(paths)["steps"]
    pending = Pending(paths)
    hasher, code = Hasher(), code_digest()
    lines: dict[str, Line] = {}
    for name in order(deps):
        entry, staged = recorded.get(name), pending.entry(name)
        own = {*(entry or {}).get("outputs", {}), *(staged or {}).get("outputs", {})}
        parts, inputs = inputs_of(steps[name], paths, params, code, own, hasher, pending.files)
        intact = bool(staged) and pending.intact(name)
        reason = verdict(entry, staged, parts, inputs, intact, paths, hasher)
        upstream = sorted(d for d in deps[name] if lines[d].state in {"will run", "may run"})
        failed = (paths.reports / FAILED / f"{name}.ipynb").is_file()
        if reason == STAGED:
            line = Line(name, "staged", "done in a build that failed; kept for the next one")
        elif reason is not None:
            line = Line(name, "will run", reason)
        elif upstream:
            line = Line(name, "may run", f"if the outputs of {', '.join(upstream)} change")
        else:
            built = (entry or {}).get("built_at", "")
            line = Line(name, "up to date", f"built {clock.shown(built)} {clock.LABEL}")
        if failed and line.state != "up to date":
            line = dataclasses.replace(line, why=line.why + f" (last run failed: reports/{FAILED}/"
                                                             f"{name}.ipynb)")  # fmt: skip
        lines[name] = line
    return [lines[n] for n in sorted(lines)]


def render(lines: list[Line]) -> str:
    width = max((len(x.name) for x in lines), default=0)
    return "\n".join(f"{x.name:<{width}}  {x.state:<10}  {x.why}" for x in lines)


def mermaid_of(params_file: str | os.PathLike[str] | None = None) -> str:
    """The notebooks' dependency graph as Mermaid text (``python -m analysis status --graph``)."""
    paths = Paths.for_run(run_params(params_file).output_dir)
    steps = load_steps(paths)
    titles = {n: title_of(s.notebook) for n, s in steps.items()}
    return graph.mermaid(steps, dependencies(steps), titles)
