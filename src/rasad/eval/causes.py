"""Every error of article scoring put down to one cause, so the next change is chosen by counts.

`rasad.eval.articles` scores a document and hands each error to this module: a false alarm (a
scored prediction the matching left unmatched) to `false_alarm_cause`, a miss (an unmatched scored
gold event) to `miss_cause`, a wrong field of a matched pair to `field_cause`, a wrong genre to
`genre_cause`.  Each returns exactly one cause, by the first rule that applies, so the causes of
a section sum to its errors.  The rules read what the matching read (`rasad.eval.match`: the same
`event_type` and an agreeing place make a possible pair), the events left out as background
(dated more than 30 days before `published`), and where each event was read: the gold event's
`evidence` found in the text, the prediction's `evidence` span ("its sentence").

False alarms (a predicted event that matches no gold event), first rule that applies:

1. ``duplicate`` — a gold event it agrees with (type and place) is matched to another prediction
   (a maximum matching never leaves an agreeing pair unmatched on both sides).
2. ``wrong date: gold is background`` — it agrees with a gold event dated more than 30 days
   before `published`, which is not scored: the prediction dated a past event as recent.
3. ``wrong place`` — a gold event of its type read from its sentence (the gold `evidence`
   overlaps the prediction's) is elsewhere.
4. ``wrong type`` — a gold event whose place agrees, on its day or from its sentence, has
   another type.
5. ``same type and day elsewhere`` — a gold event of its type on its day is elsewhere (another
   reading of it, or an event the gold leaves out).
6. ``not asserted (modality)`` — it is hedged, attempted, negated or future.
7. ``genre: no event in an analysis, statement or other`` — the gold genre is not news.
8. ``no gold event in the document``.
9. ``no related gold event`` — the document has gold events, none of them related to it.

Misses (a gold event no prediction matched), first rule that applies:

1. ``found but dated as background`` — a prediction that agrees with it (type and place) is
   dated more than 30 days before `published`, so it was not scored.
2. ``found but wrong place`` — an unmatched prediction of its type read from its sentence is
   elsewhere.
3. ``found but wrong type`` — an unmatched prediction whose place agrees, on its day or from its
   sentence, has another type.
4. ``same type and day elsewhere`` — an unmatched prediction of its type on its day is elsewhere
   (its reading with a wrong place, or another event).
5. ``merged into another event`` — a prediction that agrees with it, or one read from its
   sentence, is matched to another gold event: the system made one event of two.
6. When no prediction comes from its sentence: with a prediction file, ``no event found in its
   sentence``; when the scorer runs the extractor itself, the document is run again keeping
   denied and planned events (`ExtractorProbe`), which splits that cause in three:
   ``dropped as unreal`` (a negated or future event comes from its sentence), ``no trigger in its
   sentence`` (no trigger word of the lexicon there), ``trigger found, no event`` (a trigger,
   but its context did not license an event).
7. ``other`` — predictions come from its sentence, all of another type and place, unmatched.

Wrong fields of matched pairs (each wrong field of a pair counts once in its own section):
``sub_event`` by confusion (``gold → predicted``); ``actor1`` and ``actor2`` (in the order that
scored the pair) ``missing``, ``actor where gold has none``, ``another actor``; ``date``
``missing``, ``date where gold has none``, ``the publication day`` (the fallback when the text
gives no date), ``one day off``, ``another day``; ``fatalities`` ``missing`` (null for a gold
number), ``a number where gold has none``, ``too low``, ``too high``.  Wrong genres by confusion
(``gold → predicted``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rasad.eval.common import BREAKDOWN_SECTIONS
from rasad.eval.match import PlaceAgreement, place_agreement
from rasad.io.readers import Failure, document_from_object
from rasad.pipeline import get_pipeline, parse_published
from rasad.settings import Settings

Passage = tuple[int, int]
"""An event's sentence: a (start, end) span of the original text."""

DUPLICATE = "duplicate"
GOLD_BACKGROUND = "wrong date: gold is background"
WRONG_PLACE = "wrong place"
WRONG_TYPE = "wrong type"
SAME_DAY_ELSEWHERE = "same type and day elsewhere"
NOT_ASSERTED = "not asserted (modality)"
GENRE = "genre: no event in an analysis, statement or other"
NO_GOLD_EVENT = "no gold event in the document"
NO_RELATED = "no related gold event"
FALSE_ALARM_CAUSES = (DUPLICATE, GOLD_BACKGROUND, WRONG_PLACE, WRONG_TYPE, SAME_DAY_ELSEWHERE,
                      NOT_ASSERTED, GENRE, NO_GOLD_EVENT, NO_RELATED)

FOUND_AS_BACKGROUND = "found but dated as background"
FOUND_WRONG_PLACE = "found but wrong place"
FOUND_WRONG_TYPE = "found but wrong type"
MERGED = "merged into another event"
DROPPED_UNREAL = "dropped as unreal"
NO_TRIGGER = "no trigger in its sentence"
TRIGGER_NO_EVENT = "trigger found, no event"
NOTHING_FOUND = "no event found in its sentence"
OTHER = "other"
MISS_CAUSES = (FOUND_AS_BACKGROUND, FOUND_WRONG_PLACE, FOUND_WRONG_TYPE, SAME_DAY_ELSEWHERE,
               MERGED, DROPPED_UNREAL, NO_TRIGGER, TRIGGER_NO_EVENT, NOTHING_FOUND, OTHER)

ACTOR_CAUSES = ("missing", "actor where gold has none", "another actor")
DATE_CAUSES = ("missing", "date where gold has none", "the publication day", "one day off",
               "another day")
FATALITIES_CAUSES = ("missing", "a number where gold has none", "too low", "too high")
FIELD_CAUSES: dict[str, tuple[str, ...]] = {
    "sub_event": (), "actor1": ACTOR_CAUSES, "actor2": ACTOR_CAUSES, "date": DATE_CAUSES,
    "fatalities": FATALITIES_CAUSES,
}
"""Wrong field → its causes (sub_event: confusions, named as they occur)."""

_FIXED: dict[str, tuple[str, ...]] = {"false_alarms": FALSE_ALARM_CAUSES,
                                      "misses": MISS_CAUSES, **FIELD_CAUSES, "genre": ()}
_UNREAL = frozenset({"negated", "future"})


@dataclass(slots=True)
class Breakdown:
    """Error counts by section and cause."""

    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {section: Counter() for section in BREAKDOWN_SECTIONS})

    def add(self, section: str, cause: str) -> None:
        self.counts[section][cause] += 1

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """section → {"total": n, "causes": {cause: n}}: fixed causes in their order (zeros
        included), then the named ones (confusions) by count."""
        out: dict[str, dict[str, Any]] = {}
        for section, counter in self.counts.items():
            fixed = _FIXED[section]
            causes = {cause: counter[cause] for cause in fixed}
            named = sorted((c for c in counter if c not in fixed), key=lambda c: (-counter[c], c))
            causes.update((cause, counter[cause]) for cause in named)
            out[section] = {"total": sum(counter.values()), "causes": causes}
        return out


def gold_passage(event: dict[str, Any], text: str) -> Passage | None:
    """Where a gold event's `evidence` stands in the text (its first occurrence)."""
    evidence = event.get("evidence")
    if not isinstance(evidence, str) or not evidence:
        return None
    start = text.find(evidence)
    return (start, start + len(evidence)) if start >= 0 else None


def predicted_passage(event: dict[str, Any], text: str) -> Passage | None:
    """A predicted event's `evidence` span, or where its text stands when it has no offsets."""
    evidence = event.get("evidence")
    if not isinstance(evidence, dict):
        return None
    start, end = evidence.get("start"), evidence.get("end")
    if isinstance(start, int) and isinstance(end, int) and start < end:
        return start, end
    words = evidence.get("text")
    found = text.find(words) if isinstance(words, str) and words else -1
    return (found, found + len(words)) if found >= 0 and isinstance(words, str) else None


def overlap(a: Passage | None, b: Passage | None) -> bool:
    return bool(a and b and a[0] < b[1] and b[0] < a[1])


def same_day(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(a.get("event_date")) and a.get("event_date") == b.get("event_date")


def agree(gold: dict[str, Any], predicted: dict[str, Any]) -> bool:
    """The two could be a matched pair: same event type, agreeing places."""
    return (gold.get("event_type") == predicted.get("event_type")
            and place_agreement(gold.get("location"), predicted.get("location")).agree)


@dataclass(slots=True)
class ScoredDocument:
    """One scored article as the causes see it: its events, how they pair, where they were read."""

    doc: dict[str, Any]
    gold: list[dict[str, Any]]
    predicted: list[dict[str, Any]]
    gold_background: list[dict[str, Any]]
    predicted_background: list[dict[str, Any]]
    agreements: list[list[PlaceAgreement]]
    pairs: list[tuple[int, int]]
    gold_passages: list[Passage | None] = field(init=False)
    predicted_passages: list[Passage | None] = field(init=False)
    gold_of: dict[int, int] = field(init=False)
    predicted_of: dict[int, int] = field(init=False)

    def __post_init__(self) -> None:
        text = str(self.doc.get("text", ""))
        self.gold_passages = [gold_passage(g, text) for g in self.gold]
        self.predicted_passages = [predicted_passage(p, text) for p in self.predicted]
        self.gold_of = {j: i for i, j in self.pairs}
        self.predicted_of = {i: j for i, j in self.pairs}

    def same_sentence(self, i: int, j: int) -> bool:
        """Gold event i and prediction j were read from the same sentence."""
        return overlap(self.gold_passages[i], self.predicted_passages[j])

    def related(self, i: int, j: int) -> bool:
        """Gold event i and prediction j are on the same day or read from the same sentence."""
        return same_day(self.gold[i], self.predicted[j]) or self.same_sentence(i, j)

    def type_agrees(self, i: int, j: int) -> bool:
        return self.gold[i].get("event_type") == self.predicted[j].get("event_type")

    def pair_agrees(self, i: int, j: int) -> bool:
        return self.type_agrees(i, j) and self.agreements[i][j].agree


def _misread(scored: ScoredDocument, related: list[tuple[int, int]],
             causes: tuple[str, str, str]) -> str | None:
    """Of related (gold, prediction) pairs, the first found of: `causes[0]` the same type from
    the same sentence (so the place is wrong), `causes[1]` an agreeing place (so the type is
    wrong), `causes[2]` the same type and day elsewhere; None when there is none."""
    if any(scored.type_agrees(i, j) and scored.same_sentence(i, j) for i, j in related):
        return causes[0]
    if any(scored.agreements[i][j].agree for i, j in related):
        return causes[1]
    if any(scored.type_agrees(i, j) for i, j in related):
        return causes[2]
    return None


def false_alarm_cause(scored: ScoredDocument, j: int) -> str:
    """Why prediction j matched no gold event (first rule of the module docstring)."""
    predicted = scored.predicted[j]
    gold = range(len(scored.gold))
    if any(scored.pair_agrees(i, j) for i in gold):
        return DUPLICATE
    if any(agree(g, predicted) for g in scored.gold_background):
        return GOLD_BACKGROUND
    misread = _misread(scored, [(i, j) for i in gold if scored.related(i, j)],
                       (WRONG_PLACE, WRONG_TYPE, SAME_DAY_ELSEWHERE))
    if misread:
        return misread
    if predicted.get("modality") not in (None, "asserted"):
        return NOT_ASSERTED
    if scored.doc["gold"].get("genre") != "news":
        return GENRE
    return NO_RELATED if scored.gold else NO_GOLD_EVENT


def miss_cause(scored: ScoredDocument, i: int, probe: ExtractorProbe | None = None) -> str:
    """Why gold event i matched no prediction (first rule of the module docstring)."""
    gold = scored.gold[i]
    if any(agree(gold, p) for p in scored.predicted_background):
        return FOUND_AS_BACKGROUND
    predicted = range(len(scored.predicted))
    misread = _misread(scored, [(i, j) for j in predicted
                                if j not in scored.gold_of and scored.related(i, j)],
                       (FOUND_WRONG_PLACE, FOUND_WRONG_TYPE, SAME_DAY_ELSEWHERE))
    if misread:
        return misread
    passage = scored.gold_passages[i]
    if any(j in scored.gold_of and (scored.pair_agrees(i, j)
                                    or overlap(passage, scored.predicted_passages[j]))
           for j in predicted):
        return MERGED
    if any(overlap(passage, scored.predicted_passages[j]) for j in predicted):
        return OTHER
    if probe is None or passage is None:
        return NOTHING_FOUND
    return probe.why_nothing(scored.doc, passage)


def actor_cause(has_gold: bool, predicted: dict[str, Any] | None) -> str:
    if predicted is None:
        return "missing"
    return "another actor" if has_gold else "actor where gold has none"


def date_cause(gold: Any, predicted: Any, published: dt.date | None) -> str:
    gold_day, predicted_day = parse_published(gold), parse_published(predicted)
    if predicted_day is None:
        return "missing"
    if gold_day is None:
        return "date where gold has none"
    if published is not None and predicted_day == published:
        return "the publication day"
    return "one day off" if abs((predicted_day - gold_day).days) == 1 else "another day"


def fatalities_cause(gold: Any, predicted: Any) -> str:
    if predicted is None:
        return "missing"
    if gold is None:
        return "a number where gold has none"
    return "too low" if predicted < gold else "too high"


def field_cause(name: str, gold: dict[str, Any], predicted: dict[str, Any],
                actors: tuple[dict[str, Any] | None, dict[str, Any] | None],
                published: dt.date | None) -> str:
    """Why field `name` of a matched pair is wrong; `actors` are the predicted actor1, actor2 in
    the order that scored the pair."""
    if name == "sub_event":
        return f"{gold.get('sub_event_type')} → {predicted.get('sub_event_type')}"
    if name in ("actor1", "actor2"):
        return actor_cause(bool(gold.get(name)), actors[0 if name == "actor1" else 1])
    if name == "date":
        return date_cause(gold.get("event_date"), predicted.get("event_date"), published)
    if name == "fatalities":
        return fatalities_cause(gold.get("fatalities"), predicted.get("fatalities"))
    raise ValueError(f"no causes for field {name!r}")


def genre_cause(gold: Any, predicted: Any) -> str:
    return f"{gold} → {predicted}"


class ExtractorProbe:
    """What the extractor made of a gold event's sentence when it reported nothing from there.

    Used when the scorer runs the extractor itself: the document is run once more with
    `keep_unreal` (denied and planned events kept, flagged) and its trigger matches are kept.
    """

    def __init__(self, settings: Settings, origin: str) -> None:
        self.settings = settings.model_copy(update={"keep_unreal": True})
        self.origin = origin
        self._seen: dict[str, tuple[list[Passage], list[Passage]] | None] = {}

    def why_nothing(self, doc: dict[str, Any], passage: Passage) -> str:
        """`dropped as unreal`, `no trigger in its sentence` or `trigger found, no event`."""
        found = self._run(doc)
        if found is None:
            return NOTHING_FOUND
        triggers, unreal = found
        if any(overlap(passage, p) for p in unreal):
            return DROPPED_UNREAL
        if not any(overlap(passage, t) for t in triggers):
            return NO_TRIGGER
        return TRIGGER_NO_EVENT

    def _run(self, doc: dict[str, Any]) -> tuple[list[Passage], list[Passage]] | None:
        doc_id = str(doc["id"])
        if doc_id not in self._seen:
            self._seen[doc_id] = self._extract(doc_id, doc)
        return self._seen[doc_id]

    def _extract(self, doc_id: str, doc: dict[str, Any]
                 ) -> tuple[list[Passage], list[Passage]] | None:
        source = {k: v for k, v in doc.items() if k != "gold"}
        raw = document_from_object(source, doc_id, self.settings, self.origin)
        if isinstance(raw, Failure):
            return None
        pipeline = get_pipeline(self.settings)
        try:
            processed = pipeline.run(raw)
        except Exception:  # the scorer reports the extractor's failure elsewhere (E201)
            return None
        triggers = []
        for match in processed.matches:
            if match.kind == "trigger":
                span = processed.span(match.start, match.end)
                triggers.append((span.start, span.end))
        unreal = [(e.evidence.start, e.evidence.end) for e in processed.events
                  if e.modality in _UNREAL]
        return triggers, unreal
