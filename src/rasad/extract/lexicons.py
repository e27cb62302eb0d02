"""Load the packaged trigger and cue lexicons into one clitic-aware `Lexicon`.

Reads `data/triggers.yaml` (event triggers, instrument cues, sentence-context cues) and
`data/cues.yaml` (modality, attribution and genre cues), expands verb stems into their inflected
forms and nouns into their definite forms, and adds everything to a `Lexicon` under these kinds:

    trigger           TriggerForm            instrument   InstrumentSpec
    context           ContextCue             modality     str (negated|hedged|future|…)
    attribution       str (preposition|verb) attribution_stop  None
    genre             str (opinion_decisive|opinion|news|statement|analysis)
    blocker           None (a phrase with trigger words that is no event: «قواعد الاشتباك»)

The data files are read once per process; `build_lexicon()` returns a new `Lexicon` the caller
owns (the pipeline adds the actor registry to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from rasad.text.lexicon import Lexicon, phrase_words
from rasad.text.normalize import normalize_form

_PAST_SUFFIXES = ("", "ت", "ا", "تا", "وا", "ن", "نا", "تم")
_PRESENT_FORMS = (("ي", ""), ("ت", ""), ("ن", ""), ("ا", ""), ("ي", "ون"), ("ت", "ون"),
                  ("ي", "ان"), ("ت", "ان"), ("ي", "وا"), ("ت", "ين"))


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    """An event trigger: its ACLED type, default sub-type and how much context it needs."""

    id: str
    event_type: str
    sub_event_type: str
    strength: int
    refine: str | None = None
    result: bool = False
    requires: tuple[str, ...] = ()
    licensed_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TriggerForm:
    """One surface form of a trigger: the trigger, and whether the form is a noun or a verb;
    `person`: a noun naming who carries the act out («انتحاري», the bomber), not the act."""

    spec: TriggerSpec
    pos: str  # noun | verb | phrase
    person: bool = False


@dataclass(frozen=True, slots=True)
class InstrumentSpec:
    """A weapon/means cue that refines the sub-event type (air, artillery, IED, suicide …)."""

    name: str
    event_type: str
    sub_event_type: str


@dataclass(frozen=True, slots=True)
class ContextCue:
    """A sentence-context cue: its group (strong_negative, negative, armed …) and topic."""

    group: str
    topic: str


@lru_cache(maxsize=4)
def _load_yaml(name: str) -> Any:
    text = resources.files("rasad.data").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def verb_forms(spec: str) -> list[str]:
    """Inflected forms of a ``past|present`` verb spec (third/first person, sg/du/pl)."""
    past, _, present = spec.partition("|")
    past, present = normalize_form(past.strip()), normalize_form(present.strip())
    forms = [past + s for s in _PAST_SUFFIXES]
    if present:
        forms += [p + present + s for p, s in _PRESENT_FORMS]
    return forms


def definite_forms(phrase: str) -> list[str]:
    """A noun phrase, its definite forms (article on every word, the first, the last) and the
    indefinite accusative of a one-word noun («انفجار» → «انفجارا»)."""
    words = list(phrase_words(phrase))
    if not words:
        return []

    def article(word: str) -> str:
        return word if word.startswith("ال") else "ال" + word

    variants = {" ".join(words), " ".join(article(w) for w in words),
                " ".join([article(words[0]), *words[1:]]),
                " ".join([*words[:-1], article(words[-1])])}
    if len(words) == 1 and words[0][-1] not in "هايو" and not words[0].endswith("ات"):
        variants.add(words[0] + "ا")
    return sorted(variants)


def trigger_phrases(entry: dict[str, Any]) -> dict[str, str]:
    """Every surface phrase of one trigger entry with its part of speech, minus exclusions."""
    phrases: dict[str, str] = {}
    for form in entry.get("forms", []):
        phrases[" ".join(phrase_words(form))] = "phrase"
    for verb in entry.get("verbs", []):
        phrases.update(dict.fromkeys(verb_forms(verb), "verb"))
    for noun in entry.get("nouns", []):
        phrases.update(dict.fromkeys(definite_forms(noun), "noun"))
    for person in entry.get("persons", []):
        phrases.update(dict.fromkeys(definite_forms(person), "person"))
    for excluded in entry.get("exclude", []):
        phrases.pop(" ".join(phrase_words(excluded)), None)
    return phrases


def add_triggers(lexicon: Lexicon, data: dict[str, Any]) -> None:
    for entry in data["triggers"]:
        strength = int(entry["strength"])
        requires = tuple(entry.get("requires", ["armed"] if strength == 1 else []))
        spec = TriggerSpec(entry["id"], entry["type"], entry["sub"], strength,
                           entry.get("refine"), bool(entry.get("result", False)), requires,
                           tuple(entry.get("licensed_by", [])))
        forms = {pos: TriggerForm(spec, pos) for pos in ("noun", "verb", "phrase")}
        forms["person"] = TriggerForm(spec, "noun", person=True)
        for phrase, pos in trigger_phrases(entry).items():
            lexicon.add("trigger", phrase, forms[pos], suffixes=True)
    lexicon.add_many("blocker", data.get("blockers", []), None)
    for name, entry in data["instruments"].items():
        instrument = InstrumentSpec(name, entry["type"], entry["sub"])
        lexicon.add_many("instrument", entry["phrases"], instrument)
    for group, cues in data["context"].items():
        topics = cues if isinstance(cues, dict) else {group: cues}
        for topic, phrases in topics.items():
            lexicon.add_many("context", phrases, ContextCue(group, topic))


def add_cues(lexicon: Lexicon, data: dict[str, Any]) -> None:
    for kind, phrases in data["modality"].items():
        lexicon.add_many("modality", phrases, kind)
    lexicon.add_many("attribution", data["attribution"]["prepositions"], "preposition")
    lexicon.add_many("attribution", data["attribution"]["verbs"], "verb")
    lexicon.add_many("attribution_stop", data["attribution"]["stops"], None)
    for kind, phrases in data["genre"].items():
        lexicon.add_many("genre", phrases, kind)


def context_blocks() -> dict[str, frozenset[str]]:
    """Negative topic → the event families it rules out (`context_blocks` of triggers.yaml)."""
    data = _load_yaml("triggers.yaml").get("context_blocks", {})
    return {topic: frozenset(families) for topic, families in data.items()}


def build_lexicon() -> Lexicon:
    """A new `Lexicon` with the packaged triggers and cues (the pipeline adds actors to it)."""
    lexicon = Lexicon()
    add_triggers(lexicon, _load_yaml("triggers.yaml"))
    add_cues(lexicon, _load_yaml("cues.yaml"))
    return lexicon
