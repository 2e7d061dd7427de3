import pytest

from kg.extract.money import find_money, parse_money


@pytest.mark.parametrize("text, amount, currency, approx", [
    ("1000万元", 10_000_000, "CNY", False),
    ("近千万美元", 10_000_000, "USD", True),
    ("数亿元", 100_000_000, "CNY", True),
    ("2000万美金", 20_000_000, "USD", False),
    ("5000万美金", 50_000_000, "USD", False),
    ("10亿美元", 1_000_000_000, "USD", False),
    ("1.5亿元人民币", 150_000_000, "CNY", False),
    ("两千万元", 20_000_000, "CNY", False),
    ("超10亿元", 1_000_000_000, "CNY", True),
    ("70亿美元", 7_000_000_000, "USD", False),
])
def test_parse_money(text, amount, currency, approx):
    m = parse_money(text)
    assert (m.amount, m.currency, m.approximate) == (amount, currency, approx)


def test_find_money_in_a_sentence_skips_prices():
    found = find_money("拿到了1000万元天使轮融资,一杯咖啡5元。")
    assert [(m.text, m.amount) for _, _, m in found] == [("1000万元", 10_000_000)]


@pytest.mark.parametrize("text, amount, approx", [
    ("数千万元", 10_000_000, True),
    ("十几亿元", 1_000_000_000, True),
    ("数十亿美元", 1_000_000_000, True),
    ("过亿元", 100_000_000, True),
])
def test_vague_counts_read_as_their_lower_bound(text, amount, approx):
    m = parse_money(text)
    assert (m.amount, m.approximate) == (amount, approx)


def test_amounts_without_currency_only_when_asked_and_with_a_big_unit():
    text = "完成近5亿A轮融资,成立于2023年,团队300人。"
    assert find_money(text) == []
    (_, _, m), = find_money(text, bare=True)
    assert (m.text, m.amount, m.currency, m.approximate, m.bare) == ("近5亿", 500_000_000, "CNY", True, True)
