"""The per-document map of ``kg build``, in this process, in local worker processes, or on a Dask
cluster.

Documents are independent until entity resolution, so each one is normalized and tagged
(``extract``) on its own; after the global resolution each one's relations are read
(``facts``) on its own again.  Tasks are plain functions of picklable records; the NER pipeline
and the relation extractor are built once per process, on its first task, from the ``Config``
the task carries, so the same code runs under ``concurrent.futures`` and under Dask.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

from .extract.normalize import normalize
from .extract.records import Mention, NormalizedDoc, SourceDoc
from .extract.stages import DocFacts, doc_facts, doc_mentions

SCHEDULER_ENV = "KG_SCHEDULER"


@dataclass(frozen=True)
class Config:
    ner: str = "auto"
    hanlp_model: str | None = None
    min_confidence: float = 0.0
    threads: int = 0        # the NER model's threads in each process (0: its own default)


_loaded: dict = {}
_loading = threading.Lock()     # a Dask worker may run several tasks at once: load once


def _nlp(cfg: Config):
    with _loading:
        key = ("nlp", cfg.ner, cfg.hanlp_model, cfg.threads)
        if key not in _loaded:
            from .extract.pipeline import build_nlp
            kwargs = {"hanlp_model": cfg.hanlp_model} if cfg.hanlp_model else {}
            _loaded[key] = build_nlp(cfg.ner, threads=cfg.threads, **kwargs)
        return _loaded[key]


def _extractor(cfg: Config):
    with _loading:
        if ("rel", cfg.min_confidence) not in _loaded:
            from .extract.kb import load_kb
            from .extract.relations import RelationExtractor
            _loaded[("rel", cfg.min_confidence)] = RelationExtractor(load_kb(), cfg.min_confidence)
        return _loaded[("rel", cfg.min_confidence)]


def backend(cfg: Config) -> str:
    nlp = _nlp(cfg)
    return f"{nlp.meta['ner_backend']} ({nlp.meta['ner_backend_reason']})"


def choose_ner(cfg: Config) -> tuple[Config, str, str | None]:
    """Settle ``--ner auto`` here, without loading a model, so every worker runs the same backend
    (a worker is a fresh interpreter, possibly another machine): the config the workers get,
    what the cache keys the NER by, and why LAC replaced HanLP (None when it did not)."""
    from .extract.ner import DEFAULT_HANLP_MODEL, BackendUnavailable, resolve_hanlp_model
    if cfg.ner == "lac":
        return cfg, "lac", None
    try:
        return cfg, "hanlp:" + resolve_hanlp_model(cfg.hanlp_model or DEFAULT_HANLP_MODEL), None
    except BackendUnavailable as exc:
        if cfg.ner == "hanlp":
            raise
        return replace(cfg, ner="lac", hanlp_model=None), "lac", f"HanLP unavailable, using LAC: {exc}"


def extract(cfg: Config, src: SourceDoc) -> tuple[NormalizedDoc, dict[int, list[Mention]], str]:
    doc = normalize(src)
    return doc, doc_mentions(_nlp(cfg), doc), backend(cfg)


def facts(cfg: Config, doc: NormalizedDoc, mentions: dict[int, list[Mention]], names: dict[str, str]) -> DocFacts:
    return doc_facts(_extractor(cfg), doc, mentions, names)


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def ner_threads(processes: int, scheduler: str | None) -> int:
    """The NER model's threads in each process: this machine's cores shared among the local
    processes (one process alone uses them all, as the model's own default does: up to 15% of
    a small build on a quiet machine here; N processes on N cores run one each), and one on a
    Dask worker, whose own threads already share its cores.  The scores do not depend on it."""
    return 1 if scheduler else max(1, default_workers() // processes)


def start_method(cfg: Config) -> str:
    """How local workers start.  A fork starts at once, with every module this process imported;
    a spawned worker imports spaCy and the rest anew (seconds each).  Forking is safe while this
    process holds no model: a loaded ONNX Runtime session or a PyTorch model that has run keeps
    thread pools a child cannot use.  HanLP workers are always spawned, since PyTorch's OpenMP
    pool is not fork-safe once used; so is everything off Linux, where fork is unsafe or absent."""
    return "fork" if cfg.ner == "lac" and can_fork() else "spawn"


def can_fork() -> bool:
    """Whether a child forked from this process now works: on Linux, without a loaded model."""
    from .extract.ner import model_loaded
    return sys.platform == "linux" and not model_loaded()


class Executor:
    """``map(fn, cfg, items)`` yields ``fn(cfg, *item)`` in the order of ``items``."""

    def __init__(self, workers: int = 1, scheduler: str | None = None, start: str = "spawn"):
        self.workers, self.scheduler, self.start = max(1, workers), scheduler, start
        self._pool = self._client = None

    @property
    def where(self) -> str:
        if self.scheduler:
            return f"dask scheduler {self.scheduler}"
        return f"{self.workers} worker processes ({self.start}ed)" if self.workers > 1 else "this process"

    def __enter__(self):
        if self.scheduler:
            try:
                from distributed import Client
            except ImportError:
                raise OSError("--scheduler needs Dask: pip install 'aikg[cluster]'") from None
            try:
                self._client = Client(self.scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise OSError(f"{self.scheduler}: cannot reach the Dask scheduler ({exc})") from None
        elif self.workers > 1:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(self.start))
        return self

    def __exit__(self, *exc):
        if self._pool:
            self._pool.shutdown(cancel_futures=True)
        if self._client:
            self._client.close()

    def map(self, fn: Callable, cfg: Config, items: Iterable[tuple],
            cost: Callable[[tuple], int] | None = None) -> Iterator:
        """``cost(item)``, an estimate of an item's work (its length), sends the costliest first,
        so that a long article does not start last and keep one worker busy alone at the end."""
        items = list(items)
        order = sorted(range(len(items)), key=lambda i: -cost(items[i])) if cost else range(len(items))
        if self._client:
            # pure=False: every task runs; the results are handed on in the order of the items
            futures = {i: self._client.submit(fn, cfg, *items[i], pure=False) for i in order}
            for i in range(len(items)):
                yield futures[i].result()
                futures.pop(i).release()
            return
        if self._pool:
            pending = {i: self._pool.submit(fn, cfg, *items[i]) for i in order}
            for i in range(len(items)):
                yield pending.pop(i).result()
            return
        for item in items:
            yield fn(cfg, *item)
