"""The landing page (analysis.build.index) for a county leader: the headline block first (output,
growth, published position), one simulated line linking to the details, the reports, the
review's files when they exist, the work report's claim and simulated results in a note apart
from the published position, publishers by name; file names, CSV rows and addresses only on the
analysts' data page (analysis.build.data_page)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from analysis.build import data_page, index, pages, run_facts
from analysis.params import load_params
from analysis.review import HEADLINE_COLUMNS


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def row(key: str, label: str, display: str, table: str, line: str, sim: str, note: str = ""):
    values = [key, "zh", label, "1", "", display, table, line, sim, "True", note]
    return dict(zip(HEADLINE_COLUMNS, values, strict=True))


MIRROR = "http://hebfb.apps.hebei.com.cn/hebfb/index.php/home/essay/read/id/6150.html"


def headlines(simulated: str = "True") -> list[dict[str, str]]:
    return [
        row("output_cumulative_wan", "规上工业总产值(累计)", "96.49亿元", "industry_monthly",
            "598", simulated),
        row("growth_cumulative", "累计同比增速", "20.7%", "industry_monthly", "598", simulated),
        row("evaluation_latest", "科技创新能力评价(最近公布)", "2023年度 A类 全省第13位",
            "ranking_published_positions", "15", "False", MIRROR),
        row("evaluation_claim", "工作汇报所称位次", "2021年度 A类 全省第8位",
            "ranking_published_positions", "14", "False", "推断：汇报未注明轮次。"),
        row("evaluation_score", "评价得分", "2024年度 全省第26位", "evaluation_scores", "872",
            "True"),
        row("scope_factor_k", "口径系数k", "0.949", "industry_monthly", "598;550", simulated),
    ]  # fmt: skip


SOURCES = [
    {"file": "published/hebei_sti_evaluation_classes.csv", "source_url": "per row",
     "publisher": "河北省人民政府办公厅 notice (2023 A list); press releases"},
    {"file": "published/ppi_national_monthly.csv", "source_url": "per row",
     "publisher": "国家统计局 monthly PPI releases (via reprints: gov.cn mirror)"},
    {"file": "admin/hebei_cities.csv", "source_url": "https://github.com/modood/x",
     "publisher": "modood/Administrative-divisions-of-China"},
    {"file": "reference/work_report_2022.txt", "source_url": "",
     "publisher": "曲周县 S&T innovation service centre: 科技兴县改革工作汇报"},
]  # fmt: skip

REPORTS = [
    {"name": "01_ingest", "title": "数据导入与质量检查", "built_at": "2026-11-29T06:40:05+00:00",
     "status": "ok"},
    {"name": "02_output_growth", "title": "规上工业产值增长", "built_at": "",
     "status": "not built"},
]  # fmt: skip


def landing(**kw: object) -> str:
    args = {
        "headlines": headlines(),
        "vintage": {"bureau_period": "2022年1-10月", "bureau_simulated": "True"},
        "shared": {"annual_review.pdf": "汇报要点"},
    }
    args.update(kw)
    return index.index_html(load_params().as_dict(), REPORTS, SOURCES, [], **args)  # type: ignore[arg-type]


def text(page: str) -> str:
    page = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    return re.sub(r"<[^>]+>", "", page)


def test_the_headline_block_comes_first_with_what_it_rests_on() -> None:
    page = landing()
    body = text(page.split("<body", 1)[1])
    first = body.index("96.49亿元")
    assert first < body.index("20.7%") < body.index("全省第13位") < body.index("分析报告")
    assert "产值、增速：县统计局规上工业月报，截至2022年1-10月。" in body
    assert "位次：河北省人民政府办公厅公布。" in body
    # the claim and the simulated result are in the notes, after the reports, never in the block
    block = page.split('id="headline"')[1].split("</section>")[0]
    assert "第8位" not in block and "第26位" not in block
    notes = page.split('id="notes"')[1]
    assert "工作汇报所称位次：2021年度 A类 全省第8位。推断：汇报未注明轮次。" in notes
    assert "模拟的评价结果：2024年度 全省第26位" in notes
    assert page.index('id="reports"') < page.index('id="notes"')


def test_one_simulated_line_links_to_the_details() -> None:
    page = landing()
    assert page.count('class="leader-note"') == 1
    assert '<a href="#simulated">详见说明</a>' in page
    details = text(page.split('id="simulated"')[1].split("<h2")[0])
    assert "县统计局规上工业月报（产值、增速）" in details and "本县评价得分" in details
    assert page.count('<span class="badge">模拟</span>') == 2  # output and growth
    quiet = landing(headlines=headlines("False"), vintage={"bureau_period": "2022年1-10月"})
    assert 'class="leader-note"' not in quiet and "badge" not in quiet.split("<body")[1]


def test_no_file_names_rows_addresses_or_jargon_for_leaders() -> None:
    page = landing()
    for analysts_only in (".csv", "598", "hebfb", "http", "github", "modood", "口径系数",
                          "industry_monthly", "scope_factor_k", "output_dir"):  # fmt: skip
        assert analysts_only not in page.split("<body")[1], analysts_only
    sources = text(page.split('id="sources"')[1])
    assert "河北省人民政府办公厅" in sources and "国家统计局" in sources
    assert "《科技兴县改革工作汇报》" in sources
    assert pages.external_references(page) == []


def test_the_analysts_data_page_keeps_files_rows_and_addresses() -> None:
    data = data_page.data_html("曲周县", load_params().as_dict(), SOURCES, [], headlines(), {})
    assert "industry_monthly.csv · 598" in data
    assert f'<a href="{MIRROR}">' in data
    assert "admin/hebei_cities.csv" in data and "modood" in data


def test_reports_and_review_files() -> None:
    page = landing(shared={"annual_review.pdf": "PDF", "annual_review.docx": "Word"})
    assert '<li><a href="html/01_ingest.html">数据导入与质量检查</a></li>' in page
    assert "<li>规上工业产值增长" in page  # not built: no link
    assert '<a href="annual_review.pdf">PDF</a>' in page
    assert '<a href="annual_review.docx">Word</a>' in page
    assert "更新时间：2026-11-29 14:40（北京时间）" in page and "06:40" not in page


def test_review_files_are_linked_when_they_exist(tmp_path: Path) -> None:
    paths = type("P", (), {"reports": tmp_path / "reports"})()
    paths.reports.mkdir()
    assert index.shared_files(paths, "zh") == {}
    (paths.reports / "annual_review_tables.xlsx").write_bytes(b"x")
    (paths.reports / "annual_review.pdf").write_bytes(b"x")
    assert list(index.shared_files(paths, "zh")) == [
        "annual_review.pdf",
        "annual_review_tables.xlsx",
    ]


def test_an_english_run_gets_english_words_and_marked_names() -> None:
    params = load_params(lang="en").as_dict()
    rows = [{**h, "lang": "en"} for h in headlines()]
    page = index.index_html(params, REPORTS, SOURCES, [], headlines=rows)
    assert '<html lang="en">' in page and "Headline numbers" in page
    assert '<span lang="zh-CN">河北省人民政府办公厅</span>' in page
    # rows of another language are not shown
    zh_only = index.index_html(params, REPORTS, SOURCES, [], headlines=headlines())
    assert "96.49亿元" not in zh_only


def test_publishers_are_the_chinese_names_in_the_provenance_text() -> None:
    assert run_facts.organisations("河北省科学技术厅 / 河北省人民政府 press releases") == [
        "河北省科学技术厅",
        "河北省人民政府",
    ]
    assert run_facts.organisations("河北省人民政府办公厅 notice") == ["河北省人民政府办公厅"]
    assert run_facts.organisations("modood/Administrative-divisions-of-China") == []


def test_vintage_is_the_latest_release_and_published_round(tmp_path: Path) -> None:
    write(
        tmp_path / "industry_monthly.csv",
        ["year", "month", "latest", "release", "simulated"],
        [
            ["2022", "9", "True", "a.xlsx", "True"],
            ["2022", "10", "True", "b.xlsx", "True"],
            ["2022", "11", "False", "c.xlsx", "False"],
        ],
    )
    write(
        tmp_path / "evaluation_rounds.csv",
        ["round", "data_year", "published"],
        [["2023", "2022", "True"], ["2024", "2023", "True"], ["2025", "2024", "False"]],
    )
    v = run_facts.data_vintage(tmp_path)
    assert v["bureau"] == "2022年1-10月 · b.xlsx" and v["bureau_simulated"] == "True"
    assert v["bureau_period"] == "2022年1-10月"
    assert run_facts.data_vintage(tmp_path, "en")["bureau_period"] == "Jan–Oct 2022"
    assert v["evaluation"].startswith("2024年度监测评价(2023年数据)")
    assert run_facts.data_vintage(tmp_path / "nothing") == {}


def test_the_claims_marker_is_said_once_by_its_note() -> None:
    rows = headlines()
    rows[3] = {**rows[3], "display": "2021年度 A类 全省第8位 *推断", "note": "推断：未注明轮次。"}
    notes = landing(headlines=rows).split('id="notes"')[1]
    assert "工作汇报所称位次：2021年度 A类 全省第8位。推断：未注明轮次。" in notes


def test_a_leader_reads_no_raw_name_in_either_language() -> None:
    from .test_pages import leader_problems

    rows = [*headlines(), row("growth_real", "实际增速", "14.7%", "real_growth", "3", "True")]
    assert leader_problems(landing(headlines=rows), "zh") == []
    en = [{**h, "lang": "en", "label": "Output", "display": "9.6 bn", "note": "inferred"}
          for h in rows]  # fmt: skip
    page = index.index_html(
        load_params(lang="en").as_dict(),
        [{**r, "title": "Output growth"} for r in REPORTS],
        SOURCES,
        [],
        headlines=en,
        vintage={"bureau_period": "Jan–Oct 2022", "bureau_simulated": "True"},
    )
    assert leader_problems(page, "en", {"曲周县"}) == []


def test_a_missing_headline_says_why_in_the_summarys_words() -> None:
    rows = {
        "output_cumulative_wan": {
            "label": "规上工业总产值（累计）",
            "available": "False",
            "display": "暂无肥乡区的统计局月报数据",
        }
    }
    block = index.headline_block(rows, {}, [], "zh")
    assert "暂无肥乡区的统计局月报数据" in block
    assert "尚未生成" in block  # the other two headlines were never written
