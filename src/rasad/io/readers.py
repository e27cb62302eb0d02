"""Read input documents (contract §4): JSON Lines, JSON, plain text, HTML, or a folder of them.

`read_documents(path, settings)` yields, in input order, a `RawDocument` for every readable
document and a `Failure` for every one that is not (bad UTF-8, broken JSON, missing id, empty or
oversized text, binary junk …).  It never raises for a bad document; only a path that does not
exist raises `InputError`.  ``-`` reads JSON Lines from standard input.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasad.errors import InputError
from rasad.records import RawDocument
from rasad.settings import Settings

DOCUMENT_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".txt", ".html", ".htm")
_KNOWN_KEYS = ("id", "text", "title", "published", "source", "url")
_CONTROL = frozenset(range(0, 32)) - {9, 10, 13}
# JSON's \uD800 escapes decode to lone surrogates, which no UTF-8 output can hold.
_SURROGATE = re.compile("[\ud800-\udfff]")
# A file that cannot be read, or a .jsonl.gz damaged part-way: cut short, bad deflate data.
_READ_ERRORS = (OSError, EOFError, zlib.error)


@dataclass(frozen=True, slots=True)
class Failure:
    """A document that could not be read or processed: where, at which stage, and why."""

    doc_id: str
    code: str
    message: str
    stage: str = "read"
    origin: str | None = None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not a text document."""
    if b"\x00" in data:
        return True
    sample = data[:4096]
    if not sample:
        return False
    controls = sum(1 for b in sample if b in _CONTROL)
    return controls / len(sample) > 0.05


def _decode(data: bytes, doc_id: str, origin: str) -> str | Failure:
    if looks_binary(data):
        return Failure(doc_id, "E106", "binary content, not text", origin=origin)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Failure(doc_id, "E101", f"not valid UTF-8 (byte {exc.start}: "
                       f"{data[exc.start:exc.start + 1]!r})", origin=origin)


def _id_hint(data: bytes) -> str | None:
    """The id of a line we cannot fully read, if it can be seen at all."""
    try:
        obj = json.loads(data.decode("utf-8", errors="replace"))
    except ValueError:
        return None
    if isinstance(obj, dict) and isinstance(obj.get("id"), (str, int)) and str(obj["id"]):
        hint = str(obj["id"])
        return None if _SURROGATE.search(hint) else hint
    return None


def _unwritable(value: Any) -> Failure | None:
    """Why a decoded JSON value cannot be written back as strict JSON in UTF-8: a lone surrogate
    (from a \\uD8xx escape) or NaN/Infinity (which Python's json reads); None when it can.  The
    failure's id is left for the caller."""
    if isinstance(value, str):
        return (Failure("", "E101", "not valid Unicode: a \\u escape gives a lone surrogate")
                if _SURROGATE.search(value) else None)
    if isinstance(value, float):
        return None if math.isfinite(value) else Failure("", "E102", "NaN or Infinity is not JSON")
    children = [*value, *value.values()] if isinstance(value, dict) else value
    if isinstance(children, list):
        return next(filter(None, map(_unwritable, children)), None)
    return None


def document_from_object(obj: Any, fallback_id: str, settings: Settings,
                         origin: str) -> RawDocument | Failure:
    """Validate one decoded JSON object as an input document."""
    if not isinstance(obj, dict):
        return Failure(fallback_id, "E107", f"expected a JSON object, got {type(obj).__name__}",
                       origin=origin)
    raw_id = obj.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or not str(raw_id).strip():
        return Failure(fallback_id, "E103", "missing or empty 'id'", origin=origin)
    doc_id = str(raw_id)
    bad = _unwritable(obj)
    if bad is not None:
        return Failure(fallback_id if _unwritable(doc_id) else doc_id, bad.code, bad.message,
                       origin=origin)
    text = obj.get("text")
    if not isinstance(text, str):
        what = "missing" if text is None else f"a {type(text).__name__}, not a string"
        return Failure(doc_id, "E108" if text is not None else "E104", f"'text' is {what}",
                       origin=origin)
    failure = check_text(text, doc_id, settings, origin)
    if failure is not None:
        return failure
    meta: dict[str, str | None] = {}
    for key in ("title", "published", "source", "url"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            value = str(value)
        meta[key] = value
    extra = {k: v for k, v in obj.items() if k not in _KNOWN_KEYS}
    return RawDocument(doc_id, text, extra=extra, **meta)


def check_text(text: str, doc_id: str, settings: Settings, origin: str) -> Failure | None:
    """Empty, oversized or binary-looking text is a failure; anything else is a document."""
    if not text.strip():
        return Failure(doc_id, "E104", "empty text", origin=origin)
    if len(text) > settings.max_document_chars:
        return Failure(doc_id, "E105", f"text has {len(text):,} characters; the limit is "
                       f"{settings.max_document_chars:,} (setting max_document_chars)",
                       origin=origin)
    if "\x00" in text:
        return Failure(doc_id, "E106", "binary content (NUL characters) in text", origin=origin)
    return None


def read_jsonl(stream: Iterable[bytes], settings: Settings, origin: str
               ) -> Iterator[RawDocument | Failure]:
    """Documents of a JSON Lines byte stream; each bad line becomes a `Failure`."""
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        fallback = f"{origin}:{lineno}"
        hint = _id_hint(line) if (b"\x00" in line or not _is_utf8(line)) else None
        decoded = _decode(line.rstrip(b"\r\n"), hint or fallback, origin)
        if isinstance(decoded, Failure):
            yield decoded
            continue
        try:
            obj = json.loads(decoded)
        except ValueError as exc:
            yield Failure(fallback, "E102", f"malformed JSON on line {lineno}: {exc}",
                          origin=origin)
            continue
        yield document_from_object(obj, fallback, settings, origin)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_json(path: Path, settings: Settings) -> Iterator[RawDocument | Failure]:
    """A .json file: one document object, or a list of them."""
    origin = str(path)
    decoded = _decode(path.read_bytes(), path.name, origin)
    if isinstance(decoded, Failure):
        yield decoded
        return
    try:
        obj = json.loads(decoded)
    except ValueError as exc:
        yield Failure(path.name, "E102", f"malformed JSON: {exc}", origin=origin)
        return
    items = obj if isinstance(obj, list) else [obj]
    for i, item in enumerate(items):
        yield document_from_object(item, f"{path.name}:{i}", settings, origin)


def read_text_file(path: Path, settings: Settings) -> RawDocument | Failure:
    """A .txt file: one document whose id is the file name."""
    decoded = _decode(path.read_bytes(), path.name, str(path))
    if isinstance(decoded, Failure):
        return decoded
    return check_text(decoded, path.name, settings, str(path)) or RawDocument(path.name, decoded)


def read_html_file(path: Path, settings: Settings) -> RawDocument | Failure:
    """An .html file: main text, title and date through trafilatura; id = file name."""
    import trafilatura

    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        return Failure(path.name, "E106", "binary content, not HTML", origin=str(path))
    extracted = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                            include_tables=False, favor_recall=True)
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        return Failure(path.name, "E110", "no article text found in the HTML", origin=str(path))
    failure = check_text(text, path.name, settings, str(path))
    if failure is not None:
        return failure
    return RawDocument(path.name, text, title=getattr(extracted, "title", None),
                       published=getattr(extracted, "date", None),
                       url=getattr(extracted, "url", None),
                       source=getattr(extracted, "sitename", None))


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".jsonl.gz" if name.endswith(".jsonl.gz") else path.suffix.lower()


def _read_file(path: Path, settings: Settings) -> Iterator[RawDocument | Failure]:
    suffix = _suffix(path)
    try:
        if suffix == ".jsonl":
            with path.open("rb") as stream:
                yield from read_jsonl(stream, settings, str(path))
        elif suffix == ".jsonl.gz":
            with gzip.open(path, "rb") as stream:
                yield from read_jsonl(stream, settings, str(path))
        elif suffix == ".json":
            yield from read_json(path, settings)
        elif suffix == ".txt":
            yield read_text_file(path, settings)
        elif suffix in (".html", ".htm"):
            yield read_html_file(path, settings)
        else:
            yield Failure(path.name, "E111", f"unsupported file type {suffix or '(none)'}; "
                          f"expected one of {', '.join(DOCUMENT_SUFFIXES)}", origin=str(path))
    except _READ_ERRORS as exc:
        reason = getattr(exc, "strerror", None) or exc
        yield Failure(path.name, "E109", f"cannot read file: {reason}", origin=str(path))


def input_files(path: Path) -> list[Path]:
    """The files an INPUT path stands for: itself, or the documents in a folder (sorted)."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*")
                      if p.is_file() and _suffix(p) in DOCUMENT_SUFFIXES)
    return [path]


def read_documents(path: str | Path, settings: Settings) -> Iterator[RawDocument | Failure]:
    """Every document under `path` ("-" = JSON Lines on stdin), in input order."""
    if str(path) == "-":
        yield from read_jsonl(sys.stdin.buffer, settings, "<stdin>")
        return
    path = Path(path)
    if not path.exists():
        raise InputError(f"input not found: {path}", code="E109")
    for file in input_files(path):
        yield from _read_file(file, settings)


def count_documents(paths: Iterable[Path]) -> int | None:
    """How many documents a run will see (lines of JSONL, one per other file), for progress."""
    total = 0
    for path in paths:
        suffix = _suffix(path)
        if suffix in (".jsonl", ".jsonl.gz"):
            opener = gzip.open if suffix == ".jsonl.gz" else open
            try:
                with opener(path, "rb") as stream:
                    total += sum(1 for line in stream if line.strip())
            except _READ_ERRORS:
                return None  # unreadable: reading it will say why
        elif suffix == ".json":
            return None
        else:
            total += 1
    return total
