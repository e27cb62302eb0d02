"""Attaching new documents' events to stored incidents (issue 13 item 2): time against the size
of the database.

From a whole-corpus SQLite database `rasad extract --db` wrote (read only, never changed), the
last `--new` documents with events (by publication) are the arrivals; for each size N the
database holds the N stored events published just before them (whole documents, the most recent
first), resolved from scratch (`rebuild`).  The arrivals are then stored and attached
(`rasad.incidents.storage.attach`): the script prints, per N, the CPU seconds of the attach, the
event rows it read and the pairs it tested, against a `rebuild` of the same N + new events in
the same run, and checks that the attach gave the rebuild's incidents (a rebuild after it
changes nothing).

    python benchmarks/incidents_attach.py snn.db --sizes 1000 5000 13000 --new 100
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rasad.incidents.storage import attach, rebuild
from rasad.io.store import DOCUMENT_COLUMNS, EVENT_COLUMNS, open_store


def _documents(source: Path) -> list[tuple[str, int]]:
    """(doc_id, events) of every document with events, by publication then id."""
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        return conn.execute(
            "select documents.doc_id, count(*) from documents join events "
            "on events.doc_id = documents.doc_id group by documents.doc_id "
            "order by documents.published, documents.doc_id").fetchall()
    finally:
        conn.close()


def _copy(source: Path, target: Path, doc_ids: list[str]) -> None:
    """Copy the rows of `doc_ids` (documents and events) from `source` into `target`."""
    conn = sqlite3.connect(target)
    try:
        conn.execute("attach database ? as src", (f"file:{source}?mode=ro",))
        conn.execute("create temp table pick (doc_id text primary key)")
        conn.executemany("insert into temp.pick values (?)", [(d,) for d in doc_ids])
        for table, columns in (("documents", DOCUMENT_COLUMNS), ("events", EVENT_COLUMNS)):
            names = ", ".join(f'"{c}"' for c in columns)
            conn.execute(f"insert into main.{table} ({names}) select {names} from src.{table} "
                         "where doc_id in (select doc_id from temp.pick)")
        conn.commit()
    finally:
        conn.close()


def _tables(db: Path) -> tuple[list[Any], list[Any]]:
    conn = sqlite3.connect(db)
    try:
        return (conn.execute("select * from incidents order by incident_id").fetchall(),
                conn.execute("select event_id, incident_id from events "
                             "order by event_id").fetchall())
    finally:
        conn.close()


def _moved(left: list[Any], right: list[Any]) -> int:
    """Events whose incident has other members in `left` than in `right` (event, incident)."""
    def partition(rows: list[Any]) -> dict[str, frozenset[str]]:
        groups: dict[str, set[str]] = {}
        for event_id, incident_id in rows:
            groups.setdefault(incident_id, set()).add(event_id)
        return {e: frozenset(groups[i]) for e, i in rows}

    a, b = partition(left), partition(right)
    return sum(1 for event_id in a if a[event_id] != b.get(event_id))


def measure(source: Path, size: int, new: list[str], older: list[tuple[str, int]],
            folder: Path, hops: int | None) -> str:
    stored: list[str] = []
    events = 0
    for doc_id, count in reversed(older):
        if events >= size:
            break
        stored.append(doc_id)
        events += count
    db = folder / f"n{size}.db"
    open_store(db).close()
    _copy(source, db, stored)
    store = open_store(db)
    rebuild(store)
    store.close()
    _copy(source, db, new)
    store = open_store(db)
    start = time.process_time()
    attached = attach(store, hops=hops)
    attach_s = time.process_time() - start
    store.close()
    after_attach = _tables(db)
    store = open_store(db)
    start = time.process_time()
    rebuild(store)
    rebuild_s = time.process_time() - start
    store.close()
    rebuilt = _tables(db)
    moved = _moved(after_attach[1], rebuilt[1])
    same = rebuilt == after_attach
    return (f"N={events:>6} stored events: attach {attached.events} new events in "
            f"{attach_s:.2f} s CPU ({attached.rows_read} rows read, {attached.comparisons} "
            f"pairs tested; {attached.joined} joined, {attached.opened} new incidents) | "
            f"rebuild of all {rebuild_s:.2f} s CPU | "
            f"{'same incidents as the rebuild' if same else 'DIFFERENT from the rebuild'}: "
            f"{moved} of {len(rebuilt[1])} events with other co-members")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="a whole-corpus database (only read)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 13000])
    parser.add_argument("--new", type=int, default=100, help="documents arriving")
    parser.add_argument("--hops", type=int, default=1,
                        help="rounds of the attach (0: until nothing more is linked)")
    args = parser.parse_args(argv)
    documents = _documents(args.db)
    new = [doc_id for doc_id, _ in documents[-args.new:]]
    older = documents[:-args.new]
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            line = measure(args.db, size, new, older, Path(folder), args.hops or None)
            print(line, flush=True)
            failed |= "DIFFERENT" in line
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
