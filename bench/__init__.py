"""Benchmarks of the report build (``make bench``): cold build against plain nbconvert, no-op and
one-notebook rebuilds, per-notebook cost, scale in counties, fresh set-up.

Kept outside ``src/analysis`` on purpose: the runner's staleness digest covers that package, so
editing the benchmarks never invalidates a report build. ``core`` holds the pure helpers (tested
in ``tests/test_bench.py``), ``measure`` how one command is timed, ``notebooks`` the per-notebook
cost, ``scale`` the runs over many counties, ``peers`` ploomber in its own environment,
``environment`` the fresh set-up, ``report_md`` the results page, and ``run`` the cold, no-op and
edited builds and the command line.
"""
