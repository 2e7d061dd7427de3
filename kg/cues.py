"""``cue_mentions``: names that neither the KB nor the NER model know, found from how news text
introduces them: a role noun after an organization (``出门问问创始人``), a quoted product after
its kind (``AI声音平台“魔音工坊”``, ``名为“万智”的平台``)."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

ROLE = (r"联合创始人|共同创始人|创始人|创办人|首席执行官|首席科学家|首席技术官|CEO|CTO|COO|"
        r"董事长|总裁|合伙人|科学家|研究员|工程师|产品经理")
# Words that precede a role noun but are not names.
# Function characters never inside a company name; a "name" holding one is a phrase.
_STOP = "我你他她它这那是的了在有做个些也都就还所比如以为被把让从对和与及或但而并任说要"
STOP_CHARS = re.compile(rf"[{_STOP}]|^(?:中国|全球|国内|国外|美国|第)")
GENERIC = re.compile(r"^(?:公司|该公司|企业|集团|团队|我们|他们|你们|大厂|巨头|创业公司|初创公司|"
                     r"这家公司|这家|一家|多家|其|他|她|我|前|原|著名|知名|联合|首席|AI|大模型|"
                     r".*(?:公司|企业|团队|机构|的|了|是|在|和|与|及|等|者))$")
ORG_BEFORE_ROLE = re.compile(
    rf"(?:^|[、，,。；;：:\s“”\"（(]|前|原|是)(?P<name>(?:(?![{_STOP}])[\u4e00-\u9fffA-Za-z0-9.]){{2,8}}?)(?:的)?(?:{ROLE})")
PRODUCT_KIND = r"平台|产品|应用|App|APP|助手|工具|软件|系统|品牌|硬件|手表|搜索|引擎"
MODEL_KIND = r"大模型|模型|基座模型|语言模型"
QUOTED = re.compile(rf"(?P<kind>{PRODUCT_KIND}|{MODEL_KIND})[“\"「《](?P<name>[^”\"」》]{{2,12}})[”\"」》]"
                    rf"|名为[“\"「](?P<name2>[^”\"」]{{2,12}})[”\"」]的(?:[^，,。]{{0,12}}?)"
                    rf"(?P<kind2>{PRODUCT_KIND}|{MODEL_KIND})")


LATIN_NAME = r"[A-Z][a-z]+(?:[ ·][A-Z][a-zA-Z]+)+"
# "Ilya Sutskever(OpenAI联合创始人)", "Sam Altman出任CEO", "CEO Sam Altman"
LATIN_PERSON = re.compile(
    rf"(?P<name>{LATIN_NAME})(?=\s*[（(][^）)]{{0,30}}?(?:{ROLE})|出任|担任|共同创|创立|创办|和[A-Z][a-z]+等)"
    rf"|(?:{ROLE})\s*(?P<name2>{LATIN_NAME})")
LATIN_COMPANY = re.compile(r"(?P<name>[A-Z][A-Za-z0-9]+(?: [A-Z][A-Za-z0-9]+)?)(?:公司|(?:宣布)?(?:已)?(?:完成|获得)[^。，,]{0,12}融资)")
# "大模型MorpherVLM": a Latin name right after the word for model, with lower case or digits
MODEL_AFTER_KIND = re.compile(rf"(?:{MODEL_KIND})\s?(?P<name>[A-Z][A-Za-z0-9\-.]*[a-z0-9][A-Za-z0-9\-.]{{2,}})")
# "甲小姐:" / "作者 | 甲小姐": a pen name the resolver may tie to a full name
HONORIFIC = re.compile(r"(?<![\u4e00-\u9fff])(?P<name>[\u4e00-\u9fff]{1,2}(?:小姐|先生|女士))")
# "出品丨腾讯新闻《潜望》": a column of an outlet
COLUMN = re.compile(r"(?:出品|栏目|来源)\s*[丨|:：]\s*[^《\s]{0,8}《(?P<name>[^》]{1,12})》")


def cue_spans(text: str) -> list[tuple[int, int, str]]:
    out = []
    for rx, label in ((LATIN_PERSON, "Person"), (LATIN_COMPANY, "Company"), (MODEL_AFTER_KIND, "AIModel"),
                      (COLUMN, "MediaOutlet")):
        for m in rx.finditer(text):
            group = "name" if m.group("name") else "name2"
            out.append((m.start(group), m.end(group), label))
    for m in HONORIFIC.finditer(text):
        if not STOP_CHARS.search(m.group("name")):
            out.append((m.start("name"), m.end("name"), "Person"))
    for m in ORG_BEFORE_ROLE.finditer(text):
        start, name = m.start("name"), m.group("name")
        if name[0] in "前原":               # "前Google科学家": the prefix means "former"
            start, name = start + 1, name[1:]
        if len(name) >= 2 and not GENERIC.match(name) and not STOP_CHARS.search(name) and not re.fullmatch(r"[\d.]+", name):
            out.append((start, m.end("name"), "Company"))
    for m in QUOTED.finditer(text):
        group = "name" if m.group("name") else "name2"
        kind = m.group("kind") or m.group("kind2")
        label = "AIModel" if re.fullmatch(MODEL_KIND, kind) else "Product"
        out.append((m.start(group), m.end(group), label))
    return out


@Language.factory("cue_mentions")
def make_cue_mentions(nlp: Language, name: str):
    def cue_mentions(doc: Doc) -> Doc:
        spans = [doc.char_span(a, b, label=label, alignment_mode="strict")
                 for a, b, label in cue_spans(doc.text)]
        doc.spans["cue"] = [s for s in spans if s is not None]
        return doc
    return cue_mentions
