# One command to install and run the main job, one to run the tests.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test bench

$(BIN)/ufgraph: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/ufgraph

# The main job on the embedded store (no server): refresh the graph from the
# sample reports, ask who holds posts in more than one body, draw the network.
DEMO ?= out/demo
demo: install
	$(BIN)/ufgraph refresh data/samples --data-dir $(DEMO)
	$(BIN)/ufgraph query interlocks --data-dir $(DEMO)
	$(BIN)/ufgraph viz --data-dir $(DEMO) -o $(DEMO)/network.html
	@echo "Open $(DEMO)/network.html in a browser."

test: install
	$(BIN)/python -m pytest

# Speed and memory benchmarks (BENCHMARKS.md): synthetic corpus, extraction,
# refresh into the embedded store and Neo4j, scaling; about 20 min on 2 cores.
# Larger runs: make bench BENCH_ARGS="--sizes 1000 10000 50000"
bench: install
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)
