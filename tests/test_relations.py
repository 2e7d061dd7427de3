"""Relation patterns on sentences written for these tests (not copied from gold)."""


def test_apposition_chain_gives_every_role(extract):
    _, triples, _, _ = extract("前微软研究员、星云智能联合创始人兼CEO赵明远昨天发布了新产品。")
    assert ("赵明远", "worksFor", "微软") in triples
    assert ("赵明远", "founded", "星云智能") in triples
    assert ("赵明远", "ceoOf", "星云智能") in triples


def test_investor_list_and_funding_round(extract):
    _, triples, rounds, names = extract("2021年,星云智能宣布完成3000万元A轮融资,由红杉资本、真格基金领投。")
    (r,) = rounds
    assert (names[r.recipient], r.amount, r.currency, r.round, r.date) == ("星云智能", 30_000_000, "CNY", "A轮", "2021")
    assert sorted(names[i] for i in r.investors) == ["真格基金", "红杉资本"]
    assert {("红杉资本", "investedIn", "星云智能"), ("真格基金", "investedIn", "星云智能")} <= triples


def test_valuation_and_costs_are_not_funding(extract):
    _, _, rounds, _ = extract("星云智能估值一度高达10亿美元。训练一次模型要花1000万美元算力成本。")
    assert rounds == []


def test_nickname_and_short_name_resolve_to_the_full_name(extract):
    entities, triples, _, _ = extract("王慧文创立了美团。后来老王又去做大模型。慧文说他不后悔。")
    assert "老王" in entities["王慧文"].aliases and "慧文" in entities["王慧文"].aliases
    assert "老王" not in entities and ("王慧文", "founded", "美团") in triples


def test_competition_both_named_and_symmetric_once(extract):
    _, triples, _, _ = extract("百度与阿里巴巴在大模型上展开激烈竞争。")
    comp = {t for t in triples if t[1] == "competesWith"}
    assert len(comp) == 1 and {comp.pop()[0], "百度", "阿里巴巴"} == {"百度", "阿里巴巴"}


def test_competitor_named_once_pairs_with_the_subject_of_the_context(extract):
    _, triples, _, _ = extract("Anthropic的模型迭代很快。哪怕对OpenAI这样的竞争对手也不怕。")
    assert ("Anthropic", "competesWith", "OpenAI") in triples or ("OpenAI", "competesWith", "Anthropic") in triples


def test_developed_and_uses(extract):
    _, triples, _, _ = extract("智谱AI发布了GLM。出门问问的客服产品接入了GLM。")
    assert ("智谱AI", "developed", "GLM") in triples
    assert ("出门问问", "uses", "GLM") in triples


def test_quoted_product_found_without_kb(extract):
    entities, triples, _, _ = extract("出门问问推出了一款AI写作平台“妙笔生花”。")
    assert entities["妙笔生花"].type == "Product"
    assert ("出门问问", "developed", "妙笔生花") in triples


def test_traditional_and_pinyin_noisy_text(extract):
    entities, triples, _, _ = extract("李開(kāi)復(fù)創(chuàng)辦了零一萬(wàn)物。")
    assert ("李开复", "founded", "零一万物") in triples


def test_education_and_pronoun_subject(extract):
    _, triples, _, _ = extract("赵明远是星云智能的创始人。他毕业于清华大学计算机系。")
    assert ("赵明远", "founded", "星云智能") in triples
    assert ("赵明远", "educatedAt", "清华大学") in triples
