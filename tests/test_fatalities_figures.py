"""Death figures: what ties a number to the dead, and what does not."""

from rasad.extract.fatalities import find_fatalities_in, victim_lemma
from rasad.text.normalize import normalize_form


def figures(text: str) -> list[tuple[str, int, str]]:
    """(normalised span, value, role) of every death figure in `text`."""
    norm = normalize_form(text)
    return [(norm[m.start:m.end], m.value, m.role) for m in find_fatalities_in(norm)]


def values(text: str) -> list[int]:
    return [value for _, value, _ in figures(text)]


def test_fatalities_death_word_before_the_figure() -> None:
    assert figures("أسفر التفجير عن مقتل ستة مدنيين.") == [("مقتل سته مدنيين", 6, "figure")]
    assert figures("وقتل 12 جنديا في الهجوم") == [("قتل 12 جنديا", 12, "figure")]
    assert values("قتلت القوات 20 مسلحا") == [20]
    assert values("وقتل منهم 15 شهيداً") == [15]
    assert values("أودى الانفجار بحياة 8 أشخاص") == [8]
    assert values("راح ضحيته 4 أطفال") == [4]
    assert values("أعلن الجيش استشهاد 3 من جنوده") == [3]


def test_fatalities_figure_before_a_death_noun() -> None:
    assert figures("وسقط 28 قتيلاً في المعارك") == [("28 قتيلا", 28, "figure")]
    assert figures("خلف الهجوم 20 قتيلا على الأقل.") == [("20 قتيلا علي الاقل", 20, "figure")]
    assert values("سجلت 3 حالات وفاة") == [3]


def test_fatalities_dead_bodies() -> None:
    norm = normalize_form("تم العثور على 15 جثة في الموصل")
    [found] = find_fatalities_in(norm)
    assert (found.value, found.kind) == (15, "bodies")
    assert values("العثور على جثتين") == [2]


def test_fatalities_subject_of_a_later_death_verb() -> None:
    assert values("أكد أن ستة مقاتلين من الفصائل المدعومة قتلوا الأسبوع الماضي") == [6]
    assert values("أشار إلى أن 25 عنصرا من الجماعة لقوا مصرعهم") == [25]
    assert values("وقال إن تسعة متمردين قتلوا ليلا في غارة") == [9]
    # The verb has its own object: the subject figure is the killers.
    assert values("هاجم 50 مسلحا القرية وقتلوا 3 مدنيين") == [3]
    # An age is no count of the dead.
    assert values("ورجل يبلغ من العمر 49 عاما قتلوا في القصف") == []


def test_fatalities_counts_carried_by_the_noun_itself() -> None:
    assert values("ما أدى إلى مقتله") == [1]
    assert values("لقيا حتفهما في الحادث") == [2]
    assert values("لقي مدنيان حتفهما") == [2]
    assert values("لقي 5 أشخاص حتفهم") == [5]
    assert values("أدى إلى مقتل شرطي وجرح آخر") == [1]
    assert values("مقتل جنديين وإصابة ثلاثة") == [2]
    assert values("سقوط قتيل") == [1]
    assert values("أسفر عن قتيلين") == [2]
    assert values("مقتل مدنيين") == []  # a plural: how many is not said


def test_fatalities_injuries_never_count() -> None:
    assert values("أصيب 11 شخصا بجروح") == []
    assert values("سقط 28 قتيلاً و66 جريحا") == [28]
    assert values("مقتل 6 مدنيين وإصابة 11 آخرين") == [6]
    assert values("خمسة جنود قتلوا وإن ستة آخرين أصيبوا") == [5]
    assert values("مصرع 11 وإصابة 30 آخرين بجراح") == [11]


def test_fatalities_killed_and_wounded_together_give_no_figure() -> None:
    assert values("قتل وجرح 20 شخصا") == []
    assert values("سقوط 20 قتيلا وجريحا") == []
    assert values("مقتل وإصابة العشرات") == []
    assert values("سقوط 15 بين قتيل وجريح") == []


def test_fatalities_negated_attempted_and_threatened_killing_gives_no_figure() -> None:
    assert values("لم يسفر الانفجار عن مقتل أي شخص") == []
    assert values("أحبطت الشرطة محاولة قتل 3 ضباط") == []
    assert values("صدر حكم بإعدام 5 متهمين") == []


def test_fatalities_qualified_and_vague_figures_are_conservative() -> None:
    norm = normalize_form("مقتل أكثر من 12 شخصا ونحو عشرات الجرحى")
    [found] = find_fatalities_in(norm)
    assert (found.value, found.approximate) == (12, True)
    assert values("مقتل العشرات من عناصر التنظيم") == [10]
    assert values("مقتل ما بين 10 و15 مدنيا") == [10]


def test_fatalities_coordinated_victim_groups_are_separate_figures() -> None:
    assert values("قتل 3 جنود و5 مدنيين") == [3, 5]
    assert values("قتل 47 متمردًا و5 من القوات الموالية") == [47, 5]
    assert values("مقتل 5 جنود و3 جرحى") == [5]


def test_fatalities_named_victim_and_others() -> None:
    assert values("تمكنت من قتل أبو قتادة و21 مسلحا آخرين") == [22]


def test_fatalities_tolls_and_subsets() -> None:
    assert figures("قتل 5 جنود ليرتفع عدد القتلى إلى 7") == [
        ("قتل 5 جنود", 5, "figure"), ("القتلي الي 7", 7, "total")]
    assert figures("ارتفعت حصيلة القتلى إلى 20 قتيلا")[-1][1:] == (20, "total")
    assert figures("قتل 9 أشخاص بينهم 5 مدنيين") == [
        ("قتل 9 اشخاص", 9, "figure"), ("5 مدنيين", 5, "subset")]
    assert figures("قتل 13 جنديا، ثلاثة منهم في كمين") == [
        ("قتل 13 جنديا", 13, "figure"), ("ثلاثه منهم", 3, "subset")]
    assert figures("وقال إن 57 مدنيا بينهم 12 طفلا وست نساء قتلوا") == [
        ("57 مدنيا بينهم 12 طفلا وست نساء قتلوا", 57, "figure"), ("12 طفلا", 12, "subset"),
        ("ست نساء", 6, "subset")]
    # «بينهم» after an injury figure says nothing about the dead.
    assert values("قتل 3 وأصيب 12 بينهم 4 أطفال") == [3]


def test_fatalities_span_limits() -> None:
    norm = normalize_form("قتل 3 جنود. وفي حادث آخر قتل 4 مدنيين.")
    second = norm.index("وفي")
    assert [m.value for m in find_fatalities_in(norm, second)] == [4]
    assert [m.value for m in find_fatalities_in(norm, 0, second)] == [3]


def test_fatalities_victim_lemma() -> None:
    assert victim_lemma("المدنيين") == "مدني"
    assert victim_lemma("مدنيا") == "مدني"
    assert victim_lemma("مسلحون") == "مسلح"
    assert victim_lemma("جنديا") == "جندي"


def test_fatalities_figure_added_by_an_additive_phrase() -> None:
    assert values("نتج عنه مقتل سبعة من عناصر الشرطة إضافة إلى اثنين من المارة") == [7, 2]
    assert values("أسفر القصف عن مقتل 4 جنود بالإضافة إلى 3 مدنيين") == [4, 3]
    # An injury figure after the phrase is no death figure.
    assert values("أسفر الهجوم عن مقتل 3 جنود بالإضافة إلى إصابة 5 آخرين") == [3]


def test_fatalities_figure_coordinated_after_a_short_complement() -> None:
    assert values("أسفرت المواجهات عن مقتل 14 مسلحا من التنظيم وخمسة من عناصر الحشد") == [14, 5]
    # A place between them starts another clause of its own: the second figure is not read.
    assert values("قتل 3 جنود في الكمين و5 مدنيين في القصف") == [3]


def test_fatalities_total_over_a_period_is_an_aggregate() -> None:
    assert figures("وقتل أكثر من 4000 شخص منذ اندلاع النزاع في المنطقة.") == [
        ("قتل اكثر من 4000 شخص", 4000, "aggregate")]
    # A period cue opening the sentence governs its figures, their parts included.
    roles = [role for _, _, role in figures(
        "ومنذ بداية الهجوم الأخير قبل شهر، قتل 40 عنصرا، بينهم 6 ضباط.")]
    assert roles == ["aggregate", "aggregate"]
    # Nor one inside a circumstantial phrase that does not hold the figure.
    assert values("قتل 12 مسلحا فيما تشن الطائرات غارات منذ بدء الهجوم على المدينة") == [12]
    assert figures("قتل 12 مسلحا فيما تشن الطائرات غارات منذ بدء الهجوم")[0][2] == "figure"
    # The cue of another sentence does not.
    assert figures("قتل 5 جنود في هجوم. وتشهد المنطقة نزاعا منذ اندلاع الأزمة.") == [
        ("قتل 5 جنود", 5, "figure")]


def test_fatalities_toll_anchor_is_its_cue() -> None:
    norm = normalize_form("وارتفعت حصيلة انفجار السيارة في السوق الذي يرتاده الأهالي إلى 15 قتيلا")
    [found] = find_fatalities_in(norm)
    assert found.role == "total"
    assert norm[found.anchor:].startswith("حصيله انفجار")
    assert norm[found.start:found.end] == "15 قتيلا"


def test_fatalities_singular_subject_of_a_death_verb() -> None:
    assert figures("وأفاد شهود بأن طفلا قتل برصاص قناص.") == [("طفلا قتل", 1, "figure")]
    assert values("وأكدت المصادر أن شرطيين اثنين أصيبا وأن ضابطين قتلا في الكمين.") == [2]
    # A definite noun before «قتل» is its agent, not its victim.
    assert values("وقال إن المسلح قتل زوجته") == []
    assert values("وقالت إن امرأة لم تقتل في الهجوم") == []


def test_fatalities_figure_followed_by_a_place_or_an_event() -> None:
    assert figures("مقتل 5 في انفجار سيارة مفخخة") == [("مقتل 5", 5, "figure")]
    assert values("قتل العشرات في الغارات") == [10]
    assert values("قتل 3 في المئة من السكان") == []  # a percentage


def test_fatalities_numeral_after_a_counted_noun_restates_it() -> None:
    assert figures("أسفر الهجوم عن مقتل شخص واحد على الأقل") == [
        ("مقتل شخص واحد علي الاقل", 1, "figure")]
    assert values("مقتل جنديين اثنين وثلاثة مدنيين") == [2, 3]


def test_fatalities_victims_are_named_from_the_counted_noun() -> None:
    norm = normalize_form("قتلت القوات الأمريكية قياديا في تنظيم القاعدة")
    [found] = find_fatalities_in(norm)
    assert found.value == 1
    assert norm[found.victims_from:found.end] == "قياديا"  # «القوات» killed, was not killed
    norm = normalize_form("قتلت القوات 20 مسلحا")
    [found] = find_fatalities_in(norm)
    assert norm[found.victims_from:found.end] == "20 مسلحا"
