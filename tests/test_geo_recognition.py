"""Toponym recognition: relations, feature words, hashtags, datelines, spans, common words."""

from __future__ import annotations

import pytest

from rasad.doc import Doc
from rasad.geo import load_geocoder
from rasad.records import RawDocument


def locate(text: str):
    doc = Doc.from_raw(RawDocument("t", text))
    return doc, load_geocoder().locate(doc)


def test_countryside_with_trailing_direction_is_one_phrase_of_precision_2() -> None:
    doc, mentions = locate("قصفت الطائرات بلدة مارع في ريف حلب الشمالي أمس")
    aleppo = [m for m in mentions if m.place.admin1 == "Aleppo" and m.place.name == "Aleppo"]
    assert aleppo
    m = aleppo[0]
    assert doc.text[m.start:m.end] == "ريف حلب الشمالي"
    assert (m.relation, m.direction, m.geo_precision) == ("countryside", "north", 2)
    marea = mentions[0]
    assert marea.place.text == "مارع" and marea.geo_precision == 1


def test_compound_direction_before_a_city() -> None:
    doc, mentions = locate("انفجار سيارة مفخخة شمال شرقي بغداد")
    m = mentions[-1]
    assert m.place.name == "Baghdad" and m.relation == "northeast" and m.geo_precision == 2
    assert doc.text[m.start:m.end] == "شمال شرقي بغداد"


@pytest.mark.parametrize(("text", "feature", "gid"), [
    ("هجوم على سجن غويران في الحسكة", "poi", "curated:ghwayran-prison"),
    ("هجوم على سجن الصناعة", "poi", "curated:ghwayran-prison"),
    ("نقل عائلات إلى مخيم الهول", "poi", "curated:al-hol-camp"),
    ("اشتباكات في محافظة حلب", "admin1", "pcode:SY02"),
    ("غارة على مدينة الرقة", "city", None),
])
def test_feature_words_choose_the_kind_of_place(text: str, feature: str, gid: str | None) -> None:
    _, mentions = locate(text)
    assert mentions[0].place.feature == feature
    if gid:
        assert mentions[0].place.gazetteer_id == gid


def test_names_inside_hashtags_are_found_with_exact_original_spans() -> None:
    text = "تضامن مع #انفجار_بيروت و #حفر_الباطن"
    _, mentions = locate(text)
    names = [(m.place.name, text[m.place.start:m.place.end], m.in_hashtag) for m in mentions]
    assert ("Beirut", "بيروت", True) in names
    assert ("Hafar Al-Batin", "حفر_الباطن", False) in names


def test_spans_slice_the_original_text_with_its_diacritics_and_clitics() -> None:
    text = "وقُتل ثلاثة بِحَلَبَ وللكويتِ موقفٌ"
    _, mentions = locate(text)
    for m in mentions:
        assert text[m.place.start:m.place.end] == m.place.text
    assert [m.place.text for m in mentions] == ["حَلَبَ", "للكويتِ"]


def test_dateline_is_marked() -> None:
    _, mentions = locate("دمشق (أ ف ب) - قال مسؤول إن الهجوم وقع في حمص")
    assert mentions[0].dateline and mentions[0].place.name == "Damascus"
    assert not mentions[1].dateline


@pytest.mark.parametrize("text", [
    "قال حسن إن جمال لم يحضر الاجتماع",
    "كان الأمل كبيرا في السلام والنور",
    "رأت بعينها أن الحكومة الجديدة لا تملك بلدا",
    "صرح الشيخ جمال أن السوق مغلق",
    "أمطار وسيول غزيرة بسبب فيروس كورونا",
])
def test_common_words_and_given_names_are_not_places(text: str) -> None:
    _, mentions = locate(text)
    assert mentions == []


def test_a_common_word_after_a_feature_word_is_a_place() -> None:
    _, mentions = locate("قصف على بلدة تل تمر وقرية عين عيسى")
    assert [m.place.text for m in mentions][:1] == ["تل تمر"]


def test_demonyms_and_countries_make_document_context() -> None:
    geocoder = load_geocoder()
    assert geocoder.country_of_text("الجيش السوري") == "SY"
    assert geocoder.country_of_text("القوات العراقية في الموصل") == "IQ"
    assert geocoder.country_of_text("اجتماع اللجنة") is None


def test_an_unlisted_name_after_a_feature_word_is_an_unresolved_place() -> None:
    doc, mentions = locate("افتتاح مدرسة في منطقة عين زحلوق بمحافظة مادبا")
    m = mentions[0]
    assert doc.text[m.start:m.end] == "منطقه عين زحلوق"
    assert m.place.text == "عين زحلوق" and not m.place.resolved
    assert "does not list" in m.cue and "container" in m.cue
    # The governorate the text puts it in stands in for its location and country.
    assert m.place.country == "JO" and m.place.latitude is not None
    assert m.place.to_dict()["resolved"] is False


def test_unlisted_names_take_article_words_and_connectors_but_stop_at_others() -> None:
    _, mentions = locate("أغلقت السلطات طريق الأمير عبد الكريم الجديد أمس وشارع أبو زهرة مغلق")
    assert [m.place.text for m in mentions] == ["الأمير عبد الكريم", "أبو زهرة"]
    assert [m.feature_word for m in mentions] == ["طريق", "شارع"]


@pytest.mark.parametrize(("text", "name", "head"), [
    ("أغلقت الشرطة الدائري السادس بعد الأمطار في الكويت", "السادس", "الدايري"),
    ("حادث على دائري السابع قرب الجهراء", "السابع", "دايري"),
    ("تجمع المياه في مجمع الياسمين السكني", "الياسمين السكني", "مجمع"),
    ("تعليق الدراسة في كلية الدراسات", "الدراسات", "كليه"),
])
def test_ring_roads_complexes_and_colleges_are_places_by_construction(
        text: str, name: str, head: str) -> None:
    _, mentions = locate(text)
    found = [m for m in mentions if m.place.text == name]
    assert found and not found[0].place.resolved and found[0].place.feature == "poi"
    assert found[0].feature_word == head


@pytest.mark.parametrize(("text", "name"), [
    ("اخلاء جميع المرضى في المستشفى المركزي بحفر الباطن", "المركزي"),
    ("إغلاق الطريق الصحراوي بسبب الامطار في الاردن", "الصحراوي"),
    ("تعليق التدريب في المعهد الصناعي الثانوي بحفر الباطن", "الصناعي الثانوي"),
])
def test_a_definite_facility_word_and_a_relative_adjective_name_a_facility(
        text: str, name: str) -> None:
    _, mentions = locate(text)
    found = [m for m in mentions if m.place.text == name]
    assert found and not found[0].place.resolved and found[0].place.feature == "poi"
    assert found[0].place.latitude is not None  # at the place the text puts it in


@pytest.mark.parametrize("text", [
    "ارتفاع الاسعار في السوق السعودي",  # a demonym
    "تراجع المؤشر في السوق العالمي",  # a market in general
    "دعت الجامعة العربية إلى الحوار",  # not a facility word here
    "على الطريق الصحيح نحو الحل",
    "تراجعت الأسهم في السوق الآسيوية",  # the market, not a market place
    "قص الشعر بشكل دائري كاشفا الأذنين",  # circular, not a ring road
])
def test_general_adjectives_after_a_facility_word_are_no_facility(text: str) -> None:
    _, mentions = locate(text)
    assert mentions == []


def test_a_plural_feature_word_makes_the_listed_names_places() -> None:
    _, mentions = locate("افتتاح مدارس في قريتي عين زحلوق وبير قصقص")
    assert [m.place.text for m in mentions] == ["عين زحلوق", "بير قصقص"]


@pytest.mark.parametrize("text", [
    "انتعاش سوق العمل في منطقة اليورو",
    "وصلت الرسالة عن طريق الخطأ إلى منطقة سكنية",
    "افتتاح مستشفى ميداني في مدينة كبيرة",
    "تضررت منازل ومسجد وحرائق في مناطق مختلفة",
    "هذه خطوة أولى على طريق النهاية",
    "الفريقان متقاربان من ناحية القدرة الشرائية",
    "حاول المؤشر العام أمس استرداد الحاجز النفسي",  # «حاول» is no hamza variant of «حائل»
    "هدم آخر مسجد للسنة في المدينة",
    "فحص المزارع وكل منطقة مأهولة",
    "تشهد المجتمعات هجرة معاكسة نحو الريف",
])
def test_common_noun_phrases_after_feature_words_are_not_places(text: str) -> None:
    _, mentions = locate(text)
    assert mentions == []


def test_a_feature_word_is_not_read_as_a_clitic_and_a_name() -> None:
    _, mentions = locate("فيضان في منطقة وادي زحلوق")  # not و + «ادي» (Edd, Eritrea)
    assert [(m.place.text, m.place.resolved) for m in mentions] == [("وادي زحلوق", False)]
    _, verb = locate("وأدى اتفاق الطرفين إلى تهدئة")  # «وأدى» is spelt «وادي» when normalised
    assert verb == []


def test_a_hashtag_of_the_name_alone_makes_a_weak_name_a_place() -> None:
    _, tagged = locate("افتتاح معرض الكتاب الأسبوع المقبل #البكيرية")
    assert [(m.place.country, m.in_hashtag) for m in tagged] == [("SA", False)]
    _, bare = locate("افتتاح معرض الكتاب البكيرية الأسبوع المقبل")
    assert bare == []


@pytest.mark.parametrize("text", [
    "تقدم المقاتلون إلى مشارف السجن في الحسكة",  # «السجن» is also a village in al-Suwayda
    "تم الاتفاق عن طريق وكيل أعماله",  # not و + «كيل» (Kiel) after «طريق»
    "وهو مركز كان يستضيف الاجتماعات",  # a verb after a feature word
    "يعد أكبر ميناء بحري في المنطقة",  # an adjective after a feature word
    "قال إن العاصمة النصر والهلال تنافسا على اللقب",
])
def test_common_words_are_not_places_after_weak_licences(text: str) -> None:
    _, mentions = locate(text)
    assert [m.place.text for m in mentions if m.place.text != "الحسكة"] == []


def test_a_common_word_after_a_facility_word_names_the_facility_not_the_town() -> None:
    _, mentions = locate("إغلاق طريق النصر في الرياض بسبب الأمطار")
    road = mentions[0]
    assert road.place.text == "النصر" and not road.place.resolved
    assert road.feature_word == "طريق" and road.place.country == "SA"


def test_a_clitic_on_a_relation_word_still_opens_a_name() -> None:
    _, mentions = locate("قصف على بلدة في بريف دمشق الشرقي")
    assert [(m.place.name, m.relation) for m in mentions] == [("Rif Dimashq", "east")]
