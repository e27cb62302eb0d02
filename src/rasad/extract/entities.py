"""What the NER model adds to a document: actors, places and sources the curated data misses.

The pipeline tags only the sentences that hold an event trigger (`event_sentences`): that is
where an entity can fill an event's field, and it keeps the model's cost to a fraction of a full
pass.  From the entities found there:

- an organisation (ORG) that no registry actor, anaphor or place covers becomes an actor marked
  unregistered (`ActorMention.registered` False → ``"registered": false`` in the output), when a
  cue word of its name gives its ACLED inter code («كتائب …» rebels, «ميليشيا …» militia, «الجيش
  العراقي» state forces; `rasad.ner.inter`).  A name without a cue (a ministry's media office, a
  news agency, a company) is not made an actor: such organisations are far more often sources
  than belligerents; nor is one whose cue names no armed force (inter 8: the UN, the Red
  Crescent, a company) or whose head word is unarmed («حزب», «وزارة», «مجلس الأمن القومي»);
- a location (LOC) that the gazetteer did not find, right after a locative word («في», «قرب»,
  «قرية» …), becomes a place marked unresolved (``"resolved": false``) in the document's
  `places`; events are never located at it;
- a person (PERS) that an attribution phrase cuts short («وقال محمد عبد …» cut at six words or
  at a stop word) widens the attribution to the whole name.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from rasad.doc import ActorMention, Doc, EntityMention, PlaceMention
from rasad.geo.geocoder import place_record
from rasad.ner.inter import cue_inter, is_cue_word, word_stem
from rasad.records import Event, Span
from rasad.text.intervals import SpanIndex
from rasad.text.normalize import normalize_form

_ARMED_INTERS = frozenset({1, 2, 3, 4})
LOCATIVE_WORDS = frozenset(normalize_form(w) for w in (
    "في", "قرب", "إلى", "الى", "داخل", "نحو", "بلدة", "قرية", "مدينة", "منطقة", "حي",
    "مخيم", "محافظة", "ناحية", "قضاء", "ريف", "شمال", "جنوب", "شرق", "غرب", "وسط", "أطراف"))
"""Words after which the model's LOC entities are taken as places: on news and tweets outside
its training domain the model also tags diseases and weather («كورونا», «سيول») as LOC; a
place the gazetteer does not know is nearly always introduced by one of these."""
_UNARMED_HEADS = frozenset({"حزب", "احزاب", "وزاره", "حكومه", "مجلس", "هيئه"})
"""Head words of organisations that hold no weapons even when their inter code is armed."""


def event_sentences(doc: Doc) -> list[int]:
    """Indices of the sentences that hold an event trigger."""
    indices: set[int] = set()
    for match in doc.matches:
        if match.kind == "trigger":
            index = doc.sentence_at(match.start)
            if index >= 0:
                indices.add(index)
    return sorted(indices)


def _with_cue_word(doc: Doc, entity: EntityMention) -> EntityMention:
    """The entity with the cue word just before it that the model left out («جماعة [أنصار
    الفرقان]» → «جماعة أنصار الفرقان»), when there is one in the same sentence."""
    i = entity.first_token - 1
    if i < 0 or doc.sentence_at(doc.tokens[i].start) != doc.sentence_at(entity.start):
        return entity
    token = doc.tokens[i]
    if doc.text[token.end:entity.start].strip():
        return entity
    word, start = token.text, token.start
    if word[:1] in ("و", "ف") and is_cue_word(word[1:]):
        word, start = word[1:], start + 1  # «وجماعة» → «جماعة»
    if not is_cue_word(word):
        return entity
    return replace(entity, start=start, first_token=i)


def unregistered_actors(doc: Doc, entities: Sequence[EntityMention], country: str | None
                        ) -> list[ActorMention]:
    """Actor mentions for the ORG entities no known actor or place covers (see module doc)."""
    taken = SpanIndex([(a.start, a.end) for a in doc.actors]
                      + [(p.start, p.end) for p in doc.places])
    mentions: list[ActorMention] = []
    for entity in entities:
        if entity.label != "ORG" or taken.overlaps(entity.start, entity.end):
            continue
        entity = _with_cue_word(doc, entity)
        text = doc.text[entity.start:entity.end]
        inter = cue_inter(text)
        if inter not in _ARMED_INTERS or word_stem(text.split()[0]) in _UNARMED_HEADS:
            continue
        mentions.append(ActorMention(
            entity.start, entity.end, entity.first_token, entity.last_token,
            doc.span(entity.start, entity.end).text, inter, country, kind="unregistered",
            registered=False))
    return mentions


def unresolved_places(doc: Doc, entities: Sequence[EntityMention]) -> list[PlaceMention]:
    """Place mentions (unresolved) for the LOC entities the gazetteer did not find, when a
    locative word stands right before them (see `LOCATIVE_WORDS`)."""
    taken = SpanIndex([(p.start, p.end) for p in doc.places]
                      + [(a.start, a.end) for a in doc.actors])
    return [PlaceMention(place_record(doc, e.start, e.end, None, e.score), e.start, e.end,
                         geo_precision=3, cue="ner")
            for e in entities
            if e.label == "LOC" and not taken.overlaps(e.start, e.end)
            and e.first_token > 0 and doc.tokens[e.first_token - 1].text in LOCATIVE_WORDS]


def widen_attributions(doc: Doc, events: Sequence[Event], entities: Sequence[EntityMention]
                       ) -> None:
    """Widen each event's attribution to the whole of a person's name it cuts short."""
    people = [doc.span(e.start, e.end) for e in entities if e.label == "PERS"]
    # The model's entities come in text order (of starts and of ends): the names an attribution
    # can meet start from the first that ends after it and stop before the first that starts
    # after it, however it widens.
    ends = [person.end for person in people]
    in_order = all(a.start <= b.start for a, b in pairwise(people)) and \
        all(a <= b for a, b in pairwise(ends))
    for event in events:
        span = event.attribution
        if span is None:
            continue
        for i in range(bisect_right(ends, span.start) if in_order else 0, len(people)):
            person = people[i]
            if in_order and person.start >= span.end:
                break
            if person.start < span.end and span.start < person.end and (
                    person.start < span.start or person.end > span.end):
                start, end = min(span.start, person.start), max(span.end, person.end)
                span = Span(doc.norm.original[start:end], start, end)
        event.attribution = span
