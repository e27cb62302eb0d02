"""Anaphora, ambiguous aliases and the (name, inter, country) an event record carries."""

from __future__ import annotations

import pytest

from actor_helpers import find
from rasad.countries import country_name
from rasad.extract.actors import (
    ActorEntry,
    ActorRegistry,
    AmbiguousAlias,
    actor_for,
    choose_actor,
    load_registry,
    resolve_anaphor,
)
from rasad.extract.mentions import actor_mentions

ACTOR_KINDS = frozenset({"actor", "actor_ambiguous"})


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return load_registry()


def _resolve_last_anaphor(text: str, event_country: str | None = None) -> ActorEntry | None:
    found = [m for m, _ in find(text)]
    anaphor = [m for m in found if m.kind == "anaphor"][-1]
    actors = [m for m in found if m.kind in ACTOR_KINDS]
    return resolve_anaphor(anaphor, actors, event_country)


def _name(entry: ActorEntry | None) -> str | None:
    return entry.name if entry else None


def test_anaphor_resolves_to_the_named_actor_before_it() -> None:
    text = "هاجم تنظيم داعش قرية في ريف حلب، وقال التنظيم في بيان إن"
    assert _name(_resolve_last_anaphor(text)) == "Islamic State"


def test_anaphor_skips_incompatible_actors() -> None:
    text = "أعلنت حركة حماس رفضها، فيما هاجم داعش موقعا، وقالت الحركة إن"
    assert _name(_resolve_last_anaphor(text)) == "Hamas"


def test_anaphor_takes_the_most_recent_compatible_actor() -> None:
    text = "قالت حركة حماس إن حركة الجهاد الإسلامي قصفت المستوطنات، وأكدت الحركة"
    assert _name(_resolve_last_anaphor(text)) == "Palestinian Islamic Jihad"


def test_anaphor_ignores_state_forces_and_generic_actors() -> None:
    text = "قصف الجيش السوري مواقع قتل فيها مدنيين، وقالت الجماعة"
    assert _resolve_last_anaphor(text) is None


def test_anaphor_never_looks_forward() -> None:
    text = "وقالت الحركة إن حماس"
    assert _resolve_last_anaphor(text) is None


def test_militia_anaphor_finds_houthis_and_party_finds_pkk() -> None:
    yemen = "قصفت ميليشيات الحوثي الأحياء السكنية في تعز وواصلت الميليشيات حصار المدينة"
    turkey = "هاجم حزب العمال الكردستاني مركزا للشرطة وتبنى الحزب الهجوم"
    assert _name(_resolve_last_anaphor(yemen)) == "Houthis (Ansar Allah)"
    assert _name(_resolve_last_anaphor(turkey)) == "Kurdistan Workers' Party (PKK)"


def test_anaphor_through_an_ambiguous_alias_uses_the_event_country() -> None:
    text = "اشتبك عناصر تنظيم القاعدة مع الجيش، وقال التنظيم"
    assert _name(_resolve_last_anaphor(text, "YE")) == (
        "Al-Qaeda in the Arabian Peninsula (AQAP)")
    assert _name(_resolve_last_anaphor(text, "SY")) == "Al-Nusra Front"


def _ambiguous(registry: ActorRegistry, alias: str) -> AmbiguousAlias:
    return next(a for a in registry.ambiguities if a.alias == alias)


@pytest.mark.parametrize(("alias", "country", "expected"), [
    ("التحالف", "YE", "Saudi-led Coalition"),
    ("التحالف", "IQ", "International Coalition"),
    ("التحالف", "LY", None),
    ("تنظيم القاعدة", "SY", "Al-Nusra Front"),
    ("تنظيم القاعدة", "DZ", "Al-Qaeda in the Islamic Maghreb (AQIM)"),
    ("تنظيم القاعدة", "FR", "Al-Qaeda"),
    ("تنظيم القاعدة", None, "Al-Qaeda"),
    ("المتمردين الأكراد", "TR", "Kurdistan Workers' Party (PKK)"),
    ("المتمردين الأكراد", "SY", "People's Protection Units (YPG)"),
    ("المقاتلين الأكراد", "IQ", "Peshmerga (Kurdistan Regional Government)"),
    ("قوات حفظ السلام", "LB", "UNIFIL"),
    ("قوات حفظ السلام", "CF", "United Nations"),
])
def test_ambiguous_alias_is_chosen_by_the_event_country(registry: ActorRegistry, alias: str,
                                                        country: str | None,
                                                        expected: str | None) -> None:
    assert _name(choose_actor(_ambiguous(registry, alias), country)) == expected


def test_state_forces_at_home_are_1_and_abroad_8(registry: ActorRegistry) -> None:
    turkey = registry.by_id("military_tr")
    assert actor_for(turkey, None, "TR") == ("Military Forces of Turkey", 1, "TR")
    assert actor_for(turkey, None, "IQ") == ("Military Forces of Turkey", 8, "TR")
    israel = registry.by_id("military_il")
    assert actor_for(israel, None, "PS")[1] == 8


def test_non_state_actors_keep_their_inter_abroad(registry: ActorRegistry) -> None:
    assert actor_for(registry.by_id("hezbollah"), None, "SY") == ("Hezbollah", 3, "LB")
    assert actor_for(registry.by_id("islamic_state"), None, "IQ") == ("Islamic State", 2, None)
    assert actor_for(registry.by_id("saudi_led_coalition"), None, "YE")[1] == 8


def test_generic_templates_fill_the_country(registry: ActorRegistry) -> None:
    civilians = registry.generic("civilians")
    assert actor_for(civilians, None, "IQ") == ("Civilians (Iraq)", 7, "IQ")
    assert actor_for(civilians, "GB", "TN") == ("Civilians (United Kingdom)", 7, "GB")
    assert actor_for(registry.generic("unidentified_armed_group"), None, "LY") == (
        "Unidentified Armed Group (Libya)", 3, "LY")
    assert actor_for(registry.generic("protesters"), None, "IQ")[0] == "Protesters (Iraq)"
    assert actor_for(registry.generic("rioters"), None, "IQ")[:2] == ("Rioters (Iraq)", 5)
    assert actor_for(registry.generic("state_military"), None, "US") == (
        "Military Forces of the United States", 1, "US")
    assert actor_for(registry.generic("state_police"), "TR", "SY") == (
        "Police Forces of Turkey", 8, "TR")


def test_generic_without_any_country_gives_the_bare_noun(registry: ActorRegistry) -> None:
    assert actor_for(registry.generic("civilians"), None, None) == ("Civilians", 7, None)
    assert actor_for(registry.generic("state_military"), None, None)[0] == "Military Forces"


def test_generic_name_uses_acled_country_names_and_keeps_unknown_codes(
        registry: ActorRegistry) -> None:
    assert country_name("PS") == "Palestine"
    assert registry.generic("civilians").name_for("PS") == "Civilians (Palestine)"
    assert registry.generic("civilians").name_for("XX") == "Civilians (XX)"
    assert registry.generic("state_military").name_for("NL") == (
        "Military Forces of the Netherlands")


def test_a_documents_anaphors_resolve_in_one_pass_as_each_alone() -> None:
    text = " ".join([
        "هاجم تنظيم داعش قرية في ريف حلب، وقال التنظيم في بيان إن",
        "أعلنت حركة حماس رفضها، فيما هاجم داعش موقعا، وقالت الحركة إن",
        "قالت حركة حماس إن حركة الجهاد الإسلامي قصفت المستوطنات، وأكدت الحركة",
        "قصفت ميليشيات الحوثي الأحياء السكنية في تعز وواصلت الميليشيات حصار المدينة",
        "اشتبك عناصر تنظيم القاعدة مع الجيش، وقال التنظيم"])
    found = [m for m, _ in find(text)]
    spans = [m for m in found if m.kind in ACTOR_KINDS | {"anaphor", "actor_generic"}]
    for country in ("YE", "SY", None):
        each = [resolve_anaphor(m, [a for a in found if a.kind in ACTOR_KINDS], country)
                for m in spans if m.kind == "anaphor"]
        mentions = actor_mentions(spans, [], country)
        assert [a.name for a in mentions if a.anaphor] == [e.name for e in each if e]
        assert len(each) == 5
