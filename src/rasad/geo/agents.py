"""Places named as actors: «التحالف الذي تقوده الولايات المتحدة» names no location.

A country right after an agent word (`agent_words` in ``data/geo/cues.yaml``: «تقوده»,
«دربتها», «أن») or pair («من قبل», «بدعم من») is the subject or agent of a verb, a metonym for
its government; so is every place joined to such a mention by «و» («من قبل تركيا والولايات
المتحدة»). Such mentions do not locate events. (Leaving them out of the document's focus too was
tried: on the articles dev set it moved as many focuses to a wrong country as it fixed.)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rasad.doc import Doc, PlaceMention
from rasad.geo.recognize import raw_cues
from rasad.text.normalize import normalize

_REACH = 6  # tokens looked back across a list of places


@lru_cache(maxsize=1)
def _cues() -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    raw = raw_cues()
    words = frozenset(normalize(w).text for w in raw["agent_words"])
    pairs = frozenset((normalize(a).text, normalize(b).text) for a, b in raw["agent_pairs"])
    return words, pairs


def named_as_agent(doc: Doc, mention: PlaceMention,
                   mentions: Sequence[PlaceMention] = ()) -> bool:
    """Whether `mention` (a country) names an actor rather than a place."""
    if mention.place.feature != "country":
        return False
    words, pairs = _cues()
    first = doc.token_index(mention.start)
    others = [(m.start, m.end) for m in mentions if m is not mention and m.end <= mention.start]
    j = first - 1
    while j >= 0 and first - j <= _REACH:
        token = doc.tokens[j]
        if token.text in words:
            return True
        if j > 0 and (doc.tokens[j - 1].text, token.text) in pairs:
            return True
        if token.text == "و" or any(s <= token.start < e for s, e in others):
            j -= 1  # a place earlier in the same list: look before it
            continue
        return False
    return False
