# Every target is a thin wrapper over `python -m analysis <command>` (see README: the same
# commands work on Windows without make). The environment is created on first use.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.analysis-env.sha256
PARAMS ?=
JOBS   ?= 2

.DEFAULT_GOAL := help
.PHONY: help setup report status figures shots test test-fast lint hooks lab clean lock

help:  ## show this help
	@echo "Targets (each runs: .venv/bin/python -m analysis <target>):"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'
	@echo "Options: PARAMS=params/x.yaml (report), JOBS=2, FORCE=1 (report: rebuild all)"
	@echo "         BENCH_ARGS='--repetitions 1 --skip setup' (bench; see README Performance)"

$(STAMP): requirements.lock pyproject.toml
	PYTHONPATH=src $(PYTHON) -m analysis setup

# A .venv copied or moved from another folder (cp -a project project-2023) still runs that
# folder's code: whenever .venv does not name this folder as its own, setup runs and repairs it.
ifneq ($(strip $(shell cat $(VENV)/.analysis-root 2>/dev/null)),$(realpath .))
.PHONY: $(STAMP)
endif

setup: $(STAMP)  ## create .venv from requirements.lock, install the package, register the kernel

report: $(STAMP)  ## run every notebook on the bundled data and render the reports
	$(PY) -m analysis report $(if $(PARAMS),--params $(PARAMS)) --jobs $(JOBS) $(if $(FORCE),--force)

status: $(STAMP)  ## what `make report` would run and why, without running anything
	$(PY) -m analysis status $(if $(PARAMS),--params $(PARAMS))

figures: $(STAMP)  ## collect figures + captions into figures/annual_review/ (also run by report)
	$(PY) -m analysis figures $(if $(PARAMS),--params $(PARAMS))

shots: $(STAMP)  ## screenshots of the leadership pages (375/1280 px) and PDF into reports/shots/
	$(PY) -m analysis shots $(if $(PARAMS),--params $(PARAMS))

test: $(STAMP)  ## ruff, unit tests, and every notebook executed in a temporary copy
	$(PY) -m analysis test --jobs $(JOBS)

test-fast: $(STAMP)  ## ruff and the tests that run no notebook, no build, no slow fit (< 1 min)
	$(PY) -m analysis test --fast --jobs $(JOBS)

lint: $(STAMP)  ## ruff (code and notebooks), mypy, notebooks stored clean
	$(PY) -m analysis lint

hooks: $(STAMP)  ## check each commit (ruff, clean notebooks, no large file): .githooks/pre-commit
	git config core.hooksPath .githooks
	@echo "hooks installed: every commit runs \`python -m analysis hygiene pre-commit\`"

lab: $(STAMP)  ## start JupyterLab with the project kernel
	$(PY) -m analysis lab

clean:  ## remove build outputs (data/processed, figures, reports, runs); inputs are never touched
	PYTHONPATH=src $(PYTHON) -m analysis clean

lock: $(STAMP)  ## re-pin requirements.lock and environment.yml from .venv
	$(PY) -m analysis lock

.PHONY: bench
BENCH_ARGS ?=
bench: $(STAMP)  ## benchmarks: bench/results.md and bench/results.json (see README Performance)
	$(PY) -m analysis bench $(BENCH_ARGS)
