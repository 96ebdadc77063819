# zhengcai — `make run` to try it, `make test` to check it. `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install assets db demo run serve worker test lint typecheck contracts migrations-check pytest test-postgres test-browser messages openapi bench clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==0.13.8"

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed node_modules/.installed ## Create the virtualenv and install Python and front-end packages

assets: install ## Collect static files (served by the app itself)
	$(PY) manage.py collectstatic --noinput --verbosity 0

db: install ## Migrate the database (SQLite file under var/ by default)
	@mkdir -p var
	$(PY) manage.py migrate --noinput

demo: db ## Load the demo data (idempotent)
	$(PY) manage.py seed_demo

run: demo assets ## Set everything up and serve http://$(HOST):$(PORT) with the background worker
	@bin/serve $(HOST) $(PORT)

worker: install ## Run only the background worker
	$(PY) manage.py worker

lint: install ## ruff format check and lint
	$(VENV)/bin/ruff format --check src bin bench manage.py
	$(VENV)/bin/ruff check src bin bench manage.py

typecheck: install ## mypy with django-stubs on src/
	$(VENV)/bin/mypy

contracts: install ## import-linter: layers and app boundaries
	$(VENV)/bin/lint-imports

migrations-check: install ## Models and migrations in step
	$(PY) manage.py makemigrations --check --dry-run

pytest: install node_modules/.installed ## The test suite on the configured database (SQLite by default), browser tests excluded
	$(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

test: lint typecheck contracts migrations-check pytest ## Every quality gate, then the test suite

test-postgres: install ## The test suite on the local PostgreSQL server
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/zhengcai} $(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

test-browser: install assets ## Browser tests in headless Chromium (/usr/bin/chromium)
	$(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

messages: install ## Extract strings and compile the translations of every app
	@for app in src/zhengcai/*/; do \
	  if [ -d "$$app/locale" ]; then (cd $$app && ../../../$(PY) ../../../manage.py makemessages -l zh_Hans --no-obsolete >/dev/null); fi; \
	done
	$(PY) bin/compile_messages.py

openapi: install ## Regenerate the committed OpenAPI snapshot (docs/openapi.json)
	$(PY) manage.py export_openapi --output docs/openapi.json

BENCH_ARGS ?=
bench: install ## Search benchmark: 1M generated listings, index build, query latencies vs LIKE (BENCH_ARGS="--n 20000")
	$(PY) bench/search_bench.py $(BENCH_ARGS)

clean: ## Remove the virtualenv, node_modules and local data
	rm -rf $(VENV) .tools node_modules var
