# Two commands for a fresh clone: `make demo` (run kith on a demo garden) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := sqlite:///$(CURDIR)/demo.db

.PHONY: install demo test lint typecheck pytest bench clean

$(BIN)/kith: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(BIN)/kith

install: $(BIN)/kith

demo: install
	rm -f demo.db demo.db-wal demo.db-shm
	KITH_DATABASE_URL=$(DEMO_DB) $(BIN)/kith demo
	KITH_DATABASE_URL=$(DEMO_DB) $(BIN)/kith list
	@echo "Explore it: export KITH_DATABASE_URL=$(DEMO_DB); . $(BIN)/activate; kith show Maya"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports  # the layer contracts in pyproject.toml

typecheck: install
	$(BIN)/mypy

# axe-core for the accessibility checks in Chromium, from the npm registry (pinned in its lock).
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/axe/package.json tests/e2e/axe/package-lock.json
	npm ci --prefix tests/e2e/axe --no-audit --no-fund --silent
	touch $(AXE)

pytest: install $(AXE)
	$(BIN)/pytest

test: lint typecheck pytest

bench: install
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache .mypy_cache .ruff_cache
