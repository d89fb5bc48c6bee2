"""The ranking's what-if chart says what its numbers are: places on the axis, points at the bars."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

from analysis.figures.ranking_charts import rank_gain_chart

matplotlib.use("Agg")


def whatif() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "mode": ["own_report"] * 3 + ["full_table"] * 3,
            "indicator": ["高新技术企业数量", "万人发明专利拥有量", "科技型中小企业数量"] * 2,
            "rank_standing_still": [13] * 6,
            "rank_at_full_headroom": [5, 10, 13, 8, 11, 13],
            "headroom_points": [2.92, 1.6, 0.0] * 2,
        }
    )


@pytest.mark.parametrize(("lang", "bar_label", "none", "note"), [
    ("zh", "+2.92分", "已满分", "距满分的可提升分数"),
    ("en", "+2.92 pts", "at maximum", "points the indicator can"),
])  # fmt: skip
def test_bar_numbers_are_labelled_as_points(
    lang: str, bar_label: str, none: str, note: str
) -> None:
    fig = rank_gain_chart(whatif(), lang=lang)
    ax = fig.axes[0]
    texts = [x.get_text() for x in ax.texts]
    assert texts.count(bar_label) == 1  # one label per indicator, not one per mode
    assert texts.count(none) == 1  # at its maximum in both modes: said once
    fig.canvas.draw()
    boxes = [x.get_window_extent() for x in ax.texts]
    overlapping = [
        (ax.texts[i].get_text(), ax.texts[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
    assert overlapping == []
    assert note in ax.get_xlabel()
    # bars are places gained, largest first: 高新技术企业数量 (8 places) above 专利 (3)
    assert ax.get_yticklabels()[0].get_text() == "高新技术企业数量"
    widths = sorted(round(p.get_width()) for p in ax.patches)
    assert widths == [0, 0, 2, 3, 5, 8]


def test_driver_effects_show_p_values_and_fill_only_the_significant_markers() -> None:
    from matplotlib.colors import to_rgba

    from analysis.figures.ranking_charts import driver_effects_chart

    effects = pd.DataFrame(
        {"model": "in_top_logit", "kind": "logit", "n_obs": 167, "quantity": "marginal_effect",
         "term": ["log_population_2020", "region_north"], "estimate": [0.17, -0.23],
         "ci_low": [0.04, -0.32], "ci_high": [0.25, 0.08], "p_value": [0.017, 0.1]}
    )  # fmt: skip
    fig = driver_effects_chart(effects, ("in_top_logit",), lang="en")
    ax = fig.axes[0]
    assert [x.get_text() for x in ax.texts] == [" p=0.02", " p=0.10"]
    faces = ax.collections[-1].get_facecolors()
    assert tuple(faces[1]) == to_rgba("white") and tuple(faces[0]) != to_rgba("white")
