"""Is this a real, current event? A small trained model over the extractor's own cues.

The rules of `events` find every mention a trigger licenses; whether the mention reports an
event that happened, now, in the place and on the day read — rather than a plan, a total, a
description of control, a quote of a threat or a second telling of an event already counted — is
a judgement over many weak cues.  `event_features(doc, group, head, event, …)` turns them into
a few dozen abstract features (event type, trigger part of speech and strength, how many
mentions merged, modality, which roles and place and date were found and how, the cues of the
evidence sentence, the document's genre and size); no word of any text is a feature.
A logistic regression over them (`rasad.linear.LogisticModel`), trained by
`scripts/train_event_model.py` on the events the extractor predicts for the development gold
articles, labelled by whether the
contract's scoring matches them to a gold event; it ships as `data/event_model.json` (weights,
the chosen threshold, and its cross-validated scores) and runs in plain Python.

The pipeline sets each event's `confidence` to the model's probability and drops the events
below the model's threshold, in every document but an opinion piece a rule recognised (a
disclaimer or a column signature: those keep the rules' judgement); setting `event_model =
false` turns the model off.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rasad.doc import Doc
from rasad.linear import LogisticModel, load_logistic_model
from rasad.records import Event

if TYPE_CHECKING:
    from rasad.extract.events import Candidate

MODEL_FILE = "event_model.json"
_QUOTES = ("«", "»", '"', "“", "”", ":")
_STATE_INTERS = (1, 3)


def _bucket(days: int | None) -> str:
    if days is None:
        return "none"
    if days < 0:
        return "future"
    if days == 0:
        return "0"
    if days <= 3:
        return "1-3"
    if days <= 30:
        return "4-30"
    return "older"


def main_country(doc: Doc) -> str | None:
    """The country most of the document's places lie in."""
    counts = Counter(p.place.country for p in doc.places if p.place.country)
    return counts.most_common(1)[0][0] if counts else None


@dataclass(slots=True)
class DocumentContext:
    """What every event of one document is compared with, counted once (linear in the
    document's events and lexicon matches, however long it is)."""

    events: int
    country: str | None
    types: Counter[str]
    type_days: Counter[tuple[str, str | None]]
    type_precisions: dict[str, Counter[int]]
    sentence_cues: dict[int, dict[str, float]]

    @classmethod
    def of(cls, doc: Doc, events: Sequence[Event]) -> DocumentContext:
        precisions: dict[str, Counter[int]] = defaultdict(Counter)
        for e in events:
            if e.location is not None:
                precisions[e.event_type][e.geo_precision] += 1
        cues: dict[int, dict[str, float]] = defaultdict(lambda: {"sentence_triggers": 0.0})
        for m in doc.matches:
            f = cues[doc.sentence_at(m.start)]
            if m.kind == "trigger":
                f["sentence_triggers"] += 1
            elif m.kind in ("modality", "genre"):
                f[f"cue_{m.kind}={m.payload}"] = 1.0
            elif m.kind == "attribution":
                f["cue_attribution"] = 1.0
        return cls(len(events), main_country(doc), Counter(e.event_type for e in events),
                   Counter((e.event_type, e.event_date) for e in events), dict(precisions),
                   dict(cues))


def event_features(doc: Doc, group: Sequence[Candidate], head: Candidate, event: Event,
                   index: int, context: DocumentContext) -> dict[str, float]:
    """The features of one merged event (`group`: its mentions, `head` the one its record was
    built from; `event`: its record, the `index`-th of the document's; `context`:
    `DocumentContext.of` the document's events)."""
    here = event.location
    s = doc.sentences[head.sentence]
    finer = sum(n for p, n in context.type_precisions.get(event.event_type, Counter()).items()
                if p < event.geo_precision)
    f: dict[str, float] = {
        f"type={event.event_type}": 1.0,
        f"strength={head.strength}": 1.0,
        f"modality={event.modality}": 1.0,
        f"genre={doc.genre}": 1.0,
        "head_noun": float(head.form.pos == "noun"),
        "mentions": math.log1p(len(group)),
        "sentences": math.log1p(len({c.sentence for c in group})),
        "triggers": math.log1p(sum(len(c.triggers) for c in group)),
        "actor1": float(event.actor1 is not None and bool(event.actor1.text)),
        "actor1_implied": float(event.actor1 is not None and not event.actor1.text),
        "actor2": float(event.actor2 is not None),
        "actor1_state": float(event.actor1 is not None and event.actor1.inter in _STATE_INTERS),
        "actor1_unregistered": float(event.actor1 is not None and not event.actor1.registered),
        "assoc": float(bool(event.assoc_actor_1 or event.assoc_actor_2)),
        "place_none": float(event.location is None),
        "place_in_sentence": float(any(c.place is not None and c.place_in_sentence
                                       for c in group)),
        f"geo_precision={event.geo_precision if event.location else 0}": 1.0,
        "place_country_level": float(event.location is not None
                                     and event.location.feature == "country"),
        "place_dateline": float(any(c.place is not None and c.place.dateline for c in group)),
        "date_in_sentence": float(any(c.date_in_sentence for c in group)),
        "fatalities": float(event.fatalities is not None),
        "attribution": float(event.attribution is not None),
        "first_sentences": float(head.sentence <= 2),
        "position": head.sentence / max(len(doc.sentences), 1),
        "first_event": float(index == 0),
        "doc_events": math.log1p(context.events),
        "same_type_events": math.log1p(context.types[event.event_type] - 1),
        "same_type_same_day": float(context.type_days[event.event_type, event.event_date] > 1),
        "same_type_finer_place": float(finer > 0),
        "place_abroad": float(here is not None and context.country is not None
                              and here.country != context.country),
        "single_sentence": float(len(doc.sentences) == 1),
        "sentence_tokens": math.log1p(s.last_token - s.first_token),
        "sentence_quote": float(any(q in doc.text[s.start:s.end] for q in _QUOTES)),
        "sentence_question": float("?" in doc.text[s.start:s.end]
                                   or "؟" in doc.text[s.start:s.end]),
    }
    days = None
    if event.event_date and doc.published is not None:
        days = (doc.published - dt.date.fromisoformat(event.event_date)).days
    f[f"days={_bucket(days)}"] = 1.0
    cues = dict(context.sentence_cues.get(head.sentence, {"sentence_triggers": 0.0}))
    cues["sentence_triggers"] = math.log1p(cues["sentence_triggers"])
    f.update(cues)
    return f


def load_event_model() -> LogisticModel | None:
    """The packaged event model, or None when the file is not installed."""
    return load_logistic_model(MODEL_FILE)
