# The project's commands. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements/lock.txt

.DEFAULT_GOAL := help
.PHONY: help demo test lint typecheck unit check data docs docs-output screenshots bench clean lock upgrade

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' Makefile | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# Exactly the locked versions, each checked against its hash; --no-deps because the lock is
# complete, and the project itself builds with the locked setuptools (no build isolation).
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

# The commands that change what is installed. `make lock` resolves pyproject.toml again keeping
# every pin it can (run it after adding or changing a requirement); `make upgrade` moves every
# package to the newest version pyproject.toml allows. Both resolve for every platform and Python
# the project supports. Commit the lock with the data it regenerates (`make data`).
LOCK_ARGS := pyproject.toml requirements/build.in --extra dev --extra dask --extra notebook \
  --universal --python-version 3.11 --generate-hashes --quiet -o $(LOCK)

lock: $(STAMP)  ## resolve requirements/lock.txt after a change to pyproject.toml (keeps other pins)
	$(BIN)/uv pip compile $(LOCK_ARGS)

upgrade: $(STAMP)  ## resolve requirements/lock.txt again with the newest versions allowed
	$(BIN)/uv pip compile $(LOCK_ARGS) --upgrade

GOV      := examples/governance
DEMO_DB  := sqlite:///$(CURDIR)/.demo/governance.db
ENGAGED  := Customer service Monterrey
# The demo's approver signs in nowhere; a password is still required to create the account.
DEMO_PASSWORD := demo approver password

demo: $(STAMP)  ## set up, compare the options of the US customer-service example, then govern the one the board chose
	$(BIN)/sourcewise decide examples/us-customer-service.yaml
	@echo; echo "=== Governing the arrangement the board chose: the Monterrey vendor, not the tool's pick ==="
	@echo "(it gave up part of the saving for bilingual agents on US hours; see examples/governance/engagement.yaml)"
	@echo "(a fresh demo database in .demo/)"
	rm -rf .demo
	$(BIN)/sourcewise db upgrade --db $(DEMO_DB)
	$(BIN)/sourcewise engagement add $(GOV)/engagement.yaml --db $(DEMO_DB)
	$(BIN)/sourcewise kpi ingest $(GOV)/measurements.csv --db $(DEMO_DB)
	$(BIN)/sourcewise costs add $(GOV)/costs.csv --db $(DEMO_DB)
	$(BIN)/sourcewise audit add $(GOV)/audits.yaml --db $(DEMO_DB)
	$(BIN)/sourcewise survey add $(GOV)/surveys.yaml --db $(DEMO_DB)
	$(BIN)/sourcewise meeting add $(GOV)/meetings.yaml --db $(DEMO_DB)
	$(BIN)/sourcewise pilot add $(GOV)/pilot.yaml --db $(DEMO_DB)
	$(BIN)/sourcewise risk add $(GOV)/risks.yaml --db $(DEMO_DB)
	$(BIN)/sourcewise pilot evaluate -e "$(ENGAGED)" --db $(DEMO_DB)
	$(BIN)/sourcewise sla report -e "$(ENGAGED)" --month 2026-10 --db $(DEMO_DB)
	$(BIN)/sourcewise monitor -e "$(ENGAGED)" --kpi first_contact_resolution --db $(DEMO_DB)
	$(BIN)/sourcewise scorecard --provider "Monterrey bilingual BPO" --month 2026-11 --months 6 --db $(DEMO_DB)
	$(BIN)/sourcewise remedies -e "$(ENGAGED)" --month 2026-11 --db $(DEMO_DB)
	$(BIN)/sourcewise risk evaluate --as-of 2026-11-25 --db $(DEMO_DB)
	@echo; echo "=== The business case kept in the workspace: saved, run, proposed, approved by another person, governing the engagement ==="
	$(BIN)/sourcewise scenario save examples/us-customer-service.yaml --note "as received" --db $(DEMO_DB)
	$(BIN)/sourcewise run start us-customer-service --draws 2000 --db $(DEMO_DB)
	SOURCEWISE_ACTOR=ana $(BIN)/sourcewise run propose 1 --note "Monterrey nearshore, for the board" --db $(DEMO_DB)
	SOURCEWISE_PASSWORD="$(DEMO_PASSWORD)" $(BIN)/sourcewise user add cfo --role viewer --approver --db $(DEMO_DB)
	SOURCEWISE_ACTOR=cfo $(BIN)/sourcewise run approve 1 --comment "Approved by the board" --db $(DEMO_DB)
	$(BIN)/sourcewise engagement link "$(ENGAGED)" --run 1 --db $(DEMO_DB)
	$(BIN)/sourcewise benefits -e "$(ENGAGED)" --db $(DEMO_DB)

test: $(STAMP) lint typecheck  ## set up, then run lint, type checks and the whole test suite
	$(BIN)/python -m pytest

# schemathesis's pytest plugin serves tests/reliability only, and costs seconds to start.
unit: $(STAMP)  ## the fast unit tests only: tests/unit without the slow and property ones (make test runs them)
	$(BIN)/python -m pytest tests/unit -q -m "not slow and not property" -p no:schemathesis

lint: $(STAMP)  ## ruff on sources and tests, and the layers' import contracts
	$(BIN)/ruff check --no-cache src tests
	$(BIN)/ruff format --no-cache --check src tests
	$(BIN)/lint-imports --no-logo

typecheck: $(STAMP)  ## mypy --strict on src
	$(BIN)/mypy src

data: $(STAMP)  ## rebuild the packaged data: countries (GeoNames, CLDR) and indicators (data/raw)
	$(BIN)/python -m sourcewise.data.build_geography
	$(BIN)/sourcewise data build

docs: $(STAMP)  ## regenerate docs/cli.md, docs/scenario.md, the JSON key tables and docs/openapi.json from the code
	$(BIN)/python -m sourcewise.docs_gen

# The docs test runs every shell block of README.md and docs/*.md (docs/CONTRIBUTING.md); this
# writes what each console block's commands print now into the docs, after a change that alters it.
docs-output: $(STAMP)  ## run the docs' shell blocks and write their commands' output into the docs
	SOURCEWISE_DOCS_REWRITE=1 $(BIN)/python -m pytest tests/integration/test_docs_commands.py -q -p no:schemathesis -k every_shell_block

# Each image's fingerprint (what the page showed) goes into docs/screenshots.json; the browser
# tests then fail when a page changes without its image (tests/e2e/screenshots.py).
screenshots: $(STAMP)  ## drive the web app in chromium and save every image of docs/ (and its fingerprint)
	SOURCEWISE_SCREENSHOTS=$(CURDIR)/docs $(BIN)/python -m pytest tests/e2e -q

# Every script adds its figures to one JSON file; report.py then rewrites the table of targets
# in docs/performance.md from it.
BENCH_JSON = out/bench-results.json

bench: $(STAMP)  ## run the benchmarks (figures and ratios against baselines in the same run)
	$(BIN)/python bench/report.py --begin $(BENCH_JSON)
	$(BIN)/python bench/simulate.py --json $(BENCH_JSON)
	$(BIN)/python bench/screening.py --json $(BENCH_JSON)
	$(BIN)/python bench/mcda.py --json $(BENCH_JSON)
	$(BIN)/python bench/ingest.py --json $(BENCH_JSON)
	$(BIN)/python bench/web.py --json $(BENCH_JSON)
	$(BIN)/python bench/jobs.py --json $(BENCH_JSON)
	$(BIN)/python bench/cli.py --json $(BENCH_JSON)
	$(BIN)/python bench/voi.py --json $(BENCH_JSON)
	$(BIN)/python bench/growth.py --json $(BENCH_JSON)
	$(BIN)/python bench/report.py $(BENCH_JSON)

clean:  ## remove the environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .demo
