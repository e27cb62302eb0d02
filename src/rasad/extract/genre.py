"""Genre of a document (news, opinion, analysis, statement or other, contract §3) and a confidence.

`classify_genre(text, tokens, sentences, cues, title)` reads the genre cues of `data/cues.yaml`
found in the document:

- an opinion disclaimer or column signature («الآراء الواردة في مقالات الرأي تعبر عن وجهة نظر
  الكاتب», «مقالات أخرى للكاتب», «للتواصل مع الكاتب») is decisive: `opinion`, confidence 1;
- otherwise a small multinomial logistic regression (`data/genre_model.json`, trained by
  `scripts/train_genre.py` on the gold dev articles and on silver labels read from SaudiNewsNet's
  URLs and bylines) weighs abstract features of the text: the density of each cue category (the
  writer's first person, «we», exhortation, rhetorical questions, pious formulas, judgements,
  reporting verbs, agencies, the day of the report, communiqué formulas, analytical words, almanac,
  review and obituary words), where they fall (the lead), the share of sentences that report,
  question and exclamation marks, quotation marks, numbers, year-led lines, sentence length, and
  the punctuation of the title.  Its most probable genre is the answer and its probability the
  confidence.

`genre_features` computes the feature vector (the training script uses it too, so training and
inference cannot drift); `load_genre_model` reads the weights once.  Inference is plain Python.
Returns a `GenreDecision`: genre, confidence (0–1) and what decided it.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from rasad.text.lexicon import LexMatch
from rasad.text.segment import Sentence, Token

CUE_CATEGORIES = ("first_person", "first_plural", "exhortation", "rhetorical", "religious",
                  "evaluative", "news", "agency", "today", "statement", "analysis", "other")
"""Genre cue categories of `data/cues.yaml` that are features (`opinion_decisive` is a rule)."""

VOICE = frozenset({"first_person", "first_plural", "exhortation", "rhetorical", "evaluative"})
REPORTING = frozenset({"news", "agency"})
LEAD_TOKENS = 40
"""The lead: a news report names its source and day in its first words."""

FEATURES = (
    *(f"density_{c}" for c in CUE_CATEGORIES),
    *(f"lead_{c}" for c in ("voice", "news", "agency", "today", "statement")),
    "reporting_sentences", "voice_sentences", "questions", "exclamations", "quotes", "numbers",
    "year_lines", "log_tokens", "log_sentence_tokens", "title_exclamation", "title_question",
    "title_colon", "contact_signature",
)

_YEAR_LINE = re.compile(r"^\s*[-*•]?\s*[12]\d{3}\s*[-:،,)]", re.M)
_CONTACT = re.compile(r"@|تويتر|twitter|بريد", re.I)


@dataclass(frozen=True, slots=True)
class GenreDecision:
    """The genre of a document, how sure the classifier is (0–1) and what decided it."""

    genre: str
    confidence: float
    cue: str


@dataclass(frozen=True, slots=True)
class GenreModel:
    """Multinomial logistic regression over standardised `FEATURES`."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GenreModel:
        return cls(tuple(data["classes"]), tuple(data["features"]),
                   tuple(data["mean"]), tuple(data["scale"]),
                   tuple(tuple(row) for row in data["coef"]), tuple(data["intercept"]))

    def probabilities(self, x: Sequence[float]) -> dict[str, float]:
        """P(genre | features) for every class."""
        z = [(v - m) / s for v, m, s in zip(x, self.mean, self.scale, strict=True)]
        logits = [b + sum(w * v for w, v in zip(row, z, strict=True))
                  for row, b in zip(self.coef, self.intercept, strict=True)]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}


@lru_cache(maxsize=1)
def load_genre_model() -> GenreModel:
    """The packaged genre model (read once per process; a JSON of weights)."""
    text = resources.files("rasad.data").joinpath("genre_model.json").read_text(encoding="utf-8")
    model = GenreModel.from_dict(json.loads(text))
    if model.features != FEATURES:
        raise ValueError("genre_model.json was trained on other features: "
                         "run scripts/train_genre.py")
    return model


def genre_features(text: str, tokens: Sequence[Token], sentences: Sequence[Sentence],
                   cues: Sequence[LexMatch], title: str | None) -> list[float]:
    """The feature vector (in `FEATURES` order) of a normalised document text and its cues."""
    n = max(len(tokens), 1)
    per100 = 100.0 / max(n, 50)
    seen: set[tuple[int, int, str]] = set()
    counts = dict.fromkeys(CUE_CATEGORIES, 0)
    lead = dict.fromkeys(("voice", "news", "agency", "today", "statement"), 0.0)
    voice_sentences: set[int] = set()
    reporting_sentences: set[int] = set()
    sentence_of = _sentence_index(sentences)
    for cue in cues:
        category = str(cue.payload)
        key = (cue.start, cue.end, category)
        if category not in counts or key in seen:
            continue
        seen.add(key)
        counts[category] += 1
        kind = "voice" if category in VOICE else category
        if cue.first_token < LEAD_TOKENS and kind in lead:
            lead[kind] = 1.0
        sentence = sentence_of(cue.first_token)
        if category in VOICE:
            voice_sentences.add(sentence)
        elif category in REPORTING:
            reporting_sentences.add(sentence)
    n_sentences = max(len(sentences), 1)
    lines = max(text.count("\n") + 1, 1)
    title = title or ""
    return [
        *(math.log1p(counts[c] * per100) for c in CUE_CATEGORIES),
        *lead.values(),
        len(reporting_sentences) / n_sentences,
        len(voice_sentences) / n_sentences,
        min(text.count("?") / n_sentences, 2.0),
        min(text.count("!") / n_sentences, 2.0),
        math.log1p(text.count('"') * per100),
        math.log1p(sum(1 for t in tokens if t.text[:1].isdigit()) * per100),
        min(len(_YEAR_LINE.findall(text)) / lines, 1.0),
        math.log(n),
        math.log(n / n_sentences),
        float("!" in title),
        float("?" in title or "؟" in title),
        float(":" in title),
        float(bool(_CONTACT.search(text[-300:]))),
    ]


def _sentence_index(sentences: Sequence[Sentence]) -> Callable[[int], int]:
    """token index → index of the sentence holding it (the sentence before, between sentences)."""
    starts = [s.first_token for s in sentences]
    return lambda token: max(bisect_right(starts, token) - 1, 0)


def classify_genre(text: str, tokens: Sequence[Token], sentences: Sequence[Sentence],
                   cues: Sequence[LexMatch], title: str | None = None,
                   model: GenreModel | None = None) -> GenreDecision:
    """The genre of a normalised document text from its genre cues (rule first, then model)."""
    decisive = next((c for c in cues if c.payload == "opinion_decisive"), None)
    if decisive is not None:
        return GenreDecision("opinion", 1.0, f"«{text[decisive.start:decisive.end]}»")
    model = model or load_genre_model()
    probabilities = model.probabilities(genre_features(text, tokens, sentences, cues, title))
    genre = max(probabilities, key=probabilities.__getitem__)
    return GenreDecision(genre, round(probabilities[genre], 3), "genre model")
