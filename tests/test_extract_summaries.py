"""Period summaries, tallies and acts only referred to report no new event
(`rasad.extract.summaries`, setting `drop_summaries`); the same words with a day, a town, or a
clause of the act's own, still do."""

from __future__ import annotations

import pytest

from rasad.doc import Doc
from rasad.extract.lexicons import TriggerForm
from rasad.extract.summaries import Tellings, summary_of
from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings
from rasad.text.lexicon import LexMatch

PUBLISHED = "2015-08-04"

# Each: a sentence whose act is a summary, and what kind.
SUMMARIES = {
    "period": "شنت طائرات التحالف غارات جوية على مواقع تنظيم داعش في العراق وسوريا خلال الأيام "
              "القليلة الماضية.",
    "period before the act": "وتشن تركيا في الأسابيع الأخيرة غارات جوية على مواقع حزب العمال "
                             "الكردستاني في جبال قنديل شمال العراق.",
    "tally": "وشنت طائرات التحالف عشرات الغارات الجوية على مواقع تنظيم داعش في شمال سوريا.",
    "tally of a share": "لكن غالبية الغارات التركية استهدفت مواقع حزب العمال الكردستاني في شمال "
                        "العراق.",
    "referenced by a verb": "ودانت الجامعة العربية أول من أمس القصف التركي في شمال العراق.",
    "referenced by a noun": "وأعربت قطر عن تحفظها على استنكار الجامعة العربية للقصف التركي على "
                            "مناطق في شمال العراق.",
}
KINDS = {"period": "period", "period before the act": "period", "tally": "tally",
         "tally of a share": "tally", "referenced by a verb": "referenced",
         "referenced by a noun": "referenced"}
# The same words that still report an event.
EVENTS = {
    "a dated strike": "شنت طائرات التحالف أمس الاثنين غارات جوية على مواقع تنظيم داعش في العراق "
                      "وسوريا.",
    "dated tens of strikes": "وشنت طائرات التحالف أمس الاثنين عشرات الغارات الجوية على مواقع "
                             "تنظيم داعش في شمال سوريا.",
    "strikes on a town over the past days": "الرقة (رويترز) - شنت طائرات التحالف غارات جوية على "
                                            "مواقع تنظيم داعش في مدينة الرقة خلال الأيام القليلة "
                                            "الماضية.",
    "tens of strikes on a town": "وشنت طائرات التحالف عشرات الغارات الجوية على مواقع تنظيم داعش "
                                 "في مدينة الرقة.",
    "a span of another verb": "الرقة (رويترز) - انفجرت سيارة مفخخة أمس في مدينة الرقة حيث عزز "
                              "تنظيم داعش وجوده في الأيام الأخيرة.",
    "tens of strikes on a governorate": "وشنت طائرات التحالف عشرات الغارات الجوية على مواقع "
                                        "الحوثيين في محافظة صعدة.",
    "tens of munitions": "وأطلق مسلحو تنظيم داعش عشرات الصواريخ على مدينة الرمادي مما أسفر عن "
                         "مقتل خمسة جنود.",
    "condemned with its own clause": "ودانت الجامعة العربية التفجير الإرهابي الذي وقع في مدينة "
                                     "الرمادي وأدى إلى مقتل عشرة أشخاص.",
    "condemned with its own day": "ودانت الحكومة العراقية التفجير الانتحاري أمس الاثنين.",
    "condemned at a town": "ودانت الحكومة العراقية التفجير الانتحاري في مدينة الرمادي.",
}


def _run(text: str, drop_summaries: bool) -> Doc:
    kinds = ("period", "tally", "referenced") if drop_summaries else ()
    return Pipeline(Settings(drop_summaries=kinds)).run(
        RawDocument("t", text, published=PUBLISHED))


def _triggers(doc: Doc) -> list[LexMatch]:
    return [m for m in doc.matches if m.kind == "trigger"]


# A first sentence that tells a strike: what a reaction refers to.
TELLING = ("أنقرة (رويترز) - قصفت الطائرات التركية أمس مواقع لحزب العمال الكردستاني في جبال "
           "قنديل. ")


def _read_in(doc: Doc, sentence: int) -> bool:
    """Whether an event of `doc` has a mention in sentence `sentence`."""
    return any(m.sentence == sentence for e in doc.events for m in e.mentions)


@pytest.mark.parametrize("name", sorted(SUMMARIES))
def test_a_summary_is_no_event(name: str) -> None:
    text = TELLING + SUMMARIES[name]
    assert _read_in(_run(text, drop_summaries=False), 1), "the rules read an event"
    doc = _run(text, drop_summaries=True)
    assert not _read_in(doc, 1)
    assert _read_in(doc, 0)


@pytest.mark.parametrize("name", ["period before the act", "tally", "tally of a share"])
def test_a_summary_alone_is_no_event(name: str) -> None:
    assert _run(SUMMARIES[name], drop_summaries=True).events == []


def test_a_condemned_act_nothing_else_tells_stays_an_event() -> None:
    doc = _run(SUMMARIES["referenced by a verb"], drop_summaries=True)
    assert [e.event_type for e in doc.events] == ["Explosions/Remote violence"]


@pytest.mark.parametrize("name", sorted(SUMMARIES))
def test_each_summary_is_read_as_its_kind(name: str) -> None:
    doc = _run(TELLING + SUMMARIES[name], drop_summaries=True)
    kinds = {summary_of(doc, doc.sentence_at(t.start), t) for t in _triggers(doc)}
    assert KINDS[name] in kinds


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_the_same_words_with_a_day_a_town_or_a_clause_of_their_own_stay_an_event(name: str) -> None:
    doc = _run(EVENTS[name], drop_summaries=True)
    assert len(doc.events) == 1
    assert {summary_of(doc, doc.sentence_at(t.start), t) for t in _triggers(doc)} == {None}


def test_a_protest_against_an_act_stays_a_protest() -> None:
    doc = _run(TELLING + "وندد المتظاهرون في مدينة الرمادي بالقصف التركي.", drop_summaries=True)
    assert [e.event_type for e in doc.events
            if any(m.sentence == 1 for m in e.mentions)] == ["Protests"]


def test_nothing_is_dropped_by_default_and_tallies_and_references_when_named() -> None:
    assert Settings().drop_summaries == ()
    assert all(_read_in(Pipeline(Settings()).run(RawDocument(
        "t", TELLING + SUMMARIES[name], published=PUBLISHED)), 1) for name in KINDS)
    pipeline = Pipeline(Settings(drop_summaries=("tally", "referenced")))
    for name, kind in KINDS.items():
        doc = pipeline.run(RawDocument("t", TELLING + SUMMARIES[name], published=PUBLISHED))
        assert _read_in(doc, 1) == (kind == "period"), name


def test_drop_summaries_names_known_kinds_only() -> None:
    with pytest.raises(ValueError):
        Settings(drop_summaries=("habits",))  # type: ignore[arg-type]


def test_a_capital_named_as_a_government_does_not_make_a_tally_an_event() -> None:
    # «وقالت واشنطن» names no scene (PlaceMention.metonym): the strikes are still a tally.
    doc = _run("وقالت واشنطن إن طائرات التحالف شنت عشرات الغارات الجوية على مواقع تنظيم داعش في "
               "شمال سوريا.", drop_summaries=True)
    assert not _read_in(doc, 0)


def _told_elsewhere(doc: Doc, sentence: int, form: TriggerForm) -> bool:
    """What `Tellings.elsewhere` indexes, by its definition: every trigger mention of the
    document read again (the quadratic reading it replaced)."""
    for m in _triggers(doc):
        other = m.payload
        if not isinstance(other, TriggerForm) or other.spec.result \
                or other.spec.event_type != form.spec.event_type:
            continue
        where = doc.sentence_at(m.start)
        if where >= 0 and where != sentence and summary_of(doc, where, m, elsewhere=False) is None:
            return True
    return False


def test_tellings_answer_as_their_definition_on_a_document_of_many_events() -> None:
    # Summaries and events of several types, twice over in two paragraphs, then a protest told
    # once (no other sentence tells one) and a kidnapping only referred to (nothing tells it).
    once = ["وتظاهر مئات من الاهالي امس في مدينة الرمادي احتجاجا على القصف.",
            "ودانت الحكومة العراقية الاختطاف."]
    paragraph = " ".join([*SUMMARIES.values(), *EVENTS.values()])
    doc = _run("\n".join([TELLING + paragraph, paragraph, " ".join(once)]),
               drop_summaries=True)
    forms = {m.payload.spec.event_type: m.payload for m in _triggers(doc)
             if isinstance(m.payload, TriggerForm)}
    assert len(doc.sentences) > 30 and len(forms) >= 3
    tellings = Tellings(doc)
    answers = [(tellings.elsewhere(k, form), _told_elsewhere(doc, k, form))
               for k in range(len(doc.sentences)) for form in forms.values()]
    assert all(new == old for new, old in answers)
    assert {new for new, _ in answers} == {True, False}
    for m in _triggers(doc):
        k = doc.sentence_at(m.start)
        assert summary_of(doc, k, m, tellings.cues(k), tellings=tellings) == summary_of(doc, k, m)
