"""Location metonymy: a capital or country named as a government is no event place."""

from __future__ import annotations

import pytest

from rasad.doc import Doc
from rasad.geo.metonymy import focus_candidates, load_metonymy_cues
from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

PIPELINE = Pipeline(Settings(use_ner=False))


def _doc(text: str, published: str = "2015-08-06") -> Doc:
    return PIPELINE.run(RawDocument(id="t", text=text, published=published))


def _metonyms(text: str) -> dict[str, bool]:
    return {p.place.text: p.metonym for p in _doc(text).places}


@pytest.mark.parametrize("text, expected", [
    # subject of a verb of saying, deciding, wanting («و» and «لا» before it)
    ("وقالت واشنطن يوم الثلاثاء إن مقاتلين اعتقلوا.", {"واشنطن": True}),
    ("ولا تريد انقرة للقوات الكردية ان تتقدم.", {"انقرة": True}),
    ("وأعلنت تركيا أمس أنها ستطلق هجوما.", {"تركيا": True}),
    # object of a demand verb
    ("ودانت الجامعة العربية القصف، وطالبت أنقرة باحترام سيادة العراق.",
     {"أنقرة": True}),
    # a list after the verb, and after «كلا من»
    ("واتهمت تركيا والولايات المتحدة الحزب بالإرهاب.",
     {"تركيا": True, "الولايات المتحدة": True}),
    ("ودعت الجامعة العربية كلا من تركيا والعراق إلى التعاون.",
     {"تركيا": True, "العراق": True}),
    ("ووقعت هجمات في كل من سوريا والعراق.", {"سوريا": False, "العراق": False}),
    # genitive of a support or relation noun; «بين … و» and «مع» after a relation word
    ("وهي جماعات تحظى بدعم واشنطن في الشمال.", {"واشنطن": True}),
    ("وشكك في وجود اتصالات لعقد تسوية بين واشنطن وجبهة النصرة.", {"واشنطن": True}),
    ("وكانت النصرة أعلنت حربا مفتوحة مع واشنطن.", {"واشنطن": True}),
    ("وقتل ثلاثة في الغارات بحسب أنقرة.", {"أنقرة": True}),
    # the subject after «إن» of a verb of the list; not of another verb
    ("وقال إن واشنطن ترفض الخطة.", {"واشنطن": True}),
    ("وقال المرصد إن دمشق تعرضت لقصف عنيف.", {"دمشق": False}),
    # locative phrases, scenes and a dateline stay places
    ("واعتقلت قوات الدرك خمسة أشخاص في العاصمة أنقرة.", {"أنقرة": False}),
    ("وانفجرت سيارة مفخخة في دمشق أمس.", {"دمشق": False}),
    ("وتواصل قصف دمشق منذ الصباح.", {"دمشق": False}),
    ("ووقعت اشتباكات على الطريق بين دمشق وحمص.", {"دمشق": False, "حمص": False}),
    ("بغداد - قال وزير الدفاع إن القوات تقدمت.", {"بغداد": False}),
    ("وقالت الشرطة بدمشق إن الانفجار وقع صباحا.", {"دمشق": False}),
])
def test_metonym_by_grammatical_position(text: str, expected: dict[str, bool]) -> None:
    found = _metonyms(text)
    assert {k: v for k, v in found.items() if k in expected} == expected


def test_only_countries_and_national_capitals_are_read_as_governments() -> None:
    cues = load_metonymy_cues()
    assert {"geonames:4140963", "geonames:323786", "geonames:170654"} <= cues.capitals
    assert _metonyms("وقالت حلب إن المدينة هادئة.") == {"حلب": False}


@pytest.mark.parametrize("text, places", [
    # the capital as a government: the abduction stays at the scene the paragraph told
    ("قتل جنديان تركيان في انفجار لغم في ولاية شرناق أمس. وقالت واشنطن إن مسلحين خطفوا خمسة "
     "مقاتلين أمس.", ["Sirnak", "Sirnak"]),
    # the capital in a locative phrase is the scene
    ("واعتقلت قوات الدرك التركية عشرة أشخاص يشتبه بانتمائهم لحزب العمال الكردستاني في العاصمة "
     "أنقرة أمس.", ["Ankara"]),
])
def test_event_places_of_capitals(text: str, places: list[str]) -> None:
    assert [e.location.name if e.location else None for e in _doc(text).events] == places


def test_a_capital_named_as_a_government_makes_no_focus() -> None:
    doc = _doc("وقالت واشنطن أمس إن الغارات ستستمر. وأكدت واشنطن أن التحالف متماسك. "
               "وأعلنت واشنطن خطة جديدة.")
    assert doc.places and all(p.metonym for p in doc.places)
    assert focus_candidates(doc.places) == []
    scene = _doc("وقالت واشنطن إن التحالف متماسك. وانفجرت سيارة مفخخة في دمشق أمس.")
    assert [p.place.text for p in focus_candidates(scene.places)] == ["دمشق"]
