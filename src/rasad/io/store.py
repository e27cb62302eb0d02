"""The embedded SQLite store (sqlite-utils): documents, places, events and failures.

`Store(path)` opens or creates the database.  `add_document(raw, record)` upserts one processed
document: its row (with the full contract record as JSON and the normalised text under an FTS5
index), and its places and events, replacing what an earlier run stored for that document, so
re-running the same input changes nothing (all ids are stable hashes).  Events carry `latitude`,
`longitude` and a GeoJSON `geometry`, so ``datasette FILE.db`` with datasette-cluster-map maps them
without configuration.  `add_failure` records a document that could not be processed.  Documents
are written `BATCH` at a time, one transaction per batch; `close` writes the rest.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from rasad.errors import StoreError
from rasad.records import RawDocument, stable_id
from rasad.text.normalize import normalize_form

BATCH = 200

_DOCUMENT_COLUMNS = {
    "doc_id": str, "title": str, "published": str, "source": str, "url": str, "genre": str,
    "text": str, "text_normalized": str, "n_events": int, "n_places": int, "warnings": str,
    "record": str,
}
_PLACE_COLUMNS = {
    "place_id": str, "doc_id": str, "text": str, "start": int, "end": int, "name": str,
    "name_ar": str, "feature": str, "country": str, "admin1": str, "admin2": str, "admin3": str,
    "latitude": float, "longitude": float, "gazetteer_id": str, "pcode": str, "score": float,
    "geometry": str,
}
_EVENT_COLUMNS = {
    "event_id": str, "doc_id": str, "event_type": str, "sub_event_type": str,
    "actor1": str, "actor1_text": str, "inter1": int, "assoc_actor_1": str,
    "actor2": str, "actor2_text": str, "inter2": int, "assoc_actor_2": str,
    "interaction": str, "civilian_targeting": int, "location": str, "location_text": str,
    "country": str, "admin1": str, "admin2": str, "admin3": str, "latitude": float,
    "longitude": float, "geo_precision": int, "event_date": str, "time_precision": int,
    "fatalities": int, "modality": str, "attribution": str, "evidence": str,
    "confidence": float, "background": int, "geometry": str, "record": str,
}
_FAILURE_COLUMNS = {"failure_id": str, "doc_id": str, "stage": str, "code": str, "message": str,
                    "origin": str}


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
    """The flat `places` row of one contract place."""
    row = {k: place.get(k) for k in _PLACE_COLUMNS if k in place}
    row.update(place_id=stable_id(doc_id, place["start"], place["end"]), doc_id=doc_id,
               geometry=point_geometry(place.get("latitude"), place.get("longitude")))
    return row


class Store:
    """A rasad SQLite database."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._pending: dict[str, tuple[RawDocument, dict[str, Any]]] = {}
            self.db = sqlite_utils.Database(self.path)
            # WAL with normal sync: each document is still one atomic transaction, without an
            # fsync per document (a crash can lose the last documents, never corrupt the file).
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._ensure_schema()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    def _ensure_schema(self) -> None:
        db = self.db
        db.table("documents").create(_DOCUMENT_COLUMNS, pk="doc_id", if_not_exists=True)
        db.table("places").create(_PLACE_COLUMNS, pk="place_id", if_not_exists=True,
                            foreign_keys=[("doc_id", "documents", "doc_id")])
        db.table("events").create(_EVENT_COLUMNS, pk="event_id", if_not_exists=True,
                            foreign_keys=[("doc_id", "documents", "doc_id")])
        db.table("failures").create(_FAILURE_COLUMNS, pk="failure_id", if_not_exists=True)
        for table in ("places", "events", "failures"):
            db.table(table).create_index(["doc_id"], if_not_exists=True)
        if not db.table("documents").detect_fts():
            db.table("documents").enable_fts(["title", "text_normalized"], create_triggers=True,
                                       tokenize="unicode61")

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
        rows: list[dict[str, Any]] = []
        places: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for doc_id, (raw, record) in pending.items():
            rows.append({
                "doc_id": doc_id, "title": raw.title, "published": record.get("published"),
                "source": raw.source, "url": raw.url, "genre": record.get("genre"),
                "text": raw.text, "text_normalized": normalize_form(raw.text),
                "n_events": len(record["events"]), "n_places": len(record["places"]),
                "warnings": json.dumps(record.get("warnings") or [], ensure_ascii=False),
                "record": json.dumps(record, ensure_ascii=False),
            })
            places.extend(place_row(doc_id, p) for p in record["places"])
            events.extend(event_row(doc_id, e) for e in record["events"])
        ids = list(pending)
        try:
            with self.db.conn:
                for start in range(0, len(ids), 500):
                    chunk = ids[start:start + 500]
                    marks = ", ".join("?" * len(chunk))
                    for table in ("places", "events", "failures"):
                        self.db.execute(f"delete from {table} where doc_id in ({marks})", chunk)
                self.db.table("documents").upsert_all(rows, pk="doc_id")
                self.db.table("places").insert_all(places, pk="place_id", replace=True)
                self.db.table("events").insert_all(events, pk="event_id", replace=True)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot write documents {ids[0]}… to {self.path}: {exc}") from exc

    def add_failure(self, record: dict[str, Any], stage: str = "read",
                    origin: str | None = None) -> None:
        """Record a document that failed, with its error code and message."""
        error = record["error"]
        row = {"failure_id": stable_id(record["doc_id"], error["code"], error["message"], origin),
               "doc_id": record["doc_id"], "stage": stage, "code": error["code"],
               "message": error["message"], "origin": origin}
        try:
            self.db.table("failures").upsert(row, pk="failure_id")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot write failure to {self.path}: {exc}") from exc

    def records(self) -> Iterator[dict[str, Any]]:
        """The stored contract records, in the order documents were first stored."""
        self.flush()
        for row in self.db.query("select record from documents order by rowid"):
            yield json.loads(row["record"])

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Documents whose normalised text matches an FTS query (normalised like the text)."""
        self.flush()
        sql = ("select documents.doc_id, documents.title, documents.n_events, "
               "snippet(documents_fts, 1, '[', ']', '…', 12) as snippet "
               "from documents_fts join documents on documents.rowid = documents_fts.rowid "
               "where documents_fts match ? order by rank limit ?")
        try:
            return list(self.db.query(sql, [normalize_form(query), limit]))
        except sqlite3.OperationalError as exc:
            raise StoreError(f"bad search query {query!r}: {exc}", code="E303") from exc

    def close(self) -> None:
        self.flush()
        self.db.close()
