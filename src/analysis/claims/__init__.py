"""The claims register: every figure a work report states, and how far our data back it.

Each figure gets one status:

* ``reproduced`` — recomputed from real data (a published list, a user's own file) and equal to
  the stated value within the published rounding;
* ``consistent`` — implied by *other published figures* (e.g. patents per 10 000 residents from
  the patent count and the census population) within the propagated rounding;
* ``contradicted`` — real data or other published figures give a value outside the rounding; the
  computation names the conflicting figure and its source;
* ``calibrated`` — the only data behind it is a simulated stand-in built to hit it (listed in a
  ``CALIBRATION.csv``): it proves nothing and never counts as reproduced;
* ``stated_only`` — nothing to check it against.

The rules are data, not a chain of ifs per figure id: :data:`RELATIONS` (published figures
implying others), :data:`EVALUATION_CHECKS` (statements about the provincial evaluation, checked
against the published class lists) and :data:`TABLE_CHECKS` (a figure recomputed from a processed
table, real or simulated). They find their figures by ``indicator_zh`` and period, so next year's
figures file in the same format is checked by the same rules. When several pieces of evidence
bear on one figure, :data:`PRECEDENCE` decides: a contradiction is always shown, real data beats
published consistency, and both beat a stand-in.

Tolerance: a stated value stands for an interval of half a unit of its last published digit
(``6.02`` -> [6.015, 6.025]); counts of things (家, 件, 人 ...) are exact; the intervals are
propagated through the arithmetic (:class:`Interval`), and a check passes when the recomputed
interval meets the stated one.

Modules: :mod:`.intervals` (rounding), :mod:`.stated` (the figures as printed),
:mod:`.evidence` (statuses and precedence), :mod:`.relations`, :mod:`.evaluation`,
:mod:`.table_checks`, :mod:`.calibration` (the three kinds of rule and the stand-ins) and
:mod:`.register` (all rules on all figures). This module re-exports what notebook 04, the
indicators and the tests call.
"""

from __future__ import annotations

from analysis.claims.calibration import (
    CALIBRATION_COLUMNS,
    CALIBRATION_NAME,
    calibration_evidence,
    read_calibrations,
    simulated_files,
)
from analysis.claims.evaluation import (
    EVALUATION_CHECKS,
    city_position,
    class_streak_evidence,
    ordinal,
    referenced_round,
)
from analysis.claims.evidence import (
    BASES,
    PRECEDENCE,
    STATUSES,
    Context,
    Evidence,
    decide_status,
)
from analysis.claims.intervals import (
    Interval,
    half_unit,
    published_interval,
)
from analysis.claims.register import (
    REGISTER_COLUMNS,
    build_claims,
    claims_register,
    collect_evidence,
    empty_register,
    not_reproduced,
    status_counts,
)
from analysis.claims.relations import (
    RELATIONS,
    Relation,
    relation_evidence,
)
from analysis.claims.stated import (
    COUNT_UNITS,
    is_exact_count,
    period_year,
    read_figures,
)
from analysis.claims.table_checks import (
    TABLE_CHECKS,
    TableCheck,
    industry_view,
    table_evidence,
)

__all__ = [
    "BASES",
    "CALIBRATION_COLUMNS",
    "CALIBRATION_NAME",
    "COUNT_UNITS",
    "EVALUATION_CHECKS",
    "PRECEDENCE",
    "REGISTER_COLUMNS",
    "RELATIONS",
    "STATUSES",
    "TABLE_CHECKS",
    "Context",
    "Evidence",
    "Interval",
    "Relation",
    "TableCheck",
    "build_claims",
    "calibration_evidence",
    "city_position",
    "claims_register",
    "class_streak_evidence",
    "collect_evidence",
    "decide_status",
    "empty_register",
    "half_unit",
    "industry_view",
    "is_exact_count",
    "not_reproduced",
    "ordinal",
    "period_year",
    "published_interval",
    "read_calibrations",
    "read_figures",
    "referenced_round",
    "relation_evidence",
    "simulated_files",
    "status_counts",
    "table_evidence",
]
