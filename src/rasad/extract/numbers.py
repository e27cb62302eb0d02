"""Numbers in Arabic news text: digits, number words, vague quantities and their qualifiers.

`find_numbers(doc)` (or the pure `find_numbers_in(text)`) returns a `NumberMention` for every count
in the normalised text: digits («12», «1,200», «1.5 مليون», «12 ألفاً» → 12000), number words in all
their gender and case forms («خمسة وعشرين» → 25, «ثلاثمائة», «ألفين», «أحد عشر»), vague quantities
with the conservative figure ACLED codes («عشرات» 10, «مئات» 100, «آلاف» 1000, «عشرات الآلاف»
10,000; «بضعة/عدة/عدد من» 3), with the qualifier phrase in the span («نحو 20», «أكثر من 12»,
«ما لا يقل عن 5», «20 على الأقل») and ranges («بين 10 و15», «10 إلى 15»).  `value` is always the
lower, conservative figure: "more than 12" and "about 12" are 12, a range is its lower figure,
"fewer than 10" is 1 (the least that still reports something; `upper` keeps 9).

Not counts, so left out: ordinals («الثالث»; «عشر» in «الحادي عشر»), decimals without a scale word
(«5.9»), percentages, clock times, numbers that name a thing («القرار 2216», «الفرقة 30»,
«الساعة 10»), and numbers inside date mentions (`find_numbers(doc)` skips `doc.dates`).
`casualty_noun_count` reads the count a singular or dual casualty noun carries by itself
(«جنديين» 2, «شخص» 1), which the fatality finder uses.  Vocabulary: `data/numbers_ar.yaml`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from rasad.doc import Doc, NumberMention
from rasad.extract.wordforms import (
    DIGITS,
    PhraseMatch,
    PhraseTable,
    TokenView,
    load_yaml,
    norm_set,
    strip_proclitic,
    words_of,
)
from rasad.text.clitics import with_proclitics
from rasad.text.intervals import SpanIndex
from rasad.text.normalize import normalize_form
from rasad.text.segment import Token

_MAX_DIGITS = 9  # longer digit strings are ids and phone numbers
# «أحدهم»، «إحداهن» …: "one of them", a count of 1.
_ONE_OF_THEM = frozenset(stem + pronoun for stem in ("احد", "احدا", "احدي")
                         for pronoun in ("هم", "هما", "هن", "ها", "ه"))


@dataclass(frozen=True, slots=True)
class _Scale:
    multiplier: int
    alone: int
    vague: bool


@dataclass(frozen=True, slots=True)
class NumberVocabulary:
    """The number words of `numbers_ar.yaml`, normalised."""

    words: dict[str, int]  # units, tens, hundreds (and article forms «الثلاثة»)
    units: dict[str, int]
    tens: frozenset[str]
    hundreds: frozenset[str]
    teen_heads: dict[str, int]
    teen_tails: frozenset[str]
    one_of: frozenset[str]
    scales: dict[str, _Scale]
    vague: PhraseTable[int]
    qualifiers_before: PhraseTable[str]
    qualifiers_after: PhraseTable[str]
    range_starts: PhraseTable[bool]
    range_links: frozenset[str]
    labels: frozenset[str]
    percent: PhraseTable[bool]
    ordinals: frozenset[str]
    not_numbers: frozenset[str]
    casualty_singular: frozenset[str]
    casualty_dual: frozenset[str]
    triggers: frozenset[str]
    lead_last_words: frozenset[str]  # last words of qualifiers and range starts


def _int_map(raw: dict[str, Any]) -> dict[str, int]:
    return {" ".join(words_of(k)): int(v) for k, v in raw.items()}


def _qualifier_table(raw: dict[str, list[str]]) -> PhraseTable[str]:
    return PhraseTable((phrase, name) for name, phrases in raw.items() for phrase in phrases)


@cache
def number_vocabulary() -> NumberVocabulary:
    """The number vocabulary, loaded and normalised once per process."""
    data = load_yaml("numbers_ar.yaml")
    units = _int_map(data["units"])
    tens = _int_map(data["tens"])
    hundreds = _int_map(data["hundreds"])
    words = {**units, **tens, **hundreds}
    for form, value in units.items():
        if form.endswith("ه") and value >= 3:
            words["ال" + form] = value  # «الجنود الثلاثة»
    scales = {" ".join(words_of(k)): _Scale(int(v["multiplier"]), int(v["alone"]),
                                             bool(v.get("vague", False)))
              for k, v in data["scales"].items()}
    singular: set[str] = set()
    dual: set[str] = set()
    for noun, duals in data["casualty_nouns"].items():
        singular.add(normalize_form(noun))
        dual.update(normalize_form(d) for d in duals)
    vague = PhraseTable((k, int(v)) for k, v in data["vague"].items())
    qualifiers_before = _qualifier_table(data["qualifiers_before"])
    range_starts = PhraseTable((k, True) for k in data["range_starts"])
    teen_heads = _int_map(data["teen_heads"])
    one_of = norm_set(data["one_of"])
    triggers = (with_proclitics(words) | with_proclitics(scales) | with_proclitics(teen_heads)
                | with_proclitics(one_of) | vague.triggers | with_proclitics(_ONE_OF_THEM))
    lead_last_words = frozenset(
        words_of(phrase)[-1] for phrase in [*data["range_starts"], *(
            p for phrases in data["qualifiers_before"].values() for p in phrases)])
    return NumberVocabulary(
        words=words, units=units, tens=frozenset(tens), hundreds=frozenset(hundreds),
        teen_heads=teen_heads, teen_tails=norm_set(data["teen_tails"]), one_of=one_of,
        scales=scales, vague=vague, qualifiers_before=qualifiers_before,
        qualifiers_after=_qualifier_table(data["qualifiers_after"]), range_starts=range_starts,
        range_links=norm_set(data["range_links"]) - {""}, labels=norm_set(data["label_nouns"]),
        percent=PhraseTable((k, True) for k in data["percent_words"]),
        ordinals=norm_set(data["ordinals"]), not_numbers=norm_set(data["not_numbers"]),
        casualty_singular=frozenset(singular),
        casualty_dual=frozenset(dual), triggers=triggers, lead_last_words=lead_last_words)


def casualty_noun_count(word: str) -> int | None:
    """The count a casualty noun carries without a number: 1 for a singular («شخص», «الجندي»,
    «قتيلا», «قيادياً»), 2 for an unambiguous dual («جنديين», «قتيلان»), None otherwise (a
    plural, or a -ين form that is also a sound plural such as «مدنيين»).  `word` is
    normalised."""
    vocab = number_vocabulary()
    for form in (word, word[2:] if word.startswith("ال") else ""):
        if form in vocab.casualty_dual:
            return 2
        if form in vocab.casualty_singular or (form.endswith("ا")
                                               and form[:-1] in vocab.casualty_singular):
            return 1  # «قيادياً»: the accusative of a listed singular
    return None


@dataclass(frozen=True, slots=True)
class Cardinal:
    """A number read at a token: token range (end exclusive), value, and how it was written."""

    first: int
    end: int
    value: int
    vague: bool = False
    words: bool = False  # written in words (only word numbers join with و: «خمسة وعشرون»)
    offset: int = 0  # proclitic characters before it in its first token («و15»)


class _NumberReader:
    """Reads cardinals, qualifiers and ranges at tokens of one text."""

    def __init__(self, view: TokenView) -> None:
        self.view = view
        self.vocab = number_vocabulary()

    # --- one number -------------------------------------------------------------------------

    def _digits(self, i: int, form: str, offset: int) -> Cardinal | None:
        """Digits at token `i` (after `offset` proclitic characters), with thousands groups."""
        view = self.view
        digits = form[offset:]
        if digits.startswith("ال"):
            digits, offset = digits[2:], offset + 2
        if not digits.isdigit() or len(digits) > _MAX_DIGITS:
            return None
        value = int(digits)
        j = i + 1
        # «1,200,000»: groups of exactly three digits after commas, with nothing between.
        while (len(digits) <= 3 and self._glued(j, ",") and len(view.form(j)) == 3
               and view.form(j).isdigit()):
            value = value * 1000 + int(view.form(j))
            j += 1
        if self._glued(j, ".") and view.form(j).isdigit():
            # A decimal is a count only with a scale word after it («1.5 مليون»).
            scale = self.vocab.scales.get(view.form(j + 1))
            if scale is None or not scale.multiplier or not view.joined(j + 1):
                return Cardinal(i, j + 1, -1)
            fraction = float(digits + "." + view.form(j))
            return Cardinal(i, j + 2, round(fraction * scale.multiplier), scale.vague,
                            offset=offset)
        return Cardinal(i, j, value, offset=offset)

    def _glued(self, j: int, separator: str) -> bool:
        """Whether token `j` follows token `j - 1` with exactly `separator` between them."""
        view = self.view
        return (0 < j < view.n
                and view.text[view.tokens[j - 1].end:view.tokens[j].start] == separator)

    def _word_group(self, i: int, word: str) -> tuple[int, int] | None:
        """(end, value) of a number below 1000 in words starting with `word` at token `i`."""
        vocab, view = self.vocab, self.view
        nxt = view.form(i + 1) if view.joined(i + 1) else ""
        if word in vocab.teen_heads and nxt in vocab.teen_tails:
            return i + 2, 10 + vocab.teen_heads[word]
        value = vocab.words.get(word)
        if value is None:
            return None
        if word in vocab.units and value < 10:
            if nxt in vocab.teen_tails:
                return i + 2, 10 + value
            if nxt in vocab.hundreds and vocab.words[nxt] == 100 and value >= 3:
                return i + 2, value * 100  # «ثلاث مائة»
        return i + 1, value

    def cardinal(self, i: int) -> Cardinal | None:
        """The number starting at token `i`, its first word possibly carrying a proclitic."""
        vocab, view = self.vocab, self.view
        form = view.form(i)
        if not form:
            return None
        if form[-1] in DIGITS:
            offset = 0
            if not form[0].isdigit():
                offset = 1 if form[0] in "وفبلك" else 2 if form[:2] in ("وب", "ول", "فب") else 0
            first = self._digits(i, form, offset)
            if first is None or first.value < 0:
                return first
            return self._scaled(first)
        if form in vocab.not_numbers:
            return None
        vague = vocab.vague.match(view, i)
        if vague is not None:
            return self._vague(vague.first, vague.end, vague.payload, vague.offset)
        word, offset = strip_proclitic(form, vocab.words)
        if offset < 0:
            word, offset = strip_proclitic(form, vocab.teen_heads)
        if offset >= 0:
            if view.joined(i) and strip_proclitic(view.form(i - 1), vocab.ordinals)[1] >= 0:
                return None  # «الحادي عشر»: an ordinal
            group = self._word_group(i, word)
            if group is not None:
                return self._words_from(i, group[0], group[1], offset)
        word, offset = strip_proclitic(form, vocab.one_of)
        if offset >= 0 and view.joined(i + 1) and view.form(i + 1).startswith("ال"):
            return Cardinal(i, i + 1, 1, words=True, offset=offset)  # «أحد الجنود»
        word, offset = strip_proclitic(form, vocab.scales)
        if offset >= 0:
            scale = vocab.scales[word]
            if scale.vague:
                return self._vague(i, i + 1, scale.alone, offset)
            return self._words_from(i, i + 1, 0, offset, total=scale.alone,
                                    last_scale=scale.multiplier or scale.alone // 2)
        if form in _ONE_OF_THEM:
            return Cardinal(i, i + 1, 1, words=True)  # «أحدهم» one of them
        return None

    def _vague(self, i: int, end: int, value: int, offset: int) -> Cardinal:
        """«عشرات» 10, «عشرات الآلاف» 10,000, «بضعة آلاف» 3,000."""
        view = self.view
        scale = self.vocab.scales.get(view.form(end)) if view.joined(end) else None
        if scale is not None and view.form(end) != "الف":
            return Cardinal(i, end + 1, value * (scale.multiplier or scale.alone), True, True,
                            offset)
        return Cardinal(i, end, value, True, True, offset)

    def _scaled(self, part: Cardinal) -> Cardinal:
        """A number followed by a scale word: «12 ألفاً», «3 ملايين», «خمسة آلاف»."""
        view = self.view
        scale = self.vocab.scales.get(view.form(part.end)) if view.joined(part.end) else None
        if scale is None or not scale.multiplier or part.value == 0:
            return part
        # «240 ألفاً و381»: what follows the scale with و adds to it.
        more = self._words_from(part.first, part.end + 1, 0, part.offset,
                                total=part.value * scale.multiplier, last_scale=scale.multiplier)
        return Cardinal(part.first, more.end, more.value, part.vague, part.words, part.offset)

    def _words_from(self, i: int, end: int, group: int, offset: int,
                    total: int = 0, last_scale: int = 0) -> Cardinal:
        """A number in words from token `i`: groups below a thousand joined by و, each perhaps
        multiplied by a scale word («خمسة وعشرون ألفاً», «ألف وخمسمائة وعشرون», «مليون ومائتا
        ألف»).  `group` is the value read so far below the scales, `end` the token after it;
        `total` what earlier scales gave and `last_scale` the smallest of them."""
        vocab, view = self.vocab, self.view
        last = group
        while end < view.n and view.joined(end):
            form = view.form(end)
            scale = vocab.scales.get(form)
            if scale is not None and scale.multiplier and group and (
                    not last_scale or scale.multiplier < last_scale):
                total += group * scale.multiplier
                last_scale, group, end = scale.multiplier, 0, end + 1
                continue
            if not form.startswith("و") or len(form) < 2:
                break
            if form[1:].isdigit():  # «ألف و500», «مليون و200 ألف»: digits below the scale
                value = int(form[1:]) if len(form) <= 4 else last_scale
                nxt = vocab.scales.get(view.form(end + 1)) if view.joined(end + 1) else None
                if nxt is not None and nxt.multiplier:
                    value *= nxt.multiplier  # «12 ألفاً و3 آلاف» is two figures: no join
                if group == 0 and total > 0 and value < last_scale:
                    total, end = total + value, end + (2 if nxt and nxt.multiplier else 1)
                    if nxt is not None and nxt.multiplier:
                        last_scale = nxt.multiplier
                        continue
                break
            if len(form) < 3:
                break
            read = self._word_group(end, form[1:])
            if read is None:
                break
            value = read[1]
            after_scale = group == 0 and total > 0 and value < last_scale
            unit_then_ten = 0 < last < 10 and group and form[1:] in vocab.tens
            after_hundreds = group and last >= 100 and value < 100
            if not (after_scale or unit_then_ten or after_hundreds):
                break
            group += value
            last, end = value, read[0]
        return Cardinal(i, end, total + group, words=True, offset=offset)

    # --- context: qualifiers, ranges, exclusions --------------------------------------------

    def is_count(self, number: Cardinal) -> bool:
        """Whether a number read at a token counts something (not a label, percentage, time)."""
        vocab, view = self.vocab, self.view
        i, end = number.first, number.end
        if number.value < 0 or any(c.isascii() and c.isalpha() for c in view.form(i)):
            return False
        if not number.words and number.offset == 0:
            before = view.form(i - 1)
            if view.joined(i) and (before in vocab.labels
                                   or strip_proclitic(before, vocab.labels)[1] >= 0):
                return False
            if view.gap(i) == ":" or (end < view.n and view.gap(end) == ":"
                                      and view.form(end).isdigit()):
                return False  # a clock time «10:30»
        after = view.text[view.tokens[end - 1].end:view.tokens[end].start] if end < view.n \
            else view.text[view.tokens[end - 1].end:]
        if after.lstrip().startswith("%"):
            return False
        return self.vocab.percent.match(view, end, proclitic=False) is None

    def _before(self, table: PhraseTable[Any], i: int, earliest: int) -> PhraseMatch[Any] | None:
        """The phrase of `table` that ends right before token `i` (starting at `earliest` or
        later): a qualifier or range start before a number."""
        view = self.view
        if view.form(i - 1) not in self.vocab.lead_last_words or not view.joined(i):
            return None
        for back in range(min(4, i - earliest), 0, -1):
            found = table.match(view, i - back)
            if found is not None and found.end == i:
                return found
        return None

    def mention(self, i: int, earliest: int = 0) -> tuple[NumberMention | None, int]:
        """The number mention whose number starts at token `i`, with a qualifier or range start
        before it that starts at token `earliest` or later; also the token after it.  (None,
        token after what was read) when no count starts there."""
        vocab, view = self.vocab, self.view
        qualifier, start_tok, offset = "", i, 0
        q = self._before(vocab.qualifiers_before, i, earliest)
        if q is not None:
            qualifier, start_tok, offset = q.payload, q.first, q.offset
        in_range = False
        if not qualifier:
            r = self._before(vocab.range_starts, i, earliest)
            if r is not None:
                in_range, start_tok, offset = True, r.first, r.offset
        number = self.cardinal(i)
        if number is None:
            return None, i + 1
        if not self.is_count(number):
            return None, number.end  # a decimal, label, time or percentage: skip all of it
        end = number.end
        value, upper = number.value, None
        second = self._range_end(number, in_range)
        if second is not None:
            upper, end = second.value, second.end
            qualifier = "range"
        elif not qualifier:  # a range start with no second figure («من 5 أشخاص») is no range
            start_tok, offset = number.first, number.offset
        if not qualifier:
            after = vocab.qualifiers_after.match(view, end, proclitic=False)
            if after is not None and view.joined(end):
                qualifier, end = after.payload, after.end
        if qualifier == "less_than":
            value, upper = 1, max(number.value - 1, 1)
        elif qualifier == "at_most":
            value, upper = 1, number.value
        start = view.tokens[start_tok].start + offset
        mention = NumberMention(start, view.tokens[end - 1].end, value,
                                approximate=bool(qualifier) or number.vague, vague=number.vague,
                                qualifier=qualifier, upper=upper)
        return mention, end

    def _range_end(self, first: Cardinal, in_range: bool) -> Cardinal | None:
        """The second figure of «بين 10 و15», «10 إلى 15», «10-15», «خمسة أو ستة»."""
        view = self.view
        j = first.end
        if j >= view.n:
            return None
        form = view.form(j)
        if view.joined(j, "-") and view.gap(j) == "-":
            second = self.cardinal(j)
        elif form in ("الي", "حتي", "او") and view.joined(j):
            second = self.cardinal(j + 1) if view.joined(j + 1) else None
        elif in_range and form.startswith("و") and view.joined(j):
            second = self.cardinal(j)
        else:
            return None
        if second is None or second.value <= first.value or not self.is_count(second):
            return None
        return second


def read_cardinal(view: TokenView, i: int) -> Cardinal | None:
    """The number (digits or words, without qualifier) that starts at token `i`, or None."""
    return _NumberReader(view).cardinal(i)


def find_numbers_in(text: str, tokens: Sequence[Token] | None = None,
                    exclude: Sequence[tuple[int, int]] = ()) -> list[NumberMention]:
    """Every count in normalised `text` (see the module docstring), in text order.

    `tokens` are the tokens of `text` when the caller has them; numbers that overlap a span of
    `exclude` (normalised offsets, e.g. date mentions) are left out.
    """
    view = TokenView(text, tokens)
    reader = _NumberReader(view)
    found: list[NumberMention] = []
    blocked = SpanIndex(exclude)
    next_free = 0
    for i in view.candidates(reader.vocab.triggers, digits=True):
        if i < next_free:
            continue
        mention, end = reader.mention(i, next_free)
        if mention is None:
            next_free = end
            continue
        if blocked.overlaps(mention.start, mention.end):
            continue
        found.append(mention)
        next_free = end
    return found


def find_numbers(doc: Doc) -> list[NumberMention]:
    """The counts of a document; numbers inside `doc.dates` (run the date finder first) are
    left out."""
    return find_numbers_in(doc.text, doc.tokens, [(d.start, d.end) for d in doc.dates])
