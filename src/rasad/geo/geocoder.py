"""The geocoder the pipeline calls: every place mention of a document, resolved, and its focus.

`load_geocoder(path)` builds a `GazetteerGeocoder` once per process (the packaged gazetteer unless
`path` names another file).  `locate(doc)` returns a `PlaceMention` per toponym in text order,
its `place` a contract `Place` with original offsets; `focus(doc, mentions)` the document's main
place; `country_name(code)` the English (ACLED) name of a country; `country_of_text(text)` the
country a phrase points to («الجيش السوري» → SY).  `Geocoder` is the interface, and
`FakeGeocoder` an in-memory stand-in for tests of code that uses one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from rasad.doc import Doc, PlaceMention
from rasad.geo.gazetteer import Gazetteer, GazetteerPlace, admin1_labels, load_gazetteer
from rasad.geo.numbered import NumberedPlaces
from rasad.geo.recognize import Recognition, ToponymCues, ToponymFinder, load_cues
from rasad.geo.resolve import Resolution, Resolver
from rasad.geo.toponymmodel import (
    KeepJudge,
    RescueGate,
    ToponymModel,
    load_toponym_model,
    rescue_common,
)
from rasad.records import Place, RawDocument
from rasad.text.normalize import normalize
from rasad.text.segment import tokenize

_FOCUS_PRECISION_WEIGHT = {1: 1.0, 2: 0.8, 3: 0.4}


class Geocoder(Protocol):
    """What the pipeline needs from a geocoder."""

    def locate(self, doc: Doc) -> list[PlaceMention]: ...

    def focus(self, doc: Doc, mentions: Sequence[PlaceMention]) -> PlaceMention | None: ...

    def country_name(self, code: str) -> str: ...

    def country_of_text(self, text: str) -> str | None: ...


def place_record(doc: Doc, start: int, end: int, place: GazetteerPlace | None,
                 score: float, feature: str | None = None,
                 within: GazetteerPlace | None = None) -> Place:
    """The contract `Place` of a normalised name span resolved to `place`.

    With `place` None the record is unresolved (``resolved: false``): `feature` is the kind its
    feature word names, and `within` the known place whose location stands in for it (country,
    governorate and coordinates come from it; the geo_precision of the mention says how coarse).
    """
    span = doc.span(start, end)
    if place is None:
        if within is None:
            return Place(span.text, span.start, span.end, feature=feature, score=score,
                         resolved=False)
        inner = within.feature != "country"
        return Place(span.text, span.start, span.end, feature=feature, country=within.country,
                     admin1=within.admin1 if inner else None,
                     admin2=within.admin2 if inner else None,
                     latitude=within.latitude, longitude=within.longitude,
                     score=score, resolved=False)
    admin1 = place.admin1 if place.feature != "country" else None
    return Place(span.text, span.start, span.end, name=place.name, name_ar=place.name_ar,
                 feature=place.feature, country=place.country, admin1=admin1,
                 admin2=place.admin2, admin3=place.admin3, latitude=place.latitude,
                 longitude=place.longitude, gazetteer_id=place.gid, score=score,
                 pcode=place.pcode)


def mention_of(doc: Doc, r: Resolution) -> PlaceMention:
    t = r.toponym
    place = r.place
    label = admin1_labels().get(place.gid) if place is not None \
        and place.feature == "admin1" else None
    return PlaceMention(
        place=place_record(doc, t.start, t.end, r.place, r.score, t.feature, r.within),
        start=t.phrase_start,
        end=t.phrase_end, geo_precision=r.geo_precision, relation=t.relation or t.direction,
        dateline=r.dateline, cue=r.cue, direction=t.direction, feature_word=t.feature_word,
        in_hashtag=t.compound_hashtag, label=label, judged=t.judged)


def choose_focus(doc: Doc, mentions: Sequence[PlaceMention]) -> PlaceMention | None:
    """The most prominent resolved place: often named, early, precise; the dateline helps."""
    weights: dict[str, float] = defaultdict(float)
    first: dict[str, PlaceMention] = {}
    lead_end = doc.sentences[1].start if len(doc.sentences) > 1 else len(doc.text)
    for m in mentions:
        gid = m.place.gazetteer_id
        if gid is None:
            continue
        w = 1.0 + (1.0 if m.start < lead_end else 0.0) + (0.5 if m.dateline else 0.0)
        weights[gid] += w * _FOCUS_PRECISION_WEIGHT.get(m.geo_precision, 0.5)
        first.setdefault(gid, m)
    if not weights:
        return None
    best = max(weights, key=lambda g: (weights[g], -first[g].start))
    return first[best]


class GazetteerGeocoder:
    """Recognises and resolves toponyms against a `Gazetteer`."""

    def __init__(self, gazetteer: Gazetteer, cues: ToponymCues | None = None,
                 toponym_model: ToponymModel | None = None, rescue: bool = False) -> None:
        self.gazetteer = gazetteer
        self.toponym_model = toponym_model  # judges the names the rules leave out or drop
        # Also look for the common words the rules leave out (the model's `rescue` decision),
        # at the tokens its gate lists only.
        self.rescue = rescue
        cues = cues or load_cues()
        if gazetteer.common_names:
            cues = replace(cues, common_words=cues.common_words | gazetteer.common_names)
        self.cues = cues
        self.finder = ToponymFinder(gazetteer, self.cues)
        self.numbered = NumberedPlaces(self.cues.numbered_heads)
        judge = KeepJudge(toponym_model) if toponym_model is not None else None
        # Where the rescue may keep a name: the tokens it reads (not every token twice).
        self._gate = RescueGate(self.finder, toponym_model) \
            if toponym_model is not None and rescue else None
        self.resolver = Resolver(gazetteer, self.cues, judge)

    def recognize(self, doc: Doc) -> Recognition:
        recognition = self.finder.find(doc.tokens, doc.text)
        recognition = self.numbered.add(self.finder, doc.tokens, doc.text, recognition)
        if self.toponym_model is not None and self.rescue:
            recognition = rescue_common(self.finder, doc.tokens, doc.text, recognition,
                                        self.toponym_model, self._gate)
        return recognition

    def resolve(self, doc: Doc) -> list[Resolution]:
        """Every toponym of `doc` with its candidates, scores and deciding cue."""
        return self.resolver.resolve(self.recognize(doc), doc.text)

    def locate(self, doc: Doc) -> list[PlaceMention]:
        return [mention_of(doc, r) for r in self.resolve(doc)]

    def focus(self, doc: Doc, mentions: Sequence[PlaceMention]) -> PlaceMention | None:
        return choose_focus(doc, mentions)

    def country_name(self, code: str) -> str:
        place = self.gazetteer.countries.get(code.upper())
        return place.name if place else code

    def country_of_text(self, text: str) -> str | None:
        """The country a phrase names or qualifies: a country name, a demonym, a place in one."""
        norm = normalize(text).text
        recognition = self.finder.find(tokenize(norm), norm)
        positions: list[tuple[int, str]] = list(recognition.demonyms)
        for r in self.resolver.resolve(recognition, norm):
            if r.place is not None and r.place.country:
                positions.append((r.toponym.start, r.place.country))
        return min(positions)[1] if positions else None


class FakeGeocoder:
    """An in-memory geocoder for tests: finds the given names literally, no resolution logic."""

    def __init__(self, places: dict[str, Place], countries: dict[str, str] | None = None) -> None:
        self.places = places
        self.countries = countries or {}

    def locate(self, doc: Doc) -> list[PlaceMention]:
        found = []
        for name, template in self.places.items():
            key = normalize(name).text
            start = doc.text.find(key)
            while start >= 0:
                span = doc.span(start, start + len(key))
                place = replace(template, text=span.text, start=span.start, end=span.end)
                found.append(PlaceMention(place, start, start + len(key)))
                start = doc.text.find(key, start + len(key))
        return sorted(found, key=lambda m: m.start)

    def focus(self, doc: Doc, mentions: Sequence[PlaceMention]) -> PlaceMention | None:
        return choose_focus(doc, mentions)

    def country_name(self, code: str) -> str:
        return self.countries.get(code, code)

    def country_of_text(self, text: str) -> str | None:
        for name, place in self.places.items():
            if name in text:
                return place.country
        return None


@dataclass(frozen=True, slots=True)
class _Key:
    path: Path | None
    toponym_model: bool
    rescue: bool


@lru_cache(maxsize=4)
def _load(key: _Key) -> GazetteerGeocoder:
    model = load_toponym_model() if key.toponym_model else None
    return GazetteerGeocoder(load_gazetteer(key.path), toponym_model=model, rescue=key.rescue)


def load_geocoder(path: Path | None = None, toponym_model: bool = True,
                  rescue: bool = True) -> GazetteerGeocoder:
    """The geocoder over the packaged gazetteer (or the file at `path`), built once per process;
    `toponym_model`: judge the villages and small towns the rules drop with the packaged model
    (`rasad.geo.toponymmodel`, setting `toponym_model`); `rescue`: also let it judge the common
    words the rules leave out, at the tokens where it could keep one (setting
    `toponym_rescue`)."""
    return _load(_Key(Path(path) if path is not None else None, toponym_model, rescue))


def geocode_text(text: str, geocoder: GazetteerGeocoder | None = None,
                 doc_id: str = "text") -> tuple[Doc, list[Resolution]]:
    """Resolve the toponyms of a bare text (for `rasad geocode`)."""
    geocoder = geocoder or load_geocoder()
    doc = Doc.from_raw(RawDocument(doc_id, text))
    return doc, geocoder.resolve(doc)


def mentions_of(doc: Doc, resolutions: Iterable[Resolution]) -> list[PlaceMention]:
    return [mention_of(doc, r) for r in resolutions]
