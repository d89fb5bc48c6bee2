"""Notebook hygiene: stored without outputs, one ``parameters`` cell, defaults as in params.

Standard library only (plus the parameters file), so ``make lint`` checks it quickly.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any


def load_notebook(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def cell_source(cell: dict[str, Any]) -> str:
    """A cell's text (stored as one string or as a list of lines)."""
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def has_outputs(nb: dict[str, Any]) -> bool:
    return any(
        c.get("outputs") or c.get("execution_count")
        for c in nb.get("cells", [])
        if c.get("cell_type") == "code"
    )


def parameters_cells(nb: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])]


def parameter_defaults(path: Path) -> dict[str, Any]:
    """The names a notebook's ``parameters`` cell declares, with their default values.

    A name is either given a literal (``year = 2022``) or read from the run parameters' one
    file of defaults, ``params/default.yaml``, under its own name (``year = _d["year"]`` after
    ``_d = load_params().as_dict()``): then the year is changed in one place, and the value
    reported here is the file's. Helper names starting with ``_`` and imports are not
    parameters; anything else (a computed value, a key that is not the name) is refused, since
    papermill injects the run's values by name after this cell.
    """
    cells = parameters_cells(load_notebook(path))
    if len(cells) != 1:
        raise ValueError(f"{path.name}: expected one cell tagged 'parameters', found {len(cells)}")
    src = cell_source(cells[0])
    values: dict[str, Any] = {}
    defaults: dict[str, Any] | None = None
    for node in ast.parse(src).body:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if not isinstance(target, ast.Name) or target.id.startswith("_"):
                continue
            key = _default_key(node.value)
            if key is None:
                try:
                    values[target.id] = ast.literal_eval(node.value)
                except ValueError as err:
                    raise ValueError(
                        f"{path.name}: parameter {target.id!r} is neither a literal nor "
                        f'_d["{target.id}"] from params/default.yaml'
                    ) from err
                continue
            if key != target.id:
                raise ValueError(
                    f"{path.name}: parameter {target.id!r} reads the default of {key!r}"
                )
            if defaults is None:
                defaults = _default_params(path)
            if key not in defaults:
                raise ValueError(f"{path.name}: {key!r} is not in params/default.yaml")
            values[target.id] = defaults[key]
    return values


def _default_key(value: ast.expr) -> str | None:
    """``"year"`` for ``_d["year"]`` (a subscript of a helper name by a string), else None."""
    if (
        isinstance(value, ast.Subscript)
        and isinstance(value.value, ast.Name)
        and value.value.id.startswith("_")
        and isinstance(value.slice, ast.Constant)
        and isinstance(value.slice.value, str)
    ):
        return value.slice.value
    return None


def _default_params(notebook: Path) -> dict[str, Any]:
    """The run defaults in ``params/default.yaml`` of the project holding ``notebook``."""
    from analysis.params import DEFAULT_PARAMS, read_yaml

    for folder in notebook.resolve().parents:
        if (folder / DEFAULT_PARAMS).is_file():
            return read_yaml(folder / DEFAULT_PARAMS)
    raise ValueError(f"{notebook.name}: no {DEFAULT_PARAMS} in the folders above it")
