"""Places named as actors: «التحالف الذي تقوده الولايات المتحدة» names no location.

A country right after an agent word (`agent_words` in ``data/geo/cues.yaml``: «تقوده»,
«دربتها», «أن») or pair («من قبل», «بدعم من») is the subject or agent of a verb, a metonym for
its government; so is every place joined to such a mention by «و» («من قبل تركيا والولايات
المتحدة»). Such mentions do not locate events. (Leaving them out of the document's focus too was
tried: on the articles dev set it moved as many focuses to a wrong country as it fixed.)

`across_border` is the same look-back for the other side of a border: «على الحدود مع العراق
وسوريا» (`border_pairs`: the word before «مع»), «المحاذية لسوريا» (`adjoining_words`) name a
neighbour of the scene, never the scene itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from rasad.doc import Doc, PlaceMention
from rasad.geo.recognize import raw_cues
from rasad.text.normalize import normalize

_REACH = 6  # tokens looked back across a list of places


def _cue_lists(words_key: str, pairs_key: str
               ) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    raw = raw_cues()
    words = frozenset(normalize(w).text for w in raw[words_key])
    pairs = frozenset((normalize(a).text, normalize(b).text) for a, b in raw[pairs_key])
    return words, pairs


@lru_cache(maxsize=1)
def _cues() -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    return _cue_lists("agent_words", "agent_pairs")


@lru_cache(maxsize=1)
def _border_cues() -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    return _cue_lists("adjoining_words", "border_pairs")


def named_as_agent(doc: Doc, mention: PlaceMention,
                   mentions: Sequence[PlaceMention] = ()) -> bool:
    """Whether `mention` (a country) names an actor rather than a place."""
    if mention.place.feature != "country":
        return False
    return after_cue(doc, mention, mentions, *_cues())


def across_border(doc: Doc, mention: PlaceMention,
                  mentions: Sequence[PlaceMention] = ()) -> bool:
    """Whether `mention` names the other side of a border («على الحدود مع العراق وسوريا»)."""
    return after_cue(doc, mention, mentions, *_border_cues())


def after_cue(doc: Doc, mention: PlaceMention, mentions: Sequence[PlaceMention],
              words: frozenset[str], pairs: frozenset[tuple[str, str]], *,
              rule: Callable[[int], bool | None] | None = None,
              list_openers: frozenset[tuple[str, str]] = frozenset()) -> bool:
    """Whether a cue word or pair comes right before `mention`, or before the list of places
    it ends («من قبل تركيا والولايات المتحدة»).

    Walking back from the token before `mention` (at most `_REACH` tokens), at each token: a
    word of `words` says yes; then `rule` (given the token's index), when it rules (True or
    False), decides; then a pair of `pairs` (the token and the one before) says yes; a pair of
    `list_openers` («كلا من») is stepped over; «و» or an earlier place of `mentions` (a place in
    the same list) is stepped over; any other token says no."""
    tokens = doc.tokens
    first = doc.token_index(mention.start)
    others = [(m.start, m.end) for m in mentions if m is not mention and m.end <= mention.start]
    j = first - 1
    while j >= 0 and first - j <= _REACH:
        word = tokens[j].text
        if word in words:
            return True
        if rule is not None:
            ruling = rule(j)
            if ruling is not None:
                return ruling
        if j > 0 and (tokens[j - 1].text, word) in pairs:
            return True
        if j > 0 and (tokens[j - 1].text, word) in list_openers:
            j -= 2
            continue
        if word == "و" or any(s <= tokens[j].start < e for s, e in others):
            j -= 1  # a place earlier in the same list: look before it
            continue
        return False
    return False
