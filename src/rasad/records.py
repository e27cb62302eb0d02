"""The records rasad reads and writes: input documents, spans, places, actors and events.

Every extracted field carries character offsets into the original input text (`Span`), and
`to_dict` methods give exactly the JSON shape of the output contract
(`shared/docs/event-schema.md` §3).  Ids are stable: `stable_id` hashes canonical JSON, so the same
input always yields the same `event_id` and re-loading a database changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack",
                                   "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}
GENRES = ("news", "opinion", "analysis", "statement", "other")
MODALITIES = ("asserted", "attempted", "negated", "hedged", "future")
FEATURES = ("city", "admin1", "admin2", "admin3", "country", "poi", "region")


def stable_id(*parts: Any, length: int = 16) -> str:
    """A short hex digest of the canonical JSON of `parts`: the same input, the same id."""
    canonical = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                           default=str)
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:length]


@dataclass(slots=True)
class RawDocument:
    """One input document as read (contract §4); unknown input keys are kept in `extra`;
    `warnings` are the reader's notes about it (a repeated id), copied into its record."""

    id: str
    text: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Span:
    """Words of the original text: ``original[start:end] == text``."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Place:
    """A toponym mention and its resolution (contract §3 PLACE)."""

    text: str
    start: int
    end: int
    name: str | None = None
    name_ar: str | None = None
    feature: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    gazetteer_id: str | None = None
    score: float = 0.0
    pcode: str | None = None
    resolved: bool = True

    def to_dict(self) -> dict[str, Any]:
        out = {
            "text": self.text, "start": self.start, "end": self.end,
            "name": self.name, "name_ar": self.name_ar, "feature": self.feature,
            "country": self.country, "admin1": self.admin1, "admin2": self.admin2,
            "admin3": self.admin3, "latitude": self.latitude, "longitude": self.longitude,
            "gazetteer_id": self.gazetteer_id, "score": round(self.score, 3),
        }
        if self.pcode:
            out["pcode"] = self.pcode
        if not self.resolved:
            out["resolved"] = False
        return out


@dataclass(slots=True)
class Actor:
    """An actor of an event: registry name, surface form and span, ACLED inter code."""

    name: str
    text: str
    start: int
    end: int
    inter: int
    country: str | None = None
    registered: bool = True

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "text": self.text, "start": self.start,
                               "end": self.end, "inter": self.inter, "country": self.country}
        if not self.registered:
            out["registered"] = False
        return out


@dataclass(slots=True)
class Event:
    """One event (contract §3 EVENT)."""

    event_type: str
    sub_event_type: str
    actor1: Actor | None
    actor2: Actor | None
    location: Place | None
    geo_precision: int
    event_date: str | None
    time_precision: int
    evidence: Span
    assoc_actor_1: list[Actor] = field(default_factory=list)
    assoc_actor_2: list[Actor] = field(default_factory=list)
    civilian_targeting: bool = False
    fatalities: int | None = None
    fatalities_text: Span | None = None
    modality: str = "asserted"
    attribution: Span | None = None
    confidence: float = 0.5
    background: bool = False
    features: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    """What `rasad.extract.eventmodel` judges the event by (not part of the output)."""
    mentions: list[Any] = field(default_factory=list, compare=False, repr=False)
    """The `Candidate`s it was built from (`rasad.extract.mergemodel` reads and merges them;
    not part of the output)."""

    @property
    def interaction(self) -> str:
        codes = sorted(a.inter for a in (self.actor1, self.actor2) if a is not None)
        if not codes:
            return ""
        return f"{codes[0]}0" if len(codes) == 1 else f"{codes[0]}{codes[1]}"

    def event_id(self, doc_id: str) -> str:
        loc = self.location
        return stable_id(doc_id, self.event_type, self.sub_event_type,
                         loc.gazetteer_id or loc.text if loc else None,
                         self.event_date, self.actor1.name if self.actor1 else None,
                         self.actor2.name if self.actor2 else None, self.evidence.start)

    def to_dict(self, doc_id: str) -> dict[str, Any]:
        location = None
        if self.location is not None:
            location = {**self.location.to_dict(), "geo_precision": self.geo_precision}
        out = {
            "event_id": self.event_id(doc_id),
            "event_type": self.event_type, "sub_event_type": self.sub_event_type,
            "actor1": self.actor1.to_dict() if self.actor1 else None,
            "actor2": self.actor2.to_dict() if self.actor2 else None,
            "assoc_actor_1": [a.to_dict() for a in self.assoc_actor_1],
            "assoc_actor_2": [a.to_dict() for a in self.assoc_actor_2],
            "interaction": self.interaction,
            "civilian_targeting": self.civilian_targeting,
            "location": location,
            "event_date": self.event_date, "time_precision": self.time_precision,
            "fatalities": self.fatalities,
            "fatalities_text": self.fatalities_text.to_dict() if self.fatalities_text else None,
            "modality": self.modality,
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "evidence": self.evidence.to_dict(),
            "confidence": round(self.confidence, 3),
        }
        if self.background:
            out["background"] = True
        return out


def error_record(doc_id: str, code: str, message: str) -> dict[str, Any]:
    """The output line of a document that could not be processed (contract §4)."""
    return {"doc_id": doc_id, "error": {"code": code, "message": message}}
