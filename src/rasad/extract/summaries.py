"""Period summaries and events only referred to: trigger mentions that report no new event.

ACLED codes one event per day and place; a count over weeks is no event, nor is an act named only
as what someone condemns.  `summary_of(doc, sentence, trigger)` says whether a trigger mention of
sentence `sentence` is one of these, from the phrase lists of `data/summaries_ar.yaml`, and which:

- ``period``: a span of recent time governs it — «خلال الأيام القليلة الماضية», «في الأسبوعين
  الأخيرين», «في الأسابيع الأخيرة» in the trigger's clause, at most `REACH` tokens before or
  after it, with no relative or subordinating word («حيث», «الذي», «بعد» …) between them (that
  would make the span another verb's: «… في الرباط حيث عزز الحوثيون وجودهم في اليومين
  الأخيرين»);
- ``tally``: a count or a share stands right before the noun of an act — «عشرات الغارات»,
  «غالبية الغارات التركية» (violent acts only, and acts, not munitions: «آلاف المتظاهرين» is a
  protest, «عشرات القتلى» one event's toll, «أطلقوا عشرات الصواريخ على مخمور» one shelling);
- ``referenced``: a reaction governs the act's definite noun — «ودانت الجامعة العربية أول من أمس
  القصف التركي», «استنكار … للقصف التركي» — the act has no clause of its own after it (a
  relative clause, «التفجير الإرهابي الذي وقع في مقر …», a place inside a country named right
  after it, «التفجير في مسجد …», or a day, «… الهجوم على المسجد أمس»: with one, the sentence
  tells the event, and dev gold codes it), and another sentence of the document names an act of
  its type (the telling the reaction refers to: dev gold codes the act from there, and where
  nothing else tells it, the reaction is the document's only record of it).

A period or a tally in a sentence that gives a day (a `DateMention` of day precision) or names a
place inside a country (a governorate, a town, a site; not the dateline) is no summary: «شنت
طائرات التحالف أمس عشرات الغارات» is that day's event, and ACLED codes the strikes on one town or
governorate over the past days as one event there with a coarse date.  Every summary the
development gold leaves uncoded is told over countries or regions («في العراق وسوريا», «في شمال
العراق»).

The event stage drops a candidate one of whose triggers is a summary of the kinds setting
`drop_summaries` names: none by default.  ``tally`` and ``referenced`` (`SUGGESTED`) raised both
dev files' F1 but lowered the check set's (README's settings table).  Not ``period``: the dev gold
codes a campaign told over a period as one event («شنت تركيا عددا من الغارات … منذ نحو
أسبوعين», «قتلوا … خلال أسبوعين من الغارات», «منذ أواخر يوليو», dated to its start) as often
as it leaves one uncoded, and dropping period mentions cost incidents_dev the one match a
campaign's period sentence gave (3 false alarms fewer, F1 0.5870 -> 0.5862; README, "Period
summaries").  «منذ …» is left to the background cues of `modality`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import lru_cache
from importlib import resources

import yaml

from rasad.doc import Doc
from rasad.extract.context import event_family
from rasad.extract.lexicons import TriggerForm
from rasad.extract.reports import clause_at
from rasad.text.lexicon import Lexicon, LexMatch, phrase_words
from rasad.text.normalize import normalize

REACH = 8  # tokens between a span of time and the act it governs
REACTION_REACH = 10  # «ندد الامين العام لجامعة الدول العربية نبيل العربي الثلاثاء بالقصف»
OWN_CLAUSE_REACH = 3  # tokens after the act's noun where its own clause or place may open
_UNDATED_KINDS = frozenset({"range", "year", "future", "month"})
_COARSE = frozenset({"country", "region"})
KINDS = ("period", "tally", "referenced")
# The kinds the dev gold supports dropping (setting `drop_summaries`, empty by default; module
# docstring): not ``period``.
SUGGESTED = ("tally", "referenced")


@lru_cache(maxsize=1)
def _data() -> tuple[Lexicon, frozenset[str], frozenset[str], frozenset[str]]:
    text = resources.files("rasad.data").joinpath("summaries_ar.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    lexicon = Lexicon()
    period = data["period"]
    lexicon.add_many("period", [f"{unit} {count} {end}" for unit in period["units"]
                                for count in ("", *period["counts"]) for end in period["ends"]])
    lexicon.add_many("tally", data["quantifiers"])
    lexicon.add_many("reaction", data["reactions"])
    relatives = frozenset(w for phrase in data["relatives"] for w in phrase_words(phrase))
    acts = frozenset(w for act in data["acts"] for w in (*phrase_words(act),
                                                         *phrase_words("ال" + act)))
    subordinators = frozenset(normalize(w).text for w in data["subordinators"])
    return lexicon, relatives, acts, subordinators


def _cues(doc: Doc, sentence: int) -> list[LexMatch]:
    """The summary cues of a sentence, with token indices into `doc.tokens`."""
    s = doc.sentences[sentence]
    lexicon = _data()[0]
    found = lexicon.match(doc.tokens[s.first_token:s.last_token], doc.text)
    return [m._replace(first_token=m.first_token + s.first_token,
                       last_token=m.last_token + s.first_token) for m in found]


def _day_between(doc: Doc, lo: int, hi: int) -> bool:
    """Whether a date of day precision lies within normalised offsets `lo..hi`."""
    return any(lo <= d.start < hi and d.date is not None and d.time_precision == 1
               and d.kind not in _UNDATED_KINDS for d in doc.dates)


def _names_a_place(doc: Doc, lo: int, hi: int) -> bool:
    """Whether a place inside a country (a governorate, a town, a village, a site) is named, not
    as the dateline nor as a government («وقالت واشنطن», `PlaceMention.metonym`), within
    normalised offsets `lo..hi`."""
    return any(lo <= p.start < hi and not p.dateline and not p.judged and not p.metonym
               and p.place.feature not in _COARSE for p in doc.places)


def _open_between(doc: Doc, first: int, last: int) -> bool:
    """Whether a subordinating word stands among tokens `first..last-1`."""
    subordinators = _data()[3]
    return any(doc.tokens[i].text in subordinators for i in range(first, last))


def _governs_span(doc: Doc, cue: LexMatch, trigger: LexMatch,
                  clause: tuple[int, int]) -> bool:
    if not (clause[0] <= cue.start < clause[1]):
        return False
    if cue.first_token >= trigger.last_token:
        return (cue.first_token - trigger.last_token <= REACH
                and not _open_between(doc, trigger.last_token, cue.first_token))
    return (trigger.first_token - cue.last_token <= REACH
            and not _open_between(doc, cue.last_token, trigger.first_token))


def _own_clause(doc: Doc, sentence: int, trigger: LexMatch, clause: tuple[int, int]) -> bool:
    """Whether the act's noun opens a clause of its own: a relative word or a place inside a
    country a few tokens after it («التفجير في مسجد الإمام الصادق»), or a day after it in its
    clause."""
    relatives = _data()[1]
    end = min(trigger.last_token + OWN_CLAUSE_REACH, doc.sentences[sentence].last_token)
    if any(doc.tokens[i].text in relatives for i in range(trigger.last_token, end)):
        return True
    return _day_between(doc, trigger.end, clause[1]) or _names_a_place(
        doc, trigger.end, doc.tokens[end].start if end < len(doc.tokens) else clause[1])


def _may_summarise(trigger: LexMatch) -> bool:
    """Only a violent act may be a summary: not a toll («عشرات القتلى»), not who carries the act
    out, not a protest («آلاف المتظاهرين») nor a strategic development."""
    form = trigger.payload
    return isinstance(form, TriggerForm) and not form.spec.result and not form.person \
        and event_family(form.spec.event_type) == "violence"


class Tellings:
    """Which sentences of a document tell an act of each event type that is no summary (read
    without the ``referenced`` kind's own condition, so that two references do not vouch for
    each other in a loop): what ``referenced`` asks of every other sentence.  Built on first use
    with one `summary_of` per trigger mention and each sentence's cues found once, so that a
    document costs time in proportion to its trigger mentions, not to their square."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._cues: dict[int, list[LexMatch]] = {}
        self._told: dict[str, set[int]] | None = None

    def cues(self, sentence: int) -> list[LexMatch]:
        """The summary cues of sentence `sentence` (`_cues`), found once."""
        found = self._cues.get(sentence)
        if found is None:
            found = self._cues[sentence] = _cues(self.doc, sentence)
        return found

    def elsewhere(self, sentence: int, form: TriggerForm) -> bool:
        """Whether a sentence other than `sentence` tells an act of `form`'s event type that is
        no summary."""
        if self._told is None:
            self._told = {}
            doc = self.doc
            for m in doc.matches:
                other = m.payload
                if m.kind != "trigger" or not isinstance(other, TriggerForm) or other.spec.result:
                    continue
                where = doc.sentence_at(m.start)
                if where >= 0 and summary_of(doc, where, m, self.cues(where),
                                             elsewhere=False) is None:
                    self._told.setdefault(other.spec.event_type, set()).add(where)
        told = self._told.get(form.spec.event_type, ())
        return len(told) > (sentence in told)


def summary_of(doc: Doc, sentence: int, trigger: LexMatch,
               cues: Sequence[LexMatch] | None = None, elsewhere: bool = True,
               tellings: Tellings | None = None) -> str | None:
    """``period``, ``tally`` or ``referenced`` when the trigger mention reports no new event
    (module docstring), else None.  `cues`: the sentence's summary cues, when already found;
    `elsewhere`: whether a reference must also be told elsewhere in the document; `tellings`:
    the document's `Tellings`, when several mentions of one document are read (else built for
    this one)."""
    form = trigger.payload
    if not _may_summarise(trigger):
        return None
    assert isinstance(form, TriggerForm)
    found = _cues(doc, sentence) if cues is None else cues
    if not found:
        return None
    acts = _data()[2]
    s = doc.sentences[sentence]
    clause = clause_at(doc, sentence, trigger.start)
    # A day or a place in the sentence: that day's event, or the act at that place.
    told = _day_between(doc, s.start, s.end) or _names_a_place(doc, s.start, s.end)
    for cue in found:
        if cue.kind == "period" and not told and _governs_span(doc, cue, trigger, clause):
            return "period"
        if cue.kind == "tally" and not told and trigger.entry.words[0] in acts \
                and cue.last_token == trigger.first_token:
            return "tally"
        if cue.kind == "reaction" and form.pos == "noun" and trigger.entry.phrase.startswith("ال") \
                and 0 <= trigger.first_token - cue.last_token <= REACTION_REACH \
                and clause[0] <= cue.start and not _own_clause(doc, sentence, trigger, clause) \
                and (not elsewhere or (tellings or Tellings(doc)).elsewhere(sentence, form)):
            return "referenced"
    return None


def summarises(doc: Doc, sentence: int, triggers: Sequence[LexMatch],
               kinds: Collection[str] = (), tellings: Tellings | None = None) -> bool:
    """Whether any of the triggers of one candidate (in sentence `sentence`) is a summary of
    one of `kinds`; `tellings` as for `summary_of` (the event stage passes one per document)."""
    eligible = [t for t in triggers if _may_summarise(t)]
    if not eligible:
        return False
    tellings = tellings or Tellings(doc)
    cues = tellings.cues(sentence)
    return bool(cues) and any(summary_of(doc, sentence, t, cues, tellings=tellings) in kinds
                              for t in eligible)
