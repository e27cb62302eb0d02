"""The whole per-document path: `process_document(raw, settings) -> dict`.

The CLI, the batch runner, the evaluator and any other caller use exactly this function (or a
`Pipeline` built once and reused).  A `Pipeline` loads its resources (lexicons, gazetteer, NER
model) once, lazily, and runs the stages in order, each a function `Doc -> None` that adds to the
document:

    prepare (normalise, tokenise, segment, published date)
    → lexicon matches (triggers, cues, actors: one pass)
    → places (gazetteer) minus those inside actor names, capitals and countries named as
      governments marked (`rasad.geo.metonymy`), the document's focus
    → actor mentions (ambiguity, anaphora)
    → genre → NER on the event sentences (unregistered actors) → dates → numbers
    → events (roles, location, date, fatalities, modality, attribution)
    → the event model's judgement → (with `merge_model`) the pair model's merges
    → the toponym model's places and NER places (unresolved) join the places, attributions
      widened to a person's name → output record

A document that makes a stage fail yields an error record (E201) instead of stopping a batch.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from rasad.doc import Doc, PlaceMention
from rasad.errors import ProcessingError
from rasad.extract.actors import load_registry
from rasad.extract.dates import find_dates
from rasad.extract.entities import (
    event_sentences,
    unregistered_actors,
    unresolved_places,
    widen_attributions,
)
from rasad.extract.eventmodel import load_event_model
from rasad.extract.events import EventExtractor
from rasad.extract.fatalities import event_fatalities, find_fatalities
from rasad.extract.genre import MODEL_CUE, classify_genre
from rasad.extract.lexicons import build_lexicon
from rasad.extract.mentions import actor_mentions, actor_spans
from rasad.extract.mergemodel import load_merge_model, merge_duplicates
from rasad.extract.numbers import find_numbers
from rasad.geo import Geocoder, load_geocoder
from rasad.geo.metonymy import focus_candidates, mark_metonyms
from rasad.ner import CrfTagger, load_tagger, tag_doc
from rasad.records import RawDocument, error_record
from rasad.settings import Settings
from rasad.text.intervals import SpanIndex
from rasad.text.lexicon import Lexicon, LexMatch

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_WARM_UP = "قتل ثلاثة أشخاص في انفجار عبوة ناسفة في بغداد أمس، بحسب مصدر في الشرطة."


def parse_published(value: str | None) -> dt.date | None:
    """The day of an ISO date or datetime string; None when absent, not ISO, or in the calendar's
    first or last year (0001-01-01 and 9999-12-31 are placeholders, and no relative date such as
    «أمس» or «الشهر المقبل» can be computed next to them)."""
    if not value:
        return None
    m = _ISO_DATE.match(value)
    if not m:
        return None
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return day if dt.MINYEAR < day.year < dt.MAXYEAR else None


class Pipeline:
    """Resources loaded once, and the stages run over each document."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._geocoder: Geocoder | None = None
        self._lexicon: Lexicon | None = None
        self._extractor: EventExtractor | None = None

    @property
    def tagger(self) -> CrfTagger | None:
        """The packaged NER model (`load_tagger` loads it once per process); None when `use_ner`
        is off or the model file is not installed (the pipeline then runs on its curated data
        alone)."""
        return load_tagger() if self.settings.use_ner else None

    @property
    def geocoder(self) -> Geocoder:
        """The geocoder over the packaged gazetteer, loaded on first use."""
        if self._geocoder is None:
            self._geocoder = load_geocoder(toponym_model=self.settings.toponym_model,
                                           rescue=self.settings.toponym_rescue)
        return self._geocoder

    @property
    def lexicon(self) -> Lexicon:
        """Triggers, cues and the actor registry in one clitic-aware lexicon, built once."""
        if self._lexicon is None:
            lexicon = build_lexicon()
            load_registry().add_to_lexicon(lexicon)
            self._lexicon = lexicon
        return self._lexicon

    @property
    def extractor(self) -> EventExtractor:
        """The event extractor with the registry's generic actors and this pipeline's settings,
        built once."""
        if self._extractor is None:
            registry = load_registry()
            self._extractor = EventExtractor(
                find_fatalities=find_fatalities, combine_fatalities=event_fatalities,
                background_days=self.settings.background_days,
                keep_unreal=self.settings.keep_unreal,
                rioters=registry.generic("rioters"),
                protesters=registry.generic("protesters"),
                unidentified=registry.generic("unidentified_armed_group"),
                military_of=registry.military_of,
                merge_retold=self.settings.merge_retold,
                refine_places=self.settings.refine_places,
                drop_summaries=self.settings.drop_summaries)
        return self._extractor

    def load(self) -> Pipeline:
        """Load every resource now rather than on the first document: the lexicon, gazetteer,
        registry and model, and the word tables the finders build on first use (by processing
        one short sentence).  A process that forks workers calls it first, so that they start
        with all of it loaded."""
        self.process(RawDocument("warm-up", _WARM_UP))
        return self

    def prepare(self, raw: RawDocument) -> Doc:
        doc = Doc.from_raw(raw)
        doc.warnings.extend(raw.warnings)
        doc.published = parse_published(raw.published)
        if raw.published and doc.published is None:
            doc.warnings.append(f"'published' is not a usable ISO date ({raw.published!r}); "
                                "ignored")
        return doc

    def locate(self, doc: Doc, actors: list[LexMatch]) -> PlaceMention | None:
        """Places of the document (none inside an actor's name) and the document's focus."""
        taken = SpanIndex((a.start, a.end) for a in actors)

        def inside_actor(p: PlaceMention) -> bool:
            return taken.covers(doc.norm.normalized_index(p.place.start))

        located = [p for p in self.geocoder.locate(doc) if not inside_actor(p)]
        # The places the toponym model vouches for are listed, but locate no event: they join
        # the document's places after extraction.
        doc.places = [p for p in located if not p.judged]
        doc.judged_places = [p for p in located if p.judged]
        # A capital or country named as a government («قالت واشنطن») locates no event.
        mark_metonyms(doc, doc.places)
        return self.geocoder.focus(doc, focus_candidates(doc.places))

    def run(self, raw: RawDocument) -> Doc:
        """All stages over one document."""
        doc = self.prepare(raw)
        doc.matches = self.lexicon.match(doc.tokens, doc.text, taa_marbuta=doc.taa_marbuta)
        spans = actor_spans(doc.matches)
        focus = self.locate(doc, spans)
        country = focus.place.country if focus is not None else None
        doc.actors = actor_mentions(spans, [m for m in doc.matches if m.kind == "nisba"],
                                    country, doc.published.year if doc.published else None)
        genre = classify_genre(doc.text, doc.tokens, doc.sentences,
                               [m for m in doc.matches if m.kind == "genre"], doc.raw.title)
        doc.genre, doc.genre_confidence = genre.genre, genre.confidence
        doc.genre_by_rule = genre.cue != MODEL_CUE
        tagger = self.tagger
        if tagger is not None:
            doc.entities = tag_doc(doc, tagger, event_sentences(doc))
            extra = unregistered_actors(doc, doc.entities, country)
            if extra:
                doc.actors = sorted([*doc.actors, *extra], key=lambda a: a.start)
        doc.dates = find_dates(doc)
        doc.numbers = find_numbers(doc)
        events = self.extractor.extract(doc, focus)
        # The model judges the events of every document but an opinion piece that says so (a
        # disclaimer or a column signature): it never saw the events a column retells (contract
        # §5 leaves them unscored), so the rules judge there.  A text the genre model only
        # guesses to be opinion may be a report: the model judges it, its genre a feature.
        model = load_event_model() if self.settings.event_model else None
        if model is not None and not (doc.genre == "opinion" and doc.genre_by_rule):
            for e in events:
                e.confidence = round(model.probability(e.features), 3)
            events = [e for e in events if e.confidence >= model.threshold]
        merger = load_merge_model() if self.settings.merge_model else None
        if merger is not None and len(events) > 1:
            events = merge_duplicates(doc, events, merger, self.extractor.rebuild)
        doc.events = [e for e in events if e.confidence >= self.settings.min_confidence]
        if doc.judged_places:
            doc.places = sorted([*doc.places, *doc.judged_places], key=lambda p: p.start)
        if doc.entities:
            widen_attributions(doc, doc.events, doc.entities)
            extra_places = unresolved_places(doc, doc.entities)
            if extra_places:
                doc.places = sorted([*doc.places, *extra_places], key=lambda p: p.start)
        if doc.events and doc.published is None and any(e.event_date is None
                                                        for e in doc.events):
            doc.warnings.append("no date in text or metadata: event dates cannot be resolved")
        return doc

    def record(self, doc: Doc) -> dict[str, Any]:
        """The output contract object (§3) of a processed document."""
        raw = doc.raw
        out: dict[str, Any] = {
            "doc_id": raw.id,
            "genre": doc.genre,
            "genre_confidence": doc.genre_confidence,
            "published": doc.published.isoformat() if doc.published else None,
            "places": [m.record().to_dict() for m in doc.places],
            "events": [e.to_dict(raw.id) for e in doc.events],
            "warnings": doc.warnings,
        }
        for key in ("title", "source", "url"):
            value = getattr(raw, key)
            if value is not None:
                out[key] = value
        for key, value in raw.extra.items():
            out.setdefault(key, value)
        return out

    def process(self, raw: RawDocument) -> dict[str, Any]:
        """One document in, one contract object (or error record) out; never raises for data."""
        try:
            return self.record(self.run(raw))
        except RecursionError as exc:  # pragma: no cover - pathological input
            return error_record(raw.id, ProcessingError.code, f"input too deeply nested: {exc}")
        except Exception as exc:  # a bug on one document must not stop a batch
            err = ProcessingError(f"extractor failed: {type(exc).__name__}: {exc}")
            return error_record(raw.id, err.code, err.message)


@lru_cache(maxsize=4)
def get_pipeline(settings: Settings) -> Pipeline:
    """The pipeline for `settings`, built once per process."""
    return Pipeline(settings)


def process_document(raw: RawDocument, settings: Settings | None = None) -> dict[str, Any]:
    """Extract the contract object of one document (the function every caller uses)."""
    return get_pipeline(settings or Settings()).process(raw)
