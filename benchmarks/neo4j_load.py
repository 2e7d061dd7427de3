"""Load throughput, batched UNWIND vs one query per row, for the corpus graph and a 100x
synthetic copy of it.  Prints figures; asserts nothing.  Against any Neo4j 5, e.g. the tests'
server (`make neo4j-test-server`, then start it as tests/conftest.py does) or `docker compose up`:

    python benchmarks/neo4j_load.py --ttl out/kg.ttl --uri bolt://127.0.0.1:7687 --user neo4j --password ...
"""
import argparse
import copy

from rdflib import Graph

from kg.outputs.neo4j_load import Neo4jLoader, Rows, Target, graph_rows


def scaled(rows: Rows, factor: int) -> Rows:
    """``factor`` disjoint copies of the graph (IRIs suffixed), same shape and text sizes."""
    out = Rows()
    for i in range(factor):
        def tag(iri, i=i):      # bound now: the copies must not share the last suffix
            return f"{iri}~{i}"
        for label, ents in rows.entities.items():
            out.entities.setdefault(label, []).extend({**e, "iri": tag(e["iri"])} for e in ents)
        for rtype, rels in rows.relations.items():
            out.relations.setdefault(rtype, []).extend({**r, "s": tag(r["s"]), "o": tag(r["o"])} for r in rels)
        out.documents.extend({**d, "iri": tag(d["iri"])} for d in rows.documents)
        out.funding.extend({**copy.deepcopy(f), "iri": tag(f["iri"]), "recipient": tag(f["recipient"]),
                            "investors": [tag(x) for x in f["investors"]]} for f in rows.funding)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ttl", default="out/kg.ttl")
    ap.add_argument("--uri", default="bolt://127.0.0.1:7687")
    ap.add_argument("--user", default="neo4j")
    ap.add_argument("--password", default="")
    ap.add_argument("--database", default="neo4j")
    ap.add_argument("--factor", type=int, default=100)
    a = ap.parse_args()
    base = graph_rows(Graph().parse(a.ttl))
    target = Target(a.uri, a.user, a.password, a.database, timeout=2.0)
    print("graph\tmode\tnodes\trelationships\tqueries\tseconds\trelationships/s")
    for name, rows in (("corpus", base), (f"{a.factor}x synthetic", scaled(base, a.factor))):
        for mode, per_row in (("batched", False), ("per-row", True)):
            with Neo4jLoader(target) as loader:
                rep = loader.load(rows, wipe=True, per_row=per_row)
            print(f"{name}\t{mode}\t{rep.nodes}\t{rep.relationships}\t{rep.queries}\t{rep.seconds:.2f}\t"
                  f"{rep.relationships / rep.seconds:.0f}")


if __name__ == "__main__":
    main()
