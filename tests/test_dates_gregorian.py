"""Gregorian dates: month names of every region, combined forms, numeric dates, years, ranges."""

import datetime as dt

import pytest

from dates_helpers import TUESDAY, dates, one_date
from rasad.extract.calendars import LOOKAHEAD_DAYS, infer_year


@pytest.mark.parametrize(("text", "expected"), [
    ("وقع الهجوم في 14 كانون الثاني 2015", "2015-01-14"),  # Levantine/Iraqi
    ("في 3 شباط 2014", "2014-02-03"),
    ("في 9 آذار 2015", "2015-03-09"),
    ("في 22 تشرين الأول 2014", "2014-10-22"),
    ("في 5 كانون الأول 2014", "2014-12-05"),
    ("في 14 يناير 2015", "2015-01-14"),  # Egyptian/Gulf
    ("في 30 يونيه 2015", "2015-06-30"),
    ("في 2 يوليه 2015", "2015-07-02"),
    ("في 8 إبريل 2015", "2015-04-08"),
    ("في 19 آغسطس 2014", "2014-08-19"),
    ("في 4 جانفي 2015", "2015-01-04"),  # Maghrebi
    ("في 11 جويلية 2015", "2015-07-11"),
    ("في 15 أوت 2014", "2014-08-15"),
    ("في 7 ماي 2015", "2015-05-07"),
    ("في 12 جوان 2015", "2015-06-12"),
    ("في 3 شتنبر 2014", "2014-09-03"),  # Moroccan
])
def test_dates_month_names_of_every_region(text: str, expected: str) -> None:
    assert one_date(text) == (expected, 1, "absolute")


def test_dates_combined_month_forms_make_one_mention() -> None:
    assert dates("قتل في 14 يناير (كانون الثاني) الماضي") == [
        ("14 يناير (كانون الثاني) الماضي", "2015-01-14", 1, "absolute")]
    assert dates("بدأ الهجوم في 20 تموز/يوليو") == [
        ("20 تموز/يوليو", "2015-07-20", 1, "absolute")]
    assert dates("في 3 حزيران ( يونيو ) 2013") == [
        ("3 حزيران ( يونيو ) 2013", "2013-06-03", 1, "absolute")]


def test_dates_ordinal_day_words() -> None:
    assert one_date("في الأول من يوليو") == ("2015-07-01", 1, "absolute")
    assert one_date("في الرابع من تموز/يوليو") == ("2015-07-04", 1, "absolute")
    assert one_date("في الحادي عشر من يونيو") == ("2015-06-11", 1, "absolute")
    assert one_date("في الثالث والعشرين من يوليو") == ("2015-07-23", 1, "absolute")
    assert one_date("في الـ20 من يوليو") == ("2015-07-20", 1, "absolute")


def test_dates_without_year_take_the_latest_year_not_after_publication() -> None:
    assert one_date("في 14 يناير") == ("2015-01-14", 1, "absolute")
    assert one_date("في 20 ديسمبر") == ("2014-12-20", 1, "absolute")
    # A date shortly after publication is an announced one, in the same year.
    assert one_date("في 20 أغسطس") == ("2015-08-20", 1, "future")
    assert one_date("في 20 أغسطس المقبل") == ("2015-08-20", 1, "future")
    assert one_date("في 2 أغسطس الماضي") == ("2015-08-02", 1, "absolute")
    assert one_date("في 20 أغسطس الماضي") == ("2014-08-20", 1, "absolute")
    assert one_date("يوم 30 يوليو الجاري") == ("2015-07-30", 1, "absolute")


def test_dates_infer_year_rules() -> None:
    published = dt.date(2015, 8, 4)
    assert infer_year("gregorian", 7, None, "past", published) == 2015
    assert infer_year("gregorian", 8, None, "past", published) == 2014
    assert infer_year("gregorian", 8, None, "next", published) == 2016
    assert infer_year("gregorian", 9, None, "next", published) == 2015
    assert infer_year("gregorian", 12, 1, "", published) == 2014
    soon = published + dt.timedelta(days=LOOKAHEAD_DAYS)
    assert infer_year("gregorian", soon.month, soon.day, "", published) == 2015


def test_dates_month_alone_is_its_middle_with_precision_3() -> None:
    assert one_date("في يونيو الماضي") == ("2015-06-15", 3, "month")
    assert one_date("منذ مارس الماضي") == ("2015-03-15", 3, "month")
    assert one_date("في ديسمبر") == ("2014-12-15", 3, "month")
    assert one_date("يوليو من العام الماضي") == ("2014-07-15", 3, "month")
    # The current month is never coded after the report.
    assert one_date("في أغسطس الجاري") == ("2015-08-04", 3, "month")


def test_dates_parts_of_a_month_have_precision_2() -> None:
    assert one_date("في أواخر يونيو") == ("2015-06-25", 2, "month")
    assert one_date("مطلع تموز") == ("2015-07-05", 2, "month")
    assert one_date("منتصف الشهر الماضي") == ("2015-07-15", 2, "relative")
    assert one_date("مطلع الشهر الجاري") == ("2015-08-04", 2, "relative")


def test_dates_month_names_with_another_sense_need_context() -> None:
    assert dates("مارس الجيش ضغوطا كبيرة") == []
    assert dates("في محافظات حضرموت وإب ومأرب") == []
    assert dates("قال الرئيس رجب طيب أردوغان") == []
    assert dates("سيارة نيسان بيضاء") == []
    assert one_date("في مارس") == ("2015-03-15", 3, "month")
    assert one_date("في 15 آب") == ("2015-08-15", 1, "future")
    assert one_date("منذ آب الماضي") == ("2014-08-15", 3, "month")


@pytest.mark.parametrize(("text", "expected", "kind"), [
    ("بتاريخ 2015/7/21", "2015-07-21", "absolute"),
    ("بتاريخ 21-7-2015", "2015-07-21", "absolute"),
    ("في 21.7.2015", "2015-07-21", "absolute"),
    ("في 1 / 07 / 2015", "2015-07-01", "absolute"),
    ("يوم الأحد 19/7", "2015-07-19", "absolute"),
    ("بتاريخ 30-07-2015م", "2015-07-30", "absolute"),
])
def test_dates_numeric(text: str, expected: str, kind: str) -> None:
    assert one_date(text) == (expected, 1, kind)


def test_dates_numeric_lookalikes_are_not_dates() -> None:
    assert dates("فاز الفريق 2-1 وسجل 3/1 في الشوط") == []
    assert dates("زلزال بقوة 5.9 درجات") == []
    assert dates("أضف 1/2 كوب من الماء") == []


def test_dates_ranges_give_the_first_day_and_the_last() -> None:
    norm_found = dates("جرت المعارك بين 20 و22 يوليو")
    assert norm_found == [("بين 20 و22 يوليو", "2015-07-20", 1, "range")]
    assert dates("من 15 إلى 21 يوليو الحالي")[0][1:] == ("2015-07-15", 1, "range")
    assert dates("يومي 13 و14 يونيو")[0][1:] == ("2015-06-13", 1, "range")
    assert dates("خلال الفترة 22-24 يوليو")[0][1:] == ("2015-07-22", 1, "range")
    assert dates("من 30 يونيو إلى 2 يوليو")[0][1:] == ("2015-06-30", 1, "range")


def test_dates_range_end_date() -> None:
    from rasad.extract.dates import find_dates_in
    from rasad.text.normalize import normalize_form
    [mention] = find_dates_in(normalize_form("بين 20 و22 يوليو"), TUESDAY)
    assert (mention.date, mention.end_date) == (dt.date(2015, 7, 20), dt.date(2015, 7, 22))


def test_dates_years_alone_are_background_years() -> None:
    assert dates("منذ عام 2014") == [("عام 2014", "2014-01-01", 3, "year")]
    assert dates("اندلعت الثورة في 2011") == [("2011", "2011-01-01", 3, "year")]
    assert dates("في العام الماضي") == [("العام الماضي", "2014-01-01", 3, "year")]
    assert dates("هذا العام") == [("هذا العام", "2015-01-01", 3, "year")]
    assert dates("قتل 2011 شخصا") == []  # a bare number without a cue is a count
