"""Report units: where a sentence or a paragraph starts telling another incident.

News digests (the Syrian Observatory's above all) report several incidents in one sentence, one
after another: «…، كما قصفت قوات النظام مناطق في داريا، ايضا دارت اشتباكات في خان الشيح، بينما
دارت اشتباكات في محيط محطة تشرين».  `report_segments(doc, sentence, triggers, places)` splits
such a sentence at a clause break followed by a report connector into segments, each read by
`rasad.extract.events` as a sentence of its own (its place, date, actors and toll) and never
merged with another segment of the sentence.  `opens_report(doc, candidate)` says whether an
event mention opens a new report of its paragraph («كما دارت اشتباكات …», «غارة أخرى»), which
`EventExtractor.merge` does not merge into the event the paragraph has been telling.
`clause_at(doc, sentence, pos)` and `paragraph_sentences(doc, sentence)` give the clause around
a position and the sentences before one in its paragraph, where the event stage reads an event's
instrument, place and date.  Works on normalised offsets and token indices of a `Doc`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from rasad.doc import Doc, PlaceMention
from rasad.extract.lexicons import TriggerForm
from rasad.text.lexicon import LexMatch
from rasad.text.normalize import normalize

if TYPE_CHECKING:
    from rasad.extract.events import Candidate

# After a strong connector the report is a new one; after a weak one only when it holds an act
# of its own, not only a result («أسفر عن مقتل 11، فيما قتل ثلاثة من المقاومة» is one clash).
STRONG_CONNECTORS = frozenset(normalize(w).text for w in (
    "كما", "وكما", "أيضا", "وأيضا", "أيضاً", "كذلك", "وكذلك", "إلى ذلك", "والى ذلك",
    "في غضون ذلك", "من جهة أخرى", "من جهة ثانية", "من ناحية أخرى", "وفي سياق متصل"))
WEAK_CONNECTORS = frozenset(normalize(w).text for w in (
    "بينما", "وبينما", "فيما", "وفيما", "في حين", "وفي حين"))
_CONNECTOR_WORDS = 3  # words in the longest connector
# «غارة أخرى», «اشتباكات مماثلة», «هجوم جديد»: a word right after the trigger that says it is
# another incident.
_ANOTHER = frozenset(normalize(w).text for w in (
    "أخرى", "آخر", "ثانية", "جديدة", "جديد", "مماثلة", "مماثل", "منفصلة", "منفصل"))
_ANOTHER_REACH = 3  # words after the trigger


class Segment(NamedTuple):
    """A report segment of a sentence: normalised offsets and token range (exclusive end)."""

    start: int
    end: int
    first_token: int
    last_token: int


def connector(doc: Doc, first: int, last: int) -> str | None:
    """"strong" or "weak" when the tokens from `first` (before `last`) open with a report
    connector, else None."""
    words = [doc.tokens[i].text for i in range(first, min(first + _CONNECTOR_WORDS, last))]
    heads = {" ".join(words[:n]) for n in range(1, len(words) + 1)}
    if heads & STRONG_CONNECTORS:
        return "strong"
    if heads & WEAK_CONNECTORS:
        return "weak"
    return None


def _is_result(trigger: LexMatch) -> bool:
    payload = trigger.payload
    return isinstance(payload, TriggerForm) and payload.spec.result


def report_segments(doc: Doc, sentence: int, triggers: Sequence[LexMatch],
                    places: Sequence[PlaceMention] = ()) -> list[Segment | None]:
    """The report segments of a sentence, given its licensed `triggers` and its `places`;
    `[None]` when it is one report.

    A segment opens at a clause break followed by a connector, and stands on its own when it
    holds a trigger and names a place of its own, and, after a weak connector, an act (not only
    a result).  A segment that does not («، كما عثر في الموقع على أشلاء») goes on with the one
    before it; a first segment without a trigger goes on with the one after it."""
    s = doc.sentences[sentence]
    opens: list[tuple[int, int, bool]] = [(s.start, s.first_token, True)]
    for clause in s.clauses[1:]:
        first = doc.token_index(clause[0])
        if first < s.last_token and (kind := connector(doc, first, s.last_token)):
            opens.append((clause[0], first, kind == "strong"))
    if len(opens) == 1:
        return [None]
    ends = [(o[0], o[1]) for o in opens[1:]] + [(s.end, s.last_token)]
    kept: list[Segment] = []
    for (start, first, strong), (end, last) in zip(opens, ends, strict=True):
        own = [t for t in triggers if start <= t.start < end]
        alone = own and (strong or not all(_is_result(t) for t in own)) and any(
            start <= p.start < end for p in places)
        previous = kept[-1] if kept else None
        if previous is not None and (not alone or not any(
                previous.start <= t.start < previous.end for t in triggers)):
            kept[-1] = Segment(previous.start, end, previous.first_token, last)
        else:
            kept.append(Segment(start, end, first, last))
    return list(kept) if len(kept) > 1 else [None]


def opens_report(doc: Doc, c: Candidate) -> bool:
    """Whether the mention `c` reports an incident of its own: its sentence (or report segment)
    opens with a strong connector («كما دارت اشتباكات …», «من جهة أخرى، شنت …») and its trigger
    is an act, not only a result («كما قتل …» goes on telling the toll), or a word after the
    trigger says it is another one («غارة أخرى», «اشتباكات مماثلة»)."""
    last = c.anchor.last_token
    if any(doc.tokens[i].text in _ANOTHER
           for i in range(last, min(last + _ANOTHER_REACH, len(doc.tokens)))):
        return True
    if c.form.spec.result:
        return False
    unit = c.segment or doc.sentences[c.sentence]
    return connector(doc, unit.first_token, unit.last_token) == "strong"


def clause_at(doc: Doc, sentence: int, pos: int) -> tuple[int, int]:
    """The clause (normalised offsets) of sentence `sentence` that holds position `pos`, else
    the whole sentence."""
    s = doc.sentences[sentence]
    return next(((a, b) for a, b in s.clauses if a <= pos < b), (s.start, s.end))


def paragraph_sentences(doc: Doc, sentence: int, back: int = 2) -> list[int]:
    """Up to `back` sentences before `sentence` in the same paragraph (nearest first)."""
    found: list[int] = []
    i = sentence
    while i > 0 and len(found) < back:
        gap = doc.text[doc.sentences[i - 1].end:doc.sentences[i].start]
        if "\n" in gap:
            break
        i -= 1
        found.append(i)
    return found


def paragraph_starts(doc: Doc) -> list[int]:
    """For each sentence of `doc`, the first sentence of its paragraph."""
    starts: list[int] = []
    for i, s in enumerate(doc.sentences):
        new = i == 0 or "\n" in doc.text[doc.sentences[i - 1].end:s.start]
        starts.append(i if new else starts[-1])
    return starts
