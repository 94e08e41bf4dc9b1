# Two commands do all the setup: `make demo` runs the main job, `make test` every test.
# Both install what they need from the pinned requirements into .venv first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
START_DATE ?= 2021-10-01
END_DATE ?= 2024-05-01

.PHONY: demo test lint install emulator clean

$(INSTALLED): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(INSTALLED)

install: $(INSTALLED) profiles.yml

# The BigQuery API emulator, in its own venv: it pins a duckdb of its own.
EMULATOR_VENV := .venv-emulator
EMULATOR_INSTALLED := $(EMULATOR_VENV)/.installed

$(EMULATOR_INSTALLED): requirements-emulator.txt
	$(PYTHON) -m venv $(EMULATOR_VENV)
	$(EMULATOR_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		-r requirements-emulator.txt
	touch $(EMULATOR_INSTALLED)

emulator: $(EMULATOR_INSTALLED)

profiles.yml: | profiles.yml.example
	cp profiles.yml.example profiles.yml

# Demo raw data for the whole window, then the backfill with its gates and report.
demo: install
	$(BIN)/python scripts/generate_raw_data.py --db data/nba.duckdb
	$(BIN)/dbt build --full-refresh --vars '{start_date: $(START_DATE), end_date: $(END_DATE)}'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint emulator
	$(BIN)/python -m pytest

clean:
	rm -rf target logs data reports .backfill
