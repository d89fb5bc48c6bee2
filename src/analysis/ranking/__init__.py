"""Rank in the provincial county innovation evaluation: what is published, and what goes with it.

Three layers, each in its own modules:

1. **Published layer** (:mod:`.published`, :mod:`.work_report`). Class counts by round (the
   pyramid), the county's published class and position by round, and its city peers' published
   positions. A work report's rank claims (e.g. "8th in the province, 1st in the city", written
   before a round was announced) are attributed to the round they most likely refer to and
   marked ``inferred``.
2. **Structural drivers** (:mod:`.covariates`, :mod:`.separation`, :mod:`.structural`,
   :mod:`.standing`). Which census characteristics of a unit go with a high rank? Outcome:
   being in the latest score-ordered list, for all current units; position within that list as
   a rank regression. A cross-section of units: association, not cause.
3. **Indicator layer** (:mod:`.whatif`): the evaluation's own indicators, reconstructed
   weights and what-ifs, in own-report or full-table mode (:func:`whatif_layer` picks them).

Every function takes tables and arguments, never globals: the county is a run parameter. This
module re-exports what notebook 03 calls; the rest is imported from its module.
"""

from __future__ import annotations

from analysis.ranking.covariates import (
    CONTINUOUS,
    POP_CHANGE,
    complete_rows,
    latest_ordered_round,
    model_frame,
    standardise,
    top_list,
)
from analysis.ranking.inputs import read_evaluation_tables, read_inputs
from analysis.ranking.published import (
    PUBLISHED_POSITIONS,
    city_units,
    class_counts_long,
    mean_score_gains,
    publication_gaps,
    published_positions,
)
from analysis.ranking.separation import separation_table
from analysis.ranking.standing import (
    FITTED,
    county_standing,
    fitted_table,
    nearest_peers,
    with_peers,
)
from analysis.ranking.structural import STRUCTURAL, fit_structural_models, structural_table
from analysis.ranking.whatif.distributions import distribution_table
from analysis.ranking.whatif.drivers import DRIVER_MODEL
from analysis.ranking.whatif.layer import WhatIfLayer, whatif_layer
from analysis.ranking.whatif.table import needed_text
from analysis.ranking.work_report import report_claims, work_report_county

__all__ = [
    "CONTINUOUS",
    "DRIVER_MODEL",
    "FITTED",
    "POP_CHANGE",
    "PUBLISHED_POSITIONS",
    "STRUCTURAL",
    "WhatIfLayer",
    "city_units",
    "class_counts_long",
    "complete_rows",
    "county_standing",
    "distribution_table",
    "fit_structural_models",
    "fitted_table",
    "latest_ordered_round",
    "mean_score_gains",
    "model_frame",
    "nearest_peers",
    "needed_text",
    "publication_gaps",
    "published_positions",
    "read_evaluation_tables",
    "read_inputs",
    "report_claims",
    "separation_table",
    "standardise",
    "structural_table",
    "top_list",
    "whatif_layer",
    "with_peers",
    "work_report_county",
]
