"""The embedded SQLite store (sqlite-utils): documents, places, events and failures.

`Store(path)` opens or creates the database (one written before titles were indexed normalised
is brought up to date).  `add_document(raw, record)` upserts one processed document: its row
(with the full contract record as JSON and the normalised title and text under an FTS5 index),
and its places and events, replacing what an earlier run stored for that document, so re-running
the same input changes nothing (all ids are stable hashes).  Events carry `latitude`,
`longitude` and a GeoJSON `geometry`, so ``datasette FILE.db`` with datasette-cluster-map maps them
without configuration.  `add_failure` records a document that could not be processed.  Documents
are written `BATCH` at a time, one transaction per batch; `close` writes the rest.

Reading (`rasad export`, `rasad search`) opens with ``Store(path, create=False)``, which checks that
rasad wrote the database and changes nothing in it.  `search` finds documents by an FTS5 query
(`rasad.io.fts`: terms normalised, operators kept) with a snippet in the original words;
`search_events` finds events by their evidence sentence, among those an `EventFilter` keeps.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from rasad.errors import StoreError
from rasad.io.filters import EventFilter
from rasad.io.fts import CLOSE, OPEN, fts_query, match_spans, snippet
from rasad.records import RawDocument, stable_id
from rasad.text.normalize import normalize_form

BATCH = 200

_DOCUMENT_COLUMNS = {
    "doc_id": str, "title": str, "published": str, "source": str, "url": str, "genre": str,
    "text": str, "text_normalized": str, "title_normalized": str, "n_events": int,
    "n_places": int, "warnings": str, "record": str,
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
FTS_COLUMNS = {"title": "title_normalized", "text": "text_normalized"}
"""The columns of the documents' FTS5 index, by the name a query's column filter gives them."""
_READ_COLUMNS = {
    "documents": ("doc_id", "title", "text", "text_normalized", "n_events", "record"),
    "events": ("event_id", "doc_id", "record"),
}
"""What export and search read: a database without them is not one rasad wrote."""
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


def _evidence(event: dict[str, Any]) -> str:
    return str((event.get("evidence") or {}).get("text") or "")


class Store:
    """A rasad SQLite database.

    ``Store(path)`` creates the file and rasad's tables when they are missing (for writing);
    ``Store(path, create=False)`` (export, search) opens a database rasad wrote and changes nothing
    in it: a missing file, a file that is not SQLite, or a database without rasad's tables and
    columns is an E301 error.
    """

    def __init__(self, path: str | Path, create: bool = True) -> None:
        self.path = Path(path)
        self._pending: dict[str, tuple[RawDocument, dict[str, Any]]] = {}
        if not create and not self.path.is_file():
            raise StoreError(f"no database at {self.path}")
        try:
            self.db = sqlite_utils.Database(self.path)
            if not create:
                self._check_schema()
                return
            # WAL with normal sync: each document is still one atomic transaction, without an
            # fsync per document (a crash can lose the last documents, never corrupt the file).
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._ensure_schema()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    def _check_schema(self) -> None:
        """Raise E301 unless the database has the tables and columns rasad writes."""
        tables = set(self.db.table_names())
        missing = [name for name in (*_READ_COLUMNS, "documents_fts") if name not in tables]
        missing += [f"{table}.{column}" for table, columns in _READ_COLUMNS.items()
                    if table in tables
                    for column in columns if column not in self.db.table(table).columns_dict]
        if missing:
            self.db.close()
            raise StoreError(f"{self.path} is not a database rasad wrote (it lacks "
                             f"{', '.join(sorted(missing))}); write one with rasad extract --db")

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
        documents = db.table("documents")
        if "title_normalized" not in documents.columns_dict:  # written before titles were
            documents.add_column("title_normalized", str)     # indexed normalised
            titles = [(normalize_form(row["title"]), row["rowid"])
                      for row in db.query("select rowid, title from documents "
                                          "where title is not null")]
            with db.conn:
                db.conn.executemany("update documents set title_normalized = ? where rowid = ?",
                                    titles)
        fts = documents.detect_fts()
        if fts and "title_normalized" not in db.table(fts).columns_dict:
            documents.disable_fts()
            fts = None
        if not fts:
            documents.enable_fts(list(FTS_COLUMNS.values()), create_triggers=True,
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
                "title_normalized": normalize_form(raw.title) if raw.title else None,
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
        """Documents whose normalised text matches an FTS5 query (its terms normalised like the
        text, its operators kept), best first, each with a `snippet` of its original text."""
        self.flush()
        sql = ("select documents.doc_id, documents.title, documents.n_events, documents.text, "
               f"highlight(documents_fts, 1, '{OPEN}', '{CLOSE}') as highlighted "
               "from documents_fts join documents on documents.rowid = documents_fts.rowid "
               "where documents_fts match ? order by rank limit ?")
        indexed = self.db.table("documents_fts").columns_dict
        columns = {alias: name if name in indexed else alias for alias, name in FTS_COLUMNS.items()}
        rows = self._query(sql, query, [fts_query(query, columns), limit])
        return [{"doc_id": row["doc_id"], "title": row["title"], "n_events": row["n_events"],
                 "snippet": snippet(row["text"], match_spans(row["text"], row["highlighted"]))}
                for row in rows]

    def search_events(self, query: str, event_filter: EventFilter | None = None,
                      limit: int = 20) -> list[dict[str, Any]]:
        """Events whose evidence matches an FTS5 query (as `search`), among those `event_filter`
        keeps, best first: each row has `doc_id`, the contract `event`, and `snippet`, the whole
        evidence in the article's words with the matches in [ ].

        The evidence of the kept events is indexed at query time, in a temporary table: nothing
        is written to the database.
        """
        fts = fts_query(query)
        self.flush()
        keep = event_filter or EventFilter()
        kept: dict[int, tuple[str, dict[str, Any]]] = {}
        for row in self.db.query("select rowid, doc_id, record from events"):
            event = json.loads(row["record"])
            if keep.matches(event):
                kept[row["rowid"]] = (row["doc_id"], event)
        conn = self.db.conn
        conn.execute("drop table if exists temp.evidence_fts")
        conn.execute("create virtual table temp.evidence_fts using fts5(evidence, "
                     "tokenize='unicode61')")
        conn.executemany("insert into temp.evidence_fts(rowid, evidence) values (?, ?)",
                         ((rowid, normalize_form(_evidence(event)))
                          for rowid, (_, event) in kept.items()))
        sql = (f"select rowid, highlight(evidence_fts, 0, '{OPEN}', '{CLOSE}') as highlighted "
               "from temp.evidence_fts where evidence_fts match ? order by rank limit ?")
        results = []
        for row in self._query(sql, query, [fts, limit]):
            doc_id, event = kept[row["rowid"]]
            evidence = _evidence(event)
            results.append({"doc_id": doc_id, "event": event, "snippet": snippet(
                evidence, match_spans(evidence, row["highlighted"]), words=0)})
        conn.execute("drop table temp.evidence_fts")
        return results

    def _query(self, sql: str, query: str, params: list[Any]) -> list[dict[str, Any]]:
        try:
            return list(self.db.query(sql, params))
        except sqlite3.OperationalError as exc:
            raise StoreError(f"bad search query {query!r}: {exc}", code="E303") from exc

    def close(self) -> None:
        self.flush()
        self.db.close()
