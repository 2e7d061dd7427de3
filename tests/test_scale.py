"""Scale features of ``kg build``: worker processes, the per-document cache, the Dask map, the
changed-part validation, the progress output and the neo4j-admin import files.  Every
comparison is with a plain one-process build of the same articles: byte-identical Turtle."""
import csv
import datetime
import shutil
import subprocess
import sys

import pytest
from rdflib import Graph, URIRef
from support import CORPUS

ARTICLES = sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """Two seed articles and the manifest: enough for two workers, quick to tag."""
    folder = tmp_path_factory.mktemp("small")
    for f in ARTICLES[2:4]:
        shutil.copy(f, folder / f.name)
    shutil.copy(CORPUS / "manifest.json", folder / "manifest.json")
    return folder


@pytest.fixture(scope="module")
def one_process(small_corpus, tmp_path_factory):
    from kg.build import build
    out = tmp_path_factory.mktemp("one")
    res, paths = build(small_corpus, out, ner="lac", min_confidence=0.5, workers=1, cache="off", validate="full")
    return res, paths["turtle"].read_bytes()


def test_two_worker_processes_write_the_same_turtle(small_corpus, one_process, tmp_path):
    from kg.build import build
    res, paths = build(small_corpus, tmp_path, ner="lac", min_confidence=0.5, workers=2, cache="off")
    assert len(res.entities) == len(one_process[0].entities) > 10
    assert paths["turtle"].read_bytes() == one_process[1]


def test_workers_fork_from_a_process_without_a_model_and_spawn_from_one_with_it(small_corpus, one_process,
                                                                                 tmp_path):
    from kg.parallel import Config, start_method
    # this process loaded LAC for one_process: its ONNX Runtime threads would not exist in a fork
    assert start_method(Config("lac")) == start_method(Config("hanlp")) == "spawn"
    r = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(small_corpus), "--out", str(tmp_path),
                        "--ner", "lac", "--workers", "2", "--cache", "off", "--validate", "full"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "in 2 worker processes (forked)" in r.stderr
    assert (tmp_path / "kg.ttl").read_bytes() == one_process[1]


def test_a_rebuild_tags_only_the_new_article_and_ignores_a_damaged_entry(small_corpus, one_process, tmp_path):
    from kg.build import build
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    new = ARTICLES[0]
    out = tmp_path / "out"
    first, _ = build(corpus, out, ner="lac", min_confidence=0.5, workers=1)
    assert first.cache_hits == 0 and first.changed == {d.doc_id for d in first.docs}
    cached = sorted((out / ".kg-cache" / "mentions").rglob("*.pickle"))
    assert len(cached) == 2
    cached[0].write_bytes(cached[0].read_bytes()[:100])       # a truncated entry
    again, paths = build(corpus, out, ner="lac", min_confidence=0.5, workers=1)
    assert again.cache_hits == 1
    assert paths["turtle"].read_bytes() == one_process[1]
    shutil.copy(new, corpus / new.name)
    grown, paths = build(corpus, out, ner="lac", min_confidence=0.5, workers=1)
    assert grown.cache_hits == 2
    assert new.stem in grown.changed
    fresh, fresh_paths = build(corpus, tmp_path / "fresh", ner="lac", min_confidence=0.5, workers=1, cache="off")
    assert paths["turtle"].read_bytes() == fresh_paths["turtle"].read_bytes()


def test_the_map_on_a_dask_local_cluster_gives_the_local_graph(small_corpus, one_process, tmp_path):
    distributed = pytest.importorskip("distributed")
    from kg.build import build
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        res, paths = build(small_corpus, tmp_path, ner="lac", min_confidence=0.5, cache="off",
                           scheduler=cluster.scheduler_address)
    assert res.docs and paths["turtle"].read_bytes() == one_process[1]


def test_an_unreachable_scheduler_is_one_line(small_corpus, tmp_path):
    pytest.importorskip("distributed")
    r = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(small_corpus), "--out", str(tmp_path),
                        "--ner", "lac", "--quiet", "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    assert "tcp://127.0.0.1:9" in r.stderr and "Traceback" not in r.stderr


def test_fast_validation_judges_the_part_of_the_changed_documents(one_process):
    from kg.graph.validate import changed_nodes, validate
    from kg.graph.vocab import AIKG, doc_iri
    g = Graph()
    for t in one_process[0].graph:
        g.add(t)
    doc, other = one_process[0].docs[0].doc_id, one_process[0].docs[1].doc_id
    derived = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    # a person of the first document only, so that the second one's part leaves them out
    person = next(s for s in g.subjects(URIRef(str(AIKG) + "worksFor"), None)
                  if (s, derived, doc_iri(doc)) in g and (s, derived, doc_iri(other)) not in g)
    g.add((person, AIKG.worksFor, person))                   # a person working for a person
    focus = changed_nodes(g, {doc})
    assert person in focus and len(focus) < len(set(g.subjects()))
    assert ["worksFor" in v.path for v in validate(g, focus=focus)] == [True]
    assert person not in changed_nodes(g, {other})
    assert validate(g, focus=changed_nodes(g, {other})) == []


def test_the_sparql_constraints_still_fire(one_process):
    """A reified statement whose triple is not asserted: a SPARQL-based shape, parsed once."""
    from rdflib import RDF

    from kg.graph.validate import validate
    g = Graph()
    for t in one_process[0].graph:
        g.add(t)
    st = next(g.subjects(RDF.type, RDF.Statement))
    g.remove((g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)))
    assert any("not asserted" in v.message for v in validate(g))
    assert validate(one_process[0].graph) == []


def test_validation_split_among_forked_processes_finds_the_same_violations(one_process, monkeypatch):
    """Nodes dealt out to two forked children, each judging its share against the whole graph:
    the same violations as one process, for the whole graph and for a focus."""
    from rdflib import RDF

    from kg.graph import validate as validation
    from kg.graph.validate import changed_nodes, validate
    from kg.graph.vocab import AIKG
    monkeypatch.setattr(validation, "PARALLEL_FROM", 50)     # two articles' graph: 164 nodes
    g = Graph()
    for t in one_process[0].graph:
        g.add(t)
    people = sorted(set(g.subjects(RDF.type, AIKG.Person)))[:3]
    for p in people:
        g.add((p, AIKG.worksFor, p))                                   # works for a person
    st = sorted(g.subjects(RDF.type, RDF.Statement))[-1]
    g.remove((g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)))  # not asserted
    nodes = {s for s in g.subjects() if isinstance(s, URIRef)}
    assert len(nodes) >= validation.PARALLEL_FROM
    alone = validate(g)
    assert len(alone) >= 4 and alone == validate(g, processes=2)
    focus = changed_nodes(g, {d.doc_id for d in one_process[0].docs})
    assert len(focus) >= validation.PARALLEL_FROM and validate(g, focus=focus) == validate(g, focus=focus, processes=2)
    assert len(g) == len(one_process[0].graph) + len(people) - 1        # the children left it as it was


def test_progress_lines_off_a_terminal_and_nothing_when_quiet(capsys):
    from kg.progress import Progress
    lines = []
    with Progress(20, "documents", lines.append) as bar:
        for i in range(20):
            bar.update(f"d{i}")
    assert len(lines) == 10 and lines[-1].startswith("[20/20] documents:") and "s left" in lines[-1]
    with Progress(20, "documents", None) as bar:
        for _ in range(20):
            bar.update()
    assert capsys.readouterr().err == ""


def _read_back(path):
    """One CSV file of the import as neo4j-admin reads it: typed values, arrays split."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, out = rows[0], []
    for raw in rows[1:]:
        row = {}
        for col, cell in zip(header, raw, strict=True):
            name, _, kind = col.partition(":")
            if cell == "":
                value = [] if kind == "string[]" else None
            elif kind == "float":
                value = float(cell)
            elif kind == "int":
                value = int(cell)
            elif kind == "boolean":
                value = cell == "true"
            elif kind == "date":
                value = datetime.date.fromisoformat(cell)
            elif kind == "string[]":
                value = cell.split("\x1f")
            else:
                value = cell
            row[name or col] = value
        out.append(row)
    return out


def test_neo4j_import_files_hold_the_rows_kg_load_sends(corpus_ttl, tmp_path):
    from kg.outputs.export import export
    from kg.outputs.neo4j_load import graph_rows
    folder = export(Graph().parse(corpus_ttl), corpus_ttl, "neo4j-import", tmp_path / "import")
    rows = graph_rows(Graph().parse(corpus_ttl))
    for label, ents in rows.entities.items():
        back = _read_back(folder / f"nodes_{label}.csv")
        assert [r.pop(":LABEL") for r in back] == [f"Entity;{label}"] * len(ents)
        assert back == ents
    for rtype, rels in rows.relations.items():
        back = _read_back(folder / f"rels_{rtype}.csv")
        assert {r.pop(":TYPE") for r in back} == {rtype}
        assert [{"s": r.pop(":START_ID"), "o": r.pop(":END_ID"), **r} for r in back] == rels
    funding = _read_back(folder / "nodes_FundingRound.csv")
    assert [{k: v for k, v in r.items() if k != ":LABEL"} for r in funding] == \
        [{k: v for k, v in f.items() if k not in ("recipient", "investors")} for f in rows.funding]
    assert [(r[":START_ID"], r[":END_ID"]) for r in _read_back(folder / "rels_RECIPIENT.csv")] == \
        [(f["iri"], f["recipient"]) for f in rows.funding]
    docs = _read_back(folder / "nodes_Document.csv")
    assert [{k: v for k, v in r.items() if k != ":LABEL"} for r in docs] == rows.documents
    script = (folder / "import.sh").read_text()
    assert "neo4j-admin database import full" in script and "--nodes=nodes_Person.csv" in script
    assert "CREATE CONSTRAINT entity_iri" in (folder / "schema.cypher").read_text()
