"""Web pages and feeds as documents: text, canonical URL and publication date with its source.

`page_document(html, url, …)` reads a page (fetched, saved, or from a WARC record): its main
text through trafilatura, its ``<link rel="canonical">`` (preferred to the address it came
from), and its publication date, recording where the date came from (`date_source`):

    feed       the feed entry's published (or updated) date, given by the caller
    metadata   the page's metadata: its <head> (meta tags) and JSON-LD (htmldate's fast search)
    url        a day written in the canonical URL's path (/2015/07/21/)
    htmldate   htmldate's extensive search of the whole page (<time> elements, bylines, text)
    none       no date found

`parse_feed(data)` reads an RSS or Atom document with feedparser: its title and entries (link,
title, date, text), or None when the bytes are not a feed (E604 for the caller).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import lxml.html
from lxml.etree import ParserError, XMLSyntaxError

from rasad.ingest.urls import canonical_url, is_url, url_date
from rasad.io.readers import Failure, html_text
from rasad.records import RawDocument
from rasad.settings import Settings

DATE_SOURCES = ("feed", "metadata", "url", "htmldate", "none")


@dataclass(slots=True)
class Page:
    """A document read from HTML, with the URL it is known by and how its date was found."""

    document: RawDocument
    canonical: str | None
    date_source: str


def _tree(html: bytes | str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(html)
    except (ParserError, XMLSyntaxError, ValueError):
        return None


def canonical_link(tree: lxml.html.HtmlElement, base: str | None) -> str | None:
    """The page's ``<link rel="canonical">`` as an absolute http(s) URL, if it has one that can
    name an article: a site's home page (a common template mistake) names none."""
    from urllib.parse import urljoin, urlsplit

    for link in tree.iterfind(".//link[@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            try:
                href = urljoin(base or "", str(link.get("href") or "").strip())
                parts = urlsplit(href)
            except ValueError:
                continue
            if is_url(href) and (parts.path.strip("/") or parts.query):
                return href
    return None


def head_html(tree: lxml.html.HtmlElement) -> bytes | None:
    """The page's metadata alone: its <head> and its JSON-LD scripts, as a small page."""
    parts = [lxml.html.tostring(h) for h in tree.iterfind(".//head")]
    parts += [lxml.html.tostring(s) for s in tree.iterfind(".//script[@type]")
              if "ld+json" in (s.get("type") or "") and s.getparent() is not None
              and s.getparent().tag != "head"]
    return b"<html>" + b"".join(parts) + b"<body></body></html>" if parts else None


def page_date(html: bytes, url: str | None,
              tree: lxml.html.HtmlElement | None = None) -> tuple[str | None, str]:
    """The publication day of a page and where it came from (see the module docstring)."""
    from htmldate import find_date

    def htmldate(markup: bytes, extensive: bool) -> str | None:
        try:  # url="" keeps htmldate from reading the URL: that source is told apart below
            found = find_date(markup, extensive_search=extensive, original_date=True, url="")
            return str(found) if found else None
        except Exception:  # htmldate on hostile markup; a date is never worth a crash
            return None

    head = head_html(tree) if tree is not None else None
    found = htmldate(head, extensive=False) if head is not None else None
    if found:
        return found, "metadata"
    found = url_date(url) if url else None
    if found:
        return found, "url"
    found = htmldate(html, extensive=True)
    return (found, "htmldate") if found else (None, "none")


def page_document(html: bytes, doc_id: str, settings: Settings, origin: str,
                  url: str | None = None, published: str | None = None,
                  title: str | None = None, source: str | None = None) -> Page | Failure:
    """A page as a document (see the module docstring); `published` is the feed entry's date,
    `title` and `source` the feed's, used when the page has none."""
    found = html_text(html, doc_id, settings, origin, url=url)
    if isinstance(found, Failure):
        return found
    extracted, text = found
    tree = _tree(html)
    link = canonical_link(tree, url) if tree is not None else None
    address = link or url
    canonical = canonical_url(address) if address else None
    if published:
        date_source = "feed"
    else:
        published, date_source = page_date(html, canonical, tree)
    document = RawDocument(doc_id, text, title=getattr(extracted, "title", None) or title,
                           published=published, url=link or url,
                           source=source or getattr(extracted, "sitename", None),
                           extra={"date_source": date_source})
    return Page(document, canonical, date_source)


@dataclass(slots=True)
class FeedEntry:
    """One item of a feed."""

    link: str | None
    title: str | None
    published: str | None
    text: str


@dataclass(slots=True)
class Feed:
    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)


def _entry_day(entry: dict[str, object]) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # the keys present, without feedparser's aliases
        if isinstance(value, time.struct_time):
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
            except ValueError:
                continue
    return None


def _entry_text(entry: dict[str, object]) -> str:
    """The entry's own text (content, else summary) without its markup."""
    parts = entry.get("content")
    html = ""
    if isinstance(parts, list) and parts:
        html = " ".join(str(p.get("value") or "") for p in parts if isinstance(p, dict))
    html = html or str(entry.get("summary") or "")
    tree = _tree(f"<div>{html}</div>") if html.strip() else None
    return tree.text_content().strip() if tree is not None else ""


def parse_feed(data: bytes, url: str | None = None) -> Feed | None:
    """An RSS or Atom feed's title and entries (relative links resolved against `url`); None when
    `data` is not a feed (no feed element and no entries: HTML, garbage, an empty body)."""
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": url} if url else None)
    version = getattr(parsed, "version", "")
    if not version and not parsed.entries:
        return None
    feed = Feed(parsed.feed.get("title") or None)
    for entry in parsed.entries:
        feed.entries.append(FeedEntry(entry.get("link") or None, entry.get("title") or None,
                                      _entry_day(entry), _entry_text(entry)))
    return feed


def looks_like_feed(data: bytes, content_type: str = "") -> bool:
    """An RSS/Atom/RDF document by its content type or its first element."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2:].lstrip()
        while head.startswith(b"<!--") or head.startswith(b"<?"):
            close = b"-->" if head.startswith(b"<!--") else b"?>"
            head = head[head.find(close) + len(close):].lstrip()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf", b"<rdf"))
