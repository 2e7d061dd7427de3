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

from ..graph.vocab import SYMMETRIC
from .funding import FundingReader
from .kb import KnowledgeBase
from .lexicon import COMPETE_WORDS, alt
from .records import Evidence, FundingRound, Mention, Relation, Sentence
from .rules import KIND, RULES, Ctx
from .rules import Slot as _Slot

COMPETE = re.compile(alt(COMPETE_WORDS))
# X is the one named side; the template is filled in per sentence
COMPETE_ONE_SIDE = (r"X(?:这样的|这种|等)(?:竞争)?对手|(?:跟|和|与|同)X[^。⟦⟧]{0,8}?(?:对标|竞争(?!力)|PK|抗衡|较量)"
                    r"|X[^。⟦⟧]{0,6}?(?:是|成为)[^。⟦⟧]{0,6}?(?:竞争)?对手|(?:对标|PK|抗衡)X")
BYLINE_PERSON = re.compile(r"^(?:作者|文|撰文|记者|编辑|采访|整理)|☉\s*文|(?:记者|编辑|作者)\s*[|丨:：]|[（(]记者\s")
BYLINE_OUTLET = re.compile(r"出品|收录源|来源|记者|编辑|作者")
PRONOUN = re.compile(r"(?<![其])[他她](?![们人])")
FIRST_PERSON = re.compile(r"我(?![们国])")
SECOND_PERSON = re.compile(r"你(?![们好])")
FIRST_PERSON_PLURAL = re.compile(r"我们(?!国)")
# "该公司", "这家公司", a clause-initial "公司", "其" before what it owns or does
ORG_PRONOUN = re.compile(r"该公司|这家公司|(?:(?<=^)|(?<=[，,。；;]))"
                         r"公司(?!的?(?:首席|CEO|董事长|总裁|创始人|联合创始人|副总裁|CTO))"
                         r"|(?<![与尤极])其(?=自主|自研|旗下|最新|推出|发布|开源|的|新)")


FAMILY_MEMBER = re.compile(r"⟦M(?P<f>\d+)⟧(?:的|旗下的?)[^。，,⟦⟧]{0,8}?(?:模型|版本)[:：]?"
                           r"(?P<m>⟦M\d+⟧(?:(?:、|和|及|与)⟦M\d+⟧)*)")
WAR = re.compile(r"价格战|降价潮|混战|大战|围剿|厮杀|激烈的竞争|竞争之下")
WAR_MOVE = re.compile(r"降价|免费|跟进|应战|打折|降至|降低价格|价格")
WAR_ANSWER = re.compile(r"^\s*(?:仅隔|随后|紧接着|紧随其后|几个小时后|几小时后|同一天|次日|当天)")


@dataclass
class _War:
    opener: list[str]
    last_side: list[str]
    last: int                   # index of the last sentence that moved


class RelationExtractor:
    """Stateful over one document: remembers the last person named and the article's subject."""

    def __init__(self, kb: KnowledgeBase, min_confidence: float = 0.0):
        self.kb = kb
        self.min_confidence = min_confidence
        self.names: dict[str, str] = {}

    # ------------------------------------------------------------------ per document
    def extract_doc(self, sentences: list[Sentence], mentions: dict[int, list[Mention]],
                    names: dict[str, str]) -> tuple[list[Relation], list[FundingRound]]:
        """``mentions`` maps sentence index -> resolved mentions (``Mention.entity`` set);
        ``names`` entity key -> canonical name (for KB look-ups)."""
        mentions = {i: [m for m in ms if m.entity] for i, ms in mentions.items()}
        self.names = names
        persons = Counter(m.entity for ms in mentions.values() for m in ms if m.label == "Person")
        total = sum(persons.values())
        main_person = persons.most_common(1)[0][0] if persons and persons.most_common(1)[0][1] >= 0.4 * total else None
        orgs = Counter(m.entity for ms in mentions.values() for m in ms if m.label in ("Company", "ResearchLab"))
        # Two passes: the first finds whom each person founded or runs, so that the second can
        # read "我们" in that person's lines as their company.  A sentence's rules see the same
        # slots in both passes unless such a "我们" is among them: their matches are kept.
        seen: dict[tuple, list] = {}
        rels, _ = self._pass(sentences, mentions, main_person, orgs, {}, seen, roles_only=True)
        company_of = {}
        for r in sorted(rels.values(), key=lambda r: r.confidence):
            if r.predicate in ("founded", "ceoOf"):
                company_of[r.subject] = r.object
        rels, funding = self._pass(sentences, mentions, main_person, orgs, company_of, seen)
        self._bylines(sentences[:15], mentions, rels)
        self._kb_developers(sentences, mentions, names, rels)
        self._family_members(sentences, mentions, rels)
        self._model_adopters(mentions, rels)
        return [r for r in rels.values() if r.confidence >= self.min_confidence], \
            [f for f in funding if f.evidence.confidence >= self.min_confidence]

    def _pass(self, sentences, mentions, main_person, orgs: Counter, company_of: dict, seen: dict,
              roles_only: bool = False):
        """The sentence rules over the document, with ``seen`` keeping each sentence's matches by
        what they depend on; ``roles_only``: no competition context, price war or funding (the
        first pass is read for founders and chiefs only)."""
        rels: dict[tuple, Relation] = {}
        funding: list[FundingRound] = []
        last_person, last_org = None, None
        war: _War | None = None
        reader = FundingReader()
        for sent in sentences:
            slots = [_Slot(m.entity, m.label, m.start, m.end) for m in mentions.get(sent.index, [])]
            slots += self._virtual_slots(sent, slots, last_person, main_person, company_of, last_org)
            slots.sort(key=lambda s: s.start)
            key = (sent.index, tuple(slots), last_person, last_org)
            if key not in seen:
                seen[key] = list(self._sentence_relations(sent, slots, last_person, last_org))
            for name, pred, s, o, conf in seen[key]:
                self._add(rels, s, pred, o, sent, name, conf)
            if not roles_only:
                self._competition_context(sent, slots, orgs, main_person, rels)
                war = self._price_war(sent, slots, war, rels)
                rounds, investments = reader.read(sent, slots)
                funding.extend(rounds)
                for inv in investments:
                    self._add(rels, inv.investor, "investedIn", inv.recipient, sent, inv.rule, inv.confidence)
            real_persons = [s for s in slots if s.label == "Person" and not s.virtual]
            if real_persons:
                # 他/她 in the next sentence is its topic, the person named first
                last_person = real_persons[0].key
            # the organization in focus: one that opens a sentence ("今日，⟦C0⟧宣布…"), not one named
            # inside a person's story ("⟦P0⟧曾担任⟦L1⟧首席科学家")
            real = [s for s in slots if not s.virtual]
            if real and real[0].label in ("Company", "ResearchLab") and real[0].start - sent.start <= 15 \
                    or last_org is None and any(s.label == "Company" for s in real):
                top = real[0] if real[0].label in ("Company", "ResearchLab") else \
                    next(s for s in real if s.label == "Company")
                last_org = _Slot(top.key, top.label, 0, 0)
        return rels, funding

    def _add(self, rels, s, pred, o, sent: Sentence, rule, conf):
        if s == o:
            return
        if pred in SYMMETRIC and o < s:       # stored once per pair
            s, o = o, s
        rel = rels.setdefault((s, pred, o), Relation(s, pred, o))
        if not any(e.doc_id == sent.doc_id and e.sent == sent.index and e.rule == rule for e in rel.evidence):
            rel.evidence.append(Evidence(sent.doc_id, sent.index, sent.start, sent.end, sent.text, rule,
                                         round(conf, 2)))

    def _virtual_slots(self, sent, slots, last_person, main_person, company_of, last_org) -> list[_Slot]:
        """Pronouns as slots: 他/她 -> the last person named, 我 -> the speaker of the line or the
        article's main person, 你 in someone else's line -> the main person, 我们 -> the company of
        the speaker (when known), 该公司/这家公司/其 -> the organization named last."""
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
                 (FIRST_PERSON_PLURAL, company_of.get(me), "Company"),
                 (ORG_PRONOUN, last_org.key if last_org else None, last_org.label if last_org else "Company")]
        for rx, who, label in rules:
            if not who:
                continue
            for pm in rx.finditer(sent.text):
                a = sent.start + pm.start()
                if rx is ORG_PRONOUN:
                    # "⟦C0⟧率先宣布其自研的…", "⟦C0⟧CEO⟦P1⟧称，公司将…": the organization just named
                    near = [s for s in slots if s.end <= a and s.label in ("Company", "ResearchLab")
                            and (pm.group(0) != "其" or a - s.end <= 8)]
                    if near:
                        who, label = near[-1].key, near[-1].label
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

    def _sentence_relations(self, sent: Sentence, slots: list[_Slot], context_person: str | None,
                            focus_org: _Slot | None = None):
        if not slots:
            return
        tagged = self._tag(sent, slots)

        def all_slots(text: str) -> list[_Slot]:
            return [slots[int(i)] for i in re.findall(r"[A-Z](\d+)", text)]

        def conf_of(base, *ss):
            return base - 0.25 * any(x.virtual for x in ss)

        ctx = Ctx(tagged, slots, context_person, focus_org)
        for rule in RULES:
            for s, o, pred in rule.find(ctx):
                if pred == "uses" and o.label != "AIModel" and not self._stands_for_models(o.key):
                    continue
                yield rule.name, pred, s.key, o.key, conf_of(rule.confidence, s, o)

    def _stands_for_models(self, key: str) -> bool:
        """An organization the text may name for its models (接入DeepSeek): the KB knows models it made."""
        entry = self.kb.lookup(self.names.get(key, ""))
        return entry is not None and entry.name in self.kb.model_makers

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

    def _price_war(self, sent, slots, war: _War | None, rels) -> _War | None:
        """A war one maker opens ("打响了价格战") and others join in the next sentences ("相继宣布
        降价"): each newcomer competes with the opener, or with the last mover when the text says it
        answered that one ("仅隔几个小时，…")."""
        makers = list(dict.fromkeys(s.key for s in slots if not s.virtual and KIND[s.label] in "CIL"))
        if war and sent.index - war.last > 3:
            war = None
        if war is None:
            return _War([makers[0]], [makers[0]], sent.index) if makers and WAR.search(sent.text) else None
        if not makers or not (WAR_MOVE.search(sent.text) or WAR.search(sent.text)):
            return war
        rivals = war.last_side if WAR_ANSWER.match(sent.text) else war.opener
        for k in makers:
            for r in rivals:
                self._add(rels, k, "competesWith", r, sent, "compete-war", 0.6)
        return _War(war.opener, makers, sent.index)

    # ------------------------------------------------------------------ document level
    def _bylines(self, head: list[Sentence], mentions, rels):
        authors, outlets, where = [], [], {}
        for sent in head:
            ms = mentions.get(sent.index, [])
            if BYLINE_PERSON.search(sent.text):
                authors += [m.entity for m in ms if m.label == "Person"]
            for m in ms:
                # "出品丨腾讯新闻", or a title line "…大会 | 甲子光年"; an outlet after "·" is the
                # publisher's partner studio, not the author's employer ("出品丨某网·某某工作室")
                if m.label == "MediaOutlet" and (BYLINE_OUTLET.search(sent.text) or re.search(
                        r"[|丨]\s*$", sent.text[:m.start - sent.start])) \
                        and not sent.text[:m.start - sent.start].rstrip().endswith("·"):
                    outlets.append(m.entity)
                    where[m.entity] = sent
        for a in dict.fromkeys(authors):
            for o in dict.fromkeys(outlets):
                self._add(rels, a, "worksFor", o, where[o], "byline", 0.7)

    def _model_adopters(self, mentions, rels):
        """"⟦C0⟧自研的⟦M1⟧已与⟦M2⟧完成融合": a model does not adopt, its developer does."""
        kind = {m.entity: m.label for ms in mentions.values() for m in ms}
        for (s, pred, o), rel in list(rels.items()):
            if pred != "uses" or kind.get(s) != "AIModel":
                continue
            del rels[(s, pred, o)]
            for maker in [r.subject for r in list(rels.values()) if r.predicate == "developed" and r.object == s]:
                for e in rel.evidence:
                    sent = Sentence(e.doc_id, e.sent, e.start, e.end, e.text)
                    self._add(rels, maker, "uses", o, sent, e.rule, e.confidence)

    def _family_members(self, sentences, mentions, rels):
        """"⟦M0⟧的两款主力模型⟦M1⟧、⟦M2⟧": members of a model family share its developer."""
        for sent in sentences:
            slots = [_Slot(m.entity, m.label, m.start, m.end) for m in mentions.get(sent.index, [])]
            tagged = self._tag(sent, slots)
            for m in FAMILY_MEMBER.finditer(tagged):
                family = slots[int(m.group("f"))]
                members = [slots[int(i)] for i in re.findall(r"⟦M(\d+)⟧", m.group("m"))]
                makers = [r.subject for r in list(rels.values())
                          if r.predicate == "developed" and r.object == family.key]
                for maker in makers:
                    for member in members:
                        self._add(rels, maker, "developed", member.key, sent, "family-member", 0.6)

    def _kb_developers(self, sentences, mentions, names, rels):
        """The KB knows who makes a model (also a family member it does not list: 通义千问3, vivo X100);
        the document must name both, ideally together."""
        sent_keys = {s.index: {m.entity for m in mentions.get(s.index, [])}
                     for s in sentences}
        doc_keys = set().union(*sent_keys.values()) if sent_keys else set()
        kind = {m.entity: m.label for ms in mentions.values() for m in ms}
        by_name = {v: k for k, v in names.items()}
        by_name.update({m.kb_id: m.entity for ms in mentions.values() for m in ms if m.kb_id})
        for sent in sentences:
            for key in sent_keys[sent.index]:
                if kind.get(key) not in ("AIModel", "Product"):
                    continue
                dev = self.kb.developer_of(names.get(key, ""))
                dev_key = by_name.get(dev.name) if dev else None
                if not dev_key or dev_key not in doc_keys:
                    continue
                window = set().union(*(sent_keys.get(i, set()) for i in range(sent.index - 1, sent.index + 2)))
                conf = 0.7 if dev_key in sent_keys[sent.index] else 0.6 if dev_key in window else 0.5
                self._add(rels, dev_key, "developed", key, sent, "kb-developer", conf)
