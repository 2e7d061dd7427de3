"""``kg eval``: score a graph against hand-made gold files (format: docs/gold-format.md).

A graph-side tool: it reads Turtle with rdflib and never imports the extraction pipeline.

Matching contract (shared with the project's reference scorer):
* a name matches after NFKC, case folding and removal of whitespace, punctuation and symbols;
  every gold entity is known by its name and its aliases, and gold entities sharing a surface
  form are one entity;
* a graph entity is any node typed with one of the entity classes (local name), known by its
  ``rdfs:label``, ``skos:prefLabel`` and ``skos:altLabel`` values; nodes are aligned in IRI order,
  and a node that matches a gold entity already matched is a duplicate, a false positive;
* a relation is an asserted triple between two entities whose predicate's local name is one of
  the relation names; ``competesWith`` and ``partnersWith`` are unordered pairs; a relation with
  an end that matches no gold entity is a false positive;
* a funding round is a ``FundingRound`` node; it matches an unmatched gold round with the same
  recipient and currency and an amount within 1%.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from .names import norm_key as match_key
from .vocab import ENTITY_TYPES, PREDICATES, SYMMETRIC

TOLERANCE = 0.01


class GoldError(ValueError):
    """A gold folder or file that cannot be read; the message names it."""


def local_name(term) -> str:
    return re.split(r"[#/:]", str(term))[-1]


def _pair(s, p, o) -> tuple:
    return (min(s, o), p, max(s, o)) if p in SYMMETRIC else (s, p, o)


# ------------------------------------------------------------------ gold
@dataclass
class Gold:
    entity_of: dict = field(default_factory=dict)     # match key -> entity id
    name: dict = field(default_factory=dict)          # entity id -> the name shown
    type: dict = field(default_factory=dict)          # entity id -> class
    relations: dict = field(default_factory=dict)     # (s, p, o) ids -> evidence
    funding: list = field(default_factory=list)       # dicts: recipient id, amount, currency, evidence
    problems: list = field(default_factory=list)


def load_gold(folder: Path) -> Gold:
    folder = Path(folder)
    if not folder.is_dir():
        raise GoldError(f"{folder}: no such folder")
    files = sorted(folder.glob("*.json"))
    if not files:
        raise GoldError(f"{folder}: no gold .json files")
    docs = []
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
            if not isinstance(data.get("entities"), list):
                raise ValueError("no \"entities\" list")
        except (OSError, ValueError, AttributeError) as exc:
            raise GoldError(f"{f}: not a gold file: {exc}") from exc
        docs.append((f.name, data))

    # one entity per connected group of surface forms (a name shared by two entries joins them)
    root: dict[str, str] = {}

    def find(k):
        while root.setdefault(k, k) != k:
            root[k] = root[root[k]]
            k = root[k]
        return k

    gold = Gold()
    first: list[tuple[str, str, str]] = []
    for fname, data in docs:
        for e in data["entities"]:
            head = match_key(e.get("name", ""))
            if not head:
                gold.problems.append(f"{fname}: entity without a name: {e}")
                continue
            first.append((head, e["name"], e.get("type", "")))
            for alias in e.get("aliases") or []:
                if match_key(alias):
                    a, b = find(match_key(alias)), find(head)
                    if a != b:
                        root[max(a, b)] = min(a, b)
            find(head)
    gold.entity_of = {k: find(k) for k in root}
    for head, name, typ in first:
        gold.name.setdefault(gold.entity_of[head], name)
        gold.type.setdefault(gold.entity_of[head], typ)

    for fname, data in docs:
        for r in data.get("relations") or []:
            s, o = gold.entity_of.get(match_key(r.get("s", ""))), gold.entity_of.get(match_key(r.get("o", "")))
            if s is None or o is None or r.get("p") not in PREDICATES:
                gold.problems.append(f"{fname}: relation with an unknown entity or predicate: {r}")
                continue
            gold.relations.setdefault(_pair(s, r["p"], o), f"{fname}: {r.get('evidence', '')}")
        for fu in data.get("funding") or []:
            rec = gold.entity_of.get(match_key(fu.get("recipient", "")))
            try:
                amount, currency = float(fu["amount"]), str(fu["currency"]).upper()
            except (KeyError, TypeError, ValueError):
                rec = None
            if rec is None:
                gold.problems.append(f"{fname}: funding entry with an unknown recipient or no amount: {fu}")
                continue
            gold.funding.append({"recipient": rec, "amount": amount, "currency": currency,
                                 "evidence": f"{fname}: {fu.get('evidence', '')}"})
    return gold


# ------------------------------------------------------------------ graph
@dataclass
class System:
    type: dict = field(default_factory=dict)          # node -> class
    keys: dict = field(default_factory=dict)          # node -> match keys of its names
    label: dict = field(default_factory=dict)         # node -> a name to show
    relations: set = field(default_factory=set)       # (s, p, o) nodes
    evidence: dict = field(default_factory=dict)      # (s, p, o) nodes -> ["[rule conf] sentence"]
    funding: list = field(default_factory=list)       # dicts: node, recipient, amount, currency, evidence


def _evidence_line(g: Graph, node) -> str:
    def one(p):
        return next((str(v) for v in g.objects(node, p) if True), "")
    ns = "https://aikg.dev/ontology#"
    rule, conf, text = one(URIRef(ns + "extractor")), one(URIRef(ns + "confidence")), one(URIRef(ns + "evidenceText"))
    return f"[{conf} {rule}] {text}".strip() if rule or conf else text


def read_graph(g: Graph) -> System:
    sys_ = System()
    for node, cls in g.subject_objects(RDF.type):
        t = local_name(cls)
        if t in ENTITY_TYPES and sys_.type.get(node) in (None, "Organization"):
            sys_.type[node] = t       # the most specific class when a node has several
    for node in sys_.type:
        names = [v for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for v in g.objects(node, p)]
        sys_.keys[node] = {match_key(str(v)) for v in names}
        sys_.label[node] = str(next(iter(g.objects(node, RDFS.label)), names[0] if names else node))
    for s, p, o in g:
        if local_name(p) in PREDICATES and s in sys_.type and o in sys_.type:
            sys_.relations.add((s, local_name(p), o))
    for stmt in g.subjects(RDF.type, RDF.Statement):
        subj, pred, obj = (g.value(stmt, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        if pred is not None:
            sys_.evidence.setdefault((subj, local_name(pred), obj), []).append(_evidence_line(g, stmt))
    for node, cls in g.subject_objects(RDF.type):
        if local_name(cls) != "FundingRound":
            continue
        props: defaultdict[str, list[Any]] = defaultdict(list)
        for p, v in g.predicate_objects(node):
            props[local_name(p)].append(v)
        currency = str(props["currency"][0]).upper() if props.get("currency") else ""
        for rec in props.get("recipient", []):
            for amount in props.get("amount") or [None]:
                try:
                    value = float(amount) if amount is not None else None
                except (TypeError, ValueError):
                    value = None
                sys_.funding.append({"node": node, "recipient": rec, "amount": value, "currency": currency,
                                     "evidence": _evidence_line(g, node)})
    return sys_


# ------------------------------------------------------------------ scoring
def prf(tp: int, n_system: int, n_gold: int) -> dict:
    p = tp / n_system if n_system else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "system": n_system, "gold": n_gold, "precision": round(p, 3), "recall": round(r, 3),
            "f1": round(f, 3)}


def evaluate(graph: Graph, gold: Gold) -> dict:
    sys_ = read_graph(graph)
    align: dict = {}           # node -> gold entity id
    matched: dict = {}         # gold entity id -> first node
    duplicates = []
    for node in sorted(sys_.type, key=str):
        hits = sorted({gold.entity_of[k] for k in sys_.keys[node] if k in gold.entity_of})
        if not hits:
            continue
        align[node] = hits[0]
        if hits[0] in matched:
            duplicates.append(node)
        else:
            matched[hits[0]] = node
    entities = prf(len(matched), len(sys_.type), len(gold.name))
    entities["duplicates"] = len(duplicates)
    entities["type_accuracy"] = round(sum(sys_.type[n] == gold.type.get(k) for n, k in align.items()) / len(align), 3) \
        if align else 0.0
    by_type = {}
    for t in ENTITY_TYPES:
        n_gold = sum(1 for k in gold.name if gold.type[k] == t)
        n_sys = sum(1 for n in sys_.type.values() if n == t)
        tp = sum(1 for k, n in matched.items() if gold.type[k] == t and sys_.type[n] == t)
        if n_gold or n_sys:
            by_type[t] = prf(tp, n_sys, n_gold)

    # relations, as gold ids; an unaligned end stays a node of its own
    as_gold: dict[tuple, tuple] = {}
    for s, p, o in sys_.relations:
        key = _pair(align.get(s, s), p, align.get(o, o))
        as_gold.setdefault(key, (s, p, o))
    found = set(as_gold) & set(gold.relations)
    relations = prf(len(found), len(as_gold), len(gold.relations))
    by_predicate = {}
    for p in PREDICATES:
        g_p = {r for r in gold.relations if r[1] == p}
        s_p = {r for r in as_gold if r[1] == p}
        if g_p or s_p:
            by_predicate[p] = prf(len(g_p & s_p), len(s_p), len(g_p))

    used, funding_fp = set(), []
    for f in sorted(sys_.funding, key=lambda f: (str(f["node"]), str(f["recipient"]))):
        rec = align.get(f["recipient"])
        hit = next((i for i, g_f in enumerate(gold.funding) if i not in used and rec == g_f["recipient"]
                    and f["amount"] is not None and f["currency"] == g_f["currency"]
                    and abs(f["amount"] - g_f["amount"]) <= TOLERANCE * g_f["amount"]), None)
        if hit is None:
            funding_fp.append(f)
        else:
            used.add(hit)
    funding = prf(len(used), len(sys_.funding), len(gold.funding))

    def show(x):
        return gold.name.get(x) or sys_.label.get(x) or str(x)

    return {
        "entities": {**entities, "by_type": by_type},
        "relations": {**relations, "by_predicate": by_predicate},
        "funding": funding,
        "missed_entities": sorted(f"{gold.name[k]} ({gold.type[k]})" for k in gold.name if k not in matched),
        "false_entities": sorted(f"{sys_.label[n]} ({t})" for n, t in sys_.type.items()
                                 if n not in align or n in duplicates),
        "missed_relations": sorted([show(s), p, show(o), gold.relations[(s, p, o)]]
                                   for s, p, o in set(gold.relations) - found),
        "false_relations": sorted([show(key[0]), key[1], show(key[2]),
                                   sys_.evidence.get(as_gold[key]) or
                                   sys_.evidence.get((as_gold[key][2], key[1], as_gold[key][0])) or []]
                                  for key in set(as_gold) - found),
        "missed_funding": [[show(g_f["recipient"]), g_f["amount"], g_f["currency"], g_f["evidence"]]
                           for i, g_f in enumerate(gold.funding) if i not in used],
        "false_funding": [[show(align.get(f["recipient"], f["recipient"])), f["amount"], f["currency"], f["evidence"]]
                          for f in funding_fp],
        "gold_problems": gold.problems,
    }


def evaluate_files(ttl: Path, gold_dir: Path) -> dict:
    ttl = Path(ttl)
    if not ttl.is_file():
        raise GoldError(f"{ttl}: no such file (run `kg build` first, or pass --ttl)")
    try:
        graph = Graph().parse(ttl, format="turtle")
    except Exception as exc:  # rdflib raises parser-specific types
        raise GoldError(f"{ttl}: not valid Turtle: {exc}") from exc
    return evaluate(graph, load_gold(gold_dir))


# ------------------------------------------------------------------ report
def _line(title: str, s: dict, width: int = 16) -> str:
    return (f"{title:<{width}} P/R/F1 {s['precision']:.3f} {s['recall']:.3f} {s['f1']:.3f}"
            f"   gold {s['gold']:>3}  system {s['system']:>3}  correct {s['tp']:>3}")


def format_report(res: dict) -> str:
    e, r, f = res["entities"], res["relations"], res["funding"]
    out = [_line("entities", e) + f"  duplicates {e['duplicates']}  type accuracy {e['type_accuracy']:.3f}"]
    out += ["  " + _line(t, s) for t, s in e["by_type"].items()]
    out.append(_line("relations", r))
    out += ["  " + _line(p, s) for p, s in r["by_predicate"].items()]
    out.append(_line("funding", f))
    out.append("")
    out.append(f"missed entities ({len(res['missed_entities'])}): " + ", ".join(res["missed_entities"]))
    out.append(f"false-positive entities ({len(res['false_entities'])}): " + ", ".join(res["false_entities"]))
    out.append(f"\nmissed relations ({len(res['missed_relations'])}):")
    out += [f"  {s} --{p}--> {o}\n      gold: {ev}" for s, p, o, ev in res["missed_relations"]]
    out.append(f"\nfalse-positive relations ({len(res['false_relations'])}):")
    for s, p, o, evs in res["false_relations"]:
        out.append(f"  {s} --{p}--> {o}")
        out += [f"      {ev}" for ev in evs] or ["      (no evidence statement)"]
    out.append(f"\nmissed funding ({len(res['missed_funding'])}):")
    out += [f"  {rec} {amount:,.0f} {cur}\n      gold: {ev}" for rec, amount, cur, ev in res["missed_funding"]]
    out.append(f"\nfalse-positive funding ({len(res['false_funding'])}):")
    out += [f"  {rec} {amount:,.0f} {cur}\n      {ev}" if amount is not None
            else f"  {rec} (no amount) {cur}\n      {ev}"
            for rec, amount, cur, ev in res["false_funding"]]
    if res["gold_problems"]:
        out.append("\ngold entries skipped:")
        out += [f"  {p}" for p in res["gold_problems"]]
    return "\n".join(out)
