"""``kg build``: corpus folder -> DIR/kg.ttl and DIR/extractions.jsonl, stage by stage."""
from __future__ import annotations

import gc
import json
import logging
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import orjson
from rdflib import Graph

from .cache import MISSING, DocCache, is_disabled
from .cache import default_folder as default_cache
from .cache import key as cache_key
from .extract.corpus import CorpusError, iter_corpus
from .extract.kb import load_kb
from .extract.records import Entity, FundingRound, Mention, NormalizedDoc, Relation
from .extract.stages import merge_relations, resolve_entities, well_typed
from .files import (
    EXTRACTIONS,
    INVALID,
    TTL,
    output_lock,
    outputs_consistent,
    shown,
    write_atomic,
    write_unit,
)
from .graph.rdf import build_graph, to_turtle
from .parallel import (
    Config,
    Executor,
    can_fork,
    choose_ner,
    default_workers,
    extract,
    facts,
    ner_threads,
    start_method,
)
from .progress import Progress

log = logging.getLogger(__name__)

@dataclass
class BuildResult:
    docs: list[NormalizedDoc] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    funding: list[FundingRound] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    backend: str = ""
    graph: Graph = field(default_factory=Graph)
    changed: set[str] = field(default_factory=set)    # documents extracted anew, not from the cache
    cache_hits: int = 0
    dropped: int = 0                                  # facts with an end of the wrong kind (well_typed)


@contextmanager
def _timed(timings: dict, stage: str):
    t0 = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - t0


@contextmanager
def _few_full_collections():
    """A build makes hundreds of thousands of records that live until its end; CPython's full
    collections walked them again and again (a third of a re-build from the cache at 100x).
    Young garbage is still collected; the thresholds are restored afterwards (forked workers
    inherit them)."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 50, 50)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@_few_full_collections()
def run(corpus: Path, ner: str = "auto", hanlp_model: str | None = None, min_confidence: float = 0.0,
        strict: bool = False, workers: int = 1, cache: Path | None = None,
        scheduler: str | None = None) -> BuildResult:
    """Read, tag and resolve the corpus into records and a graph.  Per document (in ``workers``
    processes, or on the Dask ``scheduler``): normalization, NER and mentions, then relations;
    globally, in this process: entity resolution and the graph.  With a ``cache`` folder, a
    document whose text, metadata and pipeline are unchanged is not tagged again, and its
    relations are not read again when its entities kept their keys and names.  Progress and
    skipped files go to the ``kg.build`` logger at INFO (the CLI shows them unless --quiet)."""
    res = BuildResult()
    say = log.info
    cfg = Config(ner, hanlp_model, min_confidence)
    store = DocCache(cache)
    with _timed(res.timings, "read"):
        sources = []
        for item in iter_corpus(corpus):
            if isinstance(item, CorpusError):
                if strict:
                    raise item
                res.errors.append(str(item))
                say(f"error: {item} (skipped)")
                continue
            sources.append(item)
    if not sources:
        raise CorpusError(f"{corpus}: no readable .txt article" + (f" ({'; '.join(res.errors)})" if res.errors else ""))
    with _timed(res.timings, "read"):
        cfg, ner_id, fallback = choose_ner(cfg)
        keys = [cache_key("mentions", ner_id, s.doc_id, json.dumps(s.meta, sort_keys=True, ensure_ascii=False),
                          s.text) for s in sources]
        per_doc = [store.get("mentions", k) for k in keys]
    todo = [i for i, hit in enumerate(per_doc) if hit is MISSING]
    # a process per document at most: a pool costs a model load per worker
    processes = min(workers, len(todo) or 1)
    cfg = replace(cfg, threads=ner_threads(processes, scheduler))
    with Executor(processes, scheduler, start_method(cfg)) as ex:
        with _timed(res.timings, "ner+mentions"):
            if todo:
                say(f"tagging {len(todo)} of {len(sources)} document(s) in {ex.where}")
            with Progress(len(todo), "documents", say if log.isEnabledFor(logging.INFO) else None) as bar:
                for i, out in zip(todo, ex.map(extract, cfg, [(sources[i],) for i in todo], cost=_text_size),
                                  strict=True):
                    store.put("mentions", keys[i], out)
                    per_doc[i] = out
                    sources[i] = None                 # the raw text is not needed any more
                    bar.update(shown(out[0].doc_id))
        res.backend = f"lac ({fallback})" if fallback else per_doc[-1][2]
        res.docs = [d for d, _, _ in per_doc]
        doc_ms = [ms for _, ms, _ in per_doc]
        res.mentions = [m for ms in doc_ms for sent_ms in ms.values() for m in sent_ms]
        res.changed = {res.docs[i].doc_id for i in todo}
        with _timed(res.timings, "entity resolution"):
            res.entities = resolve_entities(res.mentions, load_kb())
            names = {e.iri_key: e.name for e in res.entities}
        with _timed(res.timings, "relations"):
            # a document's relations depend on its own mentions and the names of their entities
            tasks, fkeys = [], []
            for doc, ms, k in zip(res.docs, doc_ms, keys, strict=True):
                own = {m.entity: names[m.entity] for sent_ms in ms.values() for m in sent_ms if m.entity}
                tasks.append((doc, ms, own))
                fkeys.append(cache_key("facts", k, min_confidence, sorted(own.items()),
                                       [(m.sent, m.start, m.end, m.entity) for sm in ms.values() for m in sm]))
            facts_of = [store.get("facts", k) for k in fkeys]
            redo = [i for i, hit in enumerate(facts_of) if hit is MISSING]
            for i, out in zip(redo, ex.map(facts, cfg, [tasks[i] for i in redo], cost=_text_size), strict=True):
                store.put("facts", fkeys[i], out)
                facts_of[i] = out
            res.changed |= {res.docs[i].doc_id for i in redo}
            res.relations, res.funding, res.dropped = well_typed(
                merge_relations([r for f in facts_of for r in f.relations]),
                [r for f in facts_of for r in f.funding], res.entities)
    res.cache_hits = len(sources) - len(todo)
    with _timed(res.timings, "rdf"):
        res.graph = build_graph(res.docs, res.entities, res.relations, res.funding)
    return res


def _text_size(task: tuple) -> int:
    """The work of a per-document task grows with its text (a SourceDoc or a NormalizedDoc first)."""
    return len(task[0].text)


def _json_line(record: dict) -> bytes:
    """orjson (the standard encoder was a third of a re-build's writing at 100x), compact UTF-8;
    the standard encoder for what orjson refuses: an integer beyond 64 bits, which a manifest's
    own fields may hold."""
    try:
        return orjson.dumps(record) + b"\n"
    except orjson.JSONEncodeError:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def write_outputs(res: BuildResult, out: Path) -> dict[str, Path]:
    out = Path(out)
    ttl = to_turtle(res.graph)
    lines = []
    for doc in res.docs:
        # the normalized text makes the file self-contained: mention offsets point into it
        lines.append({"kind": "document", "doc": doc.doc_id, "meta": doc.meta, "stats": doc.stats,
                      "sentences": len(doc.sentences), "text": doc.text})
    # Mention and Evidence hold plain values: their fields as they are, without asdict's deep copy
    # (a third of a re-build's writing at 100x)
    for m in res.mentions:
        lines.append({"kind": "mention", **vars(m)})
    for e in res.entities:
        lines.append({"kind": "entity", "key": e.iri_key, "name": e.name, "type": e.type,
                      "aliases": e.aliases, "mentions": len(e.mentions)})
    for r in res.relations:
        lines.append({"kind": "relation", "s": r.subject, "p": r.predicate, "o": r.object,
                      "confidence": r.confidence, "evidence": [vars(e) for e in r.evidence]})
    for f in res.funding:
        lines.append({"kind": "funding", **asdict(f)})
    paths = {"turtle": out / TTL, "extractions": out / EXTRACTIONS}
    data = {paths["extractions"]: b"".join(_json_line(x) for x in lines),
            paths["turtle"]: ttl}
    write_unit(out, data)
    return paths


class InvalidGraph(Exception):
    """The extracted graph violates the SHACL shapes; the previous outputs were left in place."""

    def __init__(self, violations: list, kept_aside: Path):
        super().__init__(f"the graph violates ontology/shapes.ttl; outputs not replaced, see {kept_aside}")
        self.violations = violations
        self.kept_aside = kept_aside


VALIDATE_MODES = ("fast", "full", "off")


def build(corpus: Path, out: Path, validate: str = "fast", cache: Path | str | None = None,
          **run_options) -> tuple[BuildResult, dict[str, Path]]:
    """``run`` then SHACL validation, then the outputs.  A graph that fails validation is written
    to OUT/kg.invalid.ttl and raises InvalidGraph: the last good outputs stay.

    ``validate``: ``full`` checks the whole graph; ``fast`` the part that depends on the
    documents extracted anew (everything on a first build, one article's part after adding one);
    ``off`` skips it.  ``cache``: a folder (default OUT/.kg-cache), or "off"."""
    from .graph.validate import changed_nodes
    from .graph.validate import validate as shacl
    if validate not in VALIDATE_MODES:
        raise ValueError(f"unknown validation mode {validate!r}; choose one of {', '.join(VALIDATE_MODES)}")
    cache = None if is_disabled(str(cache) if cache else None) else Path(cache) if cache else default_cache(out)
    with output_lock(Path(out)), _few_full_collections():
        res = run(Path(corpus), cache=cache, **run_options)
        violations = []
        # the map's processes, up to this machine's cores, while forking is safe (not with a model here)
        processes = min(run_options.get("workers", 1), default_workers()) if can_fork() else 1
        with _timed(res.timings, "validate"):
            if validate == "full" or (validate == "fast" and len(res.changed) == len(res.docs)):
                violations = shacl(res.graph, processes=processes)
            elif validate == "fast" and res.changed:
                violations = shacl(res.graph, focus=changed_nodes(res.graph, res.changed), processes=processes)
        if violations:
            bad = Path(out) / INVALID
            write_atomic(bad, to_turtle(res.graph))
            raise InvalidGraph(violations, bad)
        with _timed(res.timings, "write"):
            paths = write_outputs(res, Path(out))
    return res, paths


def ensure_built(corpus: Path, out: Path, **run_options) -> Path:
    """OUT/kg.ttl, built first when it is missing, older than an article or the manifest, or
    not recorded with extractions.jsonl as one build (what notebooks call so that they run on a
    fresh checkout)."""
    ttl = Path(out) / TTL
    sources = [p for p in Path(corpus).iterdir() if p.suffix in (".txt", ".json")] if Path(corpus).is_dir() else []
    if not outputs_consistent(out) or any(_mtime(p) > ttl.stat().st_mtime for p in sources):
        build(corpus, out, **{"min_confidence": 0.5, **run_options})  # the CLI's defaults
    return ttl


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:         # a dangling link or an unreadable entry: the build reports it
        return 0.0


def summary(res: BuildResult) -> str:
    ents = Counter(e.type for e in res.entities)
    rels = Counter(r.predicate for r in res.relations)
    lines = [
        f"NER backend: {res.backend}",
        f"documents: {len(res.docs)}  sentences: {sum(len(d.sentences) for d in res.docs)}"
        f"  mentions: {len(res.mentions)}  skipped files: {len(res.errors)}",
        f"entities: {len(res.entities)}  " + "  ".join(f"{k} {v}" for k, v in sorted(ents.items())),
        f"relations: {len(res.relations)}  " + "  ".join(f"{k} {v}" for k, v in sorted(rels.items()))
        + (f"  (dropped {res.dropped} with an end of the wrong kind)" if res.dropped else ""),
        f"funding figures: {len(res.funding)}",
        "seconds: " + "  ".join(f"{k} {v:.2f}" for k, v in res.timings.items()),
    ]
    return "\n".join(lines)

