"""One reading of WARC files (`rasad.io.warc`) for `rasad spark` and `rasad ingest`."""

from __future__ import annotations

from pathlib import Path

import pytest

from rasad.ingest.fetch import HttpFetcher
from rasad.ingest.run import Ingester
from rasad.ingest.urls import url_doc_id
from rasad.io.readers import Failure, html_document
from rasad.io.store import Store
from rasad.io.warc import html_responses, is_warc, read_warc
from rasad.records import RawDocument
from rasad.settings import Settings
from warc_helpers import WarcRecord, write_warc

STRIKE = "قتل خمسة مدنيين في انفجار سيارة مفخخة في بغداد أمس."
PAGE = ("<html><head><title>انفجار في بغداد</title></head><body><article><p>"
        + STRIKE * 3 + "</p></article></body></html>").encode()
CRAWL: list[WarcRecord] = [
    ("response", "https://news.example/a", 200, "text/html; charset=utf-8", PAGE),
    ("response", "https://news.example/x", 200, "application/xhtml+xml", PAGE),
    ("response", "https://news.example/missing", 404, "text/html", PAGE),
    ("response", "https://news.example/logo.png", 200, "image/png", b"\x89PNG"),
    ("response", "https://news.example/data.json", 200, "application/json", b"{}"),
    ("request", "https://news.example/a", 200, "text/html", b""),
    ("response", "https://news.example/empty", 200, "text/html",
     b"<html><body></body></html>"),
]


def test_html_responses_are_the_200_html_pages_in_order(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, CRAWL)
    assert is_warc(path)
    with path.open("rb") as stream:
        pages = list(html_responses(stream))
    assert [p.url for p in pages] == ["https://news.example/a", "https://news.example/x",
                                      "https://news.example/empty"]
    assert pages[0].body == PAGE and pages[0].size == len(PAGE)


def test_a_page_over_the_limit_comes_without_its_body(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(path, CRAWL[:2])
    with path.open("rb") as stream:
        pages = list(html_responses(stream, max_bytes=len(PAGE) - 1))
    assert [(p.url, p.body) for p in pages] == [("https://news.example/a", None),
                                                ("https://news.example/x", None)]
    assert all(p.size == len(PAGE) for p in pages)


def test_read_warc_makes_documents_and_coded_failures(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, CRAWL)
    got = list(read_warc(path, "crawl.warc.gz", Settings()))
    assert [getattr(g, "id", None) or g.doc_id for g in got] == [  # type: ignore[union-attr]
        "https://news.example/a", "https://news.example/x", "https://news.example/empty"]
    doc = got[0]
    assert isinstance(doc, RawDocument) and doc.url == "https://news.example/a"
    expected = html_document(PAGE, doc.id, Settings(), str(path))
    assert isinstance(expected, RawDocument) and doc.text == expected.text
    assert isinstance(got[2], Failure) and got[2].code == "E110"
    broken = tmp_path / "page.warc"
    broken.write_bytes(b"<html>hello</html>")  # HTML, not a WARC
    assert not is_warc(broken)
    failures = [f for f in read_warc(broken, "page.warc", Settings()) if isinstance(f, Failure)]
    assert [f.code for f in failures] == ["E109"] and failures[0].doc_id == "page.warc"


def test_read_warc_reports_a_page_over_the_limit(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(path, CRAWL[:2])
    monkeypatch.setattr("rasad.io.warc.MAX_PAGE_BYTES", len(PAGE) - 1)
    got = list(read_warc(path, "crawl.warc", Settings()))
    assert [(f.doc_id, f.code) for f in got if isinstance(f, Failure)] == [
        ("https://news.example/a", "E105"), ("https://news.example/x", "E105")]


def test_ingest_reads_the_pages_spark_reads_and_reports_the_oversized(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "crawl.warc.gz"
    big = PAGE.replace(b"</p>", b"</p>" + b" " * 2000)
    write_warc(path, [*CRAWL, ("response", "https://news.example/big", 200, "text/html", big)])
    monkeypatch.setattr("rasad.ingest.run.MAX_BYTES", len(PAGE) + 1000)
    store = Store(tmp_path / "ingest.db")
    try:
        ingester = Ingester(store, Settings(use_ner=False), HttpFetcher(delay=0))
        ingester.ingest(str(path))
        summary = ingester.summary
        failures = {row["doc_id"]: row["code"]
                    for row in store.select("select doc_id, code from failures")}
    finally:
        store.close()
    read = [g for g in read_warc(path, "crawl.warc.gz", Settings(use_ner=False))
            if isinstance(g, RawDocument)]
    # Spark's reading (at the default limit) gives /a, /x and /big; ingest stores /a, finds /x
    # the same text (a duplicate) and reports /big, over its lowered limit, instead of reading it.
    assert [d.id for d in read] == ["https://news.example/a", "https://news.example/x",
                                    "https://news.example/big"]
    assert (summary.ok, summary.duplicates, sum(summary.failed.values())) == (1, 1, 2)
    # Failures are named as ingest names every page: after its canonical URL.
    assert failures == {url_doc_id("https://news.example/big"): "E603",
                        url_doc_id("https://news.example/empty"): "E110"}
