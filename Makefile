# reassess: the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
DATA_DIR := $(if $(REASSESS_DATA_DIR),$(REASSESS_DATA_DIR),data)
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo)

.PHONY: run test lint format bench bench-quick demo deps dev-deps browser node-deps clean-data help

help:
	@echo "make run    - create .venv, install, build the synthetic demo data if there is none, serve the app"
	@echo "make test   - install what the tests need (Debian's chromium included), lint, run every test"
	@echo "make lint   - ruff check, ruff format check, mypy (configured in pyproject.toml)"
	@echo "make bench  - benchmarks at 1x, 10x and 100x scale; writes docs/benchmarks.md"

$(VENV)/.deps: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-deps: $(VENV)/.deps requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

# Debian's chromium drives the real-browser tests (Playwright never downloads a browser here).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium fonts-dejavu-core; \
	fi

# The browser tests' npm packages: a real OpenID Connect provider (oidc-provider) for the sign-in
# test, and axe-core for the accessibility test. Both come from the npm registry, locked.
node-deps:
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q nodejs npm; }
	@test -f tests/e2e/oidc/node_modules/oidc-provider/package.json || \
		npm ci --prefix tests/e2e/oidc --no-audit --no-fund --loglevel=error
	@test -f tests/e2e/axe/node_modules/axe-core/axe.min.js || \
		npm ci --prefix tests/e2e/axe --no-audit --no-fund --loglevel=error

demo: deps
	@if ! ls $(DATA_DIR)/snapshots/*.duckdb >/dev/null 2>&1; then \
		echo "No snapshots in $(DATA_DIR)/snapshots: building the synthetic demo programme..."; \
		$(PY) -m reassess demo; \
	fi

run: deps demo
	$(PY) -m reassess.ui.serve --server.headless true --server.port $(PORT) \
		--browser.gatherUsageStats false

# First lint (ruff and mypy), then the benchmark regression guard (1x; fails when a page is
# over 3x its recorded median), then unit, AppTest and hardening tests on both cores; the
# real-browser tests (pages, sign-in, ten-user load) run last on their own, so the load test
# measures a quiet machine.
test: dev-deps lint browser node-deps
	$(PY) -m bench --quick
	$(PY) -m pytest -n 2 -q -m "not browser"
	$(PY) -m pytest -q -m browser

lint: dev-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: dev-deps
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: dev-deps
	$(PY) -m bench

bench-quick: dev-deps
	$(PY) -m bench --quick

clean-data:
	rm -rf data/snapshots data/extracts
