# Two commands do all the set-up: `make run` (build the graph with the embedded default NER,
# then its pictures) and `make test` (everything the tests need, then pytest).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NEO4J_TEST_SERVER := neo4j-test-server/target/classpath.txt

.PHONY: run test lab notebooks clean neo4j-test-server browser-favorites

run: $(VENV)/.core
	$(BIN)/kg build corpus --out out
	$(BIN)/kg viz --ttl out/kg.ttl

test: $(VENV)/.test $(NEO4J_TEST_SERVER)
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages, installed only when missing: rapper (raptor2-utils) is the independent Turtle
# parser the tests use; a CJK font (fonts-noto-cjk) keeps Chinese labels in the PNGs from
# rendering as boxes.
HAVE_RAPPER := $(shell command -v rapper)
HAVE_MAVEN := $(shell command -v mvn)
HAVE_CHROMIUM := $(shell command -v chromium)
HAVE_CJK_FONT := $(shell fc-list :lang=zh family 2>/dev/null | head -1)
APT_CORE := $(if $(HAVE_CJK_FONT),,fonts-noto-cjk)
# Maven (with a JDK 17) builds the Neo4j server the tests start; Chromium drives Neo4j Browser.
APT_TEST := $(APT_CORE) $(if $(HAVE_RAPPER),,raptor2-utils) $(if $(HAVE_MAVEN),,maven openjdk-17-jdk-headless) \
	$(if $(HAVE_CHROMIUM),,chromium)
apt_install = $(if $(strip $(1)),command -v apt-get >/dev/null && $(SUDO) apt-get update -qq && \
	$(SUDO) apt-get install -y -qq $(1) || echo "warning: could not install $(1); see the README set-up section")

$(VENV)/.core: pyproject.toml
	$(call apt_install,$(APT_CORE))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e .
	touch $@

# torch is pinned and installed first: an unpinned torch (pulled by hanlp) brings CUDA wheels.
$(VENV)/.test: $(VENV)/.core
	$(call apt_install,$(APT_TEST))
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[hanlp,test]'
	touch $@

# Neo4j 5.26 + Neo4j Browser from Maven Central (cached in ~/.m2 after the first build): the
# classpath the tests' neo4j_server fixture starts (tests/conftest.py)
$(NEO4J_TEST_SERVER): neo4j-test-server/pom.xml $(wildcard neo4j-test-server/src/main/java/dev/aikg/*.java) | $(VENV)/.test
	cd neo4j-test-server && mvn -B -q package

neo4j-test-server: $(NEO4J_TEST_SERVER)

# the saved Cypher queries as a zip to drop on Neo4j Browser (it becomes the favorites folder "aikg")
browser-favorites: $(VENV)/.core
	$(BIN)/python -c "from kg.outputs.neo4j_load import write_favorites_zip as w; print(w('out/aikg-favorites.zip'))"

$(VENV)/.lab: $(VENV)/.core
	$(BIN)/pip install -q -e '.[notebooks]'
	touch $@

# JupyterLab on the notebooks (they build out/kg.ttl themselves when it is missing)
lab: $(VENV)/.lab
	$(BIN)/jupyter lab notebooks/

# executed copies, with their outputs, to share: out/notebooks/*.ipynb
notebooks: $(VENV)/.lab
	$(BIN)/jupyter nbconvert --to notebook --execute --output-dir out/notebooks notebooks/*.ipynb

clean:
	rm -rf $(VENV) out neo4j-test-server/target
