"""Mentions: the span groups of the spaCy pipeline -> typed, non-overlapping ``Mention``s.

Precedence when spans overlap: the knowledge base (linked, typed), then cue patterns, then the
statistical NER; within one source the longer span wins.  Statistical ORG spans are typed by
their suffix; spans inside garbled text and junk spans are dropped.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from .kb import ORG_TYPES as ORG_CLASSES
from .records import Mention, Sentence

PRIORITY = {"kb": 0, "cue": 1, "investor": 2, "ner": 3}
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
JUNK_ORG = re.compile(r"^[A-Z]{2,5}$|^[A-Za-z]+$|^(生成式AI|语音识别|大公司|大厂|大模型|人工智能|AI|新时代)$|"
                      r"^.{0,4}(公司|企业|办公室|团队|部门)$|^(从|在|对|和)|技术$|很多|一些|这个|那个|相信|觉得|认为|"
                      r"^(一部分|大部分|小部分|部分|其中|所有|每个|各个|不少|许多)")
# "一家AI公司": a generic term before 公司 is not a company name
GENERIC_TERM = re.compile(r"^(AI|AIGC|AGI|IT|APP|App|SaaS|IoT|LLM|GPU|CPU|Web3|VR|AR|XR|ToB|ToC)$")
# A lab named after its parent: "谷歌翻译实验室" is a lab of the KB's 谷歌, not 谷歌 itself
LAB_TAIL = re.compile(r"^[\u4e00-\u9fffA-Za-z]{0,4}?(?:实验室|研究院|研究所)")
NOT_PERSON = re.compile(r"[\dA-Za-z]{1}$|^(老板|总理|主席|大佬|同学|老师|先生|女士)$")


# NER often stops before the company-kind word: "星云" + "智能"
ORG_TAIL = re.compile(r"^(?:智能|科技|集团|网络|数据|机器人|技术|控股|资本|基金|创投|实验室|研究院|大学|影像|软件)")
# "金山网络" and "金山安全" are companies of their own, not the KB's 金山
SUBSIDIARY_TAIL = re.compile(r"^(?:网络|安全|影像|软件|云)")
# "百度战投", "腾讯投资": a company's investment arm is an investor of its own
INVESTOR_TAIL = re.compile(r"^(?:战投|风投|创投|资本|投资(?=[、，,。；;和与及等领跟参（(]|$)|产投)")


def type_org(name: str) -> str:
    for pattern, cls in ORG_SUFFIXES:
        if pattern.search(name):
            return cls
    return "Company"


def _candidate(span: Span, source: str) -> tuple[str, str | None, int] | None:
    """(ontology class, kb name, end offset) for a span, or None for junk."""
    text = span.text.strip()
    if source == "kb":
        tail = LAB_TAIL.match(span.doc.text[span.end_char:]) if span.label_ in ORG_CLASSES else None
        if tail:
            return "ResearchLab", None, span.end_char + len(tail.group(0))
        arm = INVESTOR_TAIL.match(span.doc.text[span.end_char:]) if span.label_ in ("Company", "InvestmentFirm") else None
        if arm:
            return "InvestmentFirm", None, span.end_char + len(arm.group(0))
        sub = SUBSIDIARY_TAIL.match(span.doc.text[span.end_char:]) if span.label_ == "Company" else None
        if sub:
            return "Company", None, span.end_char + len(sub.group(0))
        return span.label_, span.kb_id_, span.end_char
    if source == "cue":
        if span.label_ == "Company" and (GENERIC_TERM.match(text) or
                                         re.search(r"[\u4e00-\u9fff]", text) and JUNK_ORG.search(text)):
            return None
        return span.label_, None, span.end_char
    if source == "investor":     # investor-list items and fund-raisers, typed by kg.funding
        return span.label_, None, span.end_char
    if span.label_ == "PER":
        if len(text) < 2 or len(text) > 12 or NOT_PERSON.search(text) and not re.search(r"[A-Za-z]{2,} [A-Za-z]", text):
            return None
        return "Person", None, span.end_char
    if span.label_ == "ORG":
        tail = ORG_TAIL.match(span.doc.text[span.end_char:])
        if tail:
            text += tail.group(0)
        if len(text) < 2 or PLACE.search(text) or JUNK_ORG.search(text):
            return None
        return type_org(text), None, span.start_char + len(text)
    return None


def extract_mentions(doc: Doc, sentence: Sentence) -> list[Mention]:
    cands = []
    for source in PRIORITY:
        for span in doc.spans.get(source, []):
            typed = _candidate(span, source)
            if typed:
                cands.append((PRIORITY[source], -(typed[2] - span.start_char), span, source, typed))
    cands.sort(key=lambda c: (c[0], c[1], c[2].start_char))
    taken: list[tuple[int, int]] = []
    out = []
    for _, _, span, source, (label, kb_name, b) in cands:
        a = span.start_char
        if any(a < y and x < b for x, y in taken) or any(a < y and x < b for x, y in sentence.garbled):
            continue
        taken.append((a, b))
        out.append(Mention(sentence.doc_id, sentence.index, sentence.start + a, sentence.start + b,
                           doc.text[a:b], label, source, kb_name))
    return sorted(out, key=lambda m: m.start)
