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
from typing import Any

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
