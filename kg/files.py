"""Writing outputs so that a crash or a kill never leaves half a file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
