"""Toponym resolution: document countries, containment, precision codes, focus, the fake."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rasad.doc import Doc
from rasad.geo import FakeGeocoder, Gazetteer, GazetteerGeocoder, GazetteerPlace, load_geocoder
from rasad.geo.distance import distance_km
from rasad.geo.recognize import Toponym
from rasad.geo.resolve import PROXIMITY_KM, Anchors, Resolution
from rasad.records import Place, RawDocument


def locate(text: str):
    doc = Doc.from_raw(RawDocument("t", text))
    geocoder = load_geocoder()
    mentions = geocoder.locate(doc)
    return doc, mentions, geocoder.focus(doc, mentions)


def test_amman_or_oman_follows_the_document() -> None:
    _, jordan, _ = locate("سيول في الأردن: إغلاق طرق في عمان والزرقاء")
    assert [m.place.country for m in jordan if m.place.text == "عمان"] == ["JO"]
    assert [m.place.feature for m in jordan if m.place.text == "عمان"] == ["city"]
    _, gulf, _ = locate("وصل الوزير إلى سلطنة عمان قادما من قطر")
    assert gulf[0].place.country == "OM" and gulf[0].place.feature == "country"


def test_a_capital_is_its_country_s_capital_not_a_namesake() -> None:
    """«واشنطن» is Washington, D.C. (the build keeps each country's capital, not every place of
    its name, and gives D.C. its Arabic name), not a town of Utah or Indiana."""
    _, [washington], _ = locate("وقالت واشنطن إن")
    place = washington.place
    assert place.country == "US" and place.latitude is not None and place.longitude is not None
    assert abs(place.latitude - 38.9) < 0.2 and abs(place.longitude + 77.0) < 0.2


def test_containment_picks_the_namesake_in_the_named_governorate() -> None:
    _, hama, _ = locate("قصف مدفعي على ناحية صوران في محافظة حماة")
    _, aleppo, _ = locate("قصف مدفعي على ناحية صوران في محافظة حلب")
    assert hama[0].place.admin1 == "Hama" and aleppo[0].place.admin1 == "Aleppo"
    assert hama[0].place.pcode != aleppo[0].place.pcode
    assert "inside" in hama[0].cue


def test_a_quarter_the_text_puts_elsewhere_is_not_its_listed_namesake() -> None:
    _, aleppo, _ = locate("قصفت فصائل المعارضة حي الميدان في حلب")
    midan = aleppo[0].place
    assert midan.resolved is False and midan.admin1 == "Aleppo"  # not Damascus's al-Midan
    assert aleppo[0].geo_precision == 2 and "outside" in aleppo[0].cue
    _, damascus, _ = locate("قتل ثلاثة في حي الميدان بدمشق")
    assert damascus[0].place.gazetteer_id == "curated:damascus-midan"


def test_precision_codes() -> None:
    _, mentions, _ = locate("اشتباكات في مدينة الرمادي وقرب الفلوجة وفي محافظة نينوى وفي سوريا")
    precision = {m.place.name: m.geo_precision for m in mentions}
    assert precision["Ramadi"] == 1
    assert precision["Al Fallūjah"] == 2
    assert precision["Nineveh"] == 3
    assert precision["Syria"] == 3


def test_feature_word_decides_between_namesakes_and_is_the_cue() -> None:
    town = GazetteerPlace("test:town", "Sarmada", "سرمدا", "city", "SY", 36.18, 36.72, 20_000)
    province = GazetteerPlace("test:province", "Sarmada", "سرمدا", "admin1", "SY", 36.0, 36.6)
    geocoder = GazetteerGeocoder(Gazetteer.from_places([(town, ["سرمدا"]),
                                                        (province, ["سرمدا"])]))
    for text, gid, word in (("قصف على محافظة سرمدا", "test:province", "محافظه"),
                            ("قصف على مدينة سرمدا", "test:town", "مدينه")):
        mentions = geocoder.locate(Doc.from_raw(RawDocument("t", text)))
        assert mentions[0].place.gazetteer_id == gid
        assert word in mentions[0].cue
        assert 0.5 < mentions[0].place.score <= 1.0


def test_focus_is_the_most_prominent_precise_place() -> None:
    _, _, focus = locate("مقتل خمسة في تفجير بالموصل. وقالت مصادر في العراق إن "
                                "التفجير وقع في سوق بالموصل")
    assert focus is not None and focus.place.name == "Mosul"


def test_no_place_no_focus() -> None:
    _, mentions, focus = locate("قال المتحدث إن الاجتماع انتهى")
    assert mentions == [] and focus is None


def test_fake_geocoder_finds_given_names() -> None:
    fake = FakeGeocoder({"قرية س": Place("قرية س", 0, 0, name="Village S", country="SY",
                                          latitude=35.0, longitude=38.0)}, {"SY": "Syria"})
    doc = Doc.from_raw(RawDocument("t", "وقع الهجوم في قرية س وقرية ص"))
    mentions = fake.locate(doc)
    assert [m.place.text for m in mentions] == ["قرية س"]
    assert mentions[0].place.start == doc.raw.text.index("قرية س")
    assert fake.focus(doc, mentions) is None  # no gazetteer id
    assert fake.country_name("SY") == "Syria"


def test_an_unlisted_place_is_located_at_the_place_the_text_is_about() -> None:
    _, mentions, focus = locate("افتتاح مكتبة عامة في الكويت وأخرى في منطقة عين زحلوق")
    unlisted = mentions[-1]
    assert unlisted.place.text == "عين زحلوق" and not unlisted.place.resolved
    assert unlisted.place.country == "KW" and unlisted.geo_precision == 3
    assert "mostly about" in unlisted.cue
    assert focus is not None and focus.place.name == "Kuwait"  # never the unlisted place


def test_an_unlisted_place_with_no_context_has_no_coordinates() -> None:
    _, mentions, _ = locate("افتتاح مستشفى زحلوق التخصصي")
    assert [(m.place.text, m.place.resolved, m.place.latitude) for m in mentions] == [
        ("زحلوق", False, None)]


def _anchor(k: int, latitude: float | None, longitude: float | None, key: str) -> Resolution:
    place = GazetteerPlace(f"g{k}", f"P{k}", None, "city", "SY", latitude, longitude)
    return Resolution(Toponym(0, 1, 0, 1, key, (place,), 0, 1), place, 0.9, 1, "", [])


def _nearest_of_all(anchors: list[Resolution], place: GazetteerPlace, key: str
                    ) -> tuple[float, Resolution] | None:
    """The nearest other anchor by measuring every one (the earliest on a tie)."""
    nearest: tuple[float, Resolution] | None = None
    for anchor in anchors:
        if anchor.place is None or anchor.place.gid == place.gid or anchor.toponym.key == key:
            continue
        km = distance_km(place, anchor.place)
        if km is not None and (nearest is None or km < nearest[0]):
            nearest = (km, anchor)
    return nearest


# Coordinates on a quarter-degree grid, so that ties and equal latitudes occur.
points = st.tuples(st.integers(120, 160).map(lambda x: x / 4), st.integers(140, 180).map(
    lambda x: x / 4), st.sampled_from(["a", "b", "c", "d"]))


@given(st.lists(points, max_size=40), points, st.booleans())
def test_anchors_nearest_is_the_nearest_of_all(drawn: list[tuple[float, float, str]],
                                                query: tuple[float, float, str],
                                                is_anchor: bool) -> None:
    anchors = [_anchor(k, lat, lon, key) for k, (lat, lon, key) in enumerate(drawn)]
    anchors.append(_anchor(len(anchors), None, None, "e"))
    place = anchors[0].place if is_anchor and drawn else GazetteerPlace(
        "q", "Q", None, "city", "SY", query[0], query[1])
    assert place is not None
    expected = _nearest_of_all(anchors, place, query[2])
    found = Anchors(anchors).nearest(place, query[2])
    if expected is None or expected[0] >= PROXIMITY_KM:  # no bonus either way
        assert found is None or found[0] >= PROXIMITY_KM
    else:
        assert found is not None and found[0] == expected[0] and found[1] is expected[1]


def test_a_hospital_named_like_a_famous_one_abroad_is_not_that_one() -> None:
    # «مستشفى الشفاء» is Gaza's al-Shifa in a text about Gaza, not in a text about Idlib.
    _, in_idlib, _ = locate("قصفت الطائرات مستشفى الشفاء الميداني في بلدة كفرنبل")
    assert all(m.place.country != "PS" for m in in_idlib)
    _, in_gaza, _ = locate("اقتحمت القوات الإسرائيلية مستشفى الشفاء في مدينة غزة")
    assert any(m.place.gazetteer_id == "curated:gaza-al-shifa-hospital" for m in in_gaza)


def test_geocode_says_so_when_an_unlisted_place_has_no_container() -> None:
    from typer.testing import CliRunner

    from rasad.cli import app
    out = CliRunner().invoke(app, ["geocode", "انفجار في مقبرة الصالحين"]).stdout
    assert "not in the gazetteer (poi; no container) no coordinates" in out
    assert "None" not in out


def test_a_province_mention_sits_at_its_area_and_its_event_at_the_seat() -> None:
    _, mentions, _ = locate("أمطار غزيرة على المنطقة الشرقية في السعودية")
    province = next(m for m in mentions if m.place.feature == "admin1")
    # The packaged division is at its seat (Dammam), where ACLED codes a province-level event;
    # the record of the mention itself is at the label point of the province's area.
    assert province.place.latitude is not None and province.label is not None
    seat = (province.place.latitude, province.place.longitude)
    assert distance_km_between(seat, province.label) > 300
    record = province.record()
    assert (record.latitude, record.longitude) == province.label
    assert record.gazetteer_id == province.place.gazetteer_id
    country = next(m for m in mentions if m.place.feature == "country")
    assert country.label is None and country.record() is country.place


def test_the_document_places_are_the_mention_records() -> None:
    from rasad.pipeline import get_pipeline
    from rasad.settings import Settings

    out = get_pipeline(Settings(use_ner=False)).process(
        RawDocument("t", "أمطار غزيرة على المنطقة الشرقية في السعودية"))
    province = next(p for p in out["places"] if p["feature"] == "admin1")
    assert round(province["latitude"], 2) == 22.53 and round(province["longitude"], 2) == 50.15


def distance_km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    from rasad.geo.distance import haversine_km

    return haversine_km(a[0], a[1], b[0], b[1])
