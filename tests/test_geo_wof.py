"""The Who's On First places of the gazetteer: villages and quarters found in the right country,
common-word names kept out of running text, local villages over foreign namesakes."""

from __future__ import annotations

import json

from rasad.doc import Doc
from rasad.geo import load_geocoder
from rasad.geo.distance import haversine_km
from rasad.geo.gazetteer import name_key
from rasad.records import RawDocument


def locate(text: str):
    doc = Doc.from_raw(RawDocument("t", text))
    return load_geocoder().locate(doc)


def wof_sample(every: int = 97) -> list[tuple[str, str, str]]:
    """(feature word, Arabic name, country) of every `every`-th village or quarter that only
    Who's On First lists in Syria, Iraq, Yemen and Lebanon, under a name no other place bears."""
    gazetteer = load_geocoder().gazetteer
    places = [p for p in gazetteer.places if p.gid.startswith("wof:") and p.feature == "city"
              and p.country in ("SY", "IQ", "YE", "LB") and p.name_ar]
    sample = []
    for place in places[::every]:
        key = name_key(place.name_ar or "")
        if " " in key or key in gazetteer.common_names or len(gazetteer.names.get(key, ())) != 1:
            continue
        word = "حي" if place.kind == "neighbourhood" else "قرية"
        sample.append((word, place.name_ar or "", place.country or ""))
    return sample


def test_villages_and_quarters_only_who_is_on_first_lists_resolve_in_their_country() -> None:
    sample = wof_sample()
    assert len(sample) >= 50
    wrong = []
    for word, name, country in sample:
        mentions = locate(f"قصفت الطائرات {word} {name} صباح اليوم")
        found = [(m.place.country, m.place.resolved) for m in mentions]
        if (country, True) not in found:
            wrong.append((name, country, found))
    assert len(wrong) <= len(sample) // 20, wrong[:10]


def test_a_common_word_name_is_a_place_only_after_a_feature_word() -> None:
    assert "كمين" in load_geocoder().gazetteer.common_names  # a village near Latakia
    assert locate("قتل ثلاثة جنود في كمين نصبه مسلحون") == []
    village = locate("قصفت الطائرات قرية كمين في ريف اللاذقية")[0].place
    assert village.text == "كمين" and village.resolved and village.country == "SY"


def test_a_local_village_beats_a_foreign_town_of_the_same_name() -> None:
    # al-Rahmaniyah: a village north of Aleppo, and a larger town on the Nile.
    mentions = locate("قصفت الطائرات قرية الرحمانية في ريف حلب الشمالي")
    village = mentions[0].place
    assert village.resolved and village.country == "SY" and village.admin1 == "Aleppo"
    assert village.latitude is not None and village.longitude is not None
    assert haversine_km(village.latitude, village.longitude, 36.2, 37.16) < 100
    # Without the Syrian context the Egyptian town keeps its name.
    egypt = locate("افتتاح مدرسة جديدة في الرحمانية بمحافظة البحيرة المصرية")
    assert egypt[0].place.country == "EG"
    # A district of Cairo does not take «منطقة النزهة» out of the Jordanian town it is put in.
    madaba = locate("انتشال جثة طفلة في منطقة النزهة في مأدبا")
    assert madaba[0].place.text == "النزهة" and madaba[0].place.country == "JO"


def test_geocode_shows_the_candidates_and_what_each_scored() -> None:
    from typer.testing import CliRunner

    from rasad.cli import app

    text = "انتشال جثة طفلة في منطقة النزهة في مأدبا"
    result = CliRunner().invoke(app, ["geocode", "--json", text])
    assert result.exit_code == 0
    first = json.loads(result.stdout.splitlines()[0])
    assert first["considered"] >= 3 and first["candidates"][0]["country"] == "JO"
    egypt = next(c for c in first["candidates"] if c["country"] == "EG")
    assert egypt["parts"]["inside «مادبا» (Mādabā)"] < 0
    text = CliRunner().invoke(app, ["geocode", "حي سوق الجمعة بالعاصمة الليبية طرابلس"]).stdout
    assert "set aside: Suq al Jum`ah" in text and "considered" in text


def test_a_wof_namesake_needs_evidence_where_a_listed_place_bears_the_name() -> None:
    # A country's name is the country, whatever Syrian hamlet bears it.
    qatar = locate("عقدت القمة الأميركية الروسية في قطر حول سوريا")
    assert next((m.place.text, m.place.feature) for m in qatar) == ("قطر", "country")
    yemen = locate("استباحت الميليشيات عاصمة اليمن عدن لأكثر من أربعة أشهر")
    assert ("اليمن", "country") in [(m.place.text, m.place.feature) for m in yemen]
    # «منطقة» is too vague to prefer WOF's district of Bizerte over the governorate.
    bizerte = locate("عمليات لقوات الامن التونسية في منطقة بنزرت في شمال تونس")[0].place
    assert bizerte.text == "بنزرت" and bizerte.feature == "admin1"
    # A feature word of its kind does vouch for it: the sub-district of Hibhib (Diyala).
    hibhib = locate("سقوط قذائف هاون على منازل في ناحية هبهب")[0].place
    assert hibhib.resolved and hibhib.country == "IQ" and hibhib.admin1 == "Diyala"


def test_a_wof_place_is_no_evidence_for_its_own_country() -> None:
    # An Iraqi hamlet named «برجيّة» is not what a tweet about Jordan's floods means.
    text = "الدفاع المدني: إنارة برجيّة في منطقة جسر الراشدية #الأردن #سيول_الأردن"
    assert "IQ" not in {m.place.country for m in locate(text)}


def test_wof_words_do_not_cut_names_short_nor_hide_shorter_names() -> None:
    # «سهل» is a WOF village: the unlisted name after «منطقة» still runs on.
    plain = locate("تشرف على منطقة سهل الغاب حيث تدور معارك")[0].place
    assert plain.text == "سهل الغاب" and not plain.resolved
    # «مصر الجديدة» is a common phrase: Egypt is still read at its start.
    egypt = locate("سيدة تسير في مياه الأمطار بمصر الجديدة")
    assert [m.place.country for m in egypt] == ["EG"]


def test_a_facility_or_sub_place_head_makes_an_unknown_name_a_place() -> None:
    cases = {
        "استهدف انتحاري حاجز الكسارات قرب حلب": ("الكسارات", "SY"),
        "اقتحم مسلحون مبنى المحافظة في الرمادي": ("المحافظة", "IQ"),
        "قتل عشرة في قصف سوق الهال في مدينة ادلب": ("الهال", "SY"),
        "هاجم مسلحون سفارة الكويت في بغداد": ("الكويت", "IQ"),
    }
    for text, (name, country) in cases.items():
        place = locate(text)[0].place
        assert (place.text, place.feature, place.resolved, place.country) == \
            (name, "poi", False, country), text
    assert locate("من ناحية العلاج فإن الأطباء") == []  # «من ناحية»: as regards
