"""The SQLite backend of the store (sqlite-utils): `SQLiteStore`.

The tables and their columns are `rasad.io.store.COLUMNS`; the normalised title and text are
indexed by FTS5 (`documents_fts`, kept in step by triggers; a database written before titles
were indexed normalised is brought up to date when opened for writing).  Events carry
`latitude`, `longitude` and a GeoJSON `geometry`, so ``datasette FILE.db`` with
datasette-cluster-map maps them without configuration.  Queries are FTS5 queries
(`rasad.io.fts.fts_query`); `search_events` indexes the kept events' evidence in a temporary
table.  The sqlite-utils `Database` is `db`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from rasad.errors import StoreError
from rasad.io.fts import CLOSE, OPEN, fts_query
from rasad.io.store import (
    COLUMNS,
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    FAILURE_COLUMNS,
    INCIDENT_COLUMNS,
    KEYS,
    PLACE_COLUMNS,
    READ_COLUMNS,
    Store,
)
from rasad.text.normalize import normalize_form

FTS_COLUMNS = {"title": "title_normalized", "text": "text_normalized"}
"""The columns of the documents' FTS5 index, by the name a query's column filter gives them."""


class SQLiteStore(Store):
    """A rasad SQLite database.

    ``SQLiteStore(path)`` creates the file and rasad's tables when they are missing (for
    writing); ``SQLiteStore(path, create=False)`` (export, search) opens a database rasad wrote
    and changes nothing in it: a missing file, a file that is not SQLite, or a database without
    rasad's tables and columns is an E301 error.
    """

    def __init__(self, path: str | Path, create: bool = True) -> None:
        super().__init__(path, create)
        self.path = Path(path)
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
        missing = [name for name in (*READ_COLUMNS, "documents_fts") if name not in tables]
        missing += [f"{table}.{column}" for table, columns in READ_COLUMNS.items()
                    if table in tables
                    for column in columns if column not in self.db.table(table).columns_dict]
        if missing:
            self.db.close()
            raise StoreError(f"{self.path} is not a database rasad wrote (it lacks "
                             f"{', '.join(sorted(missing))}); write one with rasad extract --db")

    def _ensure_schema(self) -> None:
        db = self.db
        db.table("documents").create(DOCUMENT_COLUMNS, pk="doc_id", if_not_exists=True)
        db.table("places").create(PLACE_COLUMNS, pk="place_id", if_not_exists=True,
                                  foreign_keys=[("doc_id", "documents", "doc_id")])
        db.table("events").create(EVENT_COLUMNS, pk="event_id", if_not_exists=True,
                                  foreign_keys=[("doc_id", "documents", "doc_id")])
        db.table("failures").create(FAILURE_COLUMNS, pk="failure_id", if_not_exists=True)
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

    def _write_documents(self, doc_ids: list[str], documents: list[dict[str, Any]],
                         places: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
        try:
            with self.db.conn:
                for start in range(0, len(doc_ids), 500):
                    chunk = doc_ids[start:start + 500]
                    marks = ", ".join("?" * len(chunk))
                    for table in ("places", "events", "failures"):
                        self.db.execute(f"delete from {table} where doc_id in ({marks})", chunk)
                self.db.table("documents").upsert_all(documents, pk="doc_id")
                self.db.table("places").insert_all(places, pk="place_id", replace=True)
                self.db.table("events").insert_all(events, pk="event_id", replace=True)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot write documents {doc_ids[0]}… to {self.path}: {exc}"
                             ) from exc

    def _write_failure(self, row: dict[str, Any]) -> None:
        try:
            self.db.table("failures").upsert(row, pk="failure_id")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot write failure to {self.path}: {exc}") from exc

    def records(self) -> Iterator[dict[str, Any]]:
        self.flush()
        for row in self.db.query("select record from documents order by rowid"):
            yield json.loads(row["record"])

    def _search_documents(self, query: str, limit: int) -> list[dict[str, Any]]:
        sql = ("select documents.doc_id, documents.title, documents.n_events, documents.text, "
               f"highlight(documents_fts, 1, '{OPEN}', '{CLOSE}') as highlighted "
               "from documents_fts join documents on documents.rowid = documents_fts.rowid "
               "where documents_fts match ? order by rank limit ?")
        indexed = self.db.table("documents_fts").columns_dict
        columns = {alias: name if name in indexed else alias for alias, name in FTS_COLUMNS.items()}
        return self._query(sql, query, [fts_query(query, columns), limit])

    def _stored_events(self) -> Iterator[tuple[int, str, str]]:
        for row in self.db.query("select rowid, doc_id, record from events"):
            yield row["rowid"], row["doc_id"], row["record"]

    def _search_texts(self, query: str, texts: dict[int, str], limit: int
                      ) -> list[tuple[int, str]]:
        fts = fts_query(query)
        conn = self.db.conn
        conn.execute("drop table if exists temp.evidence_fts")
        conn.execute("create virtual table temp.evidence_fts using fts5(evidence, "
                     "tokenize='unicode61')")
        conn.executemany("insert into temp.evidence_fts(rowid, evidence) values (?, ?)",
                         texts.items())
        sql = (f"select rowid, highlight(evidence_fts, 0, '{OPEN}', '{CLOSE}') as highlighted "
               "from temp.evidence_fts where evidence_fts match ? order by rank limit ?")
        try:
            return [(row["rowid"], row["highlighted"]) for row in self._query(sql, query,
                                                                               [fts, limit])]
        finally:
            conn.execute("drop table temp.evidence_fts")

    def _query(self, sql: str, query: str, params: list[Any]) -> list[dict[str, Any]]:
        try:
            return list(self.db.query(sql, params))
        except sqlite3.OperationalError as exc:
            raise StoreError(f"bad search query {query!r}: {exc}", code="E303") from exc

    def ensure_incidents(self) -> None:
        db = self.db
        db.table("incidents").create(INCIDENT_COLUMNS, pk="incident_id", if_not_exists=True)
        events = db.table("events")
        if "incident_id" not in events.columns_dict:
            events.add_column("incident_id", str)
        events.create_index(["incident_id"], if_not_exists=True)
        # the blocks `rasad.incidents.storage.attach` reads
        events.create_index(["event_type", "country", "event_date"], if_not_exists=True)

    def incident_sources(self) -> list[dict[str, Any]]:
        self.flush()
        incident = ("events.incident_id" if "incident_id" in self.db.table("events").columns_dict
                    else "null as incident_id")
        sql = (f"select events.event_id, events.doc_id, events.record, {incident}, "
               "documents.published, documents.source "
               "from events join documents on documents.doc_id = events.doc_id")
        return list(self.db.query(sql))

    def write_incidents(self, rows: list[dict[str, Any]], assignments: list[tuple[str, str]],
                        replaced: set[str] | None) -> None:
        db = self.db
        try:
            with db.conn:
                if replaced is None:
                    db.execute("delete from incidents")
                    db.execute("update events set incident_id = null")
                else:
                    db.conn.executemany("delete from incidents where incident_id = ?",
                                        [(i,) for i in sorted(replaced)])
                db.table("incidents").insert_all(rows, pk="incident_id", replace=True)
                db.conn.executemany("update events set incident_id = ? where event_id = ?",
                                    assignments)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot write incidents to {self.path}: {exc}") from exc

    def select(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        self.flush()
        try:
            return list(self.db.query(sql, list(params)))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot read {self.path}: {exc}") from exc

    def has_table(self, table: str) -> bool:
        return bool(self.db.table(table).exists())

    def replace_table(self, table: str, rows: list[dict[str, Any]]) -> None:
        db = self.db
        try:
            with db.conn:
                db.table(table).create(COLUMNS[table], pk=KEYS[table], if_not_exists=True)
                db.execute(f"delete from {table}")
                db.table(table).insert_all(rows, pk=KEYS[table], replace=True)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot write {table} to {self.path}: {exc}") from exc
    def create_tables(self, tables: Mapping[str, Mapping[str, type]], keys: Mapping[str, str],
                      indexes: Mapping[str, Sequence[str]]) -> None:
        try:
            for table, columns in tables.items():
                self.db.table(table).create(dict(columns), pk=keys[table], if_not_exists=True)
                for column in indexes.get(table, ()):
                    self.db.table(table).create_index([column], if_not_exists=True)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot create tables {', '.join(tables)} in {self.path}: {exc}"
                             ) from exc

    def find_row(self, table: str, column: str, value: Any) -> dict[str, Any] | None:
        rows = list(self.db.query(f"select * from {table} where [{column}] = ? limit 1",
                                  [value]))
        return rows[0] if rows else None

    def upsert_row(self, table: str, key: str, values: dict[str, Any]) -> None:
        with self.db.conn:
            self.db.table(table).upsert(values, pk=key)

    def table_rows(self, table: str, order_by: str) -> list[dict[str, Any]]:
        return list(self.db.query(f"select * from {table} order by [{order_by}]"))

    def count_since(self, table: str, group_by: str, column: str, since: str) -> dict[str, int]:
        return {row["value"]: row["n"] for row in self.db.query(
            f"select [{group_by}] as value, count(*) as n from {table} where [{column}] >= ? "
            f"group by [{group_by}]", [since])}

    def write_verification(self, row: dict[str, Any]) -> None:
        db = self.db
        try:
            with db.conn:
                db.table("verifications").create(
                    {"incident_id": str, "verified": int, "note": str, "at": str},
                    pk="incident_id", if_not_exists=True)
                db.table("verifications").upsert(row, pk="incident_id")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot write to {self.path}: {exc}") from exc

    def close(self) -> None:
        self.flush()
        self.db.close()
