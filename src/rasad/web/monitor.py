"""The trends and alerts endpoints: `monitor_router(db)`, a FastAPI router `create_app` includes.

``GET /api/trends`` answers what ``rasad trends --json`` prints (`rasad.incidents.trends.series`
over `load_incidents`, with `publication_days`), ``GET /api/alerts`` the rows ``rasad alerts``
stored in the `alerts` table (newest period first), ``GET /api/alerts/{alert_id}`` one alert with
the `incidents` rows behind it (what the page shows when an alert is clicked).  They read the
database through the store (`rasad.io.store.open_store`, one store per request), so they work
on whatever backend the store opens.  Given the database's change counter (`create_app` passes
`rasad.web.mirror.Mirror.generation`), ``/api/trends`` reads the incidents and publication days
once per change, not once per request, and keeps its last answers (JSON text) until the next
change.  A bad parameter is a 422 in the API's shape; a database
without incidents is a 409 (E301) that says to run ``rasad incidents``; a database without
alerts has none (an empty list, not an error).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, HTTPException
from fastapi import Query as Param
from fastapi.responses import Response

from rasad.errors import RasadError
from rasad.incidents.trends import (
    IncidentRow,
    area_name_ar,
    load_incidents,
    publication_days,
    series,
)
from rasad.io.filters import EventFilter, country_code
from rasad.io.store import Store, open_store

T = TypeVar("T")
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
"""The days `since` and `until` may name."""
ALERT_ORDER = "period_end desc, period_start desc, rule, area, alert_id"
"""Newest period first; within a period by rule and area (ids break ties)."""
INCIDENT_FIELDS = ("incident_id", "event_type", "sub_event_type", "actors", "event_date",
                   "location", "country", "admin1", "latitude", "longitude", "geo_precision",
                   "fatalities", "reports", "outlets")
"""The `incidents` columns an alert's incidents are given with (those the page's list shows)."""


def _refused(exc: RasadError) -> HTTPException:
    """A coded error as an HTTP error: E301 (no incidents yet, or a database that cannot be
    read) is a 409; a bad value (E304 and the rest) a 422 in FastAPI's shape."""
    if exc.code == "E301":
        return HTTPException(409, detail=f"{exc.code}: {exc.message}")
    return HTTPException(422, detail=[{"loc": ["query"], "msg": exc.message,
                                       "type": "value_error", "code": exc.code}])


@contextmanager
def _reading(db: str | Path) -> Iterator[Store]:
    """The store at `db`, opened for reading and closed after; a coded error becomes an HTTP
    error (`_refused`)."""
    try:
        store = open_store(db, create=False)
    except RasadError as exc:
        raise _refused(exc) from None
    try:
        yield store
    except RasadError as exc:
        raise _refused(exc) from None
    finally:
        store.close()


def _check_range(since: dt.date | None, until: dt.date | None) -> None:
    """422 for a day outside `EARLIEST`–`LATEST` (a typing slip, and far enough from the
    calendar's ends for the periods' arithmetic)."""
    for name, day in (("since", since), ("until", until)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise HTTPException(422, detail=[{
                "loc": ["query", name], "type": "value_error", "code": "E304",
                "msg": f"{name} {day} is outside {EARLIEST} to {LATEST}"}])


def _checked(build: Callable[[], T]) -> T:
    try:
        return build()
    except RasadError as exc:
        raise _refused(exc) from None


def alert_item(row: dict[str, Any]) -> dict[str, Any]:
    """A stored `alerts` row as the API gives it: `incident_ids` parsed, `area_ar` added (the
    gazetteer's Arabic name of the area, when it has one)."""
    item = dict(row)
    item["incident_ids"] = json.loads(row.get("incident_ids") or "[]")
    country, admin1 = row.get("country"), row.get("admin1")
    item["area_ar"] = area_name_ar((country, admin1)) if country else None
    return item


def stored_alerts(store: Store, rules: frozenset[str] = frozenset(),
                  countries: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """The `alerts` rows (newest period first) of the rules and countries given (all when
    empty); none when `rasad alerts` has not written the table."""
    if not store.has_table("alerts"):
        return []
    rows = store.select(f"select * from alerts order by {ALERT_ORDER}")
    return [alert_item(row) for row in rows
            if (not rules or row["rule"] in rules)
            and (not countries or row["country"] in countries)]


def alert_incidents(store: Store, incident_ids: list[str]) -> list[dict[str, Any]]:
    """The `incidents` rows of `incident_ids` still stored (date order, newest first), actors
    parsed; none without the table."""
    if not incident_ids or not store.has_table("incidents"):
        return []
    marks = ", ".join("?" * len(incident_ids))
    rows = store.select(f"select {', '.join(INCIDENT_FIELDS)} from incidents where "
                        f"incident_id in ({marks}) order by event_date desc, incident_id",
                        incident_ids)
    return [{**row, "actors": json.loads(row["actors"] or "[]")} for row in rows]


class TrendsCache:
    """What ``/api/trends`` computes from the database, kept while `changes` (the database's
    change counter) stays the same: the incidents and publication days it reads, and the JSON
    text of the last `size` answers, by their parameters."""

    def __init__(self, changes: Callable[[], Hashable], size: int = 64) -> None:
        self.changes = changes
        self.size = size
        self._lock = threading.Lock()
        self._marker: Hashable = None
        self._inputs: tuple[list[IncidentRow], set[dt.date]] | None = None
        self._answers: OrderedDict[Hashable, bytes] = OrderedDict()

    def answer(self, db: str | Path, key: Hashable,
               compute: Callable[[list[IncidentRow], set[dt.date]], dict[str, Any]]) -> bytes:
        """The JSON text of `compute` over the incidents and publication days of `db`, from the
        cache when the database has not changed since it was computed with this `key`."""
        marker = self.changes()
        with self._lock:
            if marker != self._marker:
                self._marker, self._inputs = marker, None
                self._answers.clear()
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
            if self._inputs is None:
                with _reading(db) as store:
                    self._inputs = load_incidents(store), publication_days(store)
            incidents, days = self._inputs
            text = json.dumps(_checked(lambda: compute(incidents, days)), ensure_ascii=False,
                              separators=(",", ":")).encode()
            self._answers[key] = text
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
            return text


def monitor_router(db: str | Path, changes: Callable[[], Hashable] | None = None) -> APIRouter:
    """The trends and alerts endpoints over the database `db`; with `changes`, a function that
    returns the database's change counter, ``/api/trends`` caches what it reads
    (`TrendsCache`)."""
    router = APIRouter()
    cache = TrendsCache(changes) if changes is not None else None

    @router.get("/api/trends", summary="Incidents and fatalities per area and period, against "
                "a trailing baseline (rasad trends --json)", response_model=dict[str, Any])
    def trends(
        by: Annotated[Literal["country", "admin1"], Param(
            description="Count per country or per first-level division.")] = "country",
        period: Annotated[Literal["day", "week"], Param(
            description="Count per day, or per 7 days ending on `until`.")] = "week",
        type: Annotated[list[str] | None, Param(
            description="Event type or sub-event type (ACLED); repeat for any of several.")
        ] = None,
        country: Annotated[list[str] | None, Param(
            description="ISO alpha-2/alpha-3 code or English name; repeat for several.")
        ] = None,
        since: Annotated[dt.date | None, Param(
            description="First day (default: the day of the first report).")] = None,
        until: Annotated[dt.date | None, Param(
            description="Last day, where the last period ends (default: the day of the last "
            "report).")] = None,
        baseline: Annotated[int, Param(ge=1, le=1000, description="The trailing baseline: "
                                       "the mean of the N periods before a period.")] = 4,
    ) -> Any:
        _check_range(since, until)
        event_filter = _checked(lambda: EventFilter.build(country or (), (), type or ()))

        def compute(incidents: list[IncidentRow], days: set[dt.date]) -> dict[str, Any]:
            return series(incidents, by, period, since, until, baseline, event_filter,
                          days).to_dict()

        if cache is not None:
            key = (by, period, tuple(type or ()), tuple(country or ()), since, until, baseline)
            return Response(cache.answer(db, key, compute), media_type="application/json")
        with _reading(db) as store:
            return compute(load_incidents(store), publication_days(store))

    @router.get("/api/alerts", summary="The stored alerts (rasad alerts), newest period first")
    def alerts(
        rule: Annotated[list[str] | None, Param(
            description="The rule's name (alerts.yaml); repeat for several.")] = None,
        country: Annotated[list[str] | None, Param(
            description="ISO alpha-2/alpha-3 code or English name; repeat for several.")
        ] = None,
    ) -> dict[str, Any]:
        countries = _checked(lambda: frozenset(country_code(c) for c in country or ()))
        with _reading(db) as store:
            items = stored_alerts(store, frozenset(rule or ()), countries)
        return {"total": len(items), "items": items}

    @router.get("/api/alerts/{alert_id}", summary="One alert with the incidents behind it")
    def alert(alert_id: str) -> dict[str, Any]:
        with _reading(db) as store:
            found = next((a for a in stored_alerts(store) if a["alert_id"] == alert_id), None)
            if found is None:
                raise HTTPException(404, detail=f"no alert {alert_id!r}")
            found["incidents"] = alert_incidents(store, found["incident_ids"])
        return found

    return router
