"""Score false alarms on sentences that hold no event (`negatives_*.jsonl`), contract §5.

The gold sentences use conflict-looking words (هجوم، قصف، انفجار، قتل …) in sport, economy,
fires, crime, courts, films, metaphors and history, and hold no event (`gold.events == 0`).
`false_alarm_rate` = sentences with at least one predicted event, of any modality / sentences;
`asserted_false_alarm_rate` counts only events whose modality is `asserted` (an extractor that
flags a threat as `future` raises the first and not the second).  Both are lower-is-better.
Predicted events dated more than 30 days before `published` are background, which evaluation
ignores (contract §1): a history sentence («في عام 1916 دارت معركة السوم») read as a dated
background event is no false alarm; they are counted in `background_events`.
Misses (`--errors`): the false alarms, asserted ones first, with the events and their evidence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasad.eval.articles import event_summary, is_background
from rasad.eval.common import EvalResult, Miss, ratio
from rasad.eval.files import predictions_for, read_gold, span_metrics
from rasad.pipeline import parse_published
from rasad.settings import Settings

ASSERTED_ALARM, OTHER_ALARM = 2.0, 1.0


def evaluate_negatives(gold: Path, pred: Path | None, settings: Settings) -> EvalResult:
    """False-alarm rates of one gold file of sentences without events."""
    gold_set = read_gold(gold, check=negative_gold_problem)
    predictions = predictions_for(gold_set, pred, settings)
    alarms = asserted_alarms = events_total = background = 0
    misses: list[Miss] = []
    for doc in gold_set.docs:
        doc_id = str(doc["id"])
        record = predictions.records[doc_id]
        published = parse_published(doc.get("published")) or \
            parse_published(record.get("published"))
        all_events = record.get("events") or []
        events = [e for e in all_events if not is_background(e, published)]
        background += len(all_events) - len(events)
        if not events:
            continue
        events_total += len(events)
        alarms += 1
        asserted = any((e.get("modality") or "asserted") == "asserted" for e in events)
        asserted_alarms += asserted
        evidence = "; ".join(dict.fromkeys((e.get("evidence") or {}).get("text") or doc["text"]
                                           for e in events))
        misses.append(Miss(doc_id, f"false alarm: {len(events)} event(s)"
                           + ("" if asserted else ", none asserted"), doc["gold"],
                           [event_summary(e) for e in events], evidence,
                           ASSERTED_ALARM if asserted else OTHER_ALARM))
    metrics: dict[str, float | int | None] = {
        "false_alarm_rate": ratio(alarms, len(gold_set.docs)),
        "asserted_false_alarm_rate": ratio(asserted_alarms, len(gold_set.docs)),
        "documents": len(gold_set.docs), "false_alarms": alarms,
        "asserted_false_alarms": asserted_alarms, "predicted_events": events_total,
        "background_events": background,
        **span_metrics(gold_set, predictions),
    }
    return EvalResult("negatives", str(gold), metrics, misses, predictions.notes)


def negative_gold_problem(gold: dict[str, Any]) -> str | None:
    if gold.get("events") not in (0, []):
        return f"a negative sentence must have gold events 0, not {gold.get('events')!r}"
    return None
