"""Aliases the gazetteer build generates or drops (scripts/build_gazetteer.py), and the places
they make findable or keep findable in the packaged file."""

from __future__ import annotations

import pytest

from rasad.doc import Doc
from rasad.geo import load_geocoder
from rasad.records import RawDocument
from script_helpers import load_script


def places_of(text: str) -> list[tuple[str, str | None, str | None]]:
    doc = Doc.from_raw(RawDocument("t", text))
    return [(m.place.text, m.place.name, m.place.country) for m in load_geocoder().locate(doc)]


def test_a_listed_places_kunya_is_also_found_written_as_one_word() -> None:
    build = load_script("build_gazetteer")
    assert "ابوعريش" in build.name_variants("أبو عريش", kunya_joined=True)
    assert "ابوعريش" not in build.name_variants("أبو عريش")
    # Only «أبو X» of two words: «أم» and «بني» run together are other words («أمشط»).
    assert build.name_variants("أم باب", kunya_joined=True) == ["ام باب"]


def test_a_city_word_alias_far_from_the_prominent_town_it_names_is_dropped() -> None:
    build = load_script("build_gazetteer")
    riyadh = build.Place(gid="geonames:108410", name="Riyadh", name_ar="الرياض", feature="city",
                         country="SA", latitude=24.69, longitude=46.72, source="test",
                         population=4_205_961, names=["الرياض"])
    village = build.Place(gid="geonames:1", name="Ar Riyad", name_ar="الرياض", feature="city",
                          country="EG", latitude=31.2, longitude=30.9, source="test",
                          population=600, names=["الرياض"])
    shadows = build.shadowing([riyadh, village])
    assert shadows("مدينة الرياض", "AE", 24.35, 54.77)  # a quarter of Abu Dhabi
    assert not shadows("مدينة الرياض", "SA", 24.70, 46.70)  # Riyadh itself
    assert not shadows("قرية الرياض", "AE", 24.35, 54.77)  # no one calls Riyadh a village
    assert not shadows("مدينة الريان", "AE", 24.35, 54.77)  # no prominent town of that name
    # A listed place of the quarter's own country has the name: the quarter may be meant.
    assert not shadows("مدينة الرياض", "EG", 30.0, 31.0)


@pytest.mark.parametrize(("text", "name", "country"), [
    ("افتتح المعرض في مدينة الرياض أمس", "Riyadh", "SA"),
    ("وقع الحادث في محافظة أبوعريش بمنطقة جازان", "Abū ‘Arīsh", "SA"),
    ("وصل الوفد إلى الخرطوم أمس", "Khartoum", "SD"),  # GeoNames: «ااالخرطوم»
    ("قتل شخص في الأحساء", "Al-Ahsa", "SA"),  # a governorate only WOF lists
    ("قتل جندي في شرورة بنيران الحوثيين", "Sharurah", "SA"),
    ("اشتباكات في مديرية حرض بمحافظة حجة", "Harad", "YE"),  # a unit's name, not a word
    ("هجوم في ولاية قندهار", "Kandahar", "AF"),
])
def test_the_packaged_gazetteer_finds_the_places_these_aliases_concern(
        text: str, name: str, country: str) -> None:
    assert (name, country) in [(n, c) for _, n, c in places_of(text)]


def test_forty_is_no_place_nor_a_bahraini_village_an_iraqi_one() -> None:
    assert places_of("خلال الأربعين يوما الماضية") == []
    # Iraq's «قرية العكر» stays a common word: the phrase is not read as that village.
    assert "IQ" not in [c for _, _, c in places_of("انفجار قنبلة في قرية العكر في البحرين")]


@pytest.mark.parametrize(("text", "country"), [
    ("وصل الوفد إلى كردستان أمس", "IQ"),  # bare: the Kurdistan Region, as the Arab press means
    ("اشتباكات في كردستان العراق أمس", "IQ"),
    ("اشتباكات عنيفة في كردستان سوريا أمس", "SY"),
    ("اشتباكات في كردستان تركيا أمس", "TR"),
    ("اشتباكات في كردستان إيران أمس", "IR"),
])
def test_kurdistan_is_the_region_of_the_country_it_is_written_with(text: str,
                                                                   country: str) -> None:
    assert [c for _, _, c in places_of(text)] == [country]


def test_a_joined_kunya_that_names_a_companion_is_no_place() -> None:
    assert places_of("قال أبوهريرة رضي الله عنه") == []
