"""Actor roles read through the whole pipeline (packaged registry and gazetteer): the actor whose
dead an event's toll counts, and fighters named after a target marker."""

from __future__ import annotations

from typing import Any

from rasad.pipeline import process_document
from rasad.records import RawDocument
from rasad.settings import Settings

SETTINGS = Settings(event_model=False, use_ner=False)


def roles(text: str) -> list[tuple[str, str | None, str | None]]:
    """(sub-event type, actor1 name, actor2 name) of every event of `text`."""
    record = process_document(RawDocument("t", text, published="2024-03-10"), SETTINGS)

    def name(actor: dict[str, Any] | None) -> str | None:
        return actor["name"] if actor else None

    return [(e["sub_event_type"], name(e["actor1"]), name(e["actor2"]))
            for e in record["events"]]


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
