"""``kg export --format neo4j-import``: the graph as the CSV files ``neo4j-admin database import
full`` reads, the fast path for an archive's millions of nodes (an offline import into an empty
database, no transactions).

The rows are ``kg.neo4j_load.graph_rows``, what ``kg load`` sends, so both paths give the same
labels, relationship types and properties: one node file per entity class (labels
``Entity;<Class>``), one for funding rounds and one for documents, one relationship file per
type.  Every node's ``iri`` is its import ID (``iri:ID``, kept as a property as ``kg load``
keeps it); headers carry the types (``amount:float``, ``aliases:string[]``, ``date:date``).
Array elements are separated by U+001F, a character no name or sentence holds, so the
command passes ``--array-delimiter=U+001F``.
"""
from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from pathlib import Path

from rdflib import Graph

from .neo4j_load import SCHEMA_QUERIES, Rows, graph_rows

ARRAY_DELIMITER = "\x1f"
SCRIPT, SCHEMA = "import.sh", "schema.cypher"


def _cell(value) -> str:
    if value is None:
        return ""                                   # an empty field: no property
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        value = ARRAY_DELIMITER.join(map(str, value))
    return '"' + str(value).replace('"', '""') + '"'


def _kind(values: list) -> str:
    """The header type of one property, from its values."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "int"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "float"
    if present and all(isinstance(v, datetime.date) for v in present):
        return "date"
    if present and all(isinstance(v, list) for v in present):
        return "string[]"
    return "string"


def _table(rows: list[dict], keys: list[str], id_cols: dict[str, str], extra: dict[str, str]) -> str:
    """CSV text: ``id_cols`` maps a row key to a header (``iri:ID``, ``:START_ID``), ``extra``
    a constant column (``:LABEL``, ``:TYPE``) to its value; the other keys are typed properties."""
    header = [id_cols.get(k) or f"{k}:{_kind([r.get(k) for r in rows])}" for k in keys] + list(extra)
    lines = [",".join(header)]
    for r in rows:
        lines.append(",".join([_cell(r.get(k)) for k in keys] + [_cell(v) for v in extra.values()]))
    return "\n".join(lines) + "\n"


def import_files(rows: Rows) -> dict[str, str]:
    """File name -> CSV text."""
    files = {}
    for label, ents in sorted(rows.entities.items()):
        files[f"nodes_{label}.csv"] = _table(ents, list(ents[0]), {"iri": "iri:ID"}, {":LABEL": f"Entity;{label}"})
    if rows.funding:
        keys = [k for k in rows.funding[0] if k not in ("recipient", "investors")]
        files["nodes_FundingRound.csv"] = _table(rows.funding, keys, {"iri": "iri:ID"}, {":LABEL": "FundingRound"})
        files["rels_RECIPIENT.csv"] = _table([{"s": f["iri"], "o": f["recipient"]} for f in rows.funding], ["s", "o"],
                                             {"s": ":START_ID", "o": ":END_ID"}, {":TYPE": "RECIPIENT"})
        inv = [{"s": f["iri"], "o": i} for f in rows.funding for i in f["investors"]]
        if inv:
            files["rels_INVESTOR.csv"] = _table(inv, ["s", "o"], {"s": ":START_ID", "o": ":END_ID"},
                                                {":TYPE": "INVESTOR"})
    if rows.documents:
        files["nodes_Document.csv"] = _table(rows.documents, list(rows.documents[0]), {"iri": "iri:ID"},
                                             {":LABEL": "Document"})
    for rtype, rels in sorted(rows.relations.items()):
        files[f"rels_{rtype}.csv"] = _table(rels, list(rels[0]), {"s": ":START_ID", "o": ":END_ID"}, {":TYPE": rtype})
    return files


def import_command(names) -> str:
    nodes = " ".join(f"--nodes={n}" for n in sorted(names) if n.startswith("nodes_"))
    rels = " ".join(f"--relationships={n}" for n in sorted(names) if n.startswith("rels_"))
    return (f"neo4j-admin database import full --array-delimiter=U+001F --multiline-fields=true "
            f"{nodes} {rels} neo4j")


def write_import(g: Graph, folder: Path) -> Path:
    """Write the CSV files, ``import.sh`` (the command, run from that folder) and
    ``schema.cypher`` (constraints and index, once the database runs) into ``folder``,
    replacing its previous content as a whole: they are written to a sibling folder first."""
    folder = Path(folder)
    files = import_files(graph_rows(g))
    files[SCRIPT] = ("#!/bin/sh\n# into an empty, stopped database; see the README, section Neo4j\n"
                     "cd \"$(dirname \"$0\")\"\n" + import_command(files) + ' "$@"\n')
    # the constraints and the full-text index kg load creates, for cypher-shell after the import
    files[SCHEMA] = "".join(q + ";\n" for q in SCHEMA_QUERIES)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        os.chmod(tmp, 0o755)
        os.chmod(tmp / SCRIPT, 0o755)
        old = None
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(folder, old)
        os.replace(tmp, folder)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder
