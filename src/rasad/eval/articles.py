"""Score article events against gold articles (`articles_*.jsonl`), contract §5.

`evaluate_articles(gold, pred, settings)` reads the gold articles (gold fields under `gold`:
`genre`, `events` in the contract's shape with actors as lists of acceptable names) and the
predicted contract objects (or runs the extractor), and returns precision, recall and F1 of events
with the per-field accuracies over matched pairs.  The rules, and the calls this module makes:

- A predicted event matches a gold event of the same document when `event_type` is equal and the
  location agrees (`rasad.eval.match.place_agreement`: same country, and within 50 km, or the same
  admin1 when either side has geo_precision 3; a precision-3 gold place without admin1 is
  country-level; a gold place without coordinates: same admin1, else same name; a prediction
  without coordinates: same name).
- Each gold event matches at most one prediction and each prediction at most one gold event: the
  pairs are a maximum matching that prefers closer places (distance to 0.1 km), then pairs whose
  fields agree (sub-event, date, fatalities, actors) — the alignment most favourable to the
  system, as in ACE-style scoring.  Precision = matched / predicted, recall = matched / gold.
- Over matched pairs: sub-event accuracy; actor1 and actor2 accuracy (a predicted `name` or
  `text` equals one of the gold names after `name_key`; either actor order, whichever aligns
  more slots; an empty gold slot is right only when the prediction leaves it empty too);
  actor accuracy = correct non-empty gold actor slots / non-empty gold actor slots; date accuracy
  (exact day); fatalities accuracy (exact; null = null is right).  An accuracy over no matched
  pair is None.
- Left out of the event scores: events (gold or predicted) dated more than 30 days before the
  document's `published` (the gold document's, else the prediction's), and all events of a
  document whose gold genre is `opinion`.  Events of every modality count: §5 scores them all.
- Genre accuracy is over all documents.

Misses (`--errors`), heaviest first: gold events no prediction matched (with the closest
prediction of the document and why it did not match), false positives, wrong genres, then matched
pairs with a wrong field.  Each is put down to one cause (`rasad.eval.causes`), and the result's
`breakdown` counts them by cause.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from rasad.eval.causes import (
    Breakdown,
    ExtractorProbe,
    ScoredDocument,
    false_alarm_cause,
    field_cause,
    genre_cause,
    miss_cause,
)
from rasad.eval.common import EvalResult, Miss, prf, ratio
from rasad.eval.files import predictions_for, read_gold, span_metrics
from rasad.eval.match import PlaceAgreement, actor_keys, max_matching, place_agreement
from rasad.eval.newplaces import NewPlaceTally
from rasad.pipeline import parse_published
from rasad.records import EVENT_TYPES, GENRES
from rasad.settings import Settings

BACKGROUND_DAYS = 30
"""Contract §5: events dated more than this many days before `published` are not scored."""

MISSED, FALSE_POSITIVE, WRONG_GENRE, WRONG_FIELD = 4.0, 3.0, 2.0, 1.0
"""Weights of the kinds of miss: `--errors N` shows the heaviest first."""


def evaluate_articles(gold: Path, pred: Path | None, settings: Settings) -> EvalResult:
    """Event P/R/F1, per-field accuracies and genre accuracy of one gold articles file."""
    gold_set = read_gold(gold, check=article_gold_problem)
    predictions = predictions_for(gold_set, pred, settings)
    tally = Tally()
    misses: list[Miss] = []
    # Without a prediction file the extractor runs here, and can be asked about its misses.
    probe = ExtractorProbe(settings, str(gold)) if pred is None else None
    for doc in gold_set.docs:
        score_document(doc, predictions.records[str(doc["id"])], tally, misses, probe)
    metrics = {**tally.metrics(), **span_metrics(gold_set, predictions)}
    return EvalResult("articles", str(gold), metrics, misses, predictions.notes,
                      breakdown=tally.causes.to_dict())


def article_gold_problem(gold: dict[str, Any]) -> str | None:
    """What is wrong with the `gold` object of one gold article; None when it can be scored."""
    if gold.get("genre") not in GENRES:
        return f"gold genre {gold.get('genre')!r} is not one of {', '.join(GENRES)}"
    events = gold.get("events")
    if not isinstance(events, list):
        return "gold 'events' is missing or not a list"
    for i, event in enumerate(events):
        if not isinstance(event, dict) or event.get("event_type") not in EVENT_TYPES:
            return f"gold events[{i}] has no valid event_type"
        if not isinstance(event.get("location"), dict):
            return f"gold events[{i}] has no location object"
    return None


@dataclass(slots=True)
class Tally:
    """Counts over a gold set, turned into metrics at the end."""

    documents: int = 0
    genre_correct: int = 0
    gold_events: int = 0
    predicted_events: int = 0
    matched: int = 0
    excluded_gold_events: int = 0
    excluded_predicted_events: int = 0
    sub_event_correct: int = 0
    actor1_correct: int = 0
    actor2_correct: int = 0
    actor_slots: int = 0
    actor_slots_correct: int = 0
    date_correct: int = 0
    fatalities_correct: int = 0
    causes: Breakdown = field(default_factory=Breakdown)
    new_places: NewPlaceTally = field(default_factory=NewPlaceTally)

    def add_pair(self, pair: PairFields) -> None:
        self.matched += 1
        self.sub_event_correct += pair.sub_event
        self.actor1_correct += pair.actor1
        self.actor2_correct += pair.actor2
        self.actor_slots += pair.actor_slots
        self.actor_slots_correct += pair.actor_slots_correct
        self.date_correct += pair.date
        self.fatalities_correct += pair.fatalities

    def metrics(self) -> dict[str, float | int | None]:
        precision, recall, f1 = prf(self.matched, self.predicted_events, self.gold_events)
        return {
            "precision": precision, "recall": recall, "f1": f1,
            "sub_event_accuracy": ratio(self.sub_event_correct, self.matched),
            "actor1_accuracy": ratio(self.actor1_correct, self.matched),
            "actor2_accuracy": ratio(self.actor2_correct, self.matched),
            "actor_accuracy": ratio(self.actor_slots_correct, self.actor_slots),
            "date_accuracy": ratio(self.date_correct, self.matched),
            "fatalities_accuracy": ratio(self.fatalities_correct, self.matched),
            "genre_accuracy": ratio(self.genre_correct, self.documents),
            "documents": self.documents, "gold_events": self.gold_events,
            "predicted_events": self.predicted_events, "matched": self.matched,
            "excluded_gold_events": self.excluded_gold_events,
            "excluded_predicted_events": self.excluded_predicted_events,
            "new_place_events": self.new_places.events,
            "new_place_placed": ratio(self.new_places.placed, self.new_places.events),
        }


@dataclass(frozen=True, slots=True)
class PairFields:
    """Which fields of a matched (gold, predicted) pair are right."""

    sub_event: bool
    actor1: bool
    actor2: bool
    actor_slots: int
    actor_slots_correct: int
    date: bool
    fatalities: bool
    actors_swapped: bool = False

    def wrong(self) -> list[str]:
        names = ("sub_event", "actor1", "actor2", "date", "fatalities")
        return [f.name for f in fields(self) if f.name in names and not getattr(self, f.name)]


def score_document(doc: dict[str, Any], record: dict[str, Any], tally: Tally,
                   misses: list[Miss], probe: ExtractorProbe | None = None) -> None:
    """Add one gold article and its prediction to `tally`; append what went wrong to `misses`,
    each with its cause (counted in `tally.causes`)."""
    doc_id, gold = str(doc["id"]), doc["gold"]
    tally.documents += 1
    predicted_genre = record.get("genre")
    if predicted_genre == gold["genre"]:
        tally.genre_correct += 1
    else:
        cause = genre_cause(gold["genre"], predicted_genre)
        tally.causes.add("genre", cause)
        misses.append(Miss(doc_id, f"genre {predicted_genre!r}, gold {gold['genre']!r}",
                           gold["genre"], predicted_genre, doc.get("title"), WRONG_GENRE, cause))
    gold_events: list[dict[str, Any]] = gold["events"]
    predicted_events: list[dict[str, Any]] = record.get("events") or []
    if gold["genre"] == "opinion":
        tally.excluded_gold_events += len(gold_events)
        tally.excluded_predicted_events += len(predicted_events)
        return
    scored, pair_fields = scored_document(doc, record)
    gold_scored, pred_scored, agreements = scored.gold, scored.predicted, scored.agreements
    published = scored_day(doc, record)
    tally.excluded_gold_events += len(gold_events) - len(gold_scored)
    tally.excluded_predicted_events += len(predicted_events) - len(pred_scored)
    tally.gold_events += len(gold_scored)
    tally.predicted_events += len(pred_scored)
    tally.new_places.add(gold_scored, pred_scored)

    for i, j in scored.pairs:
        pair = pair_fields[i][j]
        tally.add_pair(pair)
        if pair.wrong():
            causes = _field_causes(gold_scored[i], pred_scored[j], pair, published)
            for name, cause in causes.items():
                tally.causes.add(name, cause)
            misses.append(Miss(doc_id, f"matched, wrong {', '.join(pair.wrong())}",
                               gold_scored[i], event_summary(pred_scored[j]),
                               gold_scored[i].get("evidence"), WRONG_FIELD,
                               "; ".join(f"{name}: {cause}" for name, cause in causes.items())))
    for i, g in enumerate(gold_scored):
        if i not in scored.predicted_of:
            cause = miss_cause(scored, i, probe)
            tally.causes.add("misses", cause)
            misses.append(_missed_gold(doc_id, g, pred_scored, agreements[i], cause))
    for j, p in enumerate(pred_scored):
        if j not in scored.gold_of:
            cause = false_alarm_cause(scored, j)
            tally.causes.add("false_alarms", cause)
            column = [row[j] for row in agreements]
            misses.append(_false_positive(doc_id, p, gold_scored, column, cause))


def scored_day(doc: dict[str, Any], record: dict[str, Any]) -> dt.date | None:
    """The publication day events are dated against: the gold article's, else the record's."""
    return parse_published(doc.get("published")) or parse_published(record.get("published"))


def scored_document(doc: dict[str, Any], record: dict[str, Any]
                    ) -> tuple[ScoredDocument, list[list[PairFields]]]:
    """The gold article `doc` (not an opinion piece) and its prediction `record` as the scorer
    sees them: the events dated as background set apart, the others matched (contract §5);
    with the fields compared of every gold-predicted pair."""
    published = scored_day(doc, record)
    gold_events: list[dict[str, Any]] = doc["gold"]["events"]
    predicted_events: list[dict[str, Any]] = record.get("events") or []
    gold_scored = [e for e in gold_events if not is_background(e, published)]
    pred_scored = [e for e in predicted_events if not is_background(e, published)]
    agreements, pair_fields, pairs = match_events(gold_scored, pred_scored)
    scored = ScoredDocument(
        doc, gold_scored, pred_scored,
        [e for e in gold_events if is_background(e, published)],
        [e for e in predicted_events if is_background(e, published)], agreements, pairs)
    return scored, pair_fields


def match_events(gold_scored: list[dict[str, Any]], pred_scored: list[dict[str, Any]]
                 ) -> tuple[list[list[PlaceAgreement]], list[list[PairFields]],
                            list[tuple[int, int]]]:
    """The place agreements and field comparisons of every (gold, predicted) pair of one
    document, and the maximum matching (gold index, predicted index) scoring uses."""
    agreements = [[place_agreement(g.get("location"), p.get("location")) for p in pred_scored]
                  for g in gold_scored]
    pair_fields = [[compare_fields(g, p) for p in pred_scored] for g in gold_scored]
    cost = [[pair_cost(g, p, agreements[i][j], pair_fields[i][j])
             for j, p in enumerate(pred_scored)] for i, g in enumerate(gold_scored)]
    return agreements, pair_fields, max_matching(cost)


def is_background(event: dict[str, Any], published: dt.date | None) -> bool:
    """Dated more than 30 days before `published` (contract §5)."""
    day = parse_published(event.get("event_date"))
    return bool(day and published and (published - day).days > BACKGROUND_DAYS)


def pair_cost(gold: dict[str, Any], predicted: dict[str, Any], agreement: PlaceAgreement,
              pair: PairFields) -> float | None:
    """Matching cost of a pair (None: they cannot match): distance first, then wrong fields."""
    if gold.get("event_type") != predicted.get("event_type") or not agreement.agree:
        return None
    distance = round(agreement.distance_km or 0.0, 1)
    return distance * 100 + len(pair.wrong())


def gold_names(value: Any) -> list[str]:
    """The acceptable names of a gold actor slot (a list, a single string, or null)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def actor_slot_correct(names: list[str], predicted: dict[str, Any] | None) -> bool:
    """A predicted actor fills a gold slot when its name or text equals an acceptable name."""
    if not names:
        return predicted is None
    if predicted is None:
        return False
    gold_keys = set().union(*(actor_keys(n) for n in names))
    pred_keys = set().union(*(actor_keys(predicted[k]) for k in ("name", "text")
                              if isinstance(predicted.get(k), str)))
    return bool(gold_keys & pred_keys)


def compare_fields(gold: dict[str, Any], predicted: dict[str, Any]) -> PairFields:
    """The field accuracies of one (gold, predicted) pair, actors in their better order."""
    g1, g2 = gold_names(gold.get("actor1")), gold_names(gold.get("actor2"))
    p1, p2 = predicted.get("actor1"), predicted.get("actor2")
    straight = (actor_slot_correct(g1, p1), actor_slot_correct(g2, p2))
    swapped = (actor_slot_correct(g1, p2), actor_slot_correct(g2, p1))
    is_swapped = sum(swapped) > sum(straight)
    actor1, actor2 = swapped if is_swapped else straight
    slots = [(names, ok) for names, ok in ((g1, actor1), (g2, actor2)) if names]
    return PairFields(
        sub_event=predicted.get("sub_event_type") == gold.get("sub_event_type"),
        actor1=actor1, actor2=actor2,
        actor_slots=len(slots), actor_slots_correct=sum(ok for _, ok in slots),
        date=predicted.get("event_date") == gold.get("event_date"),
        fatalities=predicted.get("fatalities") == gold.get("fatalities"),
        actors_swapped=is_swapped,
    )


def _field_causes(gold: dict[str, Any], predicted: dict[str, Any], pair: PairFields,
                  published: dt.date | None) -> dict[str, str]:
    """Wrong field → its cause, for a matched pair."""
    actors = (predicted.get("actor1"), predicted.get("actor2"))
    if pair.actors_swapped:
        actors = actors[::-1]
    return {name: field_cause(name, gold, predicted, actors, published) for name in pair.wrong()}


def event_summary(event: dict[str, Any]) -> dict[str, Any]:
    """The fields of a predicted event that scoring reads, for printing a miss."""
    location = event.get("location") or {}
    actors = {}
    for key in ("actor1", "actor2"):
        actor = event.get(key)
        actors[key] = f"{actor.get('name')} «{actor.get('text')}»" if actor else None
    return {
        "event_type": event.get("event_type"), "sub_event_type": event.get("sub_event_type"),
        **actors,
        "location": {k: location.get(k) for k in ("text", "name", "country", "admin1",
                                                  "latitude", "longitude", "geo_precision")},
        "event_date": event.get("event_date"), "fatalities": event.get("fatalities"),
        "modality": event.get("modality"),
    }


def _closest(event_type: Any, candidates: list[dict[str, Any]],
             agreements: list[PlaceAgreement]) -> int | None:
    """Index of the candidate nearest in type, then in place; None when there is none."""
    if not candidates:
        return None

    def key(j: int) -> tuple[bool, bool, float]:
        agreement = agreements[j]
        distance = agreement.distance_km if agreement.distance_km is not None else 1e9
        return (candidates[j].get("event_type") != event_type, not agreement.agree, distance)

    return min(range(len(candidates)), key=key)


def _why_unmatched(event_type: Any, others: list[dict[str, Any]],
                   agreements: list[PlaceAgreement], other_side: str) -> tuple[int | None, str]:
    """The closest of `others` to an unmatched event, and why they did not match."""
    j = _closest(event_type, others, agreements)
    if j is None:
        return None, f"no {other_side} in this document"
    if others[j].get("event_type") != event_type:
        return j, f"no {event_type} {other_side} here; the closest is " \
                  f"{others[j].get('event_type')}"
    if not agreements[j].agree:
        return j, f"the closest {event_type} {other_side} is elsewhere ({agreements[j].reason})"
    # A maximum matching leaves no agreeing pair unmatched on both sides.
    return j, f"the agreeing {other_side} was matched to another event"


def _missed_gold(doc_id: str, gold: dict[str, Any], predicted: list[dict[str, Any]],
                 agreements: list[PlaceAgreement], cause: str) -> Miss:
    j, why = _why_unmatched(gold.get("event_type"), predicted, agreements, "prediction")
    return Miss(doc_id, f"missed: {why}", gold,
                event_summary(predicted[j]) if j is not None else None,
                gold.get("evidence"), MISSED, cause)


def _false_positive(doc_id: str, predicted: dict[str, Any], gold: list[dict[str, Any]],
                    agreements: list[PlaceAgreement], cause: str) -> Miss:
    i, why = _why_unmatched(predicted.get("event_type"), gold, agreements, "gold event")
    evidence = (predicted.get("evidence") or {}).get("text")
    return Miss(doc_id, f"false positive: {why}", gold[i] if i is not None else None,
                event_summary(predicted), evidence, FALSE_POSITIVE, cause)
