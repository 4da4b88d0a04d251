# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export REVIEWTOOL_ENV ?= development
export DATABASE_URL ?= sqlite:///$(CURDIR)/instance/reviewtool.sqlite3

.PHONY: run test install install-dev lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

## make run: install, migrate, load demo data, serve on http://127.0.0.1:5000
run: install
	@mkdir -p instance
	$(BIN)/reviewtool db upgrade
	$(BIN)/reviewtool demo
	@echo "Sign in at http://$(HOST):$(PORT)/login as ada@safetycommons.example / demo-password"
	$(BIN)/reviewtool serve --host $(HOST) --port $(PORT)

## make test: install with test tools, lint (ruff, import layers), run every test (PostgreSQL and browser when present)
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/audit_deps.py
	$(BIN)/python scripts/run_tests.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## make bench: in process at N = 100 and 10,000 (run.py keeps the 10,000 database), then served;
## then the same on PostgreSQL when it answers on 127.0.0.1:5432
bench: install-dev
	$(BIN)/python bench/run.py --keep instance
	$(BIN)/python bench/serve.py --projects 10000 --data-dir instance
	$(BIN)/python bench/on_postgresql.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis
