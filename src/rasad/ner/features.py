"""Token features of the NER model: word form, clitic-split stem, affixes, shape, clusters, lists.

`FeatureExtractor.sentence_features(words)` turns a sentence of normalised words into one list of
crfsuite attribute names per word. Everything that depends on a word alone (its form, its stem
after the proclitics و ف ب ل ك and the article ال are split off, the stem's first and last
letters, its shape, its frequency band, its word clusters when a clusters file is given, whether
its form is in the place / person / organisation word lists) is computed once per distinct word
and cached, already prefixed for each window position it can take (-2 … +2), so a sentence costs
list concatenation only. Sentence position (first, last) and the words one and two to either side
complete the window.

`NerResources` reads the packaged files: ``frequencies.tsv.gz`` (words, commonest first),
``wordlists.tsv.gz`` (word, the lists it belongs to: LOC, PERS, ORG) and, when there is one,
``clusters.tsv.gz`` (word, cluster id at several granularities; none is shipped since the
SaudiNewsNet clusters were dropped for their non-commercial licence).
"""

from __future__ import annotations

import gzip
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rasad.text.normalize import normalize_form

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"
_MIN_STEM = 2
_CACHE_LIMIT = 50_000
# Words whose features stay cached (the cache is emptied when full).  At 300,000 a run over the
# 30K SaudiNewsNet articles peaked at 582 MB RSS; at 50,000, 366 MB for 4% less speed.
_LATIN = frozenset("abcdefghijklmnopqrstuvwxyz")
_DIGITS = frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class CliticSplit:
    """A word split into its proclitics (conjunction, preposition, article) and its stem."""

    conjunction: str
    preposition: str
    article: str
    stem: str

    @property
    def proclitics(self) -> str:
        return self.conjunction + self.preposition + self.article


def split_clitics(word: str, rank: Mapping[str, int] | None = None) -> CliticSplit:
    """Split the proclitics off a normalised word: «وبالعراق» → و + ب + ال + «عراق».

    A conjunction (و ف) or preposition (ب ل ك) is split off when the article follows it
    («والجيش», «بالعراق»; «للجيش» is ل + ال whose alef is not written), or when the rest is a
    word that the corpus (`rank`: word → frequency rank) knows better than the whole
    («وقصف» → و + «قصف»), so that «وزير», «فرنسا» and «بغداد» keep their first letter.
    The article is split off when at least three letters remain.
    """
    rest = word
    conjunction = preposition = ""
    for letters in (CONJUNCTIONS, PREPOSITIONS):
        if len(rest) <= _MIN_STEM or rest[0] not in letters:
            continue
        candidate = rest[1:]
        if rest[0] == "ل" and candidate.startswith("ل") and len(candidate) > _MIN_STEM + 1:
            candidate = "ا" + candidate  # لل → ل + ال
        elif not _clitic_reading(rest, candidate, rank):
            continue
        if letters is CONJUNCTIONS:
            conjunction = rest[0]
        else:
            preposition = rest[0]
        rest = candidate
    article = ""
    if rest.startswith(ARTICLE) and len(rest) > _MIN_STEM + 2:
        article, rest = ARTICLE, rest[2:]
    return CliticSplit(conjunction, preposition, article, rest)


def _clitic_reading(whole: str, rest: str, rank: Mapping[str, int] | None) -> bool:
    """Whether `rest` (the word without its first letter) reads as what follows a proclitic."""
    if len(rest) > _MIN_STEM + 2 and (
            rest.startswith(ARTICLE) or rest.startswith("لل")
            or (rest[0] in PREPOSITIONS and rest[1:].startswith(ARTICLE))):
        return True
    if not rank or len(rest) < _MIN_STEM:
        return False
    rest_rank = rank.get(rest)
    if rest_rank is None:
        return False
    whole_rank = rank.get(whole)
    return whole_rank is None or rest_rank < whole_rank


def _rank_band(rank: int | None) -> str:
    """How common a word is in the corpus, in bands (rare words are more often names)."""
    if rank is None:
        return "unseen"
    for band in (100, 1000, 5000, 20000, 50000):
        if rank < band:
            return str(band)
    return "rare"


def word_shape(word: str) -> str:
    """A coarse shape: arabic, latin, digits, or mixed."""
    letters = set(word)
    if letters <= _DIGITS:
        return "digits"
    if letters & _DIGITS:
        return "mixed"
    if letters & _LATIN:
        return "latin"
    return "arabic"


class NerResources:
    """Word clusters and word lists the features read; both optional (empty when absent).

    ``clusters`` maps a word to its cluster ids, coarse to fine, tab-separated (split only when
    a word's features are first built, so that loading stays fast); the cluster file lists words
    by descending corpus frequency, and that order is the word's ``rank``; without clusters the
    rank is read from ``frequencies`` (words by descending frequency, as ``frequencies.tsv.gz``
    lists them).  ``wordlists`` maps a word to the lists it is on («LOC,PERS_part»).
    """

    def __init__(self, clusters: dict[str, str] | None = None,
                 wordlists: dict[str, str] | None = None,
                 frequencies: dict[str, str] | None = None) -> None:
        self.clusters = clusters or {}
        self.wordlists = wordlists or {}
        ranked = self.clusters or frequencies or {}
        self.rank = {word: i for i, word in enumerate(ranked)}

    @classmethod
    def from_files(cls, clusters_path: Path | None, wordlists_path: Path | None,
                   frequencies_path: Path | None = None) -> NerResources:
        return cls(_read_pairs(clusters_path), _read_pairs(wordlists_path),
                   _read_pairs(frequencies_path))


def _read_pairs(path: Path | None) -> dict[str, str]:
    """First column → the rest of the line, from a gzipped TSV file ({} when there is none)."""
    if path is None or not path.exists():
        return {}
    pairs: dict[str, str] = {}
    for line in gzip.decompress(path.read_bytes()).decode("utf-8").split("\n"):
        key, _, value = line.partition("\t")
        if key and not key.startswith("#"):
            pairs[key] = value
    return pairs


# Which of a word's own features it lends to its neighbours, by window offset.
_CONTEXT_KINDS: dict[int, tuple[str, ...]] = {
    -2: ("w", "c1", "L"),
    -1: ("w", "s", "c0", "c1", "c2", "L", "p"),
    1: ("w", "s", "c0", "c1", "c2", "L", "p"),
    2: ("w", "c1", "L"),
}
OFFSETS = (-2, -1, 1, 2)


class FeatureExtractor:
    """Builds crfsuite attribute lists for sentences of normalised words (see module doc)."""

    def __init__(self, resources: NerResources) -> None:
        self.resources = resources
        # word → (own features, features lent at -2, -1, +1, +2)
        self._cache: dict[str, tuple[list[str], ...]] = {}

    def cluster_ids(self, word: str, split: CliticSplit) -> list[str] | None:
        """Cluster ids of the word, else of its form without conjunction/preposition, else stem."""
        clusters = self.resources.clusters
        ids = clusters.get(word)
        if ids is None and split.proclitics:
            ids = clusters.get(split.article + split.stem) or clusters.get(split.stem)
        return None if ids is None else ids.split("\t")

    def word_features(self, raw: str) -> tuple[list[str], ...]:
        """The cached features of one word: its own, then those it lends at -2, -1, +1, +2."""
        cached = self._cache.get(raw)
        if cached is not None:
            return cached
        word = normalize_form(raw)
        split = split_clitics(word, self.resources.rank)
        stem = split.stem
        kinds: dict[str, list[str]] = {
            "w": ["w=" + word],
            "s": ["s=" + stem],
            "p": ["pre=" + split.proclitics] if split.proclitics else [],
        }
        shape = word_shape(word)
        own = ["bias", *kinds["w"], *kinds["s"], *kinds["p"], "shape=" + shape,
               "len=" + str(min(len(stem), 8))]
        if shape == "arabic":
            own += ["sp2=" + stem[:2], "sp3=" + stem[:3], "sp4=" + stem[:4],
                    "ss1=" + stem[-1:], "ss2=" + stem[-2:], "ss3=" + stem[-3:],
                    "ss4=" + stem[-4:]]
        rank = self.resources.rank.get(word)
        kinds["r"] = ["r=" + _rank_band(rank)]
        own += kinds["r"]
        ids = self.cluster_ids(word, split)
        if ids is None:
            kinds["c0"] = kinds["c1"] = kinds["c2"] = ["c=none"]
            own.append("c=none")
        else:
            for level, cluster in enumerate(ids):
                kinds[f"c{level}"] = [f"c{level}={cluster}"]
                own.append(f"c{level}={cluster}")
        lists = self.resources.wordlists
        found = lists.get(word) or lists.get(split.article + stem) or lists.get(stem) or ""
        kinds["L"] = ["L=" + name for name in found.split(",") if name]
        own += kinds["L"]
        result: list[list[str]] = [own]
        for offset in OFFSETS:
            prefix = f"{offset:+d}"
            result.append([prefix + feature for kind in _CONTEXT_KINDS[offset]
                           for feature in kinds.get(kind, ())])
        cached = tuple(result)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[raw] = cached
        return cached

    def sentence_features(self, words: Sequence[str]) -> list[list[str]]:
        """One attribute list per word of a sentence of normalised words."""
        n = len(words)
        table = [self.word_features(w) for w in words]
        out: list[list[str]] = []
        for i in range(n):
            features = list(table[i][0])
            if i >= 2:
                features += table[i - 2][1]
            elif i == 1:
                features.append("-2w=<s>")
            if i >= 1:
                features += table[i - 1][2]
            else:
                features.append("BOS")
            if i + 1 < n:
                features += table[i + 1][3]
            else:
                features.append("EOS")
            if i + 2 < n:
                features += table[i + 2][4]
            elif i + 2 == n:
                features.append("+2w=</s>")
            out.append(features)
        return out
