# Sauda: `make run` starts the assistant with a demo store; `make test` runs the suite.
# Both set up whatever is missing first (two pinned Python environments, Debian packages,
# a trained model), so they work on a fresh clone.

PYTHON ?= python3.11
RASA_VENV := .venv/rasa
APP_VENV := .venv/app
export RASA_TELEMETRY_ENABLED := false
export PYTHONPATH := $(CURDIR)

.PHONY: run serve audit test test-fast test-stack test-browser lint setup model validate bench clean help

help:
	@echo "make run    - set up what is missing, then start Rasa, the app server and the WhatsApp simulator"
	@echo "make serve  - production: Rasa (WhatsApp only), the app server and the worker; refuses development secrets"
	@echo "make test   - set up what is missing, then run the whole suite (pytest, data validation, test stories)"
	@echo "make test-fast - the unit tier only (no processes, no model training)"
	@echo "make lint   - ruff (lint, import order) and mypy; make test runs it first"
	@echo "make audit  - crafted requests at every endpoint of a fresh stack; prints what was wrongly accepted or failed"
	@echo "make bench  - benchmarks; prints tables and writes bench/out/"

setup: $(RASA_VENV)/.installed $(APP_VENV)/.installed

# rasa 3.6.21 declares Requires-Python <3.11; it runs on 3.11 with the pins in the lock
# file, installed without dependency resolution (see README.md, "Two Python environments").
$(RASA_VENV)/.installed: requirements/rasa.lock
	@test -x $(RASA_VENV)/bin/python || $(PYTHON) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q pip==24.3.1
	$(RASA_VENV)/bin/pip install -q --no-deps --ignore-requires-python -r requirements/rasa.lock
	@touch $@

$(APP_VENV)/.installed: requirements/app.lock
	@test -x $(APP_VENV)/bin/python || $(PYTHON) -m venv $(APP_VENV)
	$(APP_VENV)/bin/pip install -q pip==24.3.1
	$(APP_VENV)/bin/pip install -q -r requirements/app.lock
	@touch $@

# Debian's chromium drives the browser tests (never `playwright install`: no downloads).
/usr/bin/chromium:
	apt-get update -qq && apt-get install -y -qq chromium >/dev/null

model: setup
	@scripts/model.sh

run: setup
	@scripts/run.sh

validate: setup
	$(APP_VENV)/bin/python scripts/validate_data.py

# Production (README "Deploying"): settings from the environment or .env, never generated.
serve: setup
	@scripts/serve.sh

lint: setup
	$(APP_VENV)/bin/ruff check .
	$(APP_VENV)/bin/mypy

test: setup /usr/bin/chromium lint
	@scripts/model.sh >/dev/null
	$(APP_VENV)/bin/python scripts/validate_data.py
	SAUDA_PROPERTY_CASES=2000 $(APP_VENV)/bin/python -m pytest -q tests

# The tiers (markers set in tests/conftest.py): unit = no processes; stack = the real processes;
# browser = headless Chromium. tests/knowledge/ holds unit and stack tests side by side.
UNIT_TESTS := tests/unit tests/knowledge -m "not stack and not browser"

test-fast: setup
	$(APP_VENV)/bin/python -m pytest -q $(UNIT_TESTS)

test-stack: setup
	@scripts/model.sh >/dev/null
	$(APP_VENV)/bin/python -m pytest -q tests -m stack

test-browser: setup /usr/bin/chromium
	$(APP_VENV)/bin/python -m pytest -q tests -m browser

audit: setup
	@scripts/model.sh >/dev/null
	$(APP_VENV)/bin/python -m bench audit

bench: setup
	@scripts/model.sh >/dev/null
	$(APP_VENV)/bin/python -m bench

clean:
	rm -rf .venv models .sauda results
