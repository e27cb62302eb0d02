"""A coarse place made precise by the sentence, or the next one, that tells the act again.

News often tells an act first with a coarse place and re-tells it in the next sentence with the
precise one: «قتل جنديان في انفجار لغم في جنوب شرق تركيا. وقالت المصادر إن متمردين فجروا عبوة
أثناء مرور قافلة في مقاطعة شرناق» — ACLED codes the province, not the country.  `refine_places`
gives such an event the finer place.  An event whose place is coarse (`coarse`: a country, a
side of a country «جنوب شرق تركيا», a governorate or region, or a town named only as a container
«ريف حمص», «أطراف حمص», «شمال شرقي بعقوبة») takes the finest place inside it (`contains`) that
its own sentence (or report segment) names, or else that a later mention names in its own
sentence when that mention re-tells the same act: the same event type and the very day, in one
of the next `REACH` sentences of the same paragraph, an act and not only a toll, not opening a
new report (`reports.opens_report`).  Inside means: the same country and, for a side, on that
side of the country's point; the same governorate; for a town's countryside or side, its
governorate on that side; for its surroundings («قرب», «محيط», «أطراف»), within `NEAR_KM`.  A
retelling placed more coarsely takes the place too, so the two mentions share one place and
merging joins them as one event even when their actors differ (`retelling.retells`, setting
`merge_retold`).  A place is never taken from a sentence that tells another kind of act,
another day or a new report, nor from another paragraph, and only among the places that may
locate an event at all (`eventplace.scenes`, which `eventplace.place_event` reads too: not a
place that only says where the one before it lies, «مسجد الكمالية في بغداد», nor a city a
distance is measured from, a government «وقالت أنقرة», the other side of a border …).

Setting `refine_places` (on by default; see the README's settings table).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rasad.doc import Doc, PlaceMention
from rasad.extract.eventplace import compass, lies_towards, scenes
from rasad.extract.reports import opens_report, paragraph_starts
from rasad.geo.distance import distance_km
from rasad.geo.gazetteer import FEATURE_RANK
from rasad.records import Place

if TYPE_CHECKING:
    from rasad.extract.events import Candidate

# How many sentences after the coarse telling a retelling may stand.
REACH = 2
# How far from a town the places «قرب/محيط/أطراف» it may lie (its countryside and its sides
# reach as far as its governorate).
NEAR_KM = 20.0
_COARSE_FEATURES = frozenset({"country", "admin1", "region"})
# Relations that name a town only as the container of the scene («ريف حمص», «قرب الرمادي»).
_CONTAINER_RELATIONS = frozenset({"countryside", "near"})


def coarse(p: PlaceMention) -> bool:
    """Whether an event placed at `p` is placed only roughly: a country, a governorate or
    region, or a town named as the container of the scene (its countryside, its outskirts, a
    direction from it)."""
    if not p.place.resolved:
        return False
    if p.place.feature in _COARSE_FEATURES:
        return True
    return p.relation in _CONTAINER_RELATIONS or compass(p) is not None


def _within(a: Place, b: Place, km: float) -> bool:
    distance = distance_km(a, b)
    return distance is not None and distance <= km


def _level(p: PlaceMention) -> float:
    """How coarse a place phrase is: its feature's rank (`FEATURE_RANK`: a country 5, a
    governorate 4, a district 3, a town 1); a town's surroundings («قرب/أطراف حمص») count
    between a town and a district, its countryside or a side of it («ريف حمص», «شمال شرقي
    بعقوبة») between a district and a governorate."""
    rank = float(FEATURE_RANK.get(p.place.feature or "", 0))
    if p.place.feature in _COARSE_FEATURES or p.place.feature == "admin2":
        return rank
    if p.relation == "countryside" or compass(p) is not None:
        return max(rank, 3.5)
    return max(rank, 1.5) if p.relation == "near" else rank


def contains(outer: PlaceMention, inner: PlaceMention) -> bool:
    """Whether `inner` names a finer place within the coarse place `outer`."""
    a, b = outer.place, inner.place
    if not b.resolved or a.country is None or b.country != a.country:
        return False
    if b.gazetteer_id is not None and b.gazetteer_id == a.gazetteer_id:
        return False  # the same place told again
    if _level(inner) >= _level(outer):
        return False
    if a.feature != "country" and (a.admin1 is None or b.admin1 != a.admin1):
        return False
    if outer.relation == "near" and a.feature not in _COARSE_FEATURES and not _within(
            a, b, NEAR_KM):
        return False  # «قرب الطبقة» is no town of the governorate 50 km away
    direction = compass(outer)
    return direction is None or lies_towards(direction, outer, inner)


def _retells(doc: Doc, c: Candidate, d: Candidate) -> bool:
    """Whether the later mention `d` tells `c`'s act again (type, day, an act, no new report)."""
    return (d.event_type == c.event_type and d.date is not None and d.date == c.date
            and not d.form.spec.result and not opens_report(doc, d))


def _finer(doc: Doc, c: Candidate, d: Candidate,
           places: Sequence[PlaceMention]) -> PlaceMention | None:
    """The finest place inside `c`'s that the retelling `d`'s sentence (or report segment)
    names, nearest `d`'s trigger, among those that may be a scene (`eventplace.scenes`, the
    filter `eventplace.place_event` reads the event's own place through); None when it names
    none."""
    assert c.place is not None
    seg = d.segment
    told = [p for p in places if seg is None or seg.start <= p.start < seg.end]
    inside = [p for p in scenes(doc, told) if contains(c.place, p)]
    if not inside:
        return None
    return min(inside, key=lambda p: (_level(p), abs(p.start - d.anchor.start)))


def refine_places(doc: Doc, candidates: Sequence[Candidate],
                  places_by_sentence: Mapping[int, Sequence[PlaceMention]]) -> int:
    """Give each candidate placed coarsely the finer place that a retelling in the next
    sentences of its paragraph names (the retelling too, when its own place is coarser),
    among the places of a sentence or report segment that may locate an event
    (`eventplace.scenes`: not «على بعد 5 كم من X», not «وقالت أنقرة» …).  Returns how many
    candidates were refined."""
    if not candidates:
        return 0
    starts = paragraph_starts(doc)
    by_sentence: dict[int, list[Candidate]] = {}
    for c in candidates:
        by_sentence.setdefault(c.sentence, []).append(c)
    refined = 0
    for c in candidates:
        if c.place is None or not coarse(c.place):
            continue
        if sum(o.anchor is c.anchor for o in by_sentence[c.sentence]) > 1:
            continue  # one of a list of places («في محافظتي الأنبار وكركوك»)
        for later in range(c.sentence, min(c.sentence + REACH + 1, len(starts))):
            if starts[later] != starts[c.sentence]:
                break  # another paragraph
            found = next(((d, p) for d in by_sentence.get(later, ())
                          if (d is c if later == c.sentence else _retells(doc, c, d))
                          and (p := _finer(doc, c, d, places_by_sentence.get(later, ())))
                          is not None), None)
            if found is None:
                continue
            d, finer = found
            c.place, c.geo_precision = finer, finer.geo_precision
            c.place_in_sentence = c.place_in_sentence or later == c.sentence
            if d.place is None or _level(d.place) > _level(finer):
                d.place, d.geo_precision, d.place_in_sentence = finer, finer.geo_precision, True
            refined += 1
            break
    return refined
