"""Canonical URLs, content hashes, page dates and their sources, feeds and FEEDS.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest_helpers import SETTINGS, SITE
from rasad.errors import ConfigError
from rasad.ingest.ledger import content_hash
from rasad.ingest.pages import Page, looks_like_feed, page_document, parse_feed
from rasad.ingest.urls import canonical_url, is_url, request_url, url_date, url_doc_id
from rasad.ingest.watch import backoff, load_feeds, parse_duration


@pytest.mark.parametrize("url", [
    "https://www.example.com/news/a-story/?utm_source=rss&utm_medium=feed#comments",
    "http://EXAMPLE.com:80/news/a-story",
    "https://example.com/news//a-story?fbclid=abc",
    "HTTPS://example.com./news/a-story/",
])
def test_canonical_url_one_key_for_one_article(url: str) -> None:
    assert canonical_url(url) == "https://example.com/news/a-story"


def test_canonical_url_keeps_what_names_the_article() -> None:
    assert canonical_url("https://example.com/article.php?id=12&utm_campaign=x&cat=3") == \
        "https://example.com/article.php?cat=3&id=12"
    assert canonical_url("https://example.com:8443/a") == "https://example.com:8443/a"
    assert canonical_url("https://example.com/a?id=1") != canonical_url("https://example.com/a?id=2")
    # An Arabic path, raw or percent-encoded, is one key.
    assert canonical_url("https://example.com/أخبار/1") == canonical_url(
        "https://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1")


def test_url_doc_id_is_stable_and_has_no_slash() -> None:
    doc_id = url_doc_id("https://example.com/news/a-story")
    assert doc_id == url_doc_id("https://example.com/news/a-story")
    assert doc_id.startswith("example.com-") and "/" not in doc_id
    assert doc_id != url_doc_id("https://example.com/news/another")


def test_url_date_reads_a_day_in_the_path() -> None:
    assert url_date("https://example.com/2015/07/22/marib.html") == "2015-07-22"
    assert url_date("https://example.com/news/20150721-strike") == "2015-07-21"
    assert url_date("https://example.com/2015/13/40/x") is None
    assert url_date("https://example.com/news/12345678") is None
    assert url_date("https://example.com/x?date=2015-07-22") is None  # the path only


def test_is_url() -> None:
    assert is_url("https://example.com/rss") and is_url("HTTP://example.com")
    assert not is_url("feeds/a.xml") and not is_url("file:///tmp/a.xml")


def test_content_hash_ignores_wrapping_and_letter_forms_not_words() -> None:
    text = "قتل خمسة أطفال في حلب.\nوقال المرصد إن القذيفة سقطت."
    rewrapped = "  قتل خمسة اطفال في حلب. وقال المرصد ان القذيفة  سقطت."
    assert content_hash(text) == content_hash(rewrapped)
    assert content_hash(text) != content_hash(text.replace("خمسة", "ستة"))


def _page(name: str, url: str | None = None, published: str | None = None) -> Page:
    html = (SITE / name).read_bytes()
    page = page_document(html, "p", SETTINGS, name, url=url, published=published)
    assert isinstance(page, Page)
    return page


def test_page_date_source_metadata_url_htmldate_feed_none() -> None:
    aleppo = _page("news/aleppo-shelling.html", "http://127.0.0.1:1/news/aleppo-shelling.html")
    assert (aleppo.document.published, aleppo.date_source) == ("2015-07-26", "metadata")
    marib = _page("2015/07/22/marib.html", "http://127.0.0.1:1/2015/07/22/marib.html")
    assert (marib.document.published, marib.date_source) == ("2015-07-22", "url")
    baghdad = _page("news/baghdad-bombing.html", "http://127.0.0.1:1/news/baghdad-bombing.html")
    assert (baghdad.document.published, baghdad.date_source) == ("2015-07-24", "htmldate")
    undated = _page("2015/07/22/marib.html", "http://127.0.0.1:1/mirror/marib-copy.html")
    assert (undated.document.published, undated.date_source) == (None, "none")
    fed = _page("2015/07/22/marib.html", "http://127.0.0.1:1/m", published="2015-07-21")
    assert (fed.document.published, fed.date_source) == ("2015-07-21", "feed")
    assert fed.document.extra["date_source"] == "feed"


def test_page_canonical_link_is_preferred_to_the_fetched_address() -> None:
    page = _page("news/aleppo-shelling.html",
                 "http://127.0.0.1:1/news/aleppo-shelling.html?utm_source=x#top")
    assert page.canonical == "https://127.0.0.1:1/news/aleppo-shelling.html"
    assert "قذيفة" in page.document.text and page.document.title


def test_page_without_text_is_e110() -> None:
    failure = page_document(b"<html><head><title>t</title></head><body> </body></html>", "p",
                            SETTINGS, "x")
    assert not isinstance(failure, Page) and failure.code == "E110"


def test_parse_feed_reads_rss_and_atom_and_refuses_garbage() -> None:
    rss = parse_feed((SITE / "feeds" / "outlet-a.xml").read_bytes())
    assert rss is not None and rss.title == "وكالة الاختبار أ"
    assert [e.published for e in rss.entries] == ["2015-07-26", None]
    atom = parse_feed((SITE / "feeds" / "outlet-b.xml").read_bytes())
    assert atom is not None and len(atom.entries) == 2
    assert atom.entries[0].published == "2015-07-26"  # Atom: updated
    assert atom.entries[0].link == "{BASE}/news/aleppo-shelling.html#comments"
    assert atom.entries[0].text == "قتل خمسة أطفال في حلب."
    assert parse_feed((SITE / "feeds" / "garbage.xml").read_bytes()) is None
    assert parse_feed((SITE / "news" / "aleppo-shelling.html").read_bytes()) is None
    assert parse_feed(b"") is None


def test_looks_like_feed() -> None:
    assert looks_like_feed((SITE / "feeds" / "outlet-a.xml").read_bytes())
    assert looks_like_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'>")
    assert looks_like_feed(b"", "application/atom+xml; charset=utf-8")
    assert not looks_like_feed(b"<!DOCTYPE html><html>", "text/html")


def test_load_feeds_reads_the_shipped_example() -> None:
    example = Path(__file__).resolve().parents[1] / "docs" / "feeds.example.yaml"
    feeds = load_feeds(example)
    assert feeds.outlets and all(o.feeds for o in feeds.outlets)
    assert feeds.every == 900


@pytest.mark.parametrize("text", [
    "outlets: []", "- a\n- b", "outlets:\n  - feed: https://a\n",
    "outlets:\n  - name: A\n", "outlets:\n  - name: A\n    feed: x\n  - name: A\n    feed: y\n",
    "outlets:\n  - name: A\n    feed: x\n    colour: red\n",
    "every: soon\noutlets:\n  - {name: A, feed: x}",
    "outlets: [", "\xff",
])
def test_load_feeds_refuses_a_bad_file_with_e606(tmp_path: Path, text: str) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    with pytest.raises(ConfigError) as caught:
        load_feeds(path)
    assert caught.value.code == "E606"


def test_parse_duration_and_backoff() -> None:
    assert parse_duration("15m") == 900 and parse_duration("2s") == 2
    assert parse_duration("1h") == 3600 and parse_duration("500ms") == 0.5
    assert parse_duration(30) == 30
    with pytest.raises(ConfigError):
        parse_duration("soon")
    assert backoff(900, 1) == 1800 and backoff(900, 2) == 3600
    assert backoff(900, 30) == 86400


def test_parse_feed_resolves_relative_links_against_the_feed_url() -> None:
    data = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b"<item><title>a</title><link>/news/a.html</link></item></channel></rss>")
    feed = parse_feed(data, "https://news.test/feeds/rss.xml")
    assert feed is not None and feed.entries[0].link == "https://news.test/news/a.html"


def test_request_url_encodes_arabic_hosts_and_paths_once() -> None:
    assert request_url("https://مثال.إختبار/أخبار/1?q=حلب") == (
        "https://xn--mgbh0fb.xn--kgbechtv/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1"
        "?q=%D8%AD%D9%84%D8%A8")
    encoded = "https://example.com/%D8%A3/a%20b?x=1&y=%D8%A3"
    assert request_url(encoded) == encoded
    assert request_url("http://[::1]:8080/a") == "http://[::1]:8080/a"


_URL_CHARS = st.one_of(st.sampled_from(list("/[]@?#&=%.:-_~ 09aAzصأ")), st.characters())


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.sampled_from(["http://", "https://", "HTTP://www.", "ftp://", ""]),
       st.text(alphabet=_URL_CHARS, max_size=60))
def test_canonical_url_never_raises_and_is_idempotent(scheme: str, rest: str) -> None:
    url = scheme + rest
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert isinstance(url_doc_id(once), str) and isinstance(request_url(url), str)
    url_date(url)
    is_url(url)
