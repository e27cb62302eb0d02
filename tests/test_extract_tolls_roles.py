"""Death tolls and actor roles read through the whole pipeline (packaged registry and gazetteer):
which event a toll belongs to, the actor whose dead an event's toll counts, and fighters named
after a target marker."""

from __future__ import annotations

from typing import Any

from rasad.pipeline import process_document
from rasad.records import RawDocument
from rasad.settings import Settings

SETTINGS = Settings(event_model=False, use_ner=False)


def events(text: str) -> list[dict[str, Any]]:
    return list(process_document(RawDocument("t", text, published="2024-03-10"),
                                 SETTINGS)["events"])


def roles(text: str) -> list[tuple[str, str | None, str | None]]:
    """(sub-event type, actor1 name, actor2 name) of every event of `text`."""

    def name(actor: dict[str, Any] | None) -> str | None:
        return actor["name"] if actor else None

    return [(e["sub_event_type"], name(e["actor1"]), name(e["actor2"])) for e in events(text)]


def tolls(text: str) -> list[tuple[str, int | None]]:
    """(sub-event type, fatalities) of every event of `text`."""
    return [(e["sub_event_type"], e["fatalities"]) for e in events(text)]


def test_tolls_a_later_sentence_without_an_event_gives_the_toll() -> None:
    text = ("انفجرت سيارة مفخخة صباح أمس في سوق شعبي بمدينة بعقوبة. وقالت مصادر طبية إن "
            "حصيلة القتلى بلغت 15 قتيلا و40 جريحا.")
    assert tolls(text) == [("Remote explosive/landmine/IED", 15)]
    # Not across a paragraph, nor from a sentence with a day of its own.
    text = ("انفجرت سيارة مفخخة صباح أمس في سوق شعبي بمدينة بعقوبة.\n\nوقالت مصادر طبية إن "
            "حصيلة القتلى بلغت 15 قتيلا.")
    assert tolls(text) == [("Remote explosive/landmine/IED", None)]
    text = ("انفجرت سيارة مفخخة صباح أمس في سوق شعبي بمدينة بعقوبة. وكانت حصيلة القتلى في "
            "الأسبوع الماضي قد بلغت 15 قتيلا.")
    assert tolls(text) == [("Remote explosive/landmine/IED", None)]


def test_tolls_a_total_over_a_period_is_no_events_toll() -> None:
    text = ("اندلعت المعارك أمس في ريف حمص بين الجيش ومسلحي تنظيم داعش، وقتل أكثر من 300 شخص "
            "منذ اندلاع المعارك في المنطقة.")
    assert tolls(text) == [("Armed clash", None)]
    text = "اندلعت المعارك أمس في ريف حمص بين الجيش ومسلحي تنظيم داعش، وقتل أكثر من 30 شخصا."
    assert tolls(text) == [("Armed clash", 30)]


def test_roles_actor_whose_dead_the_toll_counts_is_the_target() -> None:
    [(sub, a1, a2)] = roles("انفجرت عبوة ناسفة أمس في مدينة الرمادي ما أدى إلى مقتل 4 من عناصر "
                            "الشرطة العراقية.")
    assert sub == "Remote explosive/landmine/IED"
    assert a2 == "Police Forces of Iraq" and a1 != "Police Forces of Iraq"


def test_roles_fighters_after_a_target_marker_are_the_target() -> None:
    # «مقاتلي» names the agent's fighters («شنها مقاتلو التنظيم»), but after «ضد» the target's.
    [(sub, a1, a2)] = roles("واصلت تركيا أمس الغارات الجوية ضد مقاتلي داعش في ريف حلب الشمالي.")
    assert sub == "Air/drone strike"
    assert a2 == "Islamic State" and a1 != "Islamic State"
    [(_, a1, a2)] = roles("شن الجيش التركي أمس غارات جوية ضد مقاتلي تنظيم داعش في ريف حلب "
                          "الشمالي.")
    assert (a1, a2) == ("Military Forces of Turkey", "Islamic State")


def test_roles_forces_that_announce_their_own_act_are_actor1() -> None:
    [(_, a1, a2)] = roles("أعلن الجيش الإسرائيلي أمس أنه قصف مواقع لحركة حماس في مدينة غزة.")
    assert (a1, a2) == ("Military Forces of Israel", "Hamas")
    [(_, a1, a2)] = roles("قال الجيش الإسرائيلي إن طائراته قصفت أمس مواقع لحزب الله في جنوب "
                          "لبنان.")
    assert (a1, a2) == ("Military Forces of Israel", "Hezbollah")
    # A source that tells of another's act is only the source.
    [(_, a1, _)] = roles("قال الحوثيون إن طائرات التحالف قصفت أمس مواقع في صعدة.")
    assert a1 == "Saudi-led Coalition"


def test_roles_a_claim_in_the_next_sentence_names_the_perpetrator() -> None:
    text = ("انفجرت سيارة مفخخة أمس في سوق شعبي بمدينة بعقوبة ما أدى إلى مقتل 7 أشخاص. وتبنى "
            "تنظيم داعش الهجوم في بيان على الإنترنت.")
    assert roles(text) == [("Remote explosive/landmine/IED", "Islamic State", "Civilians (Iraq)")]
    # A group that speaks without claiming it names nobody.
    text = ("انفجرت سيارة مفخخة أمس في سوق شعبي بمدينة بعقوبة ما أدى إلى مقتل 7 أشخاص. وقال "
            "تنظيم داعش في بيان إن الوضع صعب.")
    assert roles(text)[0][1] != "Islamic State"
