"""What leadership pages may show: no named enterprise's own figures unless allowed, text from
data escaped, no file-system paths; and users' internal files stay out of git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis import disclosure
from analysis.build import data_page, pages
from analysis.build import index as landing

ENTERPRISE = "晨光生物科技集团股份有限公司"


def industry() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": ["合计", "重点企业", ENTERPRISE, "其他企业", "高新技术企业", "恒博有限公司"],
            "value_wan": [964900.0, 230900.0, 120000.0, 734000.0, 500000.0, 1000.0],
        }
    )


def test_groups_and_totals_are_not_enterprises() -> None:
    assert [disclosure.is_group(g) for g in industry()["group"]] == [
        True, True, False, True, True, False,
    ]  # fmt: skip
    assert disclosure.named_enterprises(industry()) == ["恒博有限公司", ENTERPRISE]


def test_for_display_drops_named_enterprises_unless_allowed() -> None:
    shown = disclosure.for_display(industry(), allow=False)
    assert shown["group"].tolist() == ["合计", "重点企业", "其他企业", "高新技术企业"]
    assert len(disclosure.for_display(industry(), allow=True)) == 6


def test_redact_masks_names_in_messages() -> None:
    checks = pd.DataFrame({"message": [f"全县 {ENTERPRISE} 工业总产值: parts sum", "ok"]})
    out = disclosure.redact(checks, [ENTERPRISE], allow=False)
    assert out["message"].tolist() == [f"全县 {disclosure.PLACEHOLDER} 工业总产值: parts sum", "ok"]
    assert disclosure.redact(checks, [ENTERPRISE], allow=True).equals(checks)


def test_names_are_read_from_the_written_table(tmp_path: Path) -> None:
    industry().to_csv(tmp_path / "industry_monthly.csv", index=False, encoding="utf-8-sig")
    assert disclosure.named_enterprises_in(tmp_path / "industry_monthly.csv") == [
        "恒博有限公司",
        ENTERPRISE,
    ]
    assert disclosure.named_enterprises_in(tmp_path / "missing.csv") == []


def executed_notebook(path: Path, *outputs: dict) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 测试 · Test", metadata={"tags": ["leadership"]}),
        nbformat.v4.new_code_cell(
            "x",
            outputs=[nbformat.from_dict(o) for o in outputs],
            metadata={"tags": ["leadership"]},  # shown to leaders: the disclosure check applies
        ),
    ]
    nbformat.write(nb, path)
    return path


def html_output(df: pd.DataFrame) -> dict:
    return {
        "output_type": "execute_result",
        "execution_count": 1,
        "metadata": {},
        "data": {"text/html": df.to_html(), "text/plain": df.to_string()},
    }


def test_a_leadership_page_with_an_enterprise_row_is_refused(tmp_path: Path) -> None:
    nb = executed_notebook(tmp_path / "a.ipynb", html_output(industry().set_index("group")))
    target = tmp_path / "html" / "a.html"
    with pytest.raises(ValueError, match=f"named enterprise.*{ENTERPRISE}.*Statistics Law"):
        pages.render_notebook(nb, target, code=False, protected=[ENTERPRISE])
    assert not target.exists()
    # the analyst page (with code) and a run that allows it are written
    pages.render_notebook(nb, tmp_path / "code.html", code=True, protected=[ENTERPRISE])
    pages.render_notebook(nb, target, code=False, protected=[])
    assert ENTERPRISE in target.read_text(encoding="utf-8")


def test_group_totals_pass_the_page_check(tmp_path: Path) -> None:
    shown = disclosure.for_display(industry(), allow=False).set_index("group")
    nb = executed_notebook(tmp_path / "a.ipynb", html_output(shown))
    pages.render_notebook(nb, tmp_path / "a.html", code=False, protected=[ENTERPRISE])
    assert "重点企业" in (tmp_path / "a.html").read_text(encoding="utf-8")


SCRIPT = "<script>alert(1)</script>"


def test_names_with_markup_show_as_text_on_a_page(tmp_path: Path) -> None:
    df = pd.DataFrame({"county": [f"曲周县{SCRIPT}"], "value": [1]})
    stream = {"output_type": "stream", "name": "stdout", "text": f"county: {SCRIPT}\n"}
    nb = executed_notebook(tmp_path / "a.ipynb", html_output(df), stream)
    for code in (False, True):
        pages.render_notebook(nb, tmp_path / "a.html", code=code)
        page = (tmp_path / "a.html").read_text(encoding="utf-8")
        assert SCRIPT not in page
        assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2


def test_names_with_markup_show_as_text_on_the_index() -> None:
    params = {"county": f"曲周县{SCRIPT}", "year": 2022}
    sources = [{"file": f"f{SCRIPT}.csv", "publisher": SCRIPT, "source_url": f"x{SCRIPT}"}]
    figures = [
        {"figure_id": "01-x", "png": f"{SCRIPT}.png", "title_zh": SCRIPT, "simulated": "True"}
    ]
    page = landing.index_html(
        params,
        [{"name": "01_a", "title": f"t{SCRIPT}", "built_at": "", "status": "not built"}],
        sources,
        figures,
    )
    data = data_page.data_html(f"h{SCRIPT}", params, sources, figures, [], {})
    assert "<script" not in page + data
    assert page.count("&lt;script&gt;") >= 4 and data.count("&lt;script&gt;") >= 6


def test_index_build_times_are_on_one_line() -> None:
    def index(t: str) -> list[str]:
        rep = [{"name": n, "title": n, "built_at": t, "status": "ok"} for n in ("01_a", "02_b")]
        return landing.index_html({"county": "x", "year": 1}, rep, [], []).splitlines()

    a, b = index("2024-01-01T10:00:00+08:00"), index("2025-06-30T23:59:59+08:00")
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    assert len(diff) == 1 and diff[0][0].startswith(landing.BUILD_TIME_LINE)


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


@pytest.fixture
def git_repo(repo: Path) -> Path:
    if shutil.which("git") is None or _git(repo, "rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout")
    return repo


def test_only_templates_and_stand_ins_of_internal_data_are_tracked(git_repo: Path) -> None:
    tracked = _git(git_repo, "ls-files", "-z", "data/internal").stdout.split("\0")
    stray = [
        f
        for f in tracked
        if f
        and f != "data/internal/README.md"
        and not f.startswith(("data/internal/templates/", "data/internal/simulated/"))
    ]
    assert stray == []
    assert "data/internal/README.md" in tracked


@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("data/internal/bureau/2023年1-10月.xlsx", True),
        ("data/internal/mine/evaluation/report_2024_130435.csv", True),
        ("data/internal/2023年工业快报.csv", True),
        ("data/internal/simulated/bureau/x.csv", False),
        ("data/internal/templates/x.xlsx", False),
        ("data/processed/industry_monthly.csv", True),
        ("figures/02_output_growth/02-monthly.png", True),
        ("reports/html/01_ingest.html", True),
    ],
)
def test_users_files_and_outputs_are_ignored_by_git(
    git_repo: Path, path: str, ignored: bool
) -> None:
    result = _git(git_repo, "check-ignore", "--no-index", "-q", path)
    assert (result.returncode == 0) == ignored, path


def test_pages_do_not_carry_papermills_random_cell_id(tmp_path: Path) -> None:
    pages_ = []
    for n, random_id in enumerate(("547dd287", "9f0c1e2a")):
        nb = nbformat.v4.new_notebook()
        injected = nbformat.v4.new_code_cell("output_dir = 'x'")
        injected.id = random_id
        injected.metadata["tags"] = ["injected-parameters"]
        title = nbformat.v4.new_markdown_cell("# t")
        title.id = "title"
        nb.cells = [title, injected]
        nbformat.write(nb, tmp_path / f"{n}.ipynb")
        pages.render_notebook(tmp_path / f"{n}.ipynb", tmp_path / f"{n}.html", code=True)
        pages_.append((tmp_path / f"{n}.html").read_text(encoding="utf-8"))
    assert pages_[0] == pages_[1]
    assert 'id="cell-id=injected-parameters"' in pages_[0]
