"""The ``kg`` command line."""
from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from .corpus import CorpusError
from .ner import BackendUnavailable


def cmd_build(a) -> int:
    from .build import progress_to_stderr, run, summary, write_outputs
    t0 = time.perf_counter()
    res = run(Path(a.corpus), ner=a.ner, hanlp_model=a.hanlp_model, min_confidence=a.min_confidence,
              strict=a.strict, progress=None if a.quiet else progress_to_stderr)
    t1 = time.perf_counter()
    paths = write_outputs(res, Path(a.out))
    res.timings["write"] = time.perf_counter() - t1
    print(summary(res))
    print(f"total seconds: {time.perf_counter() - t0:.2f}")
    for kind, p in paths.items():
        print(f"{kind}: {p}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="kg", description="Chinese AI-industry news -> knowledge graph")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="extract a knowledge graph from a folder of .txt articles")
    b.add_argument("corpus", help="folder of .txt articles (optional manifest.json)")
    b.add_argument("--out", default="out", help="output folder (default: out)")
    b.add_argument("--ner", choices=("auto", "hanlp", "lac"), default="auto",
                   help="NER backend; auto uses HanLP when its model loads here, else LAC")
    b.add_argument("--hanlp-model", default=None,
                   help="HanLP model: hanlp.pretrained name, URL or local directory (env KG_HANLP_MODEL)")
    b.add_argument("--min-confidence", type=float, default=0.5,
                   help="drop relations and funding figures below this confidence (default 0.5)")
    b.add_argument("--strict", action="store_true", help="fail on the first unreadable file")
    b.add_argument("--quiet", action="store_true", help="no progress lines")
    b.set_defaults(func=cmd_build)
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        return a.func(a)
    except (CorpusError, BackendUnavailable, OSError) as exc:
        print(f"kg {a.cmd}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
