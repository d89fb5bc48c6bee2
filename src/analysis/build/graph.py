"""The notebooks' dependency graph, drawn from ``notebooks/pipeline.yaml``: Mermaid text for
documents (GitHub and most Markdown viewers draw it) and an inline SVG for the analysts' index,
which must open offline (no Mermaid script is loaded from anywhere).

Standard library only. Layout: each notebook in the column of its longest chain of
dependencies, top to bottom by name within a column; arrows point from the notebook that
writes a file to the one that reads it.
"""

from __future__ import annotations

import html

from analysis.build.plan import Step

# status -> (fill, stroke) of a box on the analysts' index
STATUS_COLOURS = {
    "ok": ("#e8f4ea", "#2e7d32"),
    "stale": ("#fff4e0", "#b26a00"),
    "failed": ("#fdecea", "#b03a2e"),
    "not built": ("#f2f2f2", "#777777"),
}
BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 190, 44, 70, 18, 8
TOP = 36  # room above the boxes for arrows that skip a column
ARC_Y = -30  # control points of those arrows (the curve itself stays inside)


def levels(deps: dict[str, set[str]]) -> dict[str, int]:
    """Column of each notebook: the length of its longest chain of dependencies."""
    memo: dict[str, int] = {}

    def level(name: str) -> int:
        if name not in memo:
            memo[name] = 1 + max((level(d) for d in deps[name]), default=-1)
        return memo[name]

    return {n: level(n) for n in sorted(deps)}


def edges(deps: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(writer, reader) pairs, sorted."""
    return sorted((d, n) for n, ds in deps.items() for d in ds)


def _node_id(name: str) -> str:
    return "n" + "".join(c if c.isalnum() else "_" for c in name)


def mermaid(steps: dict[str, Step], deps: dict[str, set[str]], titles: dict[str, str]) -> str:
    """A Mermaid flowchart (left to right) of the notebooks, labelled with their titles."""
    lines = ["flowchart LR"]
    for name in sorted(steps):
        label = titles.get(name) or name
        text = f"{name}<br/>{label}" if label != name else name
        lines.append(f'  {_node_id(name)}["{text.replace(chr(34), "#quot;")}"]')
    for writer, reader in edges(deps):
        lines.append(f"  {_node_id(writer)} --> {_node_id(reader)}")
    return "\n".join(lines) + "\n"


def svg(deps: dict[str, set[str]], status: dict[str, str], titles: dict[str, str]) -> str:
    """An inline SVG of the graph, boxes coloured by status (see :data:`STATUS_COLOURS`)."""
    col = levels(deps)
    columns: dict[int, list[str]] = {}
    for name in sorted(deps):
        columns.setdefault(col[name], []).append(name)
    rows = max((len(v) for v in columns.values()), default=0)
    width = PAD * 2 + len(columns) * BOX_W + max(len(columns) - 1, 0) * GAP_X
    height = TOP + PAD + rows * BOX_H + max(rows - 1, 0) * GAP_Y
    pos: dict[str, tuple[int, int]] = {}
    for c, names in columns.items():
        offset = (rows - len(names)) * (BOX_H + GAP_Y) // 2
        for r, name in enumerate(names):
            pos[name] = (PAD + c * (BOX_W + GAP_X), TOP + offset + r * (BOX_H + GAP_Y))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="notebook dependencies" '
        'style="max-width:100%;height:auto">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#555"/></marker></defs>',
    ]
    for writer, reader in edges(deps):
        (x1, y1), (x2, y2) = pos[writer], pos[reader]
        x1, y1, x2, y2 = x1 + BOX_W, y1 + BOX_H // 2, x2, y2 + BOX_H // 2
        if col[reader] - col[writer] == 1:
            d = f"M{x1},{y1} L{x2},{y2}"
        else:  # over the columns between, not through their boxes
            d = f"M{x1},{y1} C{x1 + GAP_X},{ARC_Y} {x2 - GAP_X},{ARC_Y} {x2},{y2}"
        parts.append(
            f'<path d="{d}" fill="none" stroke="#555" stroke-width="1.5" marker-end="url(#arrow)"/>'
        )
    for name, (x, y) in sorted(pos.items()):
        fill, stroke = STATUS_COLOURS.get(status.get(name, "ok"), STATUS_COLOURS["ok"])
        title = titles.get(name) or name
        first = title.split(" · ")[0]  # the Chinese title, when there are both
        short = first if len(first) <= 15 else first[:14] + "…"
        parts.append(
            f"<g><title>{html.escape(name)}: {html.escape(title)}</title>"
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.5"/>'
            f'<text x="{x + 8}" y="{y + 18}" font-size="13" font-weight="bold">'
            f"{html.escape(name)}</text>"
            f'<text x="{x + 8}" y="{y + 36}" font-size="12">{html.escape(short)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
