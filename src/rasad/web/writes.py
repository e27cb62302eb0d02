"""What the API may change, behind the start-up token: an incident's verification, one document.

`mark_verified` upserts a row of the `verifications` table (incident id, verified, note, when);
`ingest_document` runs one document through `process_document` (the function every caller uses)
and stores it with the store of the database (`rasad.io.store.open_store`: SQLite or
PostgreSQL), as ``rasad extract --db`` does: when the database has incidents, its events are
attached to them (`rasad.incidents.storage.attach`); before ``rasad incidents --db`` first ran,
they are left unresolved.  Each call opens its own write connection and closes it, after
checking that rasad wrote the database (E301 otherwise).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from rasad.incidents.storage import attach_arrivals
from rasad.io.store import Store, open_store
from rasad.pipeline import process_document
from rasad.records import RawDocument
from rasad.settings import Settings


def _writer(db: str | Path) -> Store:
    """The store of a database rasad wrote, opened for writing (E301 for any other)."""
    open_store(db, create=False).close()
    return open_store(db)


def mark_verified(db: str | Path, incident_id: str, verified: bool, note: str | None
                  ) -> dict[str, Any]:
    """Record an analyst's verdict on an incident (the caller checks that it exists)."""
    row = {"incident_id": incident_id, "verified": int(verified), "note": note,
           "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    store = _writer(db)
    try:
        store.write_verification(row)
    finally:
        store.close()
    return {**row, "verified": verified}


def ingest_document(db: str | Path, raw: RawDocument, settings: Settings
                    ) -> dict[str, Any]:
    """Process `raw` and store it; returns its contract record."""
    record = process_document(raw, settings)
    store = _writer(db)
    try:
        if "error" in record:
            store.add_failure(record, stage="api")
        else:
            store.add_document(raw, record)
            attach_arrivals(store)
    finally:
        store.close()
    return record
