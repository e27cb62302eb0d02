"""WARC files (web crawls such as Common Crawl's news crawl) as input documents.

`read_warc(path, name, settings)` yields one document per HTML page the crawl fetched: every
``response`` record with HTTP status 200 and an HTML content type, read as `rasad extract` reads an
HTML file (`rasad.io.readers.html_document`: trafilatura's main text, title, date and site name).
Its id is the record's ``WARC-Target-URI`` (the page's address: the same page crawled twice gets
``#2``, as any repeated id), which is also its ``url`` when the page names no canonical one.
Requests, metadata, redirects, errors and non-HTML responses are not documents and are passed
over; a page without article text is a failure (E110), as is a file that is not a readable WARC
(E109), and the reading goes on.

warcio is imported only here, when a WARC file is read; `require_warcio` says (E502) which
command installs it.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rasad.errors import ConfigError
from rasad.io.readers import Failure, html_document
from rasad.records import RawDocument
from rasad.settings import Settings

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def require_warcio() -> Any:
    """warcio's `ArchiveIterator`; E502 naming the pip command when warcio is missing."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise ConfigError("reading WARC files needs warcio, which is not installed: "
                          "pip install warcio", code="E502") from None
    return ArchiveIterator


def _is_html_page(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    if record.http_headers.get_statuscode() != "200":
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return content_type.split(";")[0].strip() in _HTML_TYPES


def read_warc(path: Path, name: str, settings: Settings) -> Iterator[RawDocument | Failure]:
    """The HTML pages of a WARC file (``.warc`` or ``.warc.gz``), in the file's order."""
    archive_iterator = require_warcio()
    from warcio.exceptions import ArchiveLoadFailed

    origin = str(path)
    try:
        with path.open("rb") as stream:
            for record in archive_iterator(stream):
                if not _is_html_page(record):
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or name
                item = html_document(record.content_stream().read(), uri, settings, origin)
                if isinstance(item, RawDocument):
                    item.url = item.url or uri
                yield item
    except (OSError, EOFError, zlib.error, ArchiveLoadFailed, ValueError) as exc:
        yield Failure(name, "E109", f"cannot read WARC file: {exc}", origin=origin)
