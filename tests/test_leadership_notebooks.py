"""The notebooks are tagged for the two editions (docs: the leadership conventions of #17).

Read from the stored notebooks (no kernel): every narrative markdown cell is a lang-zh/lang-en
pair, the title opens the leadership part, the first leadership cell after it is the key
messages, leadership code cells show only what the display layer makes, and the Chinese text a
leader reads has no code names, paths, formulas or English sentences. The executed notebooks'
leadership outputs are checked in the built project (marker ``notebooks``).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# what a leadership code cell may end with: the key messages, the display layer's blocks
LEADER_CALLS = {
    "messages.ingest_messages",
    "messages.growth_messages",
    "messages.ranking_messages",
    "messages.indicator_messages",
    "messages.review_messages",
    "simulated_note",
    "figure_block",
    "leader_note",
    "sentence_list",
    "views.headline_table",
    "views.contributions_table",
    "views.growth_context_table",
    "views.positions_table",
    "views.claim_status_table",
}
CJK = re.compile(r"[\u4e00-\u9fff]")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
PATH = re.compile(r"[\w.-]+/[\w.-]+|\.(?:csv|py|ipynb|yaml|xlsx)\b")
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]+(?:[ ,'-]+[A-Za-z]+){3,}")
FORMULA = re.compile(r"[=÷×∂Σ]|\b[A-Z]_[a-z]")


def cells(nb: Path) -> list[dict]:
    return json.loads(nb.read_text(encoding="utf-8"))["cells"]


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def text(cell: dict) -> str:
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def leadership(nb: Path) -> list[dict]:
    return [c for c in cells(nb) if "leadership" in tags(c)]


def zh_prose(markdown: str) -> str:
    """The prose of a Chinese cell: numbers and the class letters A/B/C are words there too."""
    return re.sub(r"\b[A-C]类|\b[A-C]\+[A-C]", "", markdown)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_every_markdown_cell_is_one_of_a_zh_en_pair(nb: Path) -> None:
    cs = cells(nb)
    langs = [
        [t for t in tags(c) if t.startswith("lang-")] for c in cs if c["cell_type"] == "markdown"
    ]
    assert all(len(x) == 1 for x in langs), "each markdown cell has exactly one lang-* tag"
    for i, c in enumerate(cs):
        if "lang-zh" in tags(c):
            nxt = cs[i + 1]
            assert "lang-en" in tags(nxt), f"cell {i}: a lang-zh cell is followed by its lang-en"
            assert ("leadership" in tags(c)) == ("leadership" in tags(nxt)), f"cell {i}"
            assert CJK.search(text(c)), f"cell {i}: a lang-zh cell is written in Chinese"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_the_page_opens_with_its_title_then_its_key_messages(nb: Path) -> None:
    lead = leadership(nb)
    assert [tags(c) for c in lead[:2]] == [["leadership", "lang-zh"], ["leadership", "lang-en"]]
    assert all(text(c).startswith("# ") for c in lead[:2]), "the title is the first heading"
    first = lead[2]
    assert first["cell_type"] == "code" and "key-messages" in tags(first)
    assert sum("key-messages" in tags(c) for c in cells(nb)) == 1
    assert not any("parameters" in tags(c) for c in lead)


def _last_call(source: str) -> str:
    last = ast.parse(source).body[-1]
    assert isinstance(last, ast.Expr), "a leadership code cell ends with what it shows"
    value = last.value
    if isinstance(value, ast.IfExp):  # `block if condition else None`
        value = value.body
    assert isinstance(value, ast.Call)
    return ast.unparse(value.func)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_leadership_code_shows_only_the_display_layer(nb: Path) -> None:
    """No raw frame, check table, model summary or file list reaches a leader: every
    leadership code cell ends with a key-message block or a display-layer block."""
    for c in leadership(nb):
        if c["cell_type"] == "code":
            assert _last_call(text(c)) in LEADER_CALLS, text(c)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_a_leaders_chinese_has_no_code_paths_formulas_or_english(nb: Path) -> None:
    for c in leadership(nb):
        if "lang-zh" not in tags(c):
            continue
        body = zh_prose(text(c))
        for name, pattern in (
            ("snake_case", SNAKE),
            ("a path", PATH),
            ("an English sentence", ENGLISH_SENTENCE),
            ("a formula", FORMULA),
        ):
            assert not pattern.search(body), f"{name} in: {body!r}"
        assert "`" not in body and "NaN" not in body and "dtype:" not in body


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_a_leaders_english_has_no_chinese_prose(nb: Path) -> None:
    for c in leadership(nb):
        if "lang-en" in tags(c):
            assert not CJK.search(text(c)), text(c)


def test_the_growth_page_shows_the_projection_chart() -> None:
    nb = next(p for p in NOTEBOOKS if p.name.startswith("02"))
    shown = " ".join(text(c) for c in leadership(nb) if c["cell_type"] == "code")
    assert '"02-projection"' in shown


# the executed notebooks ---------------------------------------------------------------------
def _outputs_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        for kind in ("text/html", "text/plain"):
            if kind in data:
                v = data[kind]
                parts.append("".join(v) if isinstance(v, list) else v)
                break
        if "text" in out:
            parts.append("".join(out["text"]) if isinstance(out["text"], list) else out["text"])
    return "\n".join(parts)


def _visible(html_text: str) -> str:
    """The words of an output: tags, inline images and entities dropped."""
    no_img = re.sub(r"data:image/[^\"']+", "", html_text)
    return re.sub(r"<[^>]+>", " ", no_img)


@pytest.mark.notebooks
def test_the_executed_leadership_cells_read_as_chinese(built: Path) -> None:
    """In the zh run, no leadership output holds NaN, dtype:, a raw column name or a path, and
    the key messages are an HTML block of 2–4 lines."""
    for nb in sorted((built / "reports").glob("[0-9][0-9]_*.ipynb")):
        for c in cells(nb):
            if "leadership" not in tags(c) or c["cell_type"] != "code":
                continue
            shown = _visible(_outputs_text(c))
            for bad in ("NaN", "<NA>", "dtype:", "True", "False", ".csv", "data/"):
                assert bad not in shown, f"{nb.name}: {bad!r} in {shown[:300]!r}"
            assert not SNAKE.search(shown), f"{nb.name}: {SNAKE.search(shown)} in {shown[:300]!r}"
            if "key-messages" in tags(c):
                html_out = _outputs_text(c)
                assert 'class="leader-messages"' in html_out
                assert 2 <= html_out.count("<li>") <= 4, f"{nb.name}: {html_out}"
                assert re.search(r"\d", _visible(html_out)), f"{nb.name}: a message has numbers"
