# Xinyong — every target installs what it needs; run `make help`.
.DEFAULT_GOAL := help
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
CODE := src tests $(wildcard benchmarks)
# Debian packages each target needs (installed by scripts/system-deps.sh when root and missing).
DEBIAN_TEST := postgresql openjdk-17-jre-headless chromium fonts-wqy-zenhei poppler-utils libpango-1.0-0 libpangoft2-1.0-0
DEBIAN_DEMO := fonts-wqy-zenhei libpango-1.0-0 libpangoft2-1.0-0
DEBIAN_BENCH := postgresql wrk openjdk-17-jre-headless fonts-wqy-zenhei libpango-1.0-0 libpangoft2-1.0-0

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(PY):
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv 2>&1 | grep -v 'is ignored' || true

$(STAMP): $(PY) requirements.lock pyproject.toml
	$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	touch $@

install: $(STAMP)  ## create .venv and install the locked dependencies
	@echo "installed: $(VENV)/bin/xinyong"

lock:  ## re-resolve requirements.lock from pyproject.toml
	$(VENV)/bin/uv pip compile -q pyproject.toml --extra dev -o requirements.lock

demo: install  ## initialise a store, generate and ingest a small city, serve the API with demo keys
	scripts/system-deps.sh $(DEBIAN_DEMO)
	scripts/demo.sh

test: lint  ## lint, then run the tests (SQLite and a PostgreSQL server started here)
	scripts/system-deps.sh $(DEBIAN_TEST)
	scripts/test.sh

lint: install  ## ruff, mypy --strict, import-linter layer contracts
	$(VENV)/bin/ruff check $(CODE)
	$(VENV)/bin/ruff format --check $(CODE)
	$(VENV)/bin/mypy src
	$(VENV)/bin/lint-imports

fmt: install  ## format and fix what ruff can
	$(VENV)/bin/ruff format $(CODE)
	$(VENV)/bin/ruff check --fix $(CODE)

bench: install  ## run the benchmarks; each prints a table with its goal
	@scripts/system-deps.sh $(DEBIAN_BENCH)
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

docs: install  ## regenerate the generated parts of docs/
	$(PY) -m xinyong.docs_gen

clean:  ## remove the venv, demo data and caches
	rm -rf $(VENV) xinyong-data .pytest_cache .mypy_cache .ruff_cache

.PHONY: help install lock demo test lint fmt bench docs clean
