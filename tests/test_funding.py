"""Funding rounds and investments, on sentences written for these tests, through the real LAC
pipeline (the ``extract`` fixture)."""
import pytest

from kg.extract.funding import INVESTOR_RULES, investor_list_spans, raiser_spans


@pytest.mark.parametrize("rule", INVESTOR_RULES, ids=lambda r: r.name)
def test_every_investor_rule_gives_its_example(extract, rule):
    _, triples, _, _ = extract(rule.context + rule.example)
    for investor, recipient in rule.expect:
        assert (investor, "investedIn", recipient) in triples


def rounds_by_name(rounds, names):
    return {(names[r.recipient], r.amount, r.currency): r for r in rounds}


def test_several_rounds_in_one_paragraph_keep_their_own_date_amount_and_investors(extract):
    _, triples, rounds, names = extract(
        "2020年3月，星河智能完成5000万元天使轮融资，由奇绩创坛领投。"
        "2022年7月，星河智能又获得3亿元B轮融资，领投方为君联资本，红杉资本跟投。"
        "一年后，星河智能宣布完成10亿元C轮融资，高瓴资本与IDG资本联合领投。")
    got = rounds_by_name(rounds, names)
    assert set(got) == {("星河智能", 50_000_000, "CNY"), ("星河智能", 300_000_000, "CNY"),
                        ("星河智能", 1_000_000_000, "CNY")}
    a, b, c = (got[("星河智能", x, "CNY")] for x in (50_000_000, 300_000_000, 1_000_000_000))
    assert (a.round, a.date, [names[i] for i in a.investors]) == ("天使轮", "2020-03", ["奇绩创坛"])
    assert (b.round, b.date, sorted(names[i] for i in b.investors)) == ("B轮", "2022-07", ["君联资本", "红杉资本"])
    assert (c.round, c.date) == ("C轮", None)          # "一年后" gives no date
    assert sorted(names[i] for i in c.investors) == ["IDG资本", "高瓴资本"]
    assert ("红杉资本", "investedIn", "星河智能") in triples


def test_the_next_sentence_names_the_investors_of_the_round(extract):
    _, triples, rounds, names = extract("云帆机器人宣布完成2亿元A轮融资。"
                                        "本轮融资由经纬创投领投，老股东顺为资本继续加注。")
    (r,) = rounds
    assert sorted(names[i] for i in r.investors) == ["经纬创投", "顺为资本"]
    assert ("顺为资本", "investedIn", "云帆机器人") in triples


@pytest.mark.parametrize("text", [
    "星河智能的估值已超过100亿元。",
    "云帆机器人去年营收达到3亿元，净利润5000万元。",
    "成立三年来，星河智能已累计融资超过20亿元。",
    "截至昨日收盘，云帆机器人市值达到500亿元。",
    "星河智能科创板IPO获受理，拟募资30亿元。",
    "这只基金的首期规模为50亿元，由红杉资本管理。",
])
def test_valuations_revenue_totals_market_caps_and_ipo_proceeds_are_not_rounds(extract, text):
    _, _, rounds, _ = extract(text)
    assert rounds == []


def test_a_list_of_companies_each_raising_over_a_billion_gives_one_approximate_round_each(extract):
    _, _, rounds, names = extract("今年以来，星河智能、云帆机器人和月影科技等企业相继完成超十亿级融资。")
    assert sorted(names[r.recipient] for r in rounds) == ["云帆机器人", "星河智能", "月影科技"]
    assert all(r.amount == 1_000_000_000 and r.currency == "CNY" and r.approximate for r in rounds)


def test_parents_and_fund_managers_are_not_investors(extract):
    _, triples, rounds, names = extract(
        "云帆机器人完成8亿元B轮融资，由华鼎集团旗下的华鼎创投领投，远望科技系产业平台远望资本跟投。")
    (r,) = rounds
    invested = {s for s, p, o in triples if p == "investedIn"}
    assert {"华鼎创投", "远望资本"} <= invested
    assert not invested & {"华鼎集团", "远望科技"}
    assert names[r.recipient] == "云帆机器人"


def test_the_recipient_is_the_company_raising_money_not_an_investor(extract):
    _, triples, rounds, names = extract("红杉资本领投了星河智能的3亿元B轮融资，腾讯跟投。")
    (r,) = rounds
    assert names[r.recipient] == "星河智能"
    assert {("红杉资本", "investedIn", "星河智能"), ("腾讯", "investedIn", "星河智能")} <= triples


def test_a_round_without_a_figure_still_gives_investments(extract):
    _, triples, rounds, _ = extract("星河智能宣布完成B轮融资，由君联资本领投，高瓴资本跟投。")
    assert rounds == []
    assert {("君联资本", "investedIn", "星河智能"), ("高瓴资本", "investedIn", "星河智能")} <= triples


def test_headline_and_body_report_one_round(extract):
    _, _, rounds, names = extract("星河智能获7亿元天使轮融资\n"
                                  "星河智能今日宣布完成1亿美元（约合人民币7亿元）天使轮融资，红杉资本领投。")
    (r,) = rounds
    assert (names[r.recipient], r.amount, r.currency) == ("星河智能", 100_000_000, "USD")


def test_a_figure_without_currency_in_a_round_is_yuan(extract):
    _, _, rounds, names = extract("昨日，月影科技宣布完成近5亿A轮融资。")
    (r,) = rounds
    assert (names[r.recipient], r.amount, r.currency, r.approximate, r.round) == (
        "月影科技", 500_000_000, "CNY", True, "A轮")


def test_the_company_named_before_raises_when_the_sentence_says_this_company(extract):
    _, _, rounds, names = extract("星河智能成立于2019年，专注机器人研发。3月5日，该公司宣布完成2亿元Pre-A轮融资。")
    (r,) = rounds
    assert names[r.recipient] == "星河智能" and r.round == "Pre-A轮"


def test_investment_firms_in_a_round_sentence_without_a_listed_shape_invest(extract):
    _, triples, _, _ = extract("凭着一个原型打动了红杉资本和真格基金，星河智能拿到了2000万元天使轮融资。")
    assert {("红杉资本", "investedIn", "星河智能"), ("真格基金", "investedIn", "星河智能")} <= triples


def test_talk_about_typical_round_sizes_is_no_round(extract):
    _, _, rounds, _ = extract("大模型公司动辄数十亿美元的融资，让人咋舌。")
    assert rounds == []


def test_investor_list_items_are_found_whatever_their_suffix():
    text = "由松石投控与同和创投联合领投，青禾资本、远山宏图等跟投。"
    assert [text[a:b] for a, b in investor_list_spans(text)] == ["松石投控", "同和创投", "青禾资本", "远山宏图"]
    labelled = "产业方：除了北辰集团旗下的北辰科创，还有远山宏图等。"
    assert [labelled[a:b] for a, b in investor_list_spans(labelled)] == ["北辰集团", "北辰科创", "远山宏图"]


def test_companies_raising_money_are_found_by_the_verb():
    text = "今日，星河智能宣布完成A轮融资；此前，云帆机器人和月影科技等企业相继获得融资。"
    assert [text[a:b] for a, b in raiser_spans(text)] == ["星河智能", "云帆机器人", "月影科技"]


def test_spending_by_a_company_is_no_round(extract):
    _, _, rounds, _ = extract("星河智能宣布斥资100亿元建设新的数据中心。")
    assert rounds == []


def test_rounds_listed_in_one_sentence_keep_their_own_year_and_name(extract):
    _, _, rounds, names = extract("此前星河智能已完成三轮融资，分别是2021年的1亿元A轮和2022年的3亿元B轮。")
    assert sorted((names[r.recipient], r.amount, r.round, r.date) for r in rounds) == [
        ("星河智能", 100_000_000, "A轮", "2021"), ("星河智能", 300_000_000, "B轮", "2022")]


def test_a_stake_bought_with_a_figure_is_a_round_with_its_buyer(extract):
    _, triples, rounds, names = extract("腾讯以5000万元入股月影科技。")
    (r,) = rounds
    assert (names[r.recipient], [names[i] for i in r.investors]) == ("月影科技", ["腾讯"])
    assert ("腾讯", "investedIn", "月影科技") in triples


def test_a_financial_adviser_is_no_investor_and_a_described_company_raises(extract):
    _, triples, rounds, names = extract("据悉，机器人公司星河智能近日宣布完成数亿元A轮融资。"
                                        "本轮融资由高榕资本领投，华兴资本担任独家财务顾问。")
    (r,) = rounds
    assert names[r.recipient] == "星河智能" and [names[i] for i in r.investors] == ["高榕资本"]
    assert not any(s == "华兴资本" and p == "investedIn" for s, p, _ in triples)


def test_a_figure_in_the_clause_after_the_round_is_its_amount(extract):
    _, _, rounds, names = extract("星河智能今年已完成两轮融资，累计融资金额超过40亿元。"
                                  "其中，3月完成的一轮融资由美团领投，金额达到10亿元。")
    (r,) = rounds
    assert (names[r.recipient], r.amount, [names[i] for i in r.investors]) == ("星河智能", 1_000_000_000, ["美团"])


def test_investor_lists_go_on_past_a_parenthetical_but_not_into_the_next_clause():
    text = "领投方有两家：松石产业投资基金（下称“松石基金”），同和创投和青禾资本。"
    assert [text[a:b] for a, b in investor_list_spans(text)] == ["松石产业投资基金", "同和创投", "青禾资本"]
    text = "参投方包括青禾资本，资金将用于研发和市场拓展。"
    assert [text[a:b] for a, b in investor_list_spans(text)] == ["青禾资本"]


def test_co_investors_and_old_shareholders_who_add_more(extract):
    _, triples, _, _ = extract("月影科技宣布完成5亿元B轮融资。参投方包括君联资本和经纬创投，老股东红杉资本追投。")
    assert {("君联资本", "investedIn", "月影科技"), ("经纬创投", "investedIn", "月影科技"),
            ("红杉资本", "investedIn", "月影科技")} <= triples


def test_this_company_is_the_one_named_last_and_one_round_is_reported_once(extract):
    _, triples, rounds, names = extract(
        "今年以来，星河智能、云帆机器人等企业相继完成超十亿级融资。\n"
        "最受关注的是星河智能。1月5日，该公司宣布完成B轮融资超10亿元，由红杉资本领投。")
    got = sorted((names[r.recipient], r.amount, r.round) for r in rounds)
    assert got == [("云帆机器人", 1_000_000_000, None), ("星河智能", 1_000_000_000, "B轮")]
    assert ("红杉资本", "investedIn", "星河智能") in triples


def test_angel_investors_in_a_list_stay_people(extract):
    entities, triples, _, _ = extract("星河智能完成5000万元天使轮融资，由奇绩创坛领投，天使投资人王刚、徐小平跟投。")
    assert entities["徐小平"].type == "Person"
    assert {("王刚", "investedIn", "星河智能"), ("徐小平", "investedIn", "星河智能")} <= triples


def test_a_figure_received_from_a_named_investor_is_a_round(extract):
    _, triples, rounds, names = extract("云帆机器人获红杉资本数千万元投资。")
    (r,) = rounds
    assert (names[r.recipient], r.amount, r.approximate, [names[i] for i in r.investors]) == (
        "云帆机器人", 10_000_000, True, ["红杉资本"])


def test_a_listed_investor_named_after_a_known_company_is_its_fund(extract):
    entities, triples, _, _ = extract("星河智能完成3亿元B轮融资，由美团龙珠领投，华为哈勃跟投。")
    assert entities["美团龙珠"].type == entities["华为哈勃"].type == "InvestmentFirm"
    assert {("美团龙珠", "investedIn", "星河智能"), ("华为哈勃", "investedIn", "星河智能")} <= triples
    assert not {("美团", "investedIn", "星河智能"), ("华为", "investedIn", "星河智能")} & triples
