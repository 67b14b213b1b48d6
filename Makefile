# One entry point for people and CI. `make help` lists the targets.
SHELL := /bin/bash
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS ?= never

.PHONY: help setup run test lint eval nlueval train peers clean bench

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: ## install what is missing (uv, Python 3.10 venv, locked dependencies)
	@scripts/setup.sh

run: setup ## start Rasa, action server and gateway (terminal chat without TELEGRAM_BOT_TOKEN)
	@$(PY) -m bot run

# With TEST_DATABASE_URL set (CI: scripts/test-postgres.sh), these run again on PostgreSQL.
PG_TESTS := tests/test_gateway.py tests/test_telegram_intake.py tests/test_plan.py tests/test_e2e.py \
	tests/test_console.py

test: setup lint ## lint, Rasa data validation, unit, story and end-to-end tests (+ PostgreSQL pass)
	@# Train both models first: the crisis model takes minutes, longer than a test's timeout.
	@$(PY) -m bot train
	@env -u TEST_DATABASE_URL $(PY) -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL: $(PG_TESTS)"; $(PY) -m pytest $(PG_TESTS); fi

lint: setup ## ruff check and format check, the import layers (import-linter), no import cycles
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check .
	@.venv/bin/lint-imports --no-cache
	@$(PY) scripts/import_graph.py

eval: setup ## crisis detector, directory search, then 5-fold NLU cross-validation (slow)
	@$(PY) -m bot eval; crisis=$$?; $(PY) -m bot eval --nlu; nlu=$$?; exit $$((crisis || nlu))

nlueval: setup ## only the 5-fold cross-validated NLU report (trains DIET 5 times)
	@$(PY) -m bot eval --nlu

bench: setup ## load benchmark vs plain Rasa, then the replica check (BENCH_QUICK=1: short)
	@$(PY) -m bench $(BENCH_ARGS)
	@if [ "$$BENCH_QUICK" != 1 ]; then $(PY) -m bench --replicas 2; fi

train: setup ## train the Rasa model if its training data changed
	@$(PY) -m bot train

clean: ## remove local state (database, logs, models, venv)
	rm -rf var models .venv .pytest_cache .ruff_cache
