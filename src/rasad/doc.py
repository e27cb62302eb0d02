"""The working document that flows through the pipeline stages, and the mentions they add.

`Doc` holds the input, its normalised text (with the offset map), tokens and sentences, and what
each stage finds: lexicon matches, NER entities, places, dates, numbers, events, warnings.  All
mention offsets here are **normalised** offsets (into `doc.norm.text`); `Doc.span` turns them into
a `Span` of the original text, which is what records carry.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Any

from rasad.records import Event, Place, RawDocument, Span
from rasad.text.lexicon import LexMatch
from rasad.text.normalize import NormalizedText, normalize
from rasad.text.segment import Sentence, Token, segment, tokenize

_TAA_MARBUTA = re.compile("ة")


@dataclass(slots=True)
class PlaceMention:
    """A toponym found in the text and its resolution.

    `start`/`end` cover the whole locative phrase in normalised offsets («ريف حلب الشمالي»);
    `place` carries the contract record with original offsets.  `geo_precision` is what an event
    located here gets (1 the place itself, 2 near it or part of it, 3 a region or country).
    `direction` is a compass direction read with the name («ريف حلب الشمالي» → north),
    `feature_word` the word that named its kind («محافظة», «سجن»), `in_hashtag` true inside a
    hashtag of several words («#انفجار_بيروت»).  `label` is, for a governorate or province, the
    label point of its area (Who's On First): the mention's record (`record()`, the document's
    `places`) sits there, while `place` keeps the seat, where ACLED codes an event known only to
    the province.  `judged` marks a mention that the toponym model (`rasad.geo.toponymmodel`), not
    the rules, made a place: it is listed among the document's places but locates no event.
    `metonym` marks a capital or country named as a government («قالت واشنطن»,
    `rasad.geo.metonymy`): listed too, but it locates no event and makes no focus.
    """

    place: Place
    start: int
    end: int
    geo_precision: int = 1
    relation: str | None = None
    dateline: bool = False
    cue: str = ""
    direction: str | None = None
    feature_word: str | None = None
    in_hashtag: bool = False
    label: tuple[float, float] | None = None
    judged: bool = False
    metonym: bool = False

    def record(self) -> Place:
        """The contract record of the mention: `place`, at its `label` point when it has one."""
        if self.label is None:
            return self.place
        return replace(self.place, latitude=self.label[0], longitude=self.label[1])


@dataclass(slots=True)
class ActorMention:
    """An actor named in the text (registry alias, generic group, anaphor or NER organisation).

    `name` is the canonical registry name, or None for a generic actor whose country comes from
    the event («مدنيين» → "Civilians ({country})" in `template`).  `anaphor` marks a resolved
    «التنظيم»/«الحركة»; `registered` is False for organisations only the NER model found.
    """

    start: int
    end: int
    first_token: int
    last_token: int
    name: str | None
    inter: int
    country: str | None = None
    kind: str = ""
    template: str | None = None
    registered: bool = True
    anaphor: bool = False
    proclitic: str = ""
    entry: Any = None
    armed: bool = True

    @property
    def generic(self) -> bool:
        return self.name is None


@dataclass(slots=True)
class EntityMention:
    """A named entity from the NER model: PERS, LOC, ORG or MISC, in normalised offsets."""

    label: str
    start: int
    end: int
    first_token: int
    last_token: int
    score: float = 1.0


@dataclass(slots=True)
class DateMention:
    """A date expression resolved to a day (or a week's middle / a month's middle).

    `date` is None when the expression cannot be resolved (a relative word and no `published`).
    `kind` says how it was read: "absolute", "hijri", "weekday", "relative", "month", "range",
    "year" (background, never an event date) or "future" (resolves after `published`).
    `end_date` is the last day of a "range" or "year" mention.  See `rasad.extract.dates`.
    """

    start: int
    end: int
    date: dt.date | None
    time_precision: int
    kind: str = "absolute"
    end_date: dt.date | None = None


@dataclass(slots=True)
class NumberMention:
    """A number in digits or words; `value` is the conservative reading («أكثر من 12» → 12).

    `qualifier` names the bound the text puts on it ("about", "more_than", "at_least",
    "less_than", "at_most", "range" or ""); `upper` is the higher figure of a range or an upper
    bound.  See `rasad.extract.numbers`.
    """

    start: int
    end: int
    value: int
    approximate: bool = False
    vague: bool = False
    qualifier: str = ""
    upper: int | None = None


@dataclass(slots=True)
class Doc:
    """A document on its way through the pipeline."""

    raw: RawDocument
    norm: NormalizedText
    tokens: list[Token]
    sentences: list[Sentence]
    published: dt.date | None = None
    genre: str = "news"
    genre_confidence: float = 1.0
    # The genre was decided by a crisp rule (an opinion disclaimer or signature, an almanac),
    # not guessed by the genre model.
    genre_by_rule: bool = False
    matches: list[LexMatch] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    # Places the toponym model vouches for, kept aside while events are located.
    judged_places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    numbers: list[NumberMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    taa_marbuta: frozenset[int] = frozenset()
    # The ends of the tokens and the starts of the sentences, listed on first use (bisecting a
    # list of ints is several times faster than bisecting the tokens with a key function).
    _token_ends: list[int] | None = field(default=None, init=False, repr=False, compare=False)
    _sentence_starts: list[int] | None = field(default=None, init=False, repr=False,
                                               compare=False)

    @classmethod
    def from_raw(cls, raw: RawDocument) -> Doc:
        norm = normalize(raw.text)
        tokens = tokenize(norm.text)
        taa = frozenset(norm.normalized_index(m.start()) for m in _TAA_MARBUTA.finditer(raw.text))
        return cls(raw, norm, tokens, segment(norm.text, tokens), taa_marbuta=taa)

    @property
    def text(self) -> str:
        """The normalised text that all mention offsets point into."""
        return self.norm.text

    def span(self, start: int, end: int) -> Span:
        """The original-text `Span` of a normalised span."""
        text, ostart, oend = self.norm.span(start, end)
        return Span(text, ostart, oend)

    def token_index(self, pos: int) -> int:
        """Index of the first token that ends after normalised position `pos`: the token holding
        `pos`, else the next one (len(tokens) when none)."""
        ends = self._token_ends
        if ends is None or len(ends) != len(self.tokens):
            ends = self._token_ends = [token.end for token in self.tokens]
        return bisect_right(ends, pos)

    def sentence_at(self, pos: int) -> int:
        """Index of the sentence holding normalised position `pos` (-1 if none)."""
        starts = self._sentence_starts
        if starts is None or len(starts) != len(self.sentences):
            starts = self._sentence_starts = [s.start for s in self.sentences]
        index = bisect_right(starts, pos) - 1
        return index if index >= 0 and pos < self.sentences[index].end else -1
