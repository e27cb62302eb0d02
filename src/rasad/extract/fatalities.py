"""Death figures in Arabic news text, and ACLED's conservative reading of an event's fatalities.

`find_fatalities(doc, start, end)` (or the pure `find_fatalities_in(text, start, end)`) returns a
`FatalityMention` for every figure of the dead in a span of the normalised text: a number or a
count-bearing noun tied to a death word, before it («مقتل ستة جنود», «قتل المسلحون 5 جنود»,
«أودى بحياة 3», «العثور على 15 جثة»), after it («20 قتيلاً», «سقوط 28 قتيلاً»), as the subject of a
death verb later in the clause («ستة مقاتلين … قتلوا», «25 عنصراً لقوا مصرعهم»), or carrying its own
count («مقتل شخص» 1, «مقتل جنديين» 2, «قتيلان» 2, «ما أدى إلى مقتله» 1, «لقيا حتفهما» 2).

ACLED's rules as read here:
- Deaths only.  A figure tied to an injury word («وإصابة 11 آخرين») is never one; a death word
  joined to an injury word («قتل وجرح 20», «20 قتيلاً وجريحاً», «مقتل وإصابة العشرات») gives no
  figure at all: the dead are not counted apart, and the conservative reading is null.
- «ضحايا» alone may include the wounded: it counts only in the idiom «راح ضحيته» or as a toll
  («عدد الضحايا»).  Attackers' own dead count like anyone else's.
- The value is the conservative number reading (`rasad.extract.numbers`): «أكثر من 12» → 12,
  «عشرات» → 10, «بين 10 و15» → 10.  «X و21 مسلحاً آخرين» counts the named X too (22).
- Negated, attempted or threatened killing («لم يسفر عن مقتل», «محاولة قتل») gives no figure.
- `role` "total" marks a toll («ارتفعت حصيلة القتلى إلى 20», «بلغ عدد القتلى 7»); "subset" a part
  of a figure already given («قتل 9 أشخاص بينهم 5 مدنيين», «ثلاثة منهم»); "aggregate" a total over
  a period («منذ اندلاع الصراع», «حصيلة إجمالية»: `period_cues`) and its parts, no one event's toll.
- Further figures joined by و or an additive phrase («إضافة إلى ثلاثة») after a short complement
  of the first («مقتل 25 جهادياً من تنظيم النصرة وسبعة») are more of the dead.

`event_fatalities(mentions)` combines the mentions the event code ties to one event: a toll wins
over partial figures (of several tolls the highest, since tolls are restated as they rise);
subsets never add; figures in one sentence are distinct victim groups and are summed («مقتل 3
جنود و5 مدنيين» → 8); figures from different sentences are summed only when they name different
victims and none is generic («أشخاص»), otherwise the largest is kept (a restatement is never
counted twice); aggregates never count.  `toll_owners(...)` shares a sentence's figures among
its events: each goes to the event that governs it (see there).  Vocabulary:
`data/fatalities_ar.yaml`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from rasad.doc import Doc, NumberMention
from rasad.extract.dates import find_dates_in
from rasad.extract.numbers import casualty_noun_count, find_numbers_in
from rasad.extract.wordforms import (
    PhraseTable,
    TokenView,
    load_yaml,
    norm_set,
    strip_proclitic,
)
from rasad.text.clitics import with_proclitics
from rasad.text.segment import Sentence, Token, segment

_MAX_GAP = 3  # tokens between a death word and its figure
_MAX_SUBJECT_GAP = 15  # tokens between a subject figure and its death verb
_MAX_COMPLEMENT = 3  # words of a counted noun's complement before a coordinated figure
_SENTENCE_OPENING = 3  # a period cue within this many tokens of a sentence's start governs it
_CLAUSE_BREAKS = frozenset(",;:.!?()\n")
_AMONG = frozenset({"بين"})


def _token_start(token: Token) -> int:
    return token.start


def _sentence_start(sentence: Sentence) -> int:
    return sentence.start


def _number_start(number: NumberMention) -> int:
    return number.start


@dataclass(frozen=True, slots=True)
class FatalityMention:
    """A figure of the dead: its conservative value and the normalised span of the phrase.

    `kind` is "killed" or "bodies" (dead found); `role` is "figure", "total" (the event's toll),
    "subset" (part of a figure already given) or "aggregate" (a total over a period, «منذ اندلاع
    الصراع», and its parts: no one event's toll); `victims` is the lemma of the counted noun
    («جندي», «مدني»), "" when none is named or it is generic; `sentence` is the index of the
    sentence holding it (figures of one sentence are distinct groups); `anchor` where the phrase
    that governs it starts: the toll cue of a total («ارتفعت حصيلة … إلى 37 قتيلاً»), else `start`;
    `victims_from` where the words naming the dead start (the number of «قتلت القوات 20 مسلحاً»:
    «القوات» killed, they were not killed).
    """

    value: int
    start: int
    end: int
    kind: str = "killed"
    role: str = "figure"
    victims: str = ""
    approximate: bool = False
    vague: bool = False
    sentence: int = -1
    anchor: int = -1
    victims_from: int = -1


@dataclass(frozen=True, slots=True)
class FatalityVocabulary:
    """The cues of `fatalities_ar.yaml`, normalised."""

    cues_before: PhraseTable[str]
    nouns_after: PhraseTable[str]
    counted_nouns: dict[str, int]
    verbs_after: PhraseTable[bool]
    self_counted: PhraseTable[int]
    injury: frozenset[str]
    total_cues: frozenset[str]
    toll_nouns: frozenset[str]
    subset_before: PhraseTable[bool]
    subset_after: frozenset[str]
    period_cues: PhraseTable[bool]
    coordinators: PhraseTable[bool]
    others: frozenset[str]
    blockers: frozenset[str]
    subordinate: PhraseTable[bool]
    not_subordinate_after: frozenset[str]
    gap_words: frozenset[str]
    stop_words: frozenset[str]
    generic_victims: frozenset[str]  # lemmas
    not_victims: frozenset[str]
    subject_verbs: frozenset[str]
    triggers: frozenset[str]


@cache
def fatality_vocabulary() -> FatalityVocabulary:
    """The fatality vocabulary, loaded and normalised once per process."""
    data = load_yaml("fatalities_ar.yaml")
    cues_before = PhraseTable((k, str(v)) for k, v in data["cues_before"].items())
    nouns_after = PhraseTable((k, str(v)) for k, v in data["nouns_after"].items())
    counted = {" ".join(norm_set([k])): int(v) for k, v in data["counted_nouns"].items()}
    verbs_after = PhraseTable((k, True) for k in data["verbs_after"])
    self_counted = PhraseTable((k, int(v)) for k, v in data["self_counted"].items())
    toll_nouns = norm_set(data["toll_nouns"])
    subject_verbs = norm_set(data["subject_verbs"])
    return FatalityVocabulary(
        cues_before=cues_before, nouns_after=nouns_after, counted_nouns=counted,
        verbs_after=verbs_after, self_counted=self_counted, injury=norm_set(data["injury"]),
        total_cues=norm_set(data["total_cues"]), toll_nouns=toll_nouns,
        subset_before=PhraseTable((k, True) for k in data["subset_before"]),
        subset_after=norm_set(data["subset_after"]),
        period_cues=PhraseTable((k, True) for k in data["period_cues"]),
        coordinators=PhraseTable((k, True) for k in data["coordinators"]),
        others=norm_set(data["others"]),
        blockers=norm_set(data["blockers"]),
        subordinate=PhraseTable((k, True) for k in data["subordinate"]),
        not_subordinate_after=norm_set(data["not_subordinate_after"]),
        gap_words=norm_set(data["gap_words"]),
        stop_words=norm_set(data["stop_words"]),
        generic_victims=frozenset(victim_lemma(w) for w in norm_set(data["generic_victims"])),
        not_victims=norm_set(data["not_victims"]),
        subject_verbs=subject_verbs,
        triggers=(cues_before.triggers | nouns_after.triggers | with_proclitics(counted)
                  | verbs_after.triggers | self_counted.triggers | with_proclitics(toll_nouns)
                  | with_proclitics(subject_verbs)))


def victim_lemma(word: str) -> str:
    """A rough lemma of a counted noun, to tell victim groups apart: article, accusative alef
    and sound-plural endings removed («المدنيين» → «مدني», «جنديا» → «جندي», «مسلحون» → «مسلح»)."""
    if word.startswith("ال") and len(word) > 4:
        word = word[2:]
    for ending in ("يين", "يون"):
        if word.endswith(ending) and len(word) > 4:
            return word[:-2]
    for ending in ("ين", "ون", "ان", "ا"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[:-len(ending)]
    return word


class _FatalityReader:
    """Finds death figures in the tokens of one text, given its number mentions."""

    def __init__(self, view: TokenView, numbers: Sequence[NumberMention],
                 sentences: Sequence[Sentence]) -> None:
        self.view = view
        self.vocab = fatality_vocabulary()
        self.sentences = sentences
        # Number mentions keyed by their first and last token.
        self.number_at: dict[int, tuple[NumberMention, int]] = {}
        self.number_ending: dict[int, int] = {}
        for mention in numbers:
            first = view.index_at(mention.start)
            last = view.index_at(mention.end - 1)
            if first < view.n and last < view.n:
                self.number_at[first] = (mention, last + 1)
                self.number_ending[last + 1] = first
        self.claimed: set[int] = set()  # first tokens of numbers already read as figures
        self.number_tokens = sorted(self.number_at)
        self.verbs: list[int] = []  # tokens that may start a death verb («قتلوا»), in order
        self._toll_cues: list[tuple[int, int]] | None = None  # see `_toll`
        self._period_cues: list[int] | None = None  # see `_period`
        self._clause_of: list[int] = []  # per token: clause breaks up to it (see `_period`)
        self._openers: list[int] = []  # per token: subordinate openers up to it

    # --- helpers ----------------------------------------------------------------------------

    def _breaks(self, i: int) -> bool:
        """Whether a clause break stands between token `i - 1` and token `i`."""
        view = self.view
        if i <= 0 or i >= view.n:
            return True
        gap = view.text[view.tokens[i - 1].end:view.tokens[i].start]
        return any(ch in _CLAUSE_BREAKS for ch in gap)

    def _is_injury(self, i: int, conjunct: bool = True) -> bool:
        """Whether token `i` is an injury word; with `conjunct` False, one joined by و
        («وإصابة 11») does not count: it starts a new conjunct rather than naming a figure."""
        form = self.view.form(i)
        if form.startswith("ال"):
            form = form[2:]
        offset = strip_proclitic(form, self.vocab.injury)[1]
        return offset >= 0 and (conjunct or not (offset == 1 and form[0] == "و"))

    def _measure(self, i: int) -> bool:
        """Whether the word at token `i`, after a number, makes it a measure («49 عاماً»)."""
        return self.view.form(i) in self.vocab.not_victims and not self._breaks(i)

    def _blocked(self, i: int) -> bool:
        """A negation, attempt, threat or sentence within four tokens before token `i`."""
        for k in range(max(0, i - 4), i):
            if strip_proclitic(self.view.form(k), self.vocab.blockers)[1] >= 0 and \
                    not any(self._breaks(m) for m in range(k + 1, i + 1)):
                return True
        return False

    def _sentence(self, pos: int) -> int:
        """Index of the sentence holding `pos` (-1 if none); sentences are in text order."""
        index = bisect_right(self.sentences, pos, key=_sentence_start) - 1
        return index if index >= 0 and pos < self.sentences[index].end else -1

    def _toll(self, i: int) -> int:
        """The total cue in the clause before token `i` that makes a figure there a toll
        («ارتفعت حصيلة القتلى إلى»): the last one from the last clause break up to `i`; -1
        when there is none."""
        if self._toll_cues is None:
            # Per token k: the first token of its clause, and the last total cue at or before
            # k (-1: none), listed once, so that a long clause is not scanned for every figure.
            vocab, cues = self.vocab, []
            clause, cue = 0, -1
            for k in range(self.view.n):
                if self._breaks(k):
                    clause = k
                if strip_proclitic(self.view.form(k), vocab.total_cues)[1] >= 0:
                    cue = k
                cues.append((clause, cue))
            self._toll_cues = cues
        if self._breaks(i):  # also before the first token and after the last
            return -1
        clause, cue = self._toll_cues[i - 1]
        return cue if cue >= clause else -1

    def _period(self, i: int) -> bool:
        """Whether the figure at token `i` is a total over a period («منذ اندلاع الصراع»,
        «حصيلة إجمالية»): a period cue in its clause with no circumstantial or relative phrase
        opening between them («قتل العشرات فيما تشن الطائرات غارات منذ بدء الهجوم» is no
        total), or a cue opening its sentence («ومنذ اندلاع جولة العنف في 20 تموز، قتل 13»)."""
        view = self.view
        if self._period_cues is None:
            table, subordinate = self.vocab.period_cues, self.vocab.subordinate
            self._period_cues = [k for k in range(view.n)
                                 if view.forms[k] in table.triggers
                                 and table.match(view, k) is not None]
            if self._period_cues:
                self._clause_of = list(accumulate(int(self._breaks(k)) for k in range(view.n)))
                self._openers = list(accumulate(
                    int(view.forms[k] in subordinate.triggers
                        and view.form(k - 1) not in self.vocab.not_subordinate_after
                        and subordinate.match(view, k) is not None) for k in range(view.n)))
        if not self._period_cues or not 0 <= i < view.n:
            return False
        sentence = self._sentence(view.tokens[i].start)
        for k in self._period_cues:
            low, high = min(i, k), max(i, k)
            if self._clause_of[k] == self._clause_of[i] and \
                    self._openers[high - 1] == self._openers[low]:
                return True
            if sentence >= 0 and self._sentence(view.tokens[k].start) == sentence and \
                    k - view.index_at(self.sentences[sentence].start) < _SENTENCE_OPENING:
                return True
        return False

    def _counted_noun(self, i: int) -> tuple[str, int]:
        """(lemma, end token) of the noun counted at token `i` («5 من عناصر داعش» → عناصر);
        lemma "" for a generic noun («أشخاص»), end `i` when no noun is there."""
        view, vocab = self.view, self.vocab
        j = i + 1 if view.form(i) == "من" else i
        if self._breaks(i) or self._breaks(j) or j in self.number_at:
            return "", i
        form = view.form(j)
        if victim_lemma(form) in vocab.generic_victims:
            return "", j + 1
        if (not form or form in vocab.stop_words or form in vocab.gap_words or form[:1] == "و"
                or self._is_injury(j) or vocab.nouns_after.match(view, j) is not None
                or vocab.verbs_after.match(view, j) is not None):
            return "", i
        return victim_lemma(form), j + 1

    def _mention(self, value: int, start_tok: int, end_tok: int, offset: int, kind: str,
                 number: NumberMention | None, victims: str, role: str = "figure",
                 victims_tok: int | None = None) -> FatalityMention:
        """The figure from token `start_tok` to `end_tok`; the dead are named from `number`, or
        from token `victims_tok` (a counted noun), else from the start."""
        view = self.view
        start = view.tokens[start_tok].start + offset
        if number is not None:
            start = min(start, number.start)
        anchor = start
        if role == "figure":
            cue = self._toll(start_tok)
            if cue >= 0:
                role, anchor = "total", min(start, view.tokens[cue].start)
        if role in ("figure", "total") and self._period(start_tok):
            role = "aggregate"
        return FatalityMention(value, start, view.tokens[end_tok - 1].end, kind, role, victims,
                               number.approximate if number else False,
                               number.vague if number else False, self._sentence(start), anchor,
                               number.start if number is not None else
                               view.tokens[victims_tok].start if victims_tok is not None
                               else start)

    def _tail(self, end: int) -> int:
        """The end token after a figure, taking a trailing «على الأقل» along."""
        view = self.view
        if view.form(end) == "علي" and view.form(end + 1) == "الاقل" and not self._breaks(end) \
                and not self._breaks(end + 1):
            return end + 2
        return end

    # --- the patterns -----------------------------------------------------------------------

    def cue_before(self, i: int) -> FatalityMention | None:
        """A death word then its figure: «مقتل ستة جنود», «قتل منهم 15», «مقتل جنديين»."""
        view, vocab = self.view, self.vocab
        cue = vocab.cues_before.match(view, i)
        if cue is None or self._blocked(i):
            return None
        j = cue.end
        if j < view.n and view.form(j)[:1] == "و" and not self._breaks(j) and \
                strip_proclitic(view.form(j), vocab.injury)[1] == 1:
            return None  # «قتل وجرح 20»: killed and wounded together
        named = False
        for k in range(j, min(j + _MAX_GAP + 1, view.n)):
            if self._breaks(k):
                return None
            if k in self.number_at and k not in self.claimed:
                return self._figure_after_cue(i, cue.offset, cue.payload, k, named)
            form = view.form(k)
            if self._is_injury(k) or form == "اي":
                return None  # «مقتل أي شخص»: nobody in particular
            count = casualty_noun_count(form)
            if count is None:
                count = vocab.counted_nouns.get(form)
            if count is not None and not self._object_follows(k + 1):
                lemma = victim_lemma(form)
                end = k + 1
                if end in self.number_at and end not in self.claimed and \
                        self.number_at[end][0].value == count and not self._breaks(end):
                    # «مقتل شخص واحد على الأقل», «جنديين اثنين»: the numeral restates the count
                    self.claimed.add(end)
                    end = self._tail(self.number_at[end][1])
                return self._mention(count, i, end, cue.offset, cue.payload, None,
                                     "" if lemma in vocab.generic_victims else lemma,
                                     victims_tok=k)
            if form in vocab.stop_words or form[:1] == "و":
                return None  # a new clause or conjunct: the cue has no figure of its own
            if form not in vocab.gap_words:
                named = True
        return None

    def _object_follows(self, k: int) -> bool:
        """A number right at token `k`: the noun before it is the killer, not the killed
        («قتل مسلح 5 جنود»)."""
        return k in self.number_at and not self._breaks(k) and self.view.form(k)[:1] != "و"

    def _figure_after_cue(self, cue_tok: int, offset: int, kind: str, k: int,
                          named: bool) -> FatalityMention | None:
        view, vocab = self.view, self.vocab
        number, end = self.number_at[k]
        noun = vocab.nouns_after.match(view, end, proclitic=False)
        if self._is_injury(end, conjunct=False) or self._measure(end):
            return None  # «5 جرحى», «قتل منذ 3 سنوات»
        self.claimed.add(k)
        value = number.value
        victims, tail = self._counted_noun(end)
        if noun is not None and not self._breaks(end):
            tail, kind = noun.end, noun.payload if noun.payload == "bodies" else kind
        if view.form(k).startswith("و") and named and view.form(tail) in vocab.others:
            value += 1  # «قتل أبو قتادة و21 مسلحاً آخرين»
            tail += 1
        return self._mention(value, cue_tok, self._tail(tail), offset, kind, number, victims)

    def noun_after(self, k: int) -> FatalityMention | None:
        """A figure then a death noun: «20 قتيلاً», «28 قتيلاً و66 جريحاً», «15 جثة»."""
        view, vocab = self.view, self.vocab
        number, end = self.number_at[k]
        if self._breaks(end):
            return None
        noun = vocab.nouns_after.match(view, end, proclitic=False)
        if noun is None:
            return None
        after = view.form(noun.end)
        if after[:1] == "و" and not self._breaks(noun.end) and \
                strip_proclitic(after, vocab.injury)[1] == 1:
            return None  # «20 قتيلاً وجريحاً»
        if self._blocked(k):
            return None
        self.claimed.add(k)
        victims, tail = "", noun.end
        if view.form(noun.end) == "من":
            victims, tail = self._counted_noun(noun.end)
            tail = max(tail, noun.end)
        return self._mention(number.value, k, self._tail(tail), 0, noun.payload, number,
                             victims)

    def toll(self, i: int) -> FatalityMention | None:
        """«عدد القتلى إلى 7», «حصيلة الضحايا 12»: a toll noun, then its figure; after «بين»
        («وكان بين القتلى 3 جنود») the figure is part of the dead, a subset."""
        view, vocab = self.view, self.vocab
        if strip_proclitic(view.form(i), vocab.toll_nouns)[1] < 0:
            return None
        role = "subset" if strip_proclitic(view.form(i - 1), _AMONG)[1] >= 0 and \
            not self._breaks(i) else "total"
        nxt = view.form(i + 1)
        if nxt[:1] == "و" and strip_proclitic(nxt, vocab.injury)[1] == 1:
            return None  # «عدد القتلى والجرحى»
        for k in range(i + 1, min(i + 1 + _MAX_GAP, view.n)):
            if self._breaks(k):
                return None
            if k in self.number_at and k not in self.claimed:
                number, end = self.number_at[k]
                if self._is_injury(end, conjunct=False):
                    return None
                self.claimed.add(k)
                noun = vocab.nouns_after.match(view, end, proclitic=False)
                if noun is not None and not self._breaks(end):
                    end = noun.end
                return self._mention(number.value, i, self._tail(end), 0, "killed", number, "",
                                     role=role)
            if self._is_injury(k):
                return None
        return None

    def subject_before_verb(self, k: int) -> FatalityMention | None:
        """A figure that is the subject of a later death verb: «ستة مقاتلين … قتلوا», «57
        مدنياً بينهم 12 طفلاً وست نساء قتلوا» (figures of a «بينهم» part may stand between)."""
        view, vocab = self.view, self.vocab
        number, end = self.number_at[k]
        nearest = bisect_left(self.verbs, end)
        if nearest == len(self.verbs) or self.verbs[nearest] >= end + _MAX_SUBJECT_GAP:
            return None
        if self._is_injury(end, conjunct=False) or self._measure(end):
            return None
        in_part = False
        for j in range(end, min(end + _MAX_SUBJECT_GAP, view.n)):
            if self._breaks(j) or self._is_injury(j):
                return None
            if j in self.number_at:
                in_part = self._after_subset_cue(j) or (in_part and view.form(j)[:1] == "و")
                if not in_part:
                    return None
                continue
            verb = vocab.verbs_after.match(view, j)
            if verb is not None:
                if verb.end in self.number_at and not self._breaks(verb.end):
                    return None  # «هاجم 50 مسلحاً القرية وقتلوا 3»: the verb has its own object
                self.claimed.add(k)
                return self._mention(number.value, k, verb.end, 0, "killed", number,
                                     self._counted_noun(end)[0])
        return None

    def self_counted(self, i: int) -> FatalityMention | None:
        """«ما أدى إلى مقتله» 1, «لقيا حتفهما» 2, «سقوط قتيل» 1, «قتيلان» 2."""
        view, vocab = self.view, self.vocab
        found = vocab.self_counted.match(view, i)
        if found is not None:
            if self._blocked(i):
                return None
            return self._mention(found.payload, i, found.end, found.offset, "killed", None, "")
        word, offset = strip_proclitic(view.form(i), vocab.counted_nouns)
        if offset < 0 or (i in self.number_ending and not self._breaks(i)):
            return None
        if self._blocked(i) or self._is_injury(i + 1) or (
                view.form(i + 1)[:1] == "و" and self._is_injury(i + 1)):
            return None
        kind = "bodies" if word.startswith("جث") else "killed"
        return self._mention(vocab.counted_nouns[word], i, i + 1, offset, kind, None, "")

    def subject_noun(self, i: int) -> FatalityMention | None:
        """A singular or dual casualty noun, indefinite, right before a death verb: «إن رجلاً
        قُتل جراء القصف» 1, «جنديان قتلا» 2."""
        view = self.view
        if strip_proclitic(view.form(i), self.vocab.subject_verbs)[1] < 0 or self._breaks(i):
            return None
        noun = view.form(i - 1)
        count = casualty_noun_count(noun)
        if count is None or noun.startswith("ال") or self._blocked(i - 1) or \
                (i - 1) in self.number_ending or (i + 1) in self.number_at:
            return None
        return self._mention(count, i - 1, i + 1, 0, "killed", None, "")

    def _after_subset_cue(self, k: int) -> bool:
        """Whether «بينهم», «منهم», «من بينهم» … stands right before token `k`."""
        for back in (1, 2):
            cue = self.vocab.subset_before.match(self.view, k - back)
            if cue is not None and cue.end == k:
                return True
        return False

    def subset(self, k: int, previous: FatalityMention | None) -> FatalityMention | None:
        """«بينهم 5 مدنيين», «ثلاثة منهم» after a death figure of the same sentence."""
        view, vocab = self.view, self.vocab
        if previous is None:
            return None
        # The last number before `k` (numbers' tokens start in text order).
        before_k = bisect_left(self.number_tokens, k)
        if before_k and previous.end <= self.view.tokens[self.number_tokens[before_k - 1]].start:
            return None  # another figure (an injury count) stands between
        number, end = self.number_at[k]
        before = self._after_subset_cue(k)
        after = view.form(end) in vocab.subset_after and not self._breaks(end)
        if not (before or after):
            return None
        if previous.sentence != self._sentence(number.start):
            return None
        self.claimed.add(k)
        victims, tail = ("", end + 1) if after else self._counted_noun(end)
        return self._mention(number.value, k, tail, 0, previous.kind, number, victims,
                             role="aggregate" if previous.role == "aggregate" else "subset")

    def coordinated(self, previous: FatalityMention) -> FatalityMention | None:
        """A further figure joined to a death figure by و or an additive phrase, after at most
        a short complement of the first: «قتل 3 جنود و5 مدنيين», «مقتل 25 جهادياً من تنظيم
        النصرة وسبعة من المقاتلين», «استشهاد عشرة من منسوبي القوات إضافة إلى ثلاثة»."""
        view = self.view
        k = self._past_complement(view.index_at(previous.end))
        offset = 1
        joined = self.vocab.coordinators.match(view, k)
        if joined is not None and not self._breaks(joined.end):
            k, offset = joined.end, 0
        elif not view.form(k).startswith("و"):
            return None
        if k >= view.n or k not in self.number_at or k in self.claimed or self._breaks(k):
            return None
        number, end = self.number_at[k]
        if self._is_injury(end, conjunct=False) or \
                self.vocab.nouns_after.match(view, end, proclitic=False) is not None:
            return None  # an injury figure, or its own «N قتيلاً» read by `noun_after`
        self.claimed.add(k)
        victims, tail = self._counted_noun(end)
        return self._mention(number.value, k, self._tail(tail), offset, previous.kind, number,
                             victims, role=previous.role)

    def _past_complement(self, k: int) -> int:
        """The token after the short complement of a counted noun that starts at token `k`
        («من تنظيم النصرة», «القوات»): up to three words with no break, number, injury word,
        stop word or new conjunct among them; `k` itself when none is there."""
        view, vocab = self.view, self.vocab
        for j in range(k, min(k + _MAX_COMPLEMENT + 1, view.n)):
            form = view.form(j)
            if (self._breaks(j) or j in self.number_at or form[:1] == "و"
                    or form in vocab.stop_words or self._is_injury(j)
                    or vocab.coordinators.match(view, j) is not None):
                return j
        return k


def find_fatalities_in(text: str, start: int = 0, end: int | None = None, *,
                       tokens: Sequence[Token] | None = None,
                       numbers: Sequence[NumberMention] | None = None) -> list[FatalityMention]:
    """Death figures in `text[start:end]` (normalised text), in text order.

    `numbers` are the number mentions of `text` (found here, with dates left out, when not
    given); `tokens` its tokens.
    """
    view = TokenView(text, tokens)
    if numbers is None:
        dates = find_dates_in(text, None, view.tokens)
        numbers = find_numbers_in(text, view.tokens, [(d.start, d.end) for d in dates])
    return _find(view, numbers, segment(text, list(view.tokens)), start, end)


def _find(view: TokenView, numbers: Sequence[NumberMention], sentences: Sequence[Sentence],
          start: int, end: int | None) -> list[FatalityMention]:
    stop = len(view.text) if end is None else end
    numbers = [m for m in numbers if start <= m.start and m.end <= stop]
    reader = _FatalityReader(view, numbers, sentences)
    first, last = view.index_at(start), view.index_at(max(stop - 1, start))
    if last < view.n and view.tokens[last].start < stop:
        last += 1
    found: list[FatalityMention] = []
    triggers = reader.vocab.triggers
    verb_starts = reader.vocab.verbs_after.triggers
    for i in range(first, min(last, view.n)):
        if view.forms[i] in triggers:
            if view.forms[i] in verb_starts:
                reader.verbs.append(i)
            for read in (reader.cue_before, reader.toll, reader.self_counted,
                         reader.subject_noun):
                mention = read(i)
                while mention is not None:
                    found.append(mention)
                    mention = reader.coordinated(mention)
                if found and found[-1].start >= view.tokens[i].start:
                    break
    # (start, position in `found`) of every figure found, kept sorted: the latest figure before
    # a number is a bisect away, however many the sentence holds.
    starts = sorted((m.start, n) for n, m in enumerate(found))
    for k in reader.number_tokens:
        if k in reader.claimed or not first <= k < last:
            continue
        below = bisect_left(starts, (view.tokens[k].start,))
        previous = None
        if below:  # the latest start before the number; of equal starts, the first found
            previous = found[starts[bisect_left(starts, (starts[below - 1][0],))][1]]
        mention = (reader.noun_after(k) or reader.subset(k, previous)
                   or reader.subject_before_verb(k))
        while mention is not None:
            insort(starts, (mention.start, len(found)))
            found.append(mention)
            mention = reader.coordinated(mention)
    return sorted(_distinct(found), key=lambda m: m.start)


def _distinct(found: list[FatalityMention]) -> list[FatalityMention]:
    """Drop a figure whose span lies inside another's (a self-counted word inside a figure);
    subsets inside their figure («57 مدنياً بينهم 12 طفلاً … قتلوا») stay."""
    # A longer span holds m's when it starts at or before m and ends after it, or starts before
    # m and ends where it does: the largest end among the spans that start by a point answers.
    spans = sorted((m.start, m.end) for m in found)
    begins = [s for s, _ in spans]
    reach = list(accumulate((e for _, e in spans), max))

    def held(m: FatalityMention) -> bool:
        upto = bisect_right(begins, m.start)  # spans starting at or before m
        before = bisect_left(begins, m.start)  # spans starting before m
        return reach[upto - 1] > m.end or (before > 0 and reach[before - 1] >= m.end)

    return [m for m in found if m.role == "subset" or not held(m)]


def find_fatalities(doc: Doc, start: int = 0, end: int | None = None) -> list[FatalityMention]:
    """Death figures in `doc.text[start:end]` (normalised offsets), using the document's tokens,
    sentences and number mentions (found here if the number stage has not run: run it first
    when calling this once per event sentence)."""
    stop = len(doc.text) if end is None else end
    first = doc.token_index(start)
    last = bisect_left(doc.tokens, stop, key=_token_start)
    view = TokenView(doc.text, doc.tokens[first:last])
    numbers: Sequence[NumberMention] = doc.numbers
    if not numbers:
        dates = doc.dates or find_dates_in(doc.text, doc.published, doc.tokens)
        numbers = find_numbers_in(doc.text, doc.tokens, [(d.start, d.end) for d in dates])
    # The numbers are in text order: only those that start in the span can lie in it.
    numbers = numbers[bisect_left(numbers, start, key=_number_start):
                      bisect_left(numbers, stop, key=_number_start)]
    return _find(view, numbers, doc.sentences, start, end)


def event_fatalities(mentions: Sequence[FatalityMention]) -> tuple[int, tuple[int, int]] | None:
    """The fatalities of one event from the death figures tied to it, and the normalised span
    of the figure(s) the value comes from; None when there is none.  The rule is in the module
    docstring: tolls win, subsets never add, one sentence sums, sentences sum only distinct named
    victims."""
    mentions = [m for m in mentions if m.role != "aggregate"]
    if not mentions:
        return None
    figures = [m for m in mentions if m.role != "subset"] or list(mentions)
    tolls = [m for m in figures if m.role == "total"]
    if tolls:
        best = max(tolls, key=lambda m: (m.value, -m.start))
        return best.value, (best.start, best.end)
    by_sentence: dict[int, list[FatalityMention]] = {}
    for m in figures:
        by_sentence.setdefault(m.sentence, []).append(m)
    groups = [(_sentence_sum(group), group) for group in by_sentence.values()]
    victims = [{m.victims for m in group} for _, group in groups]
    distinct = all("" not in v for v in victims) and \
        sum(len(v) for v in victims) == len(set().union(*victims))
    if len(groups) > 1 and distinct:
        total = sum(value for value, _ in groups)
        return total, _cover(figures)
    value, group = max(groups, key=lambda g: (g[0], -g[1][0].start))
    return value, _cover(group)


def _sentence_sum(group: Sequence[FatalityMention]) -> int:
    """The dead of one sentence: its figures summed, except that figures naming the same victims
    («مسلح») count once, with the largest (a restatement within the sentence)."""
    by_victims: dict[str, int] = {}
    total = 0
    for m in group:
        if m.victims:
            by_victims[m.victims] = max(by_victims.get(m.victims, 0), m.value)
        else:
            total += m.value
    return total + sum(by_victims.values())


def _cover(mentions: Sequence[FatalityMention]) -> tuple[int, int]:
    """The span of the mentions: all of them within one sentence, else the largest one."""
    if len({m.sentence for m in mentions}) == 1:
        return min(m.start for m in mentions), max(m.end for m in mentions)
    largest = max(mentions, key=lambda m: m.value)
    return largest.start, largest.end


def toll_owners(text: str, tokens: Sequence[Token], mentions: Sequence[FatalityMention],
                triggers: Sequence[Sequence[tuple[int, int]]]) -> list[list[FatalityMention]]:
    """The death figures of one sentence shared among its events: `triggers` holds the
    (start, end) spans of each event's trigger words, `tokens` are the sentence's; the answer
    lists each event's figures, in the order of `triggers`.

    A figure belongs to the event its governing words are nearest (its toll cue, «ارتفعت حصيلة
    تحطم طائرة … إلى 37 قتيلاً», or the figure itself), before it («غارات … أسفرت عن مقتل») or
    after it («قتل 47 متمرداً في معارك»); but an event told in a circumstantial or relative
    phrase that does not hold the figure («… الاشتباكات، وسط استمرار القصف المتبادل، ما أدى
    لمقتل عنصر», «مدينة أريحا التي تسيطر عليها الفصائل») does not govern it.  A figure that no
    event of the sentence governs («قُتل العشرات فيما تشن الطائرات غارات») is none of theirs.
    """
    owners: list[list[FatalityMention]] = [[] for _ in triggers]
    if not triggers or not mentions:
        return owners
    phrases = _subordinate_phrases(TokenView(text, tokens))
    starts = [a for a, _ in phrases]
    edges = [(sorted(s for s, _ in spans), sorted(e for _, e in spans)) for spans in triggers]
    # The phrase holding all of an event's trigger words, if one does: the latest-starting one
    # that starts before them (every phrase of a clause ends at the clause's end, and those of
    # earlier clauses end earlier still).
    holding: list[tuple[int, int] | None] = []
    for first, last in edges:
        k = bisect_right(starts, first[0]) - 1
        holding.append(phrases[k] if k >= 0 and last[-1] <= phrases[k][1] else None)
    for m in mentions:
        anchor = _anchor(m)
        eligible = [i for i, phrase in enumerate(holding)
                    if phrase is None or phrase[0] <= anchor < phrase[1]]
        if not eligible:
            continue  # the sentence's governing event is not one of these
        best = min(eligible, key=lambda i: (min(_nearest_gap(edges[i][0], m.end),
                                                _nearest_gap(edges[i][1], m.start),
                                                _nearest_gap(edges[i][1], anchor)), i))
        owners[best].append(m)
    return owners


def _anchor(m: FatalityMention) -> int:
    return m.anchor if m.anchor >= 0 else m.start


def _nearest_gap(ordered: list[int], pos: int) -> int:
    """The least |x - pos| over the sorted, non-empty list `ordered`."""
    k = bisect_left(ordered, pos)
    return min(abs(ordered[j] - pos) for j in (k - 1, k) if 0 <= j < len(ordered))


def _subordinate_phrases(view: TokenView) -> list[tuple[int, int]]:
    """(start, end) of every circumstantial or relative phrase of a sentence: from its opening
    word («وسط», «فيما», «التي») to the next clause break or the sentence's end.  «في وسط
    المدينة» is a place, not a circumstance: an opening word after `not_subordinate_after`
    opens nothing."""
    vocab = fatality_vocabulary()
    phrases: list[tuple[int, int]] = []
    clause_end = len(view.text)  # where the clause of token i ends, walking backwards
    for i in range(view.n - 1, -1, -1):
        if i + 1 < view.n and any(ch in _CLAUSE_BREAKS for ch in view.gap(i + 1)):
            clause_end = view.tokens[i].end
        if view.forms[i] in vocab.subordinate.triggers and \
                view.form(i - 1) not in vocab.not_subordinate_after and \
                vocab.subordinate.match(view, i) is not None:
            phrases.append((view.tokens[i].start, clause_end))
    return phrases[::-1]
