"""A coarse place made precise by the next sentence that tells the act again
(`rasad.extract.refine`, setting `refine_places`)."""

from __future__ import annotations

import pytest

from rasad.doc import PlaceMention
from rasad.extract.eventplace import inside
from rasad.extract.refine import coarse, contains
from rasad.pipeline import Pipeline
from rasad.records import Place, RawDocument
from rasad.settings import Settings

# A mine blast told first in «جنوب شرق تركيا», then again with its province.
FIRST = ("قتل جنديان تركيان امس الثلاثاء في انفجار لغم في جنوب شرق تركيا في هجوم نسب الى "
         "متمردين اكراد. ")
RETOLD = FIRST + ("وقالت مصادر امنية ان المتمردين فجروا عبوة ناسفة عن بعد اثناء مرور دورية "
                  "عسكرية في ولاية هكاري.")
# The next sentence names a province inside, but tells another act, or a new report, or sits in
# another paragraph: its place is not the blast's.
PROTEST = FIRST + ("وتظاهر مئات الاكراد امس الثلاثاء في ولاية هكاري احتجاجا على العمليات "
                   "العسكرية.")
ANOTHER = FIRST + "كما فجر متمردون عبوة ناسفة في ولاية هكاري امس الثلاثاء."
PARAGRAPH = FIRST + ("\nوقالت مصادر امنية ان المتمردين فجروا عبوة ناسفة عن بعد اثناء مرور "
                     "دورية عسكرية في ولاية هكاري.")
# The countryside of a town, then the town of that countryside.
COUNTRYSIDE = ("قتل جندي سوري امس في قصف على ريف حمص الشرقي. وقال ناشطون ان الطيران قصف بلدة "
               "القريتين بالبراميل المتفجرة.")


def _events(text: str, refine: bool = True) -> list[tuple[str, str | None, int, list[int]]]:
    doc = Pipeline(Settings(refine_places=refine)).run(
        RawDocument("t", text, published="2015-08-05"))
    return [(e.event_type, e.location.name if e.location else None, e.geo_precision,
             sorted({m.sentence for m in e.mentions})) for e in doc.events]


def test_a_coarse_place_takes_the_province_its_retelling_names() -> None:
    blast = "Explosions/Remote violence"
    assert _events(RETOLD, refine=False) == [(blast, "Turkey", 3, [0, 1])]
    assert _events(RETOLD) == [(blast, "Hakkari", 3, [0, 1])]


def test_a_countryside_takes_its_town_and_the_two_tellings_become_one_event() -> None:
    shelling = "Explosions/Remote violence"
    assert _events(COUNTRYSIDE, refine=False) == [(shelling, "Homs", 2, [0]),
                                                  (shelling, "Al Qaryatayn", 1, [1])]
    assert _events(COUNTRYSIDE) == [(shelling, "Al Qaryatayn", 1, [0, 1])]


@pytest.mark.parametrize("text", [PROTEST, ANOTHER, PARAGRAPH],
                         ids=["another act", "a new report", "another paragraph"])
def test_a_finer_place_of_an_unrelated_sentence_is_not_taken(text: str) -> None:
    assert _events(text)[0][:3] == ("Explosions/Remote violence", "Turkey", 3)


def test_a_direction_of_a_country_is_the_country_not_its_capital() -> None:
    # The dateline names the capital; the sentence names only a side of the country.
    events = _events("أنقرة (أ ف ب) - " + FIRST)
    assert [(name, precision) for _, name, precision, _ in events] == [("Turkey", 3)]


def test_a_blast_in_the_capital_is_not_merged_into_one_in_the_south_east() -> None:
    # Without sides, Ankara lies inside Turkey: the second blast joined the first, at Ankara.
    text = FIRST + "وانفجرت عبوة ناسفة امس الثلاثاء في أنقرة دون وقوع اصابات."
    blast = "Explosions/Remote violence"
    assert _events(text, refine=False) == [(blast, "Ankara", 1, [0, 1])]
    assert _events(text) == [(blast, "Turkey", 3, [0]), (blast, "Ankara", 1, [1])]


def test_a_capital_named_as_a_government_is_no_finer_place() -> None:
    # «وقالت أنقرة» is the government speaking (PlaceMention.metonym), not the scene.
    text = ("قتل جنديان تركيان امس الثلاثاء في انفجار لغم في تركيا. وقالت أنقرة ان المتمردين "
            "فجروا عبوة ناسفة امس الثلاثاء.")
    assert _events(text) == [("Explosions/Remote violence", "Turkey", 3, [0, 1])]


def _mention(text: str, feature: str, admin1: str | None, lat: float, lon: float,
             gid: str, relation: str | None = None) -> PlaceMention:
    place = Place(text, 0, len(text), name=text, feature=feature, country="TR", admin1=admin1,
                  latitude=lat, longitude=lon, gazetteer_id=gid)
    return PlaceMention(place, 0, len(text), geo_precision=3 if feature != "city" else 1,
                        relation=relation)


SOUTHEAST = _mention("تركيا", "country", None, 38.99, 35.39, "g:tr", relation="southeast")
TURKEY = _mention("تركيا", "country", None, 38.99, 35.39, "g:tr")
SIRNAK = _mention("شرناق", "admin1", "Sirnak", 37.51, 42.45, "g:sirnak")
ANKARA = _mention("أنقرة", "city", "Ankara", 39.92, 32.85, "g:ankara")


def test_containment_reads_the_side_of_the_country() -> None:
    assert coarse(SOUTHEAST) and coarse(SIRNAK) and not coarse(ANKARA)
    assert contains(SOUTHEAST, SIRNAK)
    assert not contains(SOUTHEAST, ANKARA)  # the capital lies north-west of the country's point
    assert contains(TURKEY, ANKARA)
    assert not contains(SIRNAK, TURKEY)  # never a coarser place
    assert not contains(SIRNAK, ANKARA)  # another province
    # Merging reads the same sides: Ankara is in Turkey, not in its south-east.
    assert inside(ANKARA, TURKEY)
    assert not inside(ANKARA, SOUTHEAST)
    assert inside(SIRNAK, SOUTHEAST)


def _syrian(text: str, lat: float, lon: float, gid: str, relation: str | None = None
            ) -> PlaceMention:
    place = Place(text, 0, len(text), name=text, feature="city", country="SY", admin1="Raqqa",
                  latitude=lat, longitude=lon, gazetteer_id=gid)
    return PlaceMention(place, 0, len(text), geo_precision=2 if relation else 1,
                        relation=relation)


def test_the_surroundings_of_a_town_hold_only_places_near_it() -> None:
    near_tabqa = _syrian("الطبقة", 35.84, 38.55, "g:tabqa", relation="near")
    village = _syrian("قرية", 35.87, 38.6, "g:village")  # about 5 km away
    raqqa = _syrian("الرقة", 35.95, 39.01, "g:raqqa")  # about 43 km away, same governorate
    countryside = _syrian("الطبقة", 35.84, 38.55, "g:tabqa", relation="countryside")
    assert coarse(near_tabqa) and not coarse(village)
    assert contains(near_tabqa, village)
    assert not contains(near_tabqa, raqqa)
    assert contains(countryside, raqqa)  # a countryside reaches across its governorate
    assert not contains(near_tabqa, _syrian("الطبقة", 35.84, 38.55, "g:tabqa"))  # itself


def test_refine_places_is_on_by_default() -> None:
    assert Settings().refine_places is True


def test_a_place_that_only_locates_the_one_before_it_is_no_finer_place() -> None:
    # «قرب مسجد الكمالية في بغداد»: the surroundings of al-Kamaliya are coarse, but Baghdad only
    # says where al-Kamaliya lies (eventplace.scenes, the filter place_event reads too).
    text = ("وأعلنت مصادر امنية ان سيارة مفخخة متوقفة بالقرب من مسجد الكمالية في بغداد انفجرت "
            "امس ما اسفر عن مقتل عشرة اشخاص.")
    assert [name for _, name, _, _ in _events(text)] == ["Kamaliya"]
