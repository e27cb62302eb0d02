"""ACLED's conservative fatalities of one event from the death figures tied to it."""

from rasad.extract.fatalities import (
    FatalityMention,
    event_fatalities,
    find_fatalities_in,
    toll_owners,
)
from rasad.extract.wordforms import TokenView
from rasad.text.normalize import normalize_form


def event(text: str) -> tuple[int, str] | None:
    norm = normalize_form(text)
    found = event_fatalities(find_fatalities_in(norm))
    return None if found is None else (found[0], norm[found[1][0]:found[1][1]])


def test_event_fatalities_none_without_figures() -> None:
    assert event_fatalities([]) is None
    assert event("أصيب 11 شخصا") is None


def test_event_fatalities_sums_distinct_groups_of_one_sentence() -> None:
    assert event("قتل 3 جنود و5 مدنيين.") == (8, "قتل 3 جنود و5 مدنيين")
    assert event("مصرع 11 وإصابة 30، فيما قتل ثلاثة من مقاتلي المقاومة.")[0] == 14  # type: ignore[index]


def test_event_fatalities_a_toll_wins_over_partial_figures() -> None:
    assert event("قتل 5 جنود ليرتفع عدد القتلى إلى 7.") == (7, "القتلي الي 7")


def test_event_fatalities_subsets_never_add() -> None:
    assert event("قتل 9 أشخاص بينهم 5 مدنيين.") == (9, "قتل 9 اشخاص")


def test_event_fatalities_restatement_counts_once() -> None:
    text = "مقتل 22 مسلحا في المعارك. وأكدت المصادر مقتل 22 مسلحا من التنظيم."
    assert event(text)[0] == 22  # type: ignore[index]
    assert event("قتل 5 جنود. وكان الجنود الخمسة في دورية.")[0] == 5  # type: ignore[index]


def test_event_fatalities_sentences_sum_only_distinct_named_victims() -> None:
    text = ("أسفرت المواجهات عن مقتل 11 متمردا. وقال المركز إن اثنين من مقاتلي المقاومة "
            "استشهدا خلال المواجهات.")
    assert event(text)[0] == 13  # type: ignore[index]
    # A generic figure («أشخاص») may restate the groups: the largest is kept.
    assert event("قتل 10 أشخاص. وكان بين القتلى 3 جنود.")[0] == 10  # type: ignore[index]


def test_event_fatalities_highest_toll_when_restated() -> None:
    mentions = [FatalityMention(12, 0, 5, role="total", sentence=0),
                FatalityMention(20, 10, 15, role="total", sentence=1),
                FatalityMention(4, 20, 25, sentence=2)]
    assert event_fatalities(mentions) == (20, (10, 15))


def test_event_fatalities_only_subsets_still_give_a_figure() -> None:
    mentions = [FatalityMention(3, 0, 5, role="subset", sentence=0)]
    assert event_fatalities(mentions) == (3, (0, 5))


def test_event_fatalities_ignores_totals_over_a_period() -> None:
    assert event("وقتل أكثر من 4000 شخص منذ اندلاع النزاع في المنطقة.") is None
    mentions = [FatalityMention(4000, 0, 5, role="aggregate", sentence=0),
                FatalityMention(4, 20, 25, sentence=1)]
    assert event_fatalities(mentions) == (4, (20, 25))


def owners(text: str, triggers: list[str]) -> list[list[int]]:
    """The values of the death figures each trigger word's event gets in one sentence."""
    norm = normalize_form(text)
    view = TokenView(norm)
    spans = []
    for word in triggers:
        start = norm.index(normalize_form(word))
        spans.append([(start, start + len(normalize_form(word)))])
    found = toll_owners(norm, view.tokens, find_fatalities_in(norm), spans)
    return [[m.value for m in ms] for ms in found]


def test_toll_owners_nearest_event_gets_the_figure() -> None:
    text = "قتل 6 مسلحين في غارة جوية على مواقعهم بينما تستمر المعارك حول المدينة."
    assert owners(text, ["غارة", "المعارك"]) == [[6], []]


def test_toll_owners_circumstantial_event_does_not_govern() -> None:
    text = "استمرت المواجهات في البلدة، وسط قصف مدفعي متواصل، ما أسفر عن مقتل مقاتلين اثنين."
    assert owners(text, ["المواجهات", "قصف"]) == [[2], []]
    # Told inside its own phrase, the figure is that event's.
    text = "استمرت المواجهات في البلدة، فيما قتل 4 مدنيين في قصف مدفعي."
    assert owners(text, ["المواجهات", "قصف"]) == [[], [4]]
    # A figure that no event of the sentence governs is none of theirs.
    text = "قتل 8 من المسلحين فيما شنت الطائرات غارات على مواقع قريبة."
    assert owners(text, ["غارات"]) == [[]]
    # «في وسط البلدة» is a place, not a circumstance.
    text = "انفجرت عبوة في وسط البلدة ما أدى إلى مقتل 3 أشخاص."
    assert owners(text, ["انفجرت"]) == [[3]]


def test_toll_owners_relative_clause_does_not_govern_and_the_toll_cue_does() -> None:
    text = ("وارتفعت حصيلة قصف السوق في البلدة التي تسيطر عليها الفصائل منذ أسابيع "
            "إلى 15 قتيلا.")
    assert owners(text, ["قصف", "تسيطر"]) == [[15], []]
