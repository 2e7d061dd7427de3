# Two commands do all the set-up: `make run` (build the graph with the embedded default NER)
# and `make test` (everything the tests need, then pytest).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test clean

run: $(VENV)/.core
	$(BIN)/kg build corpus --out out

test: $(VENV)/.test
	$(BIN)/python -m pytest

$(VENV)/.core: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e .
	touch $@

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# torch is pinned and installed first: an unpinned torch (pulled by hanlp) brings CUDA wheels.
# rapper (Debian raptor2-utils) is the independent Turtle / N-Triples parser the tests use.
$(VENV)/.test: $(VENV)/.core
	command -v rapper >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq raptor2-utils)
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[hanlp,test]'
	touch $@

clean:
	rm -rf $(VENV) out
