"""Relations and funding rounds from trigger patterns over typed mentions.

Each sentence is rewritten with its mentions replaced by placeholders ``⟦C3⟧`` (kind letter +
index), so one regex per pattern reads like the Chinese it matches and never looks inside a
name.  Kinds: P person, C company, I investor, U university, L lab, D media, G other org,
M AI model, R product.  Pronouns (他/她) stand for the last person named before; 我 for the
speaker of the line (``李开复:``) or else the person the article is about; both lower the
confidence.  Every hit carries the rule name, the sentence and a confidence.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .funding import FundingReader
from .kb import KnowledgeBase
from .records import Evidence, FundingRound, Mention, Relation, Sentence

KIND = {"Person": "P", "Company": "C", "InvestmentFirm": "I", "University": "U", "ResearchLab": "L",
        "MediaOutlet": "D", "Organization": "G", "AIModel": "M", "Product": "R"}
ORG, PER, MOD = "[CIULDG]", "P", "[MR]"
MAKER = "[CILG]"


def ph(kinds: str, name: str | None = None) -> str:
    body = rf"{kinds}\d+" if not name else rf"(?P<{name}>{kinds}\d+)"
    return "⟦" + body + "⟧"


def ph_list(kinds: str, name: str) -> str:
    """One placeholder or a list of them (``王慧文、李志飞和张三等``), captured as one group."""
    one = rf"⟦{kinds}\d+⟧"
    return rf"(?P<{name}>{one}(?:(?:、|和|与|及|以及|,|，){one})*)等?"


FOUNDER = r"联合创始人|共同创始人|创始人|创办人|联合创办人"
CEO = r"CEO|首席执行官"
OTHER_ROLE = (r"首席[^\s，,、。⟦⟧（）()]{0,6}?(?:科学家|官|架构师)|首席科学家|首席技术官|CTO|COO|CFO|总裁|副总裁|董事长|总经理|合伙人|科学家|研究员|工程师|"
              r"产品经理|员工|高管|负责人|掌门人|总监|主编|记者|编辑|研究科学家")
ROLE = rf"(?:{FOUNDER}|{CEO}|{OTHER_ROLE})"
ROLES = rf"{ROLE}(?:(?:兼|、|和|及|&|/)?{ROLE})*"
GAP = r"[^。⟦⟧]{0,12}?"          # a short stretch inside one clause, no other mention
NEAR = r"[^。，,；;⟦⟧]{0,12}?"

# (rule name, predicate, regex with groups s and o, confidence)
VERB_RULES = [
    ("founded-verb", "founded", rf"{ph_list(PER, 's')}{GAP}(?:联合|共同|一起|一手|亲手)?(?:创立|创办|创建|成立|创设)(?:了)?{NEAR}{ph(ORG, 'o')}", 0.85),
    ("founded-rel", "founded", rf"{ph(PER, 's')}{GAP}(?:创立|创办|创建)的{NEAR}(?:公司|企业)?{ph(ORG, 'o')}", 0.85),
    ("worksFor-join", "worksFor", rf"{ph(PER, 's')}{GAP}(?:加入|加盟|就职于|任职于|供职于|入职|去了)(?:了)?{NEAR}{ph(ORG, 'o')}", 0.8),
    ("worksFor-left", "worksFor", rf"{ph(PER, 's')}{GAP}从{NEAR}{ph(ORG, 'o')}{NEAR}(?:离职|辞职|出来|离开)", 0.8),
    ("worksFor-at", "worksFor", rf"{ph(PER, 's')}{GAP}在{ph(ORG, 'o')}{NEAR}(?:工作|任职|上班|做研究)", 0.75),
    ("educatedAt-grad", "educatedAt", rf"{ph(PER, 's')}{GAP}(?:毕业于|就读于|考入|求学于|师从于){ph('U', 'o')}", 0.85),
    ("educatedAt-verb", "educatedAt", rf"{ph(PER, 's')}{GAP}(?:在|于|进入){ph('U', 'o')}{NEAR}(?:读博|读书|攻读|毕业|学习|求学|博士|硕士|本科|读研)", 0.85),
    ("educatedAt-appos", "educatedAt", rf"{ph(PER, 's')}[^。⟦⟧]{{0,30}}{ph('U', 'o')}[^。，,⟦⟧]{{0,8}}?(?:博士|硕士|本科|毕业|校友|学士)", 0.75),
    ("developed-verb", "developed", rf"{ph(MAKER, 's')}{GAP}(?:发布|推出|开源|研发|开发|训练|做出|搞出|打造|上线|造出|做了)(?:了|出)?{NEAR}{ph(MOD, 'o')}", 0.8),
    ("developed-examples", "developed", rf"{ph(MAKER, 's')}{GAP}(?:做过|做了|推出过?|发布过?|开发过?|打造过?)"
                           rf"[^。⟦⟧]{{0,20}}?(?:比如|例如|如|包括)[^。⟦⟧]{{0,12}}?{ph(MOD, 'o')}", 0.75),
    ("developed-poss", "developed", rf"{ph(MAKER, 's')}(?:的|旗下的?|家的)(?:大模型|模型|产品)?{ph(MOD, 'o')}", 0.7),
    ("uses-verb", "uses", rf"{ph('[CIULDGR]', 's')}{GAP}(?:接入|拥抱|采用|使用|基于|部署|集成|用上|调用|引入)(?:了)?{NEAR}{ph('M', 'o')}", 0.75),
    ("partnersWith", "partnersWith", rf"{ph(ORG, 's')}(?:与|和|同|跟|携手|联手){ph(ORG, 'o')}{GAP}(?:合作|战略合作|联手|携手|结盟|共建|联合)", 0.8),
]
VERB_RULES = [(n, p, re.compile(rx), c) for n, p, rx, c in VERB_RULES]
LIST_PREDICATES = ("developed", "uses", "investedIn")
DEGREE = r"博士|硕士|本科|学士|毕业生|校友|博士后"
QUALIFIER = r"[^，,。；;⟦⟧“”\"（）()、]{0,6}?"     # 总部, 中国区, AI, 计算机系, 的两位
APPOS_LINK = re.compile(rf"(?:前|原)?[“\"]?{ph(ORG, 'o')}{QUALIFIER}(?P<roles>{ROLES})[”\"]?[、，,\s兼及和&]*$")
PERSON_ROLE = re.compile(rf"{ph(PER, 's')}[，,（(\s]*(?:(?:是|为|担任|出任|作为|任|现任|曾任|身为|曾是)\s*)?"
                         rf"(?:美国|中国|英国)?(?:前|原)?{ph(ORG, 'o')}{QUALIFIER}(?P<roles>{ROLES}|{DEGREE})")
# "…是出门问问创始人、CEO，美国约翰霍普金斯大学计算机系博士，前Google总部科学家"
ROLE_CHAIN = re.compile(rf"[、，,\s]*(?:美国|中国|英国)?(?:前|原)?{ph(ORG, 'o')}{QUALIFIER}(?P<roles>{ROLES}|{DEGREE})")
ZERO_SUBJECT = re.compile(rf"(?:^|[，,；;])(?:随后|后来|之后|并且?|又|再|还|曾|先后|亲自)*"
                          rf"(?:(?P<verb>(?:联合|共同)?(?:创立|创办|创建)(?:了)?){NEAR}{ph(ORG, 'o')}"
                          rf"|(?:出任|担任|任)(?:了)?{ph(ORG, 'o2')}{QUALIFIER}(?P<roles>{ROLES}))")
COMPETE = re.compile(r"竞争对手|对手|竞品|对标|PK|pk|抗衡|竞争(?!力)|较量|比拼|叫板|对抗|威胁|赶超|追赶|打擂|掰手腕")
# X is the one named side; the template is filled in per sentence
COMPETE_ONE_SIDE = (r"X(?:这样的|这种|等)(?:竞争)?对手|(?:跟|和|与|同)X[^。⟦⟧]{0,8}?(?:对标|竞争(?!力)|PK|抗衡|较量)"
                    r"|X[^。⟦⟧]{0,6}?(?:是|成为)[^。⟦⟧]{0,6}?(?:竞争)?对手|(?:对标|PK|抗衡)X")
BYLINE_PERSON = re.compile(r"^(?:作者|文|撰文|记者|编辑|采访|整理)|☉\s*文|(?:记者|编辑|作者)\s*[|丨:：]")
BYLINE_OUTLET = re.compile(r"出品|收录源|来源|记者|编辑|作者")
PRONOUN = re.compile(r"(?<![其])[他她](?![们人])")
FIRST_PERSON = re.compile(r"我(?![们国])")
SECOND_PERSON = re.compile(r"你(?![们好])")
FIRST_PERSON_PLURAL = re.compile(r"我们(?!国)")


def _list_tail(tagged: str, pos: int, pred: str) -> str:
    """The rest of a list after an object: "推出了⟦M1⟧、⟦M2⟧和⟦M3⟧" -> "⟦M2⟧和⟦M3⟧"."""
    kinds = MOD if pred in ("developed", "uses") else ORG
    item = rf"[”\"」》]?(?:、|和|及|与|以及|，|,)[^。⟦⟧，,、]{{0,10}}?⟦{kinds}\d+⟧"
    m = re.match(rf"(?:{item})+", tagged[pos:]) if pred in LIST_PREDICATES else None
    return m.group(0) if m else ""


def role_predicates(roles: str, org_label: str = "Company") -> list[str]:
    if re.fullmatch(DEGREE, roles):
        return ["educatedAt"] if org_label == "University" else []
    preds = []
    if re.search(FOUNDER, roles):
        preds.append("founded")
    if re.search(CEO, roles):
        preds.append("ceoOf")
    if re.search(OTHER_ROLE, re.sub(rf"{FOUNDER}|{CEO}", "", roles)):
        preds.append("worksFor")
    return preds


@dataclass
class _Slot:
    key: str            # entity key
    label: str
    start: int          # document offsets
    end: int
    virtual: bool = False


class RelationExtractor:
    """Stateful over one document: remembers the last person named and the article's subject."""

    def __init__(self, kb: KnowledgeBase, min_confidence: float = 0.0):
        self.kb = kb
        self.min_confidence = min_confidence

    # ------------------------------------------------------------------ per document
    def extract_doc(self, sentences: list[Sentence], mentions: dict[int, list[Mention]],
                    key_of: dict[int, str], names: dict[str, str]):
        """``mentions`` maps sentence index -> mentions; ``key_of`` id(mention) -> entity key;
        ``names`` entity key -> canonical name (for KB look-ups)."""
        persons = Counter(key_of[id(m)] for ms in mentions.values() for m in ms
                          if m.label == "Person" and id(m) in key_of)
        total = sum(persons.values())
        main_person = persons.most_common(1)[0][0] if persons and persons.most_common(1)[0][1] >= 0.4 * total else None
        orgs = Counter(key_of[id(m)] for ms in mentions.values() for m in ms
                       if m.label in ("Company", "ResearchLab") and id(m) in key_of)
        # Two passes: the first finds whom each person founded or runs, so that the second can
        # read "我们" in that person's lines as their company.
        rels, _ = self._pass(sentences, mentions, key_of, main_person, orgs, {})
        company_of = {}
        for r in sorted(rels.values(), key=lambda r: r.confidence):
            if r.predicate in ("founded", "ceoOf"):
                company_of[r.subject] = r.object
        rels, funding = self._pass(sentences, mentions, key_of, main_person, orgs, company_of)
        self._bylines(sentences[:15], mentions, key_of, rels)
        self._kb_developers(sentences, mentions, key_of, names, rels)
        return [r for r in rels.values() if r.confidence >= self.min_confidence], \
            [f for f in funding if f.evidence.confidence >= self.min_confidence]

    def _pass(self, sentences, mentions, key_of, main_person, orgs: Counter, company_of: dict):
        rels: dict[tuple, Relation] = {}
        funding: list[FundingRound] = []
        last_person = None
        reader = FundingReader()
        for sent in sentences:
            slots = [_Slot(key_of[id(m)], m.label, m.start, m.end) for m in mentions.get(sent.index, [])
                     if id(m) in key_of]
            slots += self._virtual_slots(sent, slots, last_person, main_person, company_of)
            slots.sort(key=lambda s: s.start)
            for name, pred, s, o, conf in self._sentence_relations(sent, slots, last_person):
                self._add(rels, s, pred, o, sent, name, conf)
            self._competition_context(sent, slots, orgs, main_person, rels)
            rounds, investments = reader.read(sent, slots)
            funding.extend(rounds)
            for inv in investments:
                self._add(rels, inv.investor, "investedIn", inv.recipient, sent, inv.rule, inv.confidence)
            real_persons = [s for s in slots if s.label == "Person" and not s.virtual]
            if real_persons:
                last_person = real_persons[-1].key
        return rels, funding

    def _add(self, rels, s, pred, o, sent: Sentence, rule, conf):
        if s == o:
            return
        if pred in ("competesWith", "partnersWith") and o < s:
            s, o = o, s
        rel = rels.setdefault((s, pred, o), Relation(s, pred, o))
        if not any(e.doc_id == sent.doc_id and e.sent == sent.index and e.rule == rule for e in rel.evidence):
            rel.evidence.append(Evidence(sent.doc_id, sent.index, sent.start, sent.end, sent.text, rule,
                                         round(conf, 2)))

    def _virtual_slots(self, sent, slots, last_person, main_person, company_of) -> list[_Slot]:
        """Pronouns as slots: 他/她 -> the last person named, 我 -> the speaker of the line or the
        article's main person, 你 in someone else's line -> the main person, 我们 -> the company of
        the speaker (when known)."""
        out = []
        taken = [(s.start, s.end) for s in slots]
        speaker, interviewer = None, False
        m = re.match(r"^\s*([^:：]{2,8})[:：]", sent.text)
        if m:
            head = next((s for s in slots if s.start == sent.start + m.start(1)), None)
            speaker = head.key if head and head.label == "Person" else None
            interviewer = bool(head and head.label == "MediaOutlet") or (speaker is not None and speaker != main_person)
        me = speaker or main_person
        rules = [(PRONOUN, last_person, "Person"), (FIRST_PERSON, me, "Person"),
                 (SECOND_PERSON, main_person if interviewer else None, "Person"),
                 (FIRST_PERSON_PLURAL, company_of.get(me), "Company")]
        for rx, who, label in rules:
            if not who:
                continue
            for pm in rx.finditer(sent.text):
                a = sent.start + pm.start()
                if not any(x <= a < y for x, y in taken):
                    out.append(_Slot(who, label, a, a + len(pm.group(0)), virtual=True))
                    taken.append((a, a + len(pm.group(0))))
        return out

    # ------------------------------------------------------------------ per sentence
    @staticmethod
    def _tag(sent: Sentence, slots: list[_Slot]) -> str:
        parts, pos = [], sent.start
        for i, s in enumerate(slots):
            parts.append(sent.text[pos - sent.start:s.start - sent.start])
            parts.append(f"⟦{KIND[s.label]}{i}⟧")
            pos = s.end
        parts.append(sent.text[pos - sent.start:])
        return "".join(parts)

    def _sentence_relations(self, sent: Sentence, slots: list[_Slot], context_person: str | None):
        if not slots:
            return
        tagged = self._tag(sent, slots)

        def all_slots(text: str) -> list[_Slot]:
            return [slots[int(i)] for i in re.findall(r"[A-Z](\d+)", text)]

        def conf_of(base, *ss):
            return base - 0.25 * any(x.virtual for x in ss)

        for name, pred, rx, conf in VERB_RULES:
            for m in rx.finditer(tagged):
                objs = all_slots(m.group("o")) + all_slots(_list_tail(tagged, m.end("o") + 1, pred))
                for s in all_slots(m.group("s")):
                    for o in objs:
                        yield name, pred, s.key, o.key, conf_of(conf, s, o)
        # a clause without its own subject continues the last person's story:
        # "4年后更名为猎豹移动，随后又创立了猎户星空"
        for m in ZERO_SUBJECT.finditer(tagged):
            before = [x for x in all_slots(tagged[:m.start()]) if x.label == "Person"]
            who = before[-1] if before else (_Slot(context_person, "Person", 0, 0, virtual=True)
                                             if context_person else None)
            if who is None:
                continue
            org = slots[int((m.group("o") or m.group("o2"))[1:])]
            preds = ["founded"] if m.group("verb") else role_predicates(m.group("roles") or "")
            for pred in preds:
                yield "zero-subject", pred, who.key, org.key, conf_of(0.75, who)
        for m in PERSON_ROLE.finditer(tagged):
            s = slots[int(m.group("s")[1:])]
            links = [(m.group("o"), m.group("roles"))]
            pos = m.end()
            while (c := ROLE_CHAIN.match(tagged, pos)):
                links.append((c.group("o"), c.group("roles")))
                pos = c.end()
            for o_tok, roles in links:
                o = slots[int(o_tok[1:])]
                for pred in role_predicates(roles, o.label):
                    yield "role-after-person", pred, s.key, o.key, conf_of(0.85, s, o)
        # appositive chains: 前Google科学家、出门问问创始人兼CEO李志飞; 真格基金的两位合伙人戴雨森、刘元
        for pm in re.finditer(ph(PER, "p"), tagged):
            person = slots[int(pm.group("p")[1:])]
            prefix = re.sub(r"(?:⟦P\d+⟧、)+$", "", tagged[:pm.start()])
            while True:
                m = APPOS_LINK.search(prefix)
                if not m:
                    break
                org = slots[int(m.group("o")[1:])]
                for pred in role_predicates(m.group("roles"), org.label):
                    yield "apposition", pred, person.key, org.key, conf_of(0.9, person, org)
                prefix = prefix[:m.start()]
        yield from self._competition(tagged, slots)

    def _competition(self, tagged: str, slots: list[_Slot]):
        if not COMPETE.search(tagged):
            return
        groups = ("CIULDG", "MR", "P")
        toks = list(re.finditer(r"⟦([A-Z])(\d+)⟧", tagged))
        for i, a in enumerate(toks):
            for b in toks[i + 1:]:
                if not any(a.group(1) in g and b.group(1) in g for g in groups):
                    continue
                between = tagged[a.end():b.start()]
                after = tagged[b.end():b.end() + 15].split("。")[0]
                if len(between) > 25 or ("⟦P" in between and a.group(1) != "P"):
                    continue
                if COMPETE.search(between) or (re.fullmatch(r"[与和跟同、及对]", between) and COMPETE.search(after)):
                    sa, sb = slots[int(a.group(2))], slots[int(b.group(2))]
                    conf = 0.8 - 0.25 * (sa.virtual or sb.virtual)
                    yield "compete-pair", "competesWith", sa.key, sb.key, conf

    def _competition_context(self, sent, slots, orgs: Counter, main_person, rels):
        """One side named ("哪怕对Google这样的竞争对手", "跟DeepSeek也不能对标", "遇到了梁文锋这样的
        对手"); the other is the speaker for a person, or the organization the article is most
        about for an organization."""
        head = re.match(r"^\s*[^:：]{2,8}[:：]", sent.text)      # the speaker label is not a side
        named = [s for s in slots if not s.virtual and not (head and s.end <= sent.start + head.end())]
        if len(named) != 1:
            return
        x = named[0]
        tagged = self._tag(sent, slots)
        tok = f"⟦{KIND[x.label]}{slots.index(x)}⟧"
        if not re.search(COMPETE_ONE_SIDE.replace("X", re.escape(tok)), tagged):
            return
        if x.label == "Person":
            other = next((s.key for s in slots if s.virtual and s.label == "Person"), main_person)
        elif KIND[x.label] in "CL":
            other = next((k for k, _ in orgs.most_common() if k != x.key), None)
        else:
            return
        if other:
            self._add(rels, x.key, "competesWith", other, sent, "compete-context", 0.6)

    # ------------------------------------------------------------------ document level
    def _bylines(self, head: list[Sentence], mentions, key_of, rels):
        authors, outlets, where = [], [], {}
        for sent in head:
            ms = [m for m in mentions.get(sent.index, []) if id(m) in key_of]
            if BYLINE_PERSON.search(sent.text):
                authors += [key_of[id(m)] for m in ms if m.label == "Person"]
            for m in ms:
                # "出品丨腾讯新闻", or a title line "…大会 | 甲子光年"
                if m.label == "MediaOutlet" and (BYLINE_OUTLET.search(sent.text) or re.search(
                        r"[|丨]\s*$", sent.text[:m.start - sent.start])):
                    outlets.append(key_of[id(m)])
                    where[key_of[id(m)]] = sent
        for a in dict.fromkeys(authors):
            for o in dict.fromkeys(outlets):
                self._add(rels, a, "worksFor", o, where[o], "byline", 0.7)

    def _kb_developers(self, sentences, mentions, key_of, names, rels):
        """The KB knows who makes a model; the document must name both, ideally together."""
        sent_keys = {s.index: {key_of[id(m)] for m in mentions.get(s.index, []) if id(m) in key_of}
                     for s in sentences}
        doc_keys = set().union(*sent_keys.values()) if sent_keys else set()
        by_name = {v: k for k, v in names.items()}
        for sent in sentences:
            for key in sent_keys[sent.index]:
                dev = self.kb.developer_of(names.get(key, ""))
                dev_key = by_name.get(dev.name) if dev else None
                if not dev_key or dev_key not in doc_keys:
                    continue
                window = set().union(*(sent_keys.get(i, set()) for i in range(sent.index - 1, sent.index + 2)))
                conf = 0.7 if dev_key in sent_keys[sent.index] else 0.6 if dev_key in window else 0.5
                self._add(rels, dev_key, "developed", key, sent, "kb-developer", conf)
