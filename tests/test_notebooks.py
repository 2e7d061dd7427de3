"""Every notebook runs top to bottom, headless, on the corpus graph; the competition notebook
also runs its Neo4j section against the Bolt server.

Policy: notebooks are committed without outputs (no stale figures, reviewable diffs);
`make notebooks` writes executed copies with their outputs to out/notebooks/ for sharing."""
import nbformat
import pytest
from nbclient import NotebookClient
from support import CORPUS, ROOT

from kg.outputs.neo4j_load import load_ttl

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _outputs(nb, kind=None):
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
            if kind is None or o.output_type == kind]


def _text(nb, stream):
    return "".join(o.text for o in _outputs(nb, "stream") if o.name == stream)


def _has(nb, mime):
    return any(mime in o.get("data", {}) for o in _outputs(nb))


def test_the_four_notebooks_are_committed_without_outputs():
    assert [p.name for p in NOTEBOOKS] == ["01_extraction_walkthrough.ipynb", "02_industry_graph.ipynb",
                                           "03_who_competes_with_whom.ipynb", "04_money.ipynb"]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
        assert not any(str(ROOT) in c.source or "/home/" in c.source for c in nb.cells), path.name


def _run(path, monkeypatch, corpus_out, **env):
    monkeypatch.setenv("AIKG_CORPUS", str(CORPUS))
    monkeypatch.setenv("AIKG_OUT", str(corpus_out))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    nb = nbformat.read(path, as_version=4)
    # raises CellExecutionError, with the failing cell, on any error
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    stderr = _text(nb, "stderr")
    assert "missing from font" not in stderr and "Traceback" not in stderr
    assert stderr == "", stderr          # no warnings either: they would show in a shared notebook
    return nb


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if not p.name.startswith("03")], ids=lambda p: p.stem)
def test_notebook_runs_headless(path, monkeypatch, corpus_out):
    nb = _run(path, monkeypatch, corpus_out)
    if path.name.startswith("01"):
        assert _has(nb, "text/html") and 'class="entities"' in str(_outputs(nb))      # displacy
        assert "SHACL: conforms" in _text(nb, "stdout")
    else:
        assert _has(nb, "image/png")
        assert (corpus_out / "viz").is_dir()


def test_competition_notebook_with_and_without_neo4j(monkeypatch, corpus_out, bolt):
    path = next(p for p in NOTEBOOKS if p.name.startswith("03"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    nb = _run(path, monkeypatch, corpus_out)
    assert _has(nb, "image/png") and "NEO4J_URI is not set: skipping" in _text(nb, "stdout")
    load_ttl(corpus_out / "kg.ttl", bolt, wipe=True)
    nb = _run(path, monkeypatch, corpus_out, NEO4J_URI=bolt.uri, NEO4J_USER=bolt.user,
              NEO4J_PASSWORD=bolt.password, NEO4J_DATABASE=bolt.database)
    out = _text(nb, "stdout")
    assert f"pairs from {bolt.uri}" in out and "same pairs as the RDF graph: True" in out
