"""Read input documents (contract §4): JSON Lines, JSON, plain text, HTML, or a folder of them.

`read_documents(path, settings, options)` (an `InputReader`) yields, in input order, a
`RawDocument` for every readable document and a `Failure` for every one that is not (bad UTF-8,
broken JSON, missing id, empty or oversized text, binary junk …).  It never raises for a bad
document; only a path that does not exist raises `InputError`.  What it decides for the user:

- a file's document id is its path relative to the input folder (``2015/article.txt``; a single
  file: its name), so files of the same name in two sub-folders never share an id;
- a repeated id (two JSON Lines with ``"id": "x"``, or the same id in two files) is kept, renamed
  ``x#2``, ``x#3`` … with a ``duplicate id:`` warning (`UniqueIds`): nothing is overwritten;
- hidden files and folders (a name starting with ``.``) are not read, and files of a type rasad
  does not read are left out; `InputScan` lists both, for the run's summary;
- ``-`` reads standard input: JSON Lines, JSON, HTML or plain text (`read_stdin`).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import itertools
import json
import math
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from rasad.errors import InputError
from rasad.records import RawDocument
from rasad.settings import Settings

DOCUMENT_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".txt", ".html", ".htm")
_SUFFIX_FORMATS = {".jsonl": "jsonl", ".jsonl.gz": "jsonl", ".json": "json", ".txt": "text",
                   ".html": "html", ".htm": "html"}
FORMATS = ("auto", "text", "jsonl", "json", "html")
STDIN = "<stdin>"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
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
    def meta(key: str) -> str | None:
        value = obj.get(key)
        return value if value is None or isinstance(value, str) else str(value)

    extra = {k: v for k, v in obj.items() if k not in _KNOWN_KEYS}
    return RawDocument(doc_id, text, title=meta("title"), published=meta("published"),
                       source=meta("source"), url=meta("url"), extra=extra)


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


def read_jsonl(stream: Iterable[bytes], settings: Settings, origin: str,
               name: str | None = None) -> Iterator[RawDocument | Failure]:
    """Documents of a JSON Lines byte stream; each bad line becomes a `Failure` whose id, when
    the line shows none, is `name` (default: `origin`) and the line number."""
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        fallback = f"{name or origin}:{lineno}"
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


def json_documents(data: bytes, name: str, settings: Settings, origin: str
                   ) -> Iterator[RawDocument | Failure]:
    """A JSON file: one document object, or a list of them (`name:i` for an item without id)."""
    decoded = _decode(data, name, origin)
    if isinstance(decoded, Failure):
        yield decoded
        return
    try:
        obj = json.loads(decoded)
    except ValueError as exc:
        yield Failure(name, "E102", f"malformed JSON: {exc}", origin=origin)
        return
    items = obj if isinstance(obj, list) else [obj]
    for i, item in enumerate(items):
        yield document_from_object(item, f"{name}:{i}", settings, origin)


def text_document(data: bytes, doc_id: str, settings: Settings, origin: str
                  ) -> RawDocument | Failure:
    """Plain UTF-8 text: one document."""
    decoded = _decode(data, doc_id, origin)
    if isinstance(decoded, Failure):
        return decoded
    return check_text(decoded, doc_id, settings, origin) or RawDocument(doc_id, decoded)


def html_text(data: bytes, doc_id: str, settings: Settings, origin: str,
              url: str | None = None) -> tuple[Any, str] | Failure:
    """trafilatura's extraction of an HTML page (its metadata) and the page's main text, or
    why there is none."""
    import trafilatura

    if b"\x00" in data[:4096]:
        return Failure(doc_id, "E106", "binary content, not HTML", origin=origin)
    extracted = trafilatura.bare_extraction(data, url=url, with_metadata=True,
                                            include_comments=False, include_tables=False,
                                            favor_recall=True)
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        return Failure(doc_id, "E110", "no article text found in the HTML", origin=origin)
    return check_text(text, doc_id, settings, origin) or (extracted, text)


def html_document(data: bytes, doc_id: str, settings: Settings, origin: str
                  ) -> RawDocument | Failure:
    """An HTML page: main text, title, date, URL and site name through trafilatura."""
    found = html_text(data, doc_id, settings, origin)
    if isinstance(found, Failure):
        return found
    extracted, text = found
    return RawDocument(doc_id, text, title=getattr(extracted, "title", None),
                       published=getattr(extracted, "date", None),
                       url=getattr(extracted, "url", None),
                       source=getattr(extracted, "sitename", None))


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".jsonl.gz" if name.endswith(".jsonl.gz") else path.suffix.lower()


def file_format(path: Path, fmt: str = "auto") -> str | None:
    """The format a file is read as: `fmt`, or with "auto" the one its suffix names (or None)."""
    return _SUFFIX_FORMATS.get(_suffix(path)) if fmt == "auto" else fmt


def read_file(path: Path, doc_id: str, settings: Settings, fmt: str = "auto"
              ) -> Iterator[RawDocument | Failure]:
    """The documents of one file; `doc_id` names it (and its items without an id of their own).

    A `.gz` file is decompressed whatever its format.
    """
    origin = str(path)
    kind = file_format(path, fmt)
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        if kind == "jsonl":
            with opener(path, "rb") as stream:
                yield from read_jsonl(stream, settings, origin, name=doc_id)
            return
        if kind is None:
            yield Failure(doc_id, "E111", f"unsupported file type {_suffix(path) or '(none)'}; "
                          f"expected one of {', '.join(DOCUMENT_SUFFIXES)}, or name the format "
                          "with --format text|jsonl|json|html", origin=origin)
            return
        with opener(path, "rb") as stream:
            data = stream.read()
    except _READ_ERRORS as exc:
        yield Failure(doc_id, "E109", f"cannot read file: {getattr(exc, 'strerror', None) or exc}",
                      origin=origin)
        return
    yield from _documents_of(kind, data, doc_id, settings, origin)


def _documents_of(kind: str, data: bytes, doc_id: str, settings: Settings, origin: str
                  ) -> Iterator[RawDocument | Failure]:
    """The documents of a whole file or stream read as `kind` (json, text or html)."""
    if kind == "json":
        yield from json_documents(data, doc_id, settings, origin)
    elif kind == "html":
        yield html_document(data, doc_id, settings, origin)
    else:
        yield text_document(data, doc_id, settings, origin)


def sniff_format(first_line: bytes) -> str:
    """The format of a stream from its first non-blank line (see `read_stdin`)."""
    line = first_line.lstrip(b"\xef\xbb\xbf \t\r\n").rstrip()
    if line == b"{" or line.startswith(b"["):
        return "json"
    if line.startswith(b"{"):
        return "jsonl"
    return "html" if line.startswith(b"<") else "text"


def read_stdin(stream: BinaryIO, settings: Settings, fmt: str = "auto"
               ) -> Iterator[RawDocument | Failure]:
    """The documents of a byte stream such as standard input.

    With ``fmt="auto"`` the first non-blank line decides: a line that starts with ``{`` is JSON
    Lines, a lone ``{`` or a ``[`` one JSON document or a list of them, ``<`` HTML, anything
    else plain text.  Text and HTML are one document whose id is ``stdin-`` and 12 hex digits
    of the SHA-1 of its bytes: the same text always gets the same id, and two different texts
    never overwrite each other in a database.  JSON Lines are read line by line, never held in
    memory as a whole.
    """
    head: list[bytes] = []
    for line in stream:
        head.append(line)
        if line.strip(b"\xef\xbb\xbf \t\r\n"):
            break
    else:
        return  # nothing but blank lines: no document
    kind = sniff_format(head[-1]) if fmt == "auto" else fmt
    lines = itertools.chain(head, stream)
    if kind == "jsonl":
        yield from read_jsonl(lines, settings, STDIN)
        return
    data = b"".join(lines)
    name = STDIN if kind == "json" else f"stdin-{hashlib.sha1(data).hexdigest()[:12]}"
    yield from _documents_of(kind, data, name, settings, STDIN)


@dataclass(slots=True)
class InputScan:
    """What INPUT holds: the files to read, in order, and those left out.

    `root` is the folder ids are relative to (a single file's own folder, so its id is its
    name).  `skipped` are files whose type rasad does not read; `hidden` are files and folders
    whose name starts with a dot (a hidden folder is not entered).
    """

    root: Path
    files: list[Path]
    skipped: list[Path] = field(default_factory=list)
    hidden: list[Path] = field(default_factory=list)

    def doc_id(self, path: Path) -> str:
        """The id of a file's document: its path relative to the input root, with ``/``."""
        return path.relative_to(self.root).as_posix()


def scan_input(path: Path, fmt: str = "auto") -> InputScan:
    """The files INPUT stands for: itself, or every file in a folder and its sub-folders, in
    sorted path order, except hidden ones; with `fmt` other than "auto" every visible file is
    read as that format, else only those of a known suffix (the others are `skipped`)."""
    if not path.is_dir():
        return InputScan(path.parent, [path])
    scan = InputScan(path, [])
    visited: set[str] = set()
    for folder, dirs, names in os.walk(path, followlinks=True):
        real = os.path.realpath(folder)
        if real in visited:  # a symbolic link back up the tree
            dirs.clear()
            continue
        visited.add(real)
        here = Path(folder)
        scan.hidden.extend(here / d for d in dirs if d.startswith("."))
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            file = here / name
            if name.startswith("."):
                scan.hidden.append(file)
            elif file_format(file, fmt) is not None and (file.is_file() or file.is_symlink()):
                scan.files.append(file)
            else:
                scan.skipped.append(file)
    for found in (scan.files, scan.skipped, scan.hidden):
        found.sort(key=lambda p: p.relative_to(path).parts)
    return scan


def is_iso_date(value: str) -> bool:
    """A real calendar day written YYYY-MM-DD, alone or opening an ISO datetime."""
    value = value.strip()
    if not _ISO_DAY.match(value):
        return False
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        else:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read INPUT (`rasad extract --format/--published/--source`).

    `format` is "auto" (by file suffix; on standard input by the first line) or one of
    `FORMATS`; `published` and `source` are given to every document that has none of its own.
    """

    format: str = "auto"
    published: str | None = None
    source: str | None = None


class UniqueIds:
    """Makes document ids unique within one input, in input order.

    The first document with an id keeps it; a later one gets the first free ``id#2``, ``id#3``
    … and says so: a warning that starts with ``duplicate id:`` in its record (the message of
    an error record).  Renaming depends only on the order of the input, so re-running the same
    input gives the same ids.  `renamed` lists ``(id, new id)`` pairs.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._last: dict[str, int] = {}
        self.renamed: list[tuple[str, str]] = []

    def __call__(self, item: RawDocument | Failure) -> RawDocument | Failure:
        doc_id = item.id if isinstance(item, RawDocument) else item.doc_id
        if doc_id not in self._taken:
            self._taken.add(doc_id)
            return item
        n = self._last.get(doc_id, 1) + 1
        while f"{doc_id}#{n}" in self._taken:
            n += 1
        self._last[doc_id] = n
        new_id = f"{doc_id}#{n}"
        self._taken.add(new_id)
        self.renamed.append((doc_id, new_id))
        note = (f"duplicate id: {doc_id!r} is the id of an earlier document of this input; "
                f"this one is {new_id!r}")
        if isinstance(item, Failure):
            return replace(item, doc_id=new_id, message=f"{item.message} ({note})")
        item.id = new_id
        item.warnings.append(note)
        return item


class InputReader:
    """Every document of INPUT (a path, or ``-`` for standard input), in input order.

    Iterating yields a `RawDocument` for every readable document and a `Failure` for every one
    that is not, with unique ids (`UniqueIds`) and the metadata of `options` filled in; `scan`
    says which files are read and which are left out, `ids.renamed` which ids were repeated.
    """

    def __init__(self, path: str | Path, settings: Settings,
                 options: ReadOptions | None = None) -> None:
        self.path = str(path)
        self.settings = settings
        self.options = options or ReadOptions()
        self.ids = UniqueIds()
        self.scan: InputScan | None = None
        if self.path != "-":
            if not Path(path).exists():
                raise InputError(f"input not found: {path}", code="E109")
            self.scan = scan_input(Path(path), self.options.format)

    def _items(self) -> Iterator[RawDocument | Failure]:
        if self.scan is None:
            yield from read_stdin(sys.stdin.buffer, self.settings, self.options.format)
            return
        for file in self.scan.files:
            yield from read_file(file, self.scan.doc_id(file), self.settings,
                                 self.options.format)

    def __iter__(self) -> Iterator[RawDocument | Failure]:
        published, source = self.options.published, self.options.source
        for item in self._items():
            if isinstance(item, RawDocument):
                item.published = item.published or published
                item.source = item.source or source
            yield self.ids(item)

    def count(self) -> int | None:
        """How many documents the run will see, for progress; None when it cannot tell."""
        if self.scan is None:
            return None
        total = 0
        for path in self.scan.files:
            kind = file_format(path, self.options.format)
            if kind == "json":
                return None
            if kind != "jsonl":
                total += 1
                continue
            opener = gzip.open if path.name.lower().endswith(".gz") else open
            try:
                with opener(path, "rb") as stream:
                    total += sum(1 for line in stream if line.strip())
            except _READ_ERRORS:
                total += 1  # read_file reports it as one failure
        return total


def read_documents(path: str | Path, settings: Settings, options: ReadOptions | None = None
                   ) -> Iterator[RawDocument | Failure]:
    """Every document under `path` ("-" = standard input), in input order (`InputReader`)."""
    yield from InputReader(path, settings, options)
