"""The PostgreSQL backend of the store (psycopg 3, the ``rasad[postgres]`` extra): `PostgresStore`.

The tables and columns are SQLite's (`rasad.io.store.COLUMNS`: text, bigint and double
precision), in the connection's current schema (a URL may choose one:
``?options=-csearch_path%3Dmyschema``), with two more: `documents.seq` and `events.seq` (the
order rows were first stored, which SQLite's rowid gives), and `documents.search_vector`, a
generated ``tsvector`` of the normalised title (weight A) and text (weight B) in the ``simple``
configuration (no stemming, no stop words: the text was normalised by rasad) of their first
`INDEXED_CHARS` characters, under a GIN index.  Queries are `rasad.io.tsquery` translations of
the `rasad.io.fts` syntax, ranked by ``ts_rank``; snippets come from ``ts_headline`` over the
normalised text, mapped back to the original words like SQLite's ``highlight()``.

For `rasad serve` (`rasad.web.mirror.StoreReader`): `verifications` (an analyst's verdict on an
incident), `rasad_changes` (one counter every write transaction moves last: the server's copy is
taken again when it moved), the rows its in-memory copy holds, read in one `snapshot`, and
lookups of records and documents by key.

Every batch of documents is one transaction; the tables are created under an advisory lock, so
two writers starting together do not race.  Strings are stored as given, except the NUL
character, which PostgreSQL's text cannot hold (U+FFFD instead; the JSON records escape it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row

from rasad.errors import StoreError
from rasad.io.fts import CLOSE, OPEN
from rasad.io.store import COLUMNS, KEYS, READ_COLUMNS, Store
from rasad.io.tsquery import WEIGHTS, tsquery

_TYPES = {str: "text", int: "bigint", float: "double precision"}
_ORDERED = ("documents", "events")
"""Tables with a `seq` column: the order their rows were first stored."""
INDEXED_CHARS = 250_000
"""How much of a document's normalised title and text the ``search_vector`` holds: a tsvector
holds at most 1 MB of distinct words, which 250,000 characters cannot pass (a longer text
could, and would fail its whole batch)."""
_VECTOR = (f"setweight(to_tsvector('simple', left(coalesce(title_normalized, ''), "
           f"{INDEXED_CHARS})), 'A') || setweight(to_tsvector('simple', "
           f"left(coalesce(text_normalized, ''), {INDEXED_CHARS})), 'B')")
_HEADLINE = f"StartSel={OPEN}, StopSel={CLOSE}, HighlightAll=true"
"""ts_headline options: the whole text, every match between the `rasad.io.fts` markers."""
_REFERENCES = {"places": "documents", "events": "documents"}


def _name(column: str) -> str:
    return f'"{column}"'  # "end" is a reserved word


def create_table(table: str, types: Mapping[str, type] | None = None, key: str | None = None
                 ) -> str:
    """The ``create table if not exists`` statement of one of rasad's tables (`COLUMNS`), or
    of another with its column `types` and primary `key`."""
    types = COLUMNS[table] if types is None else types
    key = KEYS[table] if key is None else key
    columns = [f"{_name(c)} {_TYPES[t]}" + (" primary key" if c == key else "")
               for c, t in types.items()]
    if table in _REFERENCES:
        columns.append(f"foreign key (doc_id) references {_REFERENCES[table]} (doc_id)")
    if table in _ORDERED:
        columns.append("seq bigint generated always as identity")
    if table == "documents":
        columns.append(f"search_vector tsvector generated always as ({_VECTOR}) stored")
    return f"create table if not exists {table} ({', '.join(columns)})"


def upsert(table: str) -> str:
    """Insert a row (named parameters), or replace every column of the row with its key."""
    columns = list(COLUMNS[table])
    key = KEYS[table]
    return (f"insert into {table} ({', '.join(map(_name, columns))}) "
            f"values ({', '.join(f'%({c})s' for c in columns)}) "
            f"on conflict ({_name(key)}) do update set "
            + ", ".join(f"{_name(c)} = excluded.{_name(c)}" for c in columns if c != key))


SCHEMA = (
    *(create_table(table) for table in ("documents", "places", "events", "failures")),
    "create table if not exists verifications (incident_id text primary key, verified bigint, "
    "note text, at text)",
    "create table if not exists rasad_changes (id bigint primary key, version bigint not null)",
    "insert into rasad_changes values (1, 0) on conflict do nothing",
    "create index if not exists documents_search on documents using gin (search_vector)",
    *(f"create index if not exists {table}_doc_id on {table} (doc_id)"
      for table in ("places", "events", "failures")),
)
INCIDENT_SCHEMA = (
    create_table("incidents"),
    "alter table events add column if not exists incident_id text",
    "create index if not exists events_incident_id on events (incident_id)",
    "create index if not exists events_block on events (event_type, country, event_date)",
)
UPSERT = {table: upsert(table) for table in COLUMNS}
SEARCH_DOCUMENTS = (
    "select doc_id, title, n_events, text, "
    "ts_headline('simple', coalesce(text_normalized, ''), q, %(headline)s) as highlighted "
    "from documents, to_tsquery('simple', %(query)s) as q where search_vector @@ q "
    "order by ts_rank(search_vector, q) desc, seq limit %(limit)s")
SEARCH_TEXTS = (
    "select key, ts_headline('simple', text, q, %(headline)s) as highlighted "
    "from unnest(%(keys)s::bigint[], %(texts)s::text[]) as t(key, text), "
    "to_tsquery('simple', %(query)s) as q where to_tsvector('simple', text) @@ q "
    "order by ts_rank(to_tsvector('simple', text), q) desc, key limit %(limit)s")
INCIDENT_SOURCES = (
    "select events.event_id, events.doc_id, events.record, {incident}, documents.published, "
    "documents.source from events join documents on documents.doc_id = events.doc_id "
    "order by events.seq")
CHANGED = "update rasad_changes set version = version + 1 where id = 1"
"""The last statement of every transaction that changes what `rasad serve` shows: its copy
(`rasad.web.mirror`) is rebuilt when the counter moved (held only while committing)."""
UPSERT_VERIFICATION = (
    "insert into verifications (incident_id, verified, note, at) "
    "values (%(incident_id)s, %(verified)s, %(note)s, %(at)s) on conflict (incident_id) "
    "do update set verified = excluded.verified, note = excluded.note, at = excluded.at")
SCHEMA_LOCK = "select pg_advisory_xact_lock(hashtext('rasad schema'))"


def _text(value: Any) -> Any:
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


def _row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """Every column of `table` (None where `row` lacks it), NUL characters replaced."""
    return {column: _text(row.get(column)) for column in COLUMNS[table]}


class PostgresStore(Store):
    """A rasad database in PostgreSQL, named by a ``postgresql://`` or ``postgres://`` URL.

    ``PostgresStore(url)`` creates rasad's tables when they are missing; ``create=False`` opens
    a database rasad wrote and changes nothing in it: a server that cannot be reached, or a
    schema without rasad's tables and columns, is an E301 error.  `conn` is the connection (in
    autocommit mode; every write is an explicit transaction).
    """

    def __init__(self, url: str | Path, create: bool = True) -> None:
        super().__init__(url, create)
        self._counted = False  # whether the schema has the rasad_changes counter
        try:
            self.conn = psycopg.connect(str(url), autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open database {self.name}: {exc}") from exc
        try:
            if create:
                with self.conn.transaction():
                    self.conn.execute(SCHEMA_LOCK)
                    for statement in SCHEMA:
                        self.conn.execute(statement)
            else:
                self._check_schema()
        except psycopg.Error as exc:
            self.conn.close()
            raise StoreError(f"cannot open database {self.name}: {exc}") from exc

    def _columns(self, table: str) -> set[str]:
        rows = self.conn.execute(
            "select column_name from information_schema.columns "
            "where table_schema = current_schema() and table_name = %s", [table]).fetchall()
        return {row[0] for row in rows}

    def _check_schema(self) -> None:
        """Raise E301 unless the schema has the tables and columns rasad writes."""
        wanted = {**READ_COLUMNS, "documents": (*READ_COLUMNS["documents"], "search_vector")}
        missing = []
        for table, columns in wanted.items():
            present = self._columns(table)
            if not present:
                missing.append(table)
            else:
                missing += [f"{table}.{c}" for c in columns if c not in present]
        if missing:
            self.conn.close()
            raise StoreError(f"{self.name} is not a database rasad wrote (it lacks "
                             f"{', '.join(sorted(missing))}); write one with rasad extract --db")

    def _write_documents(self, doc_ids: list[str], documents: list[dict[str, Any]],
                         places: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
        try:
            with self.conn.transaction(), self.conn.cursor() as cursor:
                for table in ("places", "events", "failures"):
                    cursor.execute(f"delete from {table} where doc_id = any(%s)", [doc_ids])
                for table, rows in (("documents", documents), ("places", places),
                                    ("events", events)):
                    if rows:
                        cursor.executemany(UPSERT[table], [_row(table, row) for row in rows])
                cursor.execute(CHANGED)
        except psycopg.Error as exc:
            raise StoreError(f"cannot write documents {doc_ids[0]}… to {self.name}: {exc}"
                             ) from exc

    def _write_failure(self, row: dict[str, Any]) -> None:
        try:
            self.conn.execute(UPSERT["failures"], _row("failures", row))
        except psycopg.Error as exc:
            raise StoreError(f"cannot write failure to {self.name}: {exc}") from exc

    def records(self) -> Iterator[dict[str, Any]]:
        self.flush()
        # A server-side cursor: the records are read 500 at a time, not all at once.
        with self.conn.transaction(), self.conn.cursor(name="rasad_records") as cursor:
            cursor.itersize = 500
            cursor.execute("select record from documents order by seq")
            for (record,) in cursor:
                yield json.loads(record)

    def _search(self, sql: str, query: str, params: dict[str, Any], columns: bool = True
                ) -> list[dict[str, Any]]:
        params = {**params, "query": tsquery(query, WEIGHTS if columns else {}),
                  "headline": _HEADLINE}
        try:
            with self.conn.cursor(row_factory=dict_row) as cursor:
                return cursor.execute(sql, params).fetchall()
        except psycopg.errors.SyntaxError as exc:
            raise StoreError(f"bad search query {query!r}: {exc}", code="E303") from exc
        except psycopg.Error as exc:
            raise StoreError(f"cannot search {self.name}: {exc}") from exc

    def _search_documents(self, query: str, limit: int) -> list[dict[str, Any]]:
        return self._search(SEARCH_DOCUMENTS, query, {"limit": limit})

    def _stored_events(self) -> Iterator[tuple[int, str, str]]:
        yield from self.conn.execute("select seq, doc_id, record from events order by seq")

    def _search_texts(self, query: str, texts: dict[int, str], limit: int
                      ) -> list[tuple[int, str]]:
        rows = self._search(SEARCH_TEXTS, query, {"keys": list(texts),
                                                  "texts": [_text(t) for t in texts.values()],
                                                  "limit": limit}, columns=False)
        return [(row["key"], row["highlighted"]) for row in rows]

    def ensure_incidents(self) -> None:
        try:
            with self.conn.transaction():
                self.conn.execute(SCHEMA_LOCK)
                for statement in INCIDENT_SCHEMA:
                    self.conn.execute(statement)
        except psycopg.Error as exc:
            raise StoreError(f"cannot add incidents to {self.name}: {exc}") from exc

    def incident_sources(self) -> list[dict[str, Any]]:
        self.flush()
        incident = ("events.incident_id" if "incident_id" in self._columns("events")
                    else "null as incident_id")
        with self.conn.cursor(row_factory=dict_row) as cursor:
            return cursor.execute(INCIDENT_SOURCES.format(incident=incident)).fetchall()

    def write_incidents(self, rows: list[dict[str, Any]], assignments: list[tuple[str, str]],
                        replaced: set[str] | None) -> None:
        try:
            with self.conn.transaction(), self.conn.cursor() as cursor:
                if replaced is None:
                    cursor.execute("delete from incidents")
                    cursor.execute("update events set incident_id = null")
                else:
                    cursor.execute("delete from incidents where incident_id = any(%s)",
                                   [sorted(replaced)])
                if rows:
                    cursor.executemany(UPSERT["incidents"],
                                       [_row("incidents", row) for row in rows])
                if assignments:
                    cursor.executemany("update events set incident_id = %s where event_id = %s",
                                       assignments)
                cursor.execute(CHANGED)
        except psycopg.Error as exc:
            raise StoreError(f"cannot write incidents to {self.name}: {exc}") from exc

    def select(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        self.flush()
        try:
            with self.conn.cursor(row_factory=dict_row) as cursor:
                return cursor.execute(sql.replace("?", "%s"), list(params)).fetchall()
        except psycopg.Error as exc:
            raise StoreError(f"cannot read {self.name}: {exc}") from exc

    def has_table(self, table: str) -> bool:
        return bool(self._columns(table))

    def replace_table(self, table: str, rows: list[dict[str, Any]]) -> None:
        try:
            with self.conn.transaction(), self.conn.cursor() as cursor:
                cursor.execute(SCHEMA_LOCK)
                cursor.execute(create_table(table))
                cursor.execute(f"delete from {table}")
                if rows:
                    cursor.executemany(UPSERT[table], [_row(table, row) for row in rows])
        except psycopg.Error as exc:
            raise StoreError(f"cannot write {table} to {self.name}: {exc}") from exc
    def create_tables(self, tables: Mapping[str, Mapping[str, type]], keys: Mapping[str, str],
                      indexes: Mapping[str, Sequence[str]]) -> None:
        try:
            with self.conn.transaction():
                self.conn.execute(SCHEMA_LOCK)
                for table, columns in tables.items():
                    self.conn.execute(create_table(table, columns, keys[table]))
                    for column in indexes.get(table, ()):
                        self.conn.execute(f"create index if not exists {table}_{column} "
                                          f"on {table} ({_name(column)})")
        except psycopg.Error as exc:
            raise StoreError(f"cannot create tables {', '.join(tables)} in {self.name}: {exc}"
                             ) from exc

    def find_row(self, table: str, column: str, value: Any) -> dict[str, Any] | None:
        with self.conn.cursor(row_factory=dict_row) as cursor:
            row: dict[str, Any] | None = cursor.execute(
                f"select * from {table} where {_name(column)} = %s limit 1", [value]).fetchone()
        return row

    def upsert_row(self, table: str, key: str, values: dict[str, Any]) -> None:
        columns = list(values)
        update = ", ".join(f"{_name(c)} = excluded.{_name(c)}" for c in columns if c != key)
        self.conn.execute(
            f"insert into {table} ({', '.join(map(_name, columns))}) "
            f"values ({', '.join(f'%({c})s' for c in columns)}) on conflict ({_name(key)}) "
            + (f"do update set {update}" if update else "do nothing"),
            {c: _text(v) for c, v in values.items()})

    def table_rows(self, table: str, order_by: str) -> list[dict[str, Any]]:
        with self.conn.cursor(row_factory=dict_row) as cursor:
            return cursor.execute(f"select * from {table} order by {_name(order_by)}").fetchall()

    def count_since(self, table: str, group_by: str, column: str, since: str) -> dict[str, int]:
        rows = self.conn.execute(
            f"select {_name(group_by)}, count(*) from {table} where {_name(column)} >= %s "
            f"group by {_name(group_by)}", [since]).fetchall()
        return {value: count for value, count in rows}

    def write_verification(self, row: dict[str, Any]) -> None:
        try:
            with self.conn.transaction():
                self.conn.execute(UPSERT_VERIFICATION, {k: _text(v) for k, v in row.items()})
                self.conn.execute(CHANGED)
        except psycopg.Error as exc:
            raise StoreError(f"cannot write to {self.name}: {exc}") from exc

    # What `rasad serve` reads (`rasad.web.mirror.StoreReader`): its in-memory copy is filled
    # from `mirror_events`, `mirror_incidents` and `mirror_verifications` in one `snapshot`;
    # the rest are lookups by key.  Event keys are `events.seq`, document keys `documents.seq`.

    def version(self) -> str:
        """Changes whenever a writer commits: the `rasad_changes` counter (a database no writer
        of this version opened has none: then the server's WAL position, which any write on
        the server moves)."""
        if not self._counted:  # once the table is there, it stays
            self._counted = self._scalar("select to_regclass('rasad_changes')") is not None
            if not self._counted:
                return f"wal {self._scalar('select pg_current_wal_lsn()')}"
        return str(self._scalar("select version from rasad_changes"))

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read-only transaction that sees the database as it was at its first query."""
        with self.conn.transaction():
            self.conn.execute("set transaction isolation level repeatable read, read only")
            yield

    def mirror_events(self, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        """Every event as (key, its `columns`, incident_id, its document's published, source
        and key)."""
        incident = "e.incident_id" if "incident_id" in self._columns("events") else "null"
        chosen = ", ".join(f"e.{_name(c)}" for c in columns)
        return self.conn.execute(
            f"select e.seq, {chosen}, {incident}, d.published, d.source, d.seq from events e "
            "join documents d on d.doc_id = e.doc_id order by e.seq").fetchall()

    def mirror_incidents(self, columns: Sequence[str]) -> list[tuple[Any, ...]] | None:
        """The `columns` of every incident; None before ``rasad incidents`` ran."""
        if not self._columns("incidents") or "incident_id" not in self._columns("events"):
            return None
        chosen = ", ".join(map(_name, columns))
        return self.conn.execute(f"select {chosen} from incidents").fetchall()

    def mirror_verifications(self) -> list[tuple[Any, ...]] | None:
        """Every (incident_id, verified, note); None when nothing was ever verified."""
        if not self._columns("verifications"):
            return None
        return self.conn.execute("select incident_id, verified, note from verifications"
                                 ).fetchall()

    def event_records(self, keys: Sequence[int]) -> dict[int, str]:
        """The contract record (JSON) of each event key."""
        rows = self.conn.execute("select seq, record from events where seq = any(%s)",
                                 [list(keys)]).fetchall()
        return {key: record for key, record in rows}

    def event_reports(self, keys: Sequence[int]) -> dict[int, dict[str, Any]]:
        """For each event key: its doc_id and record, its document's title, source, url,
        published, genre and text."""
        with self.conn.cursor(row_factory=dict_row) as cursor:
            rows = cursor.execute(
                "select e.seq as key, e.doc_id, e.record, d.title, d.source, d.url, "
                "d.published, d.genre, d.text from events e "
                "join documents d on d.doc_id = e.doc_id where e.seq = any(%s)",
                [list(keys)]).fetchall()
        return {row.pop("key"): row for row in rows}

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """A document's doc_id, title, published, source, url, genre, text and record."""
        with self.conn.cursor(row_factory=dict_row) as cursor:
            row: dict[str, Any] | None = cursor.execute(
                "select doc_id, title, published, source, url, genre, text, record "
                "from documents where doc_id = %s", [doc_id]).fetchone()
        return row

    def document_keys(self, query: str) -> list[int]:
        """The key of every document whose title or text matches `query`."""
        rows = self._search("select seq from documents, to_tsquery('simple', %(query)s) as q "
                            "where search_vector @@ q", query, {})
        return [row["seq"] for row in rows]

    def count_documents(self) -> int:
        return int(self._scalar("select count(*) from documents"))

    def _scalar(self, sql: str) -> Any:
        row = self.conn.execute(sql).fetchone()
        return None if row is None else row[0]

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.conn.close()
