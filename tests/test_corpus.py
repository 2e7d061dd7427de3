import pytest

from kg.extract.corpus import CorpusError, decode, iter_corpus, read_doc


def test_fallback_encodings():
    assert decode("李开复创办零一万物".encode("gb18030"), "x") == ("李开复创办零一万物", "gb18030")
    assert decode("\ufeff微软".encode("utf-8"), "x")[0] == "微软"
    assert decode("李開復創辦零一萬物".encode("big5"), "x")[0] == "李開復創辦零一萬物"


@pytest.mark.parametrize("data, message", [(b"", "empty"), (b"  \n ", "empty"),
                                           (b"\x89PNG\x00\x00\x01", "binary")])
def test_bad_files_name_the_file(tmp_path, data, message):
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    with pytest.raises(CorpusError, match=rf"bad\.txt.*{message}"):
        read_doc(f)


def test_huge_file_is_refused_before_reading(tmp_path, monkeypatch):
    import kg.extract.corpus
    monkeypatch.setattr(kg.extract.corpus, "MAX_BYTES", 10)
    f = tmp_path / "huge.txt"
    f.write_text("一" * 20, encoding="utf-8")
    with pytest.raises(CorpusError, match="huge.txt.*limit"):
        read_doc(f)


def test_one_bad_file_does_not_hide_the_others(tmp_path):
    (tmp_path / "a.txt").write_text("微软投资了OpenAI。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "manifest.json").write_text('{"a.txt": {"title": "T"}}', encoding="utf-8")
    items = list(iter_corpus(tmp_path))
    assert items[0].meta == {"title": "T"}
    assert isinstance(items[1], CorpusError) and "b.txt" in str(items[1])


def test_manifest_covers_the_corpus():
    import json

    from support import CORPUS
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) == {p.name for p in CORPUS.glob("*.txt")}
    assert all(m.get("outlet") and m.get("author") for m in manifest.values())


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_text_with_a_utf16_or_utf32_byte_order_mark_is_read(codec):
    data = "李开复创办零一万物".encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    text, enc = decode(data, "x")
    assert text == "李开复创办零一万物" and enc.startswith(codec[:6])


def test_non_regular_files_are_refused_without_blocking(tmp_path):
    import os
    os.mkfifo(tmp_path / "fifo.txt")        # opening it for reading would wait for a writer
    with pytest.raises(CorpusError, match="fifo.txt: a FIFO"):
        read_doc(tmp_path / "fifo.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    with pytest.raises(CorpusError, match="zero.txt: a character device"):
        read_doc(tmp_path / "zero.txt")


def test_the_byte_limit_holds_when_the_size_is_not_known(tmp_path, monkeypatch):
    """/proc files report a size of 0: the limit is on the bytes read, not on st_size."""
    import kg.extract.corpus
    monkeypatch.setattr(kg.extract.corpus, "MAX_BYTES", 10)
    with pytest.raises(CorpusError, match="cpuinfo.*10 byte limit"):
        kg.extract.corpus.read_bytes("/proc/cpuinfo")


def test_a_symlink_out_of_the_corpus_is_refused_and_one_inside_is_read(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "elsewhere.txt").write_text("外面的文件。", encoding="utf-8")
    (corpus / "inside.txt").write_text("里面的文件。", encoding="utf-8")
    (corpus / "out.txt").symlink_to(tmp_path / "elsewhere.txt")
    (corpus / "same.txt").symlink_to("inside.txt")
    items = {getattr(i, "doc_id", None) or str(i): i for i in iter_corpus(corpus)}
    assert items["same"].text == "里面的文件。"
    assert any("out.txt" in k and "outside the corpus folder" in k for k in items)


def test_manifest_numbers_are_text_and_other_values_are_refused(tmp_path, caplog):
    from kg.extract.corpus import load_manifest
    (tmp_path / "manifest.json").write_text('{"a.txt": {"title": 7, "date": 2024, "url": null}}', encoding="utf-8")
    assert load_manifest(tmp_path)["a"] == {"title": "7", "date": "2024", "url": None}
    assert "2024" in caplog.text and "a.txt" in caplog.text
    for bad in ('{"a.txt": {"title": true}}', '{"a.txt": "title"}', '[1, 2]'):
        (tmp_path / "manifest.json").write_text(bad, encoding="utf-8")
        with pytest.raises(CorpusError, match="manifest.json"):
            load_manifest(tmp_path)


def test_a_document_over_the_character_budget_is_refused(tmp_path, monkeypatch):
    import kg.extract.corpus
    monkeypatch.setattr(kg.extract.corpus, "MAX_CHARS", 10)
    (tmp_path / "long.txt").write_text("一" * 11, encoding="utf-8")           # 33 bytes: decoded, then counted
    with pytest.raises(CorpusError, match="long.txt: 11 characters is more than the 10"):
        read_doc(tmp_path / "long.txt")
    (tmp_path / "big.txt").write_bytes(b"a" * 45)                           # refused before decoding
    with pytest.raises(CorpusError, match="big.txt: 45 bytes hold more than the 10 characters"):
        read_doc(tmp_path / "big.txt")
    (tmp_path / "ok.txt").write_text("一" * 10, encoding="utf-8")
    assert read_doc(tmp_path / "ok.txt").text == "一" * 10
