"""Arabic normalisation for matching, with an exact offset map back to the original text.

`normalize(text)` returns a `NormalizedText`: the matching form of the input (hamza/alef forms
folded to ا, taa marbuta to ه, alef maqsura to ي, diacritics incl. tanween and shadda removed,
tatweel and invisible bidi/zero-width marks removed, Eastern Arabic and Persian digits to ASCII,
Arabic punctuation and quote variants to ASCII, presentation-form ligatures expanded) together with
a map from every position of the normalised text to the original.  `to_original(start, end)`
turns a normalised span into an original one such that slicing the input gives the words the
match was read from, including any diacritics they carried (``بعرباتٍ`` keeps its tanween).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

# Characters deleted for matching: Arabic diacritics (harakat, tanween, shadda, sukun, dagger
# alef, Quranic annotation marks), tatweel, and invisible formatting characters.
_COMBINING_RANGES = [(0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06DC),
                     (0x06DF, 0x06E8), (0x06EA, 0x06ED), (0x0640, 0x0640)]
_INVISIBLE_RANGES = [(0x200B, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069), (0x061C, 0x061C),
                     (0xFEFF, 0xFEFF), (0x00AD, 0x00AD)]

COMBINING_MARKS = frozenset(chr(c) for lo, hi in _COMBINING_RANGES for c in range(lo, hi + 1))
"""Marks that belong to the letter before them: a span that ends on that letter takes them along."""

_ONE_TO_ONE = {
    **dict.fromkeys("أإآٱٲٳٵ", "ا"),
    "ة": "ه", "ۀ": "ه", "ە": "ه",
    "ى": "ي", "ی": "ي", "ې": "ي", "ئ": "ي",
    "ؤ": "و",
    "ک": "ك", "ڪ": "ك",
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",", "۔": ".",
    **dict.fromkeys("«»“”„‟″❝❞＂", '"'),
    **dict.fromkeys("‘’‚‛′", "'"),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("\t\r\f\v\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000", " "),
}
for _i in range(10):
    _ONE_TO_ONE[chr(0x0660 + _i)] = str(_i)  # Eastern Arabic digits
    _ONE_TO_ONE[chr(0x06F0 + _i)] = str(_i)  # Persian/Urdu digits
for _c in range(ord("A"), ord("Z") + 1):
    _ONE_TO_ONE[chr(_c)] = chr(_c + 32)


def _fold(text: str) -> str:
    """Apply deletions and one-to-one folds (used to build the presentation-form expansions)."""
    return "".join(_ONE_TO_ONE.get(ch, ch) for ch in text if ch not in _DELETED)


_DELETED = frozenset(COMBINING_MARKS | {chr(c) for lo, hi in _INVISIBLE_RANGES
                                        for c in range(lo, hi + 1)})

_TABLE: dict[int, str | None] = {ord(k): v for k, v in _ONE_TO_ONE.items()}
_TABLE.update({ord(ch): None for ch in _DELETED})
_EXPANDED: dict[str, str] = {}
for _c in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
    _ch = chr(_c)
    _nfkc = unicodedata.normalize("NFKC", _ch)
    if _nfkc != _ch and _ch not in _DELETED:
        _folded = _fold(_nfkc)
        _TABLE[_c] = _folded if _folded else None
        if len(_folded) != 1:
            _EXPANDED[_ch] = _folded

# Characters whose folded form is not exactly one character: they move offsets.
_SPECIAL = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_DELETED | set(_EXPANDED)))
                      + "]")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalised text and the map from its positions to positions in `original`.

    The map is piecewise linear: normalised position ``n`` in the segment that starts at
    ``_norm_starts[k]`` comes from original position ``_orig_starts[k] + (n - _norm_starts[k])``.
    """

    original: str
    text: str
    _norm_starts: list[int] = field(repr=False)
    _orig_starts: list[int] = field(repr=False)

    def original_index(self, n: int) -> int:
        """Original position of the character at normalised position `n` (len maps to len)."""
        if n >= len(self.text):
            return len(self.original)
        k = bisect_right(self._norm_starts, n) - 1
        return self._orig_starts[k] + (n - self._norm_starts[k])

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span to the original span that produced it.

        The original end is extended over the diacritics and tatweel that follow the last letter,
        so the slice shows the word as written.
        """
        ostart = self.original_index(start)
        if end <= start:
            return ostart, ostart
        oend = self.original_index(end - 1) + 1
        original = self.original
        while oend < len(original) and original[oend] in COMBINING_MARKS:
            oend += 1
        return ostart, oend

    def normalized_index(self, o: int) -> int:
        """Normalised position of original position `o` (deleted characters map forward)."""
        if o >= len(self.original):
            return len(self.text)
        k = bisect_right(self._orig_starts, o) - 1
        n = self._norm_starts[k] + (o - self._orig_starts[k])
        # A deleted character sits in no segment: its offset lands past the segment's end.
        if k + 1 < len(self._norm_starts):
            n = min(n, self._norm_starts[k + 1])
        n = min(n, len(self.text))
        # An expanded ligature («ﷲ» → «الله») maps to the first of the characters it became.
        while n > 0 and self.original_index(n - 1) == o:
            n -= 1
        return n

    def span(self, start: int, end: int) -> tuple[str, int, int]:
        """The original (text, start, end) for a normalised span."""
        ostart, oend = self.to_original(start, end)
        return self.original[ostart:oend], ostart, oend


def normalize_form(text: str) -> str:
    """The normalised form of `text`, without the offset map (for lexicon keys and lookups)."""
    return text.translate(_TABLE)


def normalize(text: str) -> NormalizedText:
    """Normalise `text` for matching and keep the way back to the original offsets."""
    folded = text.translate(_TABLE)
    if len(folded) == len(text) and not _SPECIAL.search(text):
        return NormalizedText(text, folded, [0], [0])
    norm_starts = [0]
    orig_starts = [0]
    shift = 0  # normalised position minus original position, up to the current match
    for m in _SPECIAL.finditer(text):
        o = m.start()
        n = o + shift
        replacement = _EXPANDED.get(m.group(), "")
        for j in range(1, len(replacement)):
            norm_starts.append(n + j)
            orig_starts.append(o)
        shift += len(replacement) - 1
        norm_starts.append(o + 1 + shift)
        orig_starts.append(o + 1)
    return NormalizedText(text, folded, norm_starts, orig_starts)
