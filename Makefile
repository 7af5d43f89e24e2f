# One command to install and run the main job, one to run the tests.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test

$(BIN)/ufgraph: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/ufgraph

demo: install
	$(BIN)/ufgraph extract data/samples --out out/extract

test: install
	$(BIN)/python -m pytest
