"""Shared helpers for the date, number and fatality tests: run a finder on ordinary Arabic."""

from __future__ import annotations

import datetime as dt

from rasad.extract.dates import find_dates_in
from rasad.text.normalize import normalize_form

TUESDAY = dt.date(2015, 8, 4)  # the publication date most tests resolve against


def dates(text: str, published: dt.date | None = TUESDAY) -> list[tuple[str, str, int, str]]:
    """(normalised surface, ISO date or "", time_precision, kind) of each date mention."""
    norm = normalize_form(text)
    return [(norm[m.start:m.end], m.date.isoformat() if m.date else "", m.time_precision, m.kind)
            for m in find_dates_in(norm, published)]


def one_date(text: str, published: dt.date | None = TUESDAY) -> tuple[str, int, str]:
    """(ISO date, time_precision, kind) of the only date mention of `text`."""
    found = dates(text, published)
    assert len(found) == 1, found
    return found[0][1:]
