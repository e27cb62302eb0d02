"""Which stored events an export or an event search keeps: `EventFilter`.

Built from the command-line options by `EventFilter.build` (which checks every value: an unknown
country or event type, or a date that is not ``YYYY-MM-DD``, is E304) and applied to contract
event records by `EventFilter.matches`.  Filters compose: an event is kept when it passes every
filter given; a filter given several values (``--country SY --country IQ``) keeps an event that
has any of them.

- country: ISO alpha-2 or alpha-3 code or ACLED's English name («SY», «SYR», «Syria»);
- admin1: the first-level division, compared across spellings («Idlib Governorate» = «Idlib»,
  `rasad.eval.match.admin1_key`);
- type: an event type or a sub-event type, any case («Battles», «air/drone strike»);
- since / until: the event date, both ends included; an event without a date is dropped when
  either is given;
- no_background: drops events marked ``background`` (dated well before publication);
- asserted_only: keeps only events whose modality is ``asserted``.

`filter_records` applies a filter to whole documents (the JSON Lines export): a document keeps
only its matching events, and a document left with none is dropped; without any filter every
document is kept as stored, events or not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rasad.countries import all_countries
from rasad.errors import StoreError
from rasad.eval.match import admin1_key
from rasad.records import EVENT_TYPES

_TYPES = {name.casefold(): name for event_type, subs in EVENT_TYPES.items()
          for name in (event_type, *subs)}


def _filter_error(message: str) -> StoreError:
    return StoreError(message, code="E304")


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    """Every country's alpha-2 code by its alpha-2, alpha-3 and name, casefolded (the first
    country that has a key keeps it)."""
    codes: dict[str, str] = {}
    for info in all_countries():
        for key in (info.alpha2, info.alpha3, info.name):
            codes.setdefault(key.casefold(), info.alpha2)
    return codes


def country_code(name: str) -> str:
    """The ISO alpha-2 code of a country given by code or ACLED name (E304 when unknown)."""
    code = _country_codes().get(name.strip().casefold())
    if code is not None:
        return code
    raise _filter_error(f"unknown country {name!r}: give an ISO code (SY, SYR) or its English "
                        "name (Syria)")


def _date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise _filter_error(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What an event must be to be kept (empty sets and None: no condition)."""

    countries: frozenset[str] = frozenset()
    admin1: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    since: str | None = None
    until: str | None = None
    no_background: bool = False
    asserted_only: bool = False

    @classmethod
    def build(cls, countries: Iterable[str] = (), admin1: Iterable[str] = (),
              types: Iterable[str] = (), since: str | None = None, until: str | None = None,
              no_background: bool = False, asserted_only: bool = False) -> EventFilter:
        """A filter from option values, each checked (E304 for an unknown or malformed one)."""
        kinds = []
        for name in types:
            if name.strip().casefold() not in _TYPES:
                raise _filter_error(f"unknown event type {name!r}: give an ACLED event type or "
                                    f"sub-event type ({', '.join(EVENT_TYPES)}, …)")
            kinds.append(_TYPES[name.strip().casefold()])
        first, last = _date(since, "--since"), _date(until, "--until")
        if first and last and first > last:
            raise _filter_error(f"--since {first} is after --until {last}")
        return cls(frozenset(country_code(c) for c in countries),
                   frozenset(admin1_key(a) for a in admin1), frozenset(kinds), first, last,
                   no_background, asserted_only)

    @property
    def active(self) -> bool:
        """True when the filter can drop an event."""
        return bool(self.countries or self.admin1 or self.types or self.since or self.until
                    or self.no_background or self.asserted_only)

    def matches(self, event: dict[str, Any]) -> bool:
        """True when the contract `event` passes every condition."""
        location = event.get("location") or {}
        if self.countries and location.get("country") not in self.countries:
            return False
        if self.admin1 and admin1_key(location.get("admin1") or "") not in self.admin1:
            return False
        if self.types and not {event.get("event_type"), event.get("sub_event_type")} & self.types:
            return False
        if self.since or self.until:
            date = str(event.get("event_date") or "")[:10]
            if not date or date < (self.since or date) or date > (self.until or date):
                return False
        if self.no_background and event.get("background"):
            return False
        return not (self.asserted_only and event.get("modality") != "asserted")


def filter_records(records: Iterable[dict[str, Any]], event_filter: EventFilter
                   ) -> Iterator[dict[str, Any]]:
    """Documents with only the events `event_filter` keeps; those left with none are dropped
    (every document, unchanged, when the filter is not active)."""
    for record in records:
        if not event_filter.active:
            yield record
            continue
        events = [e for e in record.get("events", []) if event_filter.matches(e)]
        if events:
            yield {**record, "events": events}
