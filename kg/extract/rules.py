"""Relation rules as registered data.

A sentence reaches the rules with its mentions replaced by placeholders ``⟦C3⟧`` (kind letter +
slot index), so a pattern reads like the Chinese it matches and never looks inside a name.
Kinds: P person, C company, I investor, U university, L lab, D media, G other org, M AI model,
R product.

Each ``Rule`` names its predicate, the kinds of its two ends, its trigger words (from
``kg/extract/lexicon.py``), a confidence, an example sentence with the triple it must give (the tests run
every example through the real pipeline) and its *family*: the function that turns the rule
into matches.  A new trigger word is one line in the lexicon or a rule's ``triggers``; a new
pattern family is one function here plus the rules that use it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from . import lexicon as lx
from .lexicon import alt

KIND = {"Person": "P", "Company": "C", "InvestmentFirm": "I", "University": "U", "ResearchLab": "L",
        "MediaOutlet": "D", "Organization": "G", "AIModel": "M", "Product": "R"}
ORG, PER, MOD = "[CIULDG]", "P", "[MR]"
MAKER = "[CILG]"
ADOPTER = "[CIULDGR]"


def ph(kinds: str, name: str | None = None) -> str:
    body = rf"{kinds}\d+" if not name else rf"(?P<{name}>{kinds}\d+)"
    return "⟦" + body + "⟧"


def ph_list(kinds: str, name: str) -> str:
    """One placeholder or a list of them (``王慧文、李志飞和张三等``), captured as one group."""
    one = rf"⟦{kinds}\d+⟧(?:[（(][^（）()。]{{0,16}}[）)])?"
    joiner = r"(?:、|和|与|及|以及|,|，|等[^。⟦⟧，,]{0,10}?[，,]以及)(?:前|原)?(?:⟦[CIULDG]\d+⟧)?[^。⟦⟧，,、]{0,3}?"
    return rf"(?P<{name}>{one}(?:{joiner}{one})*)等?"


PAREN = r"(?:[（(][^（）()。]{0,16}[）)])?"     # "⟦P0⟧(前⟦C1⟧ CMO)": a gloss after a name
GAP = r"[^。⟦⟧]{0,12}?"          # a short stretch inside one clause, no other mention
NEAR = r"[^。，,；;⟦⟧]{0,12}?"
QUALIFIER = r"[^，,。；;⟦⟧“”\"（）()、]{0,8}?"     # 总部, 中国区, AI, 计算机系, 的两位

FOUNDER = alt(lx.FOUNDER_ROLES)
CEO = alt(lx.CEO_ROLES)
OTHER_ROLE = rf"(?:{lx.CHIEF_ROLE}|{alt(lx.STAFF_ROLES)})"
ROLE = rf"(?:{FOUNDER}|{CEO}|{OTHER_ROLE})"
ROLES = rf"{ROLE}(?:(?:兼|、|和|与|及|&|/)?{ROLE})*"
DEGREE = alt(lx.DEGREES)
TAKE_ROLE = alt(lx.TAKE_ROLE_VERBS)
# what may open a clause that continues the last subject ("，随后又创立了…", "，今年推出…")
ZERO_LEAD = ("随后", "后来", "之后", "毕业后", "并", "并且", "又", "再", "还", "曾", "先后", "前后", "亲自", "转而",
             "早年", "于是", "后", "今年", "去年", "此前", "近日", "同年", "随即", "也", "已", "正式")
ADVERBS = alt(("曾", "现", "已", "则", "还", "又", "也", "先后", "前后", "曾经", "目前", "正式", "同时", "将", "已经",
               "此次"))


def role_predicates(roles: str, org_label: str = "Company") -> list[str]:
    """What a run of role nouns says: 创始人 -> founded, CEO -> ceoOf, any other -> worksFor."""
    if re.fullmatch(DEGREE, roles):
        return ["educatedAt"] if org_label == "University" else []
    preds = []
    if re.search(FOUNDER, roles):
        preds.append("founded")
    if re.search(CEO, roles):
        preds.append("ceoOf")
    # "创始人兼CEO" says all there is; "董事长兼CEO" needs no separate worksFor either
    if not preds and re.search(OTHER_ROLE, roles):
        preds.append("worksFor")
    return preds


@dataclass(frozen=True)
class Slot:
    key: str            # entity key
    label: str
    start: int          # document offsets
    end: int
    virtual: bool = False


@dataclass
class Ctx:
    """One sentence as the families see it."""
    tagged: str
    slots: list[Slot]
    context_person: str | None = None      # the person the story is about before this sentence
    focus_org: Slot | None = None          # the organization named last before this sentence

    def slot(self, token: str) -> Slot:
        index = re.search(r"\d+", token)
        assert index is not None        # slot tokens are written "⟦C0⟧" by tag_sentence
        return self.slots[int(index.group(0))]

    def all(self, text: str | None) -> list[Slot]:
        return [self.slots[int(i)] for i in re.findall(r"[A-Z](\d+)", text or "")]


Match = tuple[Slot, Slot, str]          # subject, object, predicate


@dataclass(frozen=True)
class Rule:
    name: str
    predicate: str
    subject: str            # placeholder kinds of the subject, a regex class such as "[CILG]"
    object: str
    triggers: tuple[str, ...]
    confidence: float
    family: Callable[[Rule, Ctx], Iterator[Match]]
    example: str            # a sentence of our own ...
    expect: tuple[str, str, str]     # ... and the triple it must give

    def find(self, ctx: Ctx) -> Iterator[Match]:
        return self.family(self, ctx)


@cache
def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _list_tail(ctx: Ctx, pos: int, kinds: str) -> list[Slot]:
    """The rest of a list after an object: "推出了⟦M1⟧、⟦M2⟧和⟦M3⟧" -> M2, M3."""
    item = rf"[”\"」》]?(?:、|和|及|与|以及|，|,)[^。⟦⟧，,、]{{0,10}}?⟦{kinds}\d+⟧"
    m = _rx(rf"(?:{item})+").match(ctx.tagged, pos)
    return ctx.all(m.group(0)) if m else []


def _pairs(rule: Rule, ctx: Ctx, pattern: str, list_objects: bool = False) -> Iterator[Match]:
    for m in _rx(pattern).finditer(ctx.tagged):
        objs = ctx.all(m.group("o"))
        if list_objects:
            objs += _list_tail(ctx, m.end("o") + 1, rule.object)
        for s in ctx.all(m.group("s")):
            if not re.fullmatch(rule.subject, KIND[s.label]):
                continue            # a former employer inside a list of founders
            for o in objs:
                if re.fullmatch(rule.object, KIND[o.label]):
                    yield s, o, rule.predicate


# ------------------------------------------------------------------ families
def verb(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """S … trigger … O: "⟦P0⟧联合创立了⟦C1⟧", "⟦C0⟧、⟦C1⟧等车企宣布接入⟦M2⟧"."""
    adverbs = alt(lx.FOUND_ADVERBS, ("正式", "已", "已经", "率先", "相继", "陆续", "先后", "又", "还", "也", "再次",
                                     "全面", "深度"))
    pattern = (rf"{ph_list(rule.subject, 's')}{GAP}(?:{adverbs})*{alt(rule.triggers)}(?:了|过|出)?"
               rf"{NEAR}(?:⟦C\d+⟧\s?)?{ph(rule.object, 'o')}(?!\s?⟦M)")
    yield from _pairs(rule, ctx, pattern, list_objects=rule.predicate in ("developed", "uses"))


def launch_kind(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """S trigger … a word for a model, then O: "⟦C0⟧发布了⟦M1⟧级主力模型⟦M2⟧", "⟦C0⟧开源最新的推理模型：⟦M1⟧"."""
    pattern = (rf"{ph(rule.subject, 's')}{GAP}{alt(rule.triggers)}(?:了)?[^。，,；;]{{0,24}}?"
               rf"{alt(lx.MODEL_KINDS, lx.PRODUCT_KINDS)}[:：\s]?{ph(rule.object, 'o')}")
    yield from _pairs(rule, ctx, pattern, list_objects=True)


def finish_adoption(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """S 完成/实现(与) O … trigger: "⟦C0⟧已完成⟦C1⟧全系列模型的接入工作";
    S 与 O … trigger: "⟦C0⟧宣布与⟦C1⟧展开深度融合"."""
    pattern = (rf"{ph(rule.subject, 's')}{GAP}(?:(?:完成|实现)(?:了)?(?:与|和)?|(?:与|和|同))(?:⟦C\d+⟧\s?)?"
               rf"{ph(rule.object, 'o')}(?!\s?⟦M)[^。⟦⟧，,；;]{{0,16}}?{alt(rule.triggers)}")
    yield from _pairs(rule, ctx, pattern)


def deploy_on(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """… 在 R 上 trigger O: the product runs the model, and so does the maker named before it:
    "⟦C0⟧已在⟦R1⟧等芯片上部署⟦M2⟧"."""
    pattern = (rf"(?:{ph(rule.subject, 's')}[^。⟦⟧]{{0,12}}?)?在{ph('R', 'r')}[^。⟦⟧]{{0,10}}?(?:上|中|里)"
               rf"{alt(rule.triggers)}(?:了)?{NEAR}{ph(rule.object, 'o')}")
    for m in _rx(pattern).finditer(ctx.tagged):
        o = ctx.slot(m.group("o"))
        for s in [ctx.slot(m.group("r"))] + ([ctx.slot(m.group("s"))] if m.group("s") else []):
            yield s, o, rule.predicate


def relative(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """S trigger 的 O: "⟦P0⟧创立的⟦C1⟧", "⟦C0⟧开源的推理模型⟦M1⟧"."""
    pattern = rf"{ph(rule.subject, 's')}{GAP}{alt(rule.triggers)}的{NEAR}{ph(rule.object, 'o')}"
    yield from _pairs(rule, ctx, pattern, list_objects=True)


def object_first(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """O … trigger … S, the object named first: "曾任职于⟦C0⟧的⟦P1⟧" (trigger, O, 的, S)."""
    pattern = rf"{alt(rule.triggers)}(?:于)?{ph(rule.object, 'o')}的{ph(rule.subject, 's')}"
    yield from _pairs(rule, ctx, pattern)


def passive(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """O … 由 S trigger: "⟦C0⟧成立于2020年，由⟦P1⟧和⟦P2⟧共同创立"."""
    pattern = (rf"{ph(rule.object, 'o')}[^。]{{0,30}}?由[^。⟦⟧]{{0,30}}?(?:⟦[^⟧]+⟧[^。⟦⟧]{{0,12}}?)*?"
               rf"{ph_list(rule.subject, 's')}[^。⟦⟧]{{0,10}}?(?:{alt(lx.FOUND_ADVERBS)})?{alt(rule.triggers)}")
    yield from _pairs(rule, ctx, pattern)


def from_leave(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """S 从 O trigger: "⟦P0⟧从⟦C1⟧离职"."""
    pattern = rf"{ph(rule.subject, 's')}{GAP}从{NEAR}{ph(rule.object, 'o')}{NEAR}{alt(rule.triggers)}"
    yield from _pairs(rule, ctx, pattern)


def at_place(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """S 在 O … trigger: "⟦P0⟧曾在⟦C1⟧担任总裁", "⟦P0⟧在⟦U1⟧读博"."""
    pattern = rf"{ph(rule.subject, 's')}{GAP}(?:在|于|进入){ph(rule.object, 'o')}{NEAR}{alt(rule.triggers)}"
    yield from _pairs(rule, ctx, pattern)


def hire(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """O trigger … S: the organization names the person it takes on: "⟦C0⟧聘请⟦P1⟧出任首席科学家"."""
    pattern = rf"{ph(rule.object, 'o')}[^。⟦⟧]{{0,40}}?{alt(rule.triggers)}[^。]{{0,24}}?{ph(rule.subject, 's')}"
    yield from _pairs(rule, ctx, pattern)


def owner_name(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """A model or product named with its owner in front: "⟦C0⟧⟦M1⟧" (Google Gemini), "⟦C0⟧的⟦M1⟧",
    "⟦C0⟧旗下的⟦R1⟧", "⟦C0⟧自研的大模型⟦M1⟧"."""
    glued = rf"{ph(rule.subject, 's')}\s?{ph(rule.object, 'o')}"
    linked = rf"{ph(rule.subject, 's')}{alt(rule.triggers)}(?:大模型|模型|产品|芯片|系列)?[:：]?{ph(rule.object, 'o')}"
    yield from _pairs(rule, ctx, glued)         # "⟦C0⟧ ⟦M1⟧和⟦M2⟧": the owner names the first model only
    yield from _pairs(rule, ctx, linked, list_objects=True)


def examples(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """S trigger … 比如 O-list: "⟦C0⟧做过很多产品，比如⟦R1⟧、⟦R2⟧"."""
    pattern = (rf"{ph(rule.subject, 's')}{GAP}{alt(rule.triggers)}(?:过|了)?[^。⟦⟧]{{0,20}}?(?:比如|例如|如|包括)"
               rf"[^。⟦⟧]{{0,12}}?{ph(rule.object, 'o')}")
    yield from _pairs(rule, ctx, pattern, list_objects=True)


def object_is_by(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """O 是 S … trigger 的: "⟦M0⟧是⟦C1⟧昨天发布的新模型"."""
    pattern = (rf"{ph(rule.object, 'o')}[，,\s]*(?:也|则|就)?(?:是|为|系)(?:由)?{ph(rule.subject, 's')}{GAP}"
               rf"(?:{alt(rule.triggers)})的")
    yield from _pairs(rule, ctx, pattern)


def carried_into(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """O … trigger 在 S-list: the model first, its adopters after: "⟦M0⟧将搭载在⟦C1⟧、⟦C2⟧等品牌"."""
    pattern = (rf"{ph(rule.object, 'o')}[^。⟦⟧]{{0,40}}?{alt(rule.triggers)}(?:应用)?(?:在|于|到)"
               rf"{ph_list(rule.subject, 's')}")
    yield from _pairs(rule, ctx, pattern)


def adopters_after(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """与 O trigger …，包括 S-list: "多家车企宣布与⟦C0⟧深度融合，包括⟦C1⟧、⟦C2⟧"."""
    pattern = (rf"(?:与|和|同){ph(rule.object, 'o')}{NEAR}{alt(rule.triggers)}[^。⟦⟧]{{0,8}}?[，,：:]"
               rf"(?:包括|其中有?|如|有)?{ph_list(rule.subject, 's')}")
    yield from _pairs(rule, ctx, pattern)


def pair_with(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """S 与 O … trigger: "⟦C0⟧与⟦C1⟧达成战略合作", "⟦C0⟧和⟦C1⟧的合作"."""
    pattern = (rf"{ph(rule.subject, 's')}(?:{ADVERBS})*(?:与|和|同|跟|携手|联手)"
               rf"{ph(rule.object, 'o')}{GAP}{alt(rule.triggers)}")
    yield from _pairs(rule, ctx, pattern)


def pair_announced(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """S's spokesman announces a pact: "⟦C0⟧CEO⟦P1⟧宣布，将与⟦C2⟧携手打造…" (people may stand between)."""
    pattern = (rf"{ph(rule.subject, 's')}(?:[^。⟦⟧]|⟦P\d+⟧){{0,30}}?(?:宣布|表示|称|透露)[^。⟦⟧]{{0,8}}?(?:与|和|同|跟)"
               rf"{ph(rule.object, 'o')}{GAP}{alt(rule.triggers)}")
    yield from _pairs(rule, ctx, pattern)


def join_then_role(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """S 加入 O 并担任 role: the role is held at the organization joined."""
    pattern = (rf"{ph(rule.subject, 's')}{PAREN}{GAP}{alt(lx.JOIN_VERBS)}(?:了)?{ph(rule.object, 'o')}[^。⟦⟧]{{0,3}}?"
               rf"(?:{TAKE_ROLE})(?P<roles>{ROLES})")
    for m in _rx(pattern).finditer(ctx.tagged):
        s, o = ctx.slot(m.group("s")), ctx.slot(m.group("o"))
        for pred in role_predicates(m.group("roles"), o.label):
            yield s, o, pred


def apposition(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """Titles before the name, chained: "前⟦C0⟧科学家、⟦C1⟧创始人兼CEO⟦P2⟧", "⟦I0⟧的两位合伙人⟦P1⟧、⟦P2⟧"."""
    link = _rx(rf"(?:前|原)?[“\"]?{ph(ORG, 'o')}{QUALIFIER}(?P<roles>{ROLES})[”\"]?[、，,\s兼及和以及&]*$")
    for pm in re.finditer(ph(PER, "p"), ctx.tagged):
        person = ctx.slot(pm.group("p"))
        prefix = re.sub(r"(?:⟦P\d+⟧(?:、|和|及))+$", "", ctx.tagged[:pm.start()])
        while (m := link.search(prefix)):
            org = ctx.slot(m.group("o"))
            for pred in role_predicates(m.group("roles"), org.label):
                yield person, org, pred
            prefix = prefix[:m.start()]


def role_after_person(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """Roles after the name: "⟦P0⟧，⟦C1⟧的CEO", "⟦P0⟧(前⟦C1⟧ COO)", "⟦P0⟧出任⟦C1⟧首席科学家",
    chained: "…是⟦C1⟧创始人、CEO，⟦U2⟧计算机系博士，前⟦C3⟧科学家"."""
    head = _rx(rf"{ph(PER, 's')}[，,（(\s]*(?:(?:{ADVERBS})*(?:是|为|作为|身为|曾是|{alt(rule.triggers)})\s*)?"
               rf"(?:美国|中国|英国)?(?:前|原)?\s*{ph(ORG, 'o')}{QUALIFIER}(?:⟦G\d+⟧)?\s*[“\"]?"
               rf"(?P<roles>{ROLES}|{DEGREE})")
    chain = _rx(rf"[”\"]?(?:[、，,\s]|以及|及|和)*(?:(?:{ADVERBS})*{TAKE_ROLE})?(?:美国|中国|英国)?(?:前|原)?"
                rf"{ph(ORG, 'o')}{QUALIFIER}(?:⟦G\d+⟧)?[“\"]?(?P<roles>{ROLES}|{DEGREE})")
    for m in head.finditer(ctx.tagged):
        s = ctx.slot(m.group("s"))
        links = [(m.group("o"), m.group("roles"))]
        pos = m.end()
        while ((c := chain.match(ctx.tagged, pos))
               or (skip := _rx(r"[、，,][^，,。；;⟦⟧]{1,14}(?=[，,、])").match(ctx.tagged, pos))):
            if c:
                links.append((c.group("o"), c.group("roles")))
                pos = c.end()
            else:
                assert skip is not None     # the loop runs only if one of the two matched
                pos = skip.end()        # a title without an organization ("，国家专项首席科学家，")
        for o_tok, roles in links:
            o = ctx.slot(o_tok)
            for pred in role_predicates(roles, o.label):
                yield s, o, pred


def zero_subject(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """A clause without its own subject continues the last person's story:
    "…，随后又创立了⟦C1⟧", "…，曾担任⟦C1⟧的研究员", "…，转而加入⟦C1⟧"."""
    pattern = _rx(rf"(?:^|[，,；;])(?:在(?P<during>{ph(ORG)})(?:工作|任职)?期间)?(?:{alt(ZERO_LEAD)})*"
                  rf"(?:(?P<found>(?:{alt(lx.FOUND_ADVERBS)})?{alt(lx.FOUND_VERBS)}(?:了)?){NEAR}{ph(ORG, 'o')}"
                  rf"|(?P<join>{alt(lx.JOIN_VERBS)})(?:了)?{ph_list(ORG, 'oj')}"
                  rf"|在{ph(ORG, 'oa')}[^，,。；;⟦⟧]{{0,6}}?(?:担任|任职|工作|任)"
                  rf"|(?:在|赴|前往|进入|到){ph('U', 'ou')}[^，,。；;⟦⟧]{{0,6}}?{alt(lx.STUDY_NOUNS)}"

                  rf"|(?:{TAKE_ROLE})(?:了)?\s*{ph(ORG, 'o2')}{QUALIFIER}\s*(?P<roles>{ROLES}))")
    for m in pattern.finditer(ctx.tagged):
        before = [x for x in ctx.all(ctx.tagged[:m.start()]) if x.label == "Person"]
        who = before[-1] if before else (Slot(ctx.context_person, "Person", 0, 0, virtual=True)
                                         if ctx.context_person else None)
        if who is None:
            continue
        if m.group("during"):
            yield who, ctx.slot(m.group("during")), "worksFor"
        if m.group("ou"):
            yield who, ctx.slot(m.group("ou")), "educatedAt"
            continue
        if m.group("oa"):
            yield who, ctx.slot(m.group("oa")), "worksFor"
            continue
        if m.group("join"):
            for o in ctx.all(m.group("oj")):
                yield who, o, "worksFor"
            continue
        org = ctx.slot(m.group("o") or m.group("o2"))
        for pred in (["founded"] if m.group("found") else role_predicates(m.group("roles") or "")):
            yield who, org, pred


def topic_continues(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """A clause without its own subject continues the organization the sentence opened with:
    "⟦C0⟧由…创办，今年推出首款模型⟦M1⟧", "⟦C0⟧宣布…，还与⟦M1⟧、⟦M2⟧等大模型合作"."""
    opener = re.match(r"⟦[CILG](\d+)⟧", ctx.tagged)
    if not opener:
        return
    topic = ctx.slots[int(opener.group(1))]
    verbs = alt(rule.triggers)
    head = rf"[，,；;](?:{alt(ZERO_LEAD)})*(?:强调|宣布|表示|计划)?"
    shapes = (rf"{head}{verbs}(?:了)?[^，,。；;⟦⟧]{{0,12}}?{ph_list(rule.object, 'o')}",
              rf"{head}(?:与|和){ph_list(rule.object, 'o')}[^，,。；;⟦⟧]{{0,8}}?{verbs}")
    for shape in shapes[:1] if rule.predicate == "developed" else shapes[1:]:
        for m in _rx(shape).finditer(ctx.tagged):
            for o in ctx.all(m.group("o")):
                if re.fullmatch(rule.object, KIND[o.label]):
                    yield topic, o, rule.predicate


def bare_title(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """A title with no organization before a name ("首席科学家⟦P0⟧", "公司CEO⟦P0⟧", "联合创始人⟦P0⟧和⟦P1⟧")
    speaks of the organization in focus: the one named last before this sentence."""
    before = _rx(rf"(?:^|[，,。；;：:、\s]|该?公司|其|以及|而)[\u4e00-\u9fff]{{0,2}}?(?P<roles>{ROLES})\s?"
                 rf"{ph_list(PER, 's')}")
    after = _rx(rf"{ph(PER, 's')}(?:{ADVERBS})*(?:{TAKE_ROLE})(?P<roles>{ROLES})(?![^，,。；;]{{0,3}}⟦)")
    for pattern in (before, after):
        for m in pattern.finditer(ctx.tagged):
            clause = re.split(r"[，,。；;：:]", ctx.tagged[:m.start("roles")])[-1]
            if pattern is before and re.search(r"⟦[^P]", clause):
                continue            # "⟦U0⟧教授、系主任⟦P1⟧": an apposition with its own organization
            # an organization named before in the same sentence, else the one in focus
            here = [x for x in ctx.all(ctx.tagged[:m.start()]) if x.label in ("Company", "ResearchLab")]
            # 该公司 resolved in this very sentence is as good as the name
            org = Slot(here[-1].key, here[-1].label, here[-1].start, here[-1].end) if here else ctx.focus_org
            if org is None:
                continue
            for s in ctx.all(m.group("s")):
                if s.label != "Person":
                    continue
                for pred in role_predicates(m.group("roles"), org.label):
                    yield s, org, pred


def degree_before(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """"⟦U0⟧计算机系博士毕业的⟦P1⟧", "⟦U0⟧校友⟦P1⟧": the degree comes first."""
    pattern = rf"{ph('U', 'o')}{QUALIFIER}{alt(rule.triggers)}(?:毕业)?的?{ph(PER, 's')}"
    yield from _pairs(rule, ctx, pattern)


def rivals(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """Two same-kind names with a rivalry word between them ("⟦C0⟧对标⟦C1⟧"), or joined and
    followed by one in the same clause ("⟦C0⟧与⟦C1⟧展开激烈竞争", "⟦C0⟧、⟦C1⟧、⟦C2⟧争抢人才")."""
    text = ctx.tagged.replace("竞争力", "＿＿＿")      # competitiveness is no rivalry
    words = _rx(alt(rule.triggers))
    if not words.search(text):
        return
    groups = ("CIULDG", "M", "R", "P")
    toks = list(re.finditer(r"⟦([A-Z])(\d+)⟧", text))
    # "对标⟦M0⟧的模型⟦M1⟧": the one measured against comes first
    kinds = alt(lx.MODEL_KINDS, lx.PRODUCT_KINDS)
    for m in re.finditer(rf"{words.pattern}(?P<a>⟦(?P<k>[MR])\d+⟧)的(?:{kinds})?(?P<b>⟦(?P=k)\d+⟧)", text):
        yield ctx.slot(m.group("a")), ctx.slot(m.group("b")), rule.predicate
    for i, a in enumerate(toks):
        for b in toks[i + 1:]:
            if not any(a.group(1) in g and b.group(1) in g for g in groups):
                continue
            between = text[a.end():b.start()]
            if len(between) > 25 or ("⟦P" in between and a.group(1) != "P"):
                continue
            listed = re.fullmatch(r"(?:(?:、|和|与|跟|同|及|以及|对)⟦[A-Z]\d+⟧)*(?:、|和|与|跟|同|及|以及|对)", between)
            clause = re.split(r"[，,。；;]", text[b.end():])[0][:30]
            if words.search(between) or (listed and words.search(clause)):
                yield ctx.slot(a.group(0)), ctx.slot(b.group(0)), rule.predicate


def rivals_named_as(rule: Rule, ctx: Ctx) -> Iterator[Match]:
    """Sides named after a word that announces them: "对垒的三方，是⟦C0⟧和⟦C1⟧，以及…⟦C2⟧"."""
    m = re.search(rf"{alt(rule.triggers)}[^。⟦⟧]{{0,8}}?[，,：:]?(?:是|为|包括)(?P<rest>[^。]*)", ctx.tagged)
    if not m:
        return
    sides = [s for s in ctx.all(m.group("rest")) if s.label not in ("Person", "AIModel", "Product")]
    for i, a in enumerate(sides):
        for b in sides[i + 1:]:
            yield a, b, rule.predicate


# ------------------------------------------------------------------ the registry
R = Rule
RULES: list[Rule] = [
    # founders
    R("founded-verb", "founded", PER, ORG, lx.FOUND_VERBS, 0.85, verb,
      "2019年，钱晓岚与孙卫东共同创立了青禾智能。", ("孙卫东", "founded", "青禾智能")),
    R("founded-rel", "founded", PER, ORG, lx.FOUND_VERBS, 0.85, relative,
      "钱晓岚创办的青禾智能今年发布了新产品。", ("钱晓岚", "founded", "青禾智能")),
    R("founded-by", "founded", PER, ORG, lx.FOUND_VERBS, 0.8, passive,
      "青禾智能成立于2021年，由钱晓岚和孙卫东共同创立。", ("孙卫东", "founded", "青禾智能")),
    # people and organizations
    R("worksFor-join", "worksFor", PER, ORG, lx.JOIN_VERBS, 0.8, verb,
      "去年，钱晓岚正式加盟青禾智能。", ("钱晓岚", "worksFor", "青禾智能")),
    R("worksFor-left", "worksFor", PER, ORG, lx.LEAVE_VERBS, 0.8, from_leave,
      "钱晓岚从百度离职后开始创业。", ("钱晓岚", "worksFor", "百度")),
    R("worksFor-leave", "worksFor", PER, ORG, ("离开", "告别", "辞去"), 0.75, verb,
      "钱晓岚三年前离开了百度。", ("钱晓岚", "worksFor", "百度")),
    R("worksFor-at", "worksFor", PER, ORG, ("工作", "任职", "上班", "做研究", "担任", "负责", "带领", "供职", "实习"),
      0.75, at_place, "钱晓岚曾在腾讯担任技术总监。", ("钱晓岚", "worksFor", "腾讯")),
    R("worksFor-formerly", "worksFor", PER, ORG, ("任职", "就职", "供职", "效力"), 0.8, object_first,
      "曾任职微软的钱晓岚如今回国创业。", ("钱晓岚", "worksFor", "微软")),
    R("worksFor-hired", "worksFor", PER, ORG, ("聘请", "聘任", "任命", "招募", "挖来", "迎来", "邀请"), 0.75, hire,
      "青禾智能近日聘请孙卫东出任首席科学家。", ("孙卫东", "worksFor", "青禾智能")),
    R("role-after-join", "worksFor", PER, ORG, (), 0.8, join_then_role,
      "孙卫东加入青禾智能并担任联合创始人。", ("孙卫东", "founded", "青禾智能")),
    R("apposition", "worksFor", PER, ORG, (), 0.9, apposition,
      "前微软研究员、青禾智能联合创始人兼CEO孙卫东出席了发布会。", ("孙卫东", "ceoOf", "青禾智能")),
    R("role-after-person", "worksFor", PER, ORG, lx.TAKE_ROLE_VERBS, 0.85, role_after_person,
      "孙卫东，现任青禾智能首席技术官。", ("孙卫东", "worksFor", "青禾智能")),
    R("zero-subject", "worksFor", PER, ORG, (), 0.75, zero_subject,
      "2018年孙卫东离开百度，随后又创立了青禾智能。", ("孙卫东", "founded", "青禾智能")),
    R("topic-launch", "developed", MAKER, MOD, lx.LAUNCH_VERBS, 0.75, topic_continues,
      "星河科技成立于2021年，今年推出首款模型Nova-7B。", ("星河科技", "developed", "Nova-7B")),
    R("topic-adoption", "uses", MAKER, "M", ("合作", "融合", "适配"), 0.75, topic_continues,
      "远舟汽车宣布升级座舱，还与豆包、通义千问等大模型合作。", ("远舟汽车", "uses", "豆包")),
    R("title-in-focus", "worksFor", PER, ORG, (), 0.6, bare_title,
      "青禾智能今年扩张很快。首席科学家孙卫东表示明年还要招人。", ("孙卫东", "worksFor", "青禾智能")),
    # education
    R("educatedAt-grad", "educatedAt", PER, "U", lx.STUDY_VERBS, 0.85, verb,
      "孙卫东硕士毕业于浙江大学。", ("孙卫东", "educatedAt", "浙江大学")),
    R("educatedAt-verb", "educatedAt", PER, "U", lx.STUDY_NOUNS, 0.85, at_place,
      "孙卫东曾在复旦大学攻读博士。", ("孙卫东", "educatedAt", "复旦大学")),
    R("educatedAt-degree-first", "educatedAt", PER, "U", lx.DEGREES, 0.8, degree_before,
      "浙江大学计算机系博士毕业的孙卫东加入了青禾智能。", ("孙卫东", "educatedAt", "浙江大学")),
    # models and products
    R("developed-verb", "developed", MAKER, MOD, lx.LAUNCH_VERBS, 0.8, verb,
      "青禾智能昨天发布了推理模型Tiro-2。", ("青禾智能", "developed", "Tiro-2")),
    R("developed-rel", "developed", MAKER, MOD, lx.LAUNCH_VERBS, 0.75, relative,
      "青禾智能开源的推理模型Tiro-2表现不错。", ("青禾智能", "developed", "Tiro-2")),
    R("developed-kind", "developed", MAKER, MOD, lx.LAUNCH_VERBS, 0.8, launch_kind,
      "青禾智能昨天开源了最新的多模态推理模型：Tiro-2。", ("青禾智能", "developed", "Tiro-2")),
    R("developed-is-by", "developed", MAKER, MOD, lx.LAUNCH_VERBS, 0.75, object_is_by,
      "Tiro-2是青禾智能上周发布的推理模型。", ("青禾智能", "developed", "Tiro-2")),
    R("developed-examples", "developed", MAKER, MOD,
      ("做", "推出", "发布", "开发", "打造", "上线", "携", "亮相", "展示"), 0.75, examples,
      "青禾智能做过不少产品，比如写作助手“妙语”和绘画工具“墨韵”。", ("青禾智能", "developed", "墨韵")),
    R("developed-owner", "developed", "[CILGI]", MOD,
      ("的", "旗下的", "旗下", "家的", "自研的", "自主研发的", "新一代", "最新的"), 0.7, owner_name,
      "在发布会上，腾讯混元的新版本吸引了很多开发者。", ("腾讯", "developed", "混元")),
    # adoption
    R("uses-verb", "uses", ADOPTER, "[MC]", lx.ADOPT_VERBS, 0.75, verb,
      "青禾智能、远山汽车等多家企业宣布接入DeepSeek。", ("远山汽车", "uses", "DeepSeek")),
    R("uses-carried", "uses", ADOPTER, "[MC]", ("搭载", "应用", "部署", "落地", "上车"), 0.7, carried_into,
      "DeepSeek大模型将陆续搭载在远山、青禾等品牌的车型上。", ("青禾", "uses", "DeepSeek")),
    R("uses-listed-after", "uses", ADOPTER, "[MC]", ("融合", "合作", "接入", "适配"), 0.7, adopters_after,
      "已有十余家车企宣布与DeepSeek深度融合，包括远山汽车、青禾汽车等。", ("青禾汽车", "uses", "DeepSeek")),
    R("uses-finished", "uses", ADOPTER, "[MC]", ("接入", "融合", "适配", "集成", "部署", "对接"), 0.7, finish_adoption,
      "远山汽车已经完成DeepSeek全系列模型的接入工作。", ("远山汽车", "uses", "DeepSeek")),
    R("uses-deployed-on", "uses", ADOPTER, "M", ("部署", "运行", "搭载", "适配", "跑通"), 0.7, deploy_on,
      "远山科技已在天玑9300芯片上部署通义千问。", ("天玑9300", "uses", "通义千问")),
    R("uses-with-model", "uses", "[CIULDGRM]", "M", ("合作", "融合", "适配"), 0.7, pair_with,
      "远山汽车还与通义千问展开合作。", ("远山汽车", "uses", "通义千问")),
    # (a model that takes up another speaks for its maker: relations.py hands the fact to the developer)
    # partnership
    R("partnersWith", "partnersWith", ORG, ORG, lx.PARTNER_WORDS, 0.8, pair_with,
      "青禾智能与华为达成战略合作。", ("华为", "partnersWith", "青禾智能")),
    R("partnersWith-announced", "partnersWith", ORG, ORG, lx.PARTNER_WORDS, 0.7, pair_announced,
      "英伟达CEO黄仁勋宣布，将与鸿海携手建设AI工厂。", ("英伟达", "partnersWith", "鸿海")),
    # competition
    R("compete-pair", "competesWith", "[A-Z]", "[A-Z]", lx.COMPETE_WORDS, 0.8, rivals,
      "在大模型市场上，百度与阿里巴巴展开激烈竞争。", ("百度", "competesWith", "阿里巴巴")),
    R("compete-sides", "competesWith", ORG, ORG, ("对垒", "混战", "较量", "交锋", "对决", "之争"), 0.7, rivals_named_as,
      "正面对垒的双方，是百度和阿里巴巴。", ("百度", "competesWith", "阿里巴巴")),
]
