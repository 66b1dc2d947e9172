# One Makefile for people and CI. `make up` runs the whole system; `make test` the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV_VERSION := 0.13.8
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: help venv up down test test-unit test-contract test-integration token lint contracts node bench
.PHONY: demo

help:
	@echo "make up        start PostgreSQL, Kafka, migrations, reference data, APIs and workers"
	@echo "make down      stop what make up started (data stays under .local/)"
	@echo "make test      provision what the suite needs and run unit, contract and integration tests"
	@echo "make token ORG=BZK SCOPE='nplv:interventies:schrijven'   mint a development token"
	@echo "make demo      load the DEMO data set into the running system (after make up; idempotent)"
	@echo "make contracts regenerate contracts/ (event schemas, OpenAPI, AsyncAPI)"
	@echo "make lint      ruff, import-linter (architecture), mypy --strict"
	@echo "make bench     benchmark on a throw-away stack: one table, also in bench/RESULTS.md (QUICK=1: small run)"

venv:
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet --root-user-action=ignore "uv==$(UV_VERSION)"
	@python3 -m uv sync --frozen --all-packages --quiet

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

node: node_modules/.package-lock.json

up: venv
	$(PY) tools/devstack.py up

down: venv
	$(PY) tools/devstack.py down

token: venv
	@$(PY) -m nplv_shared.tokens --organisatie "$(or $(ORG),BZK)" --scope "$(or $(SCOPE),nplv:gebieden:beheer nplv:interventies:schrijven)"

# Fictitious, marked data through the public APIs of the system `make up` runs (tools/demo.py).
demo: venv
	$(PY) tools/demo.py

test: venv node lint
	bash scripts/local/deploy-tools.sh
	bash scripts/local/chromium.sh
	$(PY) tools/devstack.py provision-infra
	$(PY) tools/export_contracts.py --check
	$(PY) -m pytest tests

test-unit: venv
	$(PY) -m pytest tests/unit

lint: venv
	$(VENV)/bin/ruff check shared services tests tools bench
	$(PY) tools/lint.py
	$(VENV)/bin/mypy

contracts: venv
	$(PY) tools/export_contracts.py

bench: venv
	bash scripts/local/wrk.sh
	$(PY) tools/devstack.py provision-infra
	$(PY) -m bench.run $(if $(QUICK),--quick)
