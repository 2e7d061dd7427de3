"""Where a notebook finds the corpus and the outputs, wherever Jupyter was started."""
from __future__ import annotations

import os
from pathlib import Path


def locate(start: Path | None = None) -> tuple[Path, Path]:
    """(corpus, out): $AIKG_CORPUS and $AIKG_OUT when set, else ``corpus/`` and ``out/`` of the
    nearest folder at or above ``start`` (default: the working directory) that holds ``corpus/``."""
    here = Path(start or Path.cwd()).resolve()
    root = next((p for p in (here, *here.parents) if (p / "corpus").is_dir()), here)
    corpus = Path(os.environ.get("AIKG_CORPUS") or root / "corpus")
    out = Path(os.environ.get("AIKG_OUT") or root / "out")
    return corpus, out
