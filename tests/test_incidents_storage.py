"""Incidents in the store (each backend): `rasad incidents --db DB [--rebuild]`."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from rasad.cli import app
from rasad.incidents.storage import attach, rebuild
from rasad.io.store import open_store
from rasad.records import RawDocument
from store_helpers import SANAA, event, make_store, query, record, table_rows

TEXT = "قصفت الطائرات السورية مدينة إدلب أمس فقتلت ثلاثة مدنيين"
DOCS: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "d1": (TEXT, [event("e1", TEXT, TEXT)]),
    "d2": (TEXT, [event("e2", TEXT, TEXT, fatalities=4)]),
    "d3": (TEXT, [event("e3", TEXT, TEXT, where=SANAA)]),
    "d4": (TEXT, [event("e4", TEXT, TEXT, event_date="2015-07-10")]),
    "d5": (TEXT, [event("e5", TEXT, TEXT, event_type="Protests", sub_event_type=None)]),
}


def tables(db: str) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    incidents = table_rows(db, "incidents", order_by="incident_id")
    events = [(row["event_id"], row["incident_id"]) for row in query(
        db, "select event_id, incident_id from events order by event_id")]
    return incidents, events


def test_rebuild_gives_one_incident_per_real_event_whatever_the_order(
        new_db: Callable[[str], str]) -> None:
    results = []
    for n in range(4):
        items = list(DOCS.items())
        random.Random(n).shuffle(items)
        db = make_store(new_db(f"{n}"), dict(items))
        store = open_store(db)
        rebuild(store)
        store.close()
        results.append(tables(db))
    assert all(result == results[0] for result in results)
    incidents, events = results[0]
    assert len(incidents) == 4
    by_event = dict(events)
    assert by_event["e1"] == by_event["e2"] and len(set(by_event.values())) == 4
    [row] = [row for row in incidents if row["incident_id"] == by_event["e1"]]
    assert (row["reports"], row["fatalities"], row["fatalities_min"], row["fatalities_max"]) \
        == (2, 3, 3, 4)
    assert [m["doc_id"] for m in json.loads(row["members"])] == ["d1", "d2"]
    assert "same day, 0 km" in json.loads(row["members"])[1]["reason"]


def test_attach_puts_new_events_into_existing_incidents(new_db: Callable[[str], str]) -> None:
    path = make_store(new_db("a"), {k: DOCS[k] for k in ("d1", "d3")})
    store = open_store(path)
    assert len(rebuild(store)) == 2
    store.add_document(*_raw("d2"))
    written = attach(store)
    assert [sorted(m.report.doc_id for m in i.members) for i in written.incidents] \
        == [["d1", "d2"]]
    assert (written.events, written.joined, written.opened) == (1, 1, 0)
    assert attach(store).incidents == []
    store.close()
    incidents, events = tables(path)
    assert len(incidents) == 2 and all(incident_id for _, incident_id in events)
    fresh = make_store(new_db("b"), {k: DOCS[k] for k in ("d1", "d2", "d3")})
    store = open_store(fresh)
    rebuild(store)
    store.close()
    assert tables(fresh) == (incidents, events)


def _raw(doc_id: str) -> tuple[RawDocument, dict[str, Any]]:
    text, events = DOCS[doc_id]
    return RawDocument(doc_id, text, title=f"title {doc_id}"), record(doc_id, events)


def test_the_incidents_command(new_db: Callable[[str], str], tmp_path: Path) -> None:
    path = make_store(new_db("c"), DOCS)
    result = CliRunner().invoke(app, ["incidents", "--db", path, "--rebuild", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4 and sum(line["reports"] for line in lines) == 5
    missing = CliRunner().invoke(app, ["incidents", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2


def test_storing_a_document_again_leaves_no_stale_incident(new_db: Callable[[str], str]
                                                            ) -> None:
    """A document stored again (its events replaced) leaves no incident row whose members are
    gone, nor one that still counts a member now elsewhere: attach re-resolves or deletes
    them, and the result is what a rebuild of the same data gives."""
    path = make_store(new_db("s"), {k: DOCS[k] for k in ("d1", "d2", "d3")})
    store = open_store(path)
    assert len(rebuild(store)) == 2
    # d3 (an incident alone) now reports nothing; d2's event moves to Sanaa, beside d3's
    store.add_document(RawDocument("d3", TEXT, title="title d3"), record("d3", []))
    moved = [event("e2", TEXT, TEXT, fatalities=4, where=SANAA)]
    store.add_document(RawDocument("d2", TEXT, title="title d2"), record("d2", moved))
    attach(store)
    store.close()
    incidents, events = tables(path)
    pointed = {incident_id for _, incident_id in events}
    assert {row["incident_id"] for row in incidents} == pointed
    for row in incidents:
        members = {m["event_id"] for m in json.loads(row["members"])}
        assert members == {e for e, i in events if i == row["incident_id"]}
        assert row["reports"] == len(members)
    fresh = make_store(new_db("t"), {"d1": DOCS["d1"], "d2": (TEXT, moved), "d3": (TEXT, [])})
    store = open_store(fresh)
    rebuild(store)
    store.close()
    assert tables(fresh) == (incidents, events)
