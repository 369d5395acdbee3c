# Set-up and entry points. Every target creates .venv with a suitable Python (>= 3.12) when it is missing:
# first a python3.12+ on PATH (oldest first: the most tested), then one installed through pyenv.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp-install
BASE_STAMP := $(VENV)/.stamp-base

find_python = $(shell for c in python3.12 python3.13 python3.14 python3; do \
	  p=$$(command -v $$c 2>/dev/null) && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
	done; \
	root=$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv); \
	for p in $$(ls -d $$root/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -V); do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
	done)

.PHONY: setup demo test test-slow lint typecheck unit browser-deps viz bench baseline docs clean

$(PY):
	@py="$(find_python)"; \
	if [ -z "$$py" ]; then echo "error: no Python >= 3.12 found on PATH or in pyenv; install one (e.g. 'pyenv install 3.12')" >&2; exit 2; fi; \
	echo "creating $(VENV) with $$py"; $$py -m venv $(VENV)

# `make demo` installs the base package only (model, command line, process-pool sweeps); everything else
# installs every extra and the test tools
$(BASE_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	@touch $(BASE_STAMP)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP) $(BASE_STAMP)

setup: $(STAMP)

## The main job: one pilot city for ten years on the embedded default, written to out/demo
demo: $(BASE_STAMP)
	$(VENV)/bin/urbanize run --city changshu --policies changshu_pilot --years 10 --households 5000 --seed 7 --out out/demo

## Debian's Chromium for the browser tests (Playwright's own browser download does not work here)
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

lint: setup
	$(VENV)/bin/ruff check .

## mypy reads source trees, not the import hook of an editable install, so it checks the package through a view of
## links named as it is installed (.build/typecheck/urbanize/model -> model/, ...)
TYPECHECK_VIEW := .build/typecheck
typecheck: setup
	@rm -rf $(TYPECHECK_VIEW) && mkdir -p $(TYPECHECK_VIEW)/urbanize && ln -s ../../../__init__.py $(TYPECHECK_VIEW)/urbanize/__init__.py && \
	  for d in model agents policies experiments viz; do ln -s ../../../$$d $(TYPECHECK_VIEW)/urbanize/$$d; done
	cd $(TYPECHECK_VIEW) && ../../$(VENV)/bin/mypy --config-file ../../pyproject.toml -p urbanize.model -p urbanize.agents -p urbanize.policies \
	  -p urbanize.viz -p urbanize.experiments

unit: setup
	$(VENV)/bin/pytest -q -m "not browser"

## Lint, type checks and the test suite (browser tests included), without the tests marked slow
test: setup browser-deps lint typecheck
	$(VENV)/bin/pytest -q -m "not slow"

## The tests marked slow: paired direction tests over many seeds and whole-run checks (CI runs both)
test-slow: setup browser-deps
	$(VENV)/bin/pytest -q -m slow

viz: setup
	$(VENV)/bin/urbanize viz

bench: setup
	$(PY) benchmarks/bench_model.py --repeat 3

## Rewrite the generated tables of docs/model.md (parameters, unit costs, indicators) from the registries
docs: setup
	$(PY) -m urbanize.model.odd_tables docs/model.md

## Refresh the golden baseline (commit the new file with the reason)
baseline: setup
	$(PY) tests/baseline/golden.py refresh

clean:
	rm -rf $(VENV) .build out .pytest_cache .mypy_cache .ruff_cache
