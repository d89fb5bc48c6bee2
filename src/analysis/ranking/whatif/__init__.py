"""Indicator layer: what would move the county's score and rank (methods.md §3.3-§3.6).

Two modes, by what a county really holds:

* own_report - its own evaluation report (17 indicators: value, points, maximum) plus the
  published lists (class counts, mean). The other counties' scores are unknown; their
  distribution is fitted to the published shares and mean and projected one round forward
  (:mod:`.own_report`, :mod:`.distributions`).
* full_table - every unit's indicator values and scores (as in the simulated stand-in). The
  composite is reconstructed (normalisation read from the values, weights by NNLS), and the
  other units' scores are known and projected forward by the mean's yearly gain
  (:mod:`.matrices`, :mod:`.reconstruction`, :mod:`.full_table`, :mod:`.drivers`,
  :mod:`.gap`, :mod:`.montecarlo`).

Rank after improvement (§3.6d): r' = 1 + #{j != i : S^_j > S_i + dS_i/dx * delta}; the others'
scores S^_j are projected to the next round, the county's own score stands still
(:mod:`.arithmetic`). :func:`.layer.whatif_layer` chooses the modes a run's tables allow.
"""
