"""A sentence's text, joined at most once.

spaCy's ``Doc.text`` joins the text of every token on each access; each component of the
pipeline and the mention reader need the text of the same sentence, so it is kept in
``doc.user_data``: from the start when the Doc is made by ``make_doc``, else on the first access
(the components never change a Doc's tokens)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

_KEY = "kg.text"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


def make_doc(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc.user_data[_KEY] = text
    return doc
