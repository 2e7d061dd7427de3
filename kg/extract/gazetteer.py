"""``kb_gazetteer``: a spaCy PhraseMatcher over every name and alias in the knowledge base.

It catches what generic NER misses (English names inside Chinese, model names such as GPT-3 or
DeepSeek-R1, Chinese company names that look like verbs, e.g. 出门问问) and links each match to
its KB entry (``span.kb_id_`` is the canonical name, ``span.label_`` the ontology class).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from .doctext import doc_text
from .kb import latin_boundary_ok, load_kb


@Language.factory("kb_gazetteer", default_config={"kb_path": None})
def make_kb_gazetteer(nlp: Language, name: str, kb_path: str | None):
    kb = load_kb(kb_path)
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for entry in kb.entries:
        matcher.add(entry.name, list(nlp.tokenizer.pipe(entry.surface_forms)))  # type: ignore[union-attr]

    def kb_gazetteer(doc: Doc) -> Doc:
        spans = []
        text = doc_text(doc)
        for match_id, start, end in matcher(doc):
            span = doc[start:end]
            if not latin_boundary_ok(text, span.start_char, span.end_char):
                continue
            entry = kb.lookup(nlp.vocab.strings[match_id])
            assert entry is not None        # the matcher's keys are the KB's own names
            typed = doc.char_span(span.start_char, span.end_char, label=entry.type, kb_id=entry.name)
            assert typed is not None        # the span is cut at token boundaries
            spans.append(typed)
        doc.spans["kb"] = filter_spans(spans)  # longest match wins: GPT-4 over GPT
        return doc
    return kb_gazetteer
