"""Every way a user starts the project: the CLI without the HanLP extra, a wheel installed away
from the source tree, and the command-line conventions shared by all subcommands."""
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from support import CORPUS, ROOT

import kg

SEED = sorted(CORPUS.glob("*.txt"))[:2]


def run_kg(args, cwd=None, env=None, python=sys.executable):
    return subprocess.run([python, "-m", "kg.cli", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture()
def small_corpus(tmp_path):
    d = tmp_path / "articles"
    d.mkdir()
    for p in SEED:
        shutil.copy(p, d)
    return d


def test_build_falls_back_to_lac_when_hanlp_cannot_be_imported(small_corpus, tmp_path):
    # sys.modules[name] = None makes every `import hanlp` fail, as on the core install
    code = ("import sys; sys.modules['hanlp'] = None; from kg.cli import main; "
            f"sys.exit(main(['build', {str(small_corpus)!r}, '--out', {str(tmp_path / 'out')!r}, '--quiet', "
            "'--workers', '1']))")      # in this process: a worker would start without the block
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "NER backend: lac (HanLP unavailable, using LAC: hanlp is not installed" in r.stdout
    assert "Traceback" not in r.stderr
    assert (tmp_path / "out" / "kg.ttl").stat().st_size > 0


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory):
    """`pip install` of the built wheel (not editable) into a fresh venv.  Its dependencies come from
    the test venv through a .pth line, so the test needs no network; the package itself, with
    its ontology and queries, comes only from the wheel."""
    tmp = tmp_path_factory.mktemp("wheel")
    # from a copy of the committed files: a stale build/ or egg-info of the checkout stays out
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (tmp / "src" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tmp / "src" / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp / "dist"), str(tmp / "src")], check=True, timeout=600)
    wheel = next((tmp / "dist").glob("aikg-*.whl"))
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (Path(site) / "deps_from_test_venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    return venv


def test_wheel_install_runs_from_any_folder(wheel_venv, small_corpus, tmp_path, bolt):
    kg_bin = wheel_venv / "bin" / "kg"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path))}   # no KG_* variables

    def kg_cmd(*args):
        r = subprocess.run([str(kg_bin), *map(str, args)], cwd=elsewhere, env=env, capture_output=True,
                           text=True, timeout=600)
        assert r.returncode == 0, f"kg {' '.join(map(str, args))}: {r.stderr}"
        return r.stdout

    where = subprocess.run([str(wheel_venv / "bin" / "python"), "-c", "import kg; print(kg.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True).stdout
    assert str(wheel_venv) in where                      # the wheel's copy, not the source tree
    kg_cmd("build", small_corpus, "--out", "X", "--ner", "lac", "--quiet")
    assert kg_cmd("validate", "X/kg.ttl").strip().endswith("conforms to ontology/shapes.ttl")
    rows = kg_cmd("sparql", "competes_with", "--ttl", "X/kg.ttl").splitlines()
    assert rows[0].split("\t")[:2] == ["a", "b"] and len(rows) > 1     # a shipped query, not query text
    assert "competes_with" in kg_cmd("sparql", "list")
    kg_cmd("viz", "X/kg.ttl")
    assert (elsewhere / "X" / "viz" / "industry.png").stat().st_size > 0
    loaded = kg_cmd("load", "X/kg.ttl", "--uri", bolt.uri, "--user", bolt.user, "--password", bolt.password,
                    "--database", bolt.database, "--wipe")
    assert "loaded" in loaded and "Neo4j/5.26" in loaded


def test_version():
    r = run_kg(["--version"])
    assert r.returncode == 0 and r.stdout.strip() == f"kg {kg.__version__}" and kg.__version__[0].isdigit()


@pytest.mark.parametrize("command", [["validate"], ["sparql", "founders"], ["export", "--format", "nt"],
                                     ["explain", "李志飞"]])
def test_graph_file_is_positional_or_ttl(command, corpus_ttl, tmp_path):
    extra = ["--out", tmp_path / "g.nt"] if command[0] == "export" else []
    positional = run_kg([*command, corpus_ttl, *extra])
    option = run_kg([*command, "--ttl", corpus_ttl, *extra])
    assert positional.returncode == option.returncode == 0, positional.stderr + option.stderr
    assert positional.stdout == option.stdout
    both = run_kg([*command, tmp_path / "other.ttl", "--ttl", corpus_ttl, *extra])
    assert both.returncode == 2 and both.stderr.count("\n") == 1 and "two graph files" in both.stderr
