"""Triggers added from UniversalPETRARCH's CAMEO verb patterns (scripts/cameo_triggers.py):
they fire on made-up reports, and not on a sporting or metaphorical use of the same words."""

from __future__ import annotations

from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

PIPELINE = Pipeline(Settings(use_ner=False))


def _events(text: str) -> list[tuple[str, str]]:
    doc = PIPELINE.run(RawDocument(id="t", text=text, published="2023-03-01"))
    return [(e.event_type, e.sub_event_type) for e in doc.events]


def test_tear_gas_without_the_article_is_a_protest_with_intervention() -> None:
    assert _events("أطلقت الشرطة غاز مسيل للدموع على مئات الطلاب أمام جامعة الخرطوم أمس.") == [
        ("Protests", "Protest with intervention")]


def test_the_plural_hujumat_is_an_attack_of_armed_men() -> None:
    assert _events("شن مسلحو التنظيم هجومات على مواقع الجيش في محيط مدينة الرمادي أمس.") == [
        ("Battles", "Armed clash")]


def test_sporting_and_metaphorical_uses_are_no_event() -> None:
    assert _events("شن لاعبو الفريق هجومات متتالية على مرمى المنافس في الشوط الثاني من "
                   "المباراة أمس.") == []
    # «هجومات» needs an armed actor: a writer's attacks on his critics are words.
    assert _events("شن الكاتب هجومات على منتقديه في مقالاته الأخيرة في صحيفة الأهرام.") == []
