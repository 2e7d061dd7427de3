"""``kg sparql``: SPARQL over the Turtle output with rdflib, no server needed."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from .resources import query_dir

QUERY_DIR = query_dir("sparql")


def read_query(query: str) -> str:
    """``query`` is SPARQL text, a file, or the name of a shipped query (``competes_with``)."""
    for candidate in (Path(query), QUERY_DIR / query, QUERY_DIR / f"{query}.rq"):
        try:
            if candidate.is_file():
                return candidate.read_text(encoding="utf-8")
        except OSError:          # SPARQL text too long to be a file name
            break
    return query


def run_query(g: Graph, query: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows (as Python values) of a SELECT; ASK gives one boolean row."""
    res = g.query(read_query(query))
    if res.type == "ASK":
        return ["ask"], [(bool(res.askAnswer),)]
    if res.type != "SELECT":
        raise ValueError("only SELECT and ASK queries are supported")
    cols = [str(v) for v in res.vars]
    rows = [tuple(None if v is None else v.toPython() for v in row) for row in res]
    return cols, rows


def format_table(cols: list[str], rows: list[tuple]) -> str:
    """Tab-separated, header first: pastes into a spreadsheet and reads in a terminal."""
    lines = ["\t".join(cols)]
    lines += ["\t".join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines)


def shipped_queries() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))
