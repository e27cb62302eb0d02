"""Event assembly on whole sentences with the packaged data (registry, gazetteer, lexicons)."""

from __future__ import annotations

from rasad.doc import Doc
from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

PIPELINE = Pipeline(Settings(use_ner=False))


def _doc(text: str, published: str = "2023-03-01") -> Doc:
    return PIPELINE.run(RawDocument(id="t", text=text, published=published))


def test_events_place_qualifying_the_one_before_is_no_second_event() -> None:
    doc = _doc("هاجم مسلحون حاجزا للجيش السوري في بلدة نوى بريف درعا أمس.")
    assert [e.location.text for e in doc.events if e.location] == ["نوى"]


def test_events_place_joined_by_waw_is_a_second_event() -> None:
    doc = _doc("قتل 10 مدنيين في انفجار عبوتين ناسفتين في قضاء بلدروز والمقدادية.")
    assert sorted(e.location.text for e in doc.events if e.location) == ["المقدادية",
                                                                         "قضاء بلدروز"]
    assert sorted(e.fatalities or 0 for e in doc.events) == [5, 5]


def test_events_dated_only_by_an_earlier_year_are_background() -> None:
    doc = _doc("وبدأت المعارك في حلب في عام 2012 بين الجيش السوري وفصائل المعارضة.",
               published="2015-07-27")
    [event] = doc.events
    assert event.event_date is not None and event.event_date.startswith("2012")
    assert event.time_precision == 3 and event.background


def test_events_same_day_place_and_a_shared_actor_are_one_event() -> None:
    text = ("قصفت فصائل المعارضة مواقع الجيش السوري في بلدة نبل بالقذائف. وقال المرصد إن قصف "
            "فصائل المعارضة على نبل أدى إلى مقتل خمسة مدنيين.")
    doc = _doc(text)
    [event] = doc.events
    assert event.sub_event_type == "Shelling/artillery/missile attack"
    assert event.actor1 is not None and event.actor1.name == "Opposition Rebels (Syria)"
