"""The ``kg`` command line."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from . import __version__
from .errors import UserError

DEFAULT_TTL = "out/kg.ttl"


def add_graph_arg(p: argparse.ArgumentParser) -> None:
    """The graph file, positional or ``--ttl`` (both accepted by every command that reads one)."""
    p.add_argument("file", nargs="?", help=f"the Turtle graph (default {DEFAULT_TTL})")
    p.add_argument("--ttl", help="the same, as an option")


def graph_path(a) -> str:
    if a.file and a.ttl and a.file != a.ttl:
        raise OSError(f"two graph files given: {a.file} and --ttl {a.ttl}")
    return a.file or a.ttl or DEFAULT_TTL


def add_neo4j_args(parser) -> None:
    parser.add_argument("--uri", help="Bolt URI (env NEO4J_URI, default bolt://localhost:7687)")
    parser.add_argument("--user", help="user (env NEO4J_USER, default neo4j)")
    parser.add_argument("--password", help="password (env NEO4J_PASSWORD)")
    parser.add_argument("--database", help="database (env NEO4J_DATABASE, default neo4j)")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="connection timeout; transient errors are retried for 3x this "
                             "(env NEO4J_TIMEOUT, default 10)")
    parser.add_argument("--wipe", action="store_true", help="first delete what an earlier load put there")
    parser.add_argument("--batch-size", type=int, default=1000, help="rows per UNWIND transaction")


def target_from_args(a):
    """The server the options and environment name; a malformed one fails here, before any work."""
    from .outputs.neo4j_load import Target, check_uri
    target = Target.from_env(uri=a.uri, user=a.user, password=a.password, database=a.database, timeout=a.timeout)
    check_uri(target.uri)
    return target


def load_from_args(a, g) -> int:
    """Load the graph ``g`` (already read or just built) into the server the options name."""
    from .outputs.neo4j_load import LoadError, load_graph
    if a.batch_size < 1:
        raise LoadError(f"--batch-size must be at least 1, not {a.batch_size}")
    print(load_graph(g, target_from_args(a), wipe=a.wipe, batch_size=a.batch_size))
    return 0


def _load_ttl(path: str):
    from rdflib import Graph
    p = Path(path)
    if not p.is_file():
        raise OSError(f"{p}: no such file (run `kg build` first, or pass --ttl)")
    try:
        return Graph().parse(p, format="turtle")
    except Exception as exc:  # rdflib raises parser-specific types
        raise OSError(f"{p}: not valid Turtle: {exc}") from exc


def cmd_build(a) -> int:
    from .build import InvalidGraph, build, summary
    from .graph.validate import format_violations
    from .parallel import SCHEDULER_ENV, default_workers
    t0 = time.perf_counter()
    # progress and skipped files are the build's INFO records; the root handler prints messages only
    logging.getLogger("kg").setLevel(logging.WARNING if a.quiet else logging.INFO)
    if a.neo4j:
        target_from_args(a)          # a malformed --uri fails before the build, not after it
    try:
        res, paths = build(Path(a.corpus), Path(a.out), ner=a.ner, hanlp_model=a.hanlp_model,
                           min_confidence=a.min_confidence, strict=a.strict,
                           workers=a.workers or default_workers(),
                           cache=a.cache, validate=a.validate,
                           scheduler=a.scheduler or os.environ.get(SCHEDULER_ENV) or None)
    except InvalidGraph as exc:
        print(format_violations(exc.violations), file=sys.stderr)
        print(f"kg build: error: {exc}", file=sys.stderr)
        return 1
    print(summary(res))
    print({"off": "SHACL: not validated (--validate off)",
           "fast": f"SHACL: conforms ({len(res.changed)} of {len(res.docs)} document(s) checked, --validate fast)",
           "full": "SHACL: conforms"}[a.validate])
    print(f"total seconds: {time.perf_counter() - t0:.2f}")
    for kind, p in paths.items():
        print(f"{kind}: {p}")
    if a.neo4j:
        return load_from_args(a, res.graph)
    return 0


def cmd_validate(a) -> int:
    from .graph.validate import format_violations, validate
    violations = validate(_load_ttl(a.ttl))
    if violations:
        print(format_violations(violations))
        return 1
    print(f"{a.ttl}: conforms to ontology/shapes.ttl")
    return 0


def cmd_export(a) -> int:
    from .outputs.export import export
    print(export(_load_ttl(a.ttl), Path(a.ttl), a.format, Path(a.out) if a.out else None))
    return 0


def cmd_sparql(a) -> int:
    from .graph.sparql import (
        QueryError,
        format_table,
        looks_like_a_name,
        prepare,
        read_query,
        run_query,
        shipped_queries,
    )
    if a.query == "list":
        print("\n".join(shipped_queries()))
        return 0
    try:
        prepare(read_query(a.query), a.allow_service)      # before the graph is read: fails fast
        cols, rows = run_query(_load_ttl(a.ttl), a.query, a.allow_service)
    except QueryError as exc:
        source = "" if str(exc).startswith(a.query) or not looks_like_a_name(a.query) else f"{a.query}: "
        print(f"kg sparql: error: {source}{exc}", file=sys.stderr)
        return 2
    print(format_table(cols, rows))
    return 0


def cmd_load(a) -> int:
    return load_from_args(a, _load_ttl(a.ttl))


def cmd_explain(a) -> int:
    from .graph.explain import explain, format_edges
    try:
        edges = explain(_load_ttl(a.ttl), a.entity, a.other)
    except KeyError as exc:
        print(f"kg explain: error: no entity named {exc.args[0]!r} in {a.ttl}", file=sys.stderr)
        return 2
    print(format_edges(edges) if edges else "no extracted relation for this entity" +
          (" pair" if a.other else ""))
    return 0


def cmd_viz(a) -> int:
    from .files import check_outputs
    from .outputs.fonts import MissingCJKFont
    from .outputs.fx import Rates
    from .outputs.viz import write_all
    check_outputs(Path(a.ttl).parent, [Path(a.ttl).name, "extractions.jsonl"])
    g = _load_ttl(a.ttl)
    try:
        rates = Rates().with_overrides(a.rate)
        paths = write_all(g, Path(a.ttl), Path(a.out) if a.out else Path(a.ttl).parent / "viz", rates,
                          a.currency.upper(), a.font)
    except (MissingCJKFont, ValueError, KeyError) as exc:
        print(f"kg viz: error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    print(f"amounts converted to {a.currency.upper()} at: {rates.statement(a.currency.upper())}")
    for p in paths:
        print(p)
    return 0


def cmd_models(a) -> int:
    from .extract.ner import DEFAULT_HANLP_MODEL, pull_hanlp_model, resolve_hanlp_model
    model = a.model or DEFAULT_HANLP_MODEL
    print(pull_hanlp_model(model) if a.action == "pull" else resolve_hanlp_model(model))
    return 0


def cmd_eval(a) -> int:
    import json

    from .graph.evaluate import GoldError, evaluate_files, format_report
    try:
        res = evaluate_files(Path(graph_path(a)), Path(a.gold))
    except GoldError as exc:
        print(f"kg eval: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(res, ensure_ascii=False, indent=1) if a.json else format_report(res))
    return 0


def main(argv=None) -> int:
    """Every failure the user can cause or fix ends in one line on stderr and an exit code:
    2 for bad input or a server, 1 for an invalid graph or an internal error, 130 on Ctrl-C."""
    cmd = "kg"
    try:
        a = parse_args(argv)
        cmd = f"kg {a.cmd}"
        code = run_command(a)
        sys.stdout.flush()          # a closed pipe shows here, not in the interpreter's exit
        return code
    except KeyboardInterrupt:
        print(f"{cmd}: interrupted; files are written whole or not at all", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader (head, less) went away; stdout is pointed at /dev/null so that the final
        # flush at exit does not fail a second time
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def run_command(a) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        if hasattr(a, "file") and a.cmd != "build":
            a.ttl = graph_path(a)
        return a.func(a)
    except BrokenPipeError:
        raise
    except (UserError, OSError) as exc:
        print(f"kg {a.cmd}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:
        if os.environ.get("KG_TRACEBACK"):
            raise
        print(f"kg {a.cmd}: internal error: {type(exc).__name__}: {_one_line(exc)}"
              " (set KG_TRACEBACK=1 to see where)", file=sys.stderr)
        return 1


def parse_args(argv=None):
    from .outputs.export import FORMATS
    ap = argparse.ArgumentParser(prog="kg", description="Chinese AI-industry news -> knowledge graph")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="extract a knowledge graph from a folder of .txt articles")
    b.add_argument("corpus", help="folder of .txt articles (optional manifest.json)")
    b.add_argument("--out", default="out", help="output folder (default: out)")
    b.add_argument("--ner", choices=("auto", "hanlp", "lac"), default="auto",
                   help="NER backend; auto uses HanLP when its model loads here, else LAC")
    b.add_argument("--hanlp-model", default=None,
                   help="HanLP model: hanlp.pretrained name, URL or local directory (env KG_HANLP_MODEL)")
    b.add_argument("--min-confidence", type=float, default=0.5,
                   help="drop relations and funding figures below this confidence (default 0.5)")
    b.add_argument("--strict", action="store_true", help="fail on the first unreadable file")
    b.add_argument("--quiet", action="store_true", help="no progress bar or lines")
    b.add_argument("--workers", type=int, default=None,
                   help="processes tagging documents in parallel (default: all cores; 1: this process only)")
    b.add_argument("--cache", default=None,
                   help="per-document cache folder (default OUT/.kg-cache; 'off' to disable)")
    b.add_argument("--validate", choices=("fast", "full", "off"), default="fast",
                   help="SHACL: fast checks what the documents extracted anew give (default), full the whole graph")
    b.add_argument("--scheduler", default=None,
                   help="Dask scheduler address (tcp://HOST:8786, env KG_SCHEDULER): tag documents on a cluster")
    b.add_argument("--neo4j", action="store_true", help="then load the graph into Neo4j (see `kg load`)")
    add_neo4j_args(b)
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="check a Turtle file against the SHACL shapes (pyshacl)")
    add_graph_arg(v)
    v.set_defaults(func=cmd_validate)

    e = sub.add_parser("export", help="write the graph as Turtle, N-Triples, JSON-LD, GraphML, GEXF or"
                                      " neo4j-admin import CSV files")
    e.add_argument("--format", required=True, choices=sorted(FORMATS))
    add_graph_arg(e)
    e.add_argument("--out", help="target file (default: next to --ttl, with the format's extension;"
                                 " neo4j-import: a folder, default neo4j-import/ beside --ttl)")
    e.set_defaults(func=cmd_export)

    q = sub.add_parser("sparql", help="run a SPARQL query (text, .rq file or shipped name; `list` lists them)")
    q.add_argument("query")
    add_graph_arg(q)
    q.add_argument("--allow-service", action="store_true",
                   help="run SERVICE, FROM and FROM NAMED clauses, which fetch data from the addresses they name")
    q.set_defaults(func=cmd_sparql)

    n = sub.add_parser("load", help="load the graph into Neo4j (batched UNWIND/MERGE, idempotent)")
    add_graph_arg(n)
    add_neo4j_args(n)
    n.set_defaults(func=cmd_load)

    x = sub.add_parser("explain", help="the sentences behind an entity's edges, or a pair's")
    x.add_argument("entity", help="name or alias, e.g. 李志飞")
    x.add_argument("other", nargs="?", help="a second entity: only edges between the two")
    x.add_argument("file", nargs="?", help=f"the Turtle graph (default {DEFAULT_TTL})")
    x.add_argument("--ttl", help="the same, as an option")
    x.set_defaults(func=cmd_explain)

    z = sub.add_parser("viz", help="interactive HTML, PNG charts and CSV tables of the graph (no Jupyter needed)")
    add_graph_arg(z)
    z.add_argument("--out", help="output folder (default: viz/ beside --ttl)")
    z.add_argument("--currency", default="USD", help="currency of the funding charts (default USD)")
    z.add_argument("--rate", action="append", default=[], metavar="CODE=USD",
                   help="exchange rate in USD per unit, e.g. CNY=0.14 (repeatable; defaults in kg/outputs/fx.py)")
    z.add_argument("--font", help="a CJK .ttf/.otf/.ttc file for the PNGs (default: an installed Noto/Source Han font)")
    z.set_defaults(func=cmd_viz)
    m = sub.add_parser("models", help="HanLP models: `pull` downloads one into HanLP's cache (needs internet)")
    m.add_argument("action", choices=("pull", "path"), help="pull: download once; path: where it is cached")
    m.add_argument("model", nargs="?", default=None,
                   help="hanlp.pretrained name, URL or directory "
                        "(default: KG_HANLP_MODEL or MSRA_NER_ELECTRA_SMALL_ZH)")
    m.set_defaults(func=cmd_models)
    ev = sub.add_parser("eval", help="score the graph against gold files of your own (docs/gold-format.md)")
    ev.add_argument("gold", help="folder of gold .json files, one per article")
    add_graph_arg(ev)
    ev.add_argument("--json", action="store_true", help="print the full result as JSON")
    ev.set_defaults(func=cmd_eval)
    a = ap.parse_args(argv)
    if a.cmd == "explain" and a.file is None and a.other and a.other.endswith(".ttl"):
        a.file, a.other = a.other, None          # `kg explain NAME FILE.ttl`
    return a


if __name__ == "__main__":
    sys.exit(main())
