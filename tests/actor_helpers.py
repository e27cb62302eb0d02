"""The packaged actor registry in a Lexicon, and matching a sentence with it (actor tests)."""

from __future__ import annotations

from functools import cache

from rasad.extract.actors import load_registry
from rasad.text.lexicon import Lexicon, LexMatch, longest_matches
from rasad.text.normalize import normalize
from rasad.text.segment import tokenize


@cache
def actor_lexicon() -> Lexicon:
    """A Lexicon holding every alias, anaphor and nisba of the packaged registry."""
    lexicon = Lexicon()
    load_registry().add_to_lexicon(lexicon)
    return lexicon


def find(text: str) -> list[tuple[LexMatch, str]]:
    """The longest registry matches in `text`, each with the original words it covers."""
    nt = normalize(text)
    found = longest_matches(actor_lexicon().match(tokenize(nt.text), nt.text))
    return [(m, nt.span(m.start, m.end)[0]) for m in found]
