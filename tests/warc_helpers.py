"""Writing small WARC files for the tests that read them (`rasad.io.warc`, `rasad ingest`,
`rasad spark`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

# (record type, target URI, HTTP status, content type, body)
WarcRecord = tuple[str, str, int, str, bytes]


def write_warc(path: Path, records: list[WarcRecord]) -> None:
    """A WARC file of `records` (gzip-compressed when the name ends in ``.gz``)."""
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders

    with path.open("wb") as stream:
        writer = warcio.WARCWriter(stream, gzip=path.name.endswith(".gz"))
        for rec_type, uri, status, content_type, body in records:
            headers = (StatusAndHeaders(f"{status} OK", [("Content-Type", content_type)],
                                        protocol="HTTP/1.1") if rec_type == "response" else
                       StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")],
                                        is_http_request=True))
            writer.write_record(writer.create_warc_record(
                uri, rec_type, payload=io.BytesIO(body), http_headers=headers))
