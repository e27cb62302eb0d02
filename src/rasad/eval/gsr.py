"""Score event sentences (`up_arabic_gsr_*.jsonl`, UniversalPETRARCH Arabic), contract §5.

Every gold sentence holds one event, `gold.category` ASSAULT or PROTEST.  A sentence is a hit when
any predicted event belongs to the right family (`FAMILIES`: ASSAULT → Battles,
Explosions/Remote violence, Violence against civilians; PROTEST → Protests, Riots), whatever its
modality.  Metrics:

- `family_recall` = hits / sentences, and per category (`assault_recall`, `protest_recall`);
- `family_precision` = predicted events of the right family / all predicted events (for
  information: the gold marks one event a sentence, so a second event is not necessarily wrong);
- `source_actor_accuracy`, over sentences with a non-empty gold `sourcetext`: a predicted event of
  the right family has an `actor1` whose span overlaps where the source text stands in the
  sentence.  The gold source text is located exactly when it is a substring; otherwise (the gold
  gives some multi-word sources with their words out of order) as the shortest run of tokens that
  holds all its words, clitic-aware; when neither works (`source_unlocated` counts these), an
  actor1 is right when its normalised text shares a word of three or more letters with it.

Misses (`--errors`): sentences with no event of the right family, then sentences where the source
actor was not found.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasad.eval.common import EvalResult, Miss, ratio
from rasad.eval.files import predictions_for, read_gold, span_metrics
from rasad.eval.match import name_key
from rasad.settings import Settings
from rasad.text.lexicon import Lexicon, phrase_words
from rasad.text.normalize import normalize
from rasad.text.segment import tokenize

FAMILIES: dict[str, frozenset[str]] = {
    "ASSAULT": frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"}),
    "PROTEST": frozenset({"Protests", "Riots"}),
}
MAX_EXTRA_TOKENS = 3
"""A located out-of-order source may have this many tokens between its own words."""
MISSED_EVENT, MISSED_SOURCE = 2.0, 1.0


def evaluate_gsr(gold: Path, pred: Path | None, settings: Settings) -> EvalResult:
    """Family recall, family precision and source-actor accuracy of one gold sentence file."""
    gold_set = read_gold(gold, check=gsr_gold_problem)
    predictions = predictions_for(gold_set, pred, settings)
    counts = dict.fromkeys(("hits", "assault", "assault_hits", "protest", "protest_hits",
                            "predicted", "right_family", "sources", "sources_found",
                            "unlocated"), 0)
    misses: list[Miss] = []
    for doc in gold_set.docs:
        doc_id, text, gold_event = str(doc["id"]), doc["text"], doc["gold"]
        category = gold_event["category"]
        events = predictions.records[doc_id].get("events") or []
        right = [e for e in events if e.get("event_type") in FAMILIES[category]]
        counts["predicted"] += len(events)
        counts["right_family"] += len(right)
        counts[category.lower()] += 1
        if right:
            counts["hits"] += 1
            counts[f"{category.lower()}_hits"] += 1
        else:
            misses.append(Miss(doc_id, f"missed: no {category} event "
                               f"({', '.join(sorted(FAMILIES[category]))})", gold_event,
                               [e.get("event_type") for e in events], text, MISSED_EVENT))
        source = (gold_event.get("sourcetext") or "").strip()
        if not source:
            continue
        counts["sources"] += 1
        spans = locate_source(text, source)
        counts["unlocated"] += not spans
        actors = [e["actor1"] for e in right if isinstance(e.get("actor1"), dict)]
        if any(source_found(actor, spans, source) for actor in actors):
            counts["sources_found"] += 1
        elif right:
            misses.append(Miss(doc_id, "source actor not found as actor1", gold_event,
                               [{"name": a.get("name"), "text": a.get("text")} for a in actors],
                               text, MISSED_SOURCE))
    metrics: dict[str, float | int | None] = {
        "family_recall": ratio(counts["hits"], len(gold_set.docs)),
        "assault_recall": ratio(counts["assault_hits"], counts["assault"]),
        "protest_recall": ratio(counts["protest_hits"], counts["protest"]),
        "family_precision": ratio(counts["right_family"], counts["predicted"]),
        "source_actor_accuracy": ratio(counts["sources_found"], counts["sources"]),
        "documents": len(gold_set.docs), "hits": counts["hits"],
        "predicted_events": counts["predicted"], "right_family_events": counts["right_family"],
        "source_sentences": counts["sources"], "source_unlocated": counts["unlocated"],
        **span_metrics(gold_set, predictions),
    }
    return EvalResult("gsr", str(gold), metrics, misses, predictions.notes)


def gsr_gold_problem(gold: dict[str, Any]) -> str | None:
    if gold.get("category") not in FAMILIES:
        return f"gold category {gold.get('category')!r} is not one of {', '.join(FAMILIES)}"
    if not isinstance(gold.get("sourcetext", ""), (str, type(None))):
        return "gold sourcetext is not a string"
    return None


def locate_source(text: str, source: str) -> list[tuple[int, int]]:
    """Original-text spans where `source` stands in `text` (empty when it cannot be found)."""
    spans = []
    start = text.find(source)
    while start >= 0:
        spans.append((start, start + len(source)))
        start = text.find(source, start + 1)
    if spans:
        return spans
    words = list(dict.fromkeys(phrase_words(source)))
    if not words:
        return []
    norm = normalize(text)
    tokens = tokenize(norm.text)
    lexicon = Lexicon()
    for k, word in enumerate(words):
        lexicon.add("source", word, k)
    word_at: dict[int, set[int]] = {}
    for m in lexicon.match(tokens, norm.text):
        word_at.setdefault(m.first_token, set()).add(m.payload)
    window = _shortest_window(word_at, len(words))
    if window is None or window[1] - window[0] + 1 > len(words) + MAX_EXTRA_TOKENS:
        return []
    return [norm.to_original(tokens[window[0]].start, tokens[window[1]].end)]


def _shortest_window(word_at: dict[int, set[int]], n_words: int) -> tuple[int, int] | None:
    """The shortest (first token, last token) run that holds each of the `n_words` words."""
    positions = sorted(word_at)
    best: tuple[int, int] | None = None
    for a, first in enumerate(positions):
        seen: set[int] = set()
        for last in positions[a:]:
            seen |= word_at[last]
            if len(seen) == n_words:
                if best is None or last - first < best[1] - best[0]:
                    best = (first, last)
                break
    return best


def source_found(actor: dict[str, Any], spans: list[tuple[int, int]], source: str) -> bool:
    """The actor's span overlaps a located source; or, unlocated, they share a word."""
    start, end = actor.get("start"), actor.get("end")
    if spans:
        return isinstance(start, int) and isinstance(end, int) and any(
            start < s_end and s_start < end for s_start, s_end in spans)
    actor_words = {w for w in name_key(actor.get("text") or "").split() if len(w) >= 3}
    return bool(actor_words & {w for w in name_key(source).split() if len(w) >= 3})
