"""Attribution: who says an event happened («بحسب المرصد السوري», «وقال مصدر أمني إن»).

`attribution_span(...)` finds the source phrase of a sentence from the attribution cues of
`data/cues.yaml`: after a preposition cue («بحسب», «نقلا عن») the source is what follows (a
leading «ما» and its reporting verb are skipped: «بحسب ما أوردت وسائل إعلام» → «وسائل إعلام»);
after a reporting verb («قال», «أفادت») it is the verb's subject, which follows it in Arabic word
order.  The phrase ends at a stop word («إن», «أن», «في», «أمس» …), punctuation, or after
`MAX_WORDS` words.  The cue nearest the trigger wins.  Returns normalised offsets.
"""

from __future__ import annotations

from collections.abc import Sequence

from rasad.text.lexicon import LexMatch
from rasad.text.segment import Token

MAX_WORDS = 6
_BREAKS = frozenset(',.;:?!()"')


def _source_after(tokens: Sequence[Token], text: str, start_token: int, end_token: int,
                  stop_starts: frozenset[int], verb_starts: frozenset[int],
                  skip_ma: bool) -> tuple[int, int] | None:
    i = start_token
    if skip_ma and i < end_token and tokens[i].text == "ما":
        i += 1
        if i < end_token and tokens[i].start in verb_starts:
            i += 1
    first = i
    last = i
    while last < end_token and last - first < MAX_WORDS:
        if tokens[last].start in stop_starts or tokens[last].start in verb_starts:
            break
        if last > first and any(ch in _BREAKS for ch in text[tokens[last - 1].end:
                                                                tokens[last].start]):
            break
        last += 1
    if last == first:
        return None
    return tokens[first].start, tokens[last - 1].end


def attribution_span(trigger: LexMatch, cues: Sequence[LexMatch], stops: Sequence[LexMatch],
                     tokens: Sequence[Token], text: str, sentence_end_token: int
                     ) -> tuple[int, int] | None:
    """The normalised span of the source the trigger's sentence attributes it to, if any."""
    stop_starts = frozenset(tokens[s.first_token].start for s in stops)
    verb_starts = frozenset(tokens[c.first_token].start for c in cues if c.payload == "verb")
    best: tuple[int, tuple[int, int]] | None = None
    for cue in cues:
        is_verb = cue.payload == "verb"
        span = _source_after(tokens, text, cue.last_token, sentence_end_token, stop_starts,
                             verb_starts - {tokens[cue.first_token].start}, not is_verb)
        if span is None:
            continue
        distance = abs(cue.first_token - trigger.first_token)
        if best is None or distance < best[0]:
            best = (distance, span)
    return best[1] if best else None
