"""Every registered rule gives, on its own example sentence, the triple it promises, through the
real LAC pipeline (the sentences are written for these tests, not taken from any article)."""
import pytest

from kg.extract.lexicon import alt
from kg.extract.rules import RULES


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_example_gives_its_triple(extract, rule):
    _, triples, _, _ = extract(rule.example)
    s, p, o = rule.expect
    assert (s, p, o) in triples or (p in ("competesWith", "partnersWith") and (o, p, s) in triples), triples


def test_rule_names_are_unique_and_examples_are_their_own():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert all(r.example and r.expect[1] for r in RULES)


def test_rule_names_reach_the_provenance(extract):
    from kg.extract.kb import load_kb
    from kg.extract.normalize import normalize
    from kg.extract.pipeline import build_nlp
    from kg.extract.records import SourceDoc
    from kg.extract.relations import RelationExtractor
    from kg.extract.stages import doc_facts, doc_mentions, resolve_entities
    nlp = build_nlp("lac")
    doc = normalize(SourceDoc("t", "t.txt", "青禾智能昨天开源了最新的多模态推理模型：Tiro-2。", "utf-8"))
    mentions = doc_mentions(nlp, doc)
    entities = resolve_entities([m for ms in mentions.values() for m in ms], load_kb())
    facts = doc_facts(RelationExtractor(load_kb()), doc, mentions, {e.iri_key: e.name for e in entities})
    rules = {e.rule for r in facts.relations for e in r.evidence}
    assert rules and rules <= {r.name for r in RULES} | {"kb-developer"}


def test_alternation_prefers_the_longest_word():
    import re
    assert re.match(alt(("创始人", "联合创始人")), "联合创始人").group(0) == "联合创始人"
