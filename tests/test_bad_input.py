"""Bad input, faults and injection (issue 17): every case ends in one line naming the file or
the folder, never a traceback, and leaves the outputs of the last good build as they were.

The `kg` commands run as subprocesses of this venv's `kg`, as a user runs them; the inputs are
generated in temporary folders.  FIFOs and /dev/zero get a timeout, so a regression fails
instead of hanging."""
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from kg.cli import main
from kg.extract.corpus import MAX_CHARS
from kg.extract.normalize import MAX_SENTENCE
from kg.files import BUILD_RECORD, LOCK, outputs_consistent
from kg.graph.vocab import doc_id_of, doc_iri

KG = str(Path(sys.executable).with_name("kg"))
ARTICLE = "王小明创立了星河智能。星河智能获得了蓝海资本500万元天使轮融资。"
# root reads files whatever their mode; without these capabilities it is refused like any user
AS_USER = (["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
           if os.geteuid() == 0 and shutil.which("setpriv") else [])


def kg(*args, timeout=240, prefix=()):
    return subprocess.run([*prefix, KG, *map(str, args)], capture_output=True, text=True, timeout=timeout)


def lines_naming(stderr: str, name: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if name in ln]


def assert_one_clean_line(r, code: int, *words: str):
    assert r.returncode == code, r.stderr
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    errors = [ln for ln in r.stderr.splitlines() if "error" in ln or "interrupted" in ln]
    assert len(errors) == 1, r.stderr
    assert all(w in errors[0] for w in words), errors[0]


def run_main(capsys, *args):
    """`kg ARGS` in this process (no interpreter start-up): an exception escaping ``main`` fails
    the test the way a traceback would fail the user."""
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


def outputs(out: Path) -> dict:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != LOCK}


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """One good article built by `kg build`: the last good outputs every bad run must keep."""
    root = tmp_path_factory.mktemp("good")
    (root / "corpus").mkdir()
    (root / "corpus" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    r = kg("build", root / "corpus", "--out", root / "out", "--ner", "lac", "--quiet")
    assert r.returncode == 0, r.stderr
    return root


@pytest.fixture()
def out(good, tmp_path):
    """A copy of the good outputs for one test to (fail to) overwrite."""
    shutil.copytree(good / "out", tmp_path / "out")
    return tmp_path / "out"


def test_bad_files_are_skipped_with_one_line_each_and_odd_names_are_read(tmp_path, out):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(ARTICLE, encoding="utf-8")
    odd_names = ["with space", 'quote"d', "back\\slash", "<>{}|^", "back`quote", "new\nline", "50%"]
    for name in odd_names:
        (corpus / f"{name}.txt").write_text(f"李红在{len(name)}年加入了星河智能。", encoding="utf-8")
    (corpus / "utf16.txt").write_bytes("赵刚是星河智能的CEO。".encode("utf-16"))
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容不应出现在输出里。", encoding="utf-8")
    bad = {"zero.txt": "character device", "fifo.txt": "FIFO", "folder.txt": "a folder",
           "outside.txt": "outside the corpus folder", "huge.txt": f"{MAX_CHARS} characters"}
    (corpus / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(corpus / "fifo.txt")
    (corpus / "folder.txt").mkdir()
    (corpus / "outside.txt").symlink_to(secret)
    (corpus / "huge.txt").write_text("一" * (MAX_CHARS + 1), encoding="utf-8")
    (corpus / "long.txt").write_text("星河智能和蓝海资本" * 400, encoding="utf-8")   # 3,600 characters, no stop
    locked = corpus / "locked.txt"
    locked.write_text(ARTICLE, encoding="utf-8")
    locked.chmod(0)
    if os.geteuid() != 0 or AS_USER:
        bad["locked.txt"] = "Permission denied"
    else:                                   # root without setpriv reads it: nothing to test
        locked.unlink()
    # a field of the user's own with an integer beyond 64 bits: kept as it is in extractions.jsonl
    (corpus / "manifest.json").write_text(json.dumps({"good.txt": {"title": 2024, "outlet": "测试",
                                                                   "views": 10 ** 30}}), encoding="utf-8")

    r = kg("build", corpus, "--out", out, "--ner", "lac", prefix=AS_USER)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    for name, reason in bad.items():
        said = lines_naming(r.stderr, name)
        assert len(said) == 1 and reason in said[0] and "skipped" in said[0], (name, r.stderr)
    assert f"skipped files: {len(bad)}" in r.stdout
    assert len(lines_naming(r.stderr, "2024")) == 1                   # the number taken as text, said once
    assert "new\nline" not in r.stderr                                  # never a raw newline of a name

    g = Graph().parse(out / "kg.ttl")
    ids = {str(o) for o in g.objects(None, DCTERMS.identifier)}
    assert ids == {*odd_names, "good", "utf16", "long"}
    assert all(doc_id_of(doc_iri(n)) == n and " " not in doc_iri(n) for n in odd_names)
    assert (doc_iri("good"), DCTERMS.title, Literal("2024")) in g
    assert "机密" not in (out / "kg.ttl").read_text(encoding="utf-8")
    assert "机密" not in (out / "extractions.jsonl").read_text(encoding="utf-8")
    if shutil.which("rapper"):
        check = subprocess.run(["rapper", "-i", "turtle", "-c", str(out / "kg.ttl")], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
    records = [json.loads(ln) for ln in (out / "extractions.jsonl").open(encoding="utf-8")]
    assert next(x for x in records if x["kind"] == "document" and x["doc"] == "good")["meta"]["views"] == 10 ** 30
    long_doc = next(x for x in records if x["kind"] == "document" and x["doc"] == "long")
    assert long_doc["sentences"] >= 3600 // MAX_SENTENCE
    evidence = [e["text"] for x in records if x["kind"] == "relation" for e in x["evidence"]]
    assert evidence and max(map(len, evidence)) <= MAX_SENTENCE
    assert outputs_consistent(out)


def test_a_manifest_value_that_is_not_text_is_one_line(tmp_path, out, capsys):
    before = outputs(out)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "manifest.json").write_text('{"a.txt": {"title": ["not", "text"]}}', encoding="utf-8")
    assert_one_clean_line(run_main(capsys, "build", corpus, "--out", out), 2, "manifest.json", "title", "list")
    (corpus / "manifest.json").write_text('["a.txt"]', encoding="utf-8")
    assert_one_clean_line(run_main(capsys, "build", corpus, "--out", out), 2, "manifest.json")
    (corpus / "manifest.json").write_text('{"a.txt": {"title": "half \\ud800 a character"}}', encoding="utf-8")
    assert_one_clean_line(run_main(capsys, "build", corpus, "--out", out), 2, "manifest.json", "surrogate")
    assert outputs(out) == before


def test_an_output_folder_that_cannot_be_written_is_refused_before_the_work(good, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    r = run_main(capsys, "build", good / "corpus", "--out", blocker / "out")
    assert_one_clean_line(r, 2, "a-file/out", "cannot write")
    assert "[1/" not in r.stderr                                      # no document was read
    if AS_USER or os.geteuid() != 0:
        ro = tmp_path / "read-only"
        ro.mkdir()
        ro.chmod(0o555)
        r = kg("build", good / "corpus", "--out", ro, prefix=AS_USER)
        assert_one_clean_line(r, 2, "read-only", "cannot write")
        assert "[1/" not in r.stderr


def test_a_second_build_into_the_same_folder_is_refused(good, out, capsys):
    before = outputs(out)
    with open(out / LOCK, "a+b") as held:          # what a running build holds
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        r = run_main(capsys, "build", good / "corpus", "--out", out)
    assert_one_clean_line(r, 2, "another kg build", str(out))
    assert outputs(out) == before


def test_ctrl_c_is_one_line_and_keeps_the_outputs(tmp_path, out):
    before = outputs(out)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("星河智能和蓝海资本" * 4000, encoding="utf-8")   # seconds of work
    proc = subprocess.Popen([KG, "build", str(corpus), "--out", str(out), "--ner", "lac"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stderr.readline()                 # "tagging 1 of 1 document(s) ...": the work is under way
        proc.send_signal(signal.SIGINT)
        _, rest = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert first.startswith("tagging 1 of 1 document"), first
    assert proc.returncode == 130
    assert rest.strip() == "kg build: interrupted; files are written whole or not at all"
    assert outputs(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name not in (LOCK, ".kg-cache")]


KILL_BETWEEN_RENAMES = """
import os, signal, sys
import kg.build
import kg.files
real = os.replace
def replace_then_die(src, dst):
    real(src, dst)
    os.kill(os.getpid(), signal.SIGKILL)      # as a power cut or `kill -9` right after it would
kg.files.os.replace = replace_then_die
kg.build.build(sys.argv[1], sys.argv[2], ner="lac", cache="off")   # the outputs' renames come first
"""


def test_a_build_killed_between_its_renames_is_detected_and_repaired(tmp_path, out, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "b.txt").write_text("李红加入了星河智能。", encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILL_BETWEEN_RENAMES, str(corpus), str(out)],
                            capture_output=True, text=True, timeout=240)
    assert killed.returncode == -signal.SIGKILL
    assert [p.name for p in out.glob(".kg.ttl.*")]                   # the second file never got renamed
    assert not outputs_consistent(out)
    before = outputs(out)
    r = run_main(capsys, "viz", "--ttl", out / "kg.ttl", "--out", tmp_path / "viz")
    assert_one_clean_line(r, 2, "extractions.jsonl", BUILD_RECORD, "kg build")
    assert not (tmp_path / "viz").exists() and outputs(out) == before
    r = run_main(capsys, "build", corpus, "--out", out, "--ner", "lac", "--quiet")
    assert r.returncode == 0, r.stderr
    assert outputs_consistent(out)
    # temporaries cleaned; the lock and the per-document cache stay
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name not in (LOCK, ".kg-cache")]


class _Recorder(BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):
        self.seen.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture()
def sparql_endpoint():
    """A local HTTP server that records every request a SERVICE clause makes."""
    _Recorder.seen = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/sparql", _Recorder.seen
    server.shutdown()


@pytest.mark.parametrize("query, words", [
    ("SELECT ?x WHERE { ?x ?y }", ["syntax error", "line 1"]),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", ["CONSTRUCT", "SELECT and ASK"]),
    ("foundrs", ["foundrs", "kg sparql list"]),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", ["Update", "refused"]),
    ("SELECT ?s WHERE { ?s foo:bar ?o }", ["foo"]),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", ["FROM", "--allow-service"]),
])
def test_sparql_errors_are_one_line(good, query, words, capsys):
    assert main(["sparql", query, "--ttl", str(good / "out" / "kg.ttl")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kg sparql: error:") and all(w in err[0] for w in words), err


def test_sparql_service_is_refused_unless_allowed(good, sparql_endpoint, capsys):
    url, seen = sparql_endpoint
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    ttl = good / "out" / "kg.ttl"
    assert_one_clean_line(kg("sparql", query, "--ttl", ttl), 2, "SERVICE", "--allow-service")
    assert seen == []
    run_main(capsys, "sparql", query, "--ttl", ttl, "--allow-service")
    assert seen                                                      # sent only when asked to


def test_kg_viz_refuses_outputs_of_two_builds(good, out, tmp_path, capsys):
    other = Path(good / "out" / "extractions.jsonl").read_text(encoding="utf-8").replace("王小明", "王小红")
    (out / "extractions.jsonl").write_text(other, encoding="utf-8")
    assert_one_clean_line(run_main(capsys, "viz", "--ttl", out / "kg.ttl", "--out", tmp_path / "viz"), 2,
                          "extractions.jsonl", "kg build")
    assert not (tmp_path / "viz").exists()


def test_a_reader_that_stops_early_is_not_an_error(good):
    """`kg sparql ... | head -1`: the closed pipe ends the command quietly."""
    proc = subprocess.Popen([KG, "sparql", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
                             "--ttl", str(good / "out" / "kg.ttl")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().count("\t") == 5                   # the header of six columns
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 1 and err == "", err
