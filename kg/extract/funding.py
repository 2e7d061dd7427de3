"""Funding rounds and investments: who raised how much in which round, and from whom.

One stage, fed one sentence at a time (with its typed mentions) by the relation extractor, and
remembering the rounds of the paragraph so that "本轮融资由A领投，B、C跟投" in the next sentence
joins the round named before it.  A sentence is rewritten with placeholders, ``⟦F3⟧`` for mention 3
(F investment firm, O other organization, P person, X anything else) and ``⟦$0⟧`` for money
expression 0, so every rule reads like the Chinese it matches.

* Investor shapes are registered rules (``INVESTOR_RULES``): data with a name, trigger words, a
  confidence and an example of their own; a new trigger word is one line in ``TRIGGERS``.
* A round is a money figure in funding context or a named round (``B轮融资``) without one; only
  rounds with a figure become ``FundingRound`` records, every round gives ``investedIn``.
* The recipient is the company raising money: the subject of 完成/获得/宣布…融资, an object of
  投资/领投, 该公司 for the company of the paragraph; never one of the round's investors, a parent
  (``X旗下的Y``, ``X系``, ``母公司``) or a fund manager.
* Valuations, revenue, cumulative totals, market caps, fund sizes and IPO proceeds are not rounds.

``investor_mentions`` (a spaCy component) finds the names inside investor lists that the NER
model misses: in ``A领投，B、C跟投`` every list item is an organization, whatever its suffix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from .doctext import doc_text
from .mentions import type_org
from .money import Money, find_money
from .records import Evidence, FundingRound, Sentence

# ------------------------------------------------------------------ lexicon
TRIGGERS = {
    "lead": r"领投|领衔投资|领投了",
    "follow": r"跟投|参投|加注|追投|加码|超额认购|参与投资|参与了本轮|参与本轮|联合投资|共同投资",
    "party": r"投资方|参投方|跟投方|领投方|资方|投资机构|出资方|股东方|新股东|老股东|机构投资者|投资人|股东",
    "raise": r"完成|获得|获|拿到|斩获|迎来|宣布|披露|官宣|敲定|融资|募得|筹集",
    "invest": r"投资(?![人者方机额基公集管有])|注资|入股|押注|战略投资|出资",
    "listed": r"赫然在列|均在列|在列|位列其中|亦在其中|也在其中|参与其中",
}
# the label of a line listing investors by kind: "产业方：A、B", "财务投资人：C、D"
LIST_LABEL = r"方|机构|资方|投资人|国资|股东|国家队"
# a figure next to one of these is not a round
NOT_ROUND = re.compile(r"估值|营收|收入|市值|累计|累积|总计|合计|共计|融资总额|总融资|融资额达|募资|募集|IPO|上市|"
                       r"规模|成本|预算|亏损|利润|花了|花费|年薪|薪|工资|售价|价格|订单|合同|补贴|奖金|现金|账上|"
                       r"回报|收益|分红|投入|基金总|销售|交易额|GMV|身家|财富")
NOT_ROUND_AFTER = re.compile(r"^[^，,。；;⟦]{0,4}?(?:估值|市值|营收|收入|规模|的订单|年薪|的价格)")
# "星河智能投资100亿元建设数据中心": the subject spends, nobody raises
SPENDING = re.compile(r"(?:投资|投入|出资|拿出|斥资|砸下?|花费?)[^，,。]{0,4}$")
CONVERTED = re.compile(r"\s*[（(](?:约合|折合|约|相当于|合)?(?:人民币|美元)?\s*([^）)]{1,20})[）)]")
CONVERSION = re.compile(r"(?:约合|折合|相当于|约)(?:人民币|美元)?$")
FUNDING_WORD = re.compile(r"融资|领投|跟投|参投|投资|注资|入股|轮")
ROUND = re.compile(r"(种子\+?轮|天使\+?轮|Pre-?A\+?轮?|Pre-?B\+?轮?|Pre-IPO轮?|[A-F]\d?\+{0,2}轮|战略融资|战略投资|"
                   r"新一轮融资|新一轮)")
SAME_ROUND = re.compile(r"本轮|该轮|此轮|这轮|这一轮|上述融资")
DESCRIBED = re.compile(r"(?:这家|该|这个|此)[^，,。⟦⟧]{0,20}$")
RAISE_VERB = re.compile(r"完成|获得|获|拿到|斩获|迎来|宣布|披露|官宣|敲定|募得|筹集|融了|领投|跟投")
GENERIC_SIZE = re.compile(r"动辄|平均|通常|一般|往往|普遍")
RAISE_PRONOUN = re.compile(r"该公司|这家[^，,。⟦⟧]{0,20}?(?:公司|企业|⟦O\d+⟧)|(?:^|[，,])(?:公司|其|后者|它)")
DATE = re.compile(r"((?:19|20)\d\d)年(?:(\d{1,2})月)?|(?<![\d年])(\d{1,2})月(?:\d{1,2}日)?")
YEAR = re.compile(r"((?:19|20)\d\d)年")
CONTEXT_SENTENCES = 4
# spans an upstream stage may type as organizations that can neither raise nor invest: a date,
# a kind of round, an unnamed fund ("3月", "战略投资", "一只美元基金")
NOT_A_PARTY = re.compile(r"\d{1,4}[年月日]份?|[一二三四五六七八九十]{1,3}月份?|(?:种子|天使|Pre-?[A-F]\+?|[A-F]\+?)轮|"
                         r"战略投资|战略融资|(?:一|多|两|几)[只支家个](?:[^，,。]{0,6})(?:基金|机构|公司)")
KIND = {"Person": "P", "InvestmentFirm": "F", "Company": "O", "ResearchLab": "O", "Organization": "O",
        "University": "O"}

ONE = r"⟦[PFO]\d+⟧"
SEP = r"(?:、|和|与|及|以及|，|,|/|&)"
INV = rf"(?P<inv>{ONE}(?:{SEP}{ONE})*)"
COUNT = r"(?:[一二三四五六七八九十两几数\d]+家)"
TAIL = (r"(?:等|等等)?(?:多家|数家|[一二两三四五六七八九十\d]+家|几家|其他)?(?:知名|新老|老|现有|原有|超级|头部)?"
        r"(?:[^⟦⟧，,。；;]{0,4}?(?:股东|投资机构|机构|投资方|资方|基金|投资人|央企|国资|企业))?")


@dataclass(frozen=True)
class InvestorRule:
    """One investor shape.  ``pattern`` is a regex over the placeholder text with a group ``inv``
    (the investors) and optionally ``obj`` (the company invested in); ``example`` is a sentence of
    our own and ``expect`` the investedIn pairs it must give (the test runs it through LAC)."""
    name: str
    pattern: str
    confidence: float
    example: str
    expect: tuple[tuple[str, str], ...]
    context: str = ""           # a sentence the example follows, when the shape needs one

    @property
    def regex(self) -> re.Pattern:
        return _compiled(self.pattern)


_CACHE: dict[str, re.Pattern] = {}


def _compiled(pattern: str) -> re.Pattern:
    if pattern not in _CACHE:
        _CACHE[pattern] = re.compile(pattern)
    return _CACHE[pattern]


T = TRIGGERS
INVESTOR_RULES = [
    InvestorRule("invest-lead", rf"{INV}{TAIL}(?:共同|联合|一起|联袂|分别)?(?:{T['lead']})", 0.85,
                 "星河智能完成2亿元B轮融资，由红杉资本与高瓴资本联合领投。",
                 (("红杉资本", "星河智能"), ("高瓴资本", "星河智能"))),
    InvestorRule("invest-follow", rf"{INV}{TAIL}(?:继续|持续|也|均|亦|再次|同时)?(?:{T['follow']})", 0.85,
                 "云帆机器人获得1亿元A轮融资，经纬创投领投，真格基金、金沙江创投跟投。",
                 (("经纬创投", "云帆机器人"), ("真格基金", "云帆机器人"), ("金沙江创投", "云帆机器人"))),
    InvestorRule("invest-lead-named", rf"(?:领投方|领投机构|领投者)(?:为|是|有|包括)?{COUNT}?[：:]?{INV}", 0.85,
                 "云帆机器人完成3亿元B轮融资，领投方为启明创投。", (("启明创投", "云帆机器人"),)),
    InvestorRule("invest-party", rf"(?:{T['party']})(?:阵容|名单)?[^⟦⟧。；;]{{0,10}}?"
                                 rf"(?:包括|为|是|有|涵盖|包含|来自|分别为|分别是|还有|主要有|覆盖)?[：:]?{INV}", 0.8,
                 "星河智能宣布完成5亿元C轮融资，投资方包括君联资本、深创投和IDG资本。",
                 (("君联资本", "星河智能"), ("深创投", "星河智能"), ("IDG资本", "星河智能"))),
    InvestorRule("invest-party-colon", rf"(?:{T['party']})[^⟦⟧。；;：:]{{0,8}}[：:](?P<inv>[^。；;]*⟦[PFO]\d+⟧)", 0.8,
                 "星河智能完成8亿元B轮融资，领投方有两家：红杉资本旗下一只美元基金，以及君联资本。",
                 (("红杉资本", "星河智能"), ("君联资本", "星河智能"))),
    InvestorRule("invest-listed", rf"{INV}{TAIL}[^⟦⟧，,。]{{0,6}}?(?:{T['listed']})", 0.75,
                 "星河智能完成10亿元融资，中国移动、中国电信等央企赫然在列。",
                 (("中国移动", "星河智能"), ("中国电信", "星河智能"))),
    InvestorRule("invest-from", rf"(?:获得|获|拿到|得到|接受|迎来)(?:了)?(?:来自)?{INV}{TAIL}(?:的|等)?"
                                rf"(?:[^⟦⟧，,。]|⟦\$\d+⟧){{0,8}}?(?:投资|注资|入股|战略投资|融资)", 0.8,
                 "去年，云帆机器人获得了顺为资本的战略投资。", (("顺为资本", "云帆机器人"),)),
    InvestorRule("invest-by", rf"由{INV}{TAIL}(?:全额|独家|共同|联合)?(?:出资|投资|注资)", 0.75,
                 "星河智能的天使轮由奇绩创坛独家投资。", (("奇绩创坛", "星河智能"),)),
    InvestorRule("invest-labelled", rf"^[^⟦⟧：:，,。]{{0,8}}(?:{LIST_LABEL})[：:](?P<inv>.*⟦[PFO]\d+⟧)", 0.75,
                 "产业投资方：除了君联资本，还有小米集团旗下的顺为资本、蔚来资本等。",
                 (("君联资本", "星河智能"), ("顺为资本", "星河智能"), ("蔚来资本", "星河智能")),
                 "星河智能宣布完成5亿元B轮融资。"),
    InvestorRule("invest-verb", rf"{INV}(?:[^。，,⟦⟧]|⟦\$\d+⟧){{0,12}}?"
                                rf"(?:{T['lead']}|{T['follow']}|{T['invest']})(?:了)?"
                                rf"[^。，,；;、的⟦⟧]{{0,8}}?(?P<obj>⟦[OF]\d+⟧)"
                                rf"(?!{TAIL}(?:{T['lead']}|{T['follow']}))", 0.8,
                 "2023年，阿里巴巴投资了月之暗面。", (("阿里巴巴", "月之暗面"),)),
    InvestorRule("invest-to", rf"{INV}(?:已|曾|再次|近日)?(?:向|对)(?P<obj>⟦[OF]\d+⟧)(?:[^。，,⟦⟧]|⟦\$\d+⟧){{0,8}}?"
                              rf"(?:投资|注资|增资|出资)", 0.8,
                 "上个月，红杉资本向月之暗面注资2亿元。", (("红杉资本", "月之暗面"),)),
    InvestorRule("invest-shareholder", rf"{INV}(?:是|为|成为|作为)(?:了)?(?P<obj>⟦[OF]\d+⟧)(?:的)?"
                                       rf"(?:第一大|第二大|大|主要|早期|重要|机构)?(?:股东|投资方|投资人|投资者)", 0.8,
                 "腾讯是星河智能的第一大股东。", (("腾讯", "星河智能"),)),
    InvestorRule("invest-shareholder-its", rf"(?P<its>{ONE})(?:[^⟦⟧。]|⟦\$\d+⟧){{0,20}}?[，,；;]"
                                           rf"{INV}(?:是|为|成为)(?:了)?其"
                                           rf"(?:第一大|第二大|最大|大|主要|早期|重要|机构)?"
                                           rf"(?:股东|投资方|投资人|投资者)", 0.75,
                 "月影科技专注大模型研发，腾讯是其第一大股东。", (("腾讯", "月影科技"),)),
    InvestorRule("invest-shareholders-of", rf"(?P<obj>⟦O\d+⟧)的[^⟦⟧，,。]{{0,6}}?(?:股东|投资方|投资人|投资者|资方)"
                                           rf"(?:包括|有|为|是|中有|还有|名单包括)[：:]?{INV}", 0.8,
                 "星河智能的股东包括腾讯和蔚来资本。",
                 (("腾讯", "星河智能"), ("蔚来资本", "星河智能"))),
]

COOCCUR = InvestorRule("invest-cooccur", "", 0.6, "", ())
# Parents and managers are no investors when the text names the investing entity.
PARENT_RULES = [
    # "国家开发银行旗下的国开科创", "某集团旗下子公司及产业基金，包括A、B": the parent goes
    re.compile(r"(?P<p>⟦[FO]\d+⟧)(?:旗下|下属|控股)(?:的)?[^⟦⟧，,。；、]{0,12}?"
               r"(?=⟦|[，,:：]?(?:包括|如|即|分别为|分别是)[：:]?⟦)"),
    re.compile(r"(?P<p>⟦[FO]\d+⟧)系[^⟦⟧，,。；、]{0,8}?(?=⟦)"),                  # "某某时代系产业平台晨星资本"
    re.compile(r"母公司(?:为|是)?(?P<p>⟦[FO]\d+⟧)|(?P<p2>⟦[FO]\d+⟧)(?:是|为)⟦[FO]\d+⟧的母公司"),
    re.compile(r"(?P<p>⟦[FO]\d+⟧)(?:担任|作为|为)(?:本轮|本次|该轮)?(?:融资)?(?:的)?(?:独家|首席)?"
               r"(?:基金管理人|管理人|普通合伙人|GP|管理机构|财务顾问|FA)"),
]
# "中金资本旗下基金": an unnamed fund of a named firm is the firm's money
UNNAMED_FUND = re.compile(r"(?P<p>⟦[FO]\d+⟧)(?:旗下|下属)(?:的)?(?:基金|子基金|产业基金|投资平台|平台|机构)")
PARENS = re.compile(r"[（(][^（）()]{0,40}[）)]")


@dataclass
class _Round:
    pos: int                    # where its anchor starts in the placeholder text
    end: int
    money: Money | None
    name: str | None
    recipients: list = field(default_factory=list)     # slots
    investors: dict = field(default_factory=dict)      # entity key -> rule
    date: str | None = None
    conf: float = 0.85
    records: list = field(default_factory=list)       # the FundingRounds made from it
    alt: Money | None = None    # "1.2亿美元(约合人民币8.7亿元)": the same figure converted


@dataclass
class Investment:
    investor: str               # entity keys
    recipient: str
    rule: str
    confidence: float


def tag(sent: Sentence, slots: list, moneys: list[tuple[int, int, Money]]) -> str:
    """Placeholder text: mentions and money figures replaced, parentheticals dropped (an alias,
    a conversion ``(约合人民币8.7亿元)`` or a manager note is never a list item or a round)."""
    items = [(s.start - sent.start, s.end - sent.start, f"⟦{KIND.get(s.label, 'X')}{i}⟧")
             for i, s in enumerate(slots)]
    items += [(a, b, f"⟦${j}⟧") for j, (a, b, _) in enumerate(moneys)]
    parts, pos = [], 0
    for a, b, token in sorted(items):
        if a < pos:
            continue
        parts += [sent.text[pos:a], token]
        pos = b
    parts.append(sent.text[pos:])
    text = "".join(parts)
    while (m := PARENS.search(text)):
        text = text[:m.start()] + text[m.end():]
    return text


def _ids(text: str) -> list[int]:
    return [int(i) for i in re.findall(r"⟦[PFOX](\d+)⟧", text)]


class FundingReader:
    """Reads one document's sentences in order; ``read`` returns the sentence's new rounds with a
    figure and its investments.  Rounds keep growing after they are returned: investors named in
    the next sentence join them, and a later, fuller report of the same round (the body after the
    headline) replaces its figure."""

    def __init__(self):
        self.sentences = 0
        self.paragraph: list[_Round] = []     # rounds of the current paragraph
        self.records: list[FundingRound] = []  # every round returned so far
        self.last_end = -1
        self.last_round: _Round | None = None
        self.since_round = 0                   # sentences read since the last round
        self.alt: dict[int, Money] = {}        # id(FundingRound) -> its figure in another currency
        self.year: str | None = None
        self.recent: list = []                 # (company slot, sentence number), latest last
        self.known: dict = {}                  # surface form -> slot of the companies named so far

    def read(self, sent: Sentence, slots: list) -> tuple[list[FundingRound], list[Investment]]:
        slots = [s for s in slots if not s.virtual
                 and not NOT_A_PARTY.fullmatch(sent.text[s.start - sent.start:s.end - sent.start])]
        if sent.start != self.last_end:                  # a new line is a new paragraph
            self.paragraph = []
        self.last_end = sent.end
        moneys = find_money(sent.text, bare=True)
        text = tag(sent, slots, moneys)
        parents = {slots[i].key for i in self._parents(text)}
        text = UNNAMED_FUND.sub(lambda m: m.group("p"), text)
        for rx in PARENT_RULES[:2]:
            text = rx.sub("", text)
        hits = self._investor_hits(text, slots, parents)
        rounds = self._rounds(text, moneys, sent.text)
        rounds_out: list[FundingRound] = []
        invest: list[Investment] = []
        self.since_round += 1
        self.sentences += 1
        if rounds and not hits:
            hits = self._cooccurring(text, slots, parents)
        if rounds or hits:
            self._recipients(text, slots, rounds, hits, parents)
            rounds_out = self._records(sent, rounds, text)
            self._assign(rounds, hits, slots, invest, text)
        for y in YEAR.findall(sent.text):
            self.year = y
        investors = {slots[i].key for _, invs, _, _ in hits for i in invs}
        named = [s for s in slots if s.label in ("Company", "ResearchLab") and s.key not in investors | parents]
        self._remember(sent, slots, named)
        return rounds_out, invest

    def _remember(self, sent: Sentence, slots: list, named: list) -> None:
        """Companies named in this sentence, in order, for 该公司 later; a company named earlier
        in the document counts again where its name recurs unrecognized ("…的是星河智能。")."""
        found = [(s.start - sent.start, s) for s in named]
        for surface, slot in self.known.items():
            if surface not in sent.text:       # most names of the document are not in this sentence
                continue
            # "天脉网" is not "天脉": the name must end where a word ends
            for m in re.finditer(re.escape(surface)
                                 + r"(?=$|[\s，,。；;：:、！？!?（(“”\"的是在于与和及将已也都宣获完])", sent.text):
                if not any(x.start - sent.start <= m.start() < x.end - sent.start for x in slots):
                    found.append((m.start(), slot))
        for s in named:
            self.known.setdefault(sent.text[s.start - sent.start:s.end - sent.start], s)
        self.recent = (self.recent + [(x, self.sentences) for _, x in sorted(found, key=lambda t: t[0])])[-8:]

    # ------------------------------------------------------------ parts of a sentence
    @staticmethod
    def _parents(text: str) -> set[int]:
        out = set()
        for rx in PARENT_RULES:
            for m in rx.finditer(text):
                out.update(_ids(m.group("p") or (m.group("p2") if "p2" in rx.groupindex else "")))
        return out

    @staticmethod
    def _investor_hits(text: str, slots: list, parents: set[str]):
        """(position, investor slot indices, object slot index or None, rule) for every rule hit."""
        hits = []
        for rule in INVESTOR_RULES:
            for m in rule.regex.finditer(text):
                invs = [i for i in _ids(m.group("inv")) if slots[i].key not in parents and slots[i].label in KIND]
                # "X…，A是其股东": 其 is the company the clause before is about
                groups = rule.regex.groupindex
                obj_group = "obj" if "obj" in groups else "its" if "its" in groups else None
                obj = _ids(m.group(obj_group))[0] if obj_group and m.group(obj_group) else None
                if invs:
                    hits.append((m.start("inv"), invs, obj, rule))
        return hits

    @staticmethod
    def _cooccurring(text: str, slots: list, parents: set[str]):
        """A round's sentence that names investment firms in no listed shape ("打动了A和B，拿到了
        1000万元天使轮融资"): the firms are its investors, with less confidence."""
        firms = [i for i in _ids(text) if slots[i].label == "InvestmentFirm" and slots[i].key not in parents]
        return [(text.index(f"⟦F{i}⟧"), [i], None, COOCCUR) for i in firms]

    def _rounds(self, text: str, moneys, raw: str) -> list[_Round]:
        rounds: list[_Round] = []
        for m in re.finditer(r"⟦\$(\d+)⟧", text):
            _, money_end, money = moneys[int(m.group(1))]
            clause_start = max(text.rfind(c, 0, m.start()) for c in "，,；;：:。") + 1
            before, after = text[clause_start:m.start()], text[m.end():]
            near = text[max(0, m.start() - 25):m.end() + 15]
            if (NOT_ROUND.search(before[-14:]) or NOT_ROUND_AFTER.search(after) or CONVERSION.search(before)
                    or GENERIC_SIZE.search(before[-6:]) or not FUNDING_WORD.search(near)):
                continue
            if SPENDING.search(before[-8:]) and not re.search(r"融资|轮|领投|跟投|(?:向|对|入股)⟦[OF]",
                                                                text[clause_start:m.end() + 15]):
                continue
            if money.bare and not re.match(r"[^，,。⟦]{0,3}?(?:级|的)?[^，,。⟦]{0,8}?(?:融资|轮)", after):
                continue
            conv = CONVERTED.match(raw[money_end:])
            alt = find_money(conv.group(1), bare=True) if conv else []
            rounds.append(_Round(m.start(), m.end(), money, None, alt=alt[0][2] if alt else None))
        for m in ROUND.finditer(text):
            # the round name belongs to the nearest figure without one: "1亿元A轮、3亿元B轮"
            gaps = [(max(m.start() - r.end, r.pos - m.end()), i) for i, r in enumerate(rounds)]
            free = [(gap, i) for gap, i in gaps if gap <= 20 and rounds[i].name is None]
            if free:
                nearest = rounds[min(free)[1]]
                nearest.name = m.group(1)
                nearest.pos, nearest.end = min(nearest.pos, m.start()), max(nearest.end, m.end())
            elif not any(gap <= 20 for gap, _ in gaps) and (re.match(r"[^，,。]{0,4}融资", text[m.end():])
                                                           or "融资" in m.group(1)):
                rounds.append(_Round(m.start(), m.end(), None, m.group(1)))
        rounds.sort(key=lambda r: r.pos)
        for r in rounds:
            if r.name and r.name.startswith("新一轮"):
                r.name = None
        return rounds

    def _recipients(self, text, slots, rounds, hits, parents):
        blocked = {slots[i].key for _, invs, _, _ in hits for i in invs} | parents
        for r in rounds:
            found = self._named_recipient(text, r.pos, slots, blocked)
            if found:
                r.recipients, r.conf = found, 0.85
                continue
            clause_head = text[:r.pos][max(text.rfind(c, 0, r.pos) for c in "。；;") + 1:]
            companies = [i for i in _ids(text)
                         if self._may_raise(slots[i], blocked) and slots[i].label != "InvestmentFirm"]
            if companies and not RAISE_PRONOUN.search(clause_head):
                r.recipients, r.conf = [slots[companies[0]]], 0.75
            elif RAISE_VERB.search(text) or r.name or hits:
                # "该公司宣布完成B轮融资": the company of the context; a figure with no raiser
                # ("动辄十数亿美元的融资") is talk about money, not a round
                ctx = self._context_recipient(blocked)
                r.recipients, r.conf = ([ctx], 0.6) if ctx is not None else ([], 0.0)

    @staticmethod
    def _may_raise(slot, blocked: set[str]) -> bool:
        return slot.key not in blocked and slot.label in ("Company", "ResearchLab", "Organization", "InvestmentFirm")

    def _named_recipient(self, text: str, pos: int, slots, blocked: set[str]) -> list:
        """The companies the sentence says raise the money at ``pos``: the subject of 完成/获得
        (each of a listed subject), the object of 投资/领投, or X in "X的B轮融资"."""
        head = text[:pos].rstrip("。；;！？!? ")
        clause_head = head[max(head.rfind(c) for c in "。；;") + 1:]
        found = []
        for m in re.finditer(rf"(?P<s>{ONE}(?:{SEP}{ONE})*)(?:等[^⟦⟧，,。]{{0,6}}?)?[^⟦⟧。；;]{{0,25}}?"
                             rf"(?:{T['raise']})", clause_head):
            cand = [i for i in _ids(m.group("s")) if self._may_raise(slots[i], blocked)
                    and slots[i].label != "InvestmentFirm"]
            lead_in = clause_head[:m.start()]
            if cand and not re.search(rf"(?:由|{T['party']})$", lead_in):
                # "这家成立仅50天的机器人公司": a description of the company named before
                found = [] if DESCRIBED.search(lead_in) else cand
        for rx in (rf"(?:{T['lead']}|{T['follow']}|{T['invest']}|为|向)(?:了)?(?P<s>⟦[OF]\d+⟧)",
                   r"(?P<s>⟦O\d+⟧)(?:的|本轮|此轮)?[^⟦⟧，,。]{0,8}融资|(?P<s2>⟦O\d+⟧)的[^⟦⟧，,。]{0,8}(?:轮|投资)"):
            obj = None if found else re.search(rx, text)
            found = found or ([i for i in _ids(obj.group("s") or obj.group("s2") or "")
                               if self._may_raise(slots[i], blocked)]
                              if obj else [])
        return [slots[i] for i in found]

    def _context_recipient(self, blocked: set[str]):
        """The company named or funded last in the sentences just before; further back the text
        has moved on (a site name in the header is no recipient)."""
        for s, seen in reversed(self.recent):
            if s.key not in blocked and self.sentences - seen <= CONTEXT_SENTENCES:
                return s
        return None

    def _open_round(self, text: str, rule: InvestorRule) -> _Round | None:
        """The round a sentence without one continues: the paragraph's, or the document's last
        when the sentence says 本轮 or lists investors by kind, or follows it closely."""
        if self.paragraph:
            return self.paragraph[-1]
        if self.last_round and (SAME_ROUND.search(text) or rule.name == "invest-labelled" or self.since_round <= 3):
            return self.last_round
        return None

    def _assign(self, rounds, hits, slots, invest: list[Investment], text: str):
        for pos, invs, obj, rule in hits:
            if obj is not None and obj not in invs:
                for i in invs:
                    invest.append(Investment(slots[i].key, slots[obj].key, rule.name, rule.confidence))
                    for r in rounds:            # "腾讯以5000万元入股星河智能": the round's investor too
                        if any(rec.key == slots[obj].key for rec in r.recipients):
                            self._join(r, slots[i].key, rule)
                continue
            before = [r for r in rounds if r.pos <= pos and r.recipients]
            after = [r for r in rounds if r.recipients]
            # "本轮融资由A领投，B跟投" after the sentence that named the round
            target = before[-1] if before else after[0] if after else self._open_round(text, rule)
            if target is None:
                # "云帆机器人获得了A的战略投资": an investment with no round to join
                blocked = {slots[i].key for i in invs}
                for rec in self._named_recipient(text, len(text), slots, blocked):
                    invest += [Investment(slots[i].key, rec.key, rule.name, rule.confidence - 0.05) for i in invs]
                continue
            for rec in target.recipients:
                for i in invs:
                    if slots[i].key != rec.key:
                        self._join(target, slots[i].key, rule)
                        invest.append(Investment(slots[i].key, rec.key, rule.name,
                                                 min(rule.confidence, target.conf + 0.1)))

    @staticmethod
    def _join(r: _Round, investor: str, rule: InvestorRule) -> None:
        r.investors.setdefault(investor, rule.name)
        for record in r.records:
            if investor != record.recipient and investor not in record.investors:
                record.investors = sorted(record.investors + [investor])

    def _records(self, sent: Sentence, rounds: list[_Round], text: str) -> list[FundingRound]:
        out = []
        for r in rounds:
            # a round whose raiser is unknown still takes the investors of the next sentence,
            # so that they join no other round
            self.paragraph.append(r)
            self.last_round, self.since_round = r, 0
            if not r.recipients:
                continue
            r.date = self._date(text, r.pos)
            last = r.recipients[-1]
            self.recent = [x for x in self.recent if x[0].key != last.key] + [(last, self.sentences)]
            if r.money is None:
                continue
            for rec in r.recipients:
                record = FundingRound(
                    recipient=rec.key, amount=r.money.amount, currency=r.money.currency,
                    approximate=r.money.approximate or len(r.recipients) > 1, round=r.name,
                    investors=sorted(k for k in r.investors if k != rec.key), date=r.date,
                    evidence=Evidence(sent.doc_id, sent.index, sent.start, sent.end, sent.text,
                                      "funding-round", r.conf),
                    surface=r.money.text)
                same = next((f for f in self.records if self._same_round(f, record, r.alt)), None)
                if same is None:
                    self.records.append(record)
                    if r.alt:
                        self.alt[id(record)] = r.alt
                    out.append(record)
                    r.records.append(record)
                else:
                    # the headline's "获8.7亿天使轮融资" and the body's "1.2亿美元的天使轮融资"
                    # a figure with its currency beats one without, then the surer reading
                    if (not _bare(same), same.evidence.confidence) <= (not r.money.bare, record.evidence.confidence):
                        for attr in ("recipient", "amount", "currency", "approximate", "evidence", "surface"):
                            setattr(same, attr, getattr(record, attr))
                        same.date = same.date or record.date
                    same.investors = sorted(set(same.investors) | set(record.investors))
                    same.round, same.date = same.round or record.round, same.date or record.date
                    r.records.append(same)
        return out

    def _same_round(self, a: FundingRound, b: FundingRound, b_alt: Money | None) -> bool:
        """One round reported twice: the same named round of one recipient, or the same figure
        (maybe converted: a headline's "获8.7亿天使轮融资" and the body's "1.2亿美元(约合人民币8.7亿
        元)的天使轮融资"); a headline's guessed recipient gives way to the body's."""
        same_figure = (_equal(a.amount, a.currency, Money(b.amount, b.currency, False, "")) or
                       _equal(a.amount, a.currency, b_alt) or _equal(b.amount, b.currency, self.alt.get(id(a))))
        if a.recipient != b.recipient:
            return a.evidence.confidence <= 0.6 and bool(a.round) and a.round == b.round and same_figure
        if a.round and b.round:
            return a.round == b.round
        # "A、B和C先后完成超十亿级融资" and later "C完成B轮融资超10亿元": one round of C
        return same_figure

    def _date(self, text: str, pos: int) -> str | None:
        """The year (and month) the sentence gives for the round at ``pos`` (the last date before
        it, else the first after); a bare month takes the year named last."""
        dates = list(DATE.finditer(text))
        before = [d for d in dates if d.start() < pos]
        m = before[-1] if before else dates[0] if dates else None
        if not m:
            return None
        if m.group(1):
            return m.group(1) + (f"-{int(m.group(2)):02d}" if m.group(2) else "")
        return f"{self.year}-{int(m.group(3)):02d}" if self.year else None


def _bare(f: FundingRound) -> bool:
    return not re.search(r"[元币金]$", f.surface)


def _equal(amount: float, currency: str, m: Money | None) -> bool:
    return m is not None and m.currency == currency and abs(m.amount - amount) <= 0.01 * amount


# ------------------------------------------------------------------ investor-list NER
PIECE = re.compile(r"[^，,。；;：:！？!?（）()“”\"]+")
VERB_LIST = re.compile(rf"^(?P<list>.+?)(?:等[^、]{{0,10}}?)?(?:共同|联合|一起|继续|持续|也|均|亦|再次)?"
                       rf"(?:{T['lead']}|{T['follow']}|{T['listed']})")
PARTY_LIST = re.compile(rf"(?:{T['party']})(?:阵容|名单)?[^、]{{0,4}}?"
                        r"(?:包括|为|是|有|涵盖|包含|分别为|分别是|还有|主要有)"
                        r"(?P<list>.+?)(?:等[^、]*)?$")
ITEM_PREFIX = re.compile(r"^(?:由|包括|以及|还有|及|和|与|其中|另有|现有|原有|新老|种子轮|天使轮|[A-F]轮)*"
                         rf"(?:{T['party']})?")
# a company's generic description, not its name: "产业平台晨星资本"
ITEM_DESCRIPTOR = re.compile(r"^(?:[\u4e00-\u9fff]{0,2}(?:平台|机构)|子公司|产业基金)")
ITEM_STOP = re.compile(r"[的了是在有将已被把对说要于从向也都还就等这那其]|^为|完成|获得|宣布|融资|轮|"
                       r"[\d数几十百千][万亿]|[万亿]元|家$|\d{4}|^\d|"
                       r"^(?:多家|机构|投资机构|知名|其他|同时|继续|另外|股东|央企|国资|基金|子基金|产业基金|"
                       r"子公司|平台|团队|公司|企业)$|"
                       r"巨头|厂商|大厂|玩家|们$|纷纷|不断|大幅|持续|继续|资本方|投资人")
# a sentence whose lists may name investors
FUNDING_SENTENCE = re.compile(rf"融资|轮|{T['lead']}|跟投|参投|{T['party']}")
SUFFIX_ONLY = re.compile(r"资本|创投|投资|基金|科技|集团|控股|资管|投控|智能|股份|银行|证券|创新|产业|科创|资产")
NAME = r"(?:(?!公司|企业)[\u4e00-\u9fffA-Za-z0-9]){2,10}?"
FILLER = (r"宣布|已经|已|正式|近日|近期|日前|今日|今天|昨日|刚刚|又|再|再度|也|先后|相继|纷纷|均|都|"
          r"成功|顺利|率先|此前|之前|早前|曾经|曾|"
          r"今年|去年|前年|年初|年底|年内|此次|本次|近来|"
          r"于\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日")
RAISER_STOP = re.compile(rf"^(?:{FILLER})|(?:{FILLER})$|[我你他她它们这那哪谁该其每各此]|"
                         r"公司|企业|机构|团队|赛道|行业|^\d|月$|"
                         r"^(?:产品|项目|平台|技术|模型|创业者|初创|市场|资本|资金|领域|本轮|此轮|该轮)")
COMPANY_WORD = re.compile(r"公司|集团|银行|科技|控股|股份|证券|保险|石化|电信|移动|联通|汽车|电子")
PLACE_NAME = re.compile(r"中国|美国|日本|欧洲|北京|上海|深圳|杭州|广州|香港|全球|国内|海外|"
                        r"[\u4e00-\u9fff]{1,3}[省市县区]")


def _items(body: str, base: int) -> list[tuple[int, int]]:
    """Split a list on 、 and on 和/与/及 between two names (never inside 云和资本)."""
    out = []
    for m in re.finditer(r"[^、/]+", body):
        parts = [(m.start(), m.group(0))]
        for sep in ("以及", "与", "及", "和"):
            done = []
            while parts:
                a, part = parts.pop(0)
                cuts = [i for i in (m.start() for m in re.finditer(sep, part))
                        if i >= 2 and len(part) - i - len(sep) >= 2
                        and not SUFFIX_ONLY.fullmatch(part[i + len(sep):]) and not SUFFIX_ONLY.fullmatch(part[:i])]
                if cuts:            # "A和B和C": split at the first and look at the rest again
                    done.append((a, part[:cuts[0]]))
                    parts.insert(0, (a + cuts[0] + len(sep), part[cuts[0] + len(sep):]))
                else:
                    done.append((a, part))
            parts = done
        for a, part in parts:
            prefix = ITEM_PREFIX.match(part)
            assert prefix is not None       # every part of the pattern is optional
            pre = prefix.end()
            rest, last, subs = part[pre:], 0, []
            for sm in re.finditer(r"旗下的?|下属的?|系(?!统|列)", rest):
                subs.append((last, rest[last:sm.start()]))
                last = sm.end()
            subs.append((last, rest[last:]))
            for off, sub in subs:
                desc = ITEM_DESCRIPTOR.match(sub)
                off, sub = (off + desc.end(), sub[desc.end():]) if desc else (off, sub)
                name = sub.strip()
                if 2 <= len(name) <= 16 and not ITEM_STOP.search(name):
                    start = base + a + pre + off + (len(sub) - len(sub.lstrip()))
                    out.append((start, start + len(name)))
    return out


LABELLED = re.compile(rf"^[^：:，,。]{{0,8}}(?:{LIST_LABEL})[：:](?P<list>.+?)(?:等[^、，,]*)?[；;。]?$")
LABELLED_ITEM = re.compile(r"[^，,、；;。]+")


def investor_list_spans(text: str) -> list[tuple[int, int]]:
    """Items of investor lists (``由A与B联合领投``, ``投资方包括A、B和C``, ``领投方有两家：A、B``,
    ``产业方：A、B等``), as character spans."""
    out = []
    # a parenthetical (an alias, a manager) is no list item and does not end one
    text = PARENS.sub(lambda p: "，" * len(p.group(0)), text)
    m = LABELLED.match(text)
    if m:
        for item in LABELLED_ITEM.finditer(m.group("list")):
            opener = re.match(r"^(?:除了|还有|以及|另有|包括)?", item.group(0))
            assert opener is not None       # the pattern is optional, it matches at least ""
            lead = opener.end()
            out += _items(item.group(0)[lead:], m.start("list") + item.start() + lead)
        return out
    if not FUNDING_SENTENCE.search(text):
        return out
    pieces = list(PIECE.finditer(text))
    listing = False          # the piece before was a list introduced by a party word
    for k, piece in enumerate(pieces):
        body = piece.group(0)
        m = VERB_LIST.match(body) or PARTY_LIST.search(body)
        after_party = k and set(text[pieces[k - 1].end():piece.start()]) <= set("：:，, ") and (
            listing or text[piece.start() - 1] in "：:" and re.search(T["party"], pieces[k - 1].group(0)))
        if m:
            lst, base = m.group("list"), piece.start() + m.start("list")
            listing = m.re is PARTY_LIST
        elif after_party and not ITEM_STOP.search(body):
            lst, base = re.sub(r"等[^、]*$", "", body), piece.start()
            listing = True
        else:
            listing = False
            continue
        cut = lst.rfind("由") + 1                  # "宣布完成融资由A领投": the list starts after 由
        out += _items(lst[cut:], base + cut)
    return out


# "今日，某某科技宣布完成…融资", "A、B和C等企业相继完成…融资": the companies raising money
RAISER = re.compile(rf"(?:^|(?<=[，,。：:；;\s的是])|(?<=公司)|(?<=企业)|(?<=获悉))"
                    rf"(?P<list>{NAME}(?:(?:、|和|与|及){NAME})*)(?:等[^，,。]{{0,6}}?)?"
                    rf"(?:{FILLER})*(?:完成|获得|获|拿到|斩获|官宣)(?:了)?[^，,。]{{0,16}}?(?:融资|投资|注资)"
                    rf"|(?:领投|跟投|参投|投资|注资)(?:了)?(?P<obj>{NAME})的[^，,。]{{0,12}}?(?:融资|轮)")


def raiser_spans(text: str) -> list[tuple[int, int]]:
    out = []
    for m in RAISER.finditer(text):
        group = "list" if m.group("list") else "obj"
        for a, b in _items(m.group(group), m.start(group)):
            filler = re.match(rf"(?:{FILLER})*", text[a:b])
            assert filler is not None       # "(…)*" matches at least ""
            lead = filler.end()             # "此前星河智能已完成": 此前 is no part
            if b - a - lead >= 2 and not RAISER_STOP.search(text[a + lead:b]):
                out.append((a + lead, b))
    return out


def _label(name: str, default: str) -> str:
    cls = type_org(name)
    if cls == "Company" and default == "InvestmentFirm" and not COMPANY_WORD.search(name):
        return default
    return cls


@Language.factory("investor_mentions")
def make_investor_mentions(nlp: Language, name: str):
    def investor_mentions(doc: Doc) -> Doc:
        spans, text = [], doc_text(doc)
        # angel investors are people: an item the NER reads as a person stays one, when it is as
        # short as a Chinese personal name (a four-character firm name is often misread)
        persons = [(p.start_char, p.end_char) for p in doc.spans.get("ner", [])
                   if p.label_ == "PER" and p.end_char - p.start_char <= 3]
        for spans_of, default in ((investor_list_spans, "InvestmentFirm"), (raiser_spans, "Company")):
            for a, b in spans_of(text):
                name = text[a:b]
                if PLACE_NAME.fullmatch(name) or any(x <= a and b <= y for x, y in persons):
                    continue
                span = doc.char_span(a, b, label=_label(name, default), alignment_mode="strict")
                if span is not None:
                    spans.append(span)
        # "小米顺为", "美团龙珠": a listed investor that runs on past a KB company's name is that
        # company's fund, not the company
        kb = [(k.start_char, k.end_char) for k in doc.spans.get("kb", [])]
        arms = [sp for sp in spans if sp.label_ == "InvestmentFirm"
                and any(sp.start_char <= a and b <= sp.end_char and (a, b) != (sp.start_char, sp.end_char)
                        for a, b in kb)]
        doc.spans["fund_arm"] = arms
        doc.spans["investor"] = [sp for sp in spans if sp not in arms]
        return doc
    return investor_mentions
