from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def lac_nlp():
    from kg.pipeline import build_nlp
    return build_nlp("lac")


@pytest.fixture(scope="session")
def corpus_build():
    """The whole corpus through the LAC pipeline, once per session."""
    from kg.build import run
    return run(CORPUS, ner="lac", min_confidence=0.5)


@pytest.fixture(scope="session")
def corpus_ttl(corpus_build, tmp_path_factory):
    """The corpus graph as a Turtle file, for the commands that read one."""
    path = tmp_path_factory.mktemp("out") / "kg.ttl"
    path.write_text(corpus_build.graph.serialize(format="turtle"), encoding="utf-8")
    return path


@pytest.fixture()
def extract(lac_nlp):
    """Run every stage on a small text and return (entities by name, relation triples by name, rounds)."""
    from kg.entities import resolve
    from kg.kb import load_kb
    from kg.mentions import extract_mentions
    from kg.normalize import normalize
    from kg.records import SourceDoc
    from kg.relations import RelationExtractor

    def _extract(text: str):
        doc = normalize(SourceDoc("t", "t.txt", text, "utf-8"))
        by_sent, mentions = {}, []
        for sent, sdoc in zip(doc.sentences, lac_nlp.pipe(s.text for s in doc.sentences)):
            by_sent[sent.index] = extract_mentions(sdoc, sent)
            mentions += by_sent[sent.index]
        entities, key_of = resolve(mentions, load_kb())
        names = {e.iri_key: e.name for e in entities}
        rels, rounds = RelationExtractor(load_kb(), 0.5).extract_doc(doc.sentences, by_sent, key_of, names)
        triples = {(names[r.subject], r.predicate, names[r.object]) for r in rels}
        return {e.name: e for e in entities}, triples, rounds, names
    return _extract
