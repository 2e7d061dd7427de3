"""Normalization: raw article text -> clean Simplified Chinese text split into sentences.

Order matters: inserted pinyin goes first (OpenCC would leave it, and it breaks names such as
``O(shè)penAI``), then Traditional -> Simplified, then line-level web clean-up, boilerplate and
watermarks, then sentence splitting on the final text so that every offset points into
``NormalizedDoc.text``.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .records import NormalizedDoc, Sentence, SourceDoc

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# Neutral-tone syllables carry no diacritic; only these common ones are treated as pinyin so
# that real parentheses such as "(de facto)" or "(ID:x)" survive.
_NEUTRAL = {"de", "le", "men", "me", "zi", "ge", "ma", "ne", "ba", "zhe", "li", "tou", "r", "a", "la"}
_PINYIN = re.compile(r"(?<=\S)[(（]([a-zü" + _TONED + r"]{1,6})[)）]")

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:https?://|/)[^)]*\)")
_URL = re.compile(r"https?://[!-~]+|www\.[!-~]+|(?<![A-Za-z0-9.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                  r"\.(?:com|cn|net|org|pro)(?![A-Za-z0-9])")
_HTML = re.compile(r"<[^>\n]{1,200}>|&(?:nbsp|amp|lt|gt|quot);")
_EMPHASIS = re.compile(r"\*{1,3}|^#{1,6}\s*|^\s*>\s?")
_RULE_LINE = re.compile(r"^[\s\-=_*~·•]{3,}$")

# Site chrome that is not article text (login walls, navigation, share and comment widgets).
_BOILERPLATE = re.compile(
    r"登录|注册|验证码|绑定手机|完善资料|找回密码|扫描二维码|用户注册协议|隐私政策|"
    r"推荐阅读|RECOMMEND|跳转到|评论请|还没评论|等你发挥|点击关注|阅读原文|分享到|"
    r"未经.{0,8}许可|禁止转载|版权所有|基于CC0协议|^\s*评论\s*$|^\s*\d+\s*评论|"
    r"仅提供信息存储空间|下载App|首页\s*>|^\s*\d+\.\s*$|收录源追溯|可引用URL|内容智能推荐|科普文库"
)
# Extraction work per sentence grows with the square of its length (per-mention steps rescan the
# sentence), so longer runs without sentence-final punctuation are cut into pieces, at a comma or
# space near the cap when there is one; the longest sentence of the seed and dev articles has 158
# characters.
MAX_SENTENCE = 200
_SOFT_BREAK = re.compile(r"[，,、：:\s]")
_SPACE = re.compile(r"\s*")
_SENT_END = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』)）]*|\n|$)")
# Mojibake leaves U+FFFD, private-use code points, stray euro signs, "?!" / "?;" where a
# closing quote was, and pinyin whose opening parenthesis was eaten ("?yàn)").
_GARBLE_MARK = re.compile(r"[\ufffd\ue000-\uf8ff€]|\?[!;]|\?[a-zü" + _TONED + r"]{1,6}\)")


def strip_pinyin(text: str) -> str:
    def repl(m: re.Match) -> str:
        syl = m.group(1)
        if any(c in _TONED for c in syl) or syl in _NEUTRAL:
            return ""
        return m.group(0)
    return _PINYIN.sub(repl, text)


@lru_cache(maxsize=1)
def _opencc():
    import opencc
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _opencc().convert(text)


def clean_line(line: str) -> str:
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _URL.sub("", line)
    line = _HTML.sub("", line)
    line = _EMPHASIS.sub("", line)
    return line.strip()


def _tail(line: str) -> str:
    """The text after the last sentence end: where per-line watermarks sit."""
    m = re.search(r"[。！？!?”」）)]([^。！？!?”」）)]{4,40})$", line)
    return m.group(1) if m else ""


def find_watermarks(lines: list[str]) -> set[str]:
    """Suffixes a site stamps on many lines (e.g. ``lVi哈希力量 | 消除一切智能鸿沟``)."""
    tails = Counter(t for t in map(_tail, lines) if t)
    n = sum(1 for ln in lines if ln)
    return {t for t, c in tails.items() if c >= 3 and c >= 0.15 * n}


def _is_boilerplate(line: str, repeats: Counter) -> bool:
    if not line or _RULE_LINE.match(line):
        return True
    if _BOILERPLATE.search(line) and len(line) < 60:
        return True
    # short lines repeated in one page are widgets (buttons, column names), not prose
    return len(line) <= 20 and repeats[line] >= 3


def garbled_spans(text: str) -> list[tuple[int, int]]:
    """Spans that look like mojibake; flagged so extraction skips them, never repaired by guess."""
    stop = re.compile(r"[\s,，。、:：]")
    spans: list[tuple[int, int]] = []
    for m in _GARBLE_MARK.finditer(text):
        a, b = m.start(), m.end()
        while a > 0 and m.start() - a < 3 and not stop.match(text[a - 1]):
            a -= 1
        while b < len(text) and b - m.end() < 12 and not stop.match(text[b]):
            b += 1
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def split_sentences(doc_id: str, text: str) -> list[Sentence]:
    """Split after sentence-final punctuation and at line ends, never inside a garbled span
    (mojibake is full of "?" and "!")."""
    garbled = garbled_spans(text)
    inside = {i for a, b in garbled for i in range(a, b)}
    out: list[Sentence] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if end == start and end < len(text):
            continue
        if end < len(text) and end - 1 in inside and text[end - 1] != "\n":
            continue
        for s0, body in _pieces(text, start, end):
            spans = [(max(a, s0) - s0, min(b, s0 + len(body)) - s0)
                     for a, b in garbled if a < s0 + len(body) and b > s0]
            out.append(Sentence(doc_id, len(out), s0, s0 + len(body), body, spans))
        start = end
    return out


def _pieces(text: str, start: int, end: int):
    """(offset, text) of the stripped sentence ``text[start:end]``, cut into pieces of at most
    MAX_SENTENCE characters, at the last soft break of the second half of a piece if any."""
    while True:
        space = _SPACE.match(text, start, end)
        assert space is not None        # "\s*" matches everywhere, if only the empty string
        start = space.end()
        if start >= end:
            return
        if end - start <= MAX_SENTENCE:
            yield start, text[start:end].rstrip()
            return
        piece = text[start:start + MAX_SENTENCE]
        cut = MAX_SENTENCE
        for m in _SOFT_BREAK.finditer(piece, MAX_SENTENCE // 2):
            cut = m.end()
        yield start, piece[:cut].rstrip()
        start += cut


def normalize(doc: SourceDoc) -> NormalizedDoc:
    text = doc.text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    n_pinyin = len(_PINYIN.findall(text))
    text = strip_pinyin(text)
    n_pinyin -= len(_PINYIN.findall(text))
    text = to_simplified(text)
    # watermarks first: they stick to URLs and markup that clean_line would otherwise eat
    lines = [ln.rstrip() for ln in text.split("\n")]
    marks = find_watermarks(lines)
    for mark in marks:
        lines = [ln[: -len(mark)].rstrip() if ln.endswith(mark) else ln for ln in lines]
    lines = [clean_line(ln) for ln in lines]
    repeats = Counter(lines)
    kept = [ln for ln in lines if not _is_boilerplate(ln, repeats)]
    body = "\n".join(kept)
    sentences = split_sentences(doc.doc_id, body)
    stats = {
        "encoding": doc.encoding,
        "pinyin_removed": n_pinyin,
        "watermarks": sorted(marks),
        "lines_dropped": len(lines) - len(kept),
        "garbled_spans": sum(len(s.garbled) for s in sentences),
    }
    return NormalizedDoc(doc.doc_id, body, sentences, dict(doc.meta), stats)
