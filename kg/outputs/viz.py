"""Pictures of the graph: interactive HTML (pyvis), static PNG (matplotlib, CJK font), entity
mentions rendered with spaCy's displacy, and funding charts.  ``kg viz`` writes them all; the
notebooks call the same functions, so both show the same thing.

Every file is written atomically, and the HTML is self-contained (vis-network inlined, no CDN):
it opens offline and can be mailed as one file.
"""
from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import networkx as nx

from ..files import write_atomic
from ..graph.vocab import CLASS_COLORS, PREDICATES
from .analysis import simple_view

TYPE_COLORS = CLASS_COLORS
PREDICATE_COLORS = {name: p.color for name, p in PREDICATES.items()}
LAYOUT_SEED = 7
GAP = 1.2               # between packed components, in layout units (a node's label is ~1 wide)


def _layout(G) -> dict:
    """Each connected component laid out on its own (seeded spring layout: the same picture on
    every run), scaled by its size and packed in rows, biggest first, so small islands neither
    fly to the margins nor crush the large ones."""
    H = simple_view(G)
    comps = sorted(nx.connected_components(H), key=lambda c: (-len(c), min(H.nodes[n]["name"] for n in c)))
    boxes = []
    for comp in comps:
        # a real graph built in sorted order: a subgraph view iterates its node set in hash
        # order, which changes per process and would change the picture
        sub = nx.Graph()
        sub.add_nodes_from(sorted(comp, key=str))
        sub.add_edges_from(sorted((tuple(sorted((u, v), key=str)) for u, v in H.edges(comp)), key=str))
        radius = 0.3 + 0.5 * len(comp) ** 0.75
        local = _component_layout(sub, radius)
        boxes.append((radius, local))
    row_width = 2.2 * sum(r * r for r, _ in boxes) ** 0.5 * 1.6
    pos, x, y, row_height = {}, 0.0, 0.0, 0.0
    for radius, local in boxes:
        if x > 0 and x + 2 * radius > row_width:
            x, y, row_height = 0.0, y - row_height - GAP, 0.0
        for n, (px, py) in local.items():
            pos[n] = (x + radius + px, y - radius + py)
        x += 2 * radius + GAP
        row_height = max(row_height, 2 * radius)
    return pos


def _component_layout(sub, radius: float) -> dict:
    """ForceAtlas2 with node sizes (hubs push their leaves apart instead of hiding them), then
    rescaled to ``radius`` around the origin."""
    if len(sub) == 1:
        return {next(iter(sub)): (0.0, 0.0)}
    sizes = {n: 1.0 + 0.3 * sub.degree(n) for n in sub}
    # ForceAtlas2 is quadratic per iteration: fewer iterations keep a 1,000-node component under ~10 s
    raw = nx.forceatlas2_layout(sub, max_iter=600 if len(sub) < 300 else 200, scaling_ratio=4.0, gravity=1.0,
                                node_size=sizes, seed=LAYOUT_SEED)
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    span = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {n: ((p[0] - cx) / span * radius, (p[1] - cy) / span * radius) for n, p in raw.items()}


def _edge_list(G):
    return [(u, v, d["predicate"]) for u, v, d in G.edges(data=True)]


def network_figure(G, title: str, label_top: int = 150, width: float = 16, edge_text: dict | None = None,
                   groups: dict | None = None):
    """A matplotlib figure of an entity network: nodes coloured by class and sized by degree,
    edges coloured by predicate, every label in the CJK font (call ``fonts.use_cjk_font`` first).
    Only the ``label_top`` highest-degree nodes are labelled, so a big graph stays legible; ``edge_text`` maps
    (u, v) to a caption drawn on that edge; ``groups`` maps nodes to a group name (a community,
    say) and colours nodes by group instead of by class."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    if not len(G):
        return _empty_figure(title, "no relation of this kind in the graph", width)
    pos = _layout(G)
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    aspect = (max(ys) - min(ys) + 2) / (max(xs) - min(xs) + 2)
    fig, ax = plt.subplots(figsize=(width, min(max(width * aspect, 6), 1.5 * width)))
    edges = _edge_list(G)
    for pred in sorted({p for _, _, p in edges}):
        nx.draw_networkx_edges(G, pos, ax=ax, edgelist=[(u, v) for u, v, p in edges if p == pred],
                               edge_color=PREDICATE_COLORS.get(pred, "#333333"), width=1.6, alpha=0.75,
                               arrows=G.is_directed(), arrowsize=10, node_size=300)
    degree = dict(G.degree())
    nodes = list(G)
    shrink = min(1.0, (150 / max(len(G), 1)) ** 0.5)     # crowded pictures get smaller dots
    if groups:
        import matplotlib
        names = sorted(set(groups.values()), key=_natural)
        cmap = matplotlib.colormaps["tab20"]
        legend_colors = {g: matplotlib.colors.to_hex(cmap(i % 20)) for i, g in enumerate(names)}
        color_of = {n: legend_colors[groups[n]] for n in nodes}
    else:
        legend_colors = {t: c for t, c in TYPE_COLORS.items() if any(G.nodes[n]["type"] == t for n in G)}
        color_of = {n: TYPE_COLORS.get(G.nodes[n]["type"], "#333") for n in nodes}
    nx.draw_networkx_nodes(G, pos, ax=ax, nodelist=nodes, node_color=[color_of[n] for n in nodes],
                           node_size=[shrink * (120 + 90 * min(degree[n], 20)) for n in nodes], edgecolors="white",
                           linewidths=0.8)
    ranked = sorted(nodes, key=lambda n: (-degree[n], G.nodes[n]["name"]))
    shown = ranked[:label_top]
    above = {n: (x, y + 0.22) for n, (x, y) in pos.items()}
    nx.draw_networkx_labels(G, above, ax=ax, labels={n: G.nodes[n]["name"] for n in shown}, font_size=10,
                            font_family=_family(), verticalalignment="bottom")
    if edge_text:
        nx.draw_networkx_edge_labels(G, pos, ax=ax, edge_labels=edge_text, font_size=9, font_family=_family(),
                                     bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8})
    preds = sorted({p for _, _, p in edges})
    handles = [Line2D([], [], marker="o", ls="", color=c, markersize=9, label=str(t)) for t, c in legend_colors.items()]
    handles += [Line2D([], [], color=PREDICATE_COLORS.get(p, "#333"), lw=2.5, label=p) for p in preds]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=10)
    ax.set_title(title, fontsize=14)
    ax.set_aspect("equal")
    ax.margins(0.06)
    ax.axis("off")
    fig.tight_layout()
    return fig


def _empty_figure(title: str, note: str, width: float = 10):
    """A picture that says there is nothing to draw, so that every promised file exists."""
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(width, 3))
    ax.text(0.5, 0.5, note, ha="center", va="center", fontsize=12, color="#555555")
    ax.set_title(title, fontsize=14)
    ax.axis("off")
    return fig


def _natural(label) -> tuple:
    """"2: x" before "10: y"."""
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(label)))


def _family() -> str:
    import matplotlib
    return matplotlib.rcParams["font.sans-serif"][0]


def png_bytes(fig, dpi: int = 130) -> bytes:
    """The figure as PNG bytes; the figure is released."""
    import matplotlib.pyplot as plt
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return buf.getvalue()


def save_png(fig, path: Path, dpi: int = 130) -> Path:
    """Render to memory, then write atomically, and release the figure."""
    write_atomic(Path(path), png_bytes(fig, dpi))
    return Path(path)


# pyvis's template links Bootstrap from a CDN for a loading bar we do not need
_CDN_TAG = re.compile(r'<(link|script)\b[^>]*cdn\.jsdelivr\.net[^>]*>(\s*</script>)?', re.S)


def network_html(G, title: str, evidence: dict | None = None, height: str = "760px") -> str:
    """A self-contained interactive page (pyvis / vis-network): drag, zoom, hover a node for its
    class and aliases, hover an edge for its predicate and evidence sentence."""
    from pyvis.network import Network

    net = Network(height=height, width="100%", directed=G.is_directed(), cdn_resources="in_line",
                  bgcolor="#ffffff", heading="")
    degree = dict(G.degree())
    for n, d in G.nodes(data=True):
        aliases = f"\naliases: {d['aliases'].replace('|', ', ')}" if d.get("aliases") else ""
        tip = f"{d['name']}\n{d['type']}{aliases}"
        net.add_node(n, label=d["name"], title=tip, color=TYPE_COLORS.get(d["type"], "#333"),
                     size=10 + 4 * degree[n], font={"size": 22})
    for u, v, pred in _edge_list(G):
        tip = pred + (f"\n{evidence[(u, pred, v)]}" if evidence and (u, pred, v) in evidence else "")
        net.add_edge(u, v, title=tip, color=PREDICATE_COLORS.get(pred, "#333"), label=pred, font={"size": 9})
    net.barnes_hut(gravity=-6000, spring_length=140)
    page = _CDN_TAG.sub("", net.generate_html())
    legend = " ".join(f'<span style="color:{c}">&#9679; {t}</span>' for t, c in TYPE_COLORS.items()
                      if any(d["type"] == t for _, d in G.nodes(data=True)))
    header = (f'<h3 style="font-family:sans-serif">{html.escape(title)}</h3>'
              f'<p style="font-family:sans-serif">{legend}</p>')
    return page.replace("<body>", "<body>\n" + header, 1)


def competition_figure(C):
    """The competition network, each edge captioned with its best confidence and evidence count."""
    captions = {(u, v): f"{max(e.confidence for e in d['evidence']):.1f} · {len(d['evidence'])} sentence(s)"
                for u, v, d in C.edges(data=True)}
    return network_figure(C, "Who competes with whom (competesWith; confidence · evidence)", width=10,
                          edge_text=captions)


def best_evidence(edges) -> dict:
    """(subject IRI, predicate, object IRI) -> the most confident evidence sentence, for tooltips."""
    best: dict[tuple[str, str, str], tuple[float, str]] = {}
    for e in edges:
        key = (e.subject_iri, e.predicate, e.object_iri)
        if key not in best or e.confidence > best[key][0]:
            best[key] = (e.confidence, e.text)
    return {k: text for k, (_, text) in best.items()}


def in_notebook(page: str, height: int = 780):
    """Show a full HTML page inside a notebook cell (an iframe, so its scripts run in isolation)."""
    from IPython.display import HTML
    return HTML(f'<div><iframe srcdoc="{html.escape(page)}" '
                f'style="width:100%;height:{height}px;border:0"></iframe></div>')


def displacy_options() -> dict:
    return {"ents": list(TYPE_COLORS), "colors": {t: c + "66" for t, c in TYPE_COLORS.items()}}


def mentions_html(text: str, mentions: list[dict], title: str, page: bool = True) -> str:
    """The document with its final mentions highlighted by class (displacy's entity style)."""
    from spacy import displacy
    ents = [{"start": m["start"], "end": m["end"], "label": m["label"]}
            for m in sorted(mentions, key=lambda m: m["start"])]
    # displacy escapes the text but puts the title into the page as it is: a manifest title
    # would run as markup
    return displacy.render({"text": text, "ents": ents, "title": html.escape(title)}, style="ent", manual=True,
                           options=displacy_options(), page=page, jupyter=False)


def funding_figure(rounds: list[dict], investors: list[dict], currency: str, rate_note: str):
    """Two panels: each round by size in one currency (hatched when the text gives an approximate
    amount), and the investors by the total of the rounds they joined."""
    import matplotlib.pyplot as plt

    col = f"amount_{currency.lower()}"
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(12, 3 + 0.55 * (len(rounds) + len(investors))),
                                      gridspec_kw={"height_ratios": [max(len(rounds), 1), max(len(investors), 1)]})
    labels = [f"{r['recipient']} · {r['round'] or 'round not stated'}" for r in rounds]
    values = [r[col] / 1e6 for r in rounds]
    bars = top.barh(labels, values, color=[TYPE_COLORS["Company"]] * len(rounds),
                    edgecolor="white")
    for bar, r in zip(bars, rounds, strict=True):
        if r["approximate"]:
            bar.set_hatch("//")
        who = f" ← {', '.join(r['investors'])}" if r["investors"] else ""
        top.annotate(f" {r['as_written']} ({r['currency']}){who}",
                     (bar.get_width(), bar.get_y() + bar.get_height() / 2), va="center", fontsize=10)
    top.invert_yaxis()
    top.set_xlabel(f"million {currency}")
    top.set_title("Funding rounds by recipient (hatched: approximate amount as written)", fontsize=13)
    top.margins(x=0.45)
    if investors:
        tot = f"rounds_total_{currency.lower()}"
        ib = bottom.barh([i["investor"] for i in investors], [i[tot] / 1e6 for i in investors],
                         color=TYPE_COLORS["InvestmentFirm"])
        for bar, i in zip(ib, investors, strict=True):
            bottom.annotate(f" {i['rounds']} round(s): {i['recipients']}",
                            (bar.get_width(), bar.get_y() + bar.get_height() / 2), va="center", fontsize=10)
        bottom.invert_yaxis()
        bottom.margins(x=0.45)
    else:
        bottom.text(0.5, 0.5, "no investor is named in any funding sentence", ha="center", va="center")
        bottom.set_yticks([])
    bottom.set_xlabel(f"million {currency}, total size of the rounds joined")
    bottom.set_title("Investors", fontsize=13)
    fig.text(0.01, 0.005, f"Converted at fixed rates: {rate_note}", fontsize=8, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def read_extractions(path: Path) -> tuple[dict, dict]:
    """From extractions.jsonl: documents by id (with their normalized text) and mentions by doc."""
    docs: dict[str, dict] = {}
    mentions: dict[str, list] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["kind"] == "document":
                docs[rec["doc"]] = rec
            elif rec["kind"] == "mention":
                mentions.setdefault(rec["doc_id"], []).append(rec)
    return docs, mentions


# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...) sends data
# away); OWASP's advice is a leading apostrophe, which shows the text as typed.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, list):
        value = "、".join(map(str, value))
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(rows: list[dict]) -> str:
    """UTF-8 with a BOM, so Excel opens the Chinese names correctly; text that a spreadsheet
    would take for a formula is prefixed with an apostrophe."""
    import csv
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: _cell(v) for k, v in r.items()})
    return "\ufeff" + buf.getvalue()


def write_csv(path: Path, rows: list[dict]) -> Path:
    write_atomic(Path(path), csv_text(rows))
    return Path(path)


def write_all(g, ttl: Path, out: Path, rates=None, currency: str = "USD", font: str | None = None) -> list[Path]:
    """Every picture and table ``kg viz`` promises, from the graph ``g`` read from ``ttl`` (and
    the mentions in extractions.jsonl beside it, when present), into ``out``.  All of them are
    rendered in memory first: a failure half-way leaves ``out`` as it was."""
    from ..graph.explain import evidence_edges
    from . import analysis
    from .fonts import use_cjk_font
    from .fx import Rates

    use_cjk_font(font)
    rates = rates or Rates()
    out = Path(out)
    files: dict[Path, str | bytes] = {}
    G = analysis.entity_network(g)
    tips = best_evidence(evidence_edges(g))
    files[out / "industry.html"] = network_html(G, "AI industry graph", tips)
    files[out / "industry.png"] = png_bytes(
        network_figure(G, "AI industry graph: entities by class, relations by predicate"))
    files[out / "centrality.csv"] = csv_text(analysis.centrality_table(G))
    files[out / "communities.csv"] = csv_text(analysis.community_table(G))
    C = analysis.competition_network(g)
    files[out / "competition.html"] = network_html(C, "Who competes with whom", tips)
    files[out / "competition.png"] = png_bytes(competition_figure(C))
    files[out / "competition.csv"] = csv_text(analysis.competition_pairs(g))
    rounds = analysis.funding_rounds(g, rates, currency)
    investors = analysis.investor_table(rounds, currency)
    files[out / "funding.png"] = png_bytes(funding_figure(rounds, investors, currency, rates.statement(currency)))
    files[out / "funding.csv"] = csv_text(rounds)
    files[out / "investors.csv"] = csv_text(investors)
    extractions = Path(ttl).with_name("extractions.jsonl")
    if extractions.is_file():
        docs, mentions = read_extractions(extractions)
        for doc_id, rec in docs.items():
            # files written before the text was recorded have none; a doc id that is not a plain
            # file name (an edited file) must not place a page outside ``out``
            if "text" in rec and doc_id not in ("", ".", "..") and Path(doc_id).name == doc_id:
                title = str((rec.get("meta") or {}).get("title") or doc_id)
                files[out / "mentions" / f"{doc_id}.html"] = mentions_html(rec["text"], mentions.get(doc_id, []), title)
    for path, data in files.items():
        write_atomic(path, data)
    return list(files)
