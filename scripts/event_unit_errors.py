"""Classify the errors of the event unit on development gold: over-merges and duplicates.

`rasad eval articles` counts two causes of the unit of an event: gold events "merged into
another event" (a prediction that agrees with the gold event, or is read from its sentence, is
matched to another gold event) and "duplicate" false alarms (a prediction that agrees with a gold
event already matched to another prediction).  This script runs the extractor on development
gold files (never a file named test or check), takes exactly those errors by the scorer's own
rules (`rasad.eval.causes`), and says of each:

- an over-merge: which step made one event of two — ``same sentence`` (both gold events read
  from one sentence, one candidate for them), ``cross-sentence merge`` (the prediction's mentions
  span the gold event's sentence and another), ``agrees only`` (its sentence was not read into
  the prediction: it merely agrees by type and place) — and what separates the two gold events
  (sub-type, day, place over 10 km apart, first actors);
- a duplicate: where the two tellings stand (``same sentence``, ``lead retold`` when the earlier
  one is in the first two sentences, ``adjacent``, ``gap N``) and where they differ (day, place
  name, sub-type, actors in conflict).

It prints one block per error, the tables by class and their margins.

    python scripts/event_unit_errors.py --shared ../shared [articles_dev.jsonl incidents_dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from rasad.eval.articles import scored_document
from rasad.eval.causes import DUPLICATE, MERGED, false_alarm_cause, miss_cause, overlap
from rasad.eval.match import place_agreement
from rasad.io.readers import Failure, document_from_object
from rasad.pipeline import Pipeline
from rasad.records import Event
from rasad.settings import Settings

GOLD_FILES = ("articles_dev.jsonl", "incidents_dev.jsonl")
SAME_PLACE_KM = 10.0


def separation(a: dict[str, Any], b: dict[str, Any]) -> str:
    """What tells two gold events apart: sub-type, day, place, first actors."""
    out = []
    if a.get("sub_event_type") != b.get("sub_event_type"):
        out.append("subtype")
    if a.get("event_date") != b.get("event_date"):
        out.append("day")
    agreement = place_agreement(a.get("location"), b.get("location"))
    if not agreement.agree or (agreement.distance_km or 0.0) > SAME_PLACE_KM:
        out.append("place")

    def first_actors(g: dict[str, Any]) -> set[str]:
        return {names[0] for slot in ("actor1", "actor2") if (names := g.get(slot) or [])}

    if first_actors(a) != first_actors(b):
        out.append("actors")
    return "+".join(out) or "nothing"


def difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Where two predicted tellings of one gold event differ."""
    out = []
    if a.get("event_date") != b.get("event_date"):
        out.append("day")
    if (a.get("location") or {}).get("name") != (b.get("location") or {}).get("name"):
        out.append("place")
    if a.get("sub_event_type") != b.get("sub_event_type"):
        out.append("subtype")

    def names(e: dict[str, Any]) -> set[str]:
        return {str(e[s]["name"]) for s in ("actor1", "actor2") if e.get(s)}

    if names(a) and names(b) and not names(a) & names(b):
        out.append("actors-conflict")
    return "+".join(out) or "nothing"


def sentences_of(event: Event) -> list[int]:
    return sorted({c.sentence for c in event.mentions})


def short(text: Any, n: int = 110) -> str:
    return str(text or "").replace("\n", " ")[:n]


def gold_line(g: dict[str, Any], evidence: bool = False) -> str:
    words = f" {short(g.get('evidence'))}" if evidence else ""
    return f"{g['sub_event_type']} «{g['location'].get('name_ar')}» {g.get('event_date')}{words}"


def predicted_line(p: dict[str, Any], evidence: bool = False) -> str:
    words = f" {short((p.get('evidence') or {}).get('text'))}" if evidence else ""
    place = (p.get("location") or {}).get("text")
    return f"{p['sub_event_type']} «{place}» {p.get('event_date')}{words}"


def classify(obj: dict[str, Any], pipeline: Pipeline, settings: Settings,
             merges: Counter[tuple[str, str]], duplicates: Counter[tuple[str, str]]) -> None:
    """Print and count the over-merges and duplicates of one gold article."""
    gold = obj["gold"]
    if gold["genre"] == "opinion":
        return
    doc_id = str(obj["id"])
    raw = document_from_object({k: v for k, v in obj.items() if k != "gold"}, doc_id, settings,
                               "gold")
    if isinstance(raw, Failure):
        return
    doc = pipeline.run(raw)
    records = [e.to_dict(doc_id) for e in doc.events]
    scored, _ = scored_document(obj, {"events": records, "published": obj.get("published")
                                      or (doc.published.isoformat() if doc.published else None)})
    golds, predicted, passages = scored.gold, scored.predicted, scored.gold_passages
    event_of = {id(r): e for r, e in zip(records, doc.events, strict=True)}
    events = [event_of[id(p)] for p in predicted]

    def gold_sentences(i: int) -> set[int]:
        passage = passages[i]
        return {k for k, s in enumerate(doc.sentences)
                if passage and overlap(passage, (s.start, s.end))}

    for i, g in enumerate(golds):
        if i in scored.predicted_of or miss_cause(scored, i) != MERGED:
            continue
        j = next(j for j in scored.gold_of
                 if scored.pair_agrees(i, j) or overlap(passages[i], scored.predicted_passages[j]))
        other = scored.gold_of[j]
        mine, theirs = gold_sentences(i), gold_sentences(other)
        if mine & theirs:
            step = "same sentence"
        elif mine & set(sentences_of(events[j])):
            step = "cross-sentence merge"
        else:
            step = "agrees only"
        apart = separation(g, golds[other])
        merges[(step, apart)] += 1
        print(f"MERGED {doc_id} {step}; apart by {apart}\n  missed: {gold_line(g, True)}\n"
              f"  other:  {gold_line(golds[other])}")
    for j, p in enumerate(predicted):
        if j in scored.gold_of or false_alarm_cause(scored, j) != DUPLICATE:
            continue
        i = next(i for i in scored.predicted_of if scored.pair_agrees(i, j))
        k = scored.predicted_of[i]
        first, second = sorted((j, k), key=lambda x: sentences_of(events[x])[0])
        gap = min(abs(x - y) for x in sentences_of(events[first])
                  for y in sentences_of(events[second]))
        where = ("same sentence" if gap == 0 else "lead retold"
                 if sentences_of(events[first])[0] <= 1 else "adjacent" if gap == 1
                 else f"gap {gap}")
        differ = difference(p, predicted[k])
        duplicates[(where, differ)] += 1
        print(f"DUPLICATE {doc_id} {where}; differ by {differ}\n"
              f"  extra: {predicted_line(p, True)}\n  kept:  {predicted_line(predicted[k])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("files", nargs="*", default=list(GOLD_FILES))
    args = parser.parse_args()
    settings = Settings()
    pipeline = Pipeline(settings)
    merges: Counter[tuple[str, str]] = Counter()
    duplicates: Counter[tuple[str, str]] = Counter()
    for name in args.files:
        if "test" in name or "check" in name:
            parser.error(f"{name}: development gold only (never a test or check file)")
        with (args.shared / "data/gold" / name).open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    classify(json.loads(line), pipeline, settings, merges, duplicates)
    for title, table in (("over-merges (step; what separates the gold events)", merges),
                         ("duplicates (where the tellings stand; how they differ)",
                          duplicates)):
        print(f"\n{title}: {sum(table.values())}")
        for (a, b), n in table.most_common():
            print(f"  {n:3d}  {a}; {b}")
        steps: Counter[str] = Counter()
        parts: Counter[str] = Counter()
        for (a, b), n in table.items():
            steps[a] += n
            for part in b.split("+"):
                parts[part] += n
        print("  by the first:", ", ".join(f"{k} {n}" for k, n in steps.most_common()))
        print("  by each part of the second:",
              ", ".join(f"{k} {n}" for k, n in parts.most_common()))


if __name__ == "__main__":
    main()
