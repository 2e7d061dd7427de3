"""How the pictures scale: seconds for the layout, the PNG and the interactive page of
scale-free entity networks of growing size (one connected component, the worst case for the
layout).  Prints figures; asserts nothing.

    python benchmarks/viz.py [--sizes 100 300 1000]
"""
import argparse
import time

import networkx as nx

from kg.extract.kb import ENTITY_TYPES
from kg.outputs.fonts import use_cjk_font
from kg.outputs.viz import (
    PREDICATE_COLORS,
    _layout,
    network_figure,
    network_html,
    save_png,
)


def synthetic(n: int) -> nx.MultiDiGraph:
    base = nx.barabasi_albert_graph(n, 2, seed=1)
    preds = list(PREDICATE_COLORS)
    G = nx.MultiDiGraph()
    for v in base:
        G.add_node(v, name=f"实体{v}", type=ENTITY_TYPES[v % len(ENTITY_TYPES)], aliases="")
    for i, (u, v) in enumerate(base.edges()):
        G.add_edge(u, v, predicate=preds[i % len(preds)])
    return G


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    ap.add_argument("--out", default="/tmp/aikg-viz-bench")
    a = ap.parse_args()
    use_cjk_font()
    print("nodes\tedges\tlayout s\tpng s\thtml s\thtml MB")
    for n in a.sizes:
        G = synthetic(n)
        t0 = time.perf_counter()
        _layout(G)
        t1 = time.perf_counter()
        save_png(network_figure(G, f"{n} nodes"), f"{a.out}/{n}.png")
        t2 = time.perf_counter()
        page = network_html(G, f"{n} nodes")
        t3 = time.perf_counter()
        print(f"{n}\t{G.number_of_edges()}\t{t1 - t0:.2f}\t{t2 - t1:.2f}\t{t3 - t2:.2f}\t{len(page) / 1e6:.2f}")


if __name__ == "__main__":
    main()
