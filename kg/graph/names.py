"""How names are compared everywhere (KB look-ups, entity resolution, `kg explain`, `kg eval`):
NFKC, case-folded, without spaces and punctuation, as the scorer matches them."""
from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1 << 16)     # the same names come back in every mention, look-up and comparison
def norm_key(name: str) -> str:
    s = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in s if not (c.isspace() or unicodedata.category(c)[0] in "PZS"))
