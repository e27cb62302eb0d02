"""The actor registry: named conflict actors, state forces, generic actors and anaphors.

`load_registry()` reads the packaged `data/actors.yaml` and `data/nisba.yaml` once (cached),
validates them, and expands the state-force templates into one "Military Forces of X" and one
"Police Forces of X" entry per country («القوات السورية», «الشرطة التركية» …).
`ActorRegistry.add_to_lexicon` loads every Arabic surface form into a `rasad.text.lexicon.Lexicon`
under these kinds:

    actor            payload `ActorEntry`      a named actor («داعش», «الجيش السوري»)
    actor_generic    payload `GenericActor`    takes its country from the event («مدنيين», «الشرطة»)
    actor_ambiguous  payload `AmbiguousAlias`  names different actors in different wars («التحالف»)
    anaphor          payload `AnaphorEntry`    a generic head that refers back («التنظيم»)
    nisba            payload ISO country code  a demonym adjective («العراقية», «الأتراك»)

`choose_actor` picks the candidate of an ambiguous alias for the event's country (and, among
that country's candidates, one active in the document's year),
`resolve_anaphor` finds the most recent named actor an anaphor can refer to, and `actor_for`
gives the (name, inter, country) an event record carries: ACLED's inter 8 for state forces
outside their own country, and `{country}` templates filled with ACLED country names
(`rasad.countries`).  A named actor's `active` years (first and last year it fought under that
name) are loaded and checked; `ActorEntry.active_in_year` tells whether an event's year falls in
them, for callers that want to flag an anachronism (nothing is dropped for it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from rasad.countries import country_info, country_name
from rasad.errors import ConfigError
from rasad.text.lexicon import Lexicon, LexMatch
from rasad.text.normalize import normalize_form

ActorKind = Literal["state_military", "state_police", "state_other", "rebel", "militia",
                    "militia_pro_government", "identity_militia", "political", "coalition",
                    "igo", "peacekeeping", "private_military", "civilians", "protesters",
                    "rioters", "unidentified"]
STATE_KINDS = frozenset({"state_military", "state_police", "state_other"})
UNARMED_KINDS = frozenset({"political", "igo", "civilians", "protesters", "rioters"})
EXTERNAL_INTER = 8
# Bounds of an actor's `active` years.  LAST_ACTIVE_YEAR is the year the registry was last
# reviewed against the press: an actor whose years end there was still active then, and nothing
# is known of it after.
FIRST_ACTIVE_YEAR = 1900
LAST_ACTIVE_YEAR = 2025

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CountryForms(_Frozen):
    """A country's Arabic nisba forms (data/nisba.yaml); its name comes from `rasad.countries`."""

    code: str = Field(pattern=r"^[A-Z]{2}$")
    of: str | None = None
    nisba: tuple[str, ...] = ()
    nisba_f: tuple[str, ...] | None = None
    nisba_pl: tuple[str, ...] | None = None
    forces: bool = True
    nisba_ambiguous: bool = False

    @property
    def name(self) -> str:
        """ACLED's English name of the country ("Syria")."""
        return country_name(self.code) or self.code

    @property
    def forces_of(self) -> str:
        """The name after "Military Forces of" ("Syria", "the United States")."""
        return self.of or self.name

    def nisba_forms(self) -> dict[str, tuple[str, ...]]:
        """Nisba forms by agreement class: masc, fem, people and their indefinite forms."""
        masc = self.nisba
        fem = self.nisba_f if self.nisba_f is not None else tuple(m + "ة" for m in masc)
        people = (self.nisba_pl if self.nisba_pl is not None
                  else tuple(m + end for m in masc for end in ("ين", "ون")))
        return {"masc": masc, "fem": fem, "people": people,
                "indef_masc": _indefinite(masc), "indef_fem": _indefinite(fem),
                "indef_people": _indefinite(people)}


def _indefinite(forms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f[2:] if f.startswith("ال") else f for f in forms)


class ActorEntry(_Frozen):
    """A named actor: canonical ACLED-style name, surface forms, inter code, home country."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    aliases_en: tuple[str, ...] = ()
    aliases_ar: tuple[str, ...]
    inter: int = Field(ge=1, le=8)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    theatres: tuple[str, ...] = ()
    kind: ActorKind
    anaphora: tuple[str, ...] = ()
    parent: str | None = None
    active: tuple[int, int] | None = None
    source: tuple[str, ...]
    note: str | None = None

    def active_in_year(self, year: int) -> bool | None:
        """Whether `year` lies in the actor's `active` years.

        None when the registry does not know: no `active` years, or a year after the last review
        for an actor still active then.
        """
        if self.active is None:
            return None
        first, last = self.active
        if year > last == LAST_ACTIVE_YEAR:
            return None
        return first <= year <= last

    def active_in(self, country: str | None) -> bool:
        """Whether the actor fights in `country` (its theatres, or else its home country)."""
        if country is None:
            return False
        return country in (self.theatres or ((self.country,) if self.country else ()))

    @property
    def is_global(self) -> bool:
        return not self.theatres and self.country is None

    @property
    def armed(self) -> bool:
        """Whether the actor bears arms (a party, the UN as a whole, civilians do not)."""
        return self.kind not in UNARMED_KINDS


class GenericActor(_Frozen):
    """An actor named after a country: "Civilians ({country})", "Police Forces of {of}"."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    inter: int = Field(ge=1, le=8)
    kind: ActorKind
    aliases_ar: tuple[str, ...]
    source: tuple[str, ...]

    @property
    def armed(self) -> bool:
        return self.kind not in UNARMED_KINDS

    def name_for(self, country: str | None) -> str:
        """The name with the country filled in; without a country, the bare noun ("Civilians")."""
        if country is None:
            return self.name.replace(" ({country})", "").replace(" of {of}", "")
        name = country_name(country) or country
        forms = load_country_forms().get(country)
        return self.name.format(country=name, of=forms.forces_of if forms else name)


class AnaphorEntry(_Frozen):
    """A generic head («التنظيم», «الحركة») that refers back to a named actor."""

    head: str

    @property
    def form(self) -> str:
        return normalize_form(self.head)


class AmbiguousAlias(_Frozen):
    """A surface form shared by several actors; the event's country chooses (`choose_actor`)."""

    alias: str
    candidates: tuple[ActorEntry, ...]
    note: str | None = None


class _StateTemplate(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    kind: ActorKind
    inter: int = Field(ge=1, le=8)
    source: tuple[str, ...]
    masc: tuple[str, ...] = ()
    fem: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    indef_masc: tuple[str, ...] = ()
    indef_fem: tuple[str, ...] = ()
    indef_people: tuple[str, ...] = ()


class _StateForces(_Frozen):
    templates: tuple[_StateTemplate, ...]
    extra: dict[str, dict[str, tuple[str, ...]]] = {}


class _Ambiguity(_Frozen):
    aliases: tuple[str, ...]
    actors: tuple[str, ...]
    note: str | None = None


class _RegistryFile(_Frozen):
    version: int
    sources: dict[str, str]
    anaphors: tuple[str, ...]
    state_forces: _StateForces
    generic: tuple[GenericActor, ...]
    actors: tuple[ActorEntry, ...]
    ambiguities: tuple[_Ambiguity, ...] = ()


class _NisbaFile(_Frozen):
    countries: tuple[CountryForms, ...]


def alias_key(alias: str) -> str:
    """The matching form of an alias: normalised, quotes and hyphens as spaces, single-spaced."""
    folded = normalize_form(alias)
    for ch in "\"'-":
        folded = folded.replace(ch, " ")
    return " ".join(folded.split())


class ActorRegistry:
    """Named actors (with expanded state forces), generic actors, anaphors and countries."""

    def __init__(self, version: int, sources: dict[str, str], countries: Sequence[CountryForms],
                 entries: Sequence[ActorEntry], generics: Sequence[GenericActor],
                 anaphors: Sequence[AnaphorEntry], ambiguities: Sequence[AmbiguousAlias]) -> None:
        self.version = version
        self.sources = dict(sources)
        self.countries: dict[str, CountryForms] = {c.code: c for c in countries}
        self.entries: tuple[ActorEntry, ...] = tuple(entries)
        self.generics: tuple[GenericActor, ...] = tuple(generics)
        self.anaphors: tuple[AnaphorEntry, ...] = tuple(anaphors)
        self.ambiguities: tuple[AmbiguousAlias, ...] = tuple(ambiguities)
        self._by_id = {e.id: e for e in self.entries}
        self._generic_by_id = {g.id: g for g in self.generics}
        self._military = {e.country: e for e in self.entries
                          if e.kind == "state_military" and e.country is not None}

    def by_id(self, actor_id: str) -> ActorEntry:
        """The named actor with this id (KeyError if there is none)."""
        return self._by_id[actor_id]

    def military_of(self, country: str) -> ActorEntry | None:
        """The "Military Forces of X" entry of a country, if the registry has one."""
        return self._military.get(country)

    def generic(self, generic_id: str) -> GenericActor:
        """The generic actor with this id ("civilians", "state_police" …)."""
        return self._generic_by_id[generic_id]

    def aliases(self) -> Iterator[tuple[str, str, Any]]:
        """Every (lexicon kind, Arabic surface form, payload) the registry defines."""
        for entry in self.entries:
            for alias in entry.aliases_ar:
                yield "actor", alias, entry
        for generic in self.generics:
            for alias in generic.aliases_ar:
                yield "actor_generic", alias, generic
        for ambiguous in self.ambiguities:
            yield "actor_ambiguous", ambiguous.alias, ambiguous
        for anaphor in self.anaphors:
            yield "anaphor", anaphor.head, anaphor

    def nisba_forms(self) -> Iterator[tuple[str, str]]:
        """Every (nisba form, country code) safe to match on its own."""
        for country in self.countries.values():
            if country.nisba_ambiguous:
                continue
            for forms in country.nisba_forms().values():
                for form in forms:
                    yield form, country.code

    def alias_conflicts(self) -> dict[str, list[str]]:
        """Surface forms (matching form) that stand for two different things.

        Each ambiguous alias is one thing; a form listed under two actors, or as an actor and a
        generic actor, an anaphor or a nisba, is a conflict: declare it under `ambiguities` or
        drop one.
        """
        owners: dict[str, dict[str, None]] = {}
        for kind, alias, payload in self.aliases():
            owner = f"{kind}:{getattr(payload, 'id', None) or alias_key(alias)}"
            owners.setdefault(alias_key(alias), {})[owner] = None
        for form, code in self.nisba_forms():
            owners.setdefault(alias_key(form), {})[f"nisba:{code}"] = None
        return {key: list(found) for key, found in owners.items() if len(found) > 1}

    def add_to_lexicon(self, lexicon: Lexicon) -> None:
        """Load every alias, anaphor and nisba into `lexicon` (kinds in the module docstring)."""
        for kind, alias, payload in self.aliases():
            lexicon.add(kind, alias, payload)
        for form, code in self.nisba_forms():
            lexicon.add("nisba", form, code)


def _read_yaml(name: str) -> Any:
    text = resources.files("rasad").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_Loader)


def _expand_state_forces(spec: _StateForces, countries: Sequence[CountryForms]) -> list[ActorEntry]:
    """One entry per template and country: the template nouns + the country's nisba forms."""
    entries = []
    for country in countries:
        if not country.forces:
            continue
        forms = {} if country.nisba_ambiguous else country.nisba_forms()
        extra = spec.extra.get(country.code, {})
        for template in spec.templates:
            aliases: list[str] = []
            for agreement, nouns in (("masc", template.masc), ("fem", template.fem),
                                     ("people", template.people),
                                     ("indef_masc", template.indef_masc),
                                     ("indef_fem", template.indef_fem),
                                     ("indef_people", template.indef_people)):
                aliases.extend(f"{noun} {nisba}" for noun in nouns
                               for nisba in forms.get(agreement, ()) if _agree(noun, nisba))
            aliases.extend(extra.get(template.id, ()))
            entries.append(ActorEntry(
                id=f"{template.id}_{country.code.lower()}",
                name=template.name.format(of=country.forces_of, country=country.name),
                aliases_ar=tuple(dict.fromkeys(aliases)), inter=template.inter,
                country=country.code, kind=template.kind, source=template.source))
    return entries


def _agree(noun: str, nisba: str) -> bool:
    """Whether a plural nisba takes the noun's case: «العسكريين السوريين», not «العسكريين السوريون».

    A sound plural noun in ين (accusative/genitive) or ون (nominative) takes the nisba with the
    same ending; broken plurals («الجنود») and broken-plural nisbas («الأتراك») go with both.
    """
    endings = ("ين", "ون")
    noun_end = next((e for e in endings if noun.endswith(e)), None)
    nisba_end = next((e for e in endings if nisba.endswith(e)), None)
    return noun_end is None or nisba_end is None or noun_end == nisba_end


def _check(spec: _RegistryFile, countries: dict[str, CountryForms],
           entries: Sequence[ActorEntry]) -> None:
    """Cross-references the schema cannot see: ids, sources, anaphors, countries, parents."""
    problems: list[str] = []
    seen: set[str] = set()
    anaphors = set(spec.anaphors)
    for entry in entries:
        if entry.id in seen:
            problems.append(f"duplicate id {entry.id}")
        seen.add(entry.id)
        problems += [f"{entry.id}: unknown source {s}" for s in entry.source
                     if s not in spec.sources]
        problems += [f"{entry.id}: anaphor {a} not in anaphors" for a in entry.anaphora
                     if a not in anaphors]
        problems += [f"{entry.id}: unknown country {code}"
                     for code in (entry.country, *entry.theatres)
                     if code is not None and country_info(code) is None]
        if not entry.aliases_ar:
            problems.append(f"{entry.id}: no Arabic alias")
        if entry.active is not None and not (
                FIRST_ACTIVE_YEAR <= entry.active[0] <= entry.active[1] <= LAST_ACTIVE_YEAR):
            problems.append(f"{entry.id}: active years {list(entry.active)} not in order within "
                            f"{FIRST_ACTIVE_YEAR}-{LAST_ACTIVE_YEAR}")
    problems += [f"{e.id}: unknown parent {e.parent}" for e in entries
                 if e.parent is not None and e.parent not in seen]
    problems += [f"ambiguity {a.aliases[0]}: unknown actor {i}" for a in spec.ambiguities
                 for i in a.actors if i not in seen]
    problems += [f"state_forces.extra: unknown country {code}" for code in spec.state_forces.extra
                 if code not in countries]
    template_ids = {t.id for t in spec.state_forces.templates}
    problems += [f"state_forces.extra.{code}: unknown template {tid}"
                 for code, by_template in spec.state_forces.extra.items()
                 for tid in by_template if tid not in template_ids]
    if problems:
        raise ConfigError("actor registry: " + "; ".join(problems), code="E503")


@cache
def load_country_forms() -> dict[str, CountryForms]:
    """The packaged nisba table (ISO code → `CountryForms`), read once."""
    spec = _NisbaFile.model_validate(_read_yaml("nisba.yaml"))
    unknown = [c.code for c in spec.countries if country_info(c.code) is None]
    if unknown:
        raise ConfigError(f"nisba.yaml: codes not in countries.tsv: {unknown}", code="E503")
    return {c.code: c for c in spec.countries}


@cache
def load_registry() -> ActorRegistry:
    """The packaged actor registry, read, validated and expanded once."""
    spec = _RegistryFile.model_validate(_read_yaml("actors.yaml"))
    countries = load_country_forms()
    entries = [*spec.actors, *_expand_state_forces(spec.state_forces, list(countries.values()))]
    _check(spec, countries, entries)
    by_id = {e.id: e for e in entries}
    ambiguities = [AmbiguousAlias(alias=alias, candidates=tuple(by_id[i] for i in a.actors),
                                  note=a.note)
                   for a in spec.ambiguities for alias in a.aliases]
    return ActorRegistry(spec.version, spec.sources, list(countries.values()), entries,
                         spec.generic, [AnaphorEntry(head=h) for h in spec.anaphors], ambiguities)


def choose_actor(candidates: AmbiguousAlias | Sequence[ActorEntry],
                 event_country: str | None, year: int | None = None) -> ActorEntry | None:
    """The candidate active in the event's country, else a global one, else None.

    With the document's `year`, a candidate of that country whose `active` years hold it comes
    before one that had stopped by then («تنظيم القاعدة» in Syria: Al-Nusra Front in 2015, Hurras
    al-Din in 2020); when none does, the first of the country is kept (nothing is dropped).
    """
    if isinstance(candidates, AmbiguousAlias):
        candidates = candidates.candidates
    local = [entry for entry in candidates if entry.active_in(event_country)]
    if year is not None:
        local = [e for e in local if e.active_in_year(year) is not False] or local
    if local:
        return local[0]
    return next((entry for entry in candidates if entry.is_global), None)


def _referent(match: LexMatch, event_country: str | None,
              year: int | None) -> ActorEntry | None:
    payload = match.payload
    if isinstance(payload, ActorEntry):
        return payload
    if isinstance(payload, AmbiguousAlias):
        return choose_actor(payload, event_country, year)
    return None


def resolve_anaphor(anaphor_match: LexMatch, previous_actor_matches: Sequence[LexMatch],
                    event_country: str | None = None,
                    year: int | None = None) -> ActorEntry | None:
    """The most recent named actor before the anaphor that lists its head in `anaphora`.

    «هاجم تنظيم داعش … وقال التنظيم» → Islamic State; «الحركة» skips an ISIS mention and finds
    Hamas.  Generic actors and state forces are never antecedents.  Ambiguous aliases count with
    the candidate `choose_actor` picks for `event_country` and `year`.  (A document's anaphors
    are resolved in one pass with `Antecedents`.)
    """
    antecedents = Antecedents(event_country, year)
    earlier = [m for m in previous_actor_matches if m.start < anaphor_match.start]
    # Latest last; of two matches at one position, the one listed first counts as the later.
    for match in reversed(sorted(earlier, key=lambda m: m.start, reverse=True)):
        antecedents.add(match)
    return antecedents.resolve(anaphor_match)


@cache
def _anaphor_heads(anaphora: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize_form(a) for a in anaphora)


class Antecedents:
    """The named actors read so far, by the anaphor heads they answer to: fed a document's
    actor matches in text order, it resolves each anaphor as `resolve_anaphor` does, in
    constant time."""

    def __init__(self, event_country: str | None = None, year: int | None = None) -> None:
        self.event_country = event_country
        self.year = year
        self._latest: dict[str, ActorEntry] = {}

    def add(self, match: LexMatch) -> None:
        """A named actor match, later in the text than those added before it."""
        entry = _referent(match, self.event_country, self.year)
        if entry is not None:
            for head in _anaphor_heads(entry.anaphora):
                self._latest[head] = entry

    def resolve(self, anaphor_match: LexMatch) -> ActorEntry | None:
        """The latest named actor added that lists the anaphor's head, or None."""
        return self._latest.get(normalize_form(anaphor_match.payload.head))


def actor_for(actor: ActorEntry | GenericActor, country: str | None,
              event_country: str | None) -> tuple[str, int, str | None]:
    """(name, inter, country) of an actor in an event.

    `country` is the country the text ties the mention to (a nisba next to a generic noun, or
    None); `event_country` where the event happened.  A generic actor takes `country`, else the
    event's country.  State forces keep inter 1 at home and get ACLED's 8 (external forces)
    when the event is in another country.
    """
    if isinstance(actor, GenericActor):
        home = country or event_country
        name = actor.name_for(home)
    else:
        home = actor.country or country
        name = actor.name
    inter = actor.inter
    if (actor.kind in STATE_KINDS and home is not None and event_country is not None
            and home != event_country):
        inter = EXTERNAL_INTER
    return name, inter, home
