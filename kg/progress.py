"""Progress of the per-document stages: a tqdm bar (documents/s, time left) on a terminal, a
few plain lines (every 10%) when stderr is a file or a pipe, nothing under ``--quiet``."""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, unit: str, say=None):
        self.total, self.unit, self.say = total, unit, say
        self.done, self.t0, self.bar = 0, time.perf_counter(), None
        self.step = max(1, total // 10)

    def __enter__(self):
        if self.say and self.total and sys.stderr.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=self.total, unit=" doc", unit_scale=False, dynamic_ncols=True,
                            smoothing=0.1, file=sys.stderr)
        return self

    def update(self, name: str = "") -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(name, refresh=False)
            self.bar.update()
        elif self.say and (self.done % self.step == 0 or self.done == self.total):
            spent = time.perf_counter() - self.t0
            rate = self.done / spent if spent else 0.0
            left = (self.total - self.done) / rate if rate else 0.0
            self.say(f"[{self.done}/{self.total}] {self.unit}: {rate:.2f}/s, {left:.0f} s left")

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
