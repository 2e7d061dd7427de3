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
