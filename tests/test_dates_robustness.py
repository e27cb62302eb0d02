"""The finders never fail on arbitrary text and always return spans inside it."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from rasad.extract.dates import find_dates_in
from rasad.extract.fatalities import event_fatalities, find_fatalities_in
from rasad.extract.numbers import find_numbers_in
from rasad.text.normalize import normalize_form

# Words the finders react to, mixed with digits, punctuation and plain words.
WORDS = ["قتل", "مقتل", "قتيلا", "جرحى", "وإصابة", "بينهم", "منهم", "أمس", "اليوم", "الجمعة",
         "الماضي", "المقبل", "يوليو", "تموز", "كانون", "الثاني", "شوال", "هـ", "عام", "خمسة",
         "وعشرين", "ألف", "آلاف", "عشرات", "نحو", "أكثر", "من", "بين", "و", "إلى", "الأسبوع",
         "الشهر", "قبل", "يومين", "مطلع", "ليل", "السبت", "الأحد", "لقوا", "مصرعهم", "حصيلة",
         "القتلى", "2015", "1436", "12", "7", "/", "-", ".", "،", "(", ")", "%", "\n", "الجيش"]

text_strategy = st.lists(st.sampled_from(WORDS) | st.text(max_size=4), max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text_strategy, st.none() | st.dates(min_value=dt.date(1950, 1, 1),
                                           max_value=dt.date(2070, 12, 31)))
def test_finders_accept_any_text(raw: str, published: dt.date | None) -> None:
    text = normalize_form(raw)
    for mention in find_dates_in(text, published):
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.time_precision in (1, 2, 3)
    for number in find_numbers_in(text):
        assert 0 <= number.start < number.end <= len(text)
        assert number.value >= 0
    figures = find_fatalities_in(text)
    for figure in figures:
        assert 0 <= figure.start < figure.end <= len(text)
    combined = event_fatalities(figures)
    assert combined is None or combined[0] >= 0
