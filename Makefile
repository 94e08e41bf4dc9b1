# Two commands do all the setup: `make demo` runs the main job, `make test` every test.
# Both install what they need from the locked requirements into .venv first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
START_DATE ?= 2021-10-01
END_DATE ?= 2024-05-01

.PHONY: demo test lint dbt-build-ci install emulator lock clean

# Every package at its locked version and hash, then the project itself (editable,
# with the console scripts nba-backfill and nba-demo-data), built by the locked
# setuptools.
PIP_INSTALL := python -m pip install --quiet --disable-pip-version-check
$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/$(PIP_INSTALL) --require-hashes -r requirements.lock
	$(BIN)/$(PIP_INSTALL) --no-deps --no-build-isolation --editable .
	$(BIN)/python -m pip check
	touch $(INSTALLED)

install: $(INSTALLED) profiles.yml

# The BigQuery API emulator, in its own venv: it pins a duckdb of its own. The venv
# gets no pip of its own (whichever the Python ships): .venv's locked pip installs
# the emulator's lock into it, so it holds exactly that lock.
EMULATOR_VENV := .venv-emulator
EMULATOR_INSTALLED := $(EMULATOR_VENV)/.installed

$(EMULATOR_INSTALLED): requirements-emulator.lock | $(INSTALLED)
	$(PYTHON) -m venv --without-pip $(EMULATOR_VENV)
	$(BIN)/python -m pip --python $(EMULATOR_VENV)/bin/python install --quiet \
		--disable-pip-version-check --require-hashes -r requirements-emulator.lock
	touch $(EMULATOR_INSTALLED)

emulator: $(EMULATOR_INSTALLED)

# Recompile both locks from their inputs (pyproject.toml, requirements-emulator.in)
# (README.md, "Locked dependencies"). Every current pin the inputs still allow is
# kept and only what changed is resolved anew; `make lock UPGRADE=1` moves every
# package to the newest version the inputs allow. Needs the package registry.
PIP_COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras \
	--no-emit-find-links --no-emit-index-url $(if $(UPGRADE),--upgrade)
lock: install
	$(PIP_COMPILE) --extra dev --extra bigquery --build-deps-for editable \
		--output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --output-file requirements-emulator.lock requirements-emulator.in

profiles.yml: | profiles.yml.example
	cp profiles.yml.example profiles.yml

# Demo raw data for the whole window, then the backfill with its gates and report.
demo: install
	$(BIN)/nba-demo-data --db data/nba.duckdb
	$(BIN)/nba-backfill --start-date $(START_DATE) --end-date $(END_DATE)

# ruff, sqlfluff, check-yaml, whitespace and dbt parse, exactly as the git hook runs them.
lint: install
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

# The whole demo window built and tested by plain dbt, the docs generated, and every
# model, column, source, test and macro checked for a description.
CI_DIR := target/ci
dbt-build-ci: install
	$(BIN)/nba-demo-data --db $(CI_DIR)/nba.duckdb
	NBA_DUCKDB_PATH=$(CI_DIR)/nba.duckdb $(BIN)/dbt build --full-refresh --target-path $(CI_DIR)
	NBA_DUCKDB_PATH=$(CI_DIR)/nba.duckdb $(BIN)/dbt docs generate --target-path $(CI_DIR)
	$(BIN)/python scripts/check_dbt_docs_coverage.py \
		--manifest $(CI_DIR)/manifest.json --catalog $(CI_DIR)/catalog.json

# pytest on two workers; the BigQuery emulator suite stays on one of them (its
# tests share one emulator and one build: tests/python/conftest.py).
PYTEST_WORKERS ?= 2
test: lint emulator dbt-build-ci
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

clean:
	rm -rf target logs data reports .backfill
