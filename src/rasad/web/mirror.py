"""An in-memory copy of what the API filters, sorts and counts, kept in step with the database.

The stored `events` rows carry the whole contract record as JSON, so every filtered list over the
file reads every record; the API instead keeps, in an in-memory SQLite database, the flat columns
of the events (with their document's `published`, `source` and rowid, the `admin1_key` of their
admin1, the distinct names of their actors casefolded under an FTS5 trigram index
(`_index_actors`), and their evidence normalised under an FTS5 index), each event's JSON as the
lists give it (`items`, UTF-8 bytes), an index per filter and
sort, the flat columns of `incidents` and the `verifications`.  The file is attached read-only as
``store`` (its documents and their FTS5 index, the records), so one connection answers every
list.

`Mirror.read()` hands out that connection under a lock (queries over the copy take milliseconds;
SQLite connections are not shared between threads otherwise).  Before each use it compares the
file's ``PRAGMA data_version`` with the one it copied: when another connection (``rasad extract
--db``, ``rasad incidents``, a write endpoint) has committed since, the copy is rebuilt (2.5 s of
CPU for the 13,026 events of the whole SaudiNewsNet corpus, 1.5 s before it wrote the events'
JSON, the actors' trigrams and the indexes).
`Mirror.current()` gives the copy without waiting (None when it is busy or stale: the fast path
of ``/api/events`` then leaves the request to the route), `Mirror.generation()` a number that
moves with every new copy (what ``/api/trends`` caches under).

On PostgreSQL (a ``postgresql://`` URL) nothing is attached: the copy is filled through the
store's `StoreReader` methods (`rasad.io.postgres_store.PostgresStore`) in one read-only
snapshot, and `rasad.web.queries` asks the store (`Mirror.store`) for what the file would give
(records, documents, documents matching a full-text query).  The store's `version` (a counter
every writer moves when it commits) plays ``data_version``'s part.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from rasad.eval.match import admin1_key
from rasad.io.store import is_postgres_url, open_store
from rasad.text.normalize import normalize_form

EVENT_COLUMNS = ("event_id", "doc_id", "event_type", "sub_event_type", "actor1", "actor2",
                 "assoc_actor_1", "assoc_actor_2", "actor1_text", "actor2_text", "interaction",
                 "location", "country", "admin1", "latitude", "longitude", "geo_precision",
                 "event_date", "time_precision", "fatalities", "modality", "attribution",
                 "evidence", "confidence", "background")
"""The `events` columns copied (the evidence to a table of its own, `evidence`); with them
`incident_id`, the document's `published`, `source` and rowid (`doc_rowid`, its row in the FTS5
index), `admin1_key`, `actor_words` (the actor columns casefolded, one a line), `actor_set`
(its `actor_words`' row in `actor_sets`, see `_index_actors`) and `day` (the
first ten characters of a non-empty `event_date`)."""
ACTOR_COLUMNS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "actor1_text",
                 "actor2_text")
INCIDENT_COLUMNS = ("incident_id", "event_type", "sub_event_type", "actors", "event_date",
                    "time_precision", "location", "country", "admin1", "latitude", "longitude",
                    "geo_precision", "fatalities", "reports", "outlets", "first_reported",
                    "last_reported")
VERIFICATION_COLUMNS = ("incident_id", "verified", "note")
ITEM_COLUMNS = ("event_id", "doc_id", "event_type", "sub_event_type", "actor1", "actor2",
                "interaction", "location", "country", "admin1", "latitude", "longitude",
                "geo_precision", "event_date", "time_precision", "fatalities", "modality",
                "attribution", "evidence", "confidence", "background", "incident_id")
"""The fields of an event as ``/api/events`` lists it (`event_item`), in order."""
STATEMENT_CACHE = 1024
"""Prepared statements the copy's connection keeps (see `Mirror._build`)."""


class StoreReader(Protocol):
    """What the API reads from a store it cannot attach (PostgreSQL): events are named by a key
    (an integer, the mirror's ``events.id``), documents by theirs (``doc_rowid``)."""

    def version(self) -> str: ...
    def snapshot(self) -> AbstractContextManager[None]: ...
    def mirror_events(self, columns: Sequence[str]) -> list[tuple[Any, ...]]: ...
    def mirror_incidents(self, columns: Sequence[str]) -> list[tuple[Any, ...]] | None: ...
    def mirror_verifications(self) -> list[tuple[Any, ...]] | None: ...
    def event_records(self, keys: Sequence[int]) -> dict[int, str]: ...
    def event_reports(self, keys: Sequence[int]) -> dict[int, dict[str, Any]]: ...
    def document(self, doc_id: str) -> dict[str, Any] | None: ...
    def document_keys(self, query: str) -> list[int]: ...
    def count_documents(self) -> int: ...
    def close(self) -> None: ...


def event_item(row: Any) -> dict[str, Any]:
    """An event as the API lists it, from a row with the `ITEM_COLUMNS` (an event no incident
    holds is its own incident)."""
    item = {key: row[key] for key in ITEM_COLUMNS}
    item["background"] = bool(item["background"])
    item["incident_id"] = row["incident_id"] or row["event_id"]
    return item


def item_json(item: dict[str, Any]) -> str:
    """The JSON text of a listed item, as the API writes it."""
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def readonly_uri(path: str | Path) -> str:
    return "file:" + quote(str(Path(path).resolve())) + "?mode=ro"


@lru_cache(maxsize=65536)
def _admin1_key(name: str | None) -> str:
    return admin1_key(name or "")


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"pragma store.table_info({table})")}


class Mirror:
    """The in-memory copy of the database `db` (see the module's docstring); `store` is the
    `StoreReader` of a PostgreSQL database, None for a SQLite file (attached instead)."""

    def __init__(self, db: str | Path) -> None:
        self.store: StoreReader | None = None
        if is_postgres_url(db):
            self.store = open_store(db, create=False)  # type: ignore[assignment]
        else:
            self.path = Path(db)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._version: int | str | None = None
        self._generation = 0
        with self.read():
            pass

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """The connection to the copy (rebuilt first when the file changed), under the lock."""
        with self._lock:
            conn = self._conn
            version = self._current_version(conn) if conn else None
            if conn is None or version != self._version:
                if conn is not None:
                    conn.close()
                conn, self._version = self._build()
                self._conn = conn
                self._generation += 1
            yield conn

    @contextmanager
    def current(self) -> Iterator[sqlite3.Connection | None]:
        """The connection to the copy when it is free and up to date, without waiting; None
        when another thread holds it or the database changed (`read` copies it again)."""
        if not self._lock.acquire(blocking=False):
            yield None
            return
        try:
            conn = self._conn
            fresh = conn is not None and self._current_version(conn) == self._version
            yield conn if fresh else None
        finally:
            self._lock.release()

    def generation(self) -> int:
        """How many copies have been taken: a number that moves when, and only when, the
        database changed since the last copy (which it takes again first, as `read` does).
        What is computed from the database can be cached under it (``/api/trends``)."""
        with self.read():
            return self._generation

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            if self.store is not None:
                self.store.close()

    def _current_version(self, conn: sqlite3.Connection) -> int | str:
        if self.store is not None:
            return self.store.version()
        return int(conn.execute("pragma store.data_version").fetchone()[0])

    def _build(self) -> tuple[sqlite3.Connection, int | str]:
        """A new copy, and the version it was taken at (read first: a commit during the copy
        makes the next `read` copy again)."""
        # A list's SQL differs with its filters, sort and plan: 690 distinct statements in 3,000
        # requests of the benchmark's mix, where Python keeps 128 prepared by default (each
        # miss prepares its statement again: 0.1-0.2 ms of a 1.2 ms page, measured in-process).
        conn = sqlite3.connect(":memory:", check_same_thread=False, uri=True,
                               cached_statements=STATEMENT_CACHE)
        conn.row_factory = sqlite3.Row
        if self.store is not None:
            with self.store.snapshot(), conn:
                version = self._current_version(conn)
                self._fill_events(conn, self.store.mirror_events(EVENT_COLUMNS))
                _fill_table(conn, "incidents", INCIDENT_COLUMNS,
                            self.store.mirror_incidents(INCIDENT_COLUMNS))
                _fill_table(conn, "verifications", VERIFICATION_COLUMNS,
                            self.store.mirror_verifications())
            return conn, version
        conn.execute("attach database ? as store", [readonly_uri(self.path)])
        version = self._current_version(conn)
        with conn:  # one read transaction: a consistent snapshot of the file
            conn.execute("begin")
            self._copy_events(conn)
            self._copy_incidents(conn)
        return conn, version

    def _copy_events(self, conn: sqlite3.Connection) -> None:
        incident = "e.incident_id" if "incident_id" in _columns(conn, "events") else "null"
        self._fill_events(conn, conn.execute(
            f"select e.rowid, {', '.join('e.' + c for c in EVENT_COLUMNS)}, {incident}, "
            "d.published, d.source, d.rowid from store.events e "
            "join store.documents d on d.doc_id = e.doc_id").fetchall())

    @staticmethod
    def _fill_events(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]]) -> None:
        """The copy's `events`, `evidence` and `evidence_fts` from `rows`: (key,
        `EVENT_COLUMNS`, incident_id, published, source, document key)."""
        columns = ", ".join(c for c in EVENT_COLUMNS if c != "evidence")
        conn.execute(f"create table main.events (id integer primary key, {columns}, "
                     "incident_id, published, source, doc_rowid, admin1_key, actor_words)")
        admin1 = EVENT_COLUMNS.index("admin1") + 1
        actors = [EVENT_COLUMNS.index(c) + 1 for c in ACTOR_COLUMNS]
        evidence = EVENT_COLUMNS.index("evidence") + 1
        marks = ", ".join("?" * (len(EVENT_COLUMNS) + 6))
        # The evidence goes to a table of its own: the rows scanned by the filters stay narrow.
        conn.executemany(f"insert into main.events values ({marks})",
                         ((*row[:evidence], *row[evidence + 1:], _admin1_key(row[admin1]),
                           "\n".join(row[i] or "" for i in actors).casefold())
                          for row in rows))
        conn.execute("create table main.evidence (id integer primary key, text)")
        conn.executemany("insert into main.evidence values (?, ?)",
                         ((row[0], row[evidence]) for row in rows))
        # `day` for the date filters (an index range); the actors (see `_index_actors`); an
        # index per filter and per sort (an ascending sort puts the missing values last: its
        # index starts with `is null`), the bounding box's over both coordinates (it counts
        # from the index alone).
        conn.execute("alter table main.events add column day")
        conn.execute("update main.events set day = substr(event_date, 1, 10) "
                     "where coalesce(event_date, '') != ''")
        _index_actors(conn)
        for column in ("country", "event_type", "sub_event_type", "event_date", "day",
                       "incident_id", "doc_id", "doc_rowid", "admin1_key",
                       "modality", "background", "actor_set", "fatalities", "confidence"):
            conn.execute(f"create index main.events_{column} on events({column})")
        conn.execute("create index main.events_longitude on events(longitude, latitude)")
        for column in ("event_date", "fatalities", "event_type", "country", "confidence"):
            conn.execute(f"create index main.events_{column}_up on events({column} is null, "
                         f"{column})")
        conn.execute("create virtual table main.evidence_fts using fts5(evidence, content='', "
                     "tokenize='unicode61')")
        conn.executemany("insert into main.evidence_fts(rowid, evidence) values (?, ?)",
                         ((row[0], normalize_form(row[evidence] or "")) for row in rows))
        # Each event's JSON as the lists give it, written once per copy as UTF-8 bytes (a
        # blob): a page of events is then its rows' bytes joined, with nothing to convert per
        # request (as text, SQLite's UTF-8 was decoded to Python's str and encoded again: 0.2
        # ms of a page of 100 Arabic events).
        conn.execute("create table main.items (id integer primary key, json blob)")
        columns = ", ".join("v.text as evidence" if c == "evidence" else f"e.{c}"
                            for c in ITEM_COLUMNS)
        conn.executemany("insert into main.items values (?, ?)", (
            (row["id"], item_json(event_item(row)).encode()) for row in conn.execute(
                f"select e.id, {columns} from main.events e "
                "join main.evidence v on v.id = e.id").fetchall()))
        conn.execute("analyze main")  # the query planner's statistics: which index to take

    def _copy_incidents(self, conn: sqlite3.Connection) -> None:
        tables = {row[0] for row in conn.execute("select name from store.sqlite_master")}
        if "incidents" in tables and "incident_id" in _columns(conn, "events"):
            columns = ", ".join(INCIDENT_COLUMNS)
            conn.execute(f"create table main.incidents as select {columns} "
                         "from store.incidents")
            conn.execute("create unique index main.incidents_id on incidents(incident_id)")
        if "verifications" in tables:
            conn.execute("create table main.verifications as select incident_id, verified, "
                         "note from store.verifications")
            conn.execute("create unique index main.verifications_id "
                         "on verifications(incident_id)")


def _index_actors(conn: sqlite3.Connection) -> None:
    """What the actor filter searches: the distinct `actor_words` (`actor_sets`, each event's
    row there as its `actor_set`), the distinct lines of them (`actor_names`, one actor's
    text, casefolded) under an FTS5 trigram index, and which names each set holds
    (`actor_set_names`).  Words without a line break are a substring of an event's
    `actor_words` exactly when they are one of a name it holds; the corpus's 13,026 events
    have 5,425 sets of 1,788 names, so a search reads the short postings of the names (0.01-0.3
    ms) rather than those of every event's texts (1-3 ms), and the events are then found by
    their set through an index."""
    conn.execute("create table main.actor_sets (id integer primary key, words text unique)")
    conn.execute("insert into main.actor_sets(words) select distinct actor_words "
                 "from main.events")
    conn.execute("alter table main.events add column actor_set")
    conn.execute("update main.events set actor_set = (select s.id from main.actor_sets s "
                 "where s.words = events.actor_words)")
    names: dict[str, int] = {}
    links = {(names.setdefault(name, len(names) + 1), set_id)
             for set_id, words in conn.execute("select id, words from main.actor_sets")
             for name in words.split("\n") if name}
    conn.execute("create table main.actor_names (id integer primary key, words text)")
    conn.executemany("insert into main.actor_names values (?, ?)",
                     ((key, name) for name, key in names.items()))
    conn.execute("create table main.actor_set_names (name_id integer, set_id integer, "
                 "primary key (name_id, set_id)) without rowid")
    conn.executemany("insert into main.actor_set_names values (?, ?)", sorted(links))
    conn.execute("create virtual table main.actor_names_fts using fts5(words, content='', "
                 "tokenize='trigram case_sensitive 1')")
    conn.execute("insert into main.actor_names_fts(rowid, words) select id, words "
                 "from main.actor_names")


def _fill_table(conn: sqlite3.Connection, table: str, columns: Sequence[str],
                rows: list[tuple[Any, ...]] | None) -> None:
    """The copy's `table` (`columns`, unique by the first) holding `rows`; none when None."""
    if rows is None:
        return
    conn.execute(f"create table main.{table} ({', '.join(columns)})")
    conn.executemany(f"insert into main.{table} values ({', '.join('?' * len(columns))})", rows)
    conn.execute(f"create unique index main.{table}_id on {table}({columns[0]})")
