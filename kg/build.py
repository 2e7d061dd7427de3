"""``kg build``: corpus folder -> DIR/kg.ttl and DIR/extractions.jsonl, stage by stage."""
from __future__ import annotations

import json
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import Graph

from .extract.corpus import CorpusError, iter_corpus
from .extract.kb import load_kb
from .extract.normalize import normalize
from .extract.pipeline import build_nlp
from .extract.records import Entity, FundingRound, Mention, NormalizedDoc, Relation
from .extract.relations import RelationExtractor
from .extract.stages import doc_facts, doc_mentions, merge_relations, resolve_entities
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
from .graph.rdf import build_graph


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


@contextmanager
def _timed(timings: dict, stage: str):
    t0 = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - t0


def run(corpus: Path, ner: str = "auto", hanlp_model: str | None = None, min_confidence: float = 0.0,
        strict: bool = False, progress=None) -> BuildResult:
    res = BuildResult()
    say = progress or (lambda msg: None)
    with _timed(res.timings, "read+normalize"):
        for item in iter_corpus(corpus):
            if isinstance(item, CorpusError):
                if strict:
                    raise item
                res.errors.append(str(item))
                say(f"error: {item} (skipped)")
                continue
            res.docs.append(normalize(item))
    if not res.docs:
        raise CorpusError(f"{corpus}: no readable .txt article" + (f" ({'; '.join(res.errors)})" if res.errors else ""))
    with _timed(res.timings, "load models"):
        kwargs = {"hanlp_model": hanlp_model} if hanlp_model else {}
        nlp = build_nlp(ner, **kwargs)
        res.backend = f"{nlp.meta['ner_backend']} ({nlp.meta['ner_backend_reason']})"
        kb = load_kb()
    per_doc = []
    for i, doc in enumerate(res.docs, 1):
        say(f"[{i}/{len(res.docs)}] {shown(doc.doc_id)}: {len(doc.sentences)} sentences")
        with _timed(res.timings, "ner+mentions"):
            per_doc.append(doc_mentions(nlp, doc))
            res.mentions.extend(m for ms in per_doc[-1].values() for m in ms)
    with _timed(res.timings, "entity resolution"):
        res.entities = resolve_entities(res.mentions, kb)
        names = {e.iri_key: e.name for e in res.entities}
    with _timed(res.timings, "relations"):
        extractor = RelationExtractor(kb, min_confidence)
        relations: list[Relation] = []
        for doc, mentions in zip(res.docs, per_doc, strict=True):
            facts = doc_facts(extractor, doc, mentions, names)
            relations += facts.relations
            res.funding.extend(facts.funding)
        res.relations = merge_relations(relations)
    with _timed(res.timings, "rdf"):
        res.graph = build_graph(res.docs, res.entities, res.relations, res.funding)
    return res


def write_outputs(res: BuildResult, out: Path) -> dict[str, Path]:
    out = Path(out)
    ttl = res.graph.serialize(format="turtle")
    lines = []
    for doc in res.docs:
        # the normalized text makes the file self-contained: mention offsets point into it
        lines.append({"kind": "document", "doc": doc.doc_id, "meta": doc.meta, "stats": doc.stats,
                      "sentences": len(doc.sentences), "text": doc.text})
    for m in res.mentions:
        lines.append({"kind": "mention", **asdict(m)})
    for e in res.entities:
        lines.append({"kind": "entity", "key": e.iri_key, "name": e.name, "type": e.type,
                      "aliases": e.aliases, "mentions": len(e.mentions)})
    for r in res.relations:
        lines.append({"kind": "relation", "s": r.subject, "p": r.predicate, "o": r.object,
                      "confidence": r.confidence, "evidence": [asdict(e) for e in r.evidence]})
    for f in res.funding:
        lines.append({"kind": "funding", **asdict(f)})
    paths = {"turtle": out / TTL, "extractions": out / EXTRACTIONS}
    data = {paths["extractions"]: "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode("utf-8"),
            paths["turtle"]: ttl.encode("utf-8")}
    write_unit(out, data)
    return paths


class InvalidGraph(Exception):
    """The extracted graph violates the SHACL shapes; the previous outputs were left in place."""

    def __init__(self, violations: list, kept_aside: Path):
        super().__init__(f"the graph violates ontology/shapes.ttl; outputs not replaced, see {kept_aside}")
        self.violations = violations
        self.kept_aside = kept_aside


def build(corpus: Path, out: Path, **run_options) -> tuple[BuildResult, dict[str, Path]]:
    """``run`` then SHACL validation, then the outputs.  A graph that fails validation is written
    to OUT/kg.invalid.ttl and raises InvalidGraph: the last good outputs stay."""
    from .graph.validate import validate
    with output_lock(Path(out)):
        res = run(Path(corpus), **run_options)
        with _timed(res.timings, "validate"):
            violations = validate(res.graph)
        if violations:
            bad = Path(out) / INVALID
            write_atomic(bad, res.graph.serialize(format="turtle"))
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
        f"relations: {len(res.relations)}  " + "  ".join(f"{k} {v}" for k, v in sorted(rels.items())),
        f"funding figures: {len(res.funding)}",
        "seconds: " + "  ".join(f"{k} {v:.2f}" for k, v in res.timings.items()),
    ]
    return "\n".join(lines)


def progress_to_stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)
