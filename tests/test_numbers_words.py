"""Numbers in digits and words: every written form reads back to its value."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rasad.extract.numbers import casualty_noun_count, find_numbers_in
from rasad.text.normalize import normalize_form


def numbers(text: str) -> list[tuple[str, int]]:
    norm = normalize_form(text)
    return [(norm[m.start:m.end], m.value) for m in find_numbers_in(norm)]


def value(text: str) -> int:
    found = numbers(text)
    assert len(found) == 1, found
    return found[0][1]


@pytest.mark.parametrize(("text", "expected"), [
    ("قتل 12 شخصا", 12),
    ("نحو 1,200 مقاتل", 1200),
    ("1,200,000 نازح", 1200000),
    ("1.5 مليون دولار", 1500000),
    ("١٢ قتيلاً", 12),  # Eastern Arabic digits
    ("12 ألفاً", 12000),
    ("3 ملايين", 3000000),
    ("واحد", 1), ("إحدى", 1), ("اثنان", 2), ("اثنتين", 2), ("ثلاث", 3), ("ثلاثة", 3),
    ("ثماني", 8), ("ثمانية", 8), ("عشر", 10), ("عشرة", 10),
    ("أحد عشر", 11), ("إحدى عشرة", 11), ("اثنا عشر", 12), ("اثنتي عشرة", 12),
    ("خمسة عشر", 15), ("تسع عشرة", 19),
    ("عشرون", 20), ("عشرين", 20), ("تسعين", 90),
    ("خمسة وعشرين", 25), ("واحد وثلاثون", 31),
    ("مائة", 100), ("مئة", 100), ("مائتان", 200), ("مئتين", 200), ("ثلاثمائة", 300),
    ("ثلاث مائة", 300), ("تسعمئة", 900),
    ("مائة وخمسة وعشرون", 125), ("ثلاثمائة واثنا عشر", 312),
    ("ألف", 1000), ("ألفين", 2000), ("ثلاثة آلاف", 3000), ("عشرة آلاف", 10000),
    ("أحد عشر ألفا", 11000), ("خمسة وعشرون ألفاً", 25000), ("مائتي ألف", 200000),
    ("ألف وخمسمائة", 1500), ("ثلاثة آلاف وخمسمائة وعشرون", 3520),
    ("مليون ومائتا ألف", 1200000), ("مليونين", 2000000),
    ("ألفي", 2000), ("مليوني", 2000000),  # the construct dual («ألفي شخص»)
    # Digits after a scale word and و add to it.
    ("240 ألفاً و381", 240381), ("ألف و500", 1500), ("مليون و200 ألف", 1200000),
    ("ثلاثة آلاف و5", 3005),
])
def test_numbers_written_forms(text: str, expected: int) -> None:
    assert value(text) == expected


def test_numbers_proclitics_stay_out_of_the_span() -> None:
    assert numbers("وخمسة جنود وبثلاثة") == [("خمسه", 5), ("ثلاثه", 3)]
    assert numbers("بين 10 و15") == [("بين 10 و15", 10)]


def test_numbers_article_forms_count_but_weekdays_do_not() -> None:
    assert numbers("الجنود الثلاثة") == [("الثلاثه", 3)]
    assert numbers("يوم الاثنين والخميس والأربعاء") == []


def test_numbers_words_joined_by_and_only_combine_in_arabic_order() -> None:
    assert numbers("خمسة وستة") == [("خمسه", 5), ("سته", 6)]
    assert numbers("قتل 5 و3 جرحى") == [("5", 5), ("3", 3)]
    assert numbers("12 ألفاً و3 آلاف") == [("12 الفا", 12000), ("3 الاف", 3000)]
    assert numbers("ألف و2015") == [("الف", 1000), ("2015", 2015)]


def test_numbers_one_of_needs_a_definite_noun() -> None:
    assert numbers("مقتل أحد الجنود") == [("احد", 1)]
    assert numbers("وقتل أحدهم") == [("احدهم", 1)]
    assert numbers("لم يصب أحد") == []


def test_numbers_casualty_nouns_carry_singular_and_dual_counts() -> None:
    assert casualty_noun_count("جنديين") == 2
    assert casualty_noun_count("قياديا") == 1  # the accusative of a listed singular
    assert casualty_noun_count("ابا") is None
    assert casualty_noun_count(normalize_form("قتيلان")) == 2
    assert casualty_noun_count("الجندي") == 1
    assert casualty_noun_count(normalize_form("امرأتين")) == 2
    assert casualty_noun_count("مدنيين") is None  # also the plural "civilians"
    assert casualty_noun_count("جنود") is None


UNITS_M = ["", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"]
UNITS_F = ["", "واحدة", "اثنتان", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثماني", "تسع"]
TEENS = {11: ["أحد عشر", "إحدى عشرة"], 12: ["اثنا عشر", "اثني عشر", "اثنتا عشرة"]}
TENS = ["", "", "عشرون", "ثلاثون", "أربعون", "خمسون", "ستون", "سبعون", "ثمانون", "تسعون"]
HUNDREDS = ["", "مائة", "مائتان", "ثلاثمائة", "أربعمائة", "خمسمائة", "ستمائة", "سبعمائة",
            "ثمانمائة", "تسعمائة"]


def below_thousand(n: int, draw: st.DrawFn) -> str:
    """Arabic words for 1 ≤ n ≤ 999, with gender, case and spelling drawn at random."""
    hundreds, rest = divmod(n, 100)
    parts = []
    if hundreds:
        word = HUNDREDS[hundreds]
        parts.append(draw(st.sampled_from([word, word.replace("مائة", "مئة")])))
    if rest:
        units = draw(st.sampled_from([UNITS_M, UNITS_F]))
        tens, unit = divmod(rest, 10)
        if rest == 10:
            parts.append(draw(st.sampled_from(["عشرة", "عشر"])))
        elif rest < 10:
            parts.append(units[unit])
        elif rest in TEENS:
            parts.append(draw(st.sampled_from(TEENS[rest])))
        elif rest < 20:
            parts.append(f"{units[unit]} {draw(st.sampled_from(['عشر', 'عشرة']))}")
        else:
            ten = TENS[tens]
            ten = draw(st.sampled_from([ten, ten[:-2] + "ين"]))  # عشرون / عشرين
            parts.append(f"{units[unit]} و{ten}" if unit else ten)
    return " و".join(parts)


@st.composite
def arabic_number(draw: st.DrawFn) -> tuple[int, str]:
    n = draw(st.integers(min_value=1, max_value=999_999))
    thousands, rest = divmod(n, 1000)
    parts = []
    if thousands == 1:
        parts.append("ألف")
    elif thousands == 2:
        parts.append(draw(st.sampled_from(["ألفان", "ألفين"])))
    elif 3 <= thousands <= 10:
        parts.append(below_thousand(thousands, draw) + " آلاف")
    elif thousands:
        parts.append(below_thousand(thousands, draw) + draw(st.sampled_from([" ألف", " ألفا"])))
    if rest:
        parts.append(below_thousand(rest, draw))
    return n, " و".join(parts)


@given(arabic_number())
def test_numbers_any_number_below_a_million_in_words_reads_back(case: tuple[int, str]) -> None:
    n, words = case
    assert numbers(f"قتل {words} شخصا") == [(normalize_form(words), n)]


@given(st.integers(min_value=1, max_value=999_999_999))
def test_numbers_digits_read_back(n: int) -> None:
    assert numbers(f"وصل {n} لاجئا") == [(str(n), n)]
    assert numbers(f"وصل {n:,} لاجئا") == [(f"{n:,}", n)]
