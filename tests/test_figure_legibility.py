"""Charts a leader reads on a phone: text size measured in the saved SVG at 375 px, one colour
rule across charts, the projection's bands visible, the source line clear of the axes."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from analysis.figures import growth_charts, indicator_charts, ranking_charts
from analysis.figures.legibility import shown_px, svg_texts, svg_width_pt, too_small
from analysis.figures.style import MIN_TEXT_PX, PALETTE, PHONE_WIDTH_PX, new_figure, setup_style

matplotlib.use("Agg")


def svg_of(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


# the measurement -------------------------------------------------------------------------------
def test_text_size_on_a_phone_is_measured_from_the_svg() -> None:
    setup_style()
    fig, ax = new_figure("print")
    ax.set_axis_off()
    ax.text(0.1, 0.2, "small", fontsize=6)
    ax.text(0.1, 0.6, "legible", fontsize=10)
    svg = svg_of(fig)
    width = svg_width_pt(svg)
    assert width == pytest.approx(fig.get_figwidth() * 72)
    sizes = {t.text: t.size_pt for t in svg_texts(svg)}
    assert sizes == {"small": pytest.approx(6), "legible": pytest.approx(10)}
    assert [name for name, _ in too_small(svg)] == ["small"]
    # the same 10-pt text on a figure twice as wide shrinks to half on the phone
    assert shown_px(10, 2 * width) == pytest.approx(shown_px(10, width) / 2)
    assert shown_px(10, width) == pytest.approx(10 * PHONE_WIDTH_PX / width)


# the projection's ranges -----------------------------------------------------------------------
def projection_row() -> pd.Series:
    return pd.Series(
        {
            "point_wan": 1_249_600.0, "lo80_wan": 1_240_000.0, "hi80_wan": 1_263_000.0,
            "lo95_wan": 1_236_000.0, "hi95_wan": 1_268_000.0, "growth_point": 0.202,
            "growth_lo80": 0.193, "growth_hi80": 0.210, "growth_lo95": 0.188,
            "growth_hi95": 0.215, "target_growth": 0.15,
        }
    )  # fmt: skip


def test_the_80_and_95_percent_ranges_are_visible_on_a_phone() -> None:
    setup_style()
    months = pd.date_range("2022-01-01", periods=10, freq="MS")
    cum = pd.Series(np.linspace(80_000, 964_900, 10), index=months)
    fig = growth_charts.projection_fan_chart(cum, projection_row(), 1_150_000.0, "zh")
    fig.canvas.draw()
    scale = PHONE_WIDTH_PX / fig.bbox.width  # display px -> CSS px on a phone
    growth_panel = fig.axes[-1]  # the full-year growth on its own scale
    bands = [p for p in growth_panel.patches if p.get_alpha()]
    widths = sorted(p.get_window_extent().width * scale for p in bands)
    assert len(widths) >= 2
    assert widths[0] >= 8, f"the 80% range is {widths[0]:.1f} px wide on a phone"
    assert widths[-1] > widths[0] * 1.2, "the 95% range reads wider than the 80% range"
    assert len({round(p.get_alpha(), 2) for p in bands}) == 2, "two shades, not one"


# one colour rule -------------------------------------------------------------------------------
def gap() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "component": [
                "本县",
                "高新技术企业数量",
                "省级以上研发平台数量",
                "定性",
                "残差",
                "目标县",
            ],
            "kind": ["start", "indicator", "indicator", "qualitative", "residual", "end"],
            "points": [86.72, 1.86, -1.50, 0.31, -0.001, 87.39],
        }
    )


def whatif() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mode": ["full_table"] * 2 + ["own_report"] * 2,
            "indicator": ["高新技术企业数量", "科技型中小企业数量"] * 2,
            "rank_standing_still": [52] * 4,
            "rank_at_full_headroom": [30, 52, 27, 52],
            "headroom_points": [2.91, 0.0] * 2,
        }
    )


def test_red_is_behind_and_blue_ahead_in_every_chart() -> None:
    setup_style()
    fig = ranking_charts.gap_waterfall_chart(gap(), "zh")
    ax = fig.axes[0]
    bars = {round(p.get_width(), 2): to_hex(p.get_facecolor()) for p in ax.patches}
    assert bars[1.86] == PALETTE["behind"]  # the target leads: the county is behind
    assert bars[-1.5] == PALETTE["ahead"]  # the county leads
    assert "-0.00" not in [x.get_text() for x in ax.texts]
    gain = ranking_charts.rank_gain_chart(whatif(), "zh").axes[0]
    gained = [to_hex(p.get_facecolor()) for p in gain.patches if p.get_width() > 0]
    assert to_hex(PALETTE["ahead"]) in gained  # a place gained is 'ahead': blue, never red
    assert to_hex(PALETTE["behind"]) not in gained
    assert PALETTE["county"] not in (PALETTE["ahead"], PALETTE["behind"])


# the charts of a built project -----------------------------------------------------------------
@pytest.mark.notebooks
def test_every_chart_is_legible_at_phone_width(built: Path) -> None:
    svgs = sorted((built / "figures").glob("0[0-9]_*/*.svg"))
    assert len(svgs) >= 10
    small = {p.name: too_small(p.read_text(encoding="utf-8")) for p in svgs}
    assert {k: v for k, v in small.items() if v} == {}, f"under {MIN_TEXT_PX} px at 375 px"


@pytest.mark.notebooks
def test_the_source_line_is_clear_of_the_axes(built: Path) -> None:
    from analysis import indicators, schemas

    setup_style()
    table = schemas.read_table(
        built / "data" / "processed", "sti_indicators", schemas.STI_INDICATORS
    )
    fig = indicator_charts.indicators_small_multiples(indicators.series_for_chart(table), "zh")
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    source = fig._supxlabel.get_window_extent(renderer)
    assert fig._supxlabel.get_text().startswith("资料来源")
    for ax in fig.axes:
        if ax.get_visible():
            assert not source.overlaps(ax.get_tightbbox(renderer)), ax.get_title()
