"""Graph analytics, exchange rates, the CJK font and `kg viz`."""
import io
import json
import os
import time
import warnings

import pytest
from rdflib import RDF, Graph

from kg.build import ensure_built
from kg.cli import main
from kg.extract.records import Entity, Evidence, FundingRound, Relation
from kg.graph.rdf import AIKG, build_graph
from kg.outputs import analysis
from kg.outputs.fonts import MissingCJKFont, use_cjk_font
from kg.outputs.fx import Rates


def _ev(text, conf=0.8, rule="test-rule"):
    # a sentence index per text: one statement node per (fact, sentence, rule), as in the pipeline
    return Evidence("d1", sum(map(ord, text)) % 997, 0, len(text), text, rule, conf)


@pytest.fixture()
def small_graph() -> Graph:
    """A chain of competitors A - B - C, a founder of B, an investor in B, a lone model, and one
    funding round of 1亿元 for B: small enough to know every answer by hand."""
    ents = [Entity("a", "甲公司", "Company"), Entity("b", "乙公司", "Company"), Entity("c", "丙公司", "Company"),
            Entity("p", "张三", "Person"), Entity("i", "某某资本", "InvestmentFirm"), Entity("m", "孤模型", "AIModel")]
    rels = [Relation("a", "competesWith", "b", [_ev("甲公司和乙公司竞争。"), _ev("甲乙两家在打价格战。", 0.6)]),
            Relation("b", "competesWith", "c", [_ev("乙公司的对手是丙公司。", 0.6, "compete-context")]),
            Relation("p", "founded", "b", [_ev("张三创立了乙公司。", 0.9)]),
            Relation("i", "investedIn", "b", [_ev("某某资本投资了乙公司。", 0.9)])]
    rounds = [FundingRound("b", 1e8, "CNY", False, "A轮", ["i"], None, _ev("乙公司完成1亿元A轮融资。"), "1亿元")]
    return build_graph([], ents, rels, rounds)


def test_rates_convert_state_themselves_and_reject_bad_input():
    rates = Rates()
    assert rates.convert(1e8, "CNY", "USD") == pytest.approx(1.39e7)
    assert rates.convert(1.39e7, "USD", "CNY") == pytest.approx(1e8)
    assert "1 CNY = 0.139 USD" in rates.statement("USD") and rates.as_of in rates.statement("USD")
    custom = rates.with_overrides(["cny=0.2", "KRW=0.00075"])
    assert custom.convert(10, "CNY") == pytest.approx(2.0) and "KRW" in custom.usd_per_unit
    assert custom.as_of == "user-supplied rates"
    with pytest.raises(ValueError, match="CODE=<USD per unit>"):
        rates.with_overrides(["CNY:0.2"])
    with pytest.raises(KeyError, match="XYZ"):
        rates.convert(1, "XYZ")


def test_entity_network_centrality_and_communities(small_graph):
    G = analysis.entity_network(small_graph)
    names = {d["name"] for _, d in G.nodes(data=True)}
    assert names == {"甲公司", "乙公司", "丙公司", "张三", "某某资本"}      # the lone model is left out
    table = analysis.centrality_table(G)
    assert table[0]["name"] == "乙公司" and table[0]["degree"] == 4        # the broker of the star
    assert table[0]["betweenness"] == pytest.approx(1.0)
    assert all(r["betweenness"] == 0 for r in table[1:])
    communities = analysis.community_table(G)
    assert sum(c["size"] for c in communities) == 5
    assert analysis.communities(G) == analysis.communities(G)             # seeded: same every run


def test_competition_pairs_keep_every_evidence_sentence(small_graph):
    C = analysis.competition_network(small_graph)
    assert C.number_of_edges() == 2 and not C.is_directed()
    rows = analysis.competition_pairs(small_graph)
    assert [(r["a"], r["b"], r["confidence"]) for r in rows] == [
        ("甲公司", "乙公司", 0.8), ("甲公司", "乙公司", 0.6), ("乙公司", "丙公司", 0.6)]
    assert rows[1]["evidence"] == "甲乙两家在打价格战。" and rows[2]["rule"] == "compete-context"


def test_funding_rounds_in_one_currency_and_investor_totals(small_graph):
    rounds = analysis.funding_rounds(small_graph, Rates(), "USD")
    assert len(rounds) == 1
    r = rounds[0]
    assert (r["recipient"], r["round"], r["amount"], r["currency"]) == ("乙公司", "A轮", 1e8, "CNY")
    assert r["amount_usd"] == pytest.approx(1.39e7) and r["investors"] == ["某某资本"]
    assert r["evidence"] == "乙公司完成1亿元A轮融资。"
    assert analysis.investor_table(rounds) == [
        {"investor": "某某资本", "rounds": 1, "rounds_total_usd": pytest.approx(1.39e7), "recipients": "乙公司"}]
    in_cny = analysis.funding_rounds(small_graph, Rates(), "CNY")
    assert in_cny[0]["amount_cny"] == pytest.approx(1e8)


def _missing_glyph_warnings(family=None) -> list[str]:
    import matplotlib
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.set_title("出门问问 李志飞 真格基金 融资")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with matplotlib.rc_context({"font.sans-serif": [family]} if family else {}):
            fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    return [str(w.message) for w in caught if "missing from" in str(w.message)]


def test_the_cjk_font_draws_chinese_without_tofu():
    family = use_cjk_font()
    assert _missing_glyph_warnings() == []
    # the check itself works: matplotlib's default font has no Han glyphs and is caught
    assert _missing_glyph_warnings("DejaVu Sans")
    assert family


def test_a_missing_font_file_is_a_clear_error(tmp_path):
    with pytest.raises(MissingCJKFont, match="no such font file"):
        use_cjk_font(tmp_path / "nope.ttf")


def test_kg_viz_writes_self_contained_pages_pictures_and_tables(corpus_out, tmp_path, capsys):
    out = tmp_path / "viz"
    assert main(["viz", "--ttl", str(corpus_out / "kg.ttl"), "--out", str(out), "--currency", "cny"]) == 0
    assert "1 USD = " in capsys.readouterr().out                          # the rate used is stated
    for png in ("industry.png", "competition.png", "funding.png"):
        data = (out / png).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 20_000
    g = Graph().parse(corpus_out / "kg.ttl")
    page = (out / "industry.html").read_text(encoding="utf-8")
    assert "new vis.Network" in page and json.dumps("李志飞") in page       # pyvis writes JSON escapes
    assert 'src="http' not in page and 'href="http' not in page            # opens offline
    comp = (out / "competition.csv").read_text(encoding="utf-8-sig").splitlines()
    statements = [s for s in g.subjects(RDF.predicate, AIKG.competesWith)]
    assert comp[0].startswith("a,b,") and len(comp) - 1 == len(statements)
    funding = (out / "funding.csv").read_text(encoding="utf-8-sig").splitlines()
    assert "amount_cny" in funding[0] and len(funding) - 1 == len(set(g.subjects(RDF.type, AIKG.FundingRound)))
    records = [json.loads(line) for line in (corpus_out / "extractions.jsonl").open(encoding="utf-8")]
    docs = [r for r in records if r["kind"] == "document"]
    for doc in docs:
        mentions = (out / "mentions" / f"{doc['doc']}.html").read_text(encoding="utf-8")
        assert 'class="entities"' in mentions


def test_mention_offsets_point_into_the_recorded_text(corpus_out):
    docs, mentions = {}, []
    for line in (corpus_out / "extractions.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        if rec["kind"] == "document":
            docs[rec["doc"]] = rec["text"]
        elif rec["kind"] == "mention":
            mentions.append(rec)
    assert mentions and all(docs[m["doc_id"]][m["start"]:m["end"]] == m["text"] for m in mentions)


def test_kg_viz_rejects_a_bad_rate_and_a_missing_font(corpus_out, tmp_path, capsys):
    ttl = str(corpus_out / "kg.ttl")
    assert main(["viz", "--ttl", ttl, "--out", str(tmp_path), "--rate", "CNY:7"]) == 2
    assert "CNY:7" in capsys.readouterr().err
    assert main(["viz", "--ttl", ttl, "--out", str(tmp_path), "--font", str(tmp_path / "x.otf")]) == 2
    assert "x.otf" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.png"))


def test_ensure_built_builds_once_and_again_when_the_corpus_changes(tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    article = corpus / "a.txt"
    article.write_text("李志飞创立了出门问问。出门问问获得红杉资本1000万元天使轮融资。", encoding="utf-8")
    ttl = ensure_built(corpus, out, ner="lac")
    first = ttl.stat().st_mtime_ns
    assert ensure_built(corpus, out, ner="lac").stat().st_mtime_ns == first     # fresh: not rebuilt
    later = time.time() + 5
    os.utime(article, (later, later))
    assert ensure_built(corpus, out, ner="lac").stat().st_mtime_ns != first     # older than the corpus
    assert (AIKG.founded in set(Graph().parse(ttl).predicates()))


def test_pictures_are_the_same_in_every_process(corpus_out, tmp_path):
    """Layouts and communities are seeded and fed in sorted order, so string-hash randomization
    (a new PYTHONHASHSEED per process) does not change a single byte of the pictures."""
    import subprocess
    import sys
    pngs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        subprocess.run([sys.executable, "-m", "kg.cli", "viz", "--ttl", str(corpus_out / "kg.ttl"), "--out", str(out)],
                       check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        pngs.append([(out / name).read_bytes() for name in ("industry.png", "competition.png", "communities.csv")])
    assert pngs[0] == pngs[1]


def test_kg_viz_draws_a_graph_without_competition_or_funding(tmp_path, capsys):
    g = build_graph([], [Entity("p", "张三", "Person"), Entity("b", "乙公司", "Company")],
                    [Relation("p", "founded", "b", [_ev("张三创立了乙公司。", 0.9)])], [])
    ttl = tmp_path / "kg.ttl"
    ttl.write_text(g.serialize(format="turtle"), encoding="utf-8")
    assert main(["viz", "--ttl", str(ttl), "--out", str(tmp_path / "viz")]) == 0, capsys.readouterr().err
    assert (tmp_path / "viz" / "competition.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "viz" / "competition.csv").read_text(encoding="utf-8-sig") == ""
    assert (tmp_path / "viz" / "funding.png").is_file()


def test_names_and_titles_cannot_inject_markup_or_spreadsheet_formulas(tmp_path):
    from kg.outputs.viz import mentions_html, write_all
    script = "<script>alert(1)</script>"
    ents = [Entity("x", script, "Company"), Entity("f", "=HYPERLINK(\"http://x\")", "Company"),
            Entity("m", "-1+2", "Person"), Entity("a", "@SUM(A1)", "Company")]
    rels = [Relation("x", "competesWith", "f", [_ev("一句话。")]), Relation("m", "worksFor", "a", [_ev("两句话。")])]
    ttl = tmp_path / "kg.ttl"
    ttl.write_text(build_graph([], ents, rels, []).serialize(format="turtle"), encoding="utf-8")
    out = tmp_path / "viz"
    write_all(Graph().parse(ttl), ttl, out)
    for page in ("industry.html", "competition.html"):
        assert script not in (out / page).read_text(encoding="utf-8")
    page = mentions_html("张三在这里。", [{"start": 0, "end": 2, "label": "Person"}], script)
    assert script not in page and "&lt;script&gt;" in page
    import csv
    rows = list(csv.DictReader(io.StringIO((out / "centrality.csv").read_text(encoding="utf-8-sig"))))
    names = {r["name"] for r in rows}
    assert {"'=HYPERLINK(\"http://x\")", "'-1+2", "'@SUM(A1)", script} == names
    comp = list(csv.DictReader(io.StringIO((out / "competition.csv").read_text(encoding="utf-8-sig"))))
    assert {comp[0]["a"], comp[0]["b"]} == {script, "'=HYPERLINK(\"http://x\")"}
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows + comp for v in r.values())
