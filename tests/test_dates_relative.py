"""Weekdays and words relative to the publication date, and the calendar helpers behind them."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dates_helpers import TUESDAY, dates, one_date
from rasad.extract.calendars import (
    most_recent_weekday,
    nearest_weekday,
    next_weekday,
    resolve_relative_date,
    week_middle,
    week_start,
)

SATURDAY = dt.date(2015, 8, 1)


def test_dates_weekday_is_the_latest_such_day_on_or_before_publication() -> None:
    assert one_date("قتل يوم الجمعة") == ("2015-07-31", 1, "weekday")
    assert one_date("وقع الهجوم الخميس الماضي") == ("2015-07-30", 1, "weekday")
    assert one_date("أعلن الثلاثاء") == ("2015-08-04", 1, "weekday")
    assert one_date("أعلن الثلاثاء الماضي") == ("2015-07-28", 1, "weekday")
    assert one_date("الاثنين قبل الماضي") == ("2015-07-27", 1, "weekday")


def test_dates_weekday_after_a_relative_word_is_the_nearest_such_day() -> None:
    # Papers dated Tuesday often say «اليوم (الاثنين)»: the day the story was filed.
    assert one_date("أعلن اليوم (الاثنين)") == ("2015-08-03", 1, "weekday")
    assert one_date("قال أمس الأحد") == ("2015-08-02", 1, "weekday")
    assert one_date("صرح أمس (الجمعة)", SATURDAY) == ("2015-07-31", 1, "weekday")
    # The written weekday wins over the relative word when they disagree.
    assert one_date("صرح أمس (السبت)", SATURDAY) == ("2015-08-01", 1, "weekday")
    assert one_date("تظاهرات غدا الأربعاء") == ("2015-08-05", 1, "future")


def test_dates_parts_of_the_day_do_not_move_the_day() -> None:
    assert dates("قصف مساء الأربعاء") == [("مساء الاربعاء", "2015-07-29", 1, "weekday")]
    assert one_date("فجر السبت") == ("2015-08-01", 1, "weekday")
    assert one_date("صباح يوم الخميس") == ("2015-07-30", 1, "weekday")
    assert dates("فجر اليوم") == [("فجر اليوم", "2015-08-04", 1, "relative")]
    assert one_date("مساء أمس") == ("2015-08-03", 1, "relative")


def test_dates_night_between_two_days_is_the_first() -> None:
    assert dates("ليل السبت الأحد") == [("ليل السبت الاحد", "2015-08-01", 1, "weekday")]
    assert one_date("مساء السبت - الأحد") == ("2015-08-01", 1, "weekday")


def test_dates_relative_days() -> None:
    assert one_date("أمس") == ("2015-08-03", 1, "relative")
    assert one_date("بالأمس") == ("2015-08-03", 1, "relative")
    assert one_date("أول من أمس") == ("2015-08-02", 1, "relative")
    assert one_date("أمس الأول") == ("2015-08-02", 1, "relative")
    assert one_date("الليلة الماضية") == ("2015-08-03", 1, "relative")
    assert one_date("قبل يومين") == ("2015-08-02", 1, "relative")
    assert one_date("منذ ثلاثة أيام") == ("2015-08-01", 1, "relative")
    assert one_date("قبل 10 أيام") == ("2015-07-25", 1, "relative")
    assert one_date("قبل أسبوع") == ("2015-07-28", 2, "relative")
    assert one_date("خلال الساعات الماضية") == ("2015-08-04", 2, "relative")
    assert one_date("خلال الـ24 ساعة الماضية") == ("2015-08-04", 1, "relative")
    assert one_date("بعد غد") == ("2015-08-06", 1, "future")


def test_dates_weeks_are_their_wednesday_and_months_their_middle() -> None:
    assert one_date("الأسبوع الماضي") == ("2015-07-29", 2, "relative")
    assert one_date("هذا الأسبوع") == ("2015-08-04", 2, "relative")  # not after publication
    assert one_date("هذا الأسبوع", SATURDAY) == ("2015-07-29", 2, "relative")
    assert one_date("الأسبوع المقبل") == ("2015-08-12", 2, "future")
    assert one_date("الشهر الماضي") == ("2015-07-15", 3, "relative")
    assert one_date("الشهر الجاري") == ("2015-08-04", 3, "relative")


def test_dates_relative_words_without_publication_date_are_kept_unresolved() -> None:
    assert dates("قتل أمس الجمعة", None) == [("امس الجمعه", "", 1, "weekday")]
    assert dates("الأسبوع الماضي", None) == [("الاسبوع الماضي", "", 2, "relative")]


def test_dates_institutions_and_the_noun_day_are_not_dates() -> None:
    assert dates("ألقى خطبة الجمعة") == []
    assert dates("احتفلت المملكة باليوم الوطني") == []
    assert dates("وفي اليوم التالي") == []
    assert dates("في مثل هذا اليوم") == []


def test_dates_weekday_pairs_are_ranges() -> None:
    assert dates("يومي الأحد والاثنين") == [("الاحد والاثنين", "2015-08-02", 1, "range")]


def test_dates_resolve_relative_date() -> None:
    assert resolve_relative_date(-2, TUESDAY) == dt.date(2015, 8, 2)
    assert resolve_relative_date(-1, None) is None


days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))


@given(days, st.integers(min_value=0, max_value=6), st.booleans())
def test_dates_most_recent_weekday_property(reference: dt.date, weekday: int,
                                            strict: bool) -> None:
    day = most_recent_weekday(weekday, reference, strict)
    assert day.weekday() == weekday
    back = (reference - day).days
    assert (1 <= back <= 7) if strict else (0 <= back <= 6)


@given(days, st.integers(min_value=0, max_value=6))
def test_dates_next_and_nearest_weekday_properties(reference: dt.date, weekday: int) -> None:
    after = next_weekday(weekday, reference)
    assert after.weekday() == weekday and 1 <= (after - reference).days <= 7
    near = nearest_weekday(weekday, reference)
    assert near.weekday() == weekday and -3 <= (near - reference).days <= 3


@given(days)
def test_dates_week_middle_is_the_wednesday_of_the_sunday_week(day: dt.date) -> None:
    middle = week_middle(day)
    assert middle.weekday() == 2  # Wednesday
    assert week_start(day).weekday() == 6  # Sunday
    assert 0 <= (day - week_start(day)).days <= 6
    assert week_start(middle) == week_start(day)


def test_dates_after_midnight_of_a_named_night_is_the_next_day() -> None:
    # Tuesday 4 August: «بعد منتصف ليل» a night named by its weekday is the next calendar day.
    assert one_date("دارت اشتباكات بعد منتصف ليل الأحد - الاثنين") == ("2015-08-03", 1, "weekday")
    assert one_date("قصفت القوات بعد منتصف ليل السبت مواقع") == ("2015-08-02", 1, "weekday")
    # Without «بعد» the night is its first day, and a relative night keeps its day.
    assert one_date("منتصف ليل الأحد - الاثنين") == ("2015-08-02", 1, "weekday")
    assert one_date("قصفت بعد منتصف ليل أمس") == ("2015-08-03", 1, "relative")


def test_dates_relative_words_count_from_the_writers_day() -> None:
    # A paper dated Tuesday that says «أمس الأحد» was written on Monday: its other «أمس» is
    # Sunday too, and so is «فجر أمس»; «اليوم» is Monday.
    text = "قال يوم أمس الأحد. وقصفت بعد منتصف ليل أمس مناطق، ودارت فجر أمس اشتباكات اليوم"
    assert [d[1] for d in dates(text)] == ["2015-08-02", "2015-08-02", "2015-08-02",
                                          "2015-08-03"]
    # A weekday that agrees with the paper's date shifts nothing.
    assert [d[1] for d in dates("قال أمس الاثنين. وقصفت فجر أمس")] == ["2015-08-03",
                                                                     "2015-08-03"]
    # Two named weekdays that disagree with each other shift nothing either.
    assert [d[1] for d in dates("قال أمس الأحد. وأعلن أمس الاثنين. وقصفت أمس")][-1] == \
        "2015-08-03"


def test_dates_since_after_a_superlative_compares_and_does_not_date() -> None:
    assert dates("وقع أعنف قتال منذ شهر") == []
    assert dates("في أكبر هجوم على المدينة منذ عامين") == []
    # «منذ» with no superlative before it in its clause still dates.
    assert one_date("خطف منذ ثلاثة أيام") == ("2015-08-01", 1, "relative")
    assert one_date("أعنف قتال، وقتل منذ ثلاثة أيام") == ("2015-08-01", 1, "relative")


def test_dates_a_relative_day_corrected_in_brackets_is_the_papers() -> None:
    # «اليوم (أمس)»: the source's «today» is the paper's yesterday; the paper's own words keep
    # counting from its date.
    assert dates("خطفت المجموعة اليوم (أمس)، وقال أمس") == [
        ("اليوم (امس)", "2015-08-03", 1, "relative"), ("امس", "2015-08-03", 1, "relative")]
    assert one_date("وصلت أمس (اليوم)") == ("2015-08-04", 1, "relative")


def test_dates_a_counted_period_before_a_word_that_only_starts_a_day_word() -> None:
    # «بعد» starts «بعد غد», but «بعد مقتل» is no day: «منذ نحو أسبوعين» is read.
    assert one_date("شنت غارات منذ نحو أسبوعين بعد مقتل جندي") == ("2015-07-21", 2, "relative")
    assert one_date("منذ يومين بعد غد") == ("2015-08-06", 1, "future")
