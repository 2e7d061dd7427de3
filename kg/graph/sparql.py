"""``kg sparql``: SPARQL over the Turtle output with rdflib, no server needed.

Queries only read the graph they are given: updates are refused, and so are the clauses that
make rdflib fetch data from the addresses a query names (``SERVICE``, ``FROM``, ``FROM NAMED``)
unless the caller allows them explicitly.
"""
from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph

from ..resources import query_dir

QUERY_DIR = query_dir("sparql")
# what a query name or a file name looks like; SPARQL text always has spaces or braces
_NAME = re.compile(r"[\w.\-/\\~]+")


class QueryError(ValueError):
    """A query that is not run; the message is one line."""


def read_query(query: str) -> str:
    """``query`` is SPARQL text, a file, or the name of a shipped query (``competes_with``)."""
    for candidate in (Path(query), QUERY_DIR / query, QUERY_DIR / f"{query}.rq"):
        try:
            if candidate.is_file():
                return candidate.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise QueryError(f"{candidate}: not a UTF-8 text file") from None
        except (OSError, ValueError):   # SPARQL text too long to be a file name, or with a NUL
            break
    if looks_like_a_name(query):
        raise QueryError(f"{query}: no such query file or shipped query (`kg sparql list` names them)")
    return query


def looks_like_a_name(query: str) -> bool:
    return bool(_NAME.fullmatch(query))


def _nodes(node):
    from rdflib.plugins.sparql.parserutils import CompValue
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _nodes(value)


def prepare(text: str, allow_service: bool = False):
    """The parsed query, or QueryError: a syntax error with its position, an update, or a
    clause that reaches out of the graph when that is not allowed."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parser import parseUpdate
    try:
        q = prepareQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except Exception:
            raise QueryError(f"syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
        raise QueryError("SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is refused: "
                         "kg sparql only reads the graph") from None
    except Exception as exc:        # rdflib reports unknown prefixes and the like as plain Exception
        raise QueryError(f"invalid query: {' '.join(str(exc).split())}") from None
    if not allow_service:
        names = {n.name for n in _nodes(q.algebra)}
        if "ServiceGraphPattern" in names:
            raise QueryError("SERVICE sends requests to the address the query names; refused"
                             " (pass --allow-service to allow it)")
        if q.algebra.get("datasetClause"):
            raise QueryError("FROM / FROM NAMED load graphs from the addresses the query names; refused"
                             " (pass --allow-service to allow it)")
    return q


def run_query(g: Graph, query: str, allow_service: bool = False) -> tuple[list[str], list[tuple]]:
    """Column names and rows (as Python values) of a SELECT; ASK gives one boolean row."""
    res = g.query(prepare(read_query(query), allow_service))
    if res.type == "ASK":
        return ["ask"], [(bool(res.askAnswer),)]
    if res.type != "SELECT":
        raise QueryError(f"{res.type} queries are not supported; only SELECT and ASK")
    cols = [str(v) for v in res.vars or []]
    rows = [tuple(None if v is None else v.toPython() for v in row) for row in res]  # type: ignore[union-attr]
    return cols, rows


def format_table(cols: list[str], rows: list[tuple]) -> str:
    """Tab-separated, header first: pastes into a spreadsheet and reads in a terminal."""
    lines = ["\t".join(cols)]
    lines += ["\t".join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines)


def shipped_queries() -> list[str]:
    return sorted(p.stem for p in QUERY_DIR.glob("*.rq"))
