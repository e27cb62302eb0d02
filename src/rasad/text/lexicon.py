"""Clitic-aware matching of many phrase lexicons in one pass over the tokens of a text.

A `Lexicon` holds phrases of several kinds (actor aliases, event triggers, place names, month
names, number words, attribution cues …), each normalised with `normalize_form` and split into
words.  `Lexicon.match(tokens, text)` walks the tokens once; for every token it tries the token
itself and the token without the Arabic proclitics و ف ب ل ك س (alone or stacked: وب، فل، وس …),
including the contraction ل + ال → لل («للجيش» finds «الجيش»); phrases added with
``suffixes=True`` also match with an attached pronoun (ه ها هم هما هن كم نا ي) after their last
word.  Further words of a phrase must follow in the next tokens with nothing but spaces, quotes,
brackets or a hyphen between them («تنظيم (داعش)»).

Each `LexMatch` gives the normalised span: it starts after a stripped conjunction or preposition
(«والجيش» → «الجيش»), except for the ل + ال contraction where the whole token is kept («للجيش»),
and ends at the end of the last token (an attached pronoun stays in the span).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rasad.text.normalize import normalize_form
from rasad.text.segment import Token, tokenize

PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "س", "وب", "ول", "وك", "وس", "فب", "فل", "فك",
                        "فس"})
PRONOUN_SUFFIXES = frozenset({"ه", "ها", "هم", "هما", "هن", "كم", "نا", "ي"})
_GAP_CHARS = frozenset(" \"'-()")
_MIN_STEM = 2


@dataclass(frozen=True, slots=True)
class LexEntry:
    """One phrase of a lexicon: its kind, normalised words and what it stands for."""

    kind: str
    phrase: str
    words: tuple[str, ...]
    payload: Any
    suffixes: bool = False


@dataclass(frozen=True, slots=True)
class LexMatch:
    """A phrase found in a text: normalised span, token range, and the entry."""

    entry: LexEntry
    start: int
    end: int
    first_token: int
    last_token: int  # exclusive
    proclitic: str
    suffix: str

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def payload(self) -> Any:
        return self.entry.payload


def phrase_words(phrase: str) -> tuple[str, ...]:
    """The normalised words of a lexicon phrase, as the tokenizer would cut them."""
    return tuple(t.text for t in tokenize(normalize_form(phrase)))


class Lexicon:
    """A set of phrase lexicons matched together, clitic-aware, in one pass."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[LexEntry]] = defaultdict(list)
        self._by_first_suffixed: dict[str, list[LexEntry]] = defaultdict(list)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add(self, kind: str, phrase: str, payload: Any = None, *, suffixes: bool = False) -> None:
        """Add `phrase` (any spelling; it is normalised here) of `kind` standing for `payload`."""
        words = phrase_words(phrase)
        if not words:
            return
        entry = LexEntry(kind, " ".join(words), words, payload, suffixes)
        self._by_first[words[0]].append(entry)
        if suffixes and len(words) == 1:
            self._by_first_suffixed[words[0]].append(entry)
        self._size += 1

    def add_many(self, kind: str, phrases: Iterable[str], payload: Any = None,
                 *, suffixes: bool = False) -> None:
        for phrase in phrases:
            self.add(kind, phrase, payload, suffixes=suffixes)

    def _stems(self, token: str) -> list[tuple[str, str, int]]:
        """(stem, proclitic, offset of the span start in the token) for each reading."""
        stems = [(token, "", 0)]
        for k in (1, 2):
            prefix = token[:k]
            if len(token) - k < _MIN_STEM or prefix not in PROCLITICS:
                continue
            stem = token[k:]
            stems.append((stem, prefix, k))
            if prefix[-1] == "ل" and stem[0] == "ل":
                # ل + ال → لل: the article's alef is not written («للجيش» = ل + الجيش), and
                # before a lam the article's lam merges too («للجان» = ل + اللجان).  The span
                # keeps the preposition's lam.
                stems.append(("ا" + stem, prefix, k - 1))
                stems.append(("ال" + stem, prefix, k - 1))
        return stems

    def _follow(self, entry: LexEntry, tokens: Sequence[Token], text: str, i: int,
                last_word_suffix: bool) -> tuple[int, str] | None:
        """Check that the rest of `entry`'s words follow token `i`; (end token, suffix)."""
        j = i
        prev_end = tokens[i].end
        for word in entry.words[1:]:
            j += 1
            if j >= len(tokens):
                return None
            gap = text[prev_end:tokens[j].start]
            if any(ch not in _GAP_CHARS for ch in gap):
                return None
            form = tokens[j].text
            if form != word:
                if not (last_word_suffix and word is entry.words[-1]
                        and form[len(word):] in PRONOUN_SUFFIXES and form.startswith(word)):
                    return None
                return j + 1, form[len(word):]
            prev_end = tokens[j].end
        return j + 1, ""

    def match(self, tokens: Sequence[Token], text: str, kinds: frozenset[str] | None = None,
              taa_marbuta: Container[int] = ()) -> list[LexMatch]:
        """Every phrase occurrence in the tokens of normalised `text`, in text order.

        `taa_marbuta` holds the normalised positions whose original letter is «ة»: a final «ه»
        there ends a noun («سيطرة»), it is not the pronoun suffix («سيطره»).
        """
        found: list[LexMatch] = []
        by_first = self._by_first
        by_suffixed = self._by_first_suffixed
        for i, token in enumerate(tokens):
            for stem, proclitic, offset in self._stems(token.text):
                for entry in by_first.get(stem, ()):
                    if kinds is not None and entry.kind not in kinds:
                        continue
                    followed = self._follow(entry, tokens, text, i, entry.suffixes)
                    if followed is not None:
                        end_tok, suffix = followed
                        found.append(LexMatch(entry, token.start + offset,
                                              tokens[end_tok - 1].end, i, end_tok,
                                              proclitic, suffix))
                if not by_suffixed:
                    continue
                for k in (1, 2, 3):
                    if len(stem) - k < _MIN_STEM or stem[-k:] not in PRONOUN_SUFFIXES:
                        continue
                    if k == 1 and token.end - 1 in taa_marbuta:
                        continue
                    for entry in by_suffixed.get(stem[:-k], ()):
                        if kinds is None or entry.kind in kinds:
                            found.append(LexMatch(entry, token.start + offset, token.end, i,
                                                  i + 1, proclitic, stem[-k:]))
        return found


def longest_matches(matches: Iterable[LexMatch]) -> list[LexMatch]:
    """Keep, among overlapping matches, the longest (then earliest); result in text order."""
    chosen: list[LexMatch] = []
    taken: list[tuple[int, int]] = []
    for m in sorted(matches, key=lambda m: (-(m.end - m.start), m.start, len(m.proclitic))):
        if all(m.end <= s or m.start >= e for s, e in taken):
            chosen.append(m)
            taken.append((m.start, m.end))
    return sorted(chosen, key=lambda m: m.start)
