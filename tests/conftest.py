import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import CORPUS, LAUNCHER, free_port

from kg.outputs.neo4j_load import Target


@pytest.fixture(scope="session")
def lac_nlp():
    from kg.extract.pipeline import build_nlp
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
    from kg.extract.kb import load_kb
    from kg.extract.normalize import normalize
    from kg.extract.records import SourceDoc
    from kg.extract.relations import RelationExtractor
    from kg.extract.stages import doc_facts, doc_mentions, merge_relations, resolve_entities, well_typed

    def _extract(text: str):
        doc = normalize(SourceDoc("t", "t.txt", text, "utf-8"))
        by_sent = doc_mentions(lac_nlp, doc)
        entities = resolve_entities([m for ms in by_sent.values() for m in ms], load_kb())
        names = {e.iri_key: e.name for e in entities}
        facts = doc_facts(RelationExtractor(load_kb(), 0.5), doc, by_sent, names)
        relations, rounds, _ = well_typed(merge_relations(facts.relations), facts.funding, entities)
        triples = {(names[r.subject], r.predicate, names[r.object]) for r in relations}
        return {e.name: e for e in entities}, triples, rounds, names
    return _extract


@pytest.fixture(scope="session")
def corpus_out(corpus_build, tmp_path_factory):
    """The corpus outputs (kg.ttl and extractions.jsonl) in a folder, as `kg build` writes them."""
    from kg.build import write_outputs
    out = tmp_path_factory.mktemp("corpus_out")
    write_outputs(corpus_build, out)
    return out


NEO4J_PASSWORD = "aikg-test-password"


@dataclass
class Neo4jServer:
    target: Target
    http: str             # http://127.0.0.1:PORT, where Neo4j Browser is served under /browser/
    seconds: float        # start time as the launcher measured it


def _launcher_command(data: Path, bolt: int, http: int) -> list[str]:
    classpath = LAUNCHER / "target" / "classpath.txt"
    if not classpath.is_file():
        pytest.fail(f"{classpath} is missing: build the Neo4j test server with `make neo4j-test-server`")
    # C1 only and the serial collector halve the start time; the tests' queries are small
    return ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx1g",
            "-cp", f"{LAUNCHER / 'target' / 'classes'}{os.pathsep}{classpath.read_text().strip()}",
            "dev.aikg.TestServer", str(data), str(bolt), str(http), NEO4J_PASSWORD]


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """Neo4j 5.26 community (neo4j-test-server/), one per session: Bolt and HTTP on free
    127.0.0.1 ports, authentication on, Neo4j Browser on the HTTP port.  It stops when its
    standard input closes, so it never outlives the test process."""
    workdir = tmp_path_factory.mktemp("neo4j")
    log = (workdir / "launcher.log").open("w")
    bolt_port = free_port()
    http_port = next(p for p in iter(free_port, None) if p != bolt_port)
    proc = subprocess.Popen(_launcher_command(workdir / "data", bolt_port, http_port),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
    ready = {}
    reader = threading.Thread(target=lambda: ready.setdefault("line", proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(180)
    line = ready.get("line", "")
    if not line.startswith("READY"):
        proc.kill()
        log.close()
        tail = (workdir / "launcher.log").read_text(errors="replace")[-2000:]
        pytest.fail(f"the Neo4j test server did not start: {line!r}\n{tail}")
    _, bolt, http, seconds = line.split()
    yield Neo4jServer(Target(bolt.rstrip("/"), "neo4j", NEO4J_PASSWORD, "neo4j", timeout=5.0),
                      http.rstrip("/"), float(seconds))
    proc.kill()          # its data is throwaway: no need for a clean shutdown
    proc.wait()
    proc.stdin.close()
    log.close()


@pytest.fixture(scope="session")
def bolt(neo4j_server):
    """The Bolt target of the session's Neo4j server (user neo4j, database neo4j)."""
    return neo4j_server.target
