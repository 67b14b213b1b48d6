# One entry point for people and CI. `make help` lists the targets.
SHELL := /bin/bash
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS ?= never

.PHONY: help setup run test lint eval nlueval train peers clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: ## install what is missing (uv, Python 3.10 venv, locked dependencies)
	@scripts/setup.sh

run: setup ## start Rasa, action server and gateway (terminal chat without TELEGRAM_BOT_TOKEN)
	@$(PY) -m bot run

test: setup ## lint, Rasa data validation, unit, story and end-to-end tests
	@$(PY) -m ruff check .
	@$(PY) -m pytest

lint: setup ## ruff
	@$(PY) -m ruff check .

eval: setup ## crisis detector on the labelled set, then 5-fold NLU cross-validation (slow)
	@$(PY) -m bot eval; crisis=$$?; $(PY) -m bot eval --nlu; nlu=$$?; exit $$((crisis || nlu))

nlueval: setup ## only the 5-fold cross-validated NLU report (trains DIET 5 times)
	@$(PY) -m bot eval --nlu

train: setup ## train the Rasa model if its training data changed
	@$(PY) -m bot train

clean: ## remove local state (database, logs, models, venv)
	rm -rf var models .venv .pytest_cache .ruff_cache
