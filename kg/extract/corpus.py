"""Read a folder of articles: robust decoding, input checks, manifest metadata.

Every file is opened without blocking and read with a hard byte limit, and only regular files
inside the corpus folder are read: a FIFO, a device, a folder or a symlink out of the folder
named ``*.txt`` is skipped with one line naming it, never read, followed or waited on.
"""
from __future__ import annotations

import json
import logging
import os
import stat
import unicodedata
from pathlib import Path

from ..errors import UserError
from ..files import shown
from .records import SourceDoc

MAX_BYTES = 20 * 1024 * 1024      # a news article is KBs; anything this big is not one
# Parts of the work per document grow faster than its length; a long news feature has ~30,000
# characters, and at this budget the worst text (a name every few characters, no punctuation)
# takes under a minute and a gigabyte on a busy 2-core machine (benchmarks/bad_input.py).
MAX_CHARS = 100_000
MANIFEST = "manifest.json"
META_FIELDS = ("title", "outlet", "author", "date", "url")
# BOM-less UTF-8 first: it is what the web hands out; GB18030 is a superset of GBK/GB2312.
FALLBACK_ENCODINGS = ("utf-8", "gb18030", "big5")
# UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one
BOMS = ((b"\xef\xbb\xbf", "utf-8", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"), (b"\xff\xfe", "utf-16-le", "utf-16"),
        (b"\xfe\xff", "utf-16-be", "utf-16"))
log = logging.getLogger("kg")


class CorpusError(UserError, ValueError):
    """A file that cannot be read as an article; the message names the file."""


def _oddness(text: str) -> int:
    return sum(1 for c in text if "\ue000" <= c <= "\uf8ff" or unicodedata.category(c) == "Cn")


def decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            return _checked(data[len(bom):].decode(codec, errors="replace"), name), label
    if b"\x00" in data[:4096]:
        raise CorpusError(f"{name}: binary file (NUL bytes), not text")
    if not data.strip():
        raise CorpusError(f"{name}: empty file")
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


def _checked(text: str, name: str) -> str:
    """The checks the byte-level path makes, on text decoded through its BOM."""
    if not text.strip():
        raise CorpusError(f"{name}: empty file")
    if "\x00" in text[:4096]:
        raise CorpusError(f"{name}: binary file (NUL characters), not text")
    if text.count("\ufffd") > len(text) // 10:
        raise CorpusError(f"{name}: not decodable in the encoding its byte order mark names")
    return text


def _kind(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a regular file"


def read_bytes(path: Path, root: Path | None = None, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, inside ``root`` when given.

    The file is checked before it is opened (a FIFO would block the open, a device never ends),
    opened non-blocking and checked again on the open descriptor (it may have been swapped),
    then read up to ``limit + 1`` bytes: ``st_size`` is not trusted, /proc files report 0."""
    name, limit = shown(path), limit or MAX_BYTES
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise CorpusError(f"{name}: {_kind(st.st_mode)}, not a text file")
        if root is not None and not Path(path).resolve().is_relative_to(Path(root).resolve()):
            raise CorpusError(f"{name}: links to {shown(Path(path).resolve())}, outside the corpus folder")
        if st.st_size > limit:
            raise CorpusError(f"{name}: {st.st_size} bytes is larger than the {limit} byte limit")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise CorpusError(f"{name}: cannot read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(f.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise CorpusError(f"{name}: {_kind(mode)}, not a text file")
        try:
            data = f.read(limit + 1)
        except OSError as exc:
            raise CorpusError(f"{name}: cannot read ({exc.strerror})") from None
    if len(data) > limit:
        raise CorpusError(f"{name}: larger than the {limit} byte limit")
    return data


def read_doc(path: Path, meta: dict | None = None, root: Path | None = None) -> SourceDoc:
    path = Path(path)
    data = read_bytes(path, root=root)
    # every encoding read here spends at most 4 bytes on a character: no need to decode to know
    if len(data) > 4 * MAX_CHARS + 4:
        raise CorpusError(f"{shown(path)}: {len(data)} bytes hold more than the {MAX_CHARS} characters"
                          " one document may have")
    text, enc = decode(data, shown(path))
    if len(text) > MAX_CHARS:
        raise CorpusError(f"{shown(path)}: {len(text)} characters is more than the {MAX_CHARS} characters"
                          " one document may have")
    return SourceDoc(doc_id=path.stem, path=str(path), text=text, encoding=enc, meta=meta or {})


def _meta(entry, key: str, f: Path) -> dict:
    """One manifest entry with string values: numbers (a year) are taken as text with a warning,
    anything else is refused."""
    where = f"{shown(f)}: {shown(key)}"
    if not isinstance(entry, dict):
        raise CorpusError(f"{where}: not an object of title/outlet/author/date/url")
    meta = dict(entry)
    for field in META_FIELDS:
        value = entry.get(field)
        if value is None or isinstance(value, str):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            log.warning(f"warning: {where}: {field} {value!r} is a number; read as text")
            meta[field] = str(value)
        else:
            raise CorpusError(f"{where}: {field} must be a string, not {type(value).__name__}")
    return meta


def load_manifest(folder: Path) -> dict[str, dict]:
    """``manifest.json`` maps file names to title/outlet/author/date/url; optional."""
    f = Path(folder) / MANIFEST
    if not os.path.lexists(f):
        return {}
    try:
        data = json.loads(read_bytes(f, root=folder).decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{shown(f)}: invalid manifest ({exc})") from None
    if not isinstance(data, dict):
        raise CorpusError(f"{shown(f)}: invalid manifest (a JSON object mapping file names to metadata expected)")
    try:
        # JSON may escape half of a character ("\ud800"), which no output file can hold
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise CorpusError(f"{shown(f)}: invalid manifest (a \\u escape of half a character, "
                          "a lone surrogate)") from None
    return {Path(k).stem: _meta(v, k, f) for k, v in data.items()}


def iter_corpus(folder: Path):
    """Yield SourceDoc or CorpusError per .txt file, sorted by name, so that one bad file
    does not hide the others."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"{shown(folder)}: not a folder")
    manifest = load_manifest(folder)
    for path in sorted(folder.glob("*.txt")):
        try:
            yield read_doc(path, manifest.get(path.stem), root=folder)
        except CorpusError as exc:
            yield exc
