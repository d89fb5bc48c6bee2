"""The evaluation stand-in's CALIBRATION.csv: each target beside what the written files achieve."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import DataError
from analysis.evaluation_rules import CLASSES
from analysis.ingest import admin
from analysis.ingest import evaluation_published as evaluation
from analysis.simulate import movement
from analysis.simulate.evaluation_classes import class_moves
from analysis.simulate.evaluation_inputs import (
    BASELINE_FILE,
    BASELINE_ROUND,
    ROUNDS,
    full_file,
    link_keys,
    report_file,
)


def _fig_id(anchor) -> str:
    import re

    # A work-report figure id only where the anchor's value is that figure's own number (the
    # claims register compares them); a class behind F09 ("three years in class A") is not.
    ids = re.findall(r"\bF\d{2}\b", anchor.source)
    try:
        float(anchor.value)
    except (TypeError, ValueError):
        return f"anchor:{anchor.anchor_id}"
    return ids[0] if len(ids) == 1 else f"anchor:{anchor.anchor_id}"


def calibration(
    tables: dict[str, pd.DataFrame],
    baseline: pd.DataFrame,
    anchors: pd.DataFrame,
    targets: pd.DataFrame,
    raw: Path,
    county_code: str,
) -> pd.DataFrame:
    """One row per target (file, target_figure_id, target_value, achieved_value); the achieved
    values are computed from the ingested tables and the written baseline (the 2018 classes),
    not copied from the targets."""
    sc = pd.concat([baseline, tables["evaluation_scores"]], ignore_index=True)
    ind = tables["evaluation_indicators"]
    rows: list[dict[str, str]] = []

    def add(file: str, fid: str, target: object, achieved: object) -> None:
        rows.append({"file": file, "target_figure_id": fid, "target_value": str(target),
                     "achieved_value": str(achieved)})  # fmt: skip

    g = sc[sc["round"] == BASELINE_ROUND]
    for q in ("n_A", "n_B", "n_C"):
        fid = targets.at[BASELINE_ROUND, f"{q}_source"]
        add(
            BASELINE_FILE, fid, int(targets.at[BASELINE_ROUND, q]), int((g["class"] == q[-1]).sum())
        )
    add(BASELINE_FILE, f"units:{BASELINE_ROUND}", evaluation.units_in_round(BASELINE_ROUND), len(g))
    for r in ROUNDS:
        g = sc[sc["round"] == r]
        for q in ("n_A", "n_B", "n_C", "mean_score"):
            fid = targets.at[r, f"{q}_source"]
            if q == "mean_score":
                add(full_file(r), fid, f"{targets.at[r, q]:.2f}", f"{g['score'].mean():.2f}")
            else:
                add(full_file(r), fid, int(targets.at[r, q]), int((g["class"] == q[-1]).sum()))
        add(full_file(r), f"units:{r}", evaluation.units_in_round(r), len(g))
    codes = admin.code_table(raw)
    keys = link_keys(codes)
    published = evaluation.evaluation_classes(raw, codes)
    for p in published.to_dict("records"):
        r, name = p["round"], p["name_as_published"]
        hit = sc[(sc["round"] == r) & (sc["county_code"] == p["county_code"])].iloc[0]
        add(full_file(r), f"classes:{r}:class:{name}", p["class"], hit["class"])
        if pd.notna(p["position"]):
            add(full_file(r), f"classes:{r}:position:{name}", int(p["position"]),
                int(hit["position"]))  # fmt: skip
    for a in anchors.itertuples():
        if a.kind in ("class_count", "mean"):
            continue  # in the round rows above
        g = sc[sc["round"] == a.round]
        file = full_file(a.round)
        code = a.subject.split(":")[0]
        if code == county_code:
            file = report_file(a.round, code)
        target, achieved = _achieved(a, g, ind[ind["round"] == a.round], sc, keys)
        add(file, _fig_id(a), target, achieved)
    return pd.DataFrame(rows)


def _achieved(
    a, g: pd.DataFrame, ind: pd.DataFrame, sc: pd.DataFrame, keys: dict[str, str]
) -> tuple[object, object]:
    """(target, achieved) of one anchor row, achieved computed from the scores table."""
    city_count = lambda city, c: int(((g["city"] == city) & (g["class"] == c)).sum())  # noqa: E731
    if a.kind == "class_only_in_cities":
        have = sorted(set(g.loc[g["class"] == a.subject, "city"]))
        return ";".join(sorted(a.value.split(";"))), ";".join(have)
    if a.kind == "class_in_every_city":
        cities = sorted(set(g["city"]))
        return len(cities), sum(city_count(c, a.subject) >= int(a.value) for c in cities)
    if a.kind == "city_class_count":
        city, c = a.subject.split(":")
        return int(a.value), city_count(city, c)
    if a.kind == "city_most_at_least":
        city, c = a.subject.split(":")
        better = list(CLASSES[: CLASSES.index(c) + 1])
        n = g[g["class"].isin(better)].groupby("city").size()
        return 1, 1 + int((n.drop(city) >= n[city]).sum())
    if a.kind == "class_changes":
        scope, spec = a.subject.split(":")
        prev = sc[sc["round"] == a.round - 1]
        key = keys
        before = dict(zip(prev["county_code"].map(key), prev["class"]))
        mine = g if scope == "*" else g[g["city"] == scope]
        moves = set(class_moves(spec))
        n = sum(
            (before.get(key[c]), k) in moves for c, k in zip(mine["county_code"], mine["class"])
        )
        return int(a.value), n
    if a.kind in movement.KINDS:
        return movement.achieved(a, g, sc[sc["round"] == a.round - 1], keys)
    if a.kind == "unit_class":
        return a.value, g.loc[g["county_code"] == a.subject, "class"].iloc[0]
    if a.kind == "city_mean":
        decimals = len(a.value.split(".")[1]) if "." in a.value else 0
        m = g.loc[g["city"] == a.subject, "score"].mean()
        return a.value, f"{m:.{decimals}f}"
    if a.kind == "city_mean_range":
        return a.value, f"{g.loc[g['city'] == a.subject, 'score'].mean():.2f}"
    if a.kind == "city_highest_mean":
        means = g.groupby("city")["score"].mean().sort_values(ascending=False)
        return 1, list(means.index).index(a.subject) + 1
    if a.kind == "unit_position":
        return int(a.value), int(g.loc[g["county_code"] == a.subject, "position"].iloc[0])
    if a.kind == "unit_first_in_city":
        me = g[g["county_code"] == a.subject].iloc[0]
        return 1, int((g.loc[g["city"] == me["city"], "score"] >= me["score"]).sum())
    if a.kind == "unit_value":
        code, name = a.subject.split(":")
        v = ind.loc[(ind["county_code"] == code) & (ind["level2"] == name), "value"].iloc[0]
        return f"{float(a.value):g}", f"{v:g}"
    raise DataError(f"unknown anchor kind {a.kind!r} ({a.anchor_id})")
