# The project's commands. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help demo test lint typecheck unit check data docs bench clean

help:  ## list the commands
	@grep -E '^[a-z]+:.*## ' Makefile | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## set up, then compare the options of the bundled US customer-service example
	$(BIN)/sourcewise decide examples/us-customer-service.yaml

test: $(STAMP) lint typecheck  ## set up, then run lint, type checks and the whole test suite
	$(BIN)/python -m pytest

unit: $(STAMP)  ## the fast unit tests only
	$(BIN)/python -m pytest tests/unit -q

lint: $(STAMP)  ## ruff on sources and tests
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)  ## mypy --strict on src
	$(BIN)/mypy src

data: $(STAMP)  ## rebuild the packaged data: countries (GeoNames, CLDR) and indicators (data/raw)
	$(BIN)/python -m sourcewise.data.build_geography
	$(BIN)/sourcewise data build

docs: $(STAMP)  ## regenerate docs/cli.md and docs/scenario.md from the code
	$(BIN)/python -m sourcewise.docs_gen

bench: $(STAMP)  ## run the benchmarks (figures and ratios against baselines in the same run)
	$(BIN)/python bench/simulate.py
	$(BIN)/python bench/mcda.py
	$(BIN)/python bench/ingest.py

clean:  ## remove the environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
