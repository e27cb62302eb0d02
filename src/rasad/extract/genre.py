"""Genre of a document (news, opinion, analysis, statement or other, contract §3) and a confidence.

`classify_genre(text, tokens, sentences, cues, title)` reads the genre cues of `data/cues.yaml`
found in the document:

- an opinion disclaimer or column signature («الآراء الواردة في مقالات الرأي تعبر عن وجهة نظر
  الكاتب», «مقالات أخرى للكاتب», «للتواصل مع الكاتب») is decisive: `opinion`, confidence 1; so
  is an e-mail address or a handle signing off the text (confidence 0.98, its precision on silver
  labels); a chronology («1945 - …» opening most sentences) is an almanac: `other`;
- otherwise a small multinomial logistic regression (`data/genre_model.json`, trained by
  `scripts/train_genre.py` on the gold dev articles and on silver labels read from SaudiNewsNet's
  URLs and bylines) weighs abstract features of the text: the density of each cue category (the
  writer's first person, «we», exhortation, rhetorical questions, pious formulas, judgements,
  reporting verbs, agencies, the day of the report, communiqué formulas, analytical words, almanac,
  review and obituary words), where they fall (the lead), the share of sentences that report,
  question and exclamation marks, quotation marks, numbers, chronology entries, a communiqué's
  closing formula, sentence length, the
  punctuation of the title, and the frequencies of the model's function words (the commonest words
  of the corpus: «في», «من», «التي» …).  Its most probable genre is the answer and its
  probability the confidence.

`genre_features` computes the feature vector (the training script uses it too, so training and
inference cannot drift); `load_genre_model` reads the weights once.  Inference is plain Python.
Returns a `GenreDecision`: genre, confidence (0–1) and what decided it.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections import Counter
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
    "chronology_entries", "communique_closing", "log_tokens", "log_sentence_tokens",
    "title_exclamation", "title_question", "title_colon", "contact_signature", "title_digits",
    "title_quotes", "our_suffix", "lead_digits", "log_lines",
)

_CHRONOLOGY_ENTRY = re.compile(r"(?:^|[.\n])\s*[12]?\d{3}\s*-\s*\S")
"""«1945 - …» opening a sentence or a line: an almanac's entry (normalised dashes are «-»)."""
ALMANAC_ENTRIES = 5
"""An almanac: at least this many chronology entries, opening at least half of the sentences (in
SaudiNewsNet: 12 articles, all almanacs — «هذا اليوم في التاريخ», «في مثل هذا اليوم»)."""
_COMMUNIQUE_CLOSING = re.compile(r"الهادي الي سواء السبيل|والله ولي التوفيق")
"""A Saudi communiqué's closing formula (normalised), a feature when it ends the text."""
SIGNATURE_CHARS = 200
"""A columnist signs off with an e-mail address or a social-media handle in the last words."""
SIGNATURE_PRECISION = 0.98
"""Share of opinion among the silver SaudiNewsNet articles so signed (282 of 288 with an e-mail
address, 286 of 293 with a handle: scripts/train_genre.py)."""
_SIGNATURE = re.compile(r"[\w.-]+@[\w-]+\.\w+|@\w{3,}")
_CONTACT = re.compile(r"@|تويتر|twitter|بريد", re.I)


@dataclass(frozen=True, slots=True)
class GenreDecision:
    """The genre of a document, how sure the classifier is (0–1) and what decided it."""

    genre: str
    confidence: float
    cue: str


MODEL_CUE = "genre model"
"""The `cue` of a decision the genre model made (any other cue names the rule that decided)."""


@dataclass(frozen=True, slots=True)
class GenreModel:
    """Multinomial logistic regression over standardised `FEATURES`."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]
    words: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GenreModel:
        return cls(tuple(data["classes"]), tuple(data["features"]),
                   tuple(data["mean"]), tuple(data["scale"]),
                   tuple(tuple(row) for row in data["coef"]), tuple(data["intercept"]),
                   tuple(data.get("words", ())))

    def probabilities(self, x: Sequence[float]) -> dict[str, float]:
        """P(genre | features) for every class."""
        z = [(v - m) / s for v, m, s in zip(x, self.mean, self.scale, strict=True)]
        logits = [b + sum(w * v for w, v in zip(row, z, strict=True))
                  for row, b in zip(self.coef, self.intercept, strict=True)]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}


def word_features(words: Sequence[str]) -> tuple[str, ...]:
    """Feature names of function-word frequencies."""
    return tuple(f"word {w}" for w in words)


@lru_cache(maxsize=1)
def load_genre_model() -> GenreModel:
    """The packaged genre model (read once per process; a JSON of weights)."""
    text = resources.files("rasad.data").joinpath("genre_model.json").read_text(encoding="utf-8")
    model = GenreModel.from_dict(json.loads(text))
    if model.features != FEATURES + word_features(model.words):
        raise ValueError("genre_model.json was trained on other features: "
                         "run scripts/train_genre.py")
    return model


def genre_features(text: str, tokens: Sequence[Token], sentences: Sequence[Sentence],
                   cues: Sequence[LexMatch], title: str | None,
                   words: Sequence[str] = ()) -> list[float]:
    """The feature vector of a normalised document text and its cues: `FEATURES`, then the
    frequency of each of `words` (the model's function words, if it has any)."""
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
    vector = [
        *(math.log1p(counts[c] * per100) for c in CUE_CATEGORIES),
        *lead.values(),
        len(reporting_sentences) / n_sentences,
        len(voice_sentences) / n_sentences,
        min(text.count("?") / n_sentences, 2.0),
        min(text.count("!") / n_sentences, 2.0),
        math.log1p(text.count('"') * per100),
        math.log1p(sum(1 for t in tokens if t.text[:1].isdigit()) * per100),
        min(len(_CHRONOLOGY_ENTRY.findall(text)) / n_sentences, 1.0),
        float(bool(_COMMUNIQUE_CLOSING.search(text.rstrip()[-SIGNATURE_CHARS:]))),
        math.log(n),
        math.log(n / n_sentences),
        float("!" in title),
        float("?" in title or "؟" in title),
        float(":" in title),
        float(bool(_CONTACT.search(text[-300:]))),
        float(any(ch.isdigit() for ch in title)),
        float(any(ch in title for ch in '"«»“”')),
        math.log1p(sum(1 for t in tokens if len(t.text) > 4 and t.text.endswith("نا")) * per100),
        float(any(t.text[:1].isdigit() for t in tokens[:LEAD_TOKENS])),
        math.log(lines),
    ]
    if words:
        frequency = Counter(t.text for t in tokens)
        vector += [math.log1p(frequency[w] * per100) for w in words]
    return vector


def _sentence_index(sentences: Sequence[Sentence]) -> Callable[[int], int]:
    """token index → index of the sentence holding it (the sentence before, between sentences)."""
    starts = [s.first_token for s in sentences]
    return lambda token: max(bisect_right(starts, token) - 1, 0)


def genre_rule(text: str, sentences: Sequence[Sentence],
               cues: Sequence[LexMatch]) -> GenreDecision | None:
    """The genre a crisp rule gives: `opinion` for a disclaimer or a column signature, `other` for
    an almanac; None when no rule applies."""
    decisive = next((c for c in cues if c.payload == "opinion_decisive"), None)
    if decisive is not None:
        return GenreDecision("opinion", 1.0, f"«{text[decisive.start:decisive.end]}»")
    signature = _SIGNATURE.search(text.rstrip()[-SIGNATURE_CHARS:])
    if signature is not None:
        return GenreDecision("opinion", SIGNATURE_PRECISION, f"signature «{signature.group()}»")
    entries = len(_CHRONOLOGY_ENTRY.findall(text))
    if entries >= ALMANAC_ENTRIES and entries >= len(sentences) / 2:
        return GenreDecision("other", 1.0, f"almanac: {entries} chronology entries")
    return None


def classify_genre(text: str, tokens: Sequence[Token], sentences: Sequence[Sentence],
                   cues: Sequence[LexMatch], title: str | None = None,
                   model: GenreModel | None = None) -> GenreDecision:
    """The genre of a normalised document text from its genre cues (rule first, then model)."""
    rule = genre_rule(text, sentences, cues)
    if rule is not None:
        return rule
    model = model or load_genre_model()
    probabilities = model.probabilities(genre_features(text, tokens, sentences, cues, title,
                                                       model.words))
    genre = max(probabilities, key=probabilities.__getitem__)
    return GenreDecision(genre, round(probabilities[genre], 3), MODEL_CUE)
