"""The packaged CRF tagger: load it once, tag sentences of normalised words, read entities.

`load_tagger()` opens ``rasad/data/ner/model.crfsuite`` with its feature resources (word
frequencies, word lists, clusters when shipped) and caches the result; it returns None, without
raising, when the model file is not installed, so the pipeline runs without NER.
`CrfTagger.tag(words)` returns one BIO tag per word (PERS, LOC, ORG, MISC). The model never saw
punctuation: words without a letter or digit get "O" and are left out of the sequence it reads.
`tag_doc(doc, tagger, sentence_indices)` tags the given sentences of a `Doc` and returns
`EntityMention`s in normalised offsets; an entity starts after a conjunction or preposition
written onto its first word («وبغداد» → «بغداد»).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol

from rasad.doc import Doc, EntityMention
from rasad.ner.conll import entity_spans
from rasad.ner.features import FeatureExtractor, NerResources, split_clitics
from rasad.text.normalize import normalize_form

LABELS = ("PERS", "LOC", "ORG", "MISC")
# The letters and digits of rasad's tokenizer (`rasad.text.segment`), in normalised text.
_WORD = re.compile(r"[0-9a-z\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")


def data_dir() -> Path:
    """The folder of the packaged NER files."""
    return Path(str(resources.files("rasad") / "data" / "ner"))


class Tagger(Protocol):
    """Anything that tags a sentence of normalised words with BIO tags."""

    def tag(self, words: Sequence[str]) -> list[str]: ...


def is_word(token: str) -> bool:
    """Whether a token has a letter or digit once normalised (a tatweel «ـ» alone has none):
    the pipeline's tokenizer keeps only such tokens."""
    return _WORD.search(normalize_form(token)) is not None


class CrfTagger:
    """A python-crfsuite model and the feature extractor it was trained with."""

    def __init__(self, model_path: Path, features: FeatureExtractor) -> None:
        import pycrfsuite

        self.model_path = model_path
        self.features = features
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model_path))

    @classmethod
    def from_dir(cls, folder: Path) -> CrfTagger:
        resources_ = NerResources.from_files(folder / "clusters.tsv.gz",
                                             folder / "wordlists.tsv.gz",
                                             folder / "frequencies.tsv.gz")
        return cls(folder / "model.crfsuite", FeatureExtractor(resources_))

    def tag(self, words: Sequence[str]) -> list[str]:
        """One BIO tag per word; words without letters or digits are tagged "O"."""
        keep = [i for i, w in enumerate(words) if is_word(w)]
        if len(keep) == len(words):
            return self._tag_words(words) if words else []
        tags = ["O"] * len(words)
        if keep:
            for i, tag in zip(keep, self._tag_words([words[i] for i in keep]), strict=True):
                tags[i] = tag
        return tags

    def _tag_words(self, words: Sequence[str]) -> list[str]:
        return list(self._tagger.tag(self.features.sentence_features(words)))

    def tag_with_scores(self, words: Sequence[str]) -> tuple[list[str], list[float]]:
        """Tags of words that are all words (no punctuation), and each tag's marginal."""
        tags = self._tag_words(words)
        scores = [self._tagger.marginal(tag, i) for i, tag in enumerate(tags)]
        return tags, scores


@lru_cache(maxsize=1)
def load_tagger() -> CrfTagger | None:
    """The packaged tagger, loaded once; None when the model file is not installed."""
    folder = data_dir()
    if not (folder / "model.crfsuite").is_file():
        return None
    try:
        return CrfTagger.from_dir(folder)
    except (ImportError, OSError, ValueError):
        return None


def tag_doc(doc: Doc, tagger: CrfTagger, sentence_indices: Iterable[int]) -> list[EntityMention]:
    """Entities in the given sentences of `doc`, in normalised offsets, in text order."""
    mentions: list[EntityMention] = []
    for index in sorted(set(sentence_indices)):
        sentence = doc.sentences[index]
        tokens = doc.tokens[sentence.first_token:sentence.last_token]
        if not tokens:
            continue
        tags, scores = tagger.tag_with_scores([t.text for t in tokens])
        for label, first, end in entity_spans(tags):
            if label not in LABELS:
                continue
            start = tokens[first].start + _proclitic_length(tokens[first].text,
                                                            tagger.features.resources.rank)
            span_scores = scores[first:end]
            mentions.append(EntityMention(
                label, start, tokens[end - 1].end, sentence.first_token + first,
                sentence.first_token + end, score=round(sum(span_scores) / len(span_scores), 4)))
    return mentions


def _proclitic_length(word: str, rank: dict[str, int]) -> int:
    """Letters of a conjunction or preposition to leave out of an entity's span.

    The ل of the contraction ل + ال («للجيش») stays, as in `rasad.text.lexicon`.
    """
    split = split_clitics(word, rank)
    contracted = word[len(split.conjunction):].startswith("لل")
    if split.preposition == "ل" and split.article and contracted:
        return len(split.conjunction)
    return len(split.conjunction) + len(split.preposition)
