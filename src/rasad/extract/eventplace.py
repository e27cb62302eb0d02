"""Event places: where an event happened, read from its sentence, its paragraph and the document.

`place_event(doc, candidate, places_by_sentence, focus, previous)` sets a candidate event's place
(`Candidate.place`, its `geo_precision`, and whether its own sentence named it): a specific place
of the trigger's clause or sentence, else the context's, a listed governorate or country, the
place of the paragraph's last event, the dateline.  `other_places(doc, candidate,
places_by_sentence)` gives the further places the sentence lists for the event, over which
`EventExtractor` splits it (ACLED codes one event per place).  `scenes(doc, places)` keeps the
places of a sentence that may be an event's scene at all; `rasad.extract.refine` reads a
retelling's finer place among them too.  `specific`, `inside` and `near` say whether a place
locates an event finely, lies inside a region, and is one scene with another: merging reads them
(`EventExtractor.merge`); `compass` and `lies_towards` read the side of a region a phrase names
(«جنوب شرق تركيا»), here and in `refine`.  Reads the `PlaceMention`s of a `Doc` (normalised
offsets and tokens); sets the candidate's fields and returns places, never new records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rasad.doc import Doc, PlaceMention
from rasad.extract.reports import clause_at, paragraph_sentences
from rasad.geo.agents import across_border, named_as_agent
from rasad.geo.distance import distance_km
from rasad.text.normalize import normalize

if TYPE_CHECKING:
    from rasad.extract.events import Candidate

# Compass directions as (north-south sign, east-west sign) of the inner place from the outer.
_COMPASS = {"north": (1, 0), "south": (-1, 0), "east": (0, 1), "west": (0, -1),
            "northeast": (1, 1), "northwest": (1, -1), "southeast": (-1, 1),
            "southwest": (-1, -1)}
# Two places this close are one scene (`near`): neighbourhoods of one town are one event.
SAME_PLACE_KM = 10.0
_DISTANCE_UNITS = frozenset({"كم", "كلم", "كيلومتر", "كيلومترا", "كيلومترات", "كيلو", "ميلا",
                             "اميال", "مترا", "متر"})
# Normalised forms (compared with `doc.tokens`): «على» is written «علي».
_LOCATIVES = frozenset({"في", "وفي", "علي", "قرب", "بالقرب", "حول", "داخل", "عند", "محيط",
                        "اطراف", "ضواحي", "عن", "وعلي", "مدينه", "بلده", "قريه", "منطقه",
                        "حتي", "منها", "ومنها", "بينها", "وبينها", "الي", "والي"})
_FROM_ON = frozenset(normalize(w).text for w in ("بدءا", "بدءاً", "ابتداء", "ابتداءً", "انطلاقا"))
# Words that may stand between two places of one list («في العند، وفي الحوطة في محافظة لحج، فضلا
# عن تعز», «بلدتي الفوعة وكفريا شمال ادلب»); any other word ends the list.
_LIST_GLUE = _LOCATIVES | frozenset({
    "و", "او", "ثم", "فضلا", "اضافه", "بالاضافه", "واضافه", "كذلك", "وكذلك", "ايضا", "وايضا",
    "ب", "وب", "ومدينه", "وبلده", "وقريه", "ومنطقه", "مدن", "بلدات", "قري", "مناطق", "احياء",
    "حي", "وحي", "مدينتي", "بلدتي", "قريتي", "مخيم", "ومخيم", "محافظه", "ومحافظه", "محافظتي",
    "ريف", "وريف", "بريف", "قضاء", "وقضاء", "ناحيه", "وناحيه", "شمال", "جنوب", "شرق", "غرب",
    "شمالي", "جنوبي", "شرقي", "غربي", "وسط", "بين", "مركز"})


def compass(p: PlaceMention) -> str | None:
    """The compass direction a place phrase reads («جنوب شرق تركيا», «ريف حمص الشرقي»)."""
    if p.relation in _COMPASS:
        return p.relation
    return p.direction if p.direction in _COMPASS else None


def lies_towards(direction: str, outer: PlaceMention, inner: PlaceMention) -> bool:
    """Whether `inner`'s point lies on the `direction` side of `outer`'s point."""
    a, b = outer.place, inner.place
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return False
    north, east = _COMPASS[direction]
    dlat = (b.latitude or 0.0) - (a.latitude or 0.0)
    dlon = (b.longitude or 0.0) - (a.longitude or 0.0)
    return dlat * north >= 0 and dlon * east >= 0


def specific(p: PlaceMention) -> bool:
    """Whether a place locates an event finely: no country, governorate or region, and a
    precision of 1 or 2 (a town, a village, a district, a site; «ريف حمص» too)."""
    return p.place.feature not in ("country", "admin1", "region") and p.geo_precision < 3


def inside(p: PlaceMention, region: PlaceMention, sides: bool = True) -> bool:
    """Whether place `p` lies in the larger `region` (a country or a governorate); with
    `sides` (setting `refine_places`), on the side that the region's phrase names («جنوب شرق
    تركيا»: not Ankara)."""
    inner, outer = p.place, region.place
    if inner.country != outer.country or inner.country is None:
        return False
    direction = compass(region) if sides else None
    if direction is not None and not lies_towards(direction, region, p):
        return False
    if outer.feature == "country":
        return True
    return outer.feature in ("admin1", "region") and inner.admin1 is not None and \
        inner.admin1 == outer.admin1


def place_event(doc: Doc, c: Candidate, places_by_sentence: dict[int, list[PlaceMention]],
                focus: PlaceMention | None, previous: PlaceMention | None = None,
                sides: bool = True) -> None:
    """Set the event's location: the trigger's clause, its sentence, then the context.

    A specific place (town, village, facility) in the clause or the sentence wins, nearest
    the trigger (after it first).  Otherwise a specific place from the paragraph's earlier
    sentences or the document's focus, if it lies inside the governorate or country the
    sentence names; else that governorate or country itself; else the place of the
    paragraph's last event that named one (the scene goes on); else the dateline.  A country
    named as an agent («من قبل تركيا والولايات المتحدة», `rasad.geo.agents`) is no place here,
    nor is the other side of a border («على الحدود مع العراق وسوريا»), nor a country the
    sentence names without a locative («ما دفع السعودية إلى شن غارات»: a state acting, not a
    scene; a comma alone does not introduce a country as a location).  The dateline is never
    the sentence's own place («بغداد - أ ف ب: قتل 5 في محافظتي الأنبار وكركوك»), only the
    last resort.  A capital or country named as a government («قالت واشنطن»,
    `PlaceMention.metonym`, `rasad.geo.metonymy`) is neither a place here nor context.
    `sides` (setting `refine_places`) makes a context place lie on the side of the region the
    sentence names (`inside`).
    """
    in_sentence, earlier = _segment_places(c, places_by_sentence)
    here = scenes(doc, in_sentence)
    specific_listed = {id(p) for p in here if specific(p) and _listed(doc, p)}
    if specific_listed:
        here = [p for p in here if not specific(p) or id(p) in specific_listed]
    clause = clause_at(doc, c.sentence, c.anchor.start)
    in_clause = [p for p in here if clause[0] <= p.start < clause[1]]

    def nearest(pool: list[PlaceMention]) -> PlaceMention:
        return min(pool, key=lambda p: (p.start < c.anchor.start,
                                        abs(p.start - c.anchor.start)))

    chosen: PlaceMention | None = None
    for pool in ([p for p in in_clause if specific(p)],
                 [p for p in here if specific(p)]):
        if pool:
            chosen = nearest(pool)
            break
    if chosen is None:
        context = [p for p in [*reversed(earlier), *(
                       p for prev in paragraph_sentences(doc, c.sentence)
                       for p in reversed(places_by_sentence.get(prev, [])))]
                   if specific(p) and p.place.resolved and not p.metonym
                   and not _measured_from(doc, p)]
        if focus is not None and specific(focus):
            context.append(focus)
        regions = in_clause or here
        listed = [p for p in regions if _listed(doc, p)]
        if listed:
            # «في شمال سوريا» is a deliberate coarse location, and «في محافظتي الأنبار
            # وكركوك» a list of them (one event each, `other_places`): no context place
            # overrides them.
            aimed = [p for p in listed if p.direction or p.relation]
            several = len({p.place.gazetteer_id for p in listed
                           if _list_kind(p) == "admin1"}) > 1
            chosen = None if aimed or several else next(
                (p for p in context if any(inside(p, r, sides) for r in listed)), None)
            if chosen is None:
                rank = {"admin2": 0, "admin1": 1, "region": 2, "country": 3}
                chosen = min(listed, key=lambda p: (rank.get(p.place.feature or "", 4),
                                                    abs(p.start - c.anchor.start)))
        elif context:
            chosen = context[0]
        elif previous is not None:
            chosen = previous  # the scene goes on: the paragraph's last event's place
        else:
            chosen = next((p for p in doc.places if p.dateline), None) or \
                (nearest(regions) if regions else focus)
    if chosen is not None:
        c.place = chosen
        c.geo_precision = chosen.geo_precision
        c.place_in_sentence = any(p is chosen for p in here)


def scenes(doc: Doc, places: Sequence[PlaceMention]) -> list[PlaceMention]:
    """The places of one sentence or report segment (`places`, in text order) that may be
    the scene of an event there (`place_event`; `rasad.extract.refine` reads a retelling's finer
    place among them too): resolved places but the dateline, the places the toponym model
    vouches for (`PlaceMention.judged`), a place that only says where the one before it lies
    («ضاحية السيدة زينب قرب دمشق»), a city a distance is measured from, a capital or country
    named as a government (`PlaceMention.metonym`) or as an agent, the other side of a
    border, and a country named without a locative."""
    return [p for k, p in enumerate(places) if p.place.resolved and not p.dateline
            and not p.judged
            and not (k and places[k - 1].place.resolved
                     and _qualifies(doc, places[k - 1], p))
            and not _measured_from(doc, p) and not p.metonym
            and not named_as_agent(doc, p, places) and not across_border(doc, p, places)
            and not (p.place.feature == "country"
                     and not _listed(doc, p, after_comma=False))]


def _segment_places(c: Candidate, places_by_sentence: dict[int, list[PlaceMention]]
                    ) -> tuple[list[PlaceMention], list[PlaceMention]]:
    """The places of the candidate's sentence, or of its report segment and then those of
    the sentence's earlier segments (its context, as earlier sentences are)."""
    in_sentence = places_by_sentence.get(c.sentence, [])
    seg = c.segment
    if seg is None:
        return in_sentence, []
    return ([p for p in in_sentence if seg.start <= p.start < seg.end],
            [p for p in in_sentence if p.start < seg.start])


def other_places(doc: Doc, c: Candidate,
                 places_by_sentence: dict[int, list[PlaceMention]]) -> list[PlaceMention]:
    """Further places the event's sentence lists for it («في العند، وفي الحوطة، وتعز»).

    Specific places (or governorates, when the event is placed at one) after the trigger,
    each introduced by a locative preposition or joined to the list by «و» or a comma, more
    than `SAME_PLACE_KM` from the chosen place and from each other (neighbourhoods of one
    town stay one event); a place that only qualifies the one before it («نوى بريف درعا») is
    no further place.
    """
    if c.place is None:
        return []
    kind = _list_kind(c.place)
    if kind is None:
        return []
    others: list[PlaceMention] = [c.place]
    in_sentence = _segment_places(c, places_by_sentence)[0]
    previous = c.place if c.place.start >= c.anchor.start else None
    for k, p in enumerate(in_sentence):
        if p.start < c.anchor.start or p is c.place:
            continue
        if previous is not None and p.start > previous.start:
            # After the event's own place, the list goes on only while nothing but list
            # words separates its places («… حول تعز، التي يتوقع …، بعد تحرير عدن» stops).
            if not _glued(doc, previous, p):
                break
            previous = p
        if _list_kind(p) != kind or not p.place.resolved:
            continue
        if not _listed(doc, p) or (k and _qualifies(doc, in_sentence[k - 1], p)):
            continue
        if all(not near(p, q) for q in others):
            others.append(p)
    return others[1:]


def _list_kind(p: PlaceMention) -> str | None:
    """What a list of places an event is split over may hold: specific places («في العند
    والحوطة»), or governorates («في محافظات الأنبار وصلاح الدين وكركوك»: ACLED codes one
    event per governorate, at precision 3); not countries."""
    if specific(p):
        return "specific"
    return "admin1" if p.place.feature == "admin1" else None


def _glued(doc: Doc, before: PlaceMention, p: PlaceMention) -> bool:
    """Whether only list words (`_LIST_GLUE`) and punctuation lie between two places."""
    tokens = doc.tokens
    for i in range(doc.token_index(before.end - 1), len(tokens)):
        token = tokens[i]
        if token.end > p.start:  # the place's own word («والمقدادية»)
            return True
        if token.end <= before.end:
            continue
        if token.text not in _LIST_GLUE and any(ch.isalnum() for ch in token.text):
            return False
    return True


def _qualifies(doc: Doc, before: PlaceMention, p: PlaceMention) -> bool:
    """Whether `p` only says where the place just before it lies («بلدة نوى بريف درعا»,
    «قرية X في محافظة Y», «ضاحية السيدة زينب قرب دمشق»): nothing but «في» between them, or
    a comma before a direction or relation, and no «و» starting `p`."""
    if before.end > p.start or doc.text[p.start:p.start + 1] == "و":
        return False
    if specific(p) and not specific(before):
        return False  # «عاصمة اليمن عدن»: a town names no more than its country
    gap = doc.text[before.end:p.start].strip()
    return gap in ("", "في") or (gap in ("،", ",") and bool(p.relation or p.direction))


def near(a: PlaceMention, b: PlaceMention) -> bool:
    """Whether two places are one scene: the same gazetteer place, or within
    `SAME_PLACE_KM` (the same words, when either has no coordinates)."""
    pa, pb = a.place, b.place
    if pa.gazetteer_id and pa.gazetteer_id == pb.gazetteer_id:
        return True
    km = distance_km(pa, pb)
    return pa.text == pb.text if km is None else km <= SAME_PLACE_KM


def _measured_from(doc: Doc, p: PlaceMention) -> bool:
    """«على بعد 57 كم شمال شرقي بغداد»: a reference city, not the scene."""
    first = doc.token_index(p.start)
    return 0 < first < len(doc.tokens) and doc.tokens[first - 1].text in _DISTANCE_UNITS


def _listed(doc: Doc, p: PlaceMention, after_comma: bool = True) -> bool:
    """Whether a place is introduced as a location: «في/ب/على/قرب X» or «… و X» (or after
    a comma, as the next place of a list, unless `after_comma` is false)."""
    first = doc.token_index(p.start)
    if first >= len(doc.tokens):
        return False
    token = doc.tokens[first]
    if _measured_from(doc, p):
        return False
    if token.text in _LOCATIVES or p.direction or p.relation:
        return True  # the phrase holds its own «حول مدينة تعز», «شمال شرقي بعقوبة»
    # The clitics written on the name's word («والمقدادية», «بحمص») introduce it too.
    clitics = doc.text[token.start:p.start] if token.start < p.start else token.text[:1]
    if ("ب" in clitics or "و" in clitics) and len(token.text) > 3:
        return True
    if first == 0:
        return False
    before = doc.tokens[first - 1]
    gap = doc.text[before.end:p.start]
    if before.text == "من" and first >= 2 and doc.tokens[first - 2].text in _FROM_ON:
        return True  # «المظاهرات في المحافظات الجنوبية بدءا من البصرة حتى ذي قار»
    return ("," in gap and after_comma) or before.text in _LOCATIVES
