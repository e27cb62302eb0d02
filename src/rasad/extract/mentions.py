"""Actor mentions of a document: registry aliases, generic actors, anaphors, in text order.

`actor_spans(matches)` keeps, among overlapping actor matches, the longest («قوات الأمن التركية»
over «قوات الأمن»).  `actor_mentions(...)` turns them into `ActorMention`s: ambiguous aliases are
resolved for the document's country («التحالف» → Saudi-led in Yemen, international in Syria) and
year (an actor active then before one that had stopped), an anaphor («التنظيم», «الحركة») takes
the most recent compatible named actor before it or is dropped, and a demonym right after a
generic actor gives it a country («مدنيين سوريين»).
"""

from __future__ import annotations

from collections.abc import Sequence

from rasad.doc import ActorMention
from rasad.extract.actors import (
    ActorEntry,
    AmbiguousAlias,
    AnaphorEntry,
    Antecedents,
    GenericActor,
    choose_actor,
)
from rasad.text.lexicon import LexMatch, longest_matches

ACTOR_KINDS = frozenset({"actor", "actor_generic", "actor_ambiguous", "anaphor"})
_NAMED_KINDS = frozenset({"actor", "actor_ambiguous"})


def actor_spans(matches: Sequence[LexMatch]) -> list[LexMatch]:
    """The actor matches of a document, longest first among overlaps, in text order."""
    return longest_matches(m for m in matches if m.kind in ACTOR_KINDS)


def _mention(match: LexMatch, entry: ActorEntry | GenericActor, anaphor: bool = False
             ) -> ActorMention:
    if isinstance(entry, GenericActor):
        name, country, template = None, None, entry.name
    else:
        name, country, template = entry.name, entry.country, None
    return ActorMention(match.start, match.end, match.first_token, match.last_token, name,
                        entry.inter, country, entry.kind, template, anaphor=anaphor,
                        proclitic=match.proclitic, entry=entry, armed=entry.armed)


def actor_mentions(spans: Sequence[LexMatch], nisbas: Sequence[LexMatch],
                   country: str | None, year: int | None = None) -> list[ActorMention]:
    """`ActorMention`s for the document's actor matches.

    `country` resolves ambiguities; `year` (the document's) prefers, among the country's
    candidates, one active that year (`choose_actor`).
    """
    antecedents = Antecedents(country, year)  # the named actors before the current match
    nisba_after = {m.first_token: str(m.payload) for m in nisbas}
    mentions: list[ActorMention] = []
    for match in spans:  # in text order, none overlapping
        payload = match.payload
        if match.kind in _NAMED_KINDS:
            antecedents.add(match)
        if isinstance(payload, ActorEntry):
            mentions.append(_mention(match, payload))
        elif isinstance(payload, AmbiguousAlias):
            chosen = choose_actor(payload, country, year)
            if chosen is not None:
                mentions.append(_mention(match, chosen))
        elif isinstance(payload, AnaphorEntry):
            referent = antecedents.resolve(match)
            if referent is not None:
                mentions.append(_mention(match, referent, anaphor=True))
        elif isinstance(payload, GenericActor):
            mention = _mention(match, payload)
            mention.country = nisba_after.get(match.last_token)
            mentions.append(mention)
    return mentions
