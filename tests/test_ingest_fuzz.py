"""Hostile bytes where a feed, page or archive is expected: ingest records a coded error and goes
on, it never raises."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest_helpers import SETTINGS, SITE
from rasad.ingest.fetch import Response, StaticFetcher
from rasad.ingest.pages import Page, page_document, parse_feed
from rasad.ingest.run import Ingester
from rasad.io.readers import Failure
from rasad.io.store import Store

FEED = (SITE / "feeds" / "outlet-a.xml").read_bytes()
PAGE = (SITE / "news" / "aleppo-shelling.html").read_bytes()
_PIECES = st.sampled_from([b"<rss", b"<feed", b"<item><link>", b"</link>", b"<html>", b"<p>",
                           b"<link rel=canonical href=", b"\"http://[bad/\"", b"\x00", b"\xff",
                           b"\xd8\xa3", b"<?xml version='1.0'?>", b"<meta property=",
                           b"article:published_time", b"content=\"9999-99-99\"", b">"])
HOSTILE = st.one_of(
    st.binary(max_size=300),
    st.lists(_PIECES, max_size=30).map(b"".join),
    st.tuples(st.sampled_from([FEED, PAGE]), st.integers(0, 2000), st.binary(max_size=20))
    .map(lambda t: t[0][:t[1]] + t[2] + t[0][t[1]:]),
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(HOSTILE)
def test_fuzz_pages_and_feeds_never_raise(data: bytes) -> None:
    page = page_document(data, "p", SETTINGS, "fuzz", url="http://news.test/2015/07/01/a")
    assert isinstance(page, (Page, Failure))
    if isinstance(page, Failure):
        assert page.code.startswith("E1")
    parse_feed(data, "http://news.test/rss")


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE, st.sampled_from(["application/rss+xml", "text/html", "", "image/png"]))
def test_fuzz_ingest_of_a_hostile_url_never_raises(data: bytes, content_type: str) -> None:
    fetcher = StaticFetcher({"http://news.test/x": Response("http://news.test/x", 200, data,
                                                            content_type)})
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "r.db")
        ingester = Ingester(store, SETTINGS, fetcher)
        result = ingester.ingest("http://news.test/x")
        warc = Path(tmp) / "x.warc"
        warc.write_bytes(data)
        archive = ingester.ingest(str(warc))
        store.close()
    for outcome in (result, archive):
        assert outcome.error is None or outcome.error.code in ("E604", "E605", "E607")
    assert all(code.startswith("E1") or code == "E602" for code in ingester.summary.failed)
