"""Places named by a number: «قطعة 5», «مخرج 9».

A head word of `data/geo/cues.yaml: numbered_heads`, with its clitics («بمخرج 9»), followed by a
number names one place of the kind the head gives: a residential block of a Kuwaiti district, an
exit of a ring road.  No gazetteer lists them, and the recogniser's names
after a feature word are words, not numbers.  `NumberedPlaces.add(finder, tokens, text,
recognition)` returns the recognition with those places added as toponyms without places (head
and number their span, the head word their `head`), which the resolver locates at the place the
text puts them in, unresolved, like «قرية عين زحلوق».  Nothing but a number after the head makes a
place («مخرج الفيلم» is a film's director).  One lookup per token: it costs next to nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rasad.geo.gazetteer import name_key
from rasad.geo.recognize import Recognition, Toponym, ToponymFinder, readings
from rasad.text.clitics import with_proclitics
from rasad.text.segment import Token

_GAP = re.compile(r"[ _\-]{1,2}")  # a space, or a hashtag's underscore («#مخرج_15»)


class NumberedPlaces:
    """The numbered places of a token stream, by the head words they follow."""

    def __init__(self, heads: Mapping[str, str]) -> None:
        self.heads = {name_key(word): kind for word, kind in heads.items()}
        # Each written form of a head word, bare or after its clitics («بمخرج»), and how it
        # reads: (head word, offset of the head in the token, proclitic), the first of its
        # `readings` that is a head; found here once, so that a token costs one lookup.
        self.forms: dict[str, tuple[str, int, str]] = {}
        for form in with_proclitics(self.heads):
            head = next(((stem, offset, proclitic) for stem, offset, proclitic in readings(form)
                         if stem in self.heads), None)
            if head is not None:
                self.forms[form] = head

    def add(self, finder: ToponymFinder, tokens: Sequence[Token], text: str,
            recognition: Recognition) -> Recognition:
        """`recognition` with the numbered places of `tokens` added (text order)."""
        forms = self.forms
        hits = [(i, forms[tok.text]) for i, tok in enumerate(tokens) if tok.text in forms]
        if not hits:
            return recognition
        covered = {k for t in recognition.toponyms for k in range(t.first_token, t.last_token)}
        found = []
        for i, (stem, offset, proclitic) in hits:
            if i + 1 >= len(tokens) or i in covered or i + 1 in covered:
                continue
            number = tokens[i + 1]
            if not (number.text.isascii() and number.text.isdigit()) \
                    or not _GAP.fullmatch(text, tokens[i].end, number.start):
                continue
            start = tokens[i].start + offset
            t = Toponym(start=start, end=number.end, first_token=i, last_token=i + 2,
                        key=f"{stem} {number.text}", places=(), phrase_start=start,
                        phrase_end=number.end, proclitic=proclitic, feature="poi",
                        kind=self.heads[stem], feature_word=stem, head=stem)
            finder._read_context(t, tokens, text)
            if t.strength != "reject":
                found.append(t)
        if not found:
            return recognition
        toponyms = sorted([*recognition.toponyms, *found], key=lambda x: x.start)
        return Recognition(toponyms, recognition.demonyms)
