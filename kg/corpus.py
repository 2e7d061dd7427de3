"""Read a folder of articles: robust decoding, input checks, manifest metadata."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from .records import SourceDoc

MAX_BYTES = 20 * 1024 * 1024      # a news article is KBs; anything this big is not one
MANIFEST = "manifest.json"
# BOM-less UTF-8 first: it is what the web hands out; GB18030 is a superset of GBK/GB2312.
FALLBACK_ENCODINGS = ("utf-8", "gb18030", "big5")


class CorpusError(ValueError):
    """A file that cannot be read as an article; the message names the file."""


def _oddness(text: str) -> int:
    return sum(1 for c in text if "\ue000" <= c <= "\uf8ff" or unicodedata.category(c) == "Cn")


def decode(data: bytes, name: str) -> tuple[str, str]:
    if not data.strip():
        raise CorpusError(f"{name}: empty file")
    if b"\x00" in data[:4096]:
        raise CorpusError(f"{name}: binary file (NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # GB18030 decodes almost any byte string, Big5 text included: it wins unless its reading
    # holds private-use or unassigned code points and another reading holds fewer.
    decoded = []
    for enc in FALLBACK_ENCODINGS[1:]:
        try:
            decoded.append((_oddness(data.decode(enc)), enc, data.decode(enc)))
        except UnicodeDecodeError:
            continue
    if decoded:
        _, enc, text = min(decoded, key=lambda d: (d[0], FALLBACK_ENCODINGS.index(d[1])))
        return text, enc
    # Mostly-UTF-8 with a few broken bytes: keep the text, mark the damage with U+FFFD so
    # the normalizer flags those spans instead of guessing.
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") > len(text) // 10:
        raise CorpusError(f"{name}: not decodable as UTF-8, GB18030 or Big5")
    return text, "utf-8 (with replacement)"


def read_doc(path: Path, meta: dict | None = None) -> SourceDoc:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from exc
    if size > MAX_BYTES:
        raise CorpusError(f"{path}: {size} bytes is larger than the {MAX_BYTES} byte limit")
    text, enc = decode(path.read_bytes(), str(path))
    return SourceDoc(doc_id=path.stem, path=str(path), text=text, encoding=enc, meta=meta or {})


def load_manifest(folder: Path) -> dict[str, dict]:
    """``manifest.json`` maps file names to title/outlet/author/date/url; optional."""
    f = Path(folder) / MANIFEST
    if not f.exists():
        return {}
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{f}: invalid manifest ({exc})") from exc
    return {Path(k).stem: v for k, v in data.items()}


def iter_corpus(folder: Path):
    """Yield SourceDoc or CorpusError per .txt file, sorted by name, so that one bad file
    does not hide the others."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"{folder}: not a folder")
    manifest = load_manifest(folder)
    for path in sorted(folder.glob("*.txt")):
        try:
            yield read_doc(path, manifest.get(path.stem))
        except CorpusError as exc:
            yield exc
