"""Event assembly on hand-made sentences, with a fake actor registry and a fake gazetteer."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pytest

from rasad.doc import ActorMention, DateMention, Doc, PlaceMention
from rasad.extract.events import EventExtractor
from rasad.extract.lexicons import build_lexicon
from rasad.pipeline import Pipeline
from rasad.records import Place, RawDocument
from rasad.settings import Settings


@dataclass(frozen=True)
class FakeActor:
    name: str | None
    inter: int
    country: str | None
    kind: str
    template: str | None = None


ACTORS = {
    "داعش": FakeActor("Islamic State", 2, None, "rebel"),
    "تنظيم داعش": FakeActor("Islamic State", 2, None, "rebel"),
    "قسد": FakeActor("Syrian Democratic Forces", 2, "SY", "rebel"),
    "التحالف الدولي": FakeActor("International Coalition", 8, None, "coalition"),
    "طيران التحالف": FakeActor("International Coalition", 8, None, "coalition"),
    "الجيش السوري": FakeActor("Military Forces of Syria", 1, "SY", "state_military"),
    "مدنيين": FakeActor(None, 7, None, "civilians", "Civilians ({country})"),
    "المتظاهرون": FakeActor(None, 6, None, "protesters", "Protesters ({country})"),
    "الشرطة": FakeActor(None, 1, None, "state_police", "Police Forces of {country}"),
}
PLACES = {"حلب": ("Aleppo", "SY", 36.2, 37.16), "الرقة": ("Raqqa", "SY", 35.95, 39.01),
          "تعز": ("Taiz", "YE", 13.58, 44.02)}


def _doc(text: str, published: str | None = "2015-07-21",
         dates: list[tuple[str, dt.date]] | None = None) -> Doc:
    lexicon = build_lexicon()
    for alias, actor in ACTORS.items():
        lexicon.add("actor", alias, actor)
    for alias, place in PLACES.items():
        lexicon.add("place", alias, place)
    doc = Doc.from_raw(RawDocument("t", text, published=published))
    doc.published = dt.date.fromisoformat(published) if published else None
    doc.matches = lexicon.match(doc.tokens, doc.text)
    for m in doc.matches:
        if m.kind == "actor":
            a = m.payload
            doc.actors.append(ActorMention(m.start, m.end, m.first_token, m.last_token, a.name,
                                           a.inter, a.country, a.kind, a.template,
                                           proclitic=m.proclitic))
        elif m.kind == "place":
            name, country, lat, lon = m.payload
            span = doc.span(m.start, m.end)
            place = Place(span.text, span.start, span.end, name=name, feature="city",
                          country=country, latitude=lat, longitude=lon,
                          gazetteer_id=f"test:{name}", score=0.9)
            doc.places.append(PlaceMention(place, m.start, m.end, 1))
    for phrase, date in dates or []:
        i = doc.text.index(phrase)
        doc.dates.append(DateMention(i, i + len(phrase), date, 1, "relative"))
    return doc


def _events(text: str, **kw: object) -> list[dict[str, object]]:
    doc = _doc(text, **kw)  # type: ignore[arg-type]
    return [e.to_dict("t") for e in EventExtractor().extract(doc)]


def test_events_air_strike_with_agent_target_place_and_date() -> None:
    events = _events("شن طيران التحالف الدولي أمس غارات على مواقع تنظيم داعش في الرقة.",
                     dates=[("امس", dt.date(2015, 7, 20))])
    assert len(events) == 1
    e = events[0]
    assert (e["event_type"], e["sub_event_type"]) == ("Explosions/Remote violence",
                                                      "Air/drone strike")
    assert e["actor1"]["name"] == "International Coalition"  # type: ignore[index]
    assert e["actor2"]["name"] == "Islamic State"  # type: ignore[index]
    assert e["location"]["name"] == "Raqqa"  # type: ignore[index]
    assert e["event_date"] == "2015-07-20" and e["time_precision"] == 1


def test_events_clash_between_two_actors_with_associate() -> None:
    events = _events('اندلعت اشتباكات مسلحة بين "قسد" وعناصر داعش بدعم جوي من التحالف الدولي '
                     "في حلب.")
    assert [(e["event_type"], e["sub_event_type"]) for e in events] == [("Battles",
                                                                         "Armed clash")]
    e = events[0]
    names = {e["actor1"]["name"], e["actor2"]["name"]}  # type: ignore[index]
    assert names == {"Syrian Democratic Forces", "Islamic State"}
    assoc = e["assoc_actor_1"] + e["assoc_actor_2"]  # type: ignore[operator]
    assert [a["name"] for a in assoc] == ["International Coalition"]


def test_events_killing_of_civilians_is_violence_against_civilians() -> None:
    events = _events("قتل مسلحون من داعش خمسة مدنيين في حلب.")
    assert [(e["event_type"], e["civilian_targeting"]) for e in events] == [
        ("Violence against civilians", True)]
    assert events[0]["actor2"]["name"] == "Civilians (Syria)"  # type: ignore[index]


def test_events_result_folds_into_the_specific_trigger() -> None:
    events = _events("انفجرت سيارة مفخخة في سوق بحلب ما أسفر عن مقتل عشرة مدنيين.")
    assert [(e["event_type"], e["sub_event_type"]) for e in events] == [
        ("Explosions/Remote violence", "Remote explosive/landmine/IED")]


def test_events_suicide_bomber_named_makes_suicide_bomb() -> None:
    events = _events("فجر انتحاري سيارة مفخخة عند حاجز للجيش السوري في حلب.")
    assert events[0]["sub_event_type"] == "Suicide bomb"


def test_events_sport_and_crime_are_not_events() -> None:
    assert _events("وشن الفريق هجوما قويا في الشوط الثاني وسجل الهدف الثالث.") == []
    assert _events("أقدم مواطن على قتل شقيقه بإطلاق النار عليه إثر خلاف بينهما.") == []


def test_events_threats_and_hypotheticals_are_dropped() -> None:
    assert _events("هدد تنظيم داعش بشن هجمات جديدة على حلب.") == []
    assert _events("يجب منع أي هجمات مماثلة على السجون في حلب من قبل داعش.") == []


def test_events_attempted_and_hedged_modality() -> None:
    events = _events("حاول مسلحون من داعش اقتحام السجن في حلب لكن محاولتهم باءت بالفشل.")
    assert events and events[0]["modality"] == "attempted"
    events = _events("قد يكون التحالف الدولي شن غارات على حلب بحسب ناشطين.")
    assert events and events[0]["modality"] == "hedged"
    assert events[0]["attribution"]["text"] == "ناشطين"  # type: ignore[index]


def test_events_protest_turning_violent_is_one_riot() -> None:
    events = _events("وأحرق المتظاهرون إطارات السيارات في تعز ورشقوا الشرطة بالحجارة.")
    assert [(e["event_type"], e["sub_event_type"]) for e in events] == [
        ("Riots", "Violent demonstration")]


def test_events_same_event_twice_in_a_document_is_merged() -> None:
    text = ("شن طيران التحالف الدولي غارات على مواقع داعش في الرقة.\n"
            "وقالت مصادر إن غارات التحالف الدولي على الرقة دمرت مقرات للتنظيم.")
    assert len(_events(text)) == 1


def test_events_spans_slice_the_original_text() -> None:
    text = "شنّ طيرانُ التحالف الدولي غاراتٍ على مواقعِ داعش في الرقة، بحسب ناشطين."
    for e in _events(text):
        for field in ("evidence", "attribution"):
            span = e[field]
            if span:
                assert text[span["start"]:span["end"]] == span["text"]  # type: ignore[index]
        for actor in (e["actor1"], e["actor2"]):
            if actor:
                assert text[actor["start"]:actor["end"]] == actor["text"]  # type: ignore[index]


def test_the_extractor_defaults_to_the_settings_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    # One source of truth: an extractor built bare reads as the pipeline's of `Settings()`.
    for name in [k for k in os.environ if k.startswith("RASAD_")]:
        monkeypatch.delenv(name)
    settings, extractor = Settings(), EventExtractor()
    for name in ("background_days", "keep_unreal", "merge_retold", "refine_places",
                 "drop_summaries"):
        assert getattr(extractor, name) == getattr(settings, name), name
    # And the pipeline passes every one of them through when they are not the defaults.
    other = Settings(background_days=settings.background_days + 5,
                     keep_unreal=not settings.keep_unreal,
                     merge_retold=not settings.merge_retold,
                     refine_places=not settings.refine_places, drop_summaries=("tally",),
                     use_ner=False)
    built = Pipeline(other).extractor
    for name in ("background_days", "keep_unreal", "merge_retold", "refine_places",
                 "drop_summaries"):
        assert getattr(built, name) == getattr(other, name), name
