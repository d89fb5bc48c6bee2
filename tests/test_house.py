"""The house rules a new maintainer relies on, checked on the source tree: the maps name every
module and notebook, modules stay small, imports run one way, docs links resolve."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "analysis"
MAX_MODULE_LINES = 500

# Who may not import whom: (importer prefix, forbidden prefix, why).
FORBIDDEN_IMPORTS = (
    ("analysis.ingest", "analysis.simulate", "readers never depend on the simulator"),
    ("analysis.growth", "analysis.figures", "models never import figures"),
    ("analysis.growth", "analysis.build", "models never import the build"),
    ("analysis.ranking", "analysis.figures", "models never import figures"),
    ("analysis.ranking", "analysis.build", "models never import the build"),
    ("analysis.claims", "analysis.figures", "models never import figures"),
    ("analysis.claims", "analysis.build", "models never import the build"),
    ("analysis.indicators", "analysis.figures", "models never import figures"),
    ("analysis.indicators", "analysis.build", "models never import the build"),
    ("analysis.ingest", "analysis.build", "readers never import the build"),
    ("analysis.review", "analysis.build", "the review never imports the build"),
)


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path, name: str, known: set[str]) -> set[str]:
    """Every analysis module ``path`` imports, at any depth of the file (in-function imports
    count: they hide cycles, they do not remove them)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.add(mod)
            found.update(f"{mod}.{a.name}" for a in node.names)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imported_modules(path, name, set(mods)) for name, path in mods.items()}


def test_no_module_is_over_the_size_limit() -> None:
    too_long = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, f"split these modules (> {MAX_MODULE_LINES} lines): {too_long}"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            # a package importing its own submodules (re-exports) is not a cycle of concerns
            if m.startswith(n + "."):
                continue
            if state.get(m) == 1:
                return [*stack[stack.index(m) :], m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_imports_have_no_cycles() -> None:
    graph = import_graph()
    # a submodule importing its own package's __init__ goes up, not across: resolve it to the
    # names the package re-exports by ignoring edges to ancestors
    pruned = {n: {m for m in deps if not n.startswith(m + ".")} for n, deps in graph.items()}
    assert _cycle(pruned) is None, f"import cycle: {' -> '.join(_cycle(pruned) or [])}"


@pytest.mark.parametrize(("importer", "forbidden", "why"), FORBIDDEN_IMPORTS)
def test_imports_run_one_way(importer: str, forbidden: str, why: str) -> None:
    offenders = sorted(
        f"{name} imports {dep}"
        for name, deps in import_graph().items()
        if name == importer or name.startswith(importer + ".")
        for dep in deps
        if dep == forbidden or dep.startswith(forbidden + ".")
    )
    assert not offenders, f"{why}: {offenders}"


def test_module_map_names_every_module() -> None:
    text = (PACKAGE / "README.md").read_text(encoding="utf-8")
    missing = [
        name
        for name, path in modules().items()
        if name != "analysis"
        and path.name != "__init__.py"
        and path.relative_to(PACKAGE).as_posix() not in text
    ]
    packages = [
        path.parent.relative_to(PACKAGE).as_posix() + "/"
        for path in PACKAGE.rglob("__init__.py")
        if path.parent != PACKAGE
    ]
    missing += [p for p in packages if p not in text]
    assert not missing, f"src/analysis/README.md does not mention: {missing}"


def test_notebook_map_names_every_notebook() -> None:
    text = (REPO / "notebooks" / "README.md").read_text(encoding="utf-8")
    declared = yaml.safe_load((REPO / "notebooks" / "pipeline.yaml").read_text(encoding="utf-8"))
    for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
        assert f"`{nb.stem}`" in text, f"notebooks/README.md does not describe {nb.name}"
        assert nb.stem in declared, f"notebooks/pipeline.yaml does not declare {nb.name}"


def test_docstrings_cite_our_own_methods_page() -> None:
    stale = [
        f"{p.relative_to(REPO)}:{i}"
        for p in [*PACKAGE.rglob("*.py"), *(REPO / "notebooks").glob("*.ipynb")]
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "METHODS §" in line
    ]
    assert not stale, f"cite docs/methods.md §x.y, not METHODS (not in this repository): {stale}"


def test_links_in_readme_and_docs_resolve() -> None:
    pages = [REPO / "README.md", *(REPO / "docs").rglob("*.md")]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(REPO)} -> {target}")
    assert not broken, broken


def test_readme_is_a_short_front_door() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 6000
    assert "make report" in text and "make test" in text


def test_data_log_rates_every_listed_source() -> None:
    with open(REPO / "data" / "raw" / "SOURCES.csv", encoding="utf-8-sig") as fh:
        files = [row["file"] for row in csv.DictReader(fh) if row["file"] != "SOURCES.md"]
    log = (REPO / "docs" / "data-log.md").read_text(encoding="utf-8")
    unrated = [f for f in files if f not in log and Path(f).name not in log]
    assert not unrated, f"docs/data-log.md does not rate: {unrated}"
