"""What the API may change, behind the start-up token: an incident's verification, one document.

`mark_verified` upserts a row of the `verifications` table (incident id, verified, note, when);
`ingest_document` runs one document through `process_document` (the function every caller uses)
and stores it with `rasad.io.sqlite_store.SQLiteStore`, as ``rasad extract --db`` does: when the
database has incidents, its events are attached to them (`rasad.incidents.storage.attach`);
before ``rasad incidents --db`` first ran, they are left unresolved.  Each call
opens its own write connection and closes it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from rasad.errors import StoreError
from rasad.incidents.storage import attach_arrivals
from rasad.io.sqlite_store import SQLiteStore
from rasad.pipeline import process_document
from rasad.records import RawDocument
from rasad.settings import Settings


def mark_verified(path: str | Path, incident_id: str, verified: bool, note: str | None
                  ) -> dict[str, Any]:
    """Record an analyst's verdict on an incident (the caller checks that it exists)."""
    row = {"incident_id": incident_id, "verified": int(verified), "note": note,
           "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    store = SQLiteStore(path, create=False)
    try:
        with store.db.conn:
            store.db.table("verifications").create(
                {"incident_id": str, "verified": int, "note": str, "at": str},
                pk="incident_id", if_not_exists=True)
            store.db.table("verifications").upsert(row, pk="incident_id")
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot write to {path}: {exc}") from exc
    finally:
        store.db.close()
    return {**row, "verified": verified}


def ingest_document(path: str | Path, raw: RawDocument, settings: Settings
                    ) -> dict[str, Any]:
    """Process `raw` and store it; returns its contract record."""
    record = process_document(raw, settings)
    SQLiteStore(path, create=False).db.close()  # E301 unless rasad wrote it
    store = SQLiteStore(path)
    try:
        if "error" in record:
            store.add_failure(record, stage="api")
        else:
            store.add_document(raw, record)
            attach_arrivals(store)
    finally:
        store.close()
    return record
