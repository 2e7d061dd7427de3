"""Writing outputs so that a crash or a kill never leaves half a file, and the outputs of one
build as one unit: written together, recorded with their hashes in build.json, checked by every
reader, one build at a time per folder."""
from __future__ import annotations

import fcntl
import glob
import hashlib
import json
import os
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

TTL, EXTRACTIONS, INVALID = "kg.ttl", "extractions.jsonl", "kg.invalid.ttl"
BUILD_RECORD = "build.json"     # the hashes of the outputs one build wrote together
LOCK = ".kg-build.lock"
WRITE_CHECK = "write-check"


def stage_file(path: Path, data: str | bytes) -> str:
    """A temporary file beside ``path`` holding ``data``, flushed to disk, ready to be renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)      # mkstemp's 0600 would make outputs private to one user
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write next to the target and rename: a crash never leaves a half-written file."""
    tmp = stage_file(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def shown(path) -> str:
    """A file name fit for a one-line message: control characters (a newline in a name) escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(path))


def write_unit(out: Path, data: dict[Path, bytes]) -> None:
    """Replace the files of ``data`` together, with build.json recording their hashes.  All
    files are complete on disk before any is renamed, and the record goes last, so a kill
    between the renames leaves files that readers see do not belong together."""
    record = {"files": {p.name: _sha256(content) for p, content in data.items()}}
    data = {**data, Path(out) / BUILD_RECORD: (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8")}
    staged = {}
    try:
        for path, content in data.items():
            staged[path] = stage_file(path, content)
        with _signals_held():
            for path in data:
                os.replace(staged.pop(path), path)
    finally:
        for tmp in staged.values():
            os.unlink(tmp)


@contextmanager
def _signals_held():
    """Ctrl-C and SIGTERM wait for the renames, so that they never split one build's outputs
    (only SIGKILL or a crash can, and build.json shows it)."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class MismatchedOutputs(OSError):
    """Output files of one folder that are not from the same build."""


def check_outputs(out: Path, names=(TTL, EXTRACTIONS)) -> None:
    """Raise MismatchedOutputs when a file of ``names`` in ``out`` differs from what build.json
    recorded for it (a build killed between its renames, a file replaced by hand).  Folders
    without build.json (written before it existed) are not checked."""
    out = Path(out)
    record_path = out / BUILD_RECORD
    if not record_path.is_file():
        return
    try:
        recorded = json.loads(record_path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MismatchedOutputs(f"{shown(record_path)}: unreadable build record ({exc}); run kg build again") from None
    for name in names:
        path = out / name
        if name in recorded and (not path.is_file() or _sha256(path.read_bytes()) != recorded[name]):
            raise MismatchedOutputs(f"{shown(path)} is not the file the last build in {shown(out)} wrote"
                                    f" (see {BUILD_RECORD}); run kg build again")


def outputs_consistent(out: Path) -> bool:
    """Both outputs present and recorded together in build.json by one build."""
    try:
        check_outputs(out)
    except MismatchedOutputs:
        return False
    return all((Path(out) / n).is_file() for n in (TTL, EXTRACTIONS, BUILD_RECORD))


@contextmanager
def output_lock(out: Path):
    """Exclusive use of ``out`` by one build, taken before any work: the folder must be
    writable, a second build into it stops at once instead of overwriting the first one's
    outputs, and temporaries a killed build left behind are removed.  The kernel releases the
    lock when the process dies, however it dies."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise OSError(f"{shown(out)}: cannot write into the output folder ({exc.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise OSError(f"{shown(out)}: another kg build (process {holder or '?'}) is writing into this folder;"
                          " wait for it to finish or pass another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            os.unlink(stage_file(out / WRITE_CHECK, b""))
        except OSError as exc:
            raise OSError(f"{shown(out)}: cannot write into the output folder ({exc.strerror})") from None
        for name in (TTL, EXTRACTIONS, BUILD_RECORD, INVALID, WRITE_CHECK):
            for stale in out.glob(f".{glob.escape(name)}.*"):
                stale.unlink(missing_ok=True)
        yield
    finally:
        os.close(fd)
