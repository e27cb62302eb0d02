"""Builders of hand-made contract records and databases for the store, search and export tests,
and a way to read a database's rows whatever its backend."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from rasad.io.store import COLUMNS, is_postgres_url, open_store
from rasad.records import RawDocument

IDLIB = {"name": "Idlib", "country": "SY", "admin1": "Idlib Governorate", "latitude": 35.93,
         "longitude": 36.63}
SANAA = {"name": "Sanaa", "country": "YE", "admin1": "Amanat al Asimah", "latitude": 15.35,
         "longitude": 44.2}
UNLOCATED = {"name": None, "country": "IQ", "admin1": None, "latitude": None,
             "longitude": None}


def event(event_id: str, text: str, evidence: str, where: dict[str, Any] = IDLIB,
          event_type: str = "Explosions/Remote violence",
          sub_event_type: str = "Air/drone strike", event_date: str | None = "2015-07-20",
          fatalities: int | None = 3, modality: str = "asserted",
          background: bool = False) -> dict[str, Any]:
    """A contract event whose evidence is the first occurrence of `evidence` in `text`."""
    start = text.index(evidence)
    record: dict[str, Any] = {
        "event_id": event_id, "event_type": event_type, "sub_event_type": sub_event_type,
        "actor1": {"name": "Military Forces of Syria", "text": "الطائرات", "start": 0, "end": 0,
                   "inter": 1, "country": "SY"},
        "actor2": None, "assoc_actor_1": [], "assoc_actor_2": [], "interaction": "10",
        "civilian_targeting": False,
        "location": {**where, "text": where["name"], "start": 0, "end": 0, "geo_precision": 1},
        "event_date": event_date, "time_precision": 1, "fatalities": fatalities,
        "fatalities_text": None, "modality": modality, "attribution": None,
        "evidence": {"text": evidence, "start": start, "end": start + len(evidence)},
        "confidence": 0.8}
    if background:
        record["background"] = True
    return record


def record(doc_id: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"doc_id": doc_id, "genre": "news", "published": "2015-07-21", "places": [],
            "events": events, "warnings": []}


def make_store(db: str, documents: dict[str, tuple[str, list[dict[str, Any]]]]) -> str:
    """The database `db` (a SQLite path or a PostgreSQL URL) holding doc_id → (text, events)."""
    store = open_store(db)
    for doc_id, (text, events) in documents.items():
        store.add_document(RawDocument(doc_id, text, title=f"title {doc_id}"),
                           record(doc_id, events))
    store.close()
    return db


def query(db: str | Path, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """The rows of a query (``%s`` placeholders on PostgreSQL, ``?`` on SQLite), as dicts."""
    if is_postgres_url(str(db)):
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(str(db), row_factory=dict_row) as conn:
            return conn.execute(sql, params).fetchall()
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql, params)]
    finally:
        conn.close()


def table_rows(db: str | Path, table: str, order_by: str | None = None,
               extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """A table's rows with rasad's columns (`rasad.io.store.COLUMNS`) and the `extra` ones: the
    same on both backends (PostgreSQL's `seq` and `search_vector` are left out)."""
    columns = ", ".join(f'"{column}"' for column in (*COLUMNS[table], *extra))
    order = f" order by {order_by}" if order_by else ""
    return query(db, f"select {columns} from {table}{order}")
