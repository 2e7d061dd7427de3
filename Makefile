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

# torch is pinned and installed first: an unpinned torch (pulled by hanlp) brings CUDA wheels.
$(VENV)/.test: $(VENV)/.core
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[hanlp,test]'
	touch $@

clean:
	rm -rf $(VENV) out
