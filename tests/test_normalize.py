from kg.extract.normalize import (
    find_watermarks,
    garbled_spans,
    normalize,
    split_sentences,
    strip_pinyin,
)
from kg.extract.records import SourceDoc


def norm(text):
    return normalize(SourceDoc("d", "d.txt", text, "utf-8"))


def test_pinyin_inserted_after_characters_is_removed():
    # the three shapes the corpus shows: after a Hanzi, inside a Latin name, neutral tone
    assert strip_pinyin("技術(shù)發(fā)展") == "技術發展"
    assert strip_pinyin("以O(shè)penAI和大廠為核心") == "以OpenAI和大廠為核心"
    assert strip_pinyin("我在(zài)北京的(de)公司") == "我在北京的公司"


def test_real_parentheses_survive():
    for text in ("为什么它能搞出来(GPT)", "微信公众号:“傅盛”(ID:fstalk)", "ToB(企业端)应用", "data (de facto)"):
        assert strip_pinyin(text) == text


def test_traditional_becomes_simplified_after_pinyin():
    d = norm("李開(kāi)復(fù)創辦的零一萬(wàn)物發(fā)布了萬智。")
    assert d.text == "李开复创办的零一万物发布了万智。"
    assert d.stats["pinyin_removed"] == 4


def test_watermark_suffix_is_stripped_from_every_line():
    mark = "lVi哈希力量 | 消除一切智能鸿沟"
    lines = [f"第{i}句话说了一些事情。{mark}" for i in range(6)] + ["没有水印的一行。"]
    assert find_watermarks(lines) == {mark}
    d = norm("\n".join(lines))
    assert mark not in d.text and "哈希力量" not in d.text
    assert d.sentences[0].text == "第0句话说了一些事情。"


def test_boilerplate_images_links_and_login_walls_are_dropped():
    raw = "\n".join([
        "登录甲子光年", "获取验证码", "获取验证码", "获取验证码",
        "![图片](https://image.cubox.pro/article/1.jpg)",
        "[mp.weixin.qq.com](http://mp.weixin.qq.com/s?x=1)张小珺 腾讯科技",
        "**推荐阅读**", "------------------", "<p>正文第一句。</p>",
    ])
    d = norm(raw)
    assert d.text == "张小珺 腾讯科技\n正文第一句。"


def test_sentence_offsets_point_into_normalized_text():
    d = norm("第一句。第二句！\n标题行\n“引语。”他说?好的")
    assert [s.text for s in d.sentences] == ["第一句。", "第二句！", "标题行", "“引语。”", "他说?", "好的"]
    for s in d.sentences:
        assert d.text[s.start:s.end] == s.text


def test_mojibake_is_flagged_not_repaired_and_does_not_split_sentences():
    # a line of the corpus (004) whose UTF-8 was decoded with the wrong codec
    text = "这是一个好的CEO必须要问自己的问题?!崩铋_复说。下一句。"
    sents = split_sentences("d", text)
    assert sents[0].text == "这是一个好的CEO必须要问自己的问题?!崩铋_复说。"
    (a, b), = sents[0].garbled
    assert "崩铋_" in sents[0].text[a:b]
    assert garbled_spans("正常的一句话,没有乱码?") == []


def test_corpus_noise_is_gone_from_the_real_articles():
    from support import CORPUS

    from kg.extract.corpus import read_doc
    d = normalize(read_doc(CORPUS / "003_536115cf7a38a5ec.txt"))
    assert "(shè)" not in d.text and "OpenAI" in d.text and "发展" in d.text
    d2 = normalize(read_doc(CORPUS / "002_4667ddc33a1cffc8.txt"))
    assert d2.stats["watermarks"] == ["lVi哈希力量 | 消除一切智能鸿沟"]
    assert "消除一切智能鸿沟" not in d2.text


def test_long_runs_without_punctuation_are_cut_into_bounded_sentences():
    from kg.extract.normalize import MAX_SENTENCE, split_sentences
    text = "开头一句。" + "甲公司和乙公司在竞争" * 100 + "，丙公司" * 60 + " 结尾"
    sents = split_sentences("d", text)
    assert max(len(s.text) for s in sents) <= MAX_SENTENCE
    assert all(text[s.start:s.end] == s.text for s in sents)                  # offsets still point into the text
    assert "".join(s.text for s in sents).replace(" ", "") == text.replace(" ", "")   # nothing lost
    assert any(s.text.endswith("，") for s in sents)                           # cut at a comma when there is one
