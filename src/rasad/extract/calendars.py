"""Calendar arithmetic for resolving Arabic date expressions: Hijri (Umm al-Qura, through
hijridate) and Gregorian days, weekdays before or after a reference day, the Sunday–Saturday week
and its middle, and the year of a month or day written without one.  Pure functions of dates;
`rasad.extract.dates` reads the expressions and calls these to resolve them.
"""

from __future__ import annotations

import datetime as dt

from hijridate import Gregorian, Hijri

LOOKAHEAD_DAYS = 60
"""How far after `published` a date without a year may fall before it is read as last year's."""
NEAREST_WEEKDAY_DAYS = 3


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian day of a Hijri (Umm al-Qura) date; None when invalid or out of range."""
    try:
        return Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None


def gregorian_to_hijri(day: dt.date) -> tuple[int, int, int] | None:
    """(year, month, day) of the Hijri (Umm al-Qura) date of `day`; None out of range."""
    try:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
    except (ValueError, OverflowError):
        return None
    return int(h.year), int(h.month), int(h.day)


def most_recent_weekday(weekday: int, reference: dt.date, strict: bool = False) -> dt.date:
    """The latest day with Python `weekday` on or before `reference` (before, if `strict`)."""
    back = (reference.weekday() - weekday) % 7
    if strict and back == 0:
        back = 7
    return reference - dt.timedelta(days=back)


def next_weekday(weekday: int, reference: dt.date) -> dt.date:
    """The first day with Python `weekday` strictly after `reference`."""
    ahead = (weekday - reference.weekday()) % 7 or 7
    return reference + dt.timedelta(days=ahead)


def nearest_weekday(weekday: int, reference: dt.date) -> dt.date:
    """The day with Python `weekday` within three days of `reference` (earlier on a tie)."""
    back = (reference.weekday() - weekday) % 7
    return reference - dt.timedelta(days=back) if back <= NEAREST_WEEKDAY_DAYS \
        else reference + dt.timedelta(days=7 - back)


def week_start(day: dt.date) -> dt.date:
    """The Sunday that starts the Sunday–Saturday week holding `day`."""
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def week_middle(day: dt.date) -> dt.date:
    """The Wednesday of the Sunday–Saturday week holding `day` (ACLED codes a week's middle)."""
    return week_start(day) + dt.timedelta(days=3)


def resolve_relative_date(offset_days: int, published: dt.date | None) -> dt.date | None:
    """`published` moved by `offset_days` («أمس» −1, «أول من أمس» −2); None without it, or when
    the day falls outside the calendar («منذ 3000000 أسبوع»)."""
    if published is None:
        return None
    try:
        return published + dt.timedelta(days=offset_days)
    except OverflowError:
        return None


def month_start(calendar: str, year: int, month: int) -> dt.date | None:
    """The first day of a month of `calendar` ("gregorian" or "hijri"), None when invalid."""
    if calendar == "hijri":
        return hijri_to_gregorian(year, month, 1)
    return dt.date(year, month, 1) if 1 <= month <= 12 and 1 <= year <= 9999 else None


def calendar_date(calendar: str, year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian day of a day of `calendar`, None when it does not exist."""
    if calendar == "hijri":
        return hijri_to_gregorian(year, month, day)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def infer_year(calendar: str, month: int, day: int | None, modifier: str,
               published: dt.date) -> int | None:
    """The year (in `calendar`) of a month, or day and month, given without one.

    «الماضي» (past) takes the latest such month/day before `published`, «الجاري/الحالي» the current
    year, «المقبل» the next one after; with no modifier, the latest one on or before `published`
    unless it falls at most `LOOKAHEAD_DAYS` after it (an announced date).
    """
    if calendar == "hijri":
        hijri = gregorian_to_hijri(published)
        if hijri is None:
            return None
        year, now_month, now_day = hijri
    else:
        year, now_month, now_day = published.year, published.month, published.day
    mentioned = (month, day or 0)
    now = (now_month, now_day if day else 0)
    if modifier == "past":
        return year if mentioned < now else year - 1
    if modifier == "current":
        return year
    if modifier == "next":
        return year if mentioned > now else year + 1
    first = (calendar_date(calendar, year, month, day) if day
             else month_start(calendar, year, month))
    if first is not None and first > published + dt.timedelta(days=LOOKAHEAD_DAYS):
        return year - 1
    return year
