"""The worst document within the input limits: how long it takes, how much memory and how much
output.  The text is a name every few characters and no sentence-final punctuation, the case
that made extraction quadratic before sentences were capped.  Each size runs in a fresh process
so that peak memory is its own.  Prints figures; asserts nothing.

    python benchmarks/bad_input.py [--chars 25000 100000] [--no-cap]
"""
import argparse
import json
import subprocess
import sys

ONE = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
import kg.extract.normalize
from kg.build import run, write_outputs
chars, cap = int(sys.argv[1]), sys.argv[2] == "cap"
if not cap:
    kg.extract.normalize.MAX_SENTENCE = 10 ** 9
unit = "王小明创办的星河智能和蓝海资本以及白云科技在竞争红杉资本投资了绿洲数据张三是紫光云的CEO"
d = Path(tempfile.mkdtemp())
(d / "c").mkdir()
(d / "c" / "long.txt").write_text((unit * (chars // len(unit) + 1))[:chars], encoding="utf-8")
t0 = time.perf_counter()
res = run(d / "c", ner="lac", min_confidence=0.5)
seconds = time.perf_counter() - t0
paths = write_outputs(res, d / "o")
print(json.dumps({"chars": chars, "seconds": round(seconds, 1),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "extractions_kb": paths["extractions"].stat().st_size // 1024,
                  "turtle_kb": paths["turtle"].stat().st_size // 1024,
                  "sentences": sum(len(x.sentences) for x in res.docs), "mentions": len(res.mentions)}))
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, nargs="+", default=[25_000, 100_000])
    ap.add_argument("--no-cap", action="store_true", help="without the sentence length cap (slow: minutes)")
    a = ap.parse_args()
    for chars in a.chars:
        r = subprocess.run([sys.executable, "-c", ONE, str(chars), "nocap" if a.no_cap else "cap"],
                           capture_output=True, text=True, check=True)
        print(json.loads(r.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
