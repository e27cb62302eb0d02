"""Vague quantities, qualifiers, ranges, and numbers that count nothing."""

from rasad.extract.numbers import find_numbers_in
from rasad.text.normalize import normalize_form


def numbers(text: str) -> list[tuple[str, int, str, int | None, bool, bool]]:
    norm = normalize_form(text)
    return [(norm[m.start:m.end], m.value, m.qualifier, m.upper, m.approximate, m.vague)
            for m in find_numbers_in(norm)]


def test_numbers_vague_quantities_take_acled_figures() -> None:
    assert numbers("مقتل عشرات المدنيين") == [("عشرات", 10, "", None, True, True)]
    assert numbers("العشرات من الجرحى")[0][1] == 10
    assert numbers("مئات المتظاهرين")[0][1] == 100
    assert numbers("آلاف النازحين")[0][1] == 1000
    assert numbers("عشرات الآلاف")[0][:2] == ("عشرات الالاف", 10000)
    assert numbers("مئات الآلاف")[0][:2] == ("ميات الالاف", 100000)
    assert numbers("بضعة آلاف")[0][:2] == ("بضعه الاف", 3000)
    assert numbers("عدة قرى")[0][:2] == ("عده", 3)
    assert numbers("عدد من القتلى")[0][:2] == ("عدد من", 3)


def test_numbers_qualifiers_are_in_the_span_and_keep_the_lower_figure() -> None:
    assert numbers("قتل نحو 20 شخصا") == [("نحو 20", 20, "about", None, True, False)]
    assert numbers("حوالى 15") == [("حوالي 15", 15, "about", None, True, False)]
    assert numbers("أكثر من 12 قتيلا") == [("اكثر من 12", 12, "more_than", None, True, False)]
    assert numbers("ما يزيد على 30") == [("ما يزيد علي 30", 30, "more_than", None, True, False)]
    assert numbers("ما لا يقل عن خمسة") == [("ما لا يقل عن خمسه", 5, "at_least", None, True,
                                             False)]
    assert numbers("قرابة مئة")[0][:3] == ("قرابه ميه", 100, "about")
    assert numbers("12 على الأقل") == [("12 علي الاقل", 12, "at_least", None, True, False)]


def test_numbers_upper_bounds_keep_the_least_that_is_still_something() -> None:
    assert numbers("أقل من 10 أشخاص") == [("اقل من 10", 1, "less_than", 9, True, False)]
    assert numbers("لا يتجاوز 5") == [("لا يتجاوز 5", 1, "at_most", 5, True, False)]


def test_numbers_ranges_keep_the_lower_figure() -> None:
    assert numbers("بين 10 و15 قتيلا") == [("بين 10 و15", 10, "range", 15, True, False)]
    assert numbers("من 10 إلى 15")[0][:4] == ("من 10 الي 15", 10, "range", 15)
    assert numbers("10-15 قتيلا")[0][:4] == ("10-15", 10, "range", 15)
    assert numbers("خمسة أو ستة")[0][:4] == ("خمسه او سته", 5, "range", 6)
    assert numbers("بين 4500 و5 آلاف")[0][:4] == ("بين 4500 و5 الاف", 4500, "range", 5000)
    assert numbers("من 5 أشخاص") == [("5", 5, "", None, False, False)]  # no second figure


def test_numbers_that_count_nothing_are_left_out() -> None:
    assert numbers("صدر القرار 2216") == []
    assert numbers("مقاتلو الفرقة 30") == []
    assert numbers("في الساعة 10:30 صباحا") == []
    assert numbers("بنسبة 50% و40 في المائة") == []
    assert numbers("بقوة 5.9 درجات") == []
    assert numbers("القرن الحادي عشر والتاسع عشر") == []
    assert numbers("الاتصال على 0501234567") == []
    assert numbers("طائرة إف 16") == []
    assert numbers("كمية كبيرة ولست أدري") == []


def test_numbers_leave_out_excluded_spans() -> None:
    norm = normalize_form("في 20 يوليو قتل 5")
    start = norm.index("20")
    assert [m.value for m in find_numbers_in(norm, exclude=[(start, start + 8)])] == [5]
