"""Graph analytics on the canonical RDF graph, with networkx: the entity network, centrality,
communities, the competition network and funding rounds in one currency.

Everything returns plain rows (lists of dicts) so a notebook turns them into DataFrames and
``kg viz`` into CSV files; the drawings live in ``kg.outputs.viz``.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx
from rdflib import Graph

from ..graph import reader
from ..graph.explain import evidence_edges
from .export import to_networkx
from .fx import Rates

COMMUNITY_SEED = 7          # Louvain is randomized; a fixed seed keeps runs and tests identical


def entity_network(g: Graph) -> nx.MultiDiGraph:
    """Entities that take part in at least one extracted relation, one edge per fact.  Funding
    rounds are left out: their investors and recipients are already linked by investedIn."""
    G = to_networkx(g)
    G.remove_nodes_from([n for n, d in G.nodes(data=True) if d["type"] == "FundingRound"])
    G.remove_nodes_from(list(nx.isolates(G)))
    return G


def simple_view(G: nx.MultiDiGraph) -> nx.Graph:
    """Undirected, one edge per pair, in a stable order; ``weight`` counts the facts between the two."""
    H = nx.Graph()
    # sorted: rdflib yields nodes in hash order, which varies per process, and both Louvain and
    # the layouts depend on the order they meet nodes in
    H.add_nodes_from(sorted(G.nodes(data=True), key=lambda nd: str(nd[0])))
    for u, v, data in sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), e[2]["predicate"])):
        if H.has_edge(u, v):
            H[u][v]["weight"] += 1
            H[u][v]["predicates"].append(data["predicate"])
        else:
            H.add_edge(u, v, weight=1, predicates=[data["predicate"]])
    return H


def communities(G: nx.MultiDiGraph) -> dict[str, int]:
    """Louvain communities of the undirected view, numbered 0.. from the largest."""
    groups = nx.community.louvain_communities(simple_view(G), weight="weight", seed=COMMUNITY_SEED)
    groups = sorted(groups, key=lambda c: (-len(c), min(G.nodes[n]["name"] for n in c)))
    return {node: i for i, group in enumerate(groups) for node in group}


def centrality_table(G: nx.MultiDiGraph) -> list[dict]:
    """Per entity: degree (facts touching it), degree centrality and betweenness centrality on
    the undirected view, and its community; the best brokers first."""
    H = simple_view(G)
    degree_c = nx.degree_centrality(H)
    between = nx.betweenness_centrality(H, normalized=True)
    community = communities(G)
    rows = [{"name": G.nodes[n]["name"], "type": G.nodes[n]["type"], "degree": G.degree(n),
             "degree_centrality": round(degree_c[n], 4), "betweenness": round(between[n], 4),
             "community": community[n]} for n in G]
    return sorted(rows, key=lambda r: (-r["betweenness"], -r["degree"], r["name"]))


def community_table(G: nx.MultiDiGraph) -> list[dict]:
    """Per community: its size, its hub (highest degree) and its members, hubs first."""
    members = defaultdict(list)
    for node, cid in communities(G).items():
        members[cid].append(node)
    rows = []
    for cid in sorted(members):
        nodes = sorted(members[cid], key=lambda n: (-G.degree(n), G.nodes[n]["name"]))
        rows.append({"community": cid, "size": len(nodes), "hub": G.nodes[nodes[0]]["name"],
                     "members": "、".join(G.nodes[n]["name"] for n in nodes)})
    return rows


def competition_network(g: Graph) -> nx.Graph:
    """competesWith as an undirected graph; each edge carries its evidence sentences."""
    H = nx.Graph()
    types = {iri: e.type for iri, e in reader.entities(g).items()}
    for e in evidence_edges(g, "competesWith"):
        for iri, name in ((e.subject_iri, e.subject), (e.object_iri, e.object)):
            if iri not in H:
                H.add_node(iri, name=name, type=types[iri])
        if not H.has_edge(e.subject_iri, e.object_iri):
            H.add_edge(e.subject_iri, e.object_iri, predicate="competesWith", evidence=[])
        H[e.subject_iri][e.object_iri]["evidence"].append(e)
    return H


def competition_pairs(g: Graph) -> list[dict]:
    """One row per evidence sentence of each competing pair, strongest pairs first."""
    H = competition_network(g)
    rows = []
    for _, _, data in H.edges(data=True):
        best = max(e.confidence for e in data["evidence"])
        for e in data["evidence"]:
            rows.append({"a": e.subject, "b": e.object, "pair_confidence": best, "confidence": e.confidence,
                         "rule": e.rule, "doc": e.doc, "sentence": e.sentence, "evidence": e.text})
    return sorted(rows, key=lambda r: (-r["pair_confidence"], r["a"], r["b"], -r["confidence"], r["doc"]))


def funding_rounds(g: Graph, rates: Rates | None = None, currency: str = "USD") -> list[dict]:
    """Every funding round with its amount as written, in its currency, and converted to
    ``currency`` at ``rates``; investors as a list of names; the sentence it was read in."""
    rates = rates or Rates()
    names = {iri: e.name for iri, e in reader.entities(g).items()}
    rows = [{
        "recipient": names[r.recipient], "round": r.round, "date": r.date,
        "amount": r.amount, "currency": r.currency, "approximate": r.approximate,
        f"amount_{currency.lower()}": round(rates.convert(r.amount, r.currency, currency), 2),
        "investors": sorted(names[i] for i in r.investors), "as_written": r.amount_text,
        "doc": r.evidence.doc, "sentence": r.evidence.sentence, "evidence": r.evidence.text,
    } for r in reader.rounds(g)]
    return sorted(rows, key=lambda r: (-r[f"amount_{currency.lower()}"], r["recipient"]))


def investor_table(rounds: list[dict], currency: str = "USD") -> list[dict]:
    """Per investor: rounds joined and the total of those rounds (investors' shares are rarely
    stated, so this is the size of the rounds they joined, not what they paid)."""
    col = f"amount_{currency.lower()}"
    acc: defaultdict[str, dict[str, Any]] = defaultdict(lambda: {"rounds": 0, col: 0.0, "recipients": set()})
    for r in rounds:
        for inv in r["investors"]:
            acc[inv]["rounds"] += 1
            acc[inv][col] = round(acc[inv][col] + r[col], 2)
            acc[inv]["recipients"].add(r["recipient"])
    rows = [{"investor": inv, "rounds": a["rounds"], f"rounds_total_{currency.lower()}": a[col],
             "recipients": "、".join(sorted(a["recipients"]))} for inv, a in acc.items()]
    return sorted(rows, key=lambda r: (-r[f"rounds_total_{currency.lower()}"], r["investor"]))

