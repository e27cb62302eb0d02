"""What governs a trigger decides what it reports: the reason for an arrest, the object of a
seizure, the bombers counted among the dead, a killing in an attack, a relative clause."""

from __future__ import annotations

import pytest

from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

# The rules are judged without the event model, which only ever removes events.
PIPELINE = Pipeline(Settings(event_model=False))


def events(text: str) -> list[tuple[str, str]]:
    doc = PIPELINE.run(RawDocument("t", text, published="2015-08-04"))
    return [(e.event_type, e.sub_event_type) for e in doc.events]


@pytest.mark.parametrize("text", [
    "اعتقلت قوات الأمن العراقية خمسة أشخاص على خلفية التفجير الذي استهدف سوقا في بغداد",
    "اعتقلت الشرطة المصرية ثلاثة مسلحين بتهمة المشاركة في الهجوم على الكنيسة في سيناء",
])
def test_the_event_an_arrest_is_about_is_referred_to_not_reported(text: str) -> None:
    found = events(text)
    assert ("Strategic developments", "Arrests") in found
    assert all(t == "Strategic developments" for t, _ in found), found


def test_a_seized_car_bomb_is_disrupted_not_exploded() -> None:
    found = events("ضبطت قوات الأمن المصرية سيارة مفخخة في مدينة العريش أمس")
    assert found == [("Strategic developments", "Disrupted weapons use")]


def test_a_car_bomb_that_exploded_is_still_an_explosion() -> None:
    assert events("انفجرت سيارة مفخخة في مدينة العريش أمس") == [
        ("Explosions/Remote violence", "Remote explosive/landmine/IED")]


def test_bombers_counted_among_the_dead_are_people_not_a_bombing() -> None:
    found = events("قتلت القوات العراقية عشرة انتحاريين خلال اشتباكات في مدينة الرمادي أمس")
    assert ("Explosions/Remote violence", "Suicide bomb") not in found
    assert ("Battles", "Armed clash") in found


@pytest.mark.parametrize("text", ["فجر انتحاري نفسه في مسجد بمدينة الدمام أمس",
                                  "انتحاري يستهدف مسجدا في مدينة الدمام"])
def test_a_bomber_who_acts_is_a_suicide_bombing(text: str) -> None:
    assert ("Explosions/Remote violence", "Suicide bomb") in events(text)


def test_a_killing_in_an_attack_needs_no_other_armed_word() -> None:
    assert events("قتل خمسة أشخاص في الهجوم الذي استهدف سوقا في بغداد أمس") == [
        ("Violence against civilians", "Attack")]


def test_a_killing_and_an_attack_far_apart_in_other_clauses_vouch_for_nothing() -> None:
    text = ("وحذر الخطباء من الشبهات، كما بينوا الأنفس التي لا يجوز الاعتداء عليها، منبهين "
            "الآباء إلى خطورة وسائل الإعلام التي تبث الفتن وتحرض على القتل والتدمير")
    assert events(text) == []


def test_a_word_inside_a_name_is_no_trigger() -> None:
    found = events("وفي حادث منفصل، فككت فرق الهندسة التابعة لهيئة تحرير الشام عبوة ناسفة في "
                   "بلدة سرمدا شمالي إدلب")
    assert ("Battles", "Non-state actor overtakes territory") not in found


def test_a_name_that_is_the_trigger_itself_stays_one() -> None:
    assert ("Protests", "Peaceful protest") in events(
        "تجمع متظاهرون أمام مبنى المحافظة في مدينة البصرة أمس")


def test_an_event_remembered_on_its_anniversary_is_background() -> None:
    found = events("في غضون ذلك، استذكر أمس العشرات من المسيحيين في وقفة احتجاجية أمام مكتب الأمم "
                   "المتحدة في أربيل، الذكرى السنوية الأولى لاجتياح القرى والبلدات المسيحية في "
                   "سهل نينوى من قبل تنظيم داعش وتهجير النازحين")
    assert found == [("Protests", "Peaceful protest")]
