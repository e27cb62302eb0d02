"""Trends: incidents and fatalities per area and period, against a trailing baseline.

Reads the `incidents` table `rasad incidents` wrote (stored rows are the interface) as
`IncidentRow`s (`load_incidents`), counts them per area (country, or country and admin1) and per
period (`series`), and gives each period the change against the mean of the periods before it.
Counts are of incidents, never of reports: eight outlets reporting one air strike count one.

Periods are `Periods`: spans of one day or seven days that end on the last day of the series
(`until`, by default the day of the last report in the database), so the last period is always
complete; the first is the first whole period on or after `since` (days before it are left
out).  An incident counts in the period of its date when its date is at least as precise as the
period (ACLED's `time_precision`: a day for daily series, a day or a week for weekly ones);
incidents without a date or country, dated too vaguely, or outside the range are counted in
`Trends.left_out` by reason.  By default the series starts on the day of the first report in the
database: incidents dated earlier are history the articles recall, not monitored events.

`render_table` is the readable summary `rasad trends` prints; `Trends.to_dict` its JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rasad.countries import country_name
from rasad.errors import StoreError
from rasad.geo.gazetteer import default_gazetteer_path
from rasad.incidents.storage import require_incidents
from rasad.io.filters import EventFilter
from rasad.io.store import Store

PERIOD_DAYS = {"day": 1, "week": 7}
BY = ("country", "admin1")
SPARK = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """What trends and alerts read of one stored incident."""

    incident_id: str
    event_type: str
    sub_event_type: str | None
    event_date: dt.date | None
    time_precision: int
    country: str | None
    admin1: str | None
    fatalities: int | None
    reports: int
    actors: tuple[str, ...] = ()
    first_reported: dt.date | None = None
    last_reported: dt.date | None = None

    def as_event(self) -> dict[str, Any]:
        """The fields `EventFilter.matches` reads, as a contract event has them."""
        return {"event_type": self.event_type, "sub_event_type": self.sub_event_type,
                "event_date": self.event_date.isoformat() if self.event_date else None,
                "location": {"country": self.country, "admin1": self.admin1}}


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def load_incidents(store: Store) -> list[IncidentRow]:
    """Every row of the `incidents` table, in incident id order; E301 when `rasad incidents`
    has not been run on this database."""
    require_incidents(store)
    rows = store.select("select * from incidents order by incident_id")
    return [IncidentRow(
        incident_id=row["incident_id"], event_type=row["event_type"],
        sub_event_type=row["sub_event_type"], event_date=_day(row["event_date"]),
        time_precision=int(row["time_precision"] or 3), country=row["country"],
        admin1=row["admin1"], fatalities=row["fatalities"], reports=int(row["reports"] or 1),
        actors=tuple(json.loads(row["actors"] or "[]")),
        first_reported=_day(row["first_reported"]), last_reported=_day(row["last_reported"]))
        for row in rows]


def publication_days(store: Store) -> set[dt.date]:
    """The days on which at least one stored document was published."""
    rows = store.select("select distinct substr(published, 1, 10) as day from documents "
                        "where published is not null")
    return {day for day in (_day(row["day"]) for row in rows) if day}


@dataclass(frozen=True, slots=True)
class Periods:
    """`count` periods of `days` days, the last one ending on `end` (index 0 is the earliest)."""

    end: dt.date
    days: int
    count: int

    @classmethod
    def within(cls, since: dt.date, until: dt.date, days: int) -> Periods:
        """The whole periods ending on `until` that start on or after `since` (at least one)."""
        return cls(until, days, max(1, ((until - since).days + 1) // days))

    def index(self, day: dt.date) -> int | None:
        """The period holding `day`, or None outside the periods."""
        back = (self.end - day).days
        if back < 0:
            return None
        position = self.count - 1 - back // self.days
        return position if position >= 0 else None

    def start(self, index: int) -> dt.date:
        return self.end - dt.timedelta(days=(self.count - index) * self.days - 1)

    def stop(self, index: int) -> dt.date:
        return self.end - dt.timedelta(days=(self.count - 1 - index) * self.days)

    def label(self, index: int) -> str:
        start, stop = self.start(index), self.stop(index)
        return start.isoformat() if start == stop else f"{start.isoformat()}/{stop.isoformat()}"


def area_key(incident: IncidentRow, by: str) -> tuple[str, str | None] | None:
    """The area an incident counts in: (country, None) or (country, admin1); None without a
    country."""
    if not incident.country:
        return None
    return (incident.country, incident.admin1 if by == "admin1" else None)


def area_name(area: tuple[str, str | None], by: str) -> str:
    """«Syria», «Aleppo, Syria», or «Syria (no admin1)» for an incident placed in the country
    only."""
    country = country_name(area[0]) or area[0]
    if by == "country":
        return country
    return f"{area[1]}, {country}" if area[1] else f"{country} (no admin1)"


@cache
def _arabic_names() -> dict[tuple[str, str], str]:
    """(country code, English admin1 or country name) → the gazetteer's Arabic name."""
    try:
        db = sqlite3.connect(f"file:{default_gazetteer_path()}?mode=ro", uri=True)
        try:
            rows = db.execute("select country, name, name_ar from places where feature in "
                              "('country', 'admin1') and name_ar is not null").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return {}
    return {(country, name): name_ar for country, name, name_ar in rows}


def area_name_ar(area: tuple[str, str | None]) -> str | None:
    """The Arabic name of an area (the admin1's, else the country's), when the gazetteer has it."""
    names = _arabic_names()
    if area[1]:
        return names.get((area[0], area[1]))
    return names.get((area[0], country_name(area[0]) or ""))


def admits(incident: IncidentRow, days: int) -> bool:
    """True when the incident's date is precise enough for periods of `days` days."""
    return incident.event_date is not None and incident.time_precision <= (1 if days == 1 else 2)


@dataclass(slots=True)
class AreaSeries:
    """One area's incidents and fatalities per period, with the incidents of each period."""

    area: tuple[str, str | None]
    incidents: list[int]
    fatalities: list[int]
    members: list[list[str]]
    baseline: list[float | None] = field(default_factory=list)
    change: list[float | None] = field(default_factory=list)

    @property
    def total_incidents(self) -> int:
        return sum(self.incidents)

    @property
    def total_fatalities(self) -> int:
        return sum(self.fatalities)


def trailing_mean(counts: Sequence[int], index: int, window: int, first: int = 0
                  ) -> float | None:
    """The mean of the `window` counts before `index` (from `first` on); None when fewer than
    `window` periods precede it."""
    if index - window < first:
        return None
    return sum(counts[index - window:index]) / window


def change(current: int, baseline: float | None) -> float | None:
    """The relative change of `current` against `baseline` (0.5 is +50%); None without a
    baseline or against a baseline of 0."""
    if baseline is None or baseline == 0:
        return None
    return current / baseline - 1


@dataclass(slots=True)
class Trends:
    """The series of every area, most incidents first (ties by name)."""

    by: str
    periods: Periods
    baseline_periods: int
    areas: list[AreaSeries]
    left_out: Counter[str]
    unreported: list[int] = field(default_factory=list)
    """The periods in which no stored document was published (when known)."""

    def to_dict(self) -> dict[str, Any]:
        p = self.periods
        return {
            "by": self.by, "period_days": p.days, "since": p.start(0).isoformat(),
            "until": p.end.isoformat(), "baseline_periods": self.baseline_periods,
            "periods": [{"start": p.start(i).isoformat(), "end": p.stop(i).isoformat()}
                        for i in range(p.count)],
            "areas": [{"area": area_name(s.area, self.by), "name_ar": area_name_ar(s.area),
                       "country": s.area[0], "admin1": s.area[1],
                       "total_incidents": s.total_incidents,
                       "total_fatalities": s.total_fatalities, "incidents": s.incidents,
                       "fatalities": s.fatalities,
                       "baseline": [None if b is None else round(b, 3) for b in s.baseline],
                       "change": [None if c is None else round(c, 3) for c in s.change]}
                      for s in self.areas],
            "left_out": dict(sorted(self.left_out.items())),
            "periods_without_reports": [p.label(i) for i in self.unreported],
        }


def series(incidents: Iterable[IncidentRow], by: str = "country", period: str = "week",
           since: dt.date | None = None, until: dt.date | None = None,
           baseline_periods: int = 4, event_filter: EventFilter | None = None,
           report_days: set[dt.date] | None = None) -> Trends:
    """Incidents and fatalities per area and period, with each period's trailing baseline (the
    mean of the `baseline_periods` periods before it) and change against it.

    `since` defaults to the day of the first report among `incidents`, `until` to the day of the
    last one (the latest incident date when no report carries a date).  `report_days`, the days
    documents were published (`publication_days`), marks the periods without any report."""
    if by not in BY:
        raise StoreError(f"--by must be one of {', '.join(BY)}, not {by!r}", code="E304")
    if period not in PERIOD_DAYS:
        raise StoreError(f"--period must be one of {', '.join(PERIOD_DAYS)}, not {period!r}",
                         code="E304")
    days = PERIOD_DAYS[period]
    rows = [i for i in incidents if event_filter is None or event_filter.matches(i.as_event())]
    reported = [d for i in rows for d in (i.first_reported, i.last_reported) if d]
    dated = [i.event_date for i in rows if i.event_date]
    until = until or max(reported or dated or [dt.date.today()])
    since = since or min(reported or dated or [until])
    if since > until:
        raise StoreError(f"--since {since} is after --until {until}", code="E304")
    periods = Periods.within(since, until, days)
    cells: dict[tuple[str, str | None], AreaSeries] = {}
    left_out: Counter[str] = Counter()
    for incident in rows:
        area = area_key(incident, by)
        if incident.event_date is None:
            left_out["no date"] += 1
        elif not admits(incident, days):
            left_out["date vaguer than the period"] += 1
        elif area is None:
            left_out["no country"] += 1
        elif not periods.start(0) <= incident.event_date <= until:
            left_out["dated outside the range"] += 1
        else:
            index = periods.index(incident.event_date)
            assert index is not None
            cell = cells.get(area)
            if cell is None:
                cell = cells[area] = AreaSeries(area, [0] * periods.count, [0] * periods.count,
                                                [[] for _ in range(periods.count)])
            cell.incidents[index] += 1
            cell.fatalities[index] += incident.fatalities or 0
            cell.members[index].append(incident.incident_id)
    for cell in cells.values():
        cell.baseline = [trailing_mean(cell.incidents, i, baseline_periods)
                         for i in range(periods.count)]
        cell.change = [change(n, b) for n, b in zip(cell.incidents, cell.baseline, strict=True)]
    ordered = sorted(cells.values(), key=lambda s: (-s.total_incidents, area_name(s.area, by)))
    unreported = [] if report_days is None else [
        i for i in range(periods.count)
        if not any(periods.start(i) + dt.timedelta(days=k) in report_days for k in range(days))]
    return Trends(by, periods, baseline_periods, ordered, left_out, unreported)


def sparkline(counts: Sequence[int]) -> str:
    """Counts as a line of block characters, scaled to the largest."""
    top = max(counts, default=0)
    if not top:
        return SPARK[0] * len(counts)
    return "".join(SPARK[round(n / top * (len(SPARK) - 1))] for n in counts)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:+.0%}"


def render_table(trends: Trends, top: int = 20) -> str:
    """The readable summary: one line per area (the `top` with most incidents; 0 for all)."""
    p = trends.periods
    unit = "day" if p.days == 1 else "week"
    lines = [f"Incidents per {unit} by {trends.by}, {p.start(0)} to {p.end} ({p.count} {unit}s"
             f"{', each ending on a ' + p.end.strftime('%A') if p.days == 7 else ''}); change: "
             f"the last {unit} against the mean of the {trends.baseline_periods} {unit}s "
             "before it"]
    header = (f"{'area':<34} {'incidents':>9} {'fatalities':>10} {'last ' + unit:>9} "
              f"{'baseline':>8} {'change':>7}  per {unit}")
    lines += [header, "-" * len(header)]
    shown = trends.areas[:top] if top else trends.areas
    for s in shown:
        baseline = s.baseline[-1]
        lines.append(f"{area_name(s.area, trends.by)[:34]:<34} {s.total_incidents:>9} "
                     f"{s.total_fatalities:>10} {s.incidents[-1]:>9} "
                     f"{'-' if baseline is None else f'{baseline:.1f}':>8} "
                     f"{_percent(s.change[-1]):>7}  {sparkline(s.incidents)}")
    if len(shown) < len(trends.areas):
        rest = trends.areas[len(shown):]
        lines.append(f"… and {len(rest)} more areas ({sum(s.total_incidents for s in rest)} "
                     "incidents): --top 0 shows all")
    total = sum(s.total_incidents for s in trends.areas)
    if trends.unreported:
        days = ", ".join(p.label(i) for i in trends.unreported)
        lines.append(f"no document published in: {days}")
    lines.append(f"{total} incidents counted" + "".join(
        f"; {n} left out: {reason}" for reason, n in sorted(trends.left_out.items())))
    return "\n".join(lines)
