"""Places named by a number after a head word (`rasad.geo.numbered`), and names whose second
word is a hashtag («المنطقة #الشرقية»)."""

from __future__ import annotations

from dataclasses import replace

from rasad.doc import Doc
from rasad.geo.geocoder import GazetteerGeocoder, load_geocoder
from rasad.geo.numbered import NumberedPlaces
from rasad.geo.recognize import ToponymCues, load_cues
from rasad.records import Place, RawDocument


def _places(text: str) -> list[Place]:
    doc = Doc.from_raw(RawDocument("t", text))
    return [m.place for m in load_geocoder().locate(doc)]


def test_a_numbered_block_is_a_place_at_the_district_the_text_names() -> None:
    text = "تجمع مياه الأمطار في قطعة ٥ بالفحيحيل"
    places = {p.text: p for p in _places(text)}
    block = places["قطعة ٥"]
    assert text[block.start:block.end] == "قطعة ٥"
    assert block.resolved is False and block.feature == "poi"
    town = places["الفحيحيل"]
    assert (block.latitude, block.longitude) == (town.latitude, town.longitude)


def test_the_span_leaves_the_proclitic_out_and_reads_a_hashtag() -> None:
    texts = {p.text for p in _places("حادث مروري بمخرج 9 في الرياض و #مخرج_15")}
    assert {"مخرج 9", "مخرج_15"} <= texts


def test_only_a_number_after_the_head_names_a_place() -> None:
    for text, expected in (("قال مخرج الفيلم إن التصوير في الكويت انتهى", ["الكويت"]),
                           ("بيعت قطعة أرض في الكويت بمليون دينار", ["الكويت"]),
                           ("مخرج: 15 دقيقة", [])):
        assert [p.text for p in _places(text)] == expected, text


def test_heads_are_read_with_their_clitics() -> None:
    numbered = NumberedPlaces({"مخرج": "road"})
    assert {"مخرج", "بمخرج", "ومخرج", "لمخرج"} <= numbered.forms.keys()
    # Each form knows its head word, where the head starts and its proclitic.
    assert numbered.forms["مخرج"] == ("مخرج", 0, "")
    assert numbered.forms["وبمخرج"] == ("مخرج", 2, "وب")


def test_a_hashtag_after_a_feature_word_keeps_the_name_whole() -> None:
    places = _places("أمطار غزيرة على المنطقة #الشرقية اليوم")
    assert [p.text for p in places] == ["المنطقة #الشرقية"]
    assert places[0].country == "SA" and places[0].feature == "admin1"


def test_a_hashtag_after_any_other_word_opens_no_name() -> None:
    # «شمال الشرقية» is an Omani governorate; «وشمال #الشرقية» in a Saudi tweet is the north of
    # the Eastern Province.
    texts = [p.text for p in _places("أمطار على #حفرالباطن و #الخفجي وشمال #الشرقية")]
    assert not any("شمال" in t for t in texts)


def test_the_geocoder_reads_numbered_heads_from_the_cues_it_is_given() -> None:
    text = "حادث مروري بمخرج 9 في الرياض"
    gazetteer = load_geocoder().gazetteer

    def texts(cues: ToponymCues) -> set[str]:
        doc = Doc.from_raw(RawDocument("t", text))
        return {m.place.text for m in GazetteerGeocoder(gazetteer, cues=cues).locate(doc)}

    assert "مخرج 9" in texts(load_cues())
    assert texts(replace(load_cues(), numbered_heads={})) == {"الرياض"}
