"""WARC files (web crawls such as Common Crawl's news crawl): the HTML pages they hold.

One reading of a WARC file for every command that takes one (`rasad spark`, `rasad ingest`):

- `html_responses(stream)` yields a `WarcPage` for every ``response`` record with HTTP status 200
  and an HTML content type (``text/html`` or ``application/xhtml+xml``, parameters such as the
  charset ignored); requests, metadata, redirects, errors and other content types (images,
  PDFs, JSON) are passed over.  A page's body is read up to `MAX_PAGE_BYTES` (the size limit of
  a fetched page, `rasad.ingest.fetch.MAX_BYTES`): a larger one comes with ``body=None`` and
  its size, so that each caller reports it rather than dropping it unseen.
- `read_warc(path, name, settings)` makes each page a document as `rasad extract` reads an HTML
  file (`rasad.io.readers.html_document`: trafilatura's main text, title, date and site name).
  Its id is the record's ``WARC-Target-URI`` (the page's address), also its ``url`` when the
  page names no canonical one.  A page without article text is a failure (E110), a page over
  the size limit too (E105), as is a file that is not a readable WARC (E109); the reading goes
  on after each.
- `is_warc(path)` tells a WARC file by its first bytes (``WARC/``, gzip-compressed or not).

warcio is imported only when a WARC file is read; `require_warcio` says (E502) which command
installs it.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from rasad.errors import ConfigError
from rasad.io.readers import Failure, html_document
from rasad.records import RawDocument
from rasad.settings import Settings

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_PAGE_BYTES = 10_000_000
# What warcio raises on a file that is cut short, corrupt or not WARC at all (with
# warcio.exceptions.ArchiveLoadFailed, imported with warcio).
READ_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error, ValueError)


@dataclass(frozen=True)
class WarcPage:
    """An HTML response of a crawl: its target URL (None when the record names none) and its
    body, or None with the `size` read so far when it is larger than the limit."""

    url: str | None
    body: bytes | None
    size: int


def require_warcio() -> Any:
    """warcio's `ArchiveIterator`; E502 naming the pip command when warcio is missing."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise ConfigError("reading WARC files needs warcio, which is not installed: "
                          "pip install warcio", code="E502") from None
    return ArchiveIterator


def read_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean the file cannot be read as WARC (warcio's own included)."""
    from warcio.exceptions import ArchiveLoadFailed

    return (*READ_ERRORS, ArchiveLoadFailed)


def is_warc(path: Path) -> bool:
    """Whether a file (gzip-compressed or not) starts as a WARC record does."""
    with path.open("rb") as stream:
        compressed = stream.read(2) == b"\x1f\x8b"
    with (gzip.open(path, "rb") if compressed else path.open("rb")) as stream:
        return bool(stream.read(5) == b"WARC/")


def _is_html_response(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if record.http_headers.get_statuscode() != "200":
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return content_type.split(";")[0].strip() in HTML_TYPES


def html_responses(stream: IO[bytes], max_bytes: int = MAX_PAGE_BYTES) -> Iterator[WarcPage]:
    """The HTML pages (status 200) of a WARC stream, in the file's order."""
    archive_iterator = require_warcio()
    for record in archive_iterator(stream):
        if not _is_html_response(record):
            continue
        url = record.rec_headers.get_header("WARC-Target-URI") or None
        body = record.content_stream().read(max_bytes + 1)
        if len(body) > max_bytes:
            yield WarcPage(url, None, len(body))
        else:
            yield WarcPage(url, body, len(body))


def read_warc(path: Path, name: str, settings: Settings) -> Iterator[RawDocument | Failure]:
    """The HTML pages of a WARC file (``.warc`` or ``.warc.gz``) as documents, in its order."""
    require_warcio()
    origin = str(path)
    try:
        with path.open("rb") as stream:
            for page in html_responses(stream, MAX_PAGE_BYTES):
                uri = page.url or name
                if page.body is None:
                    yield Failure(uri, "E105", f"page larger than {MAX_PAGE_BYTES:,} bytes in "
                                  "the WARC file", origin=origin)
                    continue
                item = html_document(page.body, uri, settings, origin)
                if isinstance(item, RawDocument):
                    item.url = item.url or uri
                yield item
    except read_errors() as exc:
        yield Failure(name, "E109", f"cannot read WARC file: {exc}", origin=origin)
