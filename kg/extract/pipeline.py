"""Build the spaCy pipeline: a blank Chinese pipeline (character tokens, so every span aligns)
with one NER backend, the KB gazetteer, cue patterns and the money matcher."""
from __future__ import annotations

import logging

import spacy
from spacy.language import Language

from . import cues, funding, gazetteer, money, ner  # noqa: F401  (registers the factories)
from .ner import DEFAULT_HANLP_MODEL, BackendUnavailable, load_hanlp

log = logging.getLogger(__name__)
BACKENDS = ("auto", "hanlp", "lac")


def choose_backend(choice: str, hanlp_model: str = DEFAULT_HANLP_MODEL) -> tuple[str, str]:
    """Return (backend, reason).  ``auto`` prefers HanLP when its model loads here."""
    if choice not in BACKENDS:
        raise ValueError(f"unknown NER backend {choice!r}; choose one of {', '.join(BACKENDS)}")
    if choice == "lac":
        return "lac", "requested"
    try:
        load_hanlp(hanlp_model)
        return "hanlp", f"model {hanlp_model}"
    except BackendUnavailable as exc:
        if choice == "hanlp":
            raise
        return "lac", f"HanLP unavailable, using LAC: {exc}"


def build_nlp(backend: str = "auto", hanlp_model: str = DEFAULT_HANLP_MODEL,
              kb_path: str | None = None, threads: int = 0) -> Language:
    """``threads``: the NER model's threads (0: its own default, a thread per core)."""
    chosen, reason = choose_backend(backend, hanlp_model)
    log.info("NER backend: %s (%s)", chosen, reason)
    nlp = spacy.blank("zh")
    if chosen == "hanlp":
        nlp.add_pipe("hanlp_ner", config={"model": hanlp_model, "threads": threads})
    else:
        nlp.add_pipe("lac_ner", config={"threads": threads})
    nlp.add_pipe("kb_gazetteer", config={"kb_path": kb_path})
    nlp.add_pipe("cue_mentions")
    nlp.add_pipe("investor_mentions")
    nlp.add_pipe("money_matcher")
    nlp.meta["ner_backend"] = chosen
    nlp.meta["ner_backend_reason"] = reason
    return nlp
