"""Evidence about a figure and the status it earns; what the checks may read (:class:`Context`).

A status is decided from all the evidence on a figure by :data:`PRECEDENCE`: a contradiction is
always shown, real data beats published consistency, and both beat a stand-in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

STATUSES = ("reproduced", "consistent", "contradicted", "calibrated", "stated_only")
# strongest first: a conflict must never be hidden by agreeing evidence
PRECEDENCE = ("contradicted", "reproduced", "consistent", "calibrated")
BASES = ("real", "published", "simulated", "note")


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence about one figure.

    ``basis``: ``real`` (recomputed from real data), ``published`` (implied by other published
    figures), ``simulated`` (a stand-in), ``note`` (context only: no status). ``agrees`` is
    None for a note.
    """

    figure_id: str
    basis: str
    agrees: bool | None
    recomputed: float | None
    computation: str
    sources: str = ""

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise ValueError(f"basis {self.basis!r} not in {BASES}")
        if (self.agrees is None) != (self.basis == "note"):
            raise ValueError("a note carries no verdict; every other basis does")

    @property
    def status(self) -> str | None:
        """The status this evidence alone would give (None for a note)."""
        if self.basis == "note":
            return None
        if self.basis == "simulated":
            return "calibrated"  # agreeing or not, a stand-in proves nothing
        if not self.agrees:
            return "contradicted"
        return "reproduced" if self.basis == "real" else "consistent"


def decide_status(evidence: Sequence[Evidence]) -> str:
    """The strongest status among the evidence (:data:`PRECEDENCE`), else ``stated_only``."""
    found = {e.status for e in evidence}
    return next((s for s in PRECEDENCE if s in found), "stated_only")


@dataclass(frozen=True)
class Context:
    """What the checks may read: the figures, the county's census row, the evaluation tables."""

    figures: pd.DataFrame
    county_code: str
    city: str
    census: Mapping[str, float] = field(default_factory=dict)
    classes: pd.DataFrame | None = None
    rounds: pd.DataFrame | None = None
    figures_source: str = ""
    census_source: str = "census 2020 (data/raw/census/hebei_census2020_county.csv)"
