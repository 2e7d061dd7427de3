"""``kg load``: the RDF graph -> Neo4j, through the official driver.

Graph model: every entity is ``(:Entity:<Class> {iri, name, aliases, type, search_text})``;
relations are ``[:FOUNDED]``, ``[:CEO_OF]`` ... (the ontology property in UPPER_SNAKE_CASE) with
their provenance (``evidence``, ``source``, ``sentence``, ``rules``, ``confidence``); funding
rounds are ``(:FundingRound)-[:RECIPIENT]->(:Entity)`` and ``-[:INVESTOR]->``.

Labels and relationship types come from the ontology only (a fixed whitelist), every value
travels as a query parameter, rows go in ``UNWIND $rows`` batches, one managed transaction per
batch (the driver retries transient errors; a failed batch leaves nothing behind), ``MERGE`` on
``iri`` makes loading idempotent.  A server without constraints (FalkorDB's Bolt endpoint, used
by the tests) gets an index instead, and the degradations are reported.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph
from rdflib.namespace import PROV, SKOS

from .vocab import ENTITY_TYPES as ENTITY_CLASSES, RELATIONS
from .resources import query_dir
from .rdf import AIKG, ID


class LoadError(Exception):
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

    @property
    def counts(self) -> tuple[int, int]:
        nodes = sum(map(len, self.entities.values())) + len(self.funding)
        rels = sum(map(len, self.relations.values())) + sum(1 + len(f["investors"]) for f in self.funding)
        return nodes, rels


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1]


def _doc_id(term) -> str:
    return str(term).rsplit("/", 1)[-1]


def graph_rows(g: Graph) -> Rows:
    """Plain rows for the loader, read from the canonical RDF graph (sorted: deterministic)."""
    rows = Rows()
    for node, cls in sorted(g.subject_objects(RDF.type)):
        kind = _local(cls)
        if kind not in ENTITY_CLASSES:
            continue
        name = str(g.value(node, RDFS.label))
        aliases = sorted(str(a) for a in g.objects(node, SKOS.altLabel))
        rows.entities.setdefault(kind, []).append({
            "iri": str(node), "name": name, "aliases": aliases, "type": kind,
            "search_text": " | ".join([name, *aliases])})
    evidence: dict[tuple, list] = {}
    for st in g.subjects(RDF.type, RDF.Statement):
        key = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))
        evidence.setdefault(key, []).append((
            float(g.value(st, AIKG.confidence)), str(g.value(st, AIKG.evidenceText)),
            str(g.value(st, AIKG.extractor)), int(g.value(st, AIKG.sentenceIndex)),
            _doc_id(g.value(st, PROV.wasDerivedFrom))))
    for pred in RELATIONS:
        for s, o in sorted(g.subject_objects(AIKG[pred])):
            ev = sorted(evidence.get((s, AIKG[pred], o), []), key=lambda e: (-e[0], e[4], e[3]))
            rows.relations.setdefault(REL_TYPES[pred], []).append({
                "s": str(s), "o": str(o), "confidence": ev[0][0] if ev else None,
                "evidence": [e[1] for e in ev], "rules": sorted({e[2] for e in ev}),
                "source": ev[0][4] if ev else None, "sources": sorted({e[4] for e in ev}),
                "sentence": ev[0][3] if ev else None})
    for fr in sorted(g.subjects(RDF.type, AIKG.FundingRound)):
        def val(p):
            v = g.value(fr, p)
            return None if v is None else v.toPython()
        rows.funding.append({
            "iri": str(fr), "name": str(g.value(fr, RDFS.label)), "amount": float(val(AIKG.amount)),
            "currency": val(AIKG.currency), "approximate": bool(val(AIKG.approximate)),
            "round": None if val(AIKG.round) is None else str(val(AIKG.round)),
            "date": None if val(AIKG.date) is None else str(val(AIKG.date)),
            "evidence": str(val(AIKG.evidenceText)), "confidence": float(val(AIKG.confidence)),
            "source": _doc_id(g.value(fr, PROV.wasDerivedFrom)), "recipient": str(g.value(fr, AIKG.recipient)),
            "investors": sorted(str(i) for i in g.objects(fr, AIKG.investor))})
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
INVESTOR_MERGE = ("UNWIND $rows AS r MATCH (f:FundingRound {iri: r.f}) MATCH (i:Entity {iri: r.i}) "
                  "MERGE (f)-[:INVESTOR]->(i)")
WIPE = "MATCH (n:{label}) WHERE n.iri STARTS WITH $ns WITH n LIMIT 2000 DETACH DELETE n RETURN count(*) AS c"
SCHEMA = [
    ("constraint", "CREATE CONSTRAINT entity_iri IF NOT EXISTS FOR (n:Entity) REQUIRE n.iri IS UNIQUE",
     "CREATE INDEX FOR (n:Entity) ON (n.iri)"),
    ("constraint", "CREATE CONSTRAINT funding_iri IF NOT EXISTS FOR (n:FundingRound) REQUIRE n.iri IS UNIQUE",
     "CREATE INDEX FOR (n:FundingRound) ON (n.iri)"),
    ("full-text index", "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) "
     "ON EACH [n.name, n.search_text] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}", None),
]



CYPHER_DIR = query_dir("cypher")


def saved_query(name: str) -> str:
    """The text of a shipped Cypher query, e.g. ``competes_with``."""
    return (CYPHER_DIR / f"{name}.cypher").read_text(encoding="utf-8")

@dataclass
class Target:
    uri: str = "bolt://localhost:7687"
    user: str = "neo4j"
    password: str = ""
    database: str = "neo4j"
    timeout: float = 10.0       # seconds to connect; transient failures are retried for 3x this

    @classmethod
    def from_env(cls, **overrides) -> "Target":
        t = cls(os.environ.get("NEO4J_URI", cls.uri), os.environ.get("NEO4J_USER", cls.user),
                os.environ.get("NEO4J_PASSWORD", cls.password), os.environ.get("NEO4J_DATABASE", cls.database))
        for k, v in overrides.items():
            if v is not None:
                setattr(t, k, v)
        return t


@dataclass
class LoadReport:
    nodes: int = 0
    relationships: int = 0
    seconds: float = 0.0
    queries: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        rate = self.relationships / self.seconds if self.seconds else 0.0
        lines = [f"loaded {self.nodes} nodes and {self.relationships} relationships in {self.seconds:.2f} s "
                 f"({rate:.0f} relationships/s, {self.queries} queries)"]
        return "\n".join(lines + [f"note: {n}" for n in self.notes])


def _batches(rows: list, size: int, max_bytes: int | None):
    """Rows in groups of ``size``; with ``max_bytes`` also cut by the parameters' encoded size
    (FalkorDB inlines parameters into a fixed-size query buffer)."""
    batch, used = [], 0
    for row in rows:
        cost = len(repr(row).encode("utf-8")) if max_bytes else 0
        if batch and (len(batch) >= size or (max_bytes and used + cost > max_bytes)):
            yield batch
            batch, used = [], 0
        batch.append(row)
        used += cost
    if batch:
        yield batch


class Neo4jLoader:
    def __init__(self, target: Target, batch_size: int = 1000):
        from neo4j import GraphDatabase
        self.target = target
        self.batch_size = batch_size
        self.limited = False          # set when the server lacks Neo4j features (FalkorDB)
        auth = (target.user, target.password) if target.password else None
        self.driver = GraphDatabase.driver(target.uri, auth=auth, connection_timeout=target.timeout,
                                           connection_acquisition_timeout=target.timeout,
                                           max_transaction_retry_time=3 * target.timeout)

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
        if isinstance(exc, ServiceUnavailable):
            return LoadError(f"cannot reach a Bolt server at {self.target.uri}: is Neo4j running? ({exc})")
        if isinstance(exc, AuthError) or "Unauthorized" in str(exc) or "authentication" in str(exc).lower():
            return LoadError(f"authentication failed for user {self.target.user!r} at {where}")
        if isinstance(exc, ClientError) and "DatabaseNotFound" in (exc.code or ""):
            return LoadError(f"database {self.target.database!r} does not exist at {self.target.uri}")
        return LoadError(f"{where} refused the request: {exc}")

    # Everything runs in managed transactions: retried on transient errors, and the only way
    # FalkorDB's Bolt endpoint routes every query to the same graph.
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

    def connect(self) -> None:
        """Fail early, with one clear line, on a dead server, bad credentials or a missing database."""
        from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable
        for attempt in range(3):
            try:
                self.driver.verify_connectivity()
                self.read("RETURN 1 AS ok")
                return
            except ServiceUnavailable as exc:
                # FalkorDB's Bolt endpoint drops every other handshake: try again, briefly
                if attempt == 2 or "refused" in str(exc):
                    raise self._fail(exc) from exc
            except (DriverError, Neo4jError, OSError) as exc:
                raise self._fail(exc) from exc

    def ensure_schema(self, report: LoadReport) -> None:
        from neo4j.exceptions import Neo4jError
        for what, query, fallback in SCHEMA:
            try:
                self._write(query)
                continue
            except Neo4jError:
                pass
            self.limited = True
            if fallback is None:
                report.notes.append(f"this server has no {what} with the cjk analyzer; Neo4j 5 creates one")
                continue
            try:
                self._write(fallback)
                report.notes.append("this server rejected CREATE CONSTRAINT; used an index on iri instead")
            except Neo4jError:        # the index exists already
                report.notes.append("this server rejected CREATE CONSTRAINT; an index on iri exists")

    # ------------------------------------------------------------------ load
    def wipe(self) -> int:
        """Delete what an earlier load put there (nodes with an aikg IRI), nothing else."""
        deleted = 0
        for label in ("Entity", "FundingRound"):
            while True:
                n = self._write(WIPE.format(label=label), ns=str(ID))[0]["c"]
                deleted += n
                if n == 0:
                    break
        return deleted

    def _send(self, query: str, rows: list, report: LoadReport, per_row: bool) -> None:
        if self.limited:
            rows = [_fit(r) for r in rows]
        size = 1 if per_row else self.batch_size
        for batch in _batches(rows, size, 3000 if self.limited else None):
            self._write(query, batch)
            report.queries += 1

    def load(self, rows: Rows, wipe: bool = False, per_row: bool = False) -> LoadReport:
        from neo4j.exceptions import DriverError, Neo4jError
        report = LoadReport()
        try:
            self.connect()
            self.ensure_schema(report)
            if wipe:
                report.notes.append(f"wiped {self.wipe()} nodes of an earlier load")
            t0 = time.perf_counter()      # throughput counts the data, not the handshake
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
        except LoadError:
            raise
        except (DriverError, Neo4jError, OSError) as exc:
            raise self._fail(exc) from exc
        report.nodes, report.relationships = rows.counts
        report.seconds = time.perf_counter() - t0
        if self.limited:
            report.notes.append("limited server: ASCII quotes in text replaced and long evidence shortened")
        return report


def _fit(row: dict) -> dict:
    """For FalkorDB's Bolt endpoint, which pastes parameters into the query text unescaped and
    into a fixed buffer: no ASCII quote or backslash, at most one evidence sentence of 200 chars."""
    def clean(v):
        if isinstance(v, str):
            return v.replace("'", "’").replace("\\", "＼")
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v
    out = {k: clean(v) for k, v in row.items()}
    if isinstance(out.get("evidence"), list):
        out["evidence"] = [e[:200] for e in out["evidence"][:1]]
    elif isinstance(out.get("evidence"), str):
        out["evidence"] = out["evidence"][:200]
    return out


def load_ttl(ttl, target: Target, wipe: bool = False, batch_size: int = 1000, per_row: bool = False) -> LoadReport:
    g = Graph().parse(ttl, format="turtle")
    with Neo4jLoader(target, batch_size) as loader:
        return loader.load(graph_rows(g), wipe=wipe, per_row=per_row)


def add_neo4j_args(parser) -> None:
    parser.add_argument("--uri", help="Bolt URI (env NEO4J_URI, default bolt://localhost:7687)")
    parser.add_argument("--user", help="user (env NEO4J_USER, default neo4j)")
    parser.add_argument("--password", help="password (env NEO4J_PASSWORD)")
    parser.add_argument("--database", help="database (env NEO4J_DATABASE, default neo4j)")
    parser.add_argument("--wipe", action="store_true", help="first delete what an earlier load put there")
    parser.add_argument("--batch-size", type=int, default=1000, help="rows per UNWIND transaction")


def load_from_args(a, ttl) -> int:
    target = Target.from_env(uri=a.uri, user=a.user, password=a.password, database=a.database)
    print(load_ttl(ttl, target, wipe=a.wipe, batch_size=a.batch_size))
    return 0
