"""A retelling joins its event: the very day and place, another sentence, no new report —
even when the actors read differ (`rasad.extract.retelling`, setting `merge_retold`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rasad.doc import PlaceMention
from rasad.extract.events import Candidate, EventExtractor
from rasad.extract.lexicons import TriggerForm, TriggerSpec
from rasad.extract.retelling import retells
from rasad.pipeline import Pipeline
from rasad.records import Place, RawDocument
from rasad.settings import Settings
from rasad.text.lexicon import LexEntry, LexMatch

# One clash in Ramadi told twice; the second telling reads other actors.
FIRST = ("الرمادي (رويترز) - قتل خمسة جنود عراقيين امس الاثنين في اشتباكات مع مسلحي تنظيم داعش "
         "في مدينة الرمادي. ")
RETOLD = FIRST + ("وقالت مصادر امنية ان اشتباكات عنيفة دارت امس الاثنين في مدينة الرمادي بين "
                  "عناصر الحشد الشعبي ومقاتلي جبهة النصرة.")
# The same, but «كما» says the second is another report.
ANOTHER = FIRST + ("كما دارت اشتباكات عنيفة امس الاثنين في مدينة الرمادي بين عناصر الحشد الشعبي "
                   "ومقاتلي جبهة النصرة.")

RAMADI = Place("الرمادي", 0, 7, name="Ramadi", feature="city", country="IQ", admin1="Anbar",
               latitude=33.42, longitude=43.3, gazetteer_id="g:ramadi")
ANBAR = Place("الأنبار", 0, 7, name="Anbar", feature="admin1", country="IQ", admin1="Anbar",
              latitude=33.0, longitude=42.0, gazetteer_id="g:anbar")
DAY = dt.date(2015, 8, 3)


def _events(text: str, merge_retold: bool) -> list[tuple[str | None, list[int]]]:
    doc = Pipeline(Settings(merge_retold=merge_retold)).run(
        RawDocument("t", text, published="2015-08-04"))
    return [(e.actor1.name if e.actor1 else None, sorted({m.sentence for m in e.mentions}))
            for e in doc.events]


def test_a_retelling_with_other_actors_joins_its_event_when_the_setting_is_on() -> None:
    assert _events(RETOLD, merge_retold=False) == [("Islamic State", [0]),
                                                   ("Popular Mobilization Forces", [1])]
    assert _events(RETOLD, merge_retold=True) == [("Islamic State", [0, 1])]


def test_a_new_report_is_not_a_retelling() -> None:
    assert len(_events(ANOTHER, merge_retold=True)) == 2


def test_merge_retold_is_on_by_default() -> None:
    assert Settings().merge_retold is True


def _mention(place: Place, day: dt.date | None, sentence: int, toll: bool = False
             ) -> Candidate:
    """A mention as merging reads it (place, day, sentence; a clash, or only its toll)."""
    where = PlaceMention(replace(place, start=10 * sentence, end=10 * sentence + 7),
                         10 * sentence, 10 * sentence + 7)
    spec = TriggerSpec("killed" if toll else "armed_clash", "Battles", "Armed clash", 2,
                       result=toll)
    anchor = LexMatch(LexEntry("trigger", "x", ("x",), TriggerForm(spec, "noun")),
                      10 * sentence, 10 * sentence + 1, 0, 1, "", "")
    return Candidate(sentence=sentence, anchor=anchor, event_type="Battles",
                     sub_event_type="Armed clash", strength=2, triggers=[anchor], place=where,
                     date=day)


def test_retells_needs_the_very_day_and_place_in_another_sentence() -> None:
    same = EventExtractor()._same_place
    event = [_mention(RAMADI, DAY, 0)]
    days = {DAY}
    assert retells(event, days, event, _mention(RAMADI, DAY, 2), same)
    assert not retells(event, days, event, _mention(RAMADI, DAY, 0), same)  # its own sentence
    assert not retells(event, days, event, _mention(RAMADI, DAY + dt.timedelta(days=1), 2), same)
    assert not retells(event, days, event, _mention(RAMADI, None, 2), same)
    # A town and its governorate are compatible places, not the same one.
    assert not retells(event, days, event, _mention(ANBAR, DAY, 2), same)
    # A toll alone («إضافة إلى مصرع 12 جنديا») tells no act: it may be another event's.
    assert not retells(event, days, event, _mention(RAMADI, DAY, 2, toll=True), same)
