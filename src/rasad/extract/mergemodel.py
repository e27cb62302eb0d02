"""Are these two events one incident? A small trained model over pairs of a document's events.

`EventExtractor.merge` groups the mentions of one event by hand-written compatibility (same
type, day, place, an actor in common; report segments never merged).  What it leaves apart is
still often one incident told twice — a second account of one shelling, a toll update, the lead's
summary and the body's report with a coarser or a finer place.  `pair_features(doc, a, b, ...)`
describes two events of one type of one document by abstract relations (same sub-type; same
place, one inside the other, distance, either place missing or coarse; same day, days apart,
either date missing; actors in common or in conflict; fatality figures; sentence distance, same
paragraph, the later one a definite noun referring back or a new report; trigger strengths); no
word of any text is a feature.  `load_merge_model()` gives the logistic regression over them
(an `LogisticModel`: weights, threshold, its cross-validated scores), trained by
`scripts/train_merge_model.py` on the events the extractor predicts for the development gold
articles, a pair labelled by whether the contract's matching gives both events the same gold
event; it ships as `data/merge_model.json`.

`merge_duplicates(doc, events, model, rebuild)` merges, in document order, each event into the
earlier event of its type with which the model's probability is highest and at least the
threshold.  Only current events are compared: an event dated as background (more than
`background_days` before publication) is left as it is, as the model was trained on the pairs
the contract scores, never on a background event.  A merged event is rebuilt from all its
mentions by the extractor's own rules (`rebuild`: the strongest mention's evidence and type, the
best place and date, the union of the roles).  The pipeline applies it after the event model
when `merge_model = true`; it is off by default, as it lowered the F1 of the articles nobody here
reads (docs/merge_model.md).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rasad.doc import Doc
from rasad.extract.events import MERGE_KEYS, MERGE_WINDOW
from rasad.extract.reports import opens_report, paragraph_starts
from rasad.geo.distance import distance_km
from rasad.linear import LogisticModel, load_logistic_model
from rasad.records import Event

if TYPE_CHECKING:
    from rasad.extract.events import Candidate

MODEL_FILE = "merge_model.json"
Rebuild = Callable[[Doc, list["Candidate"]], Event]


@dataclass(slots=True)
class PairContext:
    """What every pair of one document is read against, computed once."""

    paragraphs: list[int]
    type_counts: dict[str, int]

    @classmethod
    def of(cls, doc: Doc, events: Sequence[Event]) -> PairContext:
        counts: dict[str, int] = {}
        for e in events:
            counts[e.event_type] = counts.get(e.event_type, 0) + 1
        return cls(paragraph_starts(doc), counts)


def _actor_names(e: Event) -> set[str]:
    return {a.name for a in (e.actor1, e.actor2) if a is not None and a.text}


def _place_features(a: Event, b: Event) -> dict[str, float]:
    pa, pb = a.location, b.location
    if pa is None or pb is None:
        return {"place_both_missing" if pa is None and pb is None else "place_one_missing": 1.0}
    f: dict[str, float] = {}
    if (pa.gazetteer_id and pa.gazetteer_id == pb.gazetteer_id) or \
            (pa.name or pa.text) == (pb.name or pb.text):
        f["place_same"] = 1.0
    elif pa.country != pb.country:
        f["place_other_country"] = 1.0
    else:
        coarse = [p for p in (pa, pb) if p.feature in ("country", "admin1", "region")]
        if len(coarse) == 1:
            fine = pb if coarse[0] is pa else pa
            inside = coarse[0].feature == "country" or (fine.admin1 is not None
                                                        and fine.admin1 == coarse[0].admin1)
            f["place_inside" if inside else "place_coarse_apart"] = 1.0
        elif coarse:
            f["place_both_coarse"] = 1.0
        elif pa.admin1 is not None and pa.admin1 == pb.admin1:
            f["place_same_admin1"] = 1.0
    km = distance_km(pa, pb)
    if km is not None:
        f["place_log_km"] = math.log1p(km)
        f["place_within_10km"] = float(km <= 10.0)
    f["precision_max=" + str(max(a.geo_precision, b.geo_precision))] = 1.0
    return f


def _date_features(a: Event, b: Event) -> dict[str, float]:
    if a.event_date is None or b.event_date is None:
        return {"date_both_missing" if a.event_date == b.event_date else "date_one_missing": 1.0}
    if a.event_date == b.event_date:
        return {"date_same": 1.0}
    days = abs((dt.date.fromisoformat(a.event_date[:10])
                - dt.date.fromisoformat(b.event_date[:10])).days)
    return {"date_log_days": math.log1p(days), "date_day_apart": float(days == 1)}


def pair_features(doc: Doc, a: Event, b: Event, context: PairContext) -> dict[str, float]:
    """The features of two events of one type of `doc`, `a` before `b` (their mentions in
    `Event.mentions`)."""
    ga: list[Candidate] = a.mentions
    gb: list[Candidate] = b.mentions
    first_b = min(gb, key=lambda c: c.sentence)
    gap = min(abs(x.sentence - y.sentence) for x in ga for y in gb)
    f: dict[str, float] = {
        "same_sub_type": float(a.sub_event_type == b.sub_event_type),
        "sentence_gap": math.log1p(gap),
        "same_sentence": float(gap == 0),
        "adjacent_sentence": float(gap == 1),
        "same_paragraph": float(any(context.paragraphs[x.sentence]
                                    == context.paragraphs[y.sentence] for x in ga for y in gb)),
        "segments": float(any(x.sentence == y.sentence and x.segment != y.segment
                              for x in ga for y in gb)),
        "later_opens_report": float(opens_report(doc, first_b)),
        "later_refers_back": float(_definite_noun(doc, first_b) and not first_b.place_in_sentence),
        "later_place_in_sentence": float(any(c.place_in_sentence for c in gb)),
        "earlier_place_in_sentence": float(any(c.place_in_sentence for c in ga)),
        "later_date_in_sentence": float(any(c.date_in_sentence for c in gb)),
        "min_strength": float(min(max(c.strength for c in ga), max(c.strength for c in gb))),
        "later_noun": float(first_b.form.pos == "noun"),
        "type_events": math.log1p(context.type_counts.get(a.event_type, 1) - 1),
        "first_is_lead": float(min(c.sentence for c in ga) <= 1),
    }
    names_a, names_b = _actor_names(a), _actor_names(b)
    if names_a and names_b:
        f["actors_shared" if names_a & names_b else "actors_conflict"] = 1.0
    else:
        f["actors_missing"] = 1.0
    if a.fatalities is not None and b.fatalities is not None:
        f["fatalities_equal" if a.fatalities == b.fatalities else "fatalities_differ"] = 1.0
    elif a.fatalities is not None or b.fatalities is not None:
        f["fatalities_one"] = 1.0
    f.update(_place_features(a, b))
    f.update(_date_features(a, b))
    return f


def _definite_noun(doc: Doc, c: Candidate) -> bool:
    if c.form.pos != "noun":
        return False
    return doc.tokens[c.anchor.first_token].text[len(c.anchor.proclitic):].startswith("ال")


def merge_duplicates(doc: Doc, events: Sequence[Event], model: LogisticModel, rebuild: Rebuild,
                     threshold: float | None = None) -> list[Event]:
    """The document's events with those the model calls one incident merged (see the module's
    docstring); events without mentions (built elsewhere) are left as they are."""
    eligible = [e.event_type for e in events if e.mentions and not e.background]
    if len(set(eligible)) == len(eligible):
        return list(events)  # no two events of one type to compare
    cut = model.threshold if threshold is None else threshold
    context = PairContext.of(doc, events)
    clusters: list[list[Event]] = []
    by_type: dict[str, list[list[Event]]] = {}
    for e in events:
        best: tuple[float, list[Event]] | None = None
        if e.mentions and not e.background:
            # As `EventExtractor.merge`: the latest events of its type, the latest members of
            # each, so that a long digest costs linear time.
            for cluster in by_type.get(e.event_type, [])[-MERGE_WINDOW:]:
                p = max(model.probability(pair_features(doc, m, e, context))
                        for m in cluster[-MERGE_KEYS:])
                if p >= cut and (best is None or p > best[0]):
                    best = (p, cluster)
        if best is not None:
            best[1].append(e)
            continue
        clusters.append([e])
        if e.mentions and not e.background:
            by_type.setdefault(e.event_type, []).append(clusters[-1])
    return [cluster[0] if len(cluster) == 1 else _merged(doc, cluster, rebuild)
            for cluster in clusters]


def _merged(doc: Doc, cluster: list[Event], rebuild: Rebuild) -> Event:
    mentions = sorted((c for e in cluster for c in e.mentions),
                      key=lambda c: (c.sentence, c.anchor.start))
    event = rebuild(doc, mentions)
    judged = max(cluster, key=lambda e: e.confidence)
    event.confidence = judged.confidence
    event.features = judged.features
    event.mentions = mentions
    return event


def load_merge_model() -> LogisticModel | None:
    """The packaged pair model, or None when the file is not installed."""
    return load_logistic_model(MODEL_FILE)

