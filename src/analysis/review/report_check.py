"""Section 6 of the summary: the work report's figures as 04_sti_indicators checked them.

The statuses are the claims register's (:data:`analysis.claims.STATUSES`); here they are only
counted and listed, in the run's language.
"""

from __future__ import annotations

import pandas as pd

from analysis.claims import REGISTER_COLUMNS, STATUSES
from analysis.figures.labels import t

# the register without its long texts (how each figure was recomputed, from which sources)
CLAIM_LIST_COLUMNS = [c for c in REGISTER_COLUMNS if c not in ("computation", "sources")]


def claim_counts(claims: pd.DataFrame | None, lang: str) -> pd.DataFrame:
    """Figures of the work report by status (every status listed, zeros included)."""
    counts = (
        claims["status"].value_counts() if claims is not None else pd.Series(dtype=int)
    ).reindex(list(STATUSES), fill_value=0)
    return pd.DataFrame(
        {
            "status": list(STATUSES),
            "label": [t(f"status_{s}", lang) for s in STATUSES],
            "count": counts.astype(int).tolist(),
        }
    )


def claims_list(claims: pd.DataFrame | None) -> pd.DataFrame:
    """Every figure with its status and recomputed value (empty when there is no register)."""
    if claims is None:
        return pd.DataFrame(columns=CLAIM_LIST_COLUMNS)
    return claims[CLAIM_LIST_COLUMNS].reset_index(drop=True)
