"""Seeded, calibrated stand-ins for the inputs that are not public.

* :mod:`analysis.simulate.output` — the statistics bureau's monthly tables of above-scale
  industry (county total and a key-enterprise group);
* :mod:`analysis.simulate.evaluation` — the provincial evaluation's per-county indicator values,
  points and scores.

Each writes files in the documented input format under ``data/internal/simulated/`` together
with a ``CALIBRATION.csv`` (file, target_figure_id, target_value, achieved_value) that records
which published figures the stand-in was built to hit: a figure matched by a stand-in proves
nothing and is never counted as reproduced.
"""
