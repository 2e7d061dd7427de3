"""Money expressions in Chinese news: ``1000万元``, ``近千万美元``, ``数亿元``, ``2000万美金``.

``parse_money`` turns one into (amount in currency units, ISO code, approximate); the spaCy
component ``money_matcher`` puts every match into ``doc.spans["money"]``.  Funding news often
drops the currency (``完成近5亿A轮融资``, ``超十亿级融资``): ``find_money(text, bare=True)`` also
returns such amounts, as ``bare`` CNY, for a caller that knows the context is a funding round.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from .doctext import doc_text

CURRENCIES = {"元人民币": "CNY", "人民币": "CNY", "元": "CNY", "块": "CNY", "美元": "USD", "美金": "USD",
              "港元": "HKD", "港币": "HKD", "欧元": "EUR", "日元": "JPY", "英镑": "GBP"}
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10 ** 4, "亿": 10 ** 8}
_APPROX_PREFIX = r"近|超过|超|逾|约|大约|将近|接近|上|过|数|几|十几"
_NUM = r"\d+(?:[.,]\d+)*|[零〇一二两三四五六七八九十百千]+"
MONEY_RE = re.compile(
    rf"(?P<prefix>{_APPROX_PREFIX})?(?P<num>{_NUM})?(?P<unit>[十百千万亿]*)(?P<more>多|余)?"
    rf"(?P<cur>元人民币|人民币|美元|美金|港元|港币|欧元|日元|英镑|元)")
# no currency: only with a unit of at least 万, so that years, counts and percentages never match
BARE_RE = re.compile(
    rf"(?P<prefix>{_APPROX_PREFIX})?(?P<num>{_NUM})?(?P<unit>[十百千]*[万亿][万亿]?)(?P<more>多|余)?(?![元美港欧日英人币])")


@dataclass
class Money:
    amount: float
    currency: str
    approximate: bool
    text: str
    bare: bool = False          # written without a currency; CNY assumed


def _cn_number(s: str) -> float:
    """Chinese numerals below 10^4 (``两千``, ``十五``, ``三百二十``); digits pass through."""
    if re.fullmatch(r"[\d.,]+", s):
        return float(s.replace(",", ""))
    total, cur = 0, 0
    for ch in s:
        if ch in _DIGITS:
            cur = _DIGITS[ch]
        elif ch in _SMALL:
            total += (cur or 1) * _SMALL[ch]
            cur = 0
    return float(total + cur)


def _unit_value(unit: str) -> float:
    """Trailing units multiply (``千万`` = 10^7, ``十亿`` = 10^9)."""
    value = 1.0
    for ch in unit:
        value *= _SMALL.get(ch) or _BIG[ch]
    return value


def _from_match(m: re.Match, currency: str | None) -> Money | None:
    if not (m.group("num") or m.group("unit")):
        return None
    prefix, num, unit = m.group("prefix") or "", m.group("num") or "", m.group("unit")
    approximate = bool(prefix or m.group("more"))
    # an unknown count is read as its lower bound, approximate: "数亿" one 亿, "数千万" one 千万,
    # "十几亿" ten 亿
    value = 10.0 if prefix == "十几" else _cn_number(num) if num else 1.0
    if not value:
        return None
    # rounded to cents: 8.7 * 10^8 is 869999999.9999999 in binary floating point
    return Money(round(value * _unit_value(unit), 2), currency or "CNY", approximate, m.group(0), currency is None)


def parse_money(text: str) -> Money | None:
    m = MONEY_RE.fullmatch(text) or MONEY_RE.search(text)
    return _from_match(m, CURRENCIES[m.group("cur")]) if m else None


def find_money(text: str, bare: bool = False) -> list[tuple[int, int, Money]]:
    out = []
    for m in MONEY_RE.finditer(text):
        money = _from_match(m, CURRENCIES[m.group("cur")])
        # a bare "元" after a small number ("5元") is a price, not an amount worth a graph node
        if money and (m.group("unit") or money.amount >= 10000):
            out.append((m.start(), m.end(), money))
    if bare:
        taken = [(a, b) for a, b, _ in out]
        for m in BARE_RE.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken) or re.match(r"[\d.]", text[m.end():m.end() + 1]):
                continue
            money = _from_match(m, None)
            if money:
                out.append((m.start(), m.end(), money))
        out.sort(key=lambda t: t[0])
    return out


if not Doc.has_extension("money"):
    Doc.set_extension("money", default=None)


@Language.factory("money_matcher")
def make_money_matcher(nlp: Language, name: str):
    def money_matcher(doc: Doc) -> Doc:
        spans, values = [], []
        for start, end, money in find_money(doc_text(doc)):
            span = doc.char_span(start, end, label=money.currency, alignment_mode="expand")
            if span is not None:
                spans.append(span)
                values.append(money)
        doc.spans["money"] = spans
        doc._.money = values
        return doc
    return money_matcher
