"""Entity resolution: mentions from all documents -> one ``Entity`` per real-world thing.

Keys, strongest first: the KB entry a mention links to; the normalized surface form; then
person short forms that the same document ties to a full name (``志飞``/``开复`` for a
three-character name, ``老王``/``王总`` for the only 王 of the document), and Latin typos where
capital I stands for l (``IIya`` -> ``Ilya``).  The canonical name is the KB name, else the most
frequent surface form, longest on ties.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from urllib.parse import quote

from .kb import KnowledgeBase, norm_key
from .records import Entity, Mention

NICKNAME = re.compile(r"^(?:老|小|阿)(?P<s>[\u4e00-\u9fff])$|^(?P<s2>[\u4e00-\u9fff])(?:总|老师|老板|先生|女士|博士)$")


def _latin_key(key: str) -> str:
    return key.replace("i", "l") if re.fullmatch(r"[a-z0-9.\-]+", key) else key


def slug(name: str) -> str:
    """IRI-safe, stable across runs: the name itself, percent-encoded where not ASCII."""
    s = re.sub(r"\s+", "_", name.strip())
    return quote(s, safe="-_.~")


def _person_alias_target(m: Mention, full_names: list[str]) -> str | None:
    """A short form of exactly one full person name of the same document."""
    nick = NICKNAME.match(m.text)
    if nick:
        surname = nick.group("s") or nick.group("s2")
        hits = [n for n in full_names if n[0] == surname and len(n) >= 2 and n != m.text]
    elif len(m.text) == 2 and re.fullmatch(r"[\u4e00-\u9fff]{2}", m.text):
        hits = [n for n in full_names if len(n) == 3 and n[1:] == m.text]
    else:
        return None
    return hits[0] if len(set(hits)) == 1 else None


def resolve(mentions: list[Mention], kb: KnowledgeBase) -> tuple[list[Entity], dict[int, str]]:
    """Return the entities and a map id(mention) -> entity key."""
    # 1. a cluster key per mention
    by_doc_person: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        if m.label == "Person" and len(m.text) >= 3:
            by_doc_person[m.doc_id].append(m.text)
    cluster_of: dict[int, str] = {}
    for m in mentions:
        entry = kb.lookup(m.kb_id) if m.kb_id else kb.lookup(m.text)
        if entry:
            cluster_of[id(m)] = "kb:" + entry.name
            continue
        key = norm_key(m.text)
        if m.label == "Person":
            target = _person_alias_target(m, by_doc_person[m.doc_id])
            if target:
                key = norm_key(target)
            elif NICKNAME.match(m.text):
                continue      # a nickname the document does not tie to anyone: no entity
        cluster_of[id(m)] = "n:" + _latin_key(key)

    # 2. build entities
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if id(m) in cluster_of:
            groups[cluster_of[id(m)]].append(m)
    entities, key_of_cluster = [], {}
    used_slugs: set[str] = set()
    for cluster, ms in sorted(groups.items()):
        entry = kb.lookup(cluster[3:]) if cluster.startswith("kb:") else None
        forms = Counter(m.text.strip() for m in ms)
        if entry:
            name, etype = entry.name, entry.type
        else:
            name = max(forms, key=lambda f: (forms[f], len(f), f))
            # statistical and cue labels vote; a person label from any source is kept apart
            etype = Counter(m.label for m in ms).most_common(1)[0][0]
        aliases = sorted({f for f in forms if norm_key(f) != norm_key(name)})
        key = slug(name)
        if key in used_slugs:
            key = f"{key}_{etype}"
        used_slugs.add(key)
        key_of_cluster[cluster] = key
        entities.append(Entity(key, name, etype, aliases, ms))
    return entities, {mid: key_of_cluster[c] for mid, c in cluster_of.items()}
