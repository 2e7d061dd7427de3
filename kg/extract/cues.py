"""``cue_mentions``: names that neither the KB nor the NER model know, found from how news text
introduces them: a role noun after an organization (``出门问问创始人``), a quoted product after
its kind (``AI声音平台“魔音工坊”``, ``名为“万智”的平台``)."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .doctext import doc_text
from .lexicon import (
    CEO_ROLES,
    FOUNDER_ROLES,
    HEAD_ROLES,
    MODEL_KINDS,
    PRODUCT_KINDS,
    alt,
)

ROLE = alt(FOUNDER_ROLES, CEO_ROLES, HEAD_ROLES)
# Words that precede a role noun but are not names.
# Function characters never inside a company name; a "name" holding one is a phrase.
_STOP = "我你他她它这那是的了在有做个些也都就还所比如以为被把让从对和与及或但而并任说要"
STOP_CHARS = re.compile(rf"[{_STOP}]|^(?:中国|全球|国内|国外|美国|第)")
GENERIC = re.compile(r"^(?:公司|该公司|企业|集团|团队|我们|他们|你们|大厂|巨头|创业公司|初创公司|"
                     r"这家公司|这家|一家|多家|其|他|她|我|前|原|著名|知名|联合|首席|AI|大模型|商业|明星|资深|高级|技术|研发|"
                     r"核心|顶级|天才|年轻|创始|创业|前任|现任|执行|行业|业务|产品|科研|公司首席|.*(?:背景|经验|方向|领域|部门)|"
                     r".*(?:公司|企业|团队|机构|的|了|是|在|和|与|及|等|者))$")
ORG_BEFORE_ROLE = re.compile(
    rf"(?:^|[、，,。；;：:\s“”\"（(]|前|原|是)(?P<name>(?:(?![{_STOP}])[\u4e00-\u9fffA-Za-z0-9.]){{2,8}}?)(?:的)?(?:{ROLE})")
PRODUCT_KIND = alt(PRODUCT_KINDS)
MODEL_KIND = alt(MODEL_KINDS)
QUOTED = re.compile(rf"(?P<kind>{PRODUCT_KIND}|{MODEL_KIND})[“\"「《](?P<name>[^”\"」》]{{2,12}})[”\"」》]"
                    rf"|名为[“\"「](?P<name2>[^”\"」]{{2,12}})[”\"」]的(?:[^，,。]{{0,12}}?)"
                    rf"(?P<kind2>{PRODUCT_KIND}|{MODEL_KIND})")


LATIN_NAME = r"[A-Z][a-z]+(?:[ ·][A-Z][a-zA-Z]+)+"
# "Ilya Sutskever(OpenAI联合创始人)", "Sam Altman出任CEO", "CEO Sam Altman"
LATIN_PERSON = re.compile(
    rf"(?P<name>{LATIN_NAME})(?=\s*[（(][^）)]{{0,30}}?(?:{ROLE})|出任|担任|共同创|创立|创办|和[A-Z][a-z]+等)"
    rf"|(?:{ROLE})\s*(?P<name2>{LATIN_NAME})")
LATIN_COMPANY = re.compile(r"(?P<name>[A-Z][A-Za-z0-9]+(?: [A-Z][A-Za-z0-9]+)?)"
                           r"(?:公司|(?:宣布)?(?:已)?(?:完成|获得)[^。，,]{0,12}融资)"
                           r"|(?:创立|创办|创建|成立|初创公司|初创)(?:了)?\s?"
                           r"(?P<name2>[A-Z][A-Za-z0-9]+(?:[ .][A-Z][A-Za-z0-9]+)?)")
# "大模型MorpherVLM": a Latin name right after the word for model, with lower case or digits
MODEL_AFTER_KIND = re.compile(rf"(?:{MODEL_KIND})\s?(?P<name>[A-Z][A-Za-z0-9\-.]*[a-z0-9][A-Za-z0-9\-.]{{2,}})")
# "甲小姐:" / "作者 | 甲小姐": a pen name the resolver may tie to a full name
HONORIFIC = re.compile(r"(?<![\u4e00-\u9fff])(?P<name>[\u4e00-\u9fff]{1,2}(?:小姐|先生|女士))")
# "出品丨腾讯新闻《潜望》": a column of an outlet
COLUMN = re.compile(r"(?:出品|栏目|来源)\s*[丨|:：]\s*[^《\s]{0,8}《(?P<name>[^》]{1,12})》")


# bylines: "文丨周小甲", "编辑:钱二", "(记者 孙三)", "出品丨某某网·专栏"
_BYLINE_END = r"(?=$|\s|[,，。;；·|丨()（）:：]|编辑|作者|记者|出品|来源|责编|校对|图源)"
BYLINE_PERSON = re.compile(rf"(?:(?:^|(?<=[\s(（,，]))(?:文|作者|编辑|撰文|记者|责编|责任编辑|校对|采访|整理)"
                           rf"\s*[丨|:：]|(?:作者|编辑|记者|责编)\s*[丨|:：]|(?<=[(（])记者\s)"
                           rf"\s*(?P<name>[\u4e00-\u9fff]{{2,4}}?){_BYLINE_END}")
# photo credits name the agency: "图源:某某图库", "(图：Shutterstock)"
PHOTO_CREDIT = re.compile(r"(?:图源|图片来源|图片|图)\s*[丨|:：]\s*"
                          r"(?P<name>[\u4e00-\u9fff]{2,6}|[A-Z][A-Za-z0-9]+)(?=$|[\s)）,，。])")
BYLINE_OUTLET = re.compile(rf"(?:出品|来源|来自)\s*[丨|:：]\s*(?P<name>[\u4e00-\u9fffA-Za-z0-9]{{2,10}}?){_BYLINE_END}"
                           r"|(?:^|(?<=[\s(（,，]))文\s*[丨|]\s*(?P<name2>[\u4e00-\u9fff]{1,6}[A-Za-z][A-Za-z0-9]+)")
# a publication in title marks where the text cites it: "《某某日报》记者", "告诉《某某》"
MEDIA_TITLE = re.compile(r"(?:(?<=告诉)|(?<=接受)|(?<=[据对向])|^)《(?P<name>[^》]{2,10})》"
                         r"|《(?P<name2>[^》]{2,10})》(?=\s*(?:记者|讯|报道|统计|获悉|消息|援引|独家|\d+月))"
                         r"|《(?P<name3>[^》]{1,8}(?:日报|晚报|时报|周刊|报道|新闻|财经|杂志|报))》")
# verbs never inside an organization's name: "某某正式加盟星河智能" is a clause, not a name
NOT_ORG_NAME = re.compile(r"公司|厂商|投资方|领投方|跟投方|参投方|轮|毕业|就读|任职|于|加盟|加入|发布|推出|宣布|"
                          r"完成|获得|成立|创立|创办|正式|表示|部署|接入|担任|出任|离开|投资了")
# time adverbs that open a clause are never the start of a name: "此前星河智能完成…"
TIME_WORDS = r"此前|此后|目前|日前|近日|近期|今年|去年|今日|昨日|随后|其后|之前|之后|如今|当时|最近|同年|次年|后来"
# organizations by their kind word, bounded on the left by a list separator or a lead word:
# "由某某创投领投", "、某某资本、", "包括某某研究院"
_ORG_KIND = (r"资本|创投|基金|投资|资管|投控|集团|控股|科技|智能|机器人|动力|汽车|实验室|研究院|研究所|大学|学院"
             r"|新闻|日报|传媒|银行|证券|半导体|电子|芯片|微电子|信息|科创|创新")
_ORG_LEFT = (r"(?:^|(?<=[、，,：:；;（(“\s和与及由为至—的])"
             r"|(?<=包括|涵盖|以及|其中|旗下|还有|加盟|加入|发布|推出|宣布|成立|创立|创办|担任|出任|离开|部署|接入|投资)"
             r"|(?<=投资方|领投方|跟投方|参投方|毕业于|就读于|任职于|加入了)|(?<=公司|厂商|企业|机构)"
             rf"|(?<={TIME_WORDS}))")
_ORG_NOT_FIRST = (r"(?![由为至])(?!同时|打造|更|成为|旗下|明星|企业|知名|公司|平台|产业|头部|龙头|"
                  rf"包括|涵盖|以及|其中|还有|{TIME_WORDS})")
ORG_BY_SUFFIX = re.compile(rf"{_ORG_LEFT}(?P<name>{_ORG_NOT_FIRST}"
                           rf"(?:(?![{_STOP}等丨]|{NOT_ORG_NAME.pattern})[\u4e00-\u9fffA-Z]){{2,10}}?(?:{_ORG_KIND}))"
                           rf"(?=$|[、，,。；;：:（()）”\s和与及等旗领跟参联也则已将于在宣获完的还都是又再正近今昨日曾])")
# model names: Latin letters with a version or variant ("Step-3", "GLM-4.5", "Qwen2.5-VL", "Hailuo 2",
# "abab6.5s"), right after a word for a model or before one, or next to a launch verb
# The lookahead asks first for what the first branch needs after its letters (a digit, or a
# separator and more): without it, a long Latin word with neither ("Transformers，") was split
# every possible way before the branch failed, exponential in the word's length.
_VERSIONED = (r"(?=[A-Za-z]*(?:\d|[-.][A-Za-z0-9]))"
              r"[A-Za-z][A-Za-z]*(?:[-.]?(?:V?\d+(?:\.\d+)*[A-Za-z]?|[A-Z][A-Za-z]+|[a-z]+))*"
              r"(?:[-.](?:V?\d+(?:\.\d+)*[A-Za-z]*|[A-Z][A-Za-z]*|[a-z]+))+|[A-Z][A-Za-z]*\d+(?:\.\d+)*[a-z]?"
              r"|[A-Z][A-Za-z]+ \d+(?:\.\d+)?")
# Latin words next to the word for a model that are not names
NOT_MODEL = re.compile(r"^(?:API|SOTA|AI|Agent|AI Agent|LLM|MoE|GPU|CPU|NPU|SDK|App|APP|Token|Tokens|tokens|"
                       r"Transformer|RAG|AGI|AIGC|Scaling|Benchmark|Prompt|Chat|Demo|Beta|Pro|Max|Plus|Turbo|Lite|Mini)$")
LATIN_MODEL = re.compile(rf"(?:(?:{MODEL_KIND})[:：\s]?|(?:发布|推出|开源|上线|更新|升级|迭代)(?:了|的)?\s?"
                         rf"(?:[^，,。；;A-Za-z]{{0,12}}?(?:{MODEL_KIND})[:：\s]?)?)"
                         rf"(?P<name>{_VERSIONED}|[A-Z][A-Za-z]+(?: [A-Z][a-z]+)?)(?![A-Za-z0-9])"
                         rf"|(?<![A-Za-z0-9\-.])(?P<name2>{_VERSIONED})(?=\s?(?:{MODEL_KIND}|版本?))")
_MODIFIER = "代款种新最基座通用主力旗舰多模态开闭源端侧语言视觉音频推理首个国内外"
# "上线新产品Zeta", "推出应用Lumo": a Latin name right after the word for a product
PRODUCT_AFTER_KIND = re.compile(r"(?:新产品|产品|应用|App|APP|平台|工具|助手)[:：]?\s?"
                                r"(?P<name>[A-Za-z][A-Za-z0-9\-.]*[A-Za-z0-9])(?![A-Za-z0-9])")
NOT_PERSON = re.compile(r"小编|编辑部|记者|本报|网友|官方")
# "Nova-3", "Astra-V2.5": a capitalised Latin name with a hyphenated version is a model wherever it stands
VERSIONED_MODEL = re.compile(r"(?<![A-Za-z0-9\-.])(?P<name>[A-Z][A-Za-z]+-(?:V|R)?\d+(?:\.\d+)*[A-Za-z]*)"
                             r"(?![A-Za-z0-9\-])")
# "青禾智能(QINGHE)", "星河机器人（Galaxia）": a Chinese name glossed by a one-word Latin brand
GLOSSED_COMPANY = re.compile(r"(?:^|(?<=[，,。：:；;\s“]))(?P<name>(?:(?![的是了在和与及对])[\u4e00-\u9fff]){2,6})"
                             r"[（(](?:[A-Z][A-Za-z0-9]+|[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)[）)]")
# "孙卫东(前百度 CTO)": a name glossed by a role in parentheses is a person
PERSON_GLOSSED = re.compile(rf"(?:^|(?<=[，,。：:；;\s“、和与及]))(?P<name>(?:(?![{_STOP}])[\u4e00-\u9fff]){{2,3}})"
                            rf"[（(](?:前|原|现任?)?[^（）()。，,]{{1,12}}?(?:{ROLE})[）)]")
# "以高端品牌远舟为载体", "子品牌青岚的车型": a brand named right after the word for brand
BRAND = re.compile(rf"(?:品牌|子品牌)(?!高端|新能源|自主|旗下|全新)"
                   rf"(?P<name>(?:(?![{_STOP}{_MODIFIER}])[\u4e00-\u9fff]){{2,4}}?)(?=为|的|[，,、。]|和|与|旗下)")
# "打造更智能的雄鹰座舱系统": a named system or platform a maker builds
BUILT_PRODUCT = re.compile(rf"(?:打造|推出|发布|上线)(?:了)?(?:更智能的|全新的?|一款|新一代的?|自研的)?"
                           rf"(?P<name>(?!智能|全新|统一|开放)(?:(?![{_STOP}{_MODIFIER}])[\u4e00-\u9fff]){{2,3}}(?:座舱系统|操作系统|座舱|系统|平台|助手))")
# "自研的星河大模型", "发布了天工大模型": a Chinese name the text gives a model
CN_MODEL = re.compile(rf"(?:自研|自主研发|研发|发布|推出|开源|打造|训练)(?:了|的)?(?:全新的?|新一代|最新的?)?"
                      rf"(?P<name>(?:(?![{_STOP}{_MODIFIER}])[\u4e00-\u9fff]){{2,4}}(?:大模型))")
# "通义千问3", "盘古5.0": a model family from the KB with a version (handled in mentions.py)


def cue_spans(text: str) -> list[tuple[int, int, str]]:
    out = []
    for rx, label in ((LATIN_PERSON, "Person"), (LATIN_COMPANY, "Company"), (MODEL_AFTER_KIND, "AIModel"),
                      (COLUMN, "MediaOutlet"), (BYLINE_PERSON, "Person"), (BYLINE_OUTLET, "MediaOutlet"),
                      (MEDIA_TITLE, "MediaOutlet"), (ORG_BY_SUFFIX, "Company"), (LATIN_MODEL, "AIModel"),
                      (CN_MODEL, "AIModel"), (VERSIONED_MODEL, "AIModel"),
                      (PRODUCT_AFTER_KIND, "Product"),
                      (GLOSSED_COMPANY, "Company"), (PERSON_GLOSSED, "Person"), (PHOTO_CREDIT, "Company"),
                      (BRAND, "Company"), (BUILT_PRODUCT, "Product")):
        for m in rx.finditer(text):
            group = next(g for g in ("name", "name2", "name3") if g in rx.groupindex and m.group(g))
            name = m.group(group)
            if label == "AIModel" and NOT_MODEL.match(name) or label == "Person" and NOT_PERSON.search(name) \
                    or rx in (ORG_BY_SUFFIX, BRAND) and NOT_ORG_NAME.search(name):
                continue
            out.append((m.start(group), m.end(group), label))
    for m in HONORIFIC.finditer(text):
        if not STOP_CHARS.search(m.group("name")):
            out.append((m.start("name"), m.end("name"), "Person"))
    for m in ORG_BEFORE_ROLE.finditer(text):
        start, name = m.start("name"), m.group("name")
        if name[0] in "前原":               # "前Google科学家": the prefix means "former"
            start, name = start + 1, name[1:]
        if (len(name) >= 2 and not GENERIC.match(name) and not STOP_CHARS.search(name)
                and not re.fullmatch(r"[\d.]+", name)):
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
                 for a, b, label in cue_spans(doc_text(doc))]
        doc.spans["cue"] = [s for s in spans if s is not None]
        return doc
    return cue_mentions
