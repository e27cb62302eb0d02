"""One ingest run: sources in, only new or changed documents through `process_document`.

`Ingester(store, settings, fetcher).ingest(source)` reads one SOURCE — a feed (URL or file), a
web page URL, a saved HTML page, a folder, a WARC file, or any file `rasad extract` reads — and
gives every document it holds to the ledger (`rasad.ingest.ledger`): a new or changed document is
processed by `rasad.pipeline.process_document` and stored with `Store.add_document`; an unchanged
one, or a copy of a document already stored (another URL, another feed), is only noted.  Nothing
raises for a bad source or document: a source that cannot be read comes back as a failed
`SourceResult` (and a row of the `failures` table), a document that cannot be read or processed
is a failure row, and the run goes on.  `IngestSummary` counts what happened.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasad.errors import FetchError, InputError, RasadError
from rasad.ingest.fetch import MAX_BYTES, Fetcher, Response
from rasad.ingest.ledger import Ledger
from rasad.ingest.pages import Feed, FeedEntry, looks_like_feed, page_document, parse_feed
from rasad.ingest.urls import canonical_url, is_url, url_doc_id
from rasad.io.readers import Failure, check_text, read_file, scan_input
from rasad.io.store import Store
from rasad.io.warc import html_responses, is_warc, read_errors
from rasad.pipeline import process_document
from rasad.records import RawDocument, stable_id
from rasad.settings import Settings

FEED_SUFFIXES = (".xml", ".rss", ".atom")
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_SUFFIXES = (".html", ".htm")


def _suffix_of(path: Path, suffixes: tuple[str, ...]) -> bool:
    return path.name.lower().endswith(suffixes)


@dataclass(slots=True)
class SourceResult:
    """How one source went: read, or not (`error`, a `FetchError` or, for a missing file, an
    `InputError`); `documents` new or changed documents stored from it; `not_modified` when the
    server answered 304."""

    error: RasadError | None = None
    documents: int = 0
    not_modified: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def _fetch_error(code: str, message: str) -> SourceResult:
    return SourceResult(FetchError(message, code=code))


@dataclass
class IngestSummary:
    """What a run did, by document and by source."""

    processed: int = 0
    ok: int = 0
    events: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    sources: int = 0
    source_errors: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        """``processed 3 documents: 3 ok, 0 failed; 5 events; 4 unchanged, 1 duplicate`` and
        ``2 of 5 sources failed (E602×1, E604×1)``."""
        def codes(counter: Counter[str]) -> str:
            ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
            return ", ".join(f"{code}×{n}" for code, n in ranked)

        failed = sum(self.failed.values())
        first = (f"processed {self.processed:,} documents: {self.ok:,} ok, "
                 f"{self.processed - self.ok:,} failed; {self.events:,} events; "
                 f"{self.unchanged:,} unchanged, {self.duplicates:,} duplicates")
        if failed:
            first += f"; {failed:,} documents not read or failed ({codes(self.failed)})"
        out = [first]
        errors = sum(self.source_errors.values())
        out.append(f"{self.sources - errors:,} of {self.sources:,} sources read"
                   + (f"; {errors:,} failed ({codes(self.source_errors)})" if errors else ""))
        return out


@dataclass(frozen=True, slots=True)
class Context:
    """Where documents come from: `feed` (the SOURCE, noted in the ledger), `outlet` (its health
    row) and `source` (the outlet name given to documents that carry none)."""

    feed: str
    outlet: str
    source: str | None = None


class Ingester:
    """Reads sources into a `Store` through the ledger (see the module docstring)."""

    def __init__(self, store: Store, settings: Settings, fetcher: Fetcher,
                 fetch_pages: bool = True, note: Callable[[str], None] | None = None) -> None:
        self.store = store
        self.settings = settings
        self.fetcher = fetcher
        self.fetch_pages = fetch_pages
        self.note = note or (lambda message: None)
        self.ledger = Ledger(store)
        self.summary = IngestSummary()
        self._seen: set[str] = set()  # keys handled in this run

    # -- sources ---------------------------------------------------------------------------

    def new_round(self) -> None:
        """Start counting afresh (`rasad watch`: each round is a run)."""
        self.summary = IngestSummary()
        self._seen.clear()

    def ingest(self, source: str, outlet: str | None = None, kind: str = "auto",
               source_name: str | None = None, health: bool = True) -> SourceResult:
        """Read one SOURCE (`kind` "feed" insists on a feed); with `health`, record how it went
        in the outlet's health row (named `outlet`, by default the SOURCE itself)."""
        ctx = Context(source, outlet or source, source_name)
        before = self.summary.ok
        result = self._url(source, kind, ctx) if is_url(source) else self._path(Path(source), ctx)
        result.documents = self.summary.ok - before
        self.summary.sources += 1
        if result.ok and health:
            self.ledger.success(ctx.outlet, kind, result.documents)
        if result.error is not None:
            self.summary.source_errors[result.error.code] += 1
            if health:
                self.ledger.failure(ctx.outlet, kind, result.error.code, result.error.message)
            self.store.add_failure({"doc_id": source, "error": result.error.as_dict()},
                                   stage="fetch", origin=source)
        return result

    def _url(self, url: str, kind: str, ctx: Context) -> SourceResult:
        etag, modified = self.ledger.validators(url)
        response = self.fetcher.get(url, etag, modified)
        if response.error_code:
            return _fetch_error(response.error_code, response.error or response.error_code)
        if response.not_modified:
            self.note(f"{ctx.outlet}: not modified (304)")
            return SourceResult(not_modified=True)
        result = self._body(response, kind, ctx)
        if result.ok:
            self.ledger.remember(url, response.etag, response.last_modified)
        return result

    def _body(self, response: Response, kind: str, ctx: Context) -> SourceResult:
        """A fetched feed or page."""
        body = response.body
        if kind == "feed" or looks_like_feed(body, response.content_type):
            feed = parse_feed(body, response.url)
            if feed is None:
                return _fetch_error("E604", f"{response.url} is not an RSS or Atom feed "
                                    f"(content type {response.content_type or 'none'})")
            self._feed(feed, ctx)
            return SourceResult()
        content_type = response.content_type.split(";")[0].strip().lower()
        if content_type in ("text/html", "application/xhtml+xml") or (
                not content_type and body.lstrip()[:1] == b"<"):
            self._page(body, response.url, ctx, None)
            return SourceResult()
        return _fetch_error("E607", f"{response.url} is neither a feed nor an HTML page "
                            f"(content type {content_type or 'none'})")

    def _path(self, path: Path, ctx: Context) -> SourceResult:
        if not path.exists():
            return SourceResult(InputError(f"source not found: {path}", code="E109"))
        if path.is_dir():
            for file in self._folder(path):
                self._file(file, file.relative_to(path).as_posix(), ctx)
            return SourceResult()
        if _suffix_of(path, FEED_SUFFIXES):
            try:
                data = path.read_bytes()
            except OSError as exc:
                return SourceResult(InputError(f"cannot read {path}: {exc.strerror}", code="E109"))
            feed = parse_feed(data)
            if feed is None:
                return _fetch_error("E604", f"{path} is not an RSS or Atom feed")
            self._feed(feed, ctx)
            return SourceResult()
        if _suffix_of(path, WARC_SUFFIXES):
            return self._warc(path, ctx)
        self._file(path, path.name, ctx)
        return SourceResult()

    @staticmethod
    def _folder(path: Path) -> list[Path]:
        """The files of a folder that ingest reads: those `rasad extract` reads, feeds and
        WARC files, in path order (hidden ones left out)."""
        scan = scan_input(path)
        extra = [p for p in scan.skipped if _suffix_of(p, FEED_SUFFIXES + WARC_SUFFIXES)]
        return sorted([*scan.files, *extra], key=lambda p: p.relative_to(path).parts)

    def _file(self, file: Path, doc_id: str, ctx: Context) -> None:
        """A file of a folder or given alone: a saved page, a feed, a WARC, or what `rasad
        extract` reads (its documents keep their own ids)."""
        if _suffix_of(file, HTML_SUFFIXES):
            try:
                html = file.read_bytes()
            except OSError as exc:
                self._failed(Failure(doc_id, "E109", f"cannot read file: {exc.strerror}",
                                     origin=str(file)), ctx)
                return
            self._page(html, None, ctx, None, doc_id=doc_id, origin=str(file))
            return
        if _suffix_of(file, FEED_SUFFIXES + WARC_SUFFIXES):
            result = self._path(file, ctx)
            if result.error is not None:
                self._failed(Failure(doc_id, result.error.code, result.error.message,
                                     origin=str(file)), ctx)
            return
        for item in read_file(file, doc_id, self.settings):
            if isinstance(item, Failure):
                self._failed(item, ctx)
                continue
            item.source = item.source or ctx.source
            item.extra.setdefault("date_source", "input" if item.published else "none")
            key = canonical_url(item.url) if item.url and is_url(item.url) else f"doc:{item.id}"
            self.handle(item, key, ctx)

    def _warc(self, path: Path, ctx: Context) -> SourceResult:
        """The HTML pages of a WARC file's response records (status 200, `rasad.io.warc`); a
        page over the size limit is a failure (E603) and the reading goes on."""
        try:
            if not is_warc(path):
                return _fetch_error("E605", f"{path} is not a WARC file (no WARC/ "
                                    "version line at its start)")
            with path.open("rb") as stream:
                for page in html_responses(stream, MAX_BYTES):
                    origin = f"{path}#{page.url}" if page.url else str(path)
                    if page.body is None:
                        doc_id = url_doc_id(canonical_url(page.url)) if page.url else path.name
                        self._failed(Failure(doc_id, "E603",
                                             f"page larger than {MAX_BYTES:,} bytes in {path}",
                                             stage="fetch", origin=origin), ctx)
                        continue
                    self._page(page.body, page.url, ctx, None, origin=origin)
        except read_errors() as exc:
            return _fetch_error("E605", f"cannot read WARC file {path}: {exc}")
        return SourceResult()

    # -- feeds and pages -------------------------------------------------------------------

    def _feed(self, feed: Feed, ctx: Context) -> None:
        ctx = Context(ctx.feed, ctx.outlet, ctx.source or feed.title)
        self.note(f"{ctx.outlet}: {len(feed.entries)} entries")
        for entry in feed.entries:
            self._entry(entry, ctx)

    def _entry(self, entry: FeedEntry, ctx: Context) -> None:
        link = entry.link if entry.link and is_url(entry.link) else None
        key = canonical_url(link) if link else None
        if key is not None and key in self._seen:  # the same article twice in this run
            doc_id = self.ledger.known(key)
            if doc_id is not None:
                self.ledger.record(key, doc_id, None, ctx.feed, ctx.outlet)
            self.summary.duplicates += 1
            return
        if link is None or not self.fetch_pages:
            self._entry_text(entry, key, ctx)
            return
        known = self.ledger.known(key) if key else None
        etag, modified = self.ledger.validators(link) if known else (None, None)
        response = self.fetcher.get(link, etag, modified)
        doc_id = known or url_doc_id(key or link)
        if response.not_modified and known:
            self._seen.add(key or link)
            self.ledger.record(key or link, known, None, ctx.feed, ctx.outlet)
            self.summary.unchanged += 1
            return
        if response.error_code or not response.ok:
            self._failed(Failure(doc_id, response.error_code or "E602",
                                 response.error or f"HTTP {response.status} from {link}",
                                 stage="fetch", origin=link), ctx)
            return
        handled = self._page(response.body, response.url, ctx, entry, alias=key)
        if handled:
            self.ledger.remember(link, response.etag, response.last_modified)

    def _entry_text(self, entry: FeedEntry, key: str | None, ctx: Context) -> None:
        """An entry read from the feed alone (no page fetched)."""
        doc_id = url_doc_id(key) if key else "entry-" + stable_id(ctx.feed, entry.title,
                                                                   entry.text, length=12)
        failure = check_text(entry.text, doc_id, self.settings, ctx.feed)
        if failure is not None:
            self._failed(failure, ctx)
            return
        raw = RawDocument(doc_id, entry.text, title=entry.title, published=entry.published,
                          source=ctx.source, url=entry.link,
                          extra={"date_source": "feed" if entry.published else "none"})
        self.handle(raw, key or f"doc:{doc_id}", ctx)

    def _page(self, html: bytes, url: str | None, ctx: Context, entry: FeedEntry | None,
              doc_id: str | None = None, origin: str | None = None,
              alias: str | None = None) -> bool:
        """A page's document through the ledger, named after its canonical URL (a saved page
        that names none keeps its file's id, `doc_id`); `alias` is the key of the feed link that
        led to it when the page names another canonical URL.  False when it cannot be read."""
        where = url or f"file:{origin}"
        if self._unchanged_body(where, html, ctx):
            return True
        fallback = doc_id or url_doc_id(canonical_url(url)) if url else doc_id or "page"
        page = page_document(html, fallback, self.settings, origin or url or ctx.feed, url=url,
                             published=entry.published if entry else None,
                             title=entry.title if entry else None, source=ctx.source)
        if isinstance(page, Failure):
            self._failed(page, ctx)
            return False
        key = page.canonical or f"file:{origin}"
        if url and key in self._seen and canonical_url(url) != key and self.ledger.decide(
                key, page.document.text, "").status == "changed":
            # Another page of this run named the same canonical URL with another text (a
            # section page as every article's canonical link): this page keeps its own URL.
            key = canonical_url(url)
        if key.startswith(("http://", "https://")):
            page.document.id = url_doc_id(key)
        stored = self.handle(page.document, key, ctx, page.date_source)
        if stored is not None:
            self.ledger.remember_body(where, html, key)
        if stored is not None and alias and alias != key:
            self._seen.add(alias)
            self.ledger.record(alias, stored, page.document.text, ctx.feed, ctx.outlet)
        return True

    def _unchanged_body(self, where: str, html: bytes, ctx: Context) -> bool:
        """The very bytes read from `where` last time (a WARC or a folder read again, a server
        without validators): the document is unchanged, and its page is not read again."""
        key = self.ledger.same_body(where, html)
        doc_id = self.ledger.known(key) if key else None
        if key is None or doc_id is None:
            return False
        self._seen.add(key)
        self.ledger.record(key, doc_id, None, ctx.feed, ctx.outlet)
        self.summary.unchanged += 1
        return True

    # -- documents -------------------------------------------------------------------------

    def handle(self, raw: RawDocument, key: str, ctx: Context,
               date_source: str | None = None) -> str | None:
        """Process `raw` if the ledger says it is new or changed; returns the id it is stored
        under (None when processing failed)."""
        decision = self.ledger.decide(key, raw.text, raw.id)
        self._seen.add(key)
        if not decision.process:
            if decision.status == "unchanged":
                self.summary.unchanged += 1
            else:
                self.summary.duplicates += 1
            self.ledger.record(key, decision.doc_id, raw.text, ctx.feed, ctx.outlet)
            return decision.doc_id
        raw.id = decision.doc_id
        record = process_document(raw, self.settings)
        self.summary.processed += 1
        if "error" in record:
            self._failed(Failure(raw.id, record["error"]["code"], record["error"]["message"],
                                 stage="extract", origin=raw.url or ctx.feed), ctx,
                         processed=True)
            return None
        self.summary.ok += 1
        self.summary.events += len(record["events"])
        self.store.add_document(raw, record)
        self.store.flush()
        self.ledger.record(key, raw.id, raw.text, ctx.feed, ctx.outlet, raw.published,
                           date_source or str(raw.extra.get("date_source") or "none"))
        self.note(f"{ctx.outlet}: {decision.status} {raw.id} "
                  f"({len(record['events'])} events)")
        return raw.id

    def _failed(self, failure: Failure, ctx: Context, processed: bool = False) -> None:
        if not processed:
            self.summary.failed[failure.code] += 1
        record: dict[str, Any] = {"doc_id": failure.doc_id,
                                  "error": {"code": failure.code, "message": failure.message}}
        self.store.add_failure(record, stage=failure.stage, origin=failure.origin or ctx.feed)
        self.note(f"{ctx.outlet}: {failure.code} {failure.doc_id}: {failure.message}")


