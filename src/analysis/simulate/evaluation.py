"""A calibrated stand-in for the provincial evaluation's per-county reports (seeded).

The province publishes class counts, mean scores, some class memberships and (2023) the A list
in score order; the scores and indicator values of single counties are not public. This module
builds, for every round 2019-2024 and every county-level unit of the time (codes of the time:
168 units with 邢台县 in the 2019 and 2020 rounds, 167 after), a full evaluation table that
agrees with every published anchor, and writes it in the documented input format
(:mod:`analysis.ingest.evaluation_report`): the full table per round and one county's own
report per round, as CSV (UTF-8 BOM) and xlsx.

How (three steps, each deterministic for a seed; inputs in :mod:`.evaluation_inputs`):

1. **Classes** (:mod:`.evaluation_classes`). A seeded latent strength per unit (persistent
   across rounds, with the 2023 A order built in) gives each unit a preferred class; an integer
   programme per round (``scipy.optimize.milp``) chooses the classes closest to it subject to
   the published class counts, named memberships and the anchors of ``ANCHORS.csv`` (city
   counts, class moves against the previous round, cities with or without a class, and the
   conditions the rank movements of :mod:`.movement` put on classes). The 2018 plan-start
   baseline gets classes only (its counts are published, and the 2019 round's 26 class jumps
   are counted against it); they are written to ``BASELINE_2018.csv``.
2. **Scores** (:mod:`.evaluation_scores`) in hundredths of a point. Each round's scores are
   drawn from a smooth distribution with the published class counts and mean
   (:mod:`.evaluation_spread`: no pile-up at class bounds, gaps like those of real order
   statistics), and given to the units in an order that meets the published orders (the 2023
   A list, a unit's position, first in its city) and movements (:func:`.movement.choose_order`);
   an integer programme then moves them as little as it must - spread over many units - to hit
   the city means and the count of scores that rose, neighbours keeping part of their drawn gap.
3. **Indicators** (:mod:`.evaluation_indicators`). Each score is split into 14 quantitative
   indicators (85 points) and 3 qualitative ones (15 points). Quantitative points are benchmark
   ratios capped at 1 (methods.md §3.2/§3.3: ``points = W_k · min(1, x / x*_k)``, fixed standards,
   so the mean can rise from round to round); values are drawn, rounded to their printed
   precision, and the points are computed from the rounded values. The qualitative points
   (expert scores) take the rest, so the total is exact. Published values of a unit (e.g.
   曲周县's 34 high-tech enterprises in the 2021 round) are set as given.

Weights, standards and the names of 12 of the 17 indicators are **assumptions** (the province
published five names, the 85 + 15 split and nothing else); they are marked ``published=False``
in :data:`.evaluation_indicators.INDICATORS` and ``assumed_name`` in the processed table.
Nothing of the county is hard-coded here: the county-specific anchors are rows of
``ANCHORS.csv`` (data, with sources), and the county whose own report is written is an
argument. What each written file achieves against its targets goes to ``CALIBRATION.csv``
(:mod:`.evaluation_calibration`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import DataError
from analysis.ingest import admin
from analysis.ingest import evaluation_published as evaluation
from analysis.io import read_csv, write_csv
from analysis.simulate import movement
from analysis.simulate.evaluation_calibration import calibration
from analysis.simulate.evaluation_classes import choose_classes, latent_scores
from analysis.simulate.evaluation_indicators import (
    NOTE,
    fill_unit_values,
    indicator_rows,
    score_cap,
)
from analysis.simulate.evaluation_inputs import (
    BASELINE_FILE,
    BASELINE_ROUND,
    CALIBRATION_FILE,
    ROUNDS,
    full_file,
    read_anchors,
    report_file,
    round_targets,
    round_units,
)
from analysis.simulate.evaluation_scores import score_round

SEED = 20221125


@dataclass(frozen=True)
class StandIn:
    """The generated tables: ``full`` (long, every unit and round, input format columns in
    English), ``scores`` (one row per unit and round) and ``baseline`` (the 2018 plan-start
    classes: round, county_code, county, city, class, note)."""

    full: pd.DataFrame
    scores: pd.DataFrame
    baseline: pd.DataFrame


def build(raw: Path, anchors_dir: Path, seed: int = SEED) -> StandIn:
    """Every round's full table (all units) and per-unit scores; deterministic for ``seed``."""
    anchors = read_anchors(anchors_dir)
    units = round_units(raw)
    targets = round_targets(raw, anchors)
    codes = admin.code_table(raw)
    published = evaluation.evaluation_classes(raw, codes)
    key_of = {c: k for u in units.values() for c, k in zip(u["code"], u["key"])}
    pos = published[published["position"].notna()].assign(
        key=lambda d: d["county_code"].map(key_of)
    )
    latent = latent_scores(units, targets, pos[pos["round"] == pos["round"].max()], seed)
    base = units[BASELINE_ROUND]
    no_links = movement.make_links(base["key"], None, {})
    baseline = choose_classes(
        BASELINE_ROUND, base, latent[BASELINE_ROUND], targets.loc[BASELINE_ROUND], {},
        anchors[anchors["round"] == BASELINE_ROUND], None, {}, no_links,
        anchors[anchors["round"] == BASELINE_ROUND + 1],
    )  # fmt: skip
    previous: dict[str, str] | None = dict(zip(base["key"], baseline))
    fixed_values = fill_unit_values(anchors)
    score_rows: list[pd.DataFrame] = []
    for r in ROUNDS:
        u = units[r]
        a = anchors[anchors["round"] == r]
        a_next = anchors[anchors["round"] == r + 1]
        positions = _published_positions(published, anchors, r)
        pub = published[published["round"] == r]
        forced = dict(zip(pub["county_code"], pub["class"]))
        for c, k in positions.items():
            forced.setdefault(c, _class_of_position(k, targets.loc[r]))
        links = movement.make_links(
            u["key"],
            score_rows[-1] if score_rows else None,
            {key_of[c]: k for c, k in _published_positions(published, anchors, r + 1).items()},
        )
        classes = choose_classes(
            r, u, latent[r], targets.loc[r], forced, a, previous, positions, links, a_next
        )
        listed = {c: k for c, k in positions.items() if c in set(pub["county_code"])}
        caps = {code: score_cap(v) for (rnd, code), v in fixed_values.items() if rnd == r}
        scores = score_round(
            r, u, classes, latent[r], targets.loc[r], a, listed, links, a_next,
            np.random.default_rng([seed, r]), caps,
        )  # fmt: skip
        previous = dict(zip(u["key"], classes))
        position = scores.rank(ascending=False, method="first").astype(int)
        score_rows.append(
            u.assign(
                round=r,
                score_h=scores.to_numpy(),
                score=scores.to_numpy() / 100,
                **{"class": classes.to_numpy()},
                position=position.to_numpy(),
                round_published=bool(targets.at[r, "published"]),
            )
        )
    scores = pd.concat(score_rows, ignore_index=True)
    full = indicator_rows(scores, anchors, seed)
    baseline_table = pd.DataFrame(
        {"round": BASELINE_ROUND, "county_code": base["code"], "county": base["name"],
         "city": base["city"], "class": baseline.to_numpy(), "note": NOTE}
    )  # fmt: skip
    return StandIn(full=full, scores=scores, baseline=baseline_table)


def _published_positions(published: pd.DataFrame, anchors: pd.DataFrame, r: int) -> dict[str, int]:
    """Code -> position in round r: the published list (2023 A order) and unit_position anchors."""
    pub = published[(published["round"] == r) & published["position"].notna()]
    out = {c: int(k) for c, k in zip(pub["county_code"], pub["position"])}
    for row in anchors[(anchors["round"] == r) & (anchors["kind"] == "unit_position")].itertuples():
        out.setdefault(row.subject, int(row.value))
    return out


def _class_of_position(k: int, targets: pd.Series) -> str:
    if k <= targets["n_A"]:
        return "A"
    return "B" if k <= targets["n_A"] + targets["n_B"] else "C"


def generate(raw: Path, out_dir: Path, county_code: str, seed: int = SEED) -> list[Path]:
    """Build the stand-in and write it to ``out_dir`` (which holds ANCHORS.csv): per round the
    full table and ``county_code``'s own report, each as CSV and xlsx, then CALIBRATION.csv
    with the achieved values read back through :func:`analysis.ingest.evaluation_report.ingest`."""
    from analysis.ingest import evaluation_report as evalreport

    out_dir = Path(out_dir)
    if not any(county_code in set(u["code"]) for u in round_units(raw).values()):
        raise DataError(f"county code {county_code} is not a unit of any round 2019-2024")
    stand_in = build(raw, out_dir, seed)
    full = stand_in.full
    written: list[Path] = [write_csv(stand_in.baseline, out_dir / BASELINE_FILE)]
    for old in out_dir.glob("*"):
        if old.name.startswith(("full_", "report_")):
            old.unlink()
    for r in ROUNDS:
        table = evalreport.to_input_format(full[full["round"] == r])
        own = evalreport.to_input_format(
            full[(full["round"] == r) & (full["county_code"] == county_code)]
        )
        if own.empty:
            continue  # the county did not exist in that round
        for df, name in ((table, full_file(r, "")), (own, report_file(r, county_code, ""))):
            written.append(write_csv(df, out_dir / f"{name}csv"))
            written.append(evalreport.write_xlsx(df, out_dir / f"{name}xlsx"))
    tables = evalreport.ingest(out_dir.parent, raw, simulated=True)
    baseline = read_csv(out_dir / BASELINE_FILE, dtype={"county_code": str})
    cal = calibration(tables, baseline, read_anchors(out_dir),
                      round_targets(raw, read_anchors(out_dir)), raw, county_code)  # fmt: skip
    written.append(write_csv(cal, out_dir / CALIBRATION_FILE))
    return written


def main(argv: Iterable[str] | None = None) -> int:
    """Regenerate the committed stand-in: ``python -m analysis.simulate.evaluation
    [--params params/x.yaml]`` (the county is the run parameter ``county_code``)."""
    import argparse

    from analysis.params import load_params
    from analysis.paths import Paths

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--params", default=None)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(list(argv) if argv is not None else None)
    params = load_params(args.params)
    paths = Paths.for_run()
    out = paths.root / "data" / "internal" / "simulated" / "evaluation"
    for path in generate(paths.raw, out, params.county_code, args.seed):
        print(path.relative_to(paths.root))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
