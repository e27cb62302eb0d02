"""Event assembly on whole sentences with the packaged data (registry, gazetteer, lexicons)."""

from __future__ import annotations

import pytest

from rasad.doc import Doc
from rasad.extract import eventplace, events, modality
from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings
from rasad.text.normalize import normalize

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


def test_events_running_totals_since_a_period_are_not_events() -> None:
    fronted = _doc("ومنذ اندلاع المعارك في المدينة مطلع الشهر الماضي، قتل 40 جنديا في حلب.",
                   published="2015-07-27")
    after = _doc("ويشن مسلحو التنظيم هجمات يومية على قوات الأمن في الرمادي منذ أسبوع.",
                 published="2015-07-27")
    same_day = _doc("قتل 4 جنود في اشتباكات مع مسلحين في الرمادي أمس.", published="2015-07-27")
    assert fronted.events == [] and after.events == []
    assert len(same_day.events) == 1


def test_events_place_list_ends_at_the_first_word_outside_it() -> None:
    listed = _doc("شنت طائرات التحالف غارات على مواقع الحوثيين في قاعدة العند، وفي الحوطة في "
                  "محافظة لحج، فضلا عن تعز أمس.")
    assert sorted(e.location.text for e in listed.events if e.location) == [
        "الحوطة", "تعز", "قاعدة العند"]
    stopped = _doc("شنت طائرات التحالف غارات على مواقع الحوثيين حول مدينة تعز، التي ينتظر "
                   "أهلها المعركة المقبلة بعد تحرير عدن ولودر وزنجبار.")
    assert [e.location.name for e in stopped.events if e.location] == ["Taiz"]


def test_events_place_that_only_locates_the_one_before_is_not_the_scene() -> None:
    doc = _doc("وفي ضاحية السيدة زينب، قرب دمشق، تظاهر مئات من الأهالي أمس.")
    assert [e.location.text for e in doc.events if e.location] == ["السيدة زينب"]


def test_events_aircraft_named_far_before_the_verb_are_the_agent() -> None:
    doc = _doc("وقال بيان إن طائرات التحالف العربي الذي تقوده المملكة، لردع المتمردين "
               "الحوثيين، شنت غارات على مواقع في مدينة تعز أمس.")
    [event] = doc.events
    assert event.actor1 is not None and event.actor1.name == "Saudi-led Coalition"


def test_events_definite_event_noun_without_a_place_refers_back() -> None:
    text = ("شنت طائرات تركية غارات على مواقع لحزب العمال الكردستاني في شمال العراق أمس. "
            "وقالت وكالة الأناضول إن 30 مسلحا قتلوا في الغارات التركية. "
            "ولا تشير الوكالة إلى الغارات التي استهدفت تنظيم داعش.")
    doc = _doc(text)
    [event] = doc.events
    assert event.sub_event_type == "Air/drone strike"
    assert event.location is not None and event.location.country == "IQ"
    assert event.fatalities == 30


def test_events_at_that_time_and_weapon_stocks_are_not_events() -> None:
    then = _doc("وأعلن البيت الأبيض حينذاك أن القوات الأمريكية قتلت القيادي في التنظيم مع 12 "
                "مسلحا في سوريا.", published="2015-08-06")
    stock = _doc("وأوضحت الوزارة أنه تم ضبط نحو عشر قطع سلاح ومتفجرات وذخائر في بنزرت أمس.",
                 published="2015-08-06")
    assert then.events == []
    assert all(e.event_type != "Explosions/Remote violence" for e in stock.events)


def test_events_protesters_lead_every_protest() -> None:
    against = _doc("نفذت عشرات الأسر وأهالي المختطفين لدى ميليشيات الحوثي وقفة احتجاجية أمام "
                   "فندق في صنعاء أمس.")
    counted = _doc("تظاهر آلاف الإسرائيليين مساء أمس في تل أبيب احتجاجا على الحكومة.")
    [protest] = against.events
    assert protest.actor1 is not None and protest.actor1.name == "Protesters (Yemen)"
    [crowd] = counted.events
    assert crowd.actor1 is not None and crowd.actor1.name.startswith("Protesters")
    assert crowd.actor1.text == "الإسرائيليين"


def test_events_a_group_claiming_the_attack_is_its_perpetrator() -> None:
    doc = _doc("أعلن تنظيم داعش أمس مسؤوليته عن هجوم انتحاري بسيارة مفخخة في بغداد أسفر عن "
               "مقتل 20 شخصا.")
    [event] = doc.events
    assert event.actor1 is not None and event.actor1.name == "Islamic State"


def test_events_a_city_measured_from_is_not_the_scene() -> None:
    doc = _doc("قتل ثلاثة جنود عراقيين أمس في هجوم على قرية في المقدادية، على بعد 40 كم من "
               "بعقوبة.")
    assert [e.location.text for e in doc.events if e.location] == ["المقدادية"]
    headed = _doc("وقتل 22 مسلحا في معارك شمال شرقي بعقوبة، قالت مصادر في بغداد أمس.")
    assert [e.location.text for e in headed.events if e.location] == ["بعقوبة"]


def test_events_intended_and_earlier_events_are_not_reported() -> None:
    purpose = _doc("ويسلط القتال في بنغازي الضوء على الفوضى في ليبيا، حيث تدعم جماعات مسلحة "
                   "حكومتين تتنافسان من أجل السيطرة على البلاد.", published="2015-07-20")
    assert all(e.sub_event_type != "Non-state actor overtakes territory" for e in purpose.events)
    since = _doc("وانتشرت القوات الأمنية في البصرة أمس بعد أقل من أسبوعين على أعمال عنف اندلعت "
                 "خلال تظاهرة للاحتجاج على انقطاع الكهرباء.", published="2015-08-01")
    assert since.events == []


def test_events_the_repeated_headline_is_the_lead_event() -> None:
    text = ("قتل 9 أشخاص خلال الـ 24 ساعة الماضية إثر انفجارات لألغام أرضية زرعها المتمردون "
            "في عدن. وقالت مصادر طبية إن عددا من المصابين في حالة خطرة. وأضافت أن الوضع هادئ. "
            "وقتل خمسة متمردين أمس السبت في معارك في تعز. "
            "رابط الخبر بصحيفة الوئام: ألغام أرضية زرعها الحوثيين تقتل 9 أشخاص في عدن")
    doc = _doc(text, published="2015-08-02")
    mines = [e for e in doc.events if e.sub_event_type == "Remote explosive/landmine/IED"]
    assert len(mines) == 1


def test_events_a_country_named_as_an_agent_is_no_location() -> None:
    doc = _doc("قتل جنديان تركيان في ولاية شرناق أمس. وهاجم مسلحو الحزب، المصنف إرهابيا من قبل "
               "تركيا والولايات المتحدة، مركزا للشرطة أمس.", published="2015-08-06")
    assert doc.events and all(e.location is not None and e.location.country == "TR"
                              for e in doc.events)


def test_events_a_sentence_without_a_place_stays_at_the_last_scene() -> None:
    text = ("أعلنت الولايات المتحدة أمس خطة جديدة، وقالت الولايات المتحدة إن الولايات المتحدة "
            "سترسل مستشارين.\n"
            "وقالت مصادر إن ثلاثة جنود قتلوا في اشتباكات مع مسلحين في محافظة درعا أمس. وأضافت "
            "المصادر أن عبوة ناسفة انفجرت بدورية للشرطة فأصابت اثنين من أفرادها.")
    doc = _doc(text, published="2015-08-06")
    assert doc.events and all(e.location is not None and e.location.country == "SY"
                              for e in doc.events)


def test_events_people_held_and_likenesses_are_no_events() -> None:
    held = _doc("ولا توفر الميليشيات الحوثية أي خدمات لهؤلاء المعتقلين في صنعاء، بل تحتفظ بهم "
                "كرهائن.", published="2015-08-05")
    taken = _doc("واحتجز مسلحون 68 رهينة من الأجانب في فندقين في عمان أمس.",
                 published="2015-08-05")
    assert held.events == []
    assert [e.sub_event_type for e in taken.events] == ["Abduction/forced disappearance"]


def test_events_a_later_mention_keeps_the_place_of_the_event_it_refers_to() -> None:
    text = ("قال مسؤولون في بغداد أمس إن الحكومة ستعالج أزمة الكهرباء في بغداد وضواحي بغداد.\n"
            "وارتفعت الشعارات ذاتها في مدينة كربلاء، على بعد 75 كيلومترا جنوب بغداد. "
            "إذ تظاهر صباح أمس المئات احتجاجا على تردي الخدمات. ورفعوا لافتات كتبت عليها "
            "مطالبهم. وهتف المتظاهرون بشعارات ضد الفساد.")
    doc = _doc(text, published="2015-08-01")
    [protest] = [e for e in doc.events if e.event_type == "Protests"]
    assert protest.location is not None and protest.location.text == "كربلاء"


def test_events_a_place_after_ala_is_listed() -> None:
    doc = _doc("وذكرت مصادر أن تسعة متمردين قتلوا ليلا في غارة جوية على خور المكسر في وسط عدن.",
               published="2015-07-20")
    [strike] = [e for e in doc.events if e.sub_event_type == "Air/drone strike"]
    assert strike.location is not None and strike.location.text == "خور المكسر"


def test_modality_at_that_time_in_any_spelling() -> None:
    doc = _doc("وقتلت القوات الأمريكية في عملية خاصة في محافظة الرقة شرقي سوريا 12 مسلحا من "
               "التنظيم آنذاك.", published="2015-08-06")
    assert doc.events == []


def test_events_a_place_after_from_on_is_listed() -> None:
    doc = _doc("استمرت أمس المظاهرات في عدد من المحافظات الجنوبية بدءا من البصرة ضد سوء الخدمات، "
               "وامتدت الاحتجاجات إلى المحافظات الوسطى ومنها النجف.", published="2015-08-01")
    assert [e.location.text for e in doc.events if e.location] == ["البصرة"]


def test_word_lists_compared_with_tokens_are_normalised() -> None:
    # «على» written as such in `_LOCATIVES` never matched a token (tokens read «علي»).
    lists = (eventplace._LOCATIVES, eventplace._LIST_GLUE, eventplace._DISTANCE_UNITS,
             events._CROWD_COUNTS, eventplace._FROM_ON, events._HEADLINE_MARKS, modality._THEN)
    for words in lists:
        assert all(normalize(w).text == w for w in words), sorted(words)


def test_events_each_report_of_a_digest_sentence_is_an_event() -> None:
    doc = _doc("قصفت قوات النظام أمس مناطق في مدينة حلب، كما دارت اشتباكات بين قوات النظام "
               "وتنظيم داعش في مدينة تدمر، أيضاً قصفت قوات النظام مناطق في مدينة حماة.")
    assert sorted((e.event_type, e.location.text) for e in doc.events if e.location) == [
        ("Battles", "تدمر"), ("Explosions/Remote violence", "حلب"),
        ("Explosions/Remote violence", "حماة")]


def test_events_weak_connector_opens_a_report_only_with_an_act_of_its_own() -> None:
    toll = _doc("قتل 11 من الحوثيين أمس في اشتباكات مع المقاومة الشعبية في مدينة تعز، فيما قتل "
                "ثلاثة من مقاتلي المقاومة.")
    assert [e.location.text for e in toll.events if e.location] == ["تعز"]
    two = _doc("قتل 11 من الحوثيين أمس في اشتباكات مع المقاومة الشعبية في مدينة تعز، بينما دارت "
               "اشتباكات عنيفة في مدينة عدن.")
    assert sorted(e.location.text for e in two.events if e.location) == ["تعز", "عدن"]
    assert [e.fatalities for e in two.events if e.location and e.location.text == "عدن"] == [
        None]


@pytest.mark.parametrize(("text", "events"), [
    # «كما» opens a new report of the paragraph; plain «و» goes on telling the same shelling.
    ("قصفت قوات النظام مناطق في مدينة حلب أمس. كما قصفت طائرات النظام مناطق في المدينة.", 2),
    ("قصفت قوات النظام مناطق في مدينة حلب أمس. وقصفت طائرات النظام مناطق في المدينة.", 1),
    ("شنت طائرات التحالف غارة على مواقع تنظيم داعش في مدينة الرقة أمس. واستهدفت غارة أخرى "
     "مواقع التنظيم.", 2),
    # A toll after «كما», and a later paragraph telling the lead's event again, join it.
    ("انفجرت سيارة مفخخة في سوق بمدينة بعقوبة أمس. كما قتل خمسة مدنيين وأصيب عشرة آخرون.", 1),
    ("شنت طائرات التحالف غارة على مواقع تنظيم داعش في مدينة الرقة أمس.\nوفي غضون ذلك، أسفرت "
     "الغارة على مواقع التنظيم في الرقة عن مقتل عشرة.", 1),
])
def test_events_a_new_report_of_the_paragraph_is_another_event(text: str, events: int) -> None:
    assert len(_doc(text).events) == events


def test_events_a_report_segment_without_a_place_goes_on_with_the_one_before() -> None:
    doc = _doc("قتل عشرة جنود أمس في تفجير انتحاري استهدف مسجدا في مدينة أبها، كما عثر في "
               "الموقع على أحزمة ناسفة.")
    assert [e.location.text for e in doc.events if e.location] == ["أبها"]


def test_events_sides_of_a_clash_are_closed_by_min_jiha() -> None:
    doc = _doc("دارت اشتباكات عنيفة أمس بين قوات النظام والمسلحين الموالين لها من جهة، وتنظيم "
               "داعش من جهة أخرى في مدينة تدمر.")
    [event] = doc.events
    assert event.actor1 is not None and event.actor1.name == "Military Forces of Syria"
    assert event.actor2 is not None and event.actor2.name == "Islamic State"


def test_events_governorates_listed_for_one_event_are_one_event_each() -> None:
    doc = _doc("دارت اشتباكات عنيفة أمس بين القوات العراقية وتنظيم داعش في محافظتي الأنبار "
               "وكركوك.")
    assert sorted((e.location.text, e.geo_precision) for e in doc.events if e.location) == [
        ("الأنبار", 3), ("كركوك", 3)]


def test_events_place_across_a_border_is_not_the_scene() -> None:
    doc = _doc("وفي تركيا، قتل ثلاثة جنود في اشتباكات مع مسلحين على الحدود مع العراق وسوريا أمس.")
    assert [e.location.text for e in doc.events if e.location] == ["تركيا"]


def test_events_country_named_without_a_locative_is_no_scene() -> None:
    doc = _doc("تعرضت القوات المنتشرة في جنوب اليمن لهجوم، ما دفع السعودية الى شن غارات جوية أمس.")
    assert [e.location.text for e in doc.events if e.location] == ["اليمن"]


@pytest.mark.parametrize("text", [
    "بغداد - أ ف ب: قتل 6 أشخاص في تفجيرات في محافظتي الأنبار وكركوك أمس.",
    "وصلت تعزيزات عسكرية إلى مدينة الرمادي أمس. وقتل 6 أشخاص في تفجيرات في محافظتي الأنبار "
    "وكركوك.",
])
def test_events_listed_governorates_are_not_collapsed_to_the_dateline_or_context(
        text: str) -> None:
    doc = _doc(text)
    assert sorted((e.location.text, e.fatalities) for e in doc.events if e.location) == [
        ("الأنبار", 3), ("كركوك", 3)]
