"""`rasad.ingest.run` against feeds and pages served from 127.0.0.1, WARC files, folders."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest_helpers import SETTINGS, SITE, FixtureSite, documents, health, ledger_rows, site
from rasad.ingest.fetch import HttpFetcher, Response, StaticFetcher
from rasad.ingest.run import Ingester, IngestSummary
from rasad.io.store import Store
from store_helpers import query
from warc_helpers import write_warc

__all__ = ["site"]  # the fixture


@pytest.fixture
def db(new_db: Callable[[str], str]) -> str:
    """A new database of each backend (`new_db`): the runs below go through both."""
    return new_db("ingest")

FEEDS = ("/feeds/outlet-a.xml", "/feeds/outlet-b.xml", "/feeds/outlet-c.xml")


def run(db: str | Path, sources: list[str], fetcher: object | None = None) -> IngestSummary:
    store = Store(db)
    ingester = Ingester(store, SETTINGS, fetcher or HttpFetcher(delay=0))  # type: ignore[arg-type]
    for source in sources:
        ingester.ingest(source)
    store.close()
    return ingester.summary


def test_ingest_second_run_over_the_same_feeds_processes_nothing(site: FixtureSite,
                                                                 db: str) -> None:
    feeds = [site.url(f) for f in FEEDS]
    first = run(db, feeds)
    # Aleppo (feeds A and B, two spellings of one URL), Marib (A, and B's mirror: the same
    # text under another URL) and Baghdad (C): three documents, two duplicates.
    assert (first.processed, first.ok, first.duplicates) == (3, 3, 2)
    stored = documents(db)
    assert len(stored) == 3
    second = run(db, feeds)
    assert (second.processed, second.unchanged, second.duplicates) == (0, 0, 0)
    assert documents(db).keys() == stored.keys()
    # Each feed was asked with its ETag and answered 304.
    for feed in FEEDS:
        (status1, headers1), (status2, headers2) = site.requests(feed)
        assert (status1, status2) == (200, 304)
        assert "If-None-Match" not in headers1 and headers2["If-None-Match"]


def test_ingest_same_article_from_two_feeds_is_one_document(site: FixtureSite, db: str) -> None:
    run(db, [site.url(FEEDS[0]), site.url(FEEDS[1])])
    stored = documents(db)
    assert len(stored) == 2
    rows = {row["key"].rsplit("/", 1)[-1]: row for row in ledger_rows(db)}
    aleppo, marib, copy = rows["aleppo-shelling.html"], rows["marib.html"], rows["marib-copy.html"]
    assert len(json.loads(aleppo["feeds"])) == 2  # one key: canonical URL
    assert copy["doc_id"] == marib["doc_id"]     # two keys, one text: one document
    assert {aleppo["doc_id"], marib["doc_id"]} == stored.keys()


def test_ingest_records_where_each_date_came_from(site: FixtureSite, db: str) -> None:
    run(db, [site.url(f) for f in FEEDS])
    sources = {row["key"].rsplit("/", 1)[-1]: (row["published"], row["date_source"])
               for row in ledger_rows(db) if row["date_source"]}
    assert sources == {"aleppo-shelling.html": ("2015-07-26", "feed"),
                       "marib.html": ("2015-07-22", "url"),
                       "baghdad-bombing.html": ("2015-07-24", "htmldate")}
    records = [json.loads(row["record"]) for row in documents(db).values()]
    assert sorted(r["date_source"] for r in records) == ["feed", "htmldate", "url"]


def test_ingest_changed_article_is_processed_again_under_its_id(site: FixtureSite, db: str) -> None:
    feed = site.url(FEEDS[0])
    run(db, [feed])
    before = documents(db)
    page = site.root / "news" / "aleppo-shelling.html"
    page.write_text(page.read_text(encoding="utf-8").replace("خمسة أطفال", "ستة أطفال"),
                    encoding="utf-8")
    later = page.stat().st_mtime + 10
    os.utime(page, (later, later))
    listing = site.root / "feeds" / "outlet-a.xml"  # the feed says something changed
    listing.write_text(listing.read_text(encoding="utf-8").replace(
        "<description>آخر الأخبار</description>", "<description>تحديث</description>"),
        encoding="utf-8")
    second = run(db, [feed])
    assert (second.processed, second.unchanged) == (1, 1)
    after = documents(db)
    assert after.keys() == before.keys()
    changed = [k for k in after if after[k]["text"] != before[k]["text"]]
    assert len(changed) == 1 and "ستة أطفال" in after[changed[0]]["text"]
    # The unchanged page was asked with If-Modified-Since and answered 304.
    assert [s for s, _ in site.requests("/2015/07/22/marib.html")] == [200, 304]


def test_ingest_bad_sources_are_recorded_and_the_others_go_on(site: FixtureSite,
                                                              tmp_path: Path, db: str) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: connection refused
    sources = [site.url("/broken.xml"), site.url("/feeds/garbage.xml"),
               f"http://127.0.0.1:{port}/rss", str(tmp_path / "missing.xml"),
               site.url(FEEDS[2])]
    summary = run(db, sources)
    assert summary.ok == 1 and summary.source_errors == {"E602": 1, "E604": 1, "E601": 1,
                                                        "E109": 1}
    rows = health(db)
    assert rows[sources[0]]["last_error_code"] == "E602"
    assert "500" in rows[sources[0]]["last_error"]
    assert rows[sources[1]]["last_error_code"] == "E604"
    assert rows[sources[2]]["last_error_code"] == "E601"
    good = rows[sources[4]]
    assert good["last_success"] and good["consecutive_errors"] == 0 and good["documents"] == 1
    run(db, sources[:1])
    assert health(db)[sources[0]]["consecutive_errors"] == 2
    codes = {row["code"] for row in query(db, "select code from failures")}
    assert codes == {"E601", "E602", "E604", "E109"}


def test_ingest_a_page_url_directly(site: FixtureSite, db: str) -> None:
    url = site.url("/news/aleppo-shelling.html?utm_source=x")
    assert run(db, [url]).ok == 1
    assert run(db, [site.url("/news/aleppo-shelling.html")]).processed == 0
    (row,) = ledger_rows(db)
    assert row["date_source"] == "metadata" and row["published"] == "2015-07-26"


def test_ingest_size_limit_is_e603(site: FixtureSite, tmp_path: Path) -> None:
    response = HttpFetcher(delay=0, max_bytes=100).get(site.url(FEEDS[0]))
    assert response.error_code == "E603"


def test_ingest_with_a_fake_fetcher_sends_validators(db: str) -> None:
    html = (SITE / "news" / "baghdad-bombing.html").read_bytes()
    fetcher = StaticFetcher({"https://news.test/a": Response(
        "https://news.test/a", 200, html, "text/html", etag='"v1"')})
    assert run(db, ["https://news.test/a"], fetcher).ok == 1
    assert run(db, ["https://news.test/a"], fetcher).processed == 0
    assert fetcher.requests[1] == ("https://news.test/a", '"v1"', None)
    assert run(db, ["https://news.test/missing"], fetcher).source_errors == {"E602": 1}


def _must_not_run(*args: object, **kwargs: object) -> None:
    raise AssertionError("the page was read again")


def _warc(path: Path, pages: dict[str, bytes]) -> None:
    write_warc(path, [("response", url, 200, "text/html; charset=utf-8" if url.endswith(".html")
                       else "image/png", body) for url, body in pages.items()])


def test_ingest_warc_file_pages_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     db: str) -> None:
    warc = tmp_path / "crawl.warc.gz"
    pages = {
        "https://news.test/2015/07/22/marib.html": (SITE / "2015/07/22/marib.html").read_bytes(),
        "https://news.test/news/baghdad.html": (SITE / "news/baghdad-bombing.html").read_bytes(),
        "https://news.test/logo.png": b"\x89PNG\r\n",
    }
    _warc(warc, pages)
    first = run(db, [str(warc)])
    assert (first.ok, first.source_errors) == (2, {})
    dates = {row["key"]: row["date_source"] for row in ledger_rows(db)}
    assert dates["https://news.test/2015/07/22/marib.html"] == "url"
    # Read again: the same bytes are not even extracted again.
    with monkeypatch.context() as patched:
        patched.setattr("rasad.ingest.run.page_document", _must_not_run)
        again = run(db, [str(warc)])
    assert (again.processed, again.unchanged) == (0, 2)
    # A crawl where one page changed: that page alone is processed again.
    pages["https://news.test/news/baghdad.html"] = pages[
        "https://news.test/news/baghdad.html"].replace("بغداد".encode(), "الموصل".encode())
    _warc(warc, pages)
    changed = run(db, [str(warc)])
    assert (changed.processed, changed.unchanged) == (1, 1)
    for name, data in (("text.warc", b"this is not a warc file\n" * 3),
                       ("cut.warc.gz", warc.read_bytes()[:40]),
                       ("bad.warc.gz", b"\x1f\x8b\x08\x00garbage")):
        (tmp_path / name).write_bytes(data)
        assert run(db, [str(tmp_path / name)]).source_errors == {"E605": 1}, name


def test_ingest_folder_of_saved_pages_feeds_and_jsonl(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "marib.html").write_bytes((SITE / "2015/07/22/marib.html").read_bytes())
    named = (SITE / "news/baghdad-bombing.html").read_text(encoding="utf-8").replace(
        'href="/news/baghdad-bombing.html"', 'href="https://news.test/news/baghdad"')
    (folder / "baghdad.htm").write_text(named, encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    seed = Path(__file__).resolve().parents[1].parent / "shared/data/seed/sina_prison_opinion.jsonl"
    lines = [{"id": "n1", "text": "قتل ثلاثة أشخاص في انفجار عبوة ناسفة في بغداد أمس.",
              "published": "2015-07-20", "url": "https://news.test/n1?utm_medium=x"}]
    (folder / "docs.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False)
                                                 for x in lines), encoding="utf-8")
    sources = [str(folder)] + ([str(seed)] if seed.exists() else [])
    first = run(db, sources)
    assert first.ok == 3 + seed.exists()
    stored = documents(db)
    assert "marib.html" in stored  # no canonical link: the file's id
    assert any(k.startswith("news.test-") for k in stored)  # named its URL
    assert "n1" in stored  # the input's own id
    assert json.loads(stored["n1"]["record"])["date_source"] == "input"
    assert run(db, sources).processed == 0
    keys = {row["key"] for row in ledger_rows(db)}
    assert "https://news.test/n1" in keys and "https://news.test/news/baghdad" in keys


def test_ingest_feed_without_pages_reads_entry_text(site: FixtureSite, db: str) -> None:
    store = Store(db)
    ingester = Ingester(store, SETTINGS, HttpFetcher(delay=0), fetch_pages=False)
    ingester.ingest(site.url(FEEDS[1]))
    store.close()
    assert ingester.summary.ok == 2
    assert not [p for p, _, _ in site.log if p.endswith(".html")]
    texts = {row["text"] for row in documents(db).values()}
    assert "قتل خمسة أطفال في حلب." in texts


def test_ingest_an_arabic_url(site: FixtureSite, db: str) -> None:
    folder = site.root / "أخبار"
    folder.mkdir()
    (folder / "مأرب.html").write_bytes((SITE / "2015/07/22/marib.html").read_bytes())
    assert run(db, [site.url("/أخبار/مأرب.html")]).ok == 1
    assert site.requests("/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D9%85%D8%A3%D8%B1%D8%A8.html")
    assert run(db, [site.url("/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D9%85%D8%A3%D8%B1%D8%A8.html")
                    ]).processed == 0


def test_ingest_a_shared_canonical_link_does_not_merge_two_articles(tmp_path: Path,
                                                                    db: str) -> None:
    def page(name: str, canonical: str) -> bytes:
        html = (SITE / name).read_text(encoding="utf-8")
        html = html.replace("<head>", f'<head><link rel="canonical" href="{canonical}">', 1)
        return html.encode("utf-8")

    fetcher = StaticFetcher({
        "https://news.test/a": Response("https://news.test/a", 200, page(
            "2015/07/22/marib.html", "https://news.test/"), "text/html"),
        "https://news.test/b": Response("https://news.test/b", 200, page(
            "news/baghdad-bombing.html", "https://news.test/"), "text/html"),
        "https://news.test/c": Response("https://news.test/c", 200, page(
            "2015/07/22/marib.html", "https://news.test/section"), "text/html"),
        "https://news.test/d": Response("https://news.test/d", 200, page(
            "news/baghdad-bombing.html", "https://news.test/section"), "text/html"),
    })
    # The home page as canonical link names no article: each page keeps its own URL.
    assert run(db, ["https://news.test/a", "https://news.test/b"], fetcher).ok == 2
    # One section page as canonical link of two texts in one run: the second keeps its URL.
    store = Store(tmp_path / "s.db")
    ingester = Ingester(store, SETTINGS, fetcher)
    for url in ("https://news.test/c", "https://news.test/d"):
        ingester.ingest(url)
    store.close()
    assert ingester.summary.ok == 2
    assert len(documents(tmp_path / "s.db")) == 2
