# Clearsight: `make demo` to run it, `make test` to check it. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONDONTWRITEBYTECODE := 1
export CLEARSIGHT_MODE ?= demo

.PHONY: help setup demo serve test lint typecheck pytest bench db stop-db demo-codes frontend clean lock

help:
	@echo "make demo        set everything up, load the demo area and serve on http://127.0.0.1:8000"
	@echo "make test        set everything up, then lint, type-check and run the whole test suite"
	@echo "make demo-codes  print the demo users' current authenticator codes"
	@echo "make stop-db     stop the embedded PostgreSQL server"
	@echo "make bench       load SCALE=area|national (once), run the benchmarks, rewrite docs/benchmarks.md"

# --- Set-up (each step is skipped when its inputs have not changed) -------------------

$(VENV)/.installed: requirements.lock pyproject.toml setup.py src/clearsight/intel/_pathfind.c
	@scripts/ensure-system-libs
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

FRONTEND_SOURCES := $(shell find frontend/scss frontend/js -type f 2>/dev/null) frontend/build.mjs

frontend/dist/.built: node_modules/.installed $(FRONTEND_SOURCES)
	npm run --silent build
	@touch $@

var/static/.collected: frontend/dist/.built $(VENV)/.installed
	$(PY) -m clearsight collectstatic --noinput --clear --verbosity 0
	@touch $@

frontend: var/static/.collected

setup: $(VENV)/.installed var/static/.collected db

db: $(VENV)/.installed
	@$(PY) -m clearsight.embedded_db start

stop-db:
	@$(PY) -m clearsight.embedded_db stop

# --- Running --------------------------------------------------------------------------

demo: setup
	$(PY) -m clearsight migrate --noinput --verbosity 0
	$(PY) -m clearsight load_demo
	$(PY) -m clearsight synth --scale demo --seed 1
	@echo "Serving Clearsight on http://127.0.0.1:8000 with a background worker (Ctrl+C stops both; 'make stop-db' stops the database)"
	@scripts/run-demo

serve: setup
	@scripts/run-demo

demo-codes: $(VENV)/.installed
	@$(PY) -m clearsight demo_codes

# --- Checking -------------------------------------------------------------------------

test: setup lint typecheck pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy src

pytest: setup
	@scripts/ensure-chromium
	$(PY) -m clearsight makemigrations --check --dry-run --verbosity 0
	$(VENV)/bin/pytest

# The scale is loaded (once) into its own database, clearsight_bench_$(SCALE), on the same
# server; BENCH_DATABASE_URL names another. BENCH_LOAD_SECONDS sets the load test's length;
# BENCH_ONLY=load,screening runs only those bench/bench_*.py modules.
SCALE ?= area
BENCH_ONLY ?=
bench: setup
	$(PY) -m bench --scale $(SCALE) $(if $(BENCH_ONLY),--only $(BENCH_ONLY))

# --- Maintenance ----------------------------------------------------------------------

# Extras stay in the lock (fonttools[woff]==...): with them stripped, pip 23 in
# hash-checking mode resolved weasyprint's fonttools[woff] to the newest release, not the
# locked one, and refused to install once a newer fonttools came out.
lock: $(VENV)/.installed
	$(VENV)/bin/pip-compile --quiet --generate-hashes --extra dev --no-strip-extras -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) node_modules frontend/dist var/static
