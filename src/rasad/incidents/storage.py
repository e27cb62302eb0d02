"""Incidents in the store (SQLite or PostgreSQL): an `incidents` table and an `incident_id`
column on `events`.

`rebuild(store)` reads every stored event with its document's `published` and `source` (stored
rows are the interface: nothing of `extract/` is used), resolves them from scratch
(`rasad.incidents.resolve`, the same result whatever the order the rows come in), replaces the
`incidents` table and sets each event's `incident_id`.  An incident row holds the record's
fields, its place as columns (`country`, `admin1`, `latitude`, `longitude`, `geo_precision`, a
GeoJSON `geometry`), `actors` and `members` as JSON (each member: doc_id, event_id, source,
published, score, the reason it joined).  `attach(store)` is the incremental step: events
without an incident join the incidents they may belong to, or open new ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from rasad.errors import StoreError
from rasad.incidents.compare import Report, Rules, compatible, make_report
from rasad.incidents.resolve import Incident, resolve
from rasad.io.store import INCIDENT_COLUMNS, Store, point_geometry

__all__ = ["INCIDENT_COLUMNS", "attach", "ensure_schema", "incident_row", "rebuild",
           "stored_reports"]


def ensure_schema(store: Store) -> None:
    """Create the `incidents` table and the `events.incident_id` column when missing."""
    store.ensure_incidents()


def stored_reports(store: Store, rules: Rules | None = None
                   ) -> list[tuple[Report, str | None]]:
    """Every stored event as a `Report` (its document's published date and outlet), with the
    incident it belongs to (None: not resolved yet)."""
    return [(make_report(json.loads(row["record"]), row["doc_id"], row["published"],
                         row["source"], rules=rules), row["incident_id"])
            for row in store.incident_sources()]


def incident_row(incident: Incident) -> dict[str, Any]:
    """The flat `incidents` row of one incident."""
    loc = incident.location or {}
    return {
        "incident_id": incident.incident_id, "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "actors": json.dumps(incident.actors, ensure_ascii=False),
        "event_date": incident.event_date, "time_precision": incident.time_precision,
        "location": loc.get("name"), "country": loc.get("country"), "admin1": loc.get("admin1"),
        "latitude": loc.get("latitude"), "longitude": loc.get("longitude"),
        "geo_precision": loc.get("geo_precision"), "fatalities": incident.fatalities,
        "fatalities_min": incident.fatalities_min, "fatalities_max": incident.fatalities_max,
        "reports": incident.reports, "outlets": incident.outlets,
        "first_reported": incident.first_reported, "last_reported": incident.last_reported,
        "members": json.dumps([m.to_dict() for m in incident.members], ensure_ascii=False),
        "geometry": point_geometry(loc.get("latitude"), loc.get("longitude")),
    }


def rebuild(store: Store, rules: Rules | None = None) -> list[Incident]:
    """Re-resolve every stored event; replace the incidents and every event's incident_id."""
    ensure_schema(store)
    incidents = resolve([report for report, _ in stored_reports(store, rules)], rules)
    _write(store, incidents, replaced=None)
    return incidents


def attach(store: Store, rules: Rules | None = None) -> list[Incident]:
    """Resolve the events without an incident (new ones) together with the incidents they may
    join (one of their members passes blocking with a new event); those incidents are replaced,
    the others kept.  Returns the incidents written.  `rebuild` gives the canonical result."""
    rules = rules or Rules.load()
    ensure_schema(store)
    stored = stored_reports(store, rules)
    new = [report for report, incident_id in stored if incident_id is None]
    if not new:
        return []
    touched = {incident_id for report, incident_id in stored if incident_id is not None
               and any(compatible(report, other, rules) for other in new)}
    subset = new + [report for report, incident_id in stored if incident_id in touched]
    incidents = resolve(subset, rules)
    _write(store, incidents, replaced=touched)
    return incidents


def _write(store: Store, incidents: list[Incident], replaced: set[str] | None) -> None:
    """Write `incidents`, after deleting all incidents (`replaced` None) or those named."""
    assignments = [(incident.incident_id, member.report.key[1])
                   for incident in incidents for member in incident.members]
    store.write_incidents([incident_row(i) for i in incidents], assignments, replaced)


def require_incidents(store: Store) -> None:
    """E301 unless `rasad incidents` has written the `incidents` table."""
    if not store.has_table("incidents"):
        raise StoreError(f"{store.name} has no incidents: run `rasad incidents --db "
                         f"{store.name}` first", code="E301")


def head_event(incident: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """The member event that speaks for an incident in an ACLED row (its actors in their roles,
    its evidence as notes): of the incident's type and sub-type, naming most of its two most
    reported actors, the earliest reported first."""
    top = set(incident["actors"][:2])

    def rank(item: tuple[int, dict[str, Any]]) -> tuple[bool, bool, int, int]:
        i, event = item
        names = {(event.get(slot) or {}).get("name") for slot in ("actor1", "actor2")}
        return (event.get("event_type") != incident["event_type"],
                event.get("sub_event_type") != incident["sub_event_type"], -len(names & top), i)

    return min(enumerate(events), key=rank)[1]


def stored_incidents(store: Store) -> Iterator[dict[str, Any]]:
    """Every stored incident (date order, then id), as its `incidents` row with `actors` and
    `members` parsed, less `geometry`, plus `head` (`head_event`), `modality` (asserted when any
    report is) and `background` (when every report is); E301 before `rasad incidents`."""
    require_incidents(store)
    events: dict[str, dict[str, Any]] = {
        row["event_id"]: json.loads(row["record"]) for row in store.select(
            "select event_id, record from events where incident_id is not null")}
    for row in store.select("select * from incidents order by event_date, incident_id"):
        incident = {k: v for k, v in row.items() if k != "geometry"}
        incident["actors"] = json.loads(row["actors"] or "[]")
        incident["members"] = json.loads(row["members"] or "[]")
        reports = [events[m["event_id"]] for m in incident["members"] if m["event_id"] in events]
        if not reports:
            continue  # an incident whose events were stored again since: `rasad incidents`
        incident["head"] = head_event(incident, reports)
        modalities = [e.get("modality") for e in reports]
        incident["modality"] = "asserted" if "asserted" in modalities else modalities[0]
        incident["background"] = all(e.get("background") for e in reports)
        yield incident
