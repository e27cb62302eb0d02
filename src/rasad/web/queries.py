"""What the API reads: filtered events and incidents, documents with their spans, daily counts.

Every function takes the connection of a `rasad.web.mirror.Mirror` (the flat columns in memory,
the file attached as ``store``) and a `Query`, the filter of a request.  `Query.build` checks
every value through `rasad.io.filters.EventFilter` (the filter of ``rasad export``: countries,
admin1, types, dates, background) plus what the page needs beyond it (sub-types, actor words,
modalities, a bounding box, a full-text query); a bad value raises a coded `StoreError` (E303
query, E304 filter) that the API answers with 422.  `event_where` turns it into SQL over the flat
event columns, with the same meaning as `EventFilter.matches` (`tests/test_web_api.py` checks
that both keep the same events).

Full text (`q`, FTS5 syntax, its terms normalised like the stored text by
`rasad.io.fts.fts_query`): ``q_in="evidence"`` (the default) keeps the events whose evidence
sentence matches; ``q_in="document"`` those whose document (title or text) matches, through the
store's FTS5 index of documents.

The functions that read more than the copy holds take the mirror's `store`: None for a SQLite
file (read through its attached schema, in the same query), or a PostgreSQL store
(`rasad.web.mirror.StoreReader`), asked by key for records and documents, and for the documents
a full-text query matches (its own text search, `rasad.io.tsquery`).

Incidents are the `incidents` table of ``rasad incidents`` with its events; an event no incident
holds yet (a database ``rasad incidents`` never ran on, or events stored since) is listed as an
incident of one report, with its event id as incident id.  An incident is kept when one of its
events passes the filter.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rasad.errors import StoreError
from rasad.io.filters import EventFilter
from rasad.io.fts import fts_query
from rasad.records import EVENT_TYPES
from rasad.web.mirror import INCIDENT_COLUMNS, StoreReader

MODALITIES = ("asserted", "attempted", "negated", "hedged", "future")
MAX_LIMIT = 20000
MAX_OFFSET = 10**9
MAX_QUERY_LENGTH = 500
"""The bounds of a list request's ``limit``, ``offset`` and ``q``: the API's parameters declare
them, and `rasad.web.asgi`'s fast path takes only what they allow."""
DEFAULT_LIMIT = 100
DEFAULT_SORT = "-date"
"""A list request's ``limit`` and ``sort`` when it gives none: the API's routes, the fast path
and the query functions all read them from here."""
EVENT_SORTS = {"date": "e.event_date", "fatalities": "e.fatalities", "type": "e.event_type",
               "country": "e.country", "confidence": "e.confidence"}
INCIDENT_SORTS = {"date": "event_date", "fatalities": "fatalities", "type": "event_type",
                  "country": "country", "reports": "reports"}
"""Sort keys a request may give (``-key`` for descending), and the column each sorts by."""
SPAN_FIELDS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "location",
               "fatalities_text", "attribution")
"""The fields of a contract event whose spans the page highlights."""

_SUB_TYPES = {sub.casefold(): sub for subs in EVENT_TYPES.values() for sub in subs}


def _error(message: str, code: str = "E304") -> StoreError:
    return StoreError(message, code=code)


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``min_lon,min_lat,max_lon,max_lat`` as four floats (E304 when it is not that)."""
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        raise _error(f"bbox {value!r} must be four numbers: min_lon,min_lat,max_lon,max_lat") \
            from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise _error(f"bbox {value!r}: need -180 <= min_lon <= max_lon <= 180 and "
                     "-90 <= min_lat <= max_lat <= 90")
    return west, south, east, north


@dataclass(frozen=True, slots=True)
class Query:
    """The filter of one request (empty: no condition)."""

    events: EventFilter = field(default_factory=EventFilter)
    sub_types: frozenset[str] = frozenset()
    actors: tuple[str, ...] = ()
    modalities: frozenset[str] = frozenset()
    bbox: tuple[float, float, float, float] | None = None
    q: str | None = None
    q_in: str = "evidence"

    @classmethod
    def build(cls, types: Iterable[str] = (), sub_types: Iterable[str] = (),
              actors: Iterable[str] = (), countries: Iterable[str] = (),
              admin1: Iterable[str] = (), date_from: str | None = None,
              date_to: str | None = None, bbox: str | None = None,
              modalities: Iterable[str] = (), q: str | None = None, q_in: str = "evidence",
              no_background: bool = False) -> Query:
        """A checked filter: E304 for an unknown type, sub-type, country, modality, a bad date
        or bbox; E303 for a full-text query FTS5 cannot take."""
        subs = []
        for name in sub_types:
            if name.strip().casefold() not in _SUB_TYPES:
                raise _error(f"unknown sub_type {name!r}: give an ACLED sub-event type "
                             "(Armed clash, Air/drone strike, …)")
            subs.append(_SUB_TYPES[name.strip().casefold()])
        for modality in modalities:
            if modality not in MODALITIES:
                raise _error(f"unknown modality {modality!r}: one of {', '.join(MODALITIES)}")
        if q_in not in ("evidence", "document"):
            raise _error(f"q_in must be evidence or document, not {q_in!r}")
        query = q.strip() if q else None
        if query:
            fts_query(query)  # E303 now for an empty or unclosed query
        try:
            event_filter = EventFilter.build(countries, admin1, types, date_from, date_to,
                                             no_background)
        except StoreError as exc:
            raise _error(exc.message.replace("--since", "date_from")
                         .replace("--until", "date_to"), exc.code) from None
        return cls(event_filter, frozenset(subs), tuple(a.strip() for a in actors if a.strip()),
                   frozenset(modalities), parse_bbox(bbox) if bbox else None, query or None,
                   q_in)


def _marks(values: Iterable[Any]) -> str:
    return ", ".join("?" for _ in values)


def event_where(query: Query, store: StoreReader | None = None, indexed: bool = True,
                found: tuple[sqlite3.Connection, dict[str, str]] | None = None
                ) -> tuple[str, list[Any]]:
    """The SQL condition (over the mirror's `events` as ``e``) and its parameters; not
    `indexed`, the columns are written ``+e.column``, which keeps SQLite from searching them
    through their indexes (the same condition).  With `found` (the mirror's connection and a
    dict), each full-text search (``q``, the actor's trigrams) is run once, now, and its ids
    given as a JSON list (kept in the dict for the next condition of the same request: a page's
    count and rows search once, not twice)."""
    e = "e." if indexed else "+e."

    def within(column: str, select: str, value: str) -> None:
        if found is None:
            parts.append(f"{column} in ({select})")
            params.append(value)
            return
        conn, ids = found
        key = f"{select}\x00{value}"
        if key not in ids:
            try:
                ids[key] = json.dumps([row[0] for row in conn.execute(select, [value])])
            except sqlite3.OperationalError as exc:
                if query.q:
                    raise _error(f"bad search query {query.q!r}: {exc}", "E303") from exc
                raise
        parts.append(f"{column} in (select value from json_each(?))")
        params.append(ids[key])

    f = query.events
    parts: list[str] = []
    params: list[Any] = []
    if f.countries:
        parts.append(f"{e}country in ({_marks(f.countries)})")
        params += sorted(f.countries)
    if f.admin1:
        parts.append(f"{e}admin1_key in ({_marks(f.admin1)})")
        params += sorted(f.admin1)
    if f.types:
        # A type is looked for among the event types, a sub-type among the sub-types (the
        # contract's columns hold nothing else): one index each, not both for every name (a
        # count 2.5 times as fast as with ``or`` for a single name).
        types = sorted(f.types & EVENT_TYPES.keys())
        subs = sorted(f.types - EVENT_TYPES.keys())
        either = [f"{e}event_type in ({_marks(types)})"] * bool(types) + [
            f"{e}sub_event_type in ({_marks(subs)})"] * bool(subs)
        parts.append(f"({' or '.join(either)})")
        params += types + subs
    if query.sub_types:
        parts.append(f"{e}sub_event_type in ({_marks(query.sub_types)})")
        params += sorted(query.sub_types)
    if f.since or f.until:
        parts.append(f"{e}day between ? and ?")  # none without a date
        params += [f.since or "0000-00-00", f.until or "9999-99-99"]
    if f.no_background:
        parts.append(f"not coalesce({e}background, 0)")
    if f.asserted_only:
        parts.append(f"{e}modality = 'asserted'")
    if query.modalities:
        parts.append(f"{e}modality in ({_marks(query.modalities)})")
        params += sorted(query.modalities)
    for actor in query.actors:  # words of any actor column (`ACTOR_COLUMNS`), any case
        words = actor.casefold()
        if len(words) >= 3 and "\n" not in words:
            # A phrase of trigrams: exactly the actor names (`rasad.web.mirror._index_actors`)
            # of which `words` is a substring, then the events holding one.
            within(f"{e}actor_set", "select distinct set_id from actor_set_names where "
                   "name_id in (select rowid from actor_names_fts where actor_names_fts "
                   "match ?)", '"' + words.replace('"', '""') + '"')
        else:
            parts.append("instr(e.actor_words, ?) > 0")
            params.append(words)
    if query.bbox:
        parts.append(f"{e}longitude between ? and ? and {e}latitude between ? and ?")
        west, south, east, north = query.bbox
        params += [west, east, south, north]
    if query.q and query.q_in == "evidence":
        within(f"{e}id", "select rowid from evidence_fts where evidence_fts match ?",
               fts_query(query.q))
    elif query.q and store is not None:
        parts.append(f"{e}doc_rowid in (select value from json_each(?))")
        params.append(json.dumps(store.document_keys(query.q)))
    elif query.q:
        within(f"{e}doc_rowid", "select rowid from store.documents_fts "
               "where documents_fts match ?", fts_query(query.q, {
                   "title": "title_normalized", "text": "text_normalized"}))
    return " and ".join(parts) or "1", params


def _rows(conn: sqlite3.Connection, sql: str, params: list[Any], query: Query
          ) -> list[sqlite3.Row]:
    """The rows of `sql`; an error only SQLite sees in a full-text query is E303."""
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if query.q:
            raise _error(f"bad search query {query.q!r}: {exc}", "E303") from exc
        raise


def _order(sort: str, columns: dict[str, str], tie: str) -> str:
    """ORDER BY terms for `sort` (``key`` or ``-key``); missing values last either way (SQLite
    sorts NULL first: last when descending), ties by `tie` in the same direction."""
    key = sort.lstrip("-")
    if key not in columns:
        raise _error(f"unknown sort {sort!r}: one of "
                     f"{', '.join(k for c in columns for k in (c, '-' + c))}")
    if sort.startswith("-"):
        return f"{columns[key]} desc, {tie} desc"
    return f"{columns[key]} is null, {columns[key]}, {tie}"


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """True when the mirror has table `name`."""
    return conn.execute("select 1 from main.sqlite_master where name = ?",
                        [name]).fetchone() is not None


def events_page(conn: sqlite3.Connection, query: Query, sort: str = DEFAULT_SORT,
                limit: int = DEFAULT_LIMIT, offset: int = 0,
                store: StoreReader | None = None) -> bytes:
    """A page of the events `query` keeps, with `total` (all of them), as JSON (UTF-8 bytes):
    each event's is the one the mirror wrote when it took its copy (`rasad.web.mirror.item_json`),
    so a page costs the query and a join of bytes."""
    order = _order(sort, EVENT_SORTS, "e.id")
    found: tuple[sqlite3.Connection, dict[str, str]] = (conn, {})
    where, params = event_where(query, store, found=found)
    total = _rows(conn, f"select count(*) from events e where {where}", params, query)[0][0]
    texts: list[bytes] = []
    if offset < total:
        if total * 8 < _event_count(conn):
            # Few events pass: find them through the filters' indexes and sort them, rather
            # than walk the sort's index through the many that do not (a unary + keeps SQLite
            # from taking the sort's index).
            order = _order(sort, {key: f"+{column}" for key, column in EVENT_SORTS.items()},
                           "+e.id")
        elif store is None or query.q_in != "document":
            # Many pass: walk the sort's index until the page is full, rather than sort them
            # all (SQLite would take a filter's index, not knowing how many pass).
            where, params = event_where(query, store, indexed=False, found=found)
        # The page's ids first (sorting ids, not whole rows), then their texts.
        texts = [row[0] for row in _rows(
            conn, "select j.json from events e join items j on j.id = e.id "
            f"where e.id in (select e.id from events e where {where} order by {order} "
            f"limit ? offset ?) order by {order}", [*params, limit, offset], query)]
    return (f'{{"total":{total},"limit":{limit},"offset":{offset},"items":['.encode()
            + b",".join(texts) + b"]}")


def _event_count(conn: sqlite3.Connection) -> int:
    """How many events the copy holds."""
    found: int = conn.execute("select count(*) from events").fetchone()[0]
    return found


def list_events(conn: sqlite3.Connection, query: Query, sort: str = DEFAULT_SORT,
                limit: int = DEFAULT_LIMIT, offset: int = 0,
                store: StoreReader | None = None) -> dict[str, Any]:
    """`events_page` as a dict."""
    page: dict[str, Any] = json.loads(events_page(conn, query, sort, limit, offset, store))
    return page


def event_records(conn: sqlite3.Connection, query: Query, store: StoreReader | None = None
                  ) -> Iterator[dict[str, Any]]:
    """The events `query` keeps as contract-shaped records (one per document, its kept events
    only), for `rasad.io.export.write_export`."""
    where, params = event_where(query, store)
    if store is None:
        rows: Iterable[Any] = _rows(
            conn, "select e.doc_id, r.record, e.source from events e join store.events r "
            f"on r.rowid = e.id where {where} order by e.doc_id, e.id", params, query)
    else:
        rows = _stored_records(store, _rows(
            conn, f"select e.id, e.doc_id, e.source from events e where {where} "
            "order by e.doc_id, e.id", params, query))
    record: dict[str, Any] | None = None
    for row in rows:
        if record is None or record["doc_id"] != row["doc_id"]:
            if record is not None:
                yield record
            record = {"doc_id": row["doc_id"], "source": row["source"], "events": []}
        record["events"].append(json.loads(row["record"]))
    if record is not None:
        yield record


def _stored_records(store: StoreReader, rows: list[sqlite3.Row], chunk: int = 5000
                    ) -> Iterator[dict[str, Any]]:
    """`rows` (id, doc_id, source) with each event's record from `store`, `chunk` at a time."""
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        records = store.event_records([row["id"] for row in part])
        for row in part:
            yield {"doc_id": row["doc_id"], "record": records[row["id"]],
                   "source": row["source"]}


def _incidents_sql(conn: sqlite3.Connection, query: Query, store: StoreReader | None = None
                   ) -> tuple[str, list[Any]]:
    """A select of every incident `query` keeps (`INCIDENT_COLUMNS` and `verified`)."""
    where, params = event_where(query, store)
    single = ("select e.event_id as incident_id, e.event_type, e.sub_event_type, "
              "json_array(e.actor1, e.actor2) as actors, e.event_date, e.time_precision, "
              "e.location, e.country, e.admin1, e.latitude, e.longitude, e.geo_precision, "
              "e.fatalities, 1 as reports, 1 as outlets, e.published as first_reported, "
              "e.published as last_reported from events e where {where}")
    if has_table(conn, "incidents"):
        columns = ", ".join(f"i.{c}" for c in INCIDENT_COLUMNS)
        sql = (f"select {columns} from incidents i where i.incident_id in "
               f"(select e.incident_id from events e where {where}) union all "
               + single.format(where=f"e.incident_id is null and ({where})"))
        params = params * 2
    else:
        sql = single.format(where=where)
    if has_table(conn, "verifications"):
        sql = (f"select u.*, v.verified, v.note as verified_note from ({sql}) u "
               "left join verifications v on v.incident_id = u.incident_id")
    else:
        sql = f"select u.*, null as verified, null as verified_note from ({sql}) u"
    return sql, params


def _incident_item(row: sqlite3.Row) -> dict[str, Any]:
    item = {key: row[key] for key in INCIDENT_COLUMNS}
    item["actors"] = [a for a in json.loads(row["actors"] or "[]") if a]
    item["verified"] = None if row["verified"] is None else bool(row["verified"])
    item["verified_note"] = row["verified_note"]
    return item


INCIDENT_FIELDS = (*INCIDENT_COLUMNS, "verified", "verified_note")
"""What a listed incident shows, in the order of ``format=table``'s columns."""


def list_incidents(conn: sqlite3.Connection, query: Query, sort: str = DEFAULT_SORT,
                   limit: int = DEFAULT_LIMIT, offset: int = 0, table: bool = False,
                   store: StoreReader | None = None) -> dict[str, Any]:
    """A page of the incidents `query` keeps (one of their events passes it), with `total`:
    `items` (one dict each), or with `table` `columns` and `rows` (one list each: what the
    page loads, thousands at a time)."""
    order = _order(sort, INCIDENT_SORTS, "incident_id")
    sql, params = _incidents_sql(conn, query, store)
    total = _rows(conn, f"select count(*) from ({sql})", params, query)[0][0]
    rows = _rows(conn, f"select * from ({sql}) order by {order} limit ? offset ?",
                 [*params, limit, offset], query)
    page = {"total": total, "limit": limit, "offset": offset}
    if not table:
        return {**page, "items": [_incident_item(row) for row in rows]}
    items = (_incident_item(row) for row in rows)
    return {**page, "columns": list(INCIDENT_FIELDS),
            "rows": [[item[key] for key in INCIDENT_FIELDS] for item in items]}


def daily_counts(conn: sqlite3.Connection, query: Query, store: StoreReader | None = None
                 ) -> dict[str, Any]:
    """Incidents per day and event type (the timeline), per type, undated and in all."""
    sql, params = _incidents_sql(conn, query, store)
    rows = _rows(conn, f"select substr(event_date, 1, 10) as day, event_type, count(*) as n "
                 f"from ({sql}) group by day, event_type order by day, event_type", params,
                 query)
    days = [{"date": r["day"], "event_type": r["event_type"], "count": r["n"]}
            for r in rows if r["day"]]
    by_type: dict[str, int] = {}
    for r in rows:
        by_type[r["event_type"]] = by_type.get(r["event_type"], 0) + r["n"]
    return {"total": sum(r["n"] for r in rows),
            "undated": sum(r["n"] for r in rows if not r["day"]),
            "by_type": by_type, "days": days}


def _span_marks(event: dict[str, Any]) -> list[dict[str, Any]]:
    """Every highlighted span of `event`: field, text, start, end (document offsets)."""
    marks = []
    for name in SPAN_FIELDS:
        value = event.get(name)
        for span in value if isinstance(value, list) else [value]:
            if isinstance(span, dict) and span.get("start") is not None and span.get("text"):
                marks.append({"field": name, "text": span["text"], "start": span["start"],
                              "end": span["end"]})
    return marks


def report_view(event: dict[str, Any], text: str, window: int = 80) -> dict[str, Any]:
    """The evidence of `event` with the spans of its fields marked (offsets relative to the
    evidence), and for a span outside the evidence a window of `text` around it, marked."""
    evidence = event.get("evidence") or {"text": "", "start": 0, "end": 0}
    lo, hi = evidence["start"], evidence["end"]
    inside, context = [], []
    for mark in _span_marks(event):
        if lo <= mark["start"] and mark["end"] <= hi:
            inside.append({**mark, "start": mark["start"] - lo, "end": mark["end"] - lo})
            continue
        first = max(0, mark["start"] - window)
        last = min(len(text), mark["end"] + window)
        context.append({"field": mark["field"], "text": text[first:last],
                        "offset": first, "truncated_start": first > 0,
                        "truncated_end": last < len(text),
                        "marks": [{**mark, "start": mark["start"] - first,
                                   "end": mark["end"] - first}]})
    return {"evidence": {"text": text[lo:hi], "start": lo, "end": hi,
                         "marks": sorted(inside, key=lambda m: (m["start"], -m["end"]))},
            "context": context}


def incident_row(conn: sqlite3.Connection, incident_id: str) -> sqlite3.Row | None:
    """The listed fields of one incident (None when there is no such id)."""
    sql, params = _incidents_sql(conn, Query())
    row: sqlite3.Row | None = conn.execute(f"select * from ({sql}) where incident_id = ?",
                                           [*params, incident_id]).fetchone()
    return row


_MEMBERS = "e.incident_id = ? or (e.incident_id is null and e.event_id = ?)"
"""The events of an incident: those it holds, or the event a single-report incident is."""


def incident_detail(conn: sqlite3.Connection, incident_id: str,
                    store: StoreReader | None = None) -> dict[str, Any] | None:
    """One incident with its reports: each event (contract record), its document's title,
    source, url and published, and `view` (`report_view`); None when there is no such id."""
    row = incident_row(conn, incident_id)
    if row is None:
        return None
    members: Iterable[Any]
    if store is None:
        members = conn.execute(
            "select e.doc_id, r.record, d.title, d.source, d.url, d.published, d.genre, d.text "
            "from events e join store.events r on r.rowid = e.id "
            f"join store.documents d on d.doc_id = e.doc_id where {_MEMBERS} "
            "order by d.published, e.doc_id, e.event_id", [incident_id, incident_id])
    else:
        keys = [key for (key,) in conn.execute(
            f"select e.id from events e where {_MEMBERS} "
            "order by e.published, e.doc_id, e.event_id", [incident_id, incident_id])]
        found = store.event_reports(keys)
        members = [found[key] for key in keys]
    reports = []
    for report in members:
        event = json.loads(report["record"])
        reports.append({"doc_id": report["doc_id"], "title": report["title"],
                        "source": report["source"], "url": report["url"],
                        "published": report["published"], "genre": report["genre"],
                        "event": event, "view": report_view(event, report["text"])})
    return {**_incident_item(row), "reports_list": reports}


def document_detail(conn: sqlite3.Connection, doc_id: str, store: StoreReader | None = None
                    ) -> dict[str, Any] | None:
    """A stored document: its fields, text, and each event with every field's span
    (document offsets) and the places; None when there is no such document."""
    if store is not None:
        row: Any = store.document(doc_id)
    else:
        row = conn.execute("select doc_id, title, published, source, url, genre, text, record "
                           "from store.documents where doc_id = ?", [doc_id]).fetchone()
    if row is None:
        return None
    record = json.loads(row["record"])
    events = [{**event, "spans": [*_span_marks(event),
                                  {"field": "evidence", **event["evidence"]}]}
              for event in record.get("events", [])]
    return {key: row[key] for key in ("doc_id", "title", "published", "source", "url", "genre",
                                      "text")} | {
        "warnings": record.get("warnings") or [], "places": record.get("places") or [],
        "events": events}


def facets(conn: sqlite3.Connection, store: StoreReader | None = None) -> dict[str, Any]:
    """The values the page's filters offer: countries and event types present, date range."""
    countries = [r[0] for r in conn.execute(
        "select country from events where country is not null group by country "
        "order by count(*) desc")]
    documents = (store.count_documents() if store is not None else
                 conn.execute("select count(*) from store.documents").fetchone()[0])
    first, last = conn.execute("select min(substr(event_date, 1, 10)), "
                               "max(substr(event_date, 1, 10)) from events "
                               "where coalesce(event_date, '') != ''").fetchone()
    return {"countries": countries, "event_types": {k: list(v) for k, v in EVENT_TYPES.items()},
            "modalities": list(MODALITIES), "date_min": first, "date_max": last,
            "documents": documents,
            "events": conn.execute("select count(*) from events").fetchone()[0],
            "incidents_resolved": has_table(conn, "incidents")}
