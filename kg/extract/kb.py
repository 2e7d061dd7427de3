"""The curated AI-industry knowledge base (``ontology/kb.csv``): names, aliases, types and the
developer of each model or product.  Users extend it by adding rows; the NER backends still
find what it does not list."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..graph.names import norm_key
from ..graph.vocab import ENTITY_TYPES
from ..resources import ontology_file


@dataclass
class KBEntry:
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    developer: str | None = None

    @property
    def surface_forms(self) -> list[str]:
        return [self.name, *self.aliases]


class KnowledgeBase:
    def __init__(self, entries: list[KBEntry]):
        self.entries = entries
        self._by_key: dict[str, KBEntry] = {}
        for e in entries:
            for form in e.surface_forms:
                self._by_key.setdefault(norm_key(form), e)

    @classmethod
    def from_csv(cls, path: Path) -> KnowledgeBase:
        entries = []
        with open(path, encoding="utf-8", newline="") as f:
            for i, row in enumerate(csv.DictReader(f), start=2):
                if row["type"] not in ENTITY_TYPES:
                    raise ValueError(f"{path}:{i}: unknown type {row['type']!r}")
                aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
                entries.append(KBEntry(row["name"].strip(), row["type"], aliases,
                                       (row.get("developer") or "").strip() or None))
        return cls(entries)

    @property
    def model_makers(self) -> set[str]:
        """Names of the organizations the KB lists as developers of a model."""
        return {e.developer for e in self.entries if e.type == "AIModel" and e.developer}

    def lookup(self, name: str) -> KBEntry | None:
        return self._by_key.get(norm_key(name))

    def developer_of(self, name: str) -> KBEntry | None:
        """The maker of a KB model or product, or of a member named after a KB family or company
        (``通义千问3`` -> 阿里巴巴, ``vivo X100`` -> vivo)."""
        e = self.lookup(name)
        if e:
            return self.lookup(e.developer) if e.developer else None
        key = norm_key(name)
        for cut in range(len(key) - 1, 1, -1):
            head = self._by_key.get(key[:cut])
            if head and head.type in ("AIModel", "Product") and head.developer:
                return self.lookup(head.developer)
            if head and head.type == "Company":
                return head
        return None


@lru_cache(maxsize=4)
def load_kb(path: str | None = None) -> KnowledgeBase:
    return KnowledgeBase.from_csv(Path(path) if path else ontology_file("kb.csv"))


_LATIN = re.compile(r"[A-Za-z0-9]")


def latin_boundary_ok(text: str, start: int, end: int) -> bool:
    """A Latin or numeric name must not be glued to more Latin letters or digits
    (``Yi`` inside ``Yield``, ``360`` inside ``3600``)."""
    if _LATIN.match(text[start]) and start > 0 and _LATIN.match(text[start - 1]):
        return False
    if _LATIN.match(text[end - 1]) and end < len(text) and re.match(r"[A-Za-z0-9\-.]", text[end]):
        return not (text[end] in "-." and (end + 1 >= len(text) or not _LATIN.match(text[end + 1])))
    return True
