"""The landing page (analysis.build.index.index_html / write_index): headline numbers from
review_headlines.csv, the simulated notice, the data vintage, the PDF and figure-pack links."""

from __future__ import annotations

import csv
from pathlib import Path

from analysis.build import index, pages
from analysis.params import load_params
from analysis.review import HEADLINE_COLUMNS


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


HEAD = HEADLINE_COLUMNS


def headlines(simulated: str = "True") -> list[dict[str, str]]:
    return [
        dict(
            zip(
                HEAD,
                [
                    "output_cumulative_wan",
                    "zh",
                    "规上工业总产值(累计)",
                    "964900.0",
                    "万元",
                    "96.49亿元",
                    "industry_monthly",
                    "598",
                    simulated,
                    "True",
                    "",
                ],
            )
        ),
        dict(
            zip(
                HEAD,
                [
                    "evaluation_score",
                    "zh",
                    "评价得分",
                    "",
                    "",
                    "暂无数据",
                    "evaluation_scores",
                    "",
                    "False",
                    "False",
                    "",
                ],
            )
        ),
    ]


def test_the_landing_page_shows_headlines_and_the_simulated_notice() -> None:
    page = index.index_html(
        load_params().as_dict(),
        [],
        [],
        [],
        headlines=headlines(),
        vintage={"bureau": "2022年1-10月 · x.xlsx", "bureau_simulated": "True"},
        shared={"annual_review.pdf": "PDF"},
    )
    assert '<div class="value">96.49亿元</div><div class="sim">模拟数据 · SIMULATED</div>' in page
    assert '<div class="card na"><div class="label">评价得分</div>' in page
    assert "industry_monthly.csv · 598" in page
    assert 'role="alert">⚠ 本次运行使用了模拟数据' in page
    assert "industry_monthly.csv" in page.split('role="alert"')[1].split("</div>")[0]
    assert "<td>2022年1-10月 · x.xlsx <em>(模拟数据 · simulated)</em></td>" in page
    assert '<a href="annual_review.pdf">PDF</a>' in page
    assert "@page { size: A4;" in page
    assert pages.external_references(page) == []


def test_no_notice_when_nothing_is_simulated() -> None:
    page = index.index_html(load_params().as_dict(), [], [], [], headlines=headlines("False"))
    assert 'role="alert"' not in page
    assert "尚未生成 · not built yet" in page  # nothing to share yet


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
    v = index.data_vintage(tmp_path)
    assert v["bureau"] == "2022年1-10月 · b.xlsx" and v["bureau_simulated"] == "True"
    assert v["evaluation"].startswith("2024年度监测评价(2023年数据)")
    assert index.data_vintage(tmp_path / "nothing") == {}
