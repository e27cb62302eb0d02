"""The store: documents, places, events, failures and incidents, in SQLite or PostgreSQL.

`open_store(db, create=True)` opens the backend a ``--db`` value names: a ``postgresql://`` or
``postgres://`` URL is a `PostgresStore` (`rasad.io.postgres_store`, needs the
``rasad[postgres]`` extra: psycopg 3; E502 without it), anything else a SQLite file
(`SQLiteStore`, `rasad.io.sqlite_store`).  Both have the same tables and columns (`COLUMNS`:
what a row of each table holds) and behave alike:

- `add_document(raw, record)` upserts one processed document: its row (the full contract
  record as JSON, the normalised title and text under a full-text index), its places and its
  events, replacing what an earlier run stored for that document, so re-running the same input
  changes nothing (all ids are stable hashes).  Documents are written `BATCH` at a time, one
  transaction per batch; `flush` and `close` write the rest.  `add_failure` records a document
  that could not be processed.
- Reading (`rasad export`, `rasad search`) opens with ``create=False``, which checks that rasad
  wrote the database and changes nothing in it (E301 otherwise).  `records` gives the stored
  contract records in the order they were first stored; `search` finds documents by a query in
  `rasad.io.fts` syntax, with a snippet in the original words; `search_events` finds events by
  their evidence sentence, among those an `EventFilter` keeps.
- Incidents (`rasad.incidents.storage`) go through `ensure_incidents`, `incident_sources` and
  `write_incidents`: the `incidents` table and the `incident_id` column of `events`;
  `write_verification` records an analyst's verdict on one (`rasad serve`).
- Other modules' tables (the ingest ledger) go through `create_tables`, `find_row`,
  `upsert_row`, `table_rows` and `count_since`.

`Store` is the base both backends share (the rows, the batching, the snippets); each backend
keeps all its SQL in its own module.  ``Store(db)`` is kept as a synonym of ``open_store(db)``
for code written when SQLite was the only backend.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from rasad.errors import ConfigError
from rasad.io.filters import EventFilter
from rasad.io.fts import match_spans, snippet
from rasad.records import RawDocument, stable_id
from rasad.text.normalize import normalize_form

if TYPE_CHECKING:
    from rasad.io.postgres_store import PostgresStore
    from rasad.io.sqlite_store import SQLiteStore

BATCH = 200

DOCUMENT_COLUMNS = {
    "doc_id": str, "title": str, "published": str, "source": str, "url": str, "genre": str,
    "text": str, "text_normalized": str, "title_normalized": str, "n_events": int,
    "n_places": int, "warnings": str, "record": str,
}
PLACE_COLUMNS = {
    "place_id": str, "doc_id": str, "text": str, "start": int, "end": int, "name": str,
    "name_ar": str, "feature": str, "country": str, "admin1": str, "admin2": str, "admin3": str,
    "latitude": float, "longitude": float, "gazetteer_id": str, "pcode": str, "score": float,
    "geometry": str,
}
EVENT_COLUMNS = {
    "event_id": str, "doc_id": str, "event_type": str, "sub_event_type": str,
    "actor1": str, "actor1_text": str, "inter1": int, "assoc_actor_1": str,
    "actor2": str, "actor2_text": str, "inter2": int, "assoc_actor_2": str,
    "interaction": str, "civilian_targeting": int, "location": str, "location_text": str,
    "country": str, "admin1": str, "admin2": str, "admin3": str, "latitude": float,
    "longitude": float, "geo_precision": int, "event_date": str, "time_precision": int,
    "fatalities": int, "modality": str, "attribution": str, "evidence": str,
    "confidence": float, "background": int, "geometry": str, "record": str,
}
FAILURE_COLUMNS: dict[str, type] = {
    "failure_id": str, "doc_id": str, "stage": str, "code": str, "message": str, "origin": str}
INCIDENT_COLUMNS = {
    "incident_id": str, "event_type": str, "sub_event_type": str, "actors": str,
    "event_date": str, "time_precision": int, "location": str, "country": str, "admin1": str,
    "latitude": float, "longitude": float, "geo_precision": int, "fatalities": int,
    "fatalities_min": int, "fatalities_max": int, "reports": int, "outlets": int,
    "first_reported": str, "last_reported": str, "members": str, "geometry": str,
}
ALERT_COLUMNS = {
    "alert_id": str, "rule": str, "kind": str, "area": str, "country": str, "admin1": str,
    "period_start": str, "period_end": str, "count": int, "baseline": float, "statistic": str,
    "value": float, "threshold": float, "incident_ids": str, "message": str,
}
COLUMNS: dict[str, dict[str, type]] = {
    "documents": DOCUMENT_COLUMNS, "places": PLACE_COLUMNS, "events": EVENT_COLUMNS,
    "failures": FAILURE_COLUMNS, "incidents": INCIDENT_COLUMNS, "alerts": ALERT_COLUMNS}
"""Every table's columns and their Python types; `events` also has `incident_id` (text) once
incidents were resolved."""
KEYS = {"documents": "doc_id", "places": "place_id", "events": "event_id",
        "failures": "failure_id", "incidents": "incident_id", "alerts": "alert_id"}
"""The primary key of each table."""
READ_COLUMNS = {
    "documents": ("doc_id", "title", "text", "text_normalized", "n_events", "record"),
    "events": ("event_id", "doc_id", "record"),
}
"""What export and search read: a database without them is not one rasad wrote."""
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def point_geometry(latitude: float | None, longitude: float | None) -> str | None:
    """A GeoJSON Point (as text) or None."""
    if latitude is None or longitude is None:
        return None
    return json.dumps({"type": "Point", "coordinates": [longitude, latitude]})


def _names(actors: list[dict[str, Any]]) -> str | None:
    return "; ".join(a["name"] for a in actors) or None


def event_row(doc_id: str, event: dict[str, Any]) -> dict[str, Any]:
    """The flat `events` row of one contract event."""
    a1, a2 = event.get("actor1") or {}, event.get("actor2") or {}
    loc = event.get("location") or {}
    return {
        "event_id": event["event_id"], "doc_id": doc_id,
        "event_type": event["event_type"], "sub_event_type": event["sub_event_type"],
        "actor1": a1.get("name"), "actor1_text": a1.get("text"), "inter1": a1.get("inter"),
        "assoc_actor_1": _names(event.get("assoc_actor_1") or []),
        "actor2": a2.get("name"), "actor2_text": a2.get("text"), "inter2": a2.get("inter"),
        "assoc_actor_2": _names(event.get("assoc_actor_2") or []),
        "interaction": event.get("interaction"),
        "civilian_targeting": int(bool(event.get("civilian_targeting"))),
        "location": loc.get("name"), "location_text": loc.get("text"),
        "country": loc.get("country"), "admin1": loc.get("admin1"),
        "admin2": loc.get("admin2"), "admin3": loc.get("admin3"),
        "latitude": loc.get("latitude"), "longitude": loc.get("longitude"),
        "geo_precision": loc.get("geo_precision"),
        "event_date": event.get("event_date"), "time_precision": event.get("time_precision"),
        "fatalities": event.get("fatalities"), "modality": event.get("modality"),
        "attribution": (event.get("attribution") or {}).get("text"),
        "evidence": (event.get("evidence") or {}).get("text"),
        "confidence": event.get("confidence"), "background": int(bool(event.get("background"))),
        "geometry": point_geometry(loc.get("latitude"), loc.get("longitude")),
        "record": json.dumps(event, ensure_ascii=False),
    }


def place_row(doc_id: str, place: dict[str, Any]) -> dict[str, Any]:
    """The flat `places` row of one contract place (only the columns the place has)."""
    row = {k: place.get(k) for k in PLACE_COLUMNS if k in place}
    row.update(place_id=stable_id(doc_id, place["start"], place["end"]), doc_id=doc_id,
               geometry=point_geometry(place.get("latitude"), place.get("longitude")))
    return row


def document_row(doc_id: str, raw: RawDocument, record: dict[str, Any]) -> dict[str, Any]:
    """The `documents` row of one processed document."""
    return {
        "doc_id": doc_id, "title": raw.title, "published": record.get("published"),
        "source": raw.source, "url": raw.url, "genre": record.get("genre"),
        "text": raw.text, "text_normalized": normalize_form(raw.text),
        "title_normalized": normalize_form(raw.title) if raw.title else None,
        "n_events": len(record["events"]), "n_places": len(record["places"]),
        "warnings": json.dumps(record.get("warnings") or [], ensure_ascii=False),
        "record": json.dumps(record, ensure_ascii=False),
    }


def failure_row(record: dict[str, Any], stage: str, origin: str | None) -> dict[str, Any]:
    """The `failures` row of a document that failed (an error record)."""
    error = record["error"]
    return {"failure_id": stable_id(record["doc_id"], error["code"], error["message"], origin),
            "doc_id": record["doc_id"], "stage": stage, "code": error["code"],
            "message": error["message"], "origin": origin}


def evidence_text(event: dict[str, Any]) -> str:
    """The evidence sentence of a contract event ("" when it has none)."""
    return str((event.get("evidence") or {}).get("text") or "")


def is_postgres_url(db: str | Path) -> bool:
    """True when a ``--db`` value names a PostgreSQL database rather than a SQLite file."""
    return isinstance(db, str) and db.startswith(POSTGRES_SCHEMES)


def display_name(db: str | Path) -> str:
    """How messages name a database: a URL's password is hidden."""
    if not is_postgres_url(db):
        return str(db)
    parts = urlsplit(str(db))
    if parts.password is None:
        return str(db)
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def backend(db: str | Path) -> type[SQLiteStore] | type[PostgresStore]:
    """The store class a ``--db`` value names (E502 for a URL without the postgres extra)."""
    if is_postgres_url(db):
        try:
            from rasad.io.postgres_store import PostgresStore
        except ImportError as exc:
            raise ConfigError(f"a PostgreSQL database needs psycopg ({exc}): "
                              "pip install 'rasad[postgres]'", code="E502") from None
        return PostgresStore
    from rasad.io.sqlite_store import SQLiteStore

    return SQLiteStore


def open_store(db: str | Path, create: bool = True) -> Store:
    """The store `db` names: a ``postgresql://`` URL or a SQLite file.  ``create=False`` opens a
    database rasad wrote, for reading, and changes nothing in it (E301 otherwise)."""
    return backend(db)(db, create=create)


class Store(ABC):
    """What every backend does; see the module docstring.  ``name`` says which database it is
    (a URL without its password)."""

    name: str

    def __new__(cls, db: str | Path, create: bool = True) -> Store:
        # Store(db) is open_store(db): the backend is chosen here, __init__ runs once after.
        chosen: type[Store] = backend(db) if cls is Store else cls
        return super().__new__(chosen)

    def __init__(self, db: str | Path, create: bool = True) -> None:
        self.name = display_name(db)
        self._pending: dict[str, tuple[RawDocument, dict[str, Any]]] = {}

    def add_document(self, raw: RawDocument, record: dict[str, Any]) -> None:
        """Upsert a processed document with its places and events (replacing older rows).

        Writes are buffered and committed `BATCH` documents at a time (one transaction each);
        `flush` and `close` write what is pending.
        """
        self._pending[record["doc_id"]] = (raw, record)
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the buffered documents in one transaction."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        documents: list[dict[str, Any]] = []
        places: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for doc_id, (raw, record) in pending.items():
            documents.append(document_row(doc_id, raw, record))
            places.extend(place_row(doc_id, p) for p in record["places"])
            events.extend(event_row(doc_id, e) for e in record["events"])
        self._write_documents(list(pending), documents, places, events)

    def add_failure(self, record: dict[str, Any], stage: str = "read",
                    origin: str | None = None) -> None:
        """Record a document that failed, with its error code and message."""
        self._write_failure(failure_row(record, stage, origin))

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Documents whose normalised title or text matches `query` (`rasad.io.fts` syntax, its
        terms normalised like the text), best first, each with a `snippet` of its original
        text."""
        self.flush()
        return [{"doc_id": row["doc_id"], "title": row["title"], "n_events": row["n_events"],
                 "snippet": snippet(row["text"], match_spans(row["text"], row["highlighted"]))}
                for row in self._search_documents(query, limit)]

    def search_events(self, query: str, event_filter: EventFilter | None = None,
                      limit: int = 20) -> list[dict[str, Any]]:
        """Events whose evidence matches `query` (as `search`), among those `event_filter`
        keeps, best first: each row has `doc_id`, the contract `event`, and `snippet`, the whole
        evidence in the article's words with the matches in [ ].  Nothing is written to the
        database."""
        self.flush()
        keep = event_filter or EventFilter()
        kept: dict[int, tuple[str, dict[str, Any]]] = {}
        for key, doc_id, record in self._stored_events():
            event = json.loads(record)
            if keep.matches(event):
                kept[key] = (doc_id, event)
        texts = {key: normalize_form(evidence_text(event)) for key, (_, event) in kept.items()}
        results = []
        for key, highlighted in self._search_texts(query, texts, limit):
            doc_id, event = kept[key]
            evidence = evidence_text(event)
            results.append({"doc_id": doc_id, "event": event, "snippet": snippet(
                evidence, match_spans(evidence, highlighted), words=0)})
        return results

    @abstractmethod
    def _write_documents(self, doc_ids: list[str], documents: list[dict[str, Any]],
                         places: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
        """In one transaction: delete the places, events and failures of `doc_ids`, upsert the
        documents, insert the places and events (replacing rows with the same id)."""

    @abstractmethod
    def _write_failure(self, row: dict[str, Any]) -> None:
        """Upsert one `failures` row."""

    @abstractmethod
    def records(self) -> Iterator[dict[str, Any]]:
        """The stored contract records, in the order documents were first stored."""

    @abstractmethod
    def _search_documents(self, query: str, limit: int) -> list[dict[str, Any]]:
        """The best `limit` documents matching `query`: doc_id, title, n_events, text, and
        `highlighted`, the normalised text with `fts.OPEN`/`fts.CLOSE` around the matches."""

    @abstractmethod
    def _stored_events(self) -> Iterator[tuple[int, str, str]]:
        """Every stored event as (a key unique in this store, doc_id, record JSON)."""

    @abstractmethod
    def _search_texts(self, query: str, texts: dict[int, str], limit: int
                      ) -> list[tuple[int, str]]:
        """The best `limit` of `texts` (normalised) matching `query`, as (key, highlighted);
        a bad query is E303 even when `texts` is empty."""

    @abstractmethod
    def ensure_incidents(self) -> None:
        """Create the `incidents` table and the `events.incident_id` column when missing."""

    @abstractmethod
    def incident_sources(self) -> list[dict[str, Any]]:
        """Every stored event with what incidents need: event_id, doc_id, record, incident_id
        (None when not resolved, or before `ensure_incidents`), and its document's published
        and source."""

    @abstractmethod
    def write_incidents(self, rows: list[dict[str, Any]], assignments: list[tuple[str, str]],
                        replaced: set[str] | None) -> None:
        """In one transaction: delete every incident and every event's incident_id (`replaced`
        None) or the incidents named, write the incident `rows` and the (incident_id,
        event_id) `assignments`."""

    # Tables of other modules (the ingest ledger, `rasad.ingest.ledger`): each module declares
    # its tables' columns and keys; the store creates them and reads and writes their rows.

    @abstractmethod
    def create_tables(self, tables: Mapping[str, Mapping[str, type]], keys: Mapping[str, str],
                      indexes: Mapping[str, Sequence[str]]) -> None:
        """Create the `tables` (column → Python type) with their primary `keys`, and an index
        on each of the `indexes` columns, when missing."""

    @abstractmethod
    def find_row(self, table: str, column: str, value: Any) -> dict[str, Any] | None:
        """A row of `table` whose `column` is `value` (None when there is none)."""

    @abstractmethod
    def upsert_row(self, table: str, key: str, values: dict[str, Any]) -> None:
        """Insert the row `values`, or set only the columns it gives on the row with its `key`
        (one transaction)."""

    @abstractmethod
    def table_rows(self, table: str, order_by: str) -> list[dict[str, Any]]:
        """Every row of `table`, ordered by the column `order_by`."""

    @abstractmethod
    def count_since(self, table: str, group_by: str, column: str, since: str) -> dict[str, int]:
        """How many rows of `table` have `column` ≥ `since`, per value of `group_by`."""

    @abstractmethod
    def write_verification(self, row: dict[str, Any]) -> None:
        """Upsert an analyst's verdict on an incident (`rasad serve`): a `verifications` row
        (incident_id, verified, note, at), the table created when missing."""

    @abstractmethod
    def select(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of a read-only query written in the SQL both backends speak, with ``?``
        placeholders (trends, alerts and incident exports read through it); E301 on failure."""

    @abstractmethod
    def has_table(self, table: str) -> bool:
        """Whether the database has `table`."""

    @abstractmethod
    def replace_table(self, table: str, rows: list[dict[str, Any]]) -> None:
        """In one transaction: create `table` (one of `COLUMNS`) when missing, delete its rows
        and write `rows`."""

    @abstractmethod
    def close(self) -> None:
        """Write what is pending and close the connection."""
