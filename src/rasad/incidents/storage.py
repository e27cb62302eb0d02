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

import datetime as dt
import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rasad.errors import StoreError
from rasad.incidents.compare import Report, Rules, compare, compatible, make_report
from rasad.incidents.resolve import Incident, resolve
from rasad.io.store import INCIDENT_COLUMNS, Store, point_geometry

__all__ = ["INCIDENT_COLUMNS", "Attached", "attach", "attach_arrivals", "ensure_schema",
           "incident_row", "rebuild", "stored_reports"]


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


@dataclass(slots=True)
class Attached:
    """What `attach` did: the incidents it wrote, how many new events there were, how many of
    them joined an incident that already had stored reports (`joined`) and how many incidents
    only new events opened (`opened`); `rows_read` (event rows read from the store) and
    `comparisons` (pairs tested by blocking) say what it cost."""

    incidents: list[Incident] = field(default_factory=list)
    events: int = 0
    joined: int = 0
    opened: int = 0
    rows_read: int = 0
    comparisons: int = 0

    def summary(self) -> str:
        """The one line `rasad extract --db` and `rasad ingest` print on standard error."""
        return (f"incidents: {self.events} new event(s) → {self.joined} joined existing "
                f"incidents, {self.opened} new incident(s)")


_SOURCES = ("select events.event_id, events.doc_id, events.record, events.incident_id, "
            "documents.published, documents.source "
            "from events join documents on documents.doc_id = events.doc_id")
_STALE = ("select incidents.incident_id from incidents left join events "
          "on events.incident_id = incidents.incident_id "
          "group by incidents.incident_id, incidents.reports "
          "having count(events.event_id) <> incidents.reports")
"""Incidents whose stored events are fewer than their reports: a document stored again
replaced its events (they wait, without an incident, for `attach`)."""
_LINKED = ("select (select coalesce(sum(reports), 0) from incidents) as reports, "
           "(select count(*) from events where incident_id is not null) as linked")
"""The cheap test before `_STALE`'s join.  What `resolve` and `attach` write keeps an invariant:
an incident's `reports` is the number of stored events that point to it, and no event points to
a missing incident; storing a document again deletes its events, so the sum of the reports then
exceeds the linked events exactly when some incident lost events; any other difference (the
invariant broken) also runs the join (on the whole-corpus database, 14 ms against the join's
93 ms)."""
_CHUNK = 500
"""Incident ids per query (SQLite allows 999 parameters at least, PostgreSQL 65,535)."""
_CLAUSES = 50
"""Block ranges per query (each has at most 10 parameters)."""


def attach(store: Store, rules: Rules | None = None, hops: int | None = 1) -> Attached:
    """Resolve the events without an incident (new ones) with the stored incidents they may
    join, reading only the stored events of their blocks; the incidents re-resolved are
    replaced, the others kept.

    The subset re-resolved grows from the new events: each round (at most `hops`; None: until
    nothing more is linked) reads the stored events of
    the frontier's blocks (`_block_queries`: same type family, a country they may share, dates
    within the widest slack), keeps those that pass blocking with a frontier report and score
    at least the threshold, and adds every member of their incidents, whose own blocks the next
    round reads.  The clustering of `resolve` is decided within the connected parts of that
    above-threshold graph, so with ``hops=None`` the subset holds every part a new event is in,
    and the result is `rebuild`'s when the stored incidents were `rebuild`'s.  On a whole corpus
    those parts chain across most of a country's days (5,000 stored events: the closure costs
    as much as a rebuild), so the default is one round: the new events' blocks and the
    incidents they link to, which differs from `rebuild` only where a new report links
    incidents that are linked to others again (README, "Incidents: on arrival").

    A document stored again replaces its events: the incidents that counted them (fewer
    stored events point to them than their `reports`, `_STALE`) are re-resolved with their
    remaining members and the new events, and deleted when no member is left.
    """
    rules = rules or Rules.load()
    ensure_schema(store)
    done = Attached()
    new_rows = store.select(_SOURCES + " where events.incident_id is null")
    done.rows_read += len(new_rows)
    subset = {row["event_id"]: _report(row, rules) for row in new_rows}
    counts = store.select(_LINKED)[0]
    stale = sorted(row["incident_id"] for row in store.select(_STALE)) \
        if int(counts["reports"]) != int(counts["linked"]) else []
    if not subset and not stale:
        return done
    new_ids = set(subset)
    seen: dict[str, Report] = {}
    frontier = list(subset.values())
    # incidents that lost members (their documents stored again): re-resolved with the rest
    # of their members, or deleted when none is left
    frontier += _load_members(store, stale, subset, seen, rules, done)
    loaded: set[str] = set(stale)
    rounds = 0
    while frontier and (hops is None or rounds < hops):
        rounds += 1
        rows = {row["event_id"]: row for sql, params in _block_queries(frontier, rules)
                for row in store.select(sql, params)}
        done.rows_read += len(rows)
        block: list[tuple[Report, str]] = []
        for row in rows.values():
            if row["event_id"] not in subset and row["incident_id"] not in loaded:
                if row["event_id"] not in seen:
                    seen[row["event_id"]] = _report(row, rules)
                block.append((seen[row["event_id"]], row["incident_id"]))
        linked: set[str] = set()
        index = _BlockIndex(block, rules)
        for report in frontier:
            for other, incident_id in index.near(report):
                if incident_id in linked:
                    continue
                done.comparisons += 1
                if compatible(report, other, rules) and \
                        compare(report, other, rules).score >= rules.threshold:
                    linked.add(incident_id)
        frontier = _load_members(store, sorted(linked), subset, seen, rules, done)
        loaded |= linked
    done.incidents = resolve(subset.values(), rules)
    _write(store, done.incidents, replaced=loaded)
    done.events = len(new_ids)
    for incident in done.incidents:
        fresh = [m for m in incident.members if m.report.key[1] in new_ids]
        if len(fresh) < len(incident.members):
            done.joined += len(fresh)
        else:
            done.opened += 1
    return done


def _load_members(store: Store, incident_ids: list[str], subset: dict[str, Report],
                  seen: dict[str, Report], rules: Rules, done: Attached) -> list[Report]:
    """Add the stored members of `incident_ids` to `subset`; they are the next frontier."""
    frontier = []
    for start in range(0, len(incident_ids), _CHUNK):
        chunk = incident_ids[start:start + _CHUNK]
        members = store.select(_SOURCES + " where events.incident_id in ("
                               + ", ".join("?" * len(chunk)) + ")", chunk)
        done.rows_read += len(members)
        for row in members:
            report = seen.get(row["event_id"]) or _report(row, rules)
            subset[row["event_id"]] = report
            frontier.append(report)
    return frontier


def attach_arrivals(store: Store, rules: Rules | None = None) -> Attached | None:
    """`attach` when the database has incidents (an `incidents` table: `rasad incidents` ran
    once); None, and nothing changed, when it has none."""
    if not store.has_table("incidents"):
        return None
    return attach(store, rules)


def _report(row: dict[str, Any], rules: Rules) -> Report:
    return make_report(json.loads(row["record"]), row["doc_id"], row["published"],
                       row["source"], rules=rules)


class _BlockIndex:
    """Stored reports by type family and country, in date order: `near(report)` gives those
    of its family, in its country or none (every country for a report without one), dated
    within the widest slack of a pair (`compatible` then checks the pair's own), and the
    undated."""

    def __init__(self, block: list[tuple[Report, str]], rules: Rules) -> None:
        self.rules = rules
        self.widest = max(rules.date_window_days, *rules.precision_days.values())
        self.groups: dict[tuple[str, str | None], list[tuple[int, Report, str]]] = {}
        self.undated: dict[tuple[str, str | None], list[tuple[Report, str]]] = {}
        for report, incident_id in sorted(block, key=lambda item: item[0].key):
            key = (self._family(report), report.country)
            if report.day is None:
                self.undated.setdefault(key, []).append((report, incident_id))
            else:
                self.groups.setdefault(key, []).append(
                    (report.day.toordinal(), report, incident_id))
        for members in self.groups.values():
            members.sort(key=lambda item: (item[0], item[1].key))
        self.days = {key: [day for day, _, _ in members] for key, members in self.groups.items()}

    def _family(self, report: Report) -> str:
        return self.rules.families.get(report.event_type, report.event_type)

    def near(self, report: Report) -> Iterator[tuple[Report, str]]:
        family = self._family(report)
        keys = {key for key in (*self.groups, *self.undated) if key[0] == family and (
            report.country is None or key[1] in (report.country, None))}
        for key in sorted(keys, key=str):
            yield from self.undated.get(key, ())
            members = self.groups.get(key, [])
            if report.day is None:
                yield from ((other, incident_id) for _, other, incident_id in members)
                continue
            day = report.day.toordinal()
            low = bisect_left(self.days[key], day - self.widest)
            high = bisect_right(self.days[key], day + self.widest)
            yield from ((other, incident_id) for _, other, incident_id in members[low:high])


def _block_queries(frontier: list[Report], rules: Rules) -> Iterator[tuple[str, list[Any]]]:
    """The queries (`_CLAUSES` ranges each) of the resolved events that may pass blocking with
    a frontier report: of its type family, in its country or none (any country for a report
    without one), dated within the slack of the pair (per stored precision), or undated.
    Overlapping ranges are merged, so a batch of new events on a few days in a few countries
    is a few ranges."""
    ranges: dict[tuple[tuple[str, ...], str | None, int], list[tuple[int, int]]] = {}
    undated: set[tuple[tuple[str, ...], str | None]] = set()
    stored_precisions = (1, 2, 3)
    for report in frontier:
        family = rules.families.get(report.event_type, report.event_type)
        types = tuple(sorted({t for t, f in rules.families.items() if f == family}
                             | {report.event_type}))
        if report.day is None:
            undated.add((types, report.country))
            continue
        own = max(rules.date_window_days, rules.precision_days.get(report.time_precision, 0))
        for precision in stored_precisions:
            slack = max(own, rules.precision_days.get(precision, 0))
            if precision == 3:
                slack = max(own, *rules.precision_days.values())
            day = report.day.toordinal()
            ranges.setdefault((types, report.country, precision), []).append(
                (day - slack, day + slack))
    clauses: list[tuple[str, list[Any]]] = []
    for types, country in sorted(undated, key=str):
        params: list[Any] = []
        clauses.append((f"({_where_family(types, country, params)})", params))
    for (types, country, precision), spans in sorted(ranges.items(), key=str):
        for low, high in _merged(spans):
            params = []
            family = _where_family(types, country, params)
            first, after = dt.date.fromordinal(low).isoformat(), \
                dt.date.fromordinal(high + 1).isoformat()
            when = ("(events.event_date >= ? and events.event_date < ? and "
                    + ("coalesce(events.time_precision, 1) <= 1)" if precision == 1 else
                       "events.time_precision = 2)" if precision == 2 else
                       "events.time_precision >= 3)"))
            params.extend((first, after))
            if precision == rules.undated_precision:
                when += (" or ((events.event_date is null or events.event_date = '') and "
                         "(documents.published is null or (documents.published >= ? and "
                         "documents.published < ?)))")
                params.extend((first, after))
            clauses.append((f"({family} and ({when}))", params))
    for start in range(0, len(clauses), _CLAUSES):
        chunk = clauses[start:start + _CLAUSES]
        yield (_SOURCES + " where events.incident_id is not null and ("
               + " or ".join(clause for clause, _ in chunk) + ")",
               [value for _, params in chunk for value in params])


def _where_family(types: tuple[str, ...], country: str | None, params: list[Any]) -> str:
    params.extend(types)
    where = f"events.event_type in ({', '.join('?' * len(types))})"
    if country is not None:
        params.append(country)
        where += (" and (events.country = ? or events.country is null "
                  "or events.country = '')")
    return where


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for low, high in sorted(spans):
        if out and low <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    return out


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
