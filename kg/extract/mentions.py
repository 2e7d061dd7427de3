"""Mentions: the span groups of the spaCy pipeline -> typed, non-overlapping ``Mention``s.

Precedence when spans overlap: the knowledge base (linked, typed), then cue patterns, then the
statistical NER; within one source the longer span wins.  Statistical ORG spans are typed by
their suffix; spans inside garbled text and junk spans are dropped.
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc, Span

from ..graph.vocab import ORG_TYPES as ORG_CLASSES
from .doctext import doc_text
from .kb import load_kb
from .records import Mention, Sentence

PRIORITY = {"fund_arm": -1, "kb": 0, "investor": 1, "cue": 2, "ner": 3}
# suffix -> class, checked in order; the first that matches wins
ORG_SUFFIXES = [
    (re.compile(r"(大学|学院|University|College)$"), "University"),
    (re.compile(r"(基金|资本|创投|投资|Capital|Ventures|Partners)$"), "InvestmentFirm"),
    (re.compile(r"(战投|风投|投控|资管|资产管理|有限合伙|Fund|VC|Investment|Investments)$"), "InvestmentFirm"),
    (re.compile(r"(实验室|研究院|研究所|研究中心|Lab|Labs)$"), "ResearchLab"),
    (re.compile(r"(新闻|日报|晚报|周刊|杂志|时报|电视台|传媒|媒体)$"), "MediaOutlet"),
    (re.compile(r"(协会|联盟|委员会|部|局|政府|组织)$"), "Organization"),
]
PLACE = re.compile(r"^(中国|美国|日本|韩国|英国|法国|德国|欧洲|印度|硅谷|北京|上海|深圳|杭州|广州|香港|台湾|"
                   r"海外|国内|全球|世界)$|[国省市县区州]$")
JUNK_ORG = re.compile(r"^(?:具身智能|人工智能|自动驾驶|机器人|AI|大模型|芯片|科技|技术|互联网|智能|创业|初创)+"
                      r"(?:技术|科技)?"
                      r"(?:公司|企业|厂商)$|^(?:联创|高管|合伙人|创始人|同事|团队|新创|初创|独角兽|巨头|新势力)$|"
                      r"(?:专项|项目|计划|方向|事业群|事业部|行业|背景|网络)$|^(?:已|累计|共|还|再|又|已经)|"
                      r"^(?:产业|引导|政府|母|子|专项|并购|旗下|一只|多家|知名|该|这只)(?:基金|资本|投资|集团)$|"
                      r"^(?:具身|人工|通用|端侧|机器|群体|混合|增强|决策|感知|认知|更|.*人工)智能$|[年月日]内|"
                      r"^[A-Z]{2,5}$|^[A-Za-z]+$|^(生成式AI|语音识别|大公司|大厂|大模型|人工智能|AI|新时代)$|"
                      r"^.{0,4}(公司|企业|办公室|团队|部门)$|^(从|在|对|和)|技术$|很多|一些|这个|那个|相信|觉得|认为|"
                      r"^(一部分|大部分|小部分|部分|其中|所有|每个|各个|不少|许多)")
# "一家AI公司": a generic term before 公司 is not a company name
GENERIC_TERM = re.compile(r"^(AI|AIGC|AGI|IT|APP|App|SaaS|IoT|LLM|GPU|CPU|Web3|VR|AR|XR|ToB|ToC)$")
# A lab named after its parent: "谷歌翻译实验室" is a lab of the KB's 谷歌, not 谷歌 itself
LAB_TAIL = re.compile(r"^[\u4e00-\u9fffA-Za-z]{0,4}?(?:实验室|研究院|研究所)")
NOT_PERSON = re.compile(r"[\dA-Za-z]{1}$|^(老板|总理|主席|大佬|同学|老师|先生|女士)$")


# "通义千问3", "Llama 2", "GLM-4.5", "Qwen-VL": a KB model family with a version or variant is a
# member of that family, an entity of its own (not parameter counts: "通义千问18亿")
VERSION_TAIL = re.compile(r"^(?:[-. ]?[A-Z]?\d+(?:\.\d+)*(?![\d.])[A-Za-z]?(?![亿万千百个年月日元%])(?:-[A-Za-z]+)*"
                          r"|-[A-Za-z]+(?:-[A-Za-z0-9]+)*)")
# "vivo X100", "DeepSeek V3": a maker's name with a model code is a product (a model when the
# maker is known for models)
MODEL_CODE = re.compile(r"^\s?[A-Z]{1,2}\d+(?:\.\d+)?[A-Za-z]?(?:\s(?:Pro|Max|Ultra|Plus|Lite|Mini))?(?![A-Za-z0-9])")
# "某某创投", "某某战投": the venture arm of a KB company is an investor of its own
FUND_TAIL = re.compile(r"^(?:创投|战投|资本|基金|产业基金)(?![\u4e00-\u9fff]{0,2}(?:公司|部))")
# NER often stops before the company-kind word: "星云" + "智能"
ORG_TAIL = re.compile(r"^(?:智能|科技|集团|网络|数据|机器人|技术(?!长)|控股|资本|基金|创投|实验室|研究院|大学|"
                      r"影像|软件)")
# "金山网络" and "金山安全" are companies of their own, not the KB's 金山
SUBSIDIARY_TAIL = re.compile(r"^(?:网络|安全|影像|软件|云)")
# "百度战投", "腾讯投资": a company's investment arm is an investor of its own
INVESTOR_TAIL = re.compile(r"^(?:战投|风投|创投|资本|投资(?=[、，,。；;和与及等领跟参（(]|$)|产投)")


def type_org(name: str) -> str:
    for pattern, cls in ORG_SUFFIXES:
        if pattern.search(name):
            return cls
    return "Company"


def _candidate(span: Span, source: str, sentence_text: str) -> tuple[str, str | None, int] | None:
    """(ontology class, kb name, end offset) for a span, or None for junk."""
    text = sentence_text[span.start_char:span.end_char].strip()
    if source == "kb":
        tail = LAB_TAIL.match(sentence_text[span.end_char:])
        if tail:
            return "ResearchLab", None, span.end_char + len(tail.group(0))
        code = MODEL_CODE.match(sentence_text[span.end_char:]) if span.label_ == "Company" else None
        if code:
            maker = span.kb_id_ in load_kb().model_makers
            return ("AIModel" if maker else "Product"), None, span.end_char + len(code.group(0))
        version = VERSION_TAIL.match(sentence_text[span.end_char:]) if span.label_ in ("AIModel", "Product") else None
        if version:
            return span.label_, None, span.end_char + len(version.group(0))
        fund = FUND_TAIL.match(sentence_text[span.end_char:]) if span.label_ in ORG_CLASSES else None
        if fund:
            return "InvestmentFirm", None, span.end_char + len(fund.group(0))
        arm = (INVESTOR_TAIL.match(sentence_text[span.end_char:])
               if span.label_ in ("Company", "InvestmentFirm") else None)
        if arm:
            return "InvestmentFirm", None, span.end_char + len(arm.group(0))
        sub = SUBSIDIARY_TAIL.match(sentence_text[span.end_char:]) if span.label_ == "Company" else None
        if sub and not span.text.endswith(sub.group(0)):      # "阿里云云盾" is no "阿里云云"
            return "Company", None, span.end_char + len(sub.group(0))
        return span.label_, span.kb_id_, span.end_char
    if source == "cue":
        if span.label_ == "Company" and (GENERIC_TERM.match(text) or
                                         re.search(r"[\u4e00-\u9fff]", text) and JUNK_ORG.search(text)):
            return None
        return (type_org(text) if span.label_ == "Company" else span.label_), None, span.end_char
    if source in ("investor", "fund_arm"):     # investor-list items and fund-raisers, typed by kg.extract.funding
        return span.label_, None, span.end_char
    if span.label_ == "PER":
        if len(text) < 2 or len(text) > 12 or NOT_PERSON.search(text) and not re.search(r"[A-Za-z]{2,} [A-Za-z]", text):
            return None
        return "Person", None, span.end_char
    if span.label_ == "ORG":
        tail = ORG_TAIL.match(sentence_text[span.end_char:])
        if tail:
            text += tail.group(0)
        if len(text) < 2 or PLACE.search(text) or JUNK_ORG.search(text):
            return None
        return type_org(text), None, span.start_char + len(text)
    return None


# A list shares its kind: "A、B、C等车企" or a list most of whose members are already typed
LIST_LEAD = re.compile(r"[，,：:；;（(“\"\s—]|在|包括|例如|比如|以及|还有|涵盖|其中|投资方|领投方|跟投方|参投方|"
                       r"如|有|由|是|为|和|与|及")
LIST_HEAD = re.compile(r"^(?P<item>[A-Za-z][A-Za-z0-9.\- ]*[A-Za-z0-9](?![A-Za-z0-9])"
                       r"|.+?(?=等|和|及|与|以及|[，,。；;：:）)”\"\s]|的|$))")
LIST_ITEM = re.compile(r"[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9·\- ]{0,7}|[A-Za-z][A-Za-z0-9.\- ]{0,19}")
LIST_KIND_AFTER = [(re.compile(r"^等+(?:\d+余?家|多家|[一二三四五六七八九十几数]+家)?[^，,。；;]{0,6}?"
                               r"(?:企业|公司|车企|厂商|品牌|大厂|巨头|平台|独角兽)"), "Company"),
                   (re.compile(r"^等+(?:\d+余?家|多家|[一二三四五六七八九十几数]+家)?[^，,。；;]{0,6}?"
                               r"(?:投资机构|机构|资方|投资方|基金|股东)"), "InvestmentFirm"),
                   (re.compile(r"^等+[^，,。；;]{0,6}?(?:大模型|模型)"), "AIModel")]
_LIST_STOP = re.compile(r"[我你他她它这那是的了在有做个些也都就还所比如以为被把让从对说要将已于年月日宣布完成]")


def _list_members(text: str, taken: list[tuple[int, int]],
                  typed: dict[tuple[int, int], str]) -> list[tuple[int, int, str]]:
    """Members of "、" lists that no component found, typed like the list (sentence offsets)."""
    out = []
    pieces, pos = [], 0
    for part in text.split("、"):
        pieces.append((pos, pos + len(part)))
        pos += len(part) + 1
    chains, cur = [], []
    for i, (a, b) in enumerate(pieces):
        cur.append((a, b))
        if i == len(pieces) - 1 or re.search(r"[，,。；;：:]", text[a:b]) and len(cur) > 1:
            chains.append(cur)
            cur = [(a, b)]
    for chain in chains:
        if len(chain) < 2:
            continue
        items = []
        for j, (a, b) in enumerate(chain):
            if j == 0:
                known = next(((x, y) for (x, y) in typed if y == b and a <= x), None)
                if known:
                    items.append(known)
                    continue
                leads = list(LIST_LEAD.finditer(text[a:b]))
                a = a + (leads[-1].end() if leads else 0)
            elif j == len(chain) - 1:
                known = next(((x, y) for (x, y) in typed if x == a and y <= b), None)
                if known:
                    items.append(known)
                    tail_at = known[1]
                    continue
                m = LIST_HEAD.match(text[a:b])
                b = a + m.end("item") if m else a
            items.append((a, b))
        tail_at = items[-1][1]
        kinds = [typed[i] for i in items if i in typed]
        label = next((lab for rx, lab in LIST_KIND_AFTER if rx.match(text[tail_at:])), None)
        if label is None:
            common = max(set(kinds), key=kinds.count) if kinds else None
            latin = all(re.fullmatch(r"[A-Za-z][A-Za-z0-9.\- ]+", text[a:b].strip()) for a, b in items)
            if not common or (kinds.count(common) < 2 and not latin) or kinds.count(common) * 2 < len(items):
                continue        # a list of Latin names is typed by one known member ("⟦M⟧、ENIRE Lite")
            label = common
        for a, b in items:
            name = text[a:b].strip()
            if typed.get((a, b)) == "Person" and label != "Person" and kinds.count(label) >= 2:
                out.append((a, b, label))       # the NER read a brand in a list of brands as a name
                continue
            if (a, b) in typed or not LIST_ITEM.fullmatch(name) or len(name) < 2 or _LIST_STOP.search(name) \
                    or any(a < y and x < b for x, y in taken):
                continue
            out.append((a, b, label))
    return out


def extract_mentions(doc: Doc, sentence: Sentence) -> list[Mention]:
    text = doc_text(doc)
    cands = []
    for source in PRIORITY:
        for span in doc.spans.get(source, []):
            typed = _candidate(span, source, text)
            if typed:
                cands.append((PRIORITY[source], -(typed[2] - span.start_char), span, source, typed))
    # "上汽通用" in a list: NER's longer name beats the KB's "上汽" that starts it
    kb_spans = [(c[2].start_char, c[4][2]) for c in cands if c[3] == "kb"]
    for i, c in enumerate(cands):
        if c[3] == "ner" and c[4][0] != "Person" \
                and re.match(r"[、，,。；;和及与等]", text[c[4][2]:c[4][2] + 1] or "。") \
                and any(a == c[2].start_char and b < c[4][2] for a, b in kb_spans):
            cands[i] = (-1, *c[1:])
    cands.sort(key=lambda c: (c[0], c[1], c[2].start_char))
    taken: list[tuple[int, int]] = []
    out = []
    for _, _, span, source, (label, kb_name, b) in cands:
        a = span.start_char
        if any(a < y and x < b for x, y in taken) or any(a < y and x < b for x, y in sentence.garbled):
            continue
        taken.append((a, b))
        out.append(Mention(sentence.doc_id, sentence.index, sentence.start + a, sentence.start + b,
                           text[a:b], label, source, kb_name))
    labels = {(m.start - sentence.start, m.end - sentence.start): m.label for m in out}
    for a, b, label in _list_members(text, taken + sentence.garbled, labels):
        out = [m for m in out if (m.start - sentence.start, m.end - sentence.start) != (a, b)]
        out.append(Mention(sentence.doc_id, sentence.index, sentence.start + a, sentence.start + b,
                           text[a:b], label, "list"))
    return sorted(out, key=lambda m: m.start)


# characters that follow a name rather than end it (verbs of speech, function words)
NOT_NAME_TAIL = ("的是在和与了说称表也就都还将已曾则被对为等认指强透介坦回笑问答告要会能把让向从于任"
                 "及或但而并看想觉讲谈提早先后今近正再又很最更所自")


def propagate_names(by_sent: dict[int, list[Mention]], sentences: list[Sentence]) -> None:
    """One name, one reading per document: a name a pattern found once (a cue, a list member) is
    a mention wherever the document repeats it, over the statistical NER's split of it; and a
    two-character person name the NER cuts short the same way twice (周靖|人) gets its last
    character back."""
    found = {m.text: m.label for ms in by_sent.values() for m in ms
             if m.source in ("cue", "list") and len(m.text) >= 2}
    text = " ".join(s.text for s in sentences)
    for ms in by_sent.values():
        for m in ms:
            if m.source == "ner" and m.label == "Person" and len(m.text) == 2 and m.text not in found:
                nxt = Counter(text[i + 2:i + 3] for i in _occurrences(text, m.text))
                char, n = nxt.most_common(1)[0] if nxt else ("", 0)
                if n >= 2 and n == sum(nxt.values()) and re.fullmatch(r"[\u4e00-\u9fff]", char) \
                        and char not in NOT_NAME_TAIL:
                    found[m.text + char] = "Person"
    for sent in sentences:
        ms = by_sent.get(sent.index, [])
        for name, label in found.items():
            for i in _occurrences(sent.text, name):
                a, b = sent.start + i, sent.start + i + len(name)
                hit = [m for m in ms if m.start < b and a < m.end]
                if any(m.source != "ner" for m in hit) or any(a < y + sent.start and x + sent.start < b
                                                               for x, y in sent.garbled):
                    continue
                ms = [m for m in ms if m not in hit]
                ms.append(Mention(sent.doc_id, sent.index, a, b, name, label, "document"))
        by_sent[sent.index] = sorted(ms, key=lambda m: m.start)


def _occurrences(text: str, name: str) -> list[int]:
    out, i = [], text.find(name)
    while i >= 0:
        out.append(i)
        i = text.find(name, i + len(name))
    return out
