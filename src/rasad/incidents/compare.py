"""Reports, the rules of `data/incidents.yaml`, blocking and the scored comparison of two reports.

A `Report` is one stored event (a contract event dict) with its document's id, `published` and
`source` (the outlet).  `Rules.load()` reads the packaged knowledge once.  `compatible(a, b)` is
the blocking test (same event-type family, dates within the window or one containing the other,
places within the distance or one containing the other); `compare(a, b)` scores a compatible
pair as the weighted mean of its features and says why in words («same day, 3 km, same actors,
text 0.71»).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from rasad.geo.distance import haversine_km
from rasad.text.normalize import normalize_form

_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True, slots=True)
class Rules:
    """The knowledge of `data/incidents.yaml`."""

    families: dict[str, str]
    date_window_days: int
    precision_days: dict[int, int]
    distance_km: float
    same_document: bool
    contained_needs_key: bool
    undated_precision: int
    weights: dict[str, float]
    unknown: float
    contained: float
    same_inter: float
    related_sub_type: float
    related_sub_types: tuple[frozenset[str], ...]
    vague_actors: tuple[str, ...]
    fatality_exponent: float
    shingle: int
    threshold: float

    @staticmethod
    @cache
    def load() -> Rules:
        text = resources.files("rasad").joinpath("data", "incidents.yaml").read_text("utf-8")
        return Rules.from_dict(yaml.safe_load(text))

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Rules:
        blocking, features = data["blocking"], data["features"]
        return Rules(
            families=dict(data["families"]),
            date_window_days=int(blocking["date_window_days"]),
            precision_days={int(k): int(v) for k, v in blocking["precision_days"].items()},
            distance_km=float(blocking["distance_km"]),
            same_document=bool(blocking["same_document"]),
            contained_needs_key=bool(blocking["contained_needs_key"]),
            undated_precision=int(blocking["undated_precision"]),
            weights={k: float(v) for k, v in data["weights"].items()},
            unknown=float(features["unknown"]), contained=float(features["contained"]),
            same_inter=float(features["same_inter"]),
            related_sub_type=float(features["related_sub_type"]),
            related_sub_types=tuple(frozenset(group) for group in data["related_sub_types"]),
            vague_actors=tuple(name_key(prefix) for prefix in features["vague_actors"]),
            fatality_exponent=float(features["fatality_exponent"]),
            shingle=int(features["shingle"]), threshold=float(data["threshold"]),
        )


@dataclass(frozen=True, slots=True)
class Report:
    """One event as reported by one document, with what resolution compares."""

    key: tuple[str, str]
    """(doc id, event id or index in the document): the stable sort key."""
    doc_id: str
    source: str | None
    published: dt.date | None
    event: dict[str, Any] = field(compare=False, repr=False)
    event_type: str = ""
    sub_type: str | None = None
    day: dt.date | None = None
    time_precision: int = 3
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int = 3
    actor_names: frozenset[str] = frozenset()
    inters: frozenset[int] = frozenset()
    fatalities: int | None = None
    shingles: frozenset[str] = frozenset()

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def precise(self) -> bool:
        """Day-precise and placed at a town or near one (not an admin1 or country)."""
        return self.time_precision == 1 and self.geo_precision < 3 and self.located


def name_key(name: str) -> str:
    """A name or admin1 for comparison: Arabic-normalised, case-folded, words only."""
    return " ".join(_NON_WORD.sub(" ", normalize_form(name).casefold()).split())


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def shingles(text: str, k: int) -> frozenset[str]:
    """Character k-grams of the normalised text (words joined by single spaces)."""
    norm = " ".join(normalize_form(text).split())
    # interned: the same k-gram recurs across thousands of reports, and is then held once
    return frozenset(sys.intern(norm[i:i + k]) for i in range(max(len(norm) - k + 1, 0)))


def make_report(event: dict[str, Any], doc_id: str, published: Any = None,
                source: str | None = None, index: int = 0, rules: Rules | None = None
                ) -> Report:
    """The `Report` of a contract event dict of document `doc_id`."""
    rules = rules or Rules.load()
    location = event.get("location") or {}
    day, precision = _date(event.get("event_date")), int(event.get("time_precision") or 1)
    if day is None:
        day, precision = _date(published), rules.undated_precision
    names: set[str] = set()
    inters: set[int] = set()
    for slot in ("actor1", "actor2"):
        actor = event.get(slot)
        if isinstance(actor, dict):
            if isinstance(actor.get("name"), str) and actor["name"]:
                names.add(name_key(actor["name"]))
            elif isinstance(actor.get("text"), str) and actor["text"]:
                names.add(name_key(actor["text"]))
            if isinstance(actor.get("inter"), int):
                inters.add(actor["inter"])
    evidence = event.get("evidence")
    text = evidence.get("text") if isinstance(evidence, dict) else evidence
    lat, lon = location.get("latitude"), location.get("longitude")
    fatalities = event.get("fatalities")
    return Report(
        key=(str(doc_id), str(event.get("event_id") or f"{index:04d}")), doc_id=str(doc_id),
        source=source, published=_date(published), event=event,
        event_type=str(event.get("event_type") or ""), sub_type=event.get("sub_event_type"),
        day=day, time_precision=precision,
        country=(location.get("country") or None), admin1=location.get("admin1") or None,
        lat=float(lat) if lat is not None else None, lon=float(lon) if lon is not None else None,
        geo_precision=int(location.get("geo_precision") or 3),
        actor_names=frozenset(names), inters=frozenset(inters),
        fatalities=fatalities if isinstance(fatalities, int) else None,
        shingles=shingles(text, rules.shingle) if isinstance(text, str) else frozenset(),
    )


@dataclass(frozen=True, slots=True)
class Comparison:
    """The score of a compatible pair and the words that explain it."""

    score: float
    reason: str


def _days_apart(a: Report, b: Report) -> int | None:
    return abs((a.day - b.day).days) if a.day and b.day else None


def date_fits(a: Report, b: Report, rules: Rules) -> bool:
    """The dates may be of one incident: within the window, or one's span contains the other."""
    apart = _days_apart(a, b)
    if apart is None:
        return True
    slack = max(rules.precision_days.get(a.time_precision, 0),
                rules.precision_days.get(b.time_precision, 0))
    return apart <= max(rules.date_window_days, slack)


def distance_km(a: Report, b: Report) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def place_contains(a: Report, b: Report) -> bool:
    """One place is an admin1 or country that holds the other (same country, and same admin1
    when the vaguer one names one)."""
    if not a.country or a.country != b.country:
        return not a.country or not b.country
    vague, other = (a, b) if a.geo_precision >= b.geo_precision else (b, a)
    if vague.geo_precision < 3:
        return False
    return not vague.admin1 or bool(other.admin1 and
                                    name_key(vague.admin1) == name_key(other.admin1))


def place_fits(a: Report, b: Report, rules: Rules) -> bool:
    """Within the distance; or one place contains the other and the reports share a sub-type
    or an actor (a country-level report would otherwise meet every report of its country)."""
    distance = distance_km(a, b)
    if distance is not None and distance <= rules.distance_km and a.country == b.country:
        return True
    if rules.contained_needs_key and not (
            (a.sub_type and a.sub_type == b.sub_type) or a.actor_names & b.actor_names):
        return False
    return place_contains(a, b)


def compatible(a: Report, b: Report, rules: Rules) -> bool:
    """Blocking: whether the pair is compared at all."""
    if a.doc_id == b.doc_id and not rules.same_document:
        return False
    family_a = rules.families.get(a.event_type, a.event_type)
    if family_a != rules.families.get(b.event_type, b.event_type):
        return False
    return date_fits(a, b, rules) and place_fits(a, b, rules)


def text_similarity(a: Report, b: Report) -> float | None:
    """Cosine of the shingle sets (|A∩B| / √(|A||B|)); None when a side has no evidence."""
    if not a.shingles or not b.shingles:
        return None
    return len(a.shingles & b.shingles) / math.sqrt(len(a.shingles) * len(b.shingles))


def _date_feature(a: Report, b: Report, rules: Rules) -> tuple[float, str]:
    apart = _days_apart(a, b)
    if apart is None:
        return rules.unknown, "no date"
    if a.time_precision != b.time_precision:
        return rules.contained, "vaguer date contains it"
    if apart == 0:
        return 1.0, "same day" if a.time_precision == 1 else "same period"
    window = max(rules.date_window_days, rules.precision_days.get(a.time_precision, 0), 1)
    return max(0.0, 1.0 - apart / (window + 1)), f"{apart} day{'s' * (apart > 1)} apart"


def _place_feature(a: Report, b: Report, rules: Rules) -> tuple[float, str]:
    distance = distance_km(a, b)
    if a.geo_precision != b.geo_precision and place_contains(a, b):
        return rules.contained, "vaguer place contains it"
    if distance is None:
        return rules.unknown, "place unknown"
    return max(0.0, 1.0 - distance / rules.distance_km), f"{distance:.0f} km"


def _named(report: Report, rules: Rules) -> frozenset[str]:
    """The actor names that say who: not «Unidentified Armed Group (…)» (`vague_actors`)."""
    return frozenset(name for name in report.actor_names
                     if not name.startswith(rules.vague_actors))


def _actor_feature(a: Report, b: Report, rules: Rules) -> tuple[float, str]:
    """A common named actor (or, where a side names nobody, a common vague one: both «an
    unidentified group»); a side naming nobody against a named one: unknown; else a common
    inter code, or other actors."""
    if not a.actor_names or not b.actor_names:
        return rules.unknown, "actors unknown"
    named_a, named_b = _named(a, rules), _named(b, rules)
    if named_a & named_b or (not (named_a and named_b) and a.actor_names & b.actor_names):
        return 1.0, "same actors"
    if not named_a or not named_b:
        return rules.unknown, "actors unknown"
    if a.inters & b.inters:
        return rules.same_inter, "same actor kind"
    return 0.0, "other actors"


def _fatality_feature(a: Report, b: Report, rules: Rules) -> tuple[float, str]:
    if a.fatalities is None or b.fatalities is None:
        return rules.unknown, ""
    low, high = sorted((a.fatalities, b.fatalities))
    if low == high:
        return 1.0, f"{low} killed"
    return (low / high) ** rules.fatality_exponent, f"{low} vs {high} killed"


def _sub_type_feature(a: Report, b: Report, rules: Rules) -> tuple[float, str]:
    if not a.sub_type or not b.sub_type:
        return rules.unknown, ""
    if a.sub_type == b.sub_type:
        return 1.0, "same sub-type"
    if any(a.sub_type in group and b.sub_type in group for group in rules.related_sub_types):
        return rules.related_sub_type, "related sub-type"
    return 0.0, "other sub-type"


def pair_features(a: Report, b: Report, rules: Rules) -> dict[str, tuple[float, str]]:
    """Each feature of a compatible pair, in [0, 1], with its words («same day», «3 km»)."""
    text = text_similarity(a, b)
    return {
        "date": _date_feature(a, b, rules), "place": _place_feature(a, b, rules),
        "actors": _actor_feature(a, b, rules), "sub_type": _sub_type_feature(a, b, rules),
        "fatalities": _fatality_feature(a, b, rules),
        "text": (rules.unknown, "") if text is None else (text, f"text {text:.2f}"),
    }


def compare(a: Report, b: Report, rules: Rules) -> Comparison:
    """The weighted mean of the features of a compatible pair, and its reason."""
    features = pair_features(a, b, rules)
    total = sum(rules.weights.values())
    score = sum(rules.weights[name] * value for name, (value, _) in features.items()) / total
    words = [features[name][1] for name in ("date", "place", "actors", "sub_type",
                                            "fatalities", "text") if features[name][1]]
    return Comparison(round(score, 4), ", ".join(words))
