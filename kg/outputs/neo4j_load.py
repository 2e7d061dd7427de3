"""``kg load``: the RDF graph -> Neo4j, through the official driver.

Graph model: every entity is ``(:Entity:<Class> {iri, name, aliases, type, search_text})``;
relations are ``[:FOUNDED]``, ``[:CEO_OF]`` ... (the ontology property in UPPER_SNAKE_CASE) with
their provenance (``evidence``, ``source``, ``sentence``, ``rules``, ``confidence``); funding
rounds are ``(:FundingRound)-[:RECIPIENT]->(:Entity)`` and ``-[:INVESTOR]->``.

Labels and relationship types come from the ontology only (a fixed whitelist), every value
travels as a query parameter, rows go in ``UNWIND $rows`` batches, one managed transaction per
batch (the driver retries transient errors; a failed batch leaves nothing behind), ``MERGE`` on
``iri`` makes loading idempotent.  Only Neo4j 5 or later is accepted: another Bolt server
(FalkorDB, Memgraph) lacks the constraints and full-text index or rewrites values, so the load is
refused rather than degraded silently.
"""
from __future__ import annotations

import datetime
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from rdflib import Graph

from ..errors import UserError
from ..graph import reader
from ..graph.vocab import ENTITY_TYPES as ENTITY_CLASSES
from ..graph.vocab import ID, RELATIONS
from ..resources import query_dir


class LoadError(UserError):
    """A one-line, user-facing reason the load failed (names the server)."""


def rel_type(predicate: str) -> str:
    """``competesWith`` -> ``COMPETES_WITH``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", predicate).upper()


REL_TYPES = {p: rel_type(p) for p in RELATIONS}


@dataclass
class Rows:
    entities: dict[str, list[dict]] = field(default_factory=dict)      # class -> rows
    relations: dict[str, list[dict]] = field(default_factory=dict)     # REL_TYPE -> rows
    funding: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)

    @property
    def counts(self) -> tuple[int, int]:
        nodes = sum(map(len, self.entities.values())) + len(self.funding) + len(self.documents)
        rels = sum(map(len, self.relations.values())) + sum(1 + len(f["investors"]) for f in self.funding)
        return nodes, rels


def _date(value):
    """A calendar date (a Neo4j DATE) when the value is one, else its text as written."""
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)


def graph_rows(g: Graph) -> Rows:
    """Plain rows for the loader, read from the canonical RDF graph (sorted: deterministic)."""
    rows = Rows()
    for e in reader.entities(g).values():
        rows.entities.setdefault(e.type, []).append({
            "iri": e.iri, "name": e.name, "aliases": list(e.aliases), "type": e.type,
            "search_text": " | ".join([e.name, *e.aliases])})
    for f in reader.facts(g):
        ev = f.evidence
        rows.relations.setdefault(REL_TYPES[f.predicate], []).append({
            "s": f.subject, "o": f.object, "confidence": ev[0].confidence if ev else None,
            "evidence": [e.text for e in ev], "rules": sorted({e.rule for e in ev}),
            "source": ev[0].doc if ev else None, "sources": sorted({e.doc for e in ev}),
            "sentence": ev[0].sentence if ev else None})
    for d in reader.documents(g):
        rows.documents.append({"iri": d.iri, "id": d.id, "title": d.title, "author": d.author,
                               "outlet": d.outlet, "date": _date(d.date), "url": d.url})
    for r in reader.rounds(g):
        rows.funding.append({
            "iri": r.iri, "name": r.name, "amount": r.amount, "currency": r.currency,
            "approximate": r.approximate, "round": r.round, "date": _date(r.date),
            "evidence": r.evidence.text, "confidence": r.evidence.confidence, "source": r.evidence.doc,
            "recipient": r.recipient, "investors": r.investors})
    return rows


# ---------------------------------------------------------------------------- Cypher
# Only labels / types from the whitelists above are ever formatted into a query.
ENTITY_MERGE = ("UNWIND $rows AS r MERGE (n:Entity {{iri: r.iri}}) SET n:{label}, n.name = r.name, "
                "n.aliases = r.aliases, n.type = r.type, n.search_text = r.search_text")
REL_MERGE = ("UNWIND $rows AS r MATCH (a:Entity {{iri: r.s}}) MATCH (b:Entity {{iri: r.o}}) "
             "MERGE (a)-[e:{rtype}]->(b) SET e.confidence = r.confidence, e.evidence = r.evidence, "
             "e.rules = r.rules, e.source = r.source, e.sources = r.sources, e.sentence = r.sentence")
FUNDING_MERGE = ("UNWIND $rows AS r MERGE (f:FundingRound {iri: r.iri}) SET f.name = r.name, "
                 "f.amount = r.amount, f.currency = r.currency, f.approximate = r.approximate, "
                 "f.round = r.round, f.date = r.date, f.evidence = r.evidence, f.confidence = r.confidence, "
                 "f.source = r.source "
                 "WITH f, r MATCH (c:Entity {iri: r.recipient}) MERGE (f)-[:RECIPIENT]->(c)")
DOCUMENT_MERGE = ("UNWIND $rows AS r MERGE (d:Document {iri: r.iri}) SET d.id = r.id, d.title = r.title, "
                  "d.author = r.author, d.outlet = r.outlet, d.date = r.date, d.url = r.url")
INVESTOR_MERGE = ("UNWIND $rows AS r MATCH (f:FundingRound {iri: r.f}) MATCH (i:Entity {iri: r.i}) "
                  "MERGE (f)-[:INVESTOR]->(i)")
WIPE = "MATCH (n:{label}) WHERE n.iri STARTS WITH $ns WITH n LIMIT 2000 DETACH DELETE n RETURN count(*) AS c"
NODE_LABELS = ("Entity", "FundingRound", "Document")
SCHEMA_QUERIES = [f"CREATE CONSTRAINT {label.lower()}_iri IF NOT EXISTS FOR (n:{label}) REQUIRE n.iri IS UNIQUE"
          for label in NODE_LABELS] + [
    "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) "
    "ON EACH [n.name, n.search_text] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"]
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


CYPHER_DIR = query_dir("cypher")


def saved_query(name: str) -> str:
    """The text of a shipped Cypher query, e.g. ``competes_with``."""
    return (CYPHER_DIR / f"{name}.cypher").read_text(encoding="utf-8")


def write_favorites_zip(path) -> Path:
    """The saved queries as a zip that Neo4j Browser imports as favorites (drop it on the
    Browser window): one folder ``aikg``, each query titled by its first comment line."""
    import zipfile
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(CYPHER_DIR.glob("*.cypher")):
            z.writestr(f"aikg/{f.name}", f.read_text(encoding="utf-8"))
    return path


def check_uri(uri: str) -> None:
    """A malformed or non-Bolt URI is refused before the driver sees it (the driver would
    ask for aiohttp on http://, or wrap an out-of-range port onto another one)."""
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as exc:
        raise LoadError(f"{uri!r} is not a valid Bolt URI ({exc})") from None
    if parts.scheme not in BOLT_SCHEMES:
        hint = " (7474 is Neo4j's HTTP port; Bolt is usually 7687)" if parts.scheme in ("http", "https") else ""
        raise LoadError(f"{uri!r} is not a Bolt URI: use bolt://HOST:7687 or neo4j://HOST:7687{hint}")
    if not parts.hostname:
        raise LoadError(f"{uri!r} names no host: use bolt://HOST:7687")
    if port == 0:
        raise LoadError(f"{uri!r}: port 0 is not a server port")


def check_server(agent: str, uri: str) -> None:
    """Refuse anything but Neo4j 5 or later: other Bolt servers lack the uniqueness constraints
    and the full-text index, or store some values differently (FalkorDB rewrites quotes)."""
    m = re.fullmatch(r"Neo4j/(\d+)\.\S*", agent or "")
    if not m or int(m.group(1)) < 5:
        raise LoadError(f"{uri} is {agent or 'an unknown server'}, not Neo4j 5 or later: "
                        f"kg load needs Neo4j 5 to store the graph faithfully")


@dataclass
class Target:
    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: str = ""
    database: str = "neo4j"
    timeout: float = 10.0       # seconds to connect; transient failures are retried for 3x this

    @classmethod
    def from_env(cls, **overrides) -> Target:
        t = cls(os.environ.get("NEO4J_URI", cls.uri), os.environ.get("NEO4J_USER", cls.user),
                os.environ.get("NEO4J_PASSWORD", cls.password), os.environ.get("NEO4J_DATABASE", cls.database))
        if os.environ.get("NEO4J_TIMEOUT"):
            try:
                t.timeout = float(os.environ["NEO4J_TIMEOUT"])
            except ValueError:
                raise LoadError(f"NEO4J_TIMEOUT={os.environ['NEO4J_TIMEOUT']!r} is not a number of seconds") from None
        for k, v in overrides.items():
            if v is not None:
                setattr(t, k, v)
        if not t.timeout > 0:
            raise LoadError(f"the timeout must be a positive number of seconds, not {t.timeout}")
        return t


@dataclass
class LoadReport:
    nodes: int = 0
    relationships: int = 0
    seconds: float = 0.0
    queries: int = 0
    server: str = ""
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        rate = self.relationships / self.seconds if self.seconds else 0.0
        lines = [f"loaded {self.nodes} nodes and {self.relationships} relationships into {self.server} "
                 f"in {self.seconds:.2f} s ({rate:.0f} relationships/s, {self.queries} queries)"]
        return "\n".join(lines + [f"note: {n}" for n in self.notes])


def _batches(rows: list, size: int):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


class Neo4jLoader:
    def __init__(self, target: Target, batch_size: int = 1000):
        from neo4j import GraphDatabase
        check_uri(target.uri)
        self.target = target
        self.batch_size = batch_size
        auth = (target.user, target.password) if target.password else None
        try:
            self.driver = GraphDatabase.driver(target.uri, auth=auth, connection_timeout=target.timeout,
                                               connection_acquisition_timeout=target.timeout,
                                               max_transaction_retry_time=3 * target.timeout)
        except (ValueError, TypeError) as exc:     # the driver's own URI and config checks
            raise LoadError(f"{target.uri!r} is not a usable Bolt URI ({exc})") from None

    def close(self) -> None:
        self.driver.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ plumbing
    def _fail(self, exc: Exception) -> LoadError:
        from neo4j.exceptions import AuthError, ClientError, ServiceUnavailable
        where = f"{self.target.uri} (database {self.target.database!r})"
        code = getattr(exc, "code", None) or ""
        if isinstance(exc, AuthError) or ".Security." in code:
            return LoadError(f"authentication failed for user {self.target.user!r} at {self.target.uri}: "
                             f"check the user and password (NEO4J_USER, NEO4J_PASSWORD)")
        if isinstance(exc, ServiceUnavailable) or isinstance(exc, OSError):
            return LoadError(f"cannot reach a Bolt server at {self.target.uri} within {self.target.timeout:g} s: "
                             f"is Neo4j running? ({_one_line(exc)})")
        if isinstance(exc, ClientError) and "DatabaseNotFound" in code:
            return LoadError(f"database {self.target.database!r} does not exist at {self.target.uri}")
        return LoadError(f"{where} refused the request: {_one_line(exc)}")

    def _write(self, query: str, rows: list | None = None, **params) -> list:
        def work(tx):
            return tx.run(query, rows=rows, **params).data()
        with self.driver.session(database=self.target.database) as session:
            return session.execute_write(work)

    def read(self, query: str, **params) -> list[dict]:
        def work(tx):
            return tx.run(query, **params).data()
        with self.driver.session(database=self.target.database) as session:
            return session.execute_read(work)

    def connect(self) -> str:
        """Fail early, with one clear line, on a dead server, bad credentials, a missing database
        or a server that is not Neo4j 5; returns the server's agent (``Neo4j/5.26.30``)."""
        from neo4j.exceptions import DriverError, Neo4jError
        try:
            agent = self.driver.get_server_info().agent
            check_server(agent, self.target.uri)
            self.read("RETURN 1 AS ok")
            return agent
        except (DriverError, Neo4jError, OSError) as exc:
            raise self._fail(exc) from None

    def ensure_schema(self) -> None:
        for query in SCHEMA_QUERIES:
            self._write(query)

    # ------------------------------------------------------------------ load
    def wipe(self) -> int:
        """Delete what an earlier load put there (nodes with an aikg IRI), nothing else."""
        deleted = 0
        for label in NODE_LABELS:
            while True:
                n = self._write(WIPE.format(label=label), ns=str(ID))[0]["c"]
                deleted += n
                if n == 0:
                    break
        return deleted

    def _send(self, query: str, rows: list, report: LoadReport, per_row: bool) -> None:
        for batch in _batches(rows, 1 if per_row else self.batch_size):
            self._write(query, batch)
            report.queries += 1

    def load(self, rows: Rows, wipe: bool = False, per_row: bool = False) -> LoadReport:
        from neo4j.exceptions import DriverError, Neo4jError
        report = LoadReport()
        report.server = f"{self.connect()} at {self.target.uri} (database {self.target.database!r})"
        try:
            self.ensure_schema()
            if wipe:
                report.notes.append(f"wiped {self.wipe()} nodes of an earlier load")
            t0 = time.perf_counter()      # throughput counts the data, not the handshake
            self._send(DOCUMENT_MERGE, rows.documents, report, per_row)
            for label in sorted(rows.entities):
                if label not in ENTITY_CLASSES:
                    raise ValueError(f"not an ontology class: {label!r}")
                self._send(ENTITY_MERGE.format(label=label), rows.entities[label], report, per_row)
            for rtype in sorted(rows.relations):
                if rtype not in REL_TYPES.values():
                    raise ValueError(f"not an ontology relation: {rtype!r}")
                self._send(REL_MERGE.format(rtype=rtype), rows.relations[rtype], report, per_row)
            self._send(FUNDING_MERGE, [{k: v for k, v in f.items() if k != "investors"} for f in rows.funding],
                       report, per_row)
            self._send(INVESTOR_MERGE, [{"f": f["iri"], "i": i} for f in rows.funding for i in f["investors"]],
                       report, per_row)
        except (DriverError, Neo4jError, OSError) as exc:
            raise self._fail(exc) from None
        report.nodes, report.relationships = rows.counts
        report.seconds = time.perf_counter() - t0
        return report


def _one_line(exc: Exception) -> str:
    text = " ".join(str(getattr(exc, "message", None) or exc).split())
    return text[:300]


def load_graph(g: Graph, target: Target, wipe: bool = False, batch_size: int = 1000,
               per_row: bool = False) -> LoadReport:
    with Neo4jLoader(target, batch_size) as loader:
        return loader.load(graph_rows(g), wipe=wipe, per_row=per_row)


def load_ttl(ttl, target: Target, wipe: bool = False, batch_size: int = 1000, per_row: bool = False) -> LoadReport:
    return load_graph(Graph().parse(ttl, format="turtle"), target, wipe, batch_size, per_row)
