"""``kg eval`` on a gold of two made-up articles and a graph built by hand, small enough to know
every count."""
import json
import subprocess
import sys

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.cli import main
from kg.graph.evaluate import evaluate, format_report, load_gold

AIKG = Namespace("https://aikg.dev/ontology#")
ID = Namespace("https://aikg.dev/id/")
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")

GOLD = {
    "a.json": {"doc": "a.txt",
               "entities": [{"name": "星河智能", "type": "Company", "aliases": ["Xinghe AI"]},
                            {"name": "赵明远", "type": "Person", "aliases": []},
                            {"name": "红杉资本", "type": "InvestmentFirm", "aliases": ["红杉"]},
                            {"name": "月影科技", "type": "Company", "aliases": []}],
               "relations": [{"s": "赵明远", "p": "founded", "o": "星河智能", "evidence": "赵明远创办了星河智能"},
                             {"s": "红杉资本", "p": "investedIn", "o": "星河智能", "evidence": "红杉资本领投"},
                             {"s": "星河智能", "p": "competesWith", "o": "月影科技", "evidence": "对标月影科技"}],
               "funding": [{"recipient": "星河智能", "amount": 100000000, "currency": "CNY", "approx": False,
                            "round": "A轮", "investors": ["红杉资本"], "date": None, "evidence": "1亿元A轮融资"}]},
    "b.json": {"doc": "b.txt",
               "entities": [{"name": "云帆机器人", "type": "Company"},
                            {"name": "周子健", "type": "Person"}],
               "relations": [{"s": "周子健", "p": "ceoOf", "o": "云帆机器人", "evidence": "云帆机器人CEO周子健"}],
               "funding": [{"recipient": "云帆机器人", "amount": 5000000, "currency": "USD",
                            "evidence": "500万美元天使轮"}]},
}


@pytest.fixture()
def gold_dir(tmp_path):
    folder = tmp_path / "gold"
    folder.mkdir()
    for name, data in GOLD.items():
        (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def small_graph() -> Graph:
    g = Graph()
    nodes = {"e1": ("Company", "星河智能", "XINGHE-AI"), "e2": ("Person", "赵明远", None),
             "e3": ("InvestmentFirm", "红杉", None), "e4": ("Company", "月影科技", None),
             "e5": ("Company", "星河 智能", None),          # a duplicate of e1: a false positive
             "e6": ("Person", "钱浩然", None),              # not in the gold
             "e7": ("InvestmentFirm", "云帆机器人", None)}  # right name, wrong type
    for key, (cls, label, alias) in nodes.items():
        g.add((ID[key], RDF.type, AIKG[cls]))
        g.add((ID[key], RDFS.label, Literal(label, lang="zh")))
        if alias:
            g.add((ID[key], SKOS.altLabel, Literal(alias)))
    for s, p, o in [("e2", "founded", "e1"), ("e3", "investedIn", "e1"), ("e4", "competesWith", "e1"),
                    ("e6", "worksFor", "e1"), ("e2", "ceoOf", "e5")]:
        g.add((ID[s], AIKG[p], ID[o]))
    stmt = ID["statement/1"]
    for p, o in [(RDF.type, RDF.Statement), (RDF.subject, ID.e6), (RDF.predicate, AIKG.worksFor),
                 (RDF.object, ID.e1), (AIKG.evidenceText, Literal("钱浩然加入星河智能。", lang="zh")),
                 (AIKG.extractor, Literal("worksFor-join")),
                 (AIKG.confidence, Literal("0.8", datatype=DECIMAL))]:
        g.add((stmt, p, o))
    for key, rec, amount, cur in [("f1", "e5", "100500000", "CNY"), ("f2", "e7", "5000000", "CNY")]:
        g.add((ID[key], RDF.type, AIKG.FundingRound))
        g.add((ID[key], AIKG.recipient, ID[rec]))
        g.add((ID[key], AIKG.amount, Literal(amount, datatype=DECIMAL)))
        g.add((ID[key], AIKG.currency, Literal(cur)))
        g.add((ID[key], AIKG.evidenceText, Literal(f"{key}的融资句。", lang="zh")))
    return g


def test_scores_follow_the_matching_contract(gold_dir):
    res = evaluate(small_graph(), load_gold(gold_dir))
    e, r, f = res["entities"], res["relations"], res["funding"]
    # e1..e7: five gold entities found (XINGHE-AI by its alias, 红杉 by the gold alias), e5 a duplicate
    assert (e["tp"], e["system"], e["gold"], e["duplicates"]) == (5, 7, 6, 1)
    assert (e["precision"], e["recall"], e["f1"]) == (0.714, 0.833, 0.769)
    assert e["type_accuracy"] == 0.833                        # e7 is typed InvestmentFirm
    assert (e["by_type"]["Company"]["tp"], e["by_type"]["Company"]["gold"]) == (2, 3)
    # competesWith stored the other way round still counts; an end outside the gold is a miss
    assert (r["tp"], r["system"], r["gold"]) == (3, 5, 4)
    assert r["by_predicate"]["competesWith"]["tp"] == 1 and r["by_predicate"]["ceoOf"]["system"] == 1
    # 100500000 is within 1% of 1亿; the other round has the wrong currency
    assert (f["tp"], f["system"], f["gold"]) == (1, 2, 2)
    assert res["missed_relations"] == [["周子健", "ceoOf", "云帆机器人", "b.json: 云帆机器人CEO周子健"]]


def test_report_shows_misses_and_false_positives_with_their_evidence(gold_dir):
    report = format_report(evaluate(small_graph(), load_gold(gold_dir)))
    assert "钱浩然 --worksFor--> 星河智能" in report
    assert "[0.8 worksFor-join] 钱浩然加入星河智能。" in report
    assert "gold: b.json: 500万美元天使轮" in report
    assert "f2的融资句。" in report


def test_cli_prints_json_and_names_a_bad_gold_folder(gold_dir, tmp_path, capsys):
    ttl = tmp_path / "kg.ttl"
    ttl.write_text(small_graph().serialize(format="turtle"), encoding="utf-8")
    assert main(["eval", str(gold_dir), "--ttl", str(ttl), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["funding"]["tp"] == 1
    assert main(["eval", str(gold_dir), str(ttl)]) == 0          # the graph as a positional argument
    assert "funding" in capsys.readouterr().out
    (gold_dir / "broken.json").write_text("{not json", encoding="utf-8")
    assert main(["eval", str(gold_dir), "--ttl", str(ttl)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "broken.json" in err[0]
    assert main(["eval", str(tmp_path / "nowhere"), "--ttl", str(ttl)]) == 2


def test_kg_build_then_kg_eval_on_an_article_of_our_own(tmp_path, capsys):
    """The user's path: an article of our own through `kg build` (LAC), then `kg eval`."""
    corpus, gold = tmp_path / "corpus", tmp_path / "gold"
    corpus.mkdir()
    gold.mkdir()
    (corpus / "t.txt").write_text("星河智能宣布完成3亿元B轮融资，由红杉资本领投，真格基金跟投。\n", encoding="utf-8")
    (gold / "t.json").write_text(json.dumps({
        "doc": "t.txt",
        "entities": [{"name": n, "type": t} for n, t in
                     [("星河智能", "Company"), ("红杉资本", "InvestmentFirm"), ("真格基金", "InvestmentFirm")]],
        "relations": [{"s": "红杉资本", "p": "investedIn", "o": "星河智能"},
                      {"s": "真格基金", "p": "investedIn", "o": "星河智能"}],
        "funding": [{"recipient": "星河智能", "amount": 300000000, "currency": "CNY"}]},
        ensure_ascii=False), encoding="utf-8")
    assert main(["build", str(corpus), "--out", str(tmp_path / "out"), "--ner", "lac", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["eval", str(gold), "--ttl", str(tmp_path / "out" / "kg.ttl"), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["funding"]["f1"] == 1.0
    assert res["relations"]["by_predicate"]["investedIn"]["f1"] == 1.0


def test_evaluation_never_imports_the_extraction_pipeline():
    code = ("import sys, kg.graph.evaluate; "
            "bad = [m for m in sys.modules "
            "if m.startswith(('spacy', 'kg.extract.relations', 'kg.extract.funding', 'kg.extract.ner'))]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)
