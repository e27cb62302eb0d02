"""The ledger: what has been ingested, so that every run processes only what is new or changed.

Three tables in the database the documents go to, SQLite or PostgreSQL (declared here, created
and written through the store's table methods: `rasad.io.store.Store.create_tables`…):

    ledger      key (canonical URL, or ``doc:<id>`` for a document without one) → doc_id,
                content_hash (SHA-1 of the normalised text), first_seen, last_seen, feeds (JSON
                list of the sources it was seen in), outlet, published, date_source
    fetch_state url (or ``file:PATH``) → etag, last_modified, fetched_at: the validators of the
                last 200 answer, sent back as a conditional GET; body_hash (SHA-1 of the page's
                bytes) and doc_key (its ledger key): the same bytes again are not read again
    outlets     name → kind, last_success, last_error, last_error_code, last_error_at,
                consecutive_errors, retry_after, documents (total new or changed)

`Ledger.decide(key, text)` says what a document is: ``new``, ``changed`` (same key, new text:
processed again under its old id), ``unchanged`` or ``duplicate`` (a text already stored under
another key: the same article from two feeds is one document).  Documents per day are counted
from the ledger's first_seen dates (`health`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from rasad.io.store import Store
from rasad.text.normalize import normalize_form

_LEDGER: dict[str, type] = {
    "key": str, "doc_id": str, "content_hash": str, "first_seen": str, "last_seen": str,
    "feeds": str, "outlet": str, "published": str, "date_source": str}
_FETCH: dict[str, type] = {
    "url": str, "etag": str, "last_modified": str, "fetched_at": str, "body_hash": str,
    "doc_key": str}
_OUTLETS: dict[str, type] = {
    "name": str, "kind": str, "last_success": str, "last_error": str, "last_error_code": str,
    "last_error_at": str, "consecutive_errors": int, "retry_after": str, "documents": int}
_SPACE = re.compile(r"\s+")
TABLES = {"ledger": _LEDGER, "fetch_state": _FETCH, "outlets": _OUTLETS}
KEYS = {"ledger": "key", "fetch_state": "url", "outlets": "name"}
INDEXES = {"ledger": ("content_hash", "doc_id")}
HEALTH_DAYS = 7


def content_hash(text: str) -> str:
    """SHA-1 of the text normalised for matching (letter forms, diacritics, digits) with its
    white space collapsed: re-encoded or re-wrapped copies of one article hash alike."""
    folded = _SPACE.sub(" ", normalize_form(text)).strip()
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with a document: its `status` and the id it is stored under."""

    status: str  # new | changed | unchanged | duplicate
    doc_id: str

    @property
    def process(self) -> bool:
        return self.status in ("new", "changed")


class Ledger:
    """The ledger tables of one store (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        store.create_tables(TABLES, KEYS, INDEXES)

    def _row(self, table: str, key: str, column: str) -> dict[str, Any] | None:
        return self.store.find_row(table, column, key)

    def _upsert(self, table: str, values: dict[str, Any]) -> None:
        self.store.upsert_row(table, KEYS[table], values)

    def decide(self, key: str, text: str, new_id: str) -> Decision:
        """Whether the document `key` with `text` is new, changed, unchanged or a duplicate;
        `new_id` is its id if it is new."""
        digest = content_hash(text)
        row = self._row("ledger", key, "key")
        if row is not None:
            status = "unchanged" if row["content_hash"] == digest else "changed"
            return Decision(status, row["doc_id"])
        same = self._row("ledger", digest, "content_hash")
        if same is not None:
            return Decision("duplicate", same["doc_id"])
        taken = self._row("ledger", new_id, "doc_id")
        if taken is not None:  # an id from the input, already given to another key
            return Decision("changed", new_id)
        return Decision("new", new_id)

    def known(self, key: str) -> str | None:
        """The doc_id of a key seen before, or None."""
        row = self._row("ledger", key, "key")
        return None if row is None else str(row["doc_id"])

    def record(self, key: str, doc_id: str, text: str | None, feed: str, outlet: str,
               published: str | None = None, date_source: str | None = None) -> None:
        """Note that `key` was seen now (in `feed`) as `doc_id`; `text` None keeps the stored
        hash (a page that answered 304)."""
        stamp = now()
        row = self._row("ledger", key, "key")
        feeds = json.loads(row["feeds"]) if row and row["feeds"] else []
        if feed not in feeds:
            feeds.append(feed)
        values: dict[str, Any] = {"key": key, "doc_id": doc_id, "last_seen": stamp,
                                  "feeds": json.dumps(feeds, ensure_ascii=False)}
        if row is None:
            values.update(first_seen=stamp, outlet=outlet)
        if text is not None:
            values["content_hash"] = content_hash(text)
        if date_source is not None:
            values.update(published=published, date_source=date_source)
        self._upsert("ledger", values)

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified of the last 200 answer from `url`."""
        row = self._row("fetch_state", url, "url")
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def remember(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self._upsert("fetch_state", {"url": url, "etag": etag, "last_modified": last_modified,
                                     "fetched_at": now()})

    def same_body(self, origin: str, body: bytes) -> str | None:
        """The ledger key of the document read from exactly these bytes at `origin` last time,
        or None (another body, or never read)."""
        row = self._row("fetch_state", origin, "url")
        if row is None or row["body_hash"] != hashlib.sha1(body).hexdigest():
            return None
        return str(row["doc_key"]) if row["doc_key"] else None

    def remember_body(self, origin: str, body: bytes, doc_key: str) -> None:
        self._upsert("fetch_state", {"url": origin, "body_hash": hashlib.sha1(body).hexdigest(),
                                     "doc_key": doc_key})

    def outlet(self, name: str) -> dict[str, Any] | None:
        return self._row("outlets", name, "name")

    def success(self, name: str, kind: str, documents: int) -> None:
        """An outlet answered (200 or 304) and was read."""
        row = self.outlet(name) or {}
        self._upsert("outlets", {"name": name, "kind": kind, "last_success": now(),
                                 "consecutive_errors": 0, "retry_after": None,
                                 "documents": (row.get("documents") or 0) + documents})

    def failure(self, name: str, kind: str, code: str, message: str,
                retry_after: str | None = None) -> int:
        """An outlet failed; returns its number of consecutive errors."""
        row = self.outlet(name) or {}
        errors = (row.get("consecutive_errors") or 0) + 1
        self._upsert("outlets", {"name": name, "kind": kind, "last_error": message,
                                 "last_error_code": code, "last_error_at": now(),
                                 "consecutive_errors": errors, "retry_after": retry_after,
                                 "documents": row.get("documents") or 0})
        return errors

    def health(self, days: int = HEALTH_DAYS) -> list[dict[str, Any]]:
        """Every outlet's row, with `per_day`: documents first seen per day over the last
        `days` days (today included)."""
        since = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=days - 1))
        counts = self.store.count_since("ledger", "outlet", "first_seen", since.isoformat())
        out = []
        for row in self.store.table_rows("outlets", "name"):
            out.append({**row, "per_day": round(counts.get(row["name"], 0) / days, 2)})
        return out
