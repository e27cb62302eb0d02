"""The actor registry: the issue's actors are there, every alias matches, no hidden clashes."""

from __future__ import annotations

from typing import Any

import pytest

from actor_helpers import find
from rasad.extract.actors import (
    LAST_ACTIVE_YEAR,
    ActorEntry,
    ActorRegistry,
    AmbiguousAlias,
    GenericActor,
    alias_key,
    load_country_forms,
    load_registry,
)

ARAB_LEAGUE = ("DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS",
               "QA", "SA", "SO", "SD", "SY", "TN", "AE", "YE")


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return load_registry()


def _actor_names(text: str) -> list[tuple[str, str]]:
    """(name or ambiguous alias, surface text) of each actor-like match."""
    out = []
    for m, surface in find(text):
        payload: Any = m.payload
        if isinstance(payload, (ActorEntry, GenericActor)):
            out.append((payload.name, surface))
        elif isinstance(payload, AmbiguousAlias):
            out.append((f"?{payload.alias}", surface))
    return out


def test_registry_has_at_least_200_distinct_actors(registry: ActorRegistry) -> None:
    names = {e.name for e in registry.entries}
    assert len(names) == len(registry.entries)  # one entry per actor, no renamed duplicates
    assert len(names) >= 200
    named = [e for e in registry.entries if not e.id.startswith(("military_", "police_"))]
    assert len(named) >= 120


@pytest.mark.parametrize("code", [*ARAB_LEAGUE, "TR", "IR", "IL", "US", "RU", "GB", "FR"])
def test_state_forces_of_every_arab_state_and_outside_power(registry: ActorRegistry,
                                                            code: str) -> None:
    military = registry.by_id(f"military_{code.lower()}")
    police = registry.by_id(f"police_{code.lower()}")
    assert military.name == f"Military Forces of {load_country_forms()[code].forces_of}"
    assert police.name.startswith("Police Forces of ")
    assert (military.inter, police.inter) == (1, 1)
    assert military.country == police.country == code
    assert military.aliases_ar and police.aliases_ar


@pytest.mark.parametrize(("actor_id", "name", "inter", "country"), [
    ("islamic_state", "Islamic State", 2, None),
    ("syrian_democratic_forces", "Syrian Democratic Forces", 2, "SY"),
    ("ypg", "People's Protection Units (YPG)", 2, "SY"),
    ("free_syrian_army", "Free Syrian Army", 2, "SY"),
    ("al_nusra_front", "Al-Nusra Front", 2, "SY"),
    ("hayat_tahrir_al_sham", "Hay'at Tahrir al-Sham", 2, "SY"),
    ("houthis", "Houthis (Ansar Allah)", 2, "YE"),
    ("popular_mobilization_forces", "Popular Mobilization Forces", 3, "IQ"),
    ("aqap", "Al-Qaeda in the Arabian Peninsula (AQAP)", 2, "YE"),
    ("hezbollah", "Hezbollah", 3, "LB"),
    ("hamas", "Hamas", 2, "PS"),
    ("pkk", "Kurdistan Workers' Party (PKK)", 2, "TR"),
    ("peshmerga", "Peshmerga (Kurdistan Regional Government)", 1, "IQ"),
    ("libya_dawn", "Libya Dawn", 3, "LY"),
    ("ansar_bayt_al_maqdis", "Ansar Bayt al-Maqdis", 2, "EG"),
    ("al_shabaab", "Al-Shabaab", 2, "SO"),
    ("rapid_support_forces", "Rapid Support Forces", 2, "SD"),
    ("jem", "Justice and Equality Movement (JEM)", 2, "SD"),
    ("saudi_led_coalition", "Saudi-led Coalition", 8, None),
    ("international_coalition", "International Coalition", 8, None),
    ("united_nations", "United Nations", 8, None),
])
def test_every_group_the_issue_names_is_present(registry: ActorRegistry, actor_id: str,
                                                name: str, inter: int,
                                                country: str | None) -> None:
    entry = registry.by_id(actor_id)
    assert (entry.name, entry.inter, entry.country) == (name, inter, country)


@pytest.mark.parametrize(("generic_id", "inter"), [
    ("civilians", 7), ("unidentified_armed_group", 3), ("protesters", 6), ("rioters", 5),
    ("state_military", 1), ("state_police", 1)])
def test_generic_actors_per_country_exist(registry: ActorRegistry, generic_id: str,
                                          inter: int) -> None:
    generic = registry.generic(generic_id)
    assert generic.inter == inter
    assert "{country}" in generic.name or "{of}" in generic.name


@pytest.mark.parametrize(("text", "expected"), [
    ('وقصفت قوات "سوريا الديمقراطية" القرية', [("Syrian Democratic Forces",
                                               'قوات "سوريا الديمقراطية')]),
    ("وتقدمت «قسد» نحو الرقة", [("Syrian Democratic Forces", "قسد")]),
    ("دعم أمريكي للحشد الشعبي", [("Popular Mobilization Forces", "للحشد الشعبي")]),
    ("وأعدم الدواعش ثلاثة", [("Islamic State", "الدواعش")]),
    ("وتبنى تنظيم الدولة الإسلامية في العراق والشام الهجوم",
     [("Islamic State", "تنظيم الدولة الإسلامية في العراق والشام")]),
    ("وقال تنظيم داعش الإرهابي", [("Islamic State", "تنظيم داعش الإرهابي")]),
    ("واستهدفت ميليشيا الحوثي الأحياء", [("Houthis (Ansar Allah)", "ميليشيا الحوثي")]),
    ("وقصفت مليشيات الحوثي وصالح عدن", [("Houthis (Ansar Allah)", "مليشيات الحوثي وصالح")]),
    ("وأعلنت جماعة أنصار الله", [("Houthis (Ansar Allah)", "جماعة أنصار الله")]),
    ("وتكبد الانقلابيين خسائر", [("Houthis (Ansar Allah)", "الانقلابيين")]),
    ("مقتل جنديين بنيران قوات الاحتلال الإسرائيلي",
     [("Military Forces of {of}", "جنديين"), ("Military Forces of Israel",
                                              "قوات الاحتلال الإسرائيلي")]),
    ("واعتقلت قوات الأمن التركية", [("Police Forces of Turkey", "قوات الأمن التركية")]),
    ("وأغارت الطائرات الحربية الروسية", [("Military Forces of Russia",
                                          "الطائرات الحربية الروسية")]),
    ("وقتل جنود أتراك", [("Military Forces of Turkey", "جنود أتراك")]),
    ("وقتل ستة مدنيين", [("Civilians ({country})", "مدنيين")]),
    ("وأطلق مسلحون مجهولون النار", [("Unidentified Armed Group ({country})", "مسلحون مجهولون")]),
    ("وأغارت مقاتلات التحالف", [("?مقاتلات التحالف", "مقاتلات التحالف")]),
])
def test_common_surface_forms_resolve_to_their_actor(text: str,
                                                     expected: list[tuple[str, str]]) -> None:
    assert _actor_names(text) == expected


def _alias_sentences(alias: str) -> list[tuple[str, str]]:
    """Sentences with `alias` behind a proclitic, and the span the matcher should give."""
    sentences = [(f"وقال شهود إن و{alias} أمس", alias)]
    if alias.startswith("ال") and not alias.startswith("الل"):
        sentences.append((f"في بيان ل{alias[1:]} أمس", "ل" + alias[1:]))
    elif not alias.startswith("ال"):
        # «للاجئين» also reads as ل + «اللاجئين» (the article's lam merges with a lam-initial
        # noun); the matcher then keeps the whole token: either span is right.
        sentences.append((f"في بيان ل{alias} أمس",
                          "ل" + alias if alias.startswith("ل") else alias))
    return sentences


def test_every_arabic_alias_is_found_behind_clitics(registry: ActorRegistry) -> None:
    missed = []
    targets = [*registry.aliases(), *(("nisba", form, code)
                                      for form, code in registry.nisba_forms())]
    for kind, alias, payload in targets:
        for sentence, span in _alias_sentences(alias):
            found = find(sentence)
            spans = {span, span[1:]} if span.startswith("لل") else {span}
            if not any(m.kind == kind and m.payload == payload and surface in spans
                       for m, surface in found):
                missed.append((alias, sentence, [(m.kind, s) for m, s in found]))
    assert not missed, missed[:20]


def test_no_alias_names_two_actors_unless_declared_ambiguous(registry: ActorRegistry) -> None:
    assert registry.alias_conflicts() == {}
    declared = {alias_key(a.alias) for a in registry.ambiguities}
    listed = {alias_key(alias) for e in registry.entries for alias in e.aliases_ar}
    assert not declared & listed


def test_alias_conflicts_reports_a_form_listed_under_two_actors(registry: ActorRegistry) -> None:
    hamas = registry.by_id("hamas")
    clash = hamas.model_copy(update={"id": "hamas_copy", "name": "Hamas copy",
                                     "aliases_ar": ("حماس",)})
    broken = ActorRegistry(1, {}, list(registry.countries.values()), [hamas, clash], [], [], [])
    assert list(broken.alias_conflicts()) == ["حماس"]


def test_anaphor_heads_are_not_aliases(registry: ActorRegistry) -> None:
    aliases = {alias_key(alias) for kind, alias, _ in registry.aliases() if kind != "anaphor"}
    assert not {a.form for a in registry.anaphors} & aliases


def test_every_entry_has_a_known_source_and_ascii_id(registry: ActorRegistry) -> None:
    for entry in registry.entries:
        assert entry.source and set(entry.source) <= set(registry.sources), entry.id
        assert entry.id.isascii()


def test_plural_nisba_agrees_with_the_noun_case(registry: ActorRegistry) -> None:
    aliases = registry.by_id("military_sy").aliases_ar
    assert "العسكريين السوريين" in aliases and "العسكريون السوريون" in aliases
    assert "العسكريين السوريون" not in aliases


def test_ambiguous_nisba_makes_no_templates(registry: ActorRegistry) -> None:
    # «الشرطة المالية» is the financial police, not Mali's.
    assert all(a != "الشرطة المالية" for e in registry.entries for a in e.aliases_ar)
    assert "المالي" not in {form for form, _ in registry.nisba_forms()}
    assert "الجيش المالي" in registry.by_id("military_ml").aliases_ar


def test_inconsistent_registry_data_is_refused_with_e503(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasad.errors import ConfigError
    from rasad.extract import actors

    read = actors._read_yaml

    def broken(name: str) -> Any:
        data = read(name)
        if name == "actors.yaml":
            data["actors"][0]["anaphora"] = ["الكيان"]
            data["actors"][0]["active"] = [2025, 2011]
            data["actors"][1]["active"] = [2011, LAST_ACTIVE_YEAR + 1]
            data["ambiguities"][0]["actors"].append("no_such_actor")
        return data

    monkeypatch.setattr(actors, "_read_yaml", broken)
    with pytest.raises(ConfigError) as failure:
        actors.load_registry.__wrapped__()
    assert failure.value.code == "E503"
    assert "anaphor الكيان" in failure.value.message
    assert "unknown actor no_such_actor" in failure.value.message
    assert "islamic_state: active years [2025, 2011]" in failure.value.message
    assert f"al_qaeda: active years [2011, {LAST_ACTIVE_YEAR + 1}]" in failure.value.message
