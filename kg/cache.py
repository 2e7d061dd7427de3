"""Per-document cache of ``kg build``: one file per document and stage, keyed by a hash of what
the result depends on (the document's text and metadata, the pipeline's code, KB and ontology,
the NER backend), so that a re-build redoes only the documents that changed.

Entries are pickles written to a temporary file and renamed (concurrent builds sharing a cache
never see half an entry; two writers of one key write the same bytes).  An entry that cannot be
read back (truncated, from another Python, tampered with) is treated as missing: recomputed and
overwritten.  Only point ``--cache`` at a folder you trust: pickles run code when loaded.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
from functools import lru_cache
from pathlib import Path

from .files import write_atomic
from .resources import ontology_file

log = logging.getLogger("kg")
MISSING = object()


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of every module of ``kg`` and of the ontology files (vocabulary, shapes, KB): a
    change to a rule, a KB row or a shape invalidates every entry."""
    h = hashlib.sha256()
    code = Path(__file__).parent
    files = sorted(code.rglob("*.py")) + [ontology_file(n) for n in ("aikg.ttl", "shapes.ttl", "kb.csv")]
    for f in files:
        h.update(f.name.encode() + b"\0")
        try:
            h.update(f.read_bytes())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()


def key(*parts) -> str:
    """A stable hash of ``parts`` (strings, bytes, or anything ``repr`` spells deterministically)."""
    h = hashlib.sha256(pipeline_version().encode())
    for p in parts:
        h.update(b"\0" + (p if isinstance(p, bytes) else str(p).encode("utf-8")))
    return h.hexdigest()


class DocCache:
    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self.hits = self.misses = 0

    def _path(self, stage: str, k: str) -> Path:
        assert self.folder is not None      # only called when the cache is on
        return self.folder / stage / k[:2] / f"{k}.pickle"

    def get(self, stage: str, k: str):
        if self.folder is None:
            return MISSING
        path = self._path(stage, k)
        try:
            with open(path, "rb") as f:
                value = pickle.load(f)
        except FileNotFoundError:
            self.misses += 1
            return MISSING
        except Exception as exc:    # any unpickling failure: a damaged entry, recomputed
            log.warning("warning: %s: unreadable cache entry (%s); recomputing", path, type(exc).__name__)
            self.misses += 1
            return MISSING
        self.hits += 1
        return value

    def put(self, stage: str, k: str, value) -> None:
        if self.folder is None:
            return
        try:
            write_atomic(self._path(stage, k), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:      # a full or read-only cache costs speed, never the build
            log.warning("warning: %s: cannot write the cache (%s)", self.folder, exc.strerror)


def default_folder(out: Path) -> Path:
    return Path(out) / ".kg-cache"


def is_disabled(value: str | None) -> bool:
    return value is not None and value.lower() in ("off", "none", os.devnull)
