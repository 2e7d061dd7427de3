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
from difflib import SequenceMatcher
from functools import lru_cache
from urllib.parse import quote

from ..graph.names import norm_key
from .kb import KnowledgeBase
from .records import Entity, Mention

# A Chinese name from the NER model starts with a surname unless the document ties it to a full
# name (慧文 -> 王慧文); "坦白" or "六小虎" do not
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
               "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
               "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕"
               "单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚"
               "娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池"
               "查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴"
               "盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况"
               "那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由傅")
NICKNAME = re.compile(r"^(?:老|小|阿)(?P<s>[\u4e00-\u9fff])$|^(?P<s2>[\u4e00-\u9fff])(?:总|老师|老板|先生|女士|博士)$"
                      r"|^(?P<g>[\u4e00-\u9fff])(?:小姐|姐|哥)$")    # 甲小姐 -> 张一甲: the given name's last character


HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def _typo_candidate(key: str) -> bool:
    return len(key) >= 7 and re.fullmatch(r"[a-z.\-]+", key) is not None


def _latin_typo_target(text: str, known: list[str]) -> str | None:
    """``Sam Altam`` for ``Sam Altman``: a long Latin name nearly equal to exactly one known name."""
    key = norm_key(text)
    if not _typo_candidate(key):
        return None
    chars = Counter(key)
    hits = set()
    for k in known:
        total = len(key) + len(k)
        # difflib's real_quick_ratio and quick_ratio, upper bounds of ratio(), computed here
        # without handing ``k`` to a SequenceMatcher (which indexes it): most names fail them
        if k == key or 2.0 * min(len(key), len(k)) / total < 0.8 \
                or 2.0 * sum((chars & _chars(k)).values()) / total < 0.8:
            continue
        if SequenceMatcher(None, key, k).ratio() >= 0.8:
            hits.add(k)
    return hits.pop() if len(hits) == 1 else None


@lru_cache(maxsize=100_000)
def _chars(name: str) -> Counter:
    return Counter(name)


def _parent_linked_key(key: str, kb: KnowledgeBase) -> str:
    """``谷歌翻译实验室`` and ``Google翻译实验室`` are one lab: key it by the KB parent's name."""
    for cut in range(len(key) - 1, 1, -1):
        parent = kb.lookup(key[:cut])
        if parent:
            return norm_key(parent.name) + key[cut:]
    return key


@lru_cache(maxsize=100_000)
def _latin_key(key: str) -> str:
    return key.replace("i", "l") if re.fullmatch(r"[a-z0-9.\-]+", key) else key


def slug(name: str) -> str:
    """IRI-safe, stable across runs: the name itself, percent-encoded where not ASCII."""
    s = re.sub(r"\s+", "_", name.strip())
    return quote(s, safe="-_.~")


def _person_alias_target(m: Mention, full_names: list[str]) -> str | None:
    """A short form of exactly one full person name of the same document."""
    nick = NICKNAME.match(m.text)
    if nick and nick.group("g"):
        hits = [n for n in full_names if n[-1] == nick.group("g") and len(n) >= 3 and n != m.text]
    elif nick:
        surname = nick.group("s") or nick.group("s2")
        hits = [n for n in full_names if n[0] == surname and len(n) >= 2 and n != m.text]
    elif len(m.text) == 2 and re.fullmatch(r"[\u4e00-\u9fff]{2}", m.text):
        hits = [n for n in full_names if len(n) == 3 and n[1:] == m.text]
    else:
        return None
    return hits[0] if len(set(hits)) == 1 else None


def resolve(mentions: list[Mention], kb: KnowledgeBase) -> list[Entity]:
    """Return the entities and set ``entity`` on every mention (None for one that names nothing)."""
    # 1. a cluster key per mention
    by_doc_person: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        if m.label == "Person" and len(m.text) >= 3:
            by_doc_person[m.doc_id].append(m.text)
    person_count = Counter(norm_key(m.text) for m in mentions if m.label == "Person")
    kb_people = {norm_key(f) for e in kb.entries if e.type == "Person" for f in e.surface_forms}
    cluster_of: dict[int, str] = {}
    typo_of_key: dict[str, str | None] = {}      # the same spelling has the same known names
    known_above: dict[int, list[str]] = {}        # the names a spelling seen n times may be a typo of
    for m in mentions:
        entry = kb.lookup(m.kb_id) if m.kb_id else kb.lookup(m.text)
        # the candidate test first: the set of known names costs a pass over every person name
        spelling = norm_key(m.text)
        if not entry and m.label == "Person" and _typo_candidate(spelling):
            seen = person_count[spelling]
            if seen not in known_above:
                # only towards a KB name or a more frequent spelling, so two spellings never swap
                known_above[seen] = sorted(kb_people | {k for k, c in person_count.items() if c > seen})
            if spelling not in typo_of_key:
                typo_of_key[spelling] = _latin_typo_target(m.text, known_above[seen])
            typo_of = typo_of_key[spelling]
            entry = kb.lookup(typo_of) if typo_of else None
            if typo_of and not entry:
                cluster_of[id(m)] = "n:" + _latin_key(typo_of)
                continue
        if entry:
            cluster_of[id(m)] = "kb:" + entry.name
            continue
        key = spelling
        if m.label == "ResearchLab":
            key = _parent_linked_key(key, kb)
        if m.label == "Person":
            target = _person_alias_target(m, by_doc_person[m.doc_id])
            if target:
                key = norm_key(target)
            elif NICKNAME.match(m.text):
                continue      # a nickname the document does not tie to anyone: no entity
            elif m.source == "ner" and m.text[0] not in SURNAMES and HAN_ONLY.fullmatch(m.text):
                continue
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
        # the label is a form the text uses (马斯克, not the KB's Elon Musk); the KB name stays
        # an alias so searches by either find the node
        # a person is named by the full name, not by 甲小姐 / 志飞, however often those occur
        full = (lambda f: not NICKNAME.match(f) and len(f) >= 3) if ms[0].label == "Person" else (lambda f: True)
        name = max(forms, key=lambda f: (full(f), forms[f], len(f), f))
        if entry and norm_key(entry.name) in {norm_key(f) for f in forms}:
            name = entry.name
        # statistical and cue labels vote; a person label from any source is kept apart
        etype = entry.type if entry else Counter(m.label for m in ms).most_common(1)[0][0]
        aliases = sorted({f for f in [*forms, *([entry.name] if entry else [])] if norm_key(f) != norm_key(name)})
        key = slug(name)
        if key in used_slugs:
            key = f"{key}_{etype}"
        used_slugs.add(key)
        key_of_cluster[cluster] = key
        entities.append(Entity(key, name, etype, aliases, ms))
    for m in mentions:
        m.entity = key_of_cluster.get(cluster_of.get(id(m), ""))
    return entities
