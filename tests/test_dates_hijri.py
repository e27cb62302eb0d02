"""Hijri (Umm al-Qura) dates and expressions that write one day twice."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dates_helpers import dates, one_date
from rasad.extract.calendars import gregorian_to_hijri, hijri_to_gregorian

SATURDAY = dt.date(2015, 8, 8)


def test_dates_hijri_day_month_year() -> None:
    assert dates("في 15 شوال 1436 هـ") == [("15 شوال 1436 ه", "2015-07-31", 1, "hijri")]
    assert one_date("حتى 29 ذي القعدة 1436هـ") == ("2015-09-13", 1, "future")
    assert dates("حتى 30 ذي القعدة 1436هـ") == [("30 ذي القعده 1436ه", "", 1, "hijri")]  # 29 days
    assert one_date("بتاريخ 10/10/1436هـ") == ("2015-07-26", 1, "hijri")
    assert one_date("حتى 1436/10/30 هـ") == ("2015-08-15", 1, "future")  # 10 Shawwal + 20
    assert one_date("في الحادي والعشرين من رمضان") == ("2015-07-08", 1, "hijri")


def test_dates_hijri_year_month_day_with_the_letter_on_the_day() -> None:
    # Saudi papers write «1436/10/20هـ» with the calendar's letter joined to the day.
    assert one_date("الموافق 1436/10/10هـ") == ("2015-07-26", 1, "hijri")
    assert one_date("بتاريخ 1436/9/5ه") == ("2015-06-22", 1, "hijri")
    # The Gregorian letter on a Hijri year is no date; a Gregorian year takes it.
    assert dates("1436/10/10م") == []
    assert one_date("في 2015/7/21م") == ("2015-07-21", 1, "absolute")


def test_dates_hijri_months_without_a_day() -> None:
    assert one_date("خلال شهر رمضان المبارك") == ("2015-07-02", 3, "month")
    assert one_date("في رمضان الماضي") == ("2015-07-02", 3, "month")
    assert one_date("منتصف ذي القعدة") == ("2015-08-30", 2, "future")
    # «رمضان» and «رجب» alone are names, not months.
    assert dates("قال رمضان عبد الله") == []
    assert dates("رجب طيب أردوغان") == []
    assert dates("النتيجة صفر") == []


def test_dates_weekday_with_hijri_date_takes_the_written_day() -> None:
    assert dates("يوم الخميس الماضي 21 شوال 1436 هـ", SATURDAY) == [
        ("يوم الخميس الماضي 21 شوال 1436 ه", "2015-08-06", 1, "hijri")]


def test_dates_hijri_and_gregorian_together_make_one_mention_with_the_gregorian_day() -> None:
    found = dates("الاثنين 20 شوال 1436هـ الموافق 3 أغسطس 2015م")
    assert found == [("الاثنين 20 شوال 1436ه الموافق 3 اغسطس 2015م", "2015-08-03", 1,
                      "absolute")]


def test_dates_hijri_year_alone_covers_its_gregorian_span() -> None:
    from rasad.extract.dates import find_dates_in
    from rasad.text.normalize import normalize_form
    [year] = find_dates_in(normalize_form("في عام 1436هـ"), dt.date(2015, 8, 4))
    assert (year.kind, year.date, year.end_date) == (
        "year", dt.date(2014, 10, 25), dt.date(2015, 10, 13))


@given(st.dates(min_value=dt.date(1937, 3, 14), max_value=dt.date(2076, 11, 1)))
def test_dates_hijri_conversion_round_trips(day: dt.date) -> None:
    hijri = gregorian_to_hijri(day)
    assert hijri is not None
    assert hijri_to_gregorian(*hijri) == day


def test_dates_invalid_hijri_dates_are_none() -> None:
    assert hijri_to_gregorian(1436, 13, 1) is None
    assert hijri_to_gregorian(1200, 1, 1) is None


def test_dates_days_of_the_feasts() -> None:
    # Eid al-Fitr 1436 fell on 17 July 2015 (Umm al-Qura), Eid al-Adha on 23 September.
    assert one_date("قصفت صبيحة عيد الفطر") == ("2015-07-17", 1, "hijri")
    assert one_date("في ثالث أيام عيد الفطر") == ("2015-07-19", 1, "hijri")
    assert one_date("وثاني أيام عيد الأضحى", dt.date(2015, 10, 1)) == ("2015-09-24", 1, "hijri")
    assert one_date("أول أيام عيد الأضحى") == ("2015-09-23", 1, "future")
    # The feast named alone is a season or a greeting, not a day.
    assert dates("هنأ المواطنين بعيد الفطر المبارك") == []
