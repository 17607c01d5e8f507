# Quick start on a fresh Debian machine with Python 3.11:
#   make site   set up .venv, build content/ into _site/ (the teacher's: _site-teacher/)
#   make test   set up everything the tests need (Chromium too, as root) and run them all
# Another content folder: make site CONTENT=my-class (or make serve CONTENT=my-class).
PYTHON ?= python3
CONTENT ?= content
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.run-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: site test serve bench lint clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(RUN_STAMP)

site: $(RUN_STAMP)
	bash scripts/system-deps.sh site
	$(BIN)/sitegen build --content $(CONTENT) --out _site
	@echo "Open $(CURDIR)/_site/index.html in a browser; the teacher keys and class pages are in $(CURDIR)/_site-teacher/ (never publish it)."

system-deps:
	bash scripts/system-deps.sh

test: $(TEST_STAMP) system-deps
	$(BIN)/ruff check sitegen tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto --dist loadscope --durations=20

lint: $(TEST_STAMP)
	$(BIN)/ruff check sitegen tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) _site _site-teacher .pytest_cache .mypy_cache .ruff_cache .hypothesis

# Timings of sitegen and other generators on synthetic sites (minutes; not part of make test).
bench: $(RUN_STAMP)
	$(BIN)/python benchmarks/run.py

# Preview while writing: http://127.0.0.1:8000, rebuilt and reloaded on each save (Ctrl-C stops).
serve: $(RUN_STAMP)
	$(BIN)/sitegen serve --content $(CONTENT)
