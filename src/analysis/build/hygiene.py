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


def has_outputs(nb: dict[str, Any]) -> bool:
    return any(
        c.get("outputs") or c.get("execution_count")
        for c in nb.get("cells", [])
        if c.get("cell_type") == "code"
    )


def notebooks_with_outputs(folder: Path) -> list[Path]:
    return [p for p in sorted(folder.glob("*.ipynb")) if has_outputs(load_notebook(p))]


def parameters_cells(nb: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])]


def parameter_defaults(path: Path) -> dict[str, Any]:
    """The names and literal values assigned in a notebook's ``parameters`` cell."""
    cells = parameters_cells(load_notebook(path))
    if len(cells) != 1:
        raise ValueError(f"{path.name}: expected one cell tagged 'parameters', found {len(cells)}")
    src = (
        "".join(cells[0]["source"]) if isinstance(cells[0]["source"], list) else cells[0]["source"]
    )
    values: dict[str, Any] = {}
    for node in ast.parse(src).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name) and node.value is not None:
                    values[t.id] = ast.literal_eval(node.value)
    return values
