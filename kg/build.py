"""``kg build``: corpus folder -> DIR/kg.ttl and DIR/extractions.jsonl, stage by stage."""
from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .corpus import CorpusError, iter_corpus, shown
from .entities import resolve
from .kb import load_kb
from .mentions import extract_mentions
from .normalize import normalize
from .pipeline import build_nlp
from .rdf import build_graph
from .relations import RelationExtractor

TTL, EXTRACTIONS, INVALID = "kg.ttl", "extractions.jsonl", "kg.invalid.ttl"
BUILD_RECORD = "build.json"     # the hashes of the outputs one build wrote together
LOCK = ".kg-build.lock"
WRITE_CHECK = "write-check"


@dataclass
class BuildResult:
    docs: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    relations: list = field(default_factory=list)
    funding: list = field(default_factory=list)
    mentions: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    backend: str = ""
    graph: object = None


@contextmanager
def _timed(timings: dict, stage: str):
    t0 = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - t0


def _staged(path: Path, data: str | bytes) -> str:
    """A temporary file beside ``path`` holding ``data``, flushed to disk, ready to be renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)      # mkstemp's 0600 would make outputs private to one user
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write next to the target and rename: a crash never leaves a half-written file."""
    tmp = _staged(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


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
            by_sent = {}
            for sent, sdoc in zip(doc.sentences, nlp.pipe(s.text for s in doc.sentences)):
                by_sent[sent.index] = extract_mentions(sdoc, sent)
                res.mentions.extend(by_sent[sent.index])
        per_doc.append(by_sent)
    with _timed(res.timings, "entity resolution"):
        res.entities, key_of = resolve(res.mentions, kb)
        names = {e.iri_key: e.name for e in res.entities}
    with _timed(res.timings, "relations"):
        extractor = RelationExtractor(kb, min_confidence)
        merged: dict[tuple, object] = {}
        for doc, by_sent in zip(res.docs, per_doc):
            rels, rounds = extractor.extract_doc(doc.sentences, by_sent, key_of, names)
            for r in rels:
                if (r.subject, r.predicate, r.object) in merged:
                    merged[(r.subject, r.predicate, r.object)].evidence.extend(r.evidence)
                else:
                    merged[(r.subject, r.predicate, r.object)] = r
            res.funding.extend(rounds)
        res.relations = sorted(merged.values(), key=lambda r: (r.predicate, r.subject, r.object))
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
    entity_of = {id(m): e.iri_key for e in res.entities for m in e.mentions}
    for m in res.mentions:
        lines.append({"kind": "mention", **asdict(m), "entity": entity_of.get(id(m))})
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
    # All files are complete on disk before any is renamed; the record of the two hashes goes
    # last, so a kill between the renames leaves files that readers see do not belong together.
    record = {"files": {p.name: _sha256(content) for p, content in data.items()}}
    data[out / BUILD_RECORD] = (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8")
    staged = {}
    try:
        for path, content in data.items():
            staged[path] = _staged(path, content)
        with _signals_held():
            for path in data:
                os.replace(staged.pop(path), path)
    finally:
        for tmp in staged.values():
            os.unlink(tmp)
    return paths


@contextmanager
def _signals_held():
    """Ctrl-C and SIGTERM wait for the renames, so that they never split one build's outputs
    (only SIGKILL or a crash can, and build.json shows it)."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class MismatchedOutputs(OSError):
    """Output files of one folder that are not from the same build."""


def check_outputs(out: Path, names=(TTL, EXTRACTIONS)) -> None:
    """Raise MismatchedOutputs when a file of ``names`` in ``out`` differs from what build.json
    recorded for it (a build killed between its renames, a file replaced by hand).  Folders
    without build.json (written before it existed) are not checked."""
    out = Path(out)
    record_path = out / BUILD_RECORD
    if not record_path.is_file():
        return
    try:
        recorded = json.loads(record_path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MismatchedOutputs(f"{shown(record_path)}: unreadable build record ({exc}); run kg build again") from None
    for name in names:
        path = out / name
        if name in recorded and (not path.is_file() or _sha256(path.read_bytes()) != recorded[name]):
            raise MismatchedOutputs(f"{shown(path)} is not the file the last build in {shown(out)} wrote"
                                    f" (see {BUILD_RECORD}); run kg build again")


def outputs_consistent(out: Path) -> bool:
    """Both outputs present and recorded together in build.json by one build."""
    try:
        check_outputs(out)
    except MismatchedOutputs:
        return False
    return all((Path(out) / n).is_file() for n in (TTL, EXTRACTIONS, BUILD_RECORD))


@contextmanager
def output_lock(out: Path):
    """Exclusive use of ``out`` by one build, taken before any work: the folder must be
    writable, a second build into it stops at once instead of overwriting the first one's
    outputs, and temporaries a killed build left behind are removed.  The kernel releases the
    lock when the process dies, however it dies."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise OSError(f"{shown(out)}: cannot write into the output folder ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise OSError(f"{shown(out)}: another kg build (process {holder or '?'}) is writing into this folder;"
                          " wait for it to finish or pass another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            os.unlink(_staged(out / WRITE_CHECK, b""))
        except OSError as exc:
            raise OSError(f"{shown(out)}: cannot write into the output folder ({exc.strerror})") from None
        for name in (TTL, EXTRACTIONS, BUILD_RECORD, INVALID, WRITE_CHECK):
            for stale in out.glob(f".{glob.escape(name)}.*"):
                stale.unlink(missing_ok=True)
        yield
    finally:
        os.close(fd)


class InvalidGraph(Exception):
    """The extracted graph violates the SHACL shapes; the previous outputs were left in place."""

    def __init__(self, violations: list, kept_aside: Path):
        super().__init__(f"the graph violates ontology/shapes.ttl; outputs not replaced, see {kept_aside}")
        self.violations = violations
        self.kept_aside = kept_aside


def build(corpus: Path, out: Path, **run_options) -> tuple[BuildResult, dict[str, Path]]:
    """``run`` then SHACL validation, then the outputs.  A graph that fails validation is written
    to OUT/kg.invalid.ttl and raises InvalidGraph: the last good outputs stay."""
    from .validate import validate
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
