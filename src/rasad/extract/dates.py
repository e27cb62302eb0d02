"""Date expressions in Arabic news text, resolved to a day with ACLED's time precision.

`find_dates(doc)` (or the pure `find_dates_in(text, published)`) returns a `DateMention` for every
date expression of the normalised text: Gregorian dates with Levantine/Iraqi, Egyptian/Gulf and
Maghrebi month names («14 يناير (كانون الثاني) 2015», «تموز/يوليو», «الأول من جويلية»), numeric
dates («2015/7/21», «21-7-2015», «10/10/1436هـ», «1436/10/20هـ»), Hijri dates («21 شوال 1436 هـ»,
«رمضان الماضي», converted with hijridate's Umm al-Qura calendar), days of the feasts («ثالث أيام
عيد الفطر», «صبيحة عيد الأضحى»), weekdays («يوم الجمعة», «الخميس الماضي», «مساء
الأربعاء», «ليل السبت الأحد»), words relative to the publication date («أمس», «أول من أمس»,
«فجر اليوم», «الليلة الماضية», «قبل يومين», «خلال الساعات الماضية», «الأسبوع الماضي», «الشهر
الماضي»), parts of a month («مطلع الشهر الجاري», «أواخر يونيو»), ranges («بين 20 و22 يوليو») and
years («عام 2014»).  Several parts of one expression make one mention, and the most precise part
gives its day: «اليوم (الاثنين)», «الخميس الماضي 21 شوال 1436 هـ الموافق 6 أغسطس».

Resolution rules (ACLED's time precision: 1 the day, 2 the week, 3 the month):
- A weekday is the most recent such day on or before `published` (news reports past days),
  strictly before with «الماضي», strictly after with «المقبل/القادم».  After «اليوم/أمس/غداً» it is
  the such day nearest that relative day («اليوم (الاثنين)» in a paper dated Tuesday is Monday).
- A night between two days («ليل السبت الأحد») is its first day; «الليلة الماضية» is the day before
  `published`.  Parts of the day («فجر», «مساء») do not change the day, except after midnight of
  a night named by its weekday: «بعد منتصف ليل الاثنين (- الثلاثاء)» is Tuesday.
- The writer's day: when every relative word written with its weekday («أمس الثلاثاء») puts the
  writing one or two days before `published` (a paper printing yesterday's story), the bare
  relative words of the text («أمس», «فجر أمس», «اليوم») count from that day.
- «منذ» after a superlative in its clause («أعنف قتال منذ شهر») compares and is no date.
- A day and month without a year take the year that puts them at or before `published`, allowing
  `calendars.LOOKAHEAD_DAYS` ahead for announced dates; «الماضي/الجاري/المقبل» after the month
  decide it.
- A week (precision 2) is coded on its middle, the Wednesday of its Sunday–Saturday week, never
  after `published` for the current week; a month alone (precision 3) on its 15th, never after
  `published` for the current month; «مطلع/منتصف/أواخر» a month are its 5th/15th/25th with
  precision 2 (about ten days are known).
- A range gives its first day (precision 1) and `end_date`; a year alone is kind "year" with
  `date` its 1 January and `end_date` its 31 December, precision 3: background, an event date
  only when an earlier year is all the event's sentence says of when.  A mention that resolves
  after `published` has kind "future".
- Without `published`, relative words still give a mention, with `date` None.
Vocabulary: `data/dates_ar.yaml` and `data/months_ar.tsv`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from rasad.doc import DateMention, Doc
from rasad.extract.calendars import (
    calendar_date,
    gregorian_to_hijri,
    hijri_to_gregorian,
    infer_year,
    month_start,
    most_recent_weekday,
    nearest_weekday,
    next_weekday,
    resolve_relative_date,
    week_start,
)
from rasad.extract.numbers import Cardinal, read_cardinal
from rasad.extract.wordforms import (
    PhraseTable,
    TokenView,
    load_tsv,
    load_yaml,
    norm_set,
    strip_proclitic,
    words_of,
)
from rasad.text.clitics import with_proclitics
from rasad.text.segment import Token

# Day of a Sunday–Saturday week that stands for its early part, middle and end (Monday,
# Wednesday, Friday), keyed like the month phases of the data file (5, 15, 25).
_WEEK_PHASE_DAY = {5: 1, 15: 3, 25: 5}
# How many days a paper may print after its story was written (`_on_writers_day`).
_MAX_WRITER_SHIFT = 2
# What a token can start (`_DateReader.kinds`).
_NO_KINDS: frozenset[str] = frozenset()
_DIGIT = frozenset({"digit"})
_SHIFTS = {"before_last": -2, "past": -1, "current": 0, "next": 1}
_ORDINAL = frozenset({"ordinal"})
_PERIOD_OR_YEAR = frozenset({"period", "yearcue"})
_DAY_STARTS = frozenset({"digit", "ordinal"})
_RANGE_STARTS = frozenset({"digit", "range", "daycue"})
_LOOKBACK_CUES = frozenset({"قبل", "منذ", "خلال", "طوال", "بين", "ما", "من", "وقبل", "ومنذ",
                            "وخلال", "وبين", "ومن", "يومي", "هذا", "هذه", "لهذا", "بهذا", "وهذا",
                            "وهذه", "لهذه", "بهذه", "بعد", "وبعد", "اول", "واول", "ال"})

# ---------------------------------------------------------------------------------------------
# Vocabulary


@dataclass(frozen=True, slots=True)
class MonthName:
    """A month name: its calendar ("gregorian" or "hijri"), number and the context it needs."""

    calendar: str
    month: int
    anchor: str  # none | prep | strict (see scripts/build_month_names.py)


@dataclass(frozen=True, slots=True)
class DateVocabulary:
    """The date vocabulary of `dates_ar.yaml` and `months_ar.tsv`, normalised."""

    months: PhraseTable[MonthName]
    weekdays: dict[str, int]
    weekday_blockers: frozenset[str]
    today_blockers: frozenset[str]
    relative_days: PhraseTable[int]
    parts_of_day: PhraseTable[bool]
    past_midnight_cues: frozenset[str]
    past_midnight_parts: frozenset[str]
    comparison_words: frozenset[str]
    feasts: PhraseTable[tuple[int, int]]
    feast_day_ordinals: dict[str, int]
    feast_days_word: frozenset[str]
    comparison_window: int
    modifiers: dict[str, str]
    month_phases: PhraseTable[int]
    this_words: frozenset[str]
    week_words: frozenset[str]
    month_words: frozenset[str]
    year_words: frozenset[str]
    period_words: frozenset[str]
    year_cues: frozenset[str]
    bare_year_cues: frozenset[str]
    ago_words: frozenset[str]
    ago_units: dict[str, tuple[int, int]]
    recent_periods: PhraseTable[tuple[int, int]]
    recent_cues: PhraseTable[bool]
    equivalence: frozenset[str]
    hijri_suffixes: frozenset[str]
    gregorian_suffixes: frozenset[str]
    range_starts: PhraseTable[bool]
    range_links: frozenset[str]
    day_cues: frozenset[str]
    month_cues: frozenset[str]
    ordinal_days: PhraseTable[int]
    triggers: frozenset[str]
    word_kinds: dict[str, frozenset[str]]  # what a (proclitic-free) word can start


def _ordinal_day_phrases(data: dict[str, Any]) -> list[tuple[str, int]]:
    """«الأول» … «العاشر», «الحادي عشر» … «التاسع عشر», «العشرين», «الحادي والعشرين» … «الحادي
    والثلاثين», from the unit and tens ordinals of the data file."""
    units = {str(k): int(v) for k, v in data["ordinal_days"].items()}
    tens = {str(k): int(v) for k, v in data["ordinal_tens"].items()}
    teen = str(data["ordinal_teen"][0])
    phrases = [(word, value) for word, value in units.items() if word != "الحادي"]
    heads = {word: value for word, value in units.items() if value < 10 and word != "الأول"}
    for word, value in heads.items():
        phrases.append((f"{word} {teen}", 10 + value))
    for ten_word, ten in tens.items():
        phrases.append((ten_word, ten))
        for word, value in heads.items():
            if ten + value <= 31:
                phrases.append((f"{word} و{ten_word}", ten + value))
    return phrases


@cache
def date_vocabulary() -> DateVocabulary:
    """The date vocabulary, loaded and normalised once per process."""
    data = load_yaml("dates_ar.yaml")
    months = PhraseTable(((row["name"], MonthName(row["calendar"], int(row["month"]),
                                                  row["anchor"]))
                          for row in load_tsv("months_ar.tsv")), gap_chars="")
    weekdays = {" ".join(words_of(k)): int(v) for k, v in data["weekdays"].items()}
    modifiers = {word: kind for kind, words in data["modifiers"].items()
                 for word in norm_set(words)}
    ago_units = {" ".join(words_of(k)): (int(v[0]), int(v[1]))
                 for k, v in data["ago_units"].items()}
    relative_days = PhraseTable((k, int(v)) for k, v in data["relative_days"].items())
    parts_of_day = PhraseTable((k, True) for k in data["parts_of_day"])
    month_phases = PhraseTable((k, int(v)) for k, v in data["month_phases"].items())
    recent_periods = PhraseTable((k, (int(v[0]), int(v[1])))
                                 for k, v in data["recent_periods"].items())
    ordinal_days = PhraseTable(_ordinal_day_phrases(data))
    feasts = PhraseTable((k, (int(v[0]), int(v[1]))) for k, v in data["feasts"].items())
    feast_day_ordinals = {" ".join(words_of(k)): int(v)
                          for k, v in data["feast_day_ordinals"].items()}
    this_words = norm_set(data["this_words"])
    week_words = norm_set(data["week_words"])
    month_words = norm_set(data["month_words"])
    year_words = norm_set(data["year_words"])
    year_cues = norm_set(data["year_cues"])
    day_cues = norm_set(data["day_cues"])
    month_cues = norm_set(data["month_cue"])
    # Very common first words («هذا», «قبل», «بعد», «أول») are not triggers: the expression is
    # found from its next word, looking back (`_LOOKBACK_CUES`).
    triggers = (months.triggers | with_proclitics(weekdays) | relative_days.triggers
                | parts_of_day.triggers | month_phases.triggers | with_proclitics(week_words)
                | with_proclitics(month_words) | with_proclitics(year_words)
                | with_proclitics(year_cues) | with_proclitics(ago_units)
                | recent_periods.triggers | with_proclitics(day_cues)
                | with_proclitics(month_cues) | ordinal_days.triggers | feasts.triggers
                | with_proclitics(feast_day_ordinals)) - _LOOKBACK_CUES
    kinds: dict[str, set[str]] = {}
    for kind, words in [
            ("month", months.first_words), ("monthcue", month_cues),
            ("ordinal", ordinal_days.first_words), ("weekday", frozenset(weekdays)),
            ("relative", relative_days.first_words), ("part", parts_of_day.first_words),
            ("daycue", day_cues), ("phase", month_phases.first_words),
            ("period", this_words | week_words | month_words | year_words),
            ("yearcue", year_cues), ("ago", norm_set(data["ago_words"])),
            ("agounit", frozenset(ago_units)),
            ("recent", recent_periods.first_words | norm_set(data["recent_cues"])),
            ("range", norm_set(data["range_starts"])),
            ("feast", feasts.first_words | frozenset(feast_day_ordinals))]:
        for word in words:
            kinds.setdefault(word.split(" ")[0], set()).add(kind)
    return DateVocabulary(
        word_kinds={word: frozenset(k) for word, k in kinds.items()},
        months=months, weekdays=weekdays, weekday_blockers=norm_set(data["weekday_blockers"]),
        today_blockers=norm_set(data["today_blockers"]), relative_days=relative_days,
        parts_of_day=parts_of_day, past_midnight_cues=norm_set(data["past_midnight_cues"]),
        past_midnight_parts=norm_set(data["past_midnight_parts"]),
        comparison_words=norm_set(data["comparison_words"]),
        comparison_window=int(data["comparison_window"]), feasts=feasts,
        feast_day_ordinals=feast_day_ordinals, feast_days_word=norm_set(data["feast_days_word"]),
        modifiers=modifiers, month_phases=month_phases,
        this_words=this_words, week_words=week_words, month_words=month_words,
        year_words=year_words, period_words=week_words | month_words | year_words,
        year_cues=year_cues,
        bare_year_cues=norm_set(data["bare_year_cues"]), ago_words=norm_set(data["ago_words"]),
        ago_units=ago_units, recent_periods=recent_periods,
        recent_cues=PhraseTable((k, True) for k in data["recent_cues"]),
        equivalence=norm_set(data["equivalence_words"]),
        hijri_suffixes=norm_set(data["hijri_suffixes"]),
        gregorian_suffixes=norm_set(data["gregorian_suffixes"]),
        range_starts=PhraseTable((k, True) for k in data["range_starts"]),
        range_links=norm_set(data["range_links"]) - {""}, day_cues=day_cues,
        month_cues=month_cues, ordinal_days=ordinal_days, triggers=triggers)


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True, slots=True)
class _Read:
    """A date expression read at tokens [first, end), `offset` characters into its first token."""

    first: int
    end: int
    offset: int
    date: dt.date | None
    time_precision: int
    kind: str
    end_date: dt.date | None = None
    explicit: bool = False  # names its day in a calendar (wins over weekdays and relative words)
    relative_offset: int | None = None  # a bare relative day («أمس»): its offset in days
    writer_shift: int | None = None  # «أمس الثلاثاء»: the weekday's day − the relative word's


@dataclass(frozen=True, slots=True)
class _CalendarDate:
    """A day/month/year as written, before resolution."""

    first: int
    end: int
    offset: int
    calendar: str
    month: int
    day: int | None
    year: int | None
    modifier: str
    year_shift: int | None = None  # «من العام الماضي»: the year relative to `published`'s


def _year_token(form: str) -> tuple[int, str] | None:
    """(year, suffix) of «2015», «2015م», «1436ه»."""
    suffix = ""
    if form and form[-1] in "مه":
        form, suffix = form[:-1], form[-1]
    if len(form) == 4 and form.isdigit():
        return int(form), suffix
    return None


def _glued_suffix(form: str) -> str:
    """"ه" or "م" of a day number with its calendar's letter written on it («20ه»), else ""."""
    if len(form) >= 2 and form[-1] in "مه" and form[:-1].isdigit() and len(form) <= 3:
        return form[-1]
    return ""


def _year_calendar(year: int, suffix: str) -> str | None:
    if suffix == "ه" or (suffix == "" and 1300 <= year <= 1500):
        return "hijri" if 1343 <= year <= 1500 else None
    if 1800 <= year <= 2200 and suffix in ("", "م"):
        return "gregorian"
    return None


class _DateReader:
    """Reads date expressions at tokens of one text and resolves them against `published`."""

    def __init__(self, view: TokenView, published: dt.date | None) -> None:
        self.view = view
        self.published = published
        self.vocab = date_vocabulary()
        self._other_readers: tuple[tuple[str, Callable[[int], _Read | None]], ...] = (
            ("ago", self.ago), ("recent", self.recent), ("phase", self.phase),
            ("period", self.period), ("yearcue", self.year), ("digit", self.year),
            ("month", self.month_alone), ("monthcue", self.month_alone))

    def month_alone(self, i: int) -> _Read | None:
        """A month without a day («في يونيو», «رمضان الماضي», «شهر شوال 1436»)."""
        written = self.calendar_date(i)
        return None if written is None else self.resolve_calendar(written)

    # --- small pieces -----------------------------------------------------------------------

    def kinds(self, i: int) -> frozenset[str]:
        """What token `i` can start: "month", "weekday", "relative" … and "digit"."""
        form = self.view.form(i)
        if not form:
            return _NO_KINDS
        word, _ = strip_proclitic(form, self.vocab.word_kinds)
        kinds = self.vocab.word_kinds.get(word, _NO_KINDS) if word else _NO_KINDS
        return kinds | _DIGIT if form[-1].isdigit() else kinds

    def worth_reading(self, i: int) -> bool:
        """A cheap test that token `i` may start a date, to spare the full reading of numbers
        and common words: a number needs a separator, a month, a unit of time or a range link
        after it, or four digits; an ordinal needs «من»; a period word or year cue a modifier or
        a number after it."""
        view, vocab = self.view, self.vocab
        form = view.forms[i]
        nxt = view.form(i + 1)
        if form[-1] <= "9":
            if len(form) >= 4 and (form[-4:].isdigit() or form[-5:-1].isdigit()):
                return True
            if view.gap(i + 1) in ("/", "-", "."):
                return True
            if nxt == "من":
                nxt = view.form(i + 2)
            return (nxt in vocab.months or nxt in vocab.month_cues or nxt in vocab.ago_units
                    or nxt in ("الي", "حتي", "لغايه")
                    or (nxt[:1] == "و" and nxt[1:2].isdigit()))
        kinds = self.kinds(i)
        if kinds == _ORDINAL:
            return nxt in ("من", "عشر") or nxt[:1] == "و"
        if kinds and kinds <= _PERIOD_OR_YEAR:
            before = view.form(i - 1)
            return (nxt[:1].isdigit() or nxt in vocab.modifiers or nxt == "قبل"
                    or before in _LOOKBACK_CUES or before in vocab.month_phases)
        return True

    def _word(self, i: int, table: frozenset[str] | dict[str, object], first: bool) -> str:
        """Token `i` if it is in `table` (with a proclitic allowed when `first`), else ""."""
        form = self.view.form(i)
        if not first:
            return form if form in table else ""
        return strip_proclitic(form, table)[0]

    def _day_number(self, i: int) -> tuple[int, int] | None:
        """(day, offset) of a day of the month in digits at token `i` («20», «و20», «ال20»)."""
        form = self.view.form(i)
        offset = 0
        if form[:1] in ("و", "ب", "ل", "ف") and form[1:2].isdigit():
            offset = 1
        if form[offset:offset + 2] == "ال":
            offset += 2
        digits = form[offset:]
        if digits.isdigit() and len(digits) <= 2 and 1 <= int(digits) <= 31:
            return int(digits), offset
        return None

    def _modifier(self, i: int) -> str:
        """"past", "current" or "next" for a modifier word at token `i` («الماضي», «الجاري»)."""
        return self.vocab.modifiers.get(self.view.form(i), "") if self.view.joined(i, ")") \
            else ""

    def _modifier_span(self, i: int) -> tuple[str, int]:
        """The modifier at token `i` and the token after it: "past", "current", "next", or
        "before_last" for «قبل الماضي» (the one before the last); ("", i) when none."""
        view = self.view
        if view.form(i) == "قبل" and view.joined(i) and self._modifier(i + 1) == "past":
            return "before_last", i + 2
        modifier = self._modifier(i)
        return modifier, i + 1 if modifier else i

    def _suffix_end(self, i: int, calendar: str) -> int:
        """Token after a calendar suffix («هـ», «م») at `i`, or `i` when there is none."""
        form = self.view.form(i)
        suffixes = self.vocab.hijri_suffixes if calendar == "hijri" \
            else self.vocab.gregorian_suffixes
        return i + 1 if form in suffixes and self.view.joined(i, ".") else i

    def _year_after(self, i: int, calendar: str) -> tuple[int, int] | None:
        """(year, end token) of a year at token `i` («2015», «عام 2015», «من العام 2015»)."""
        view = self.view
        j = i
        if view.form(j) == "من" and view.form(j + 1) in self.vocab.year_cues:
            j += 1
        if view.form(j) in self.vocab.year_cues and view.joined(j + 1):
            j += 1
        read = _year_token(view.form(j))
        if read is None or not view.joined(j, ",/-)"):
            return None
        year, suffix = read
        if _year_calendar(year, suffix) != calendar:
            return None
        return year, self._suffix_end(j + 1, calendar)

    # --- calendar dates -----------------------------------------------------------------------

    def calendar_date(self, i: int) -> _CalendarDate | None:
        """A written date at token `i`: [day [من]] [شهر] MONTH [(MONTH)] [year | modifier]."""
        view, vocab = self.view, self.vocab
        day: int | None = None
        offset = 0
        j = i
        number = self._day_number(i)
        if number is not None:
            day, offset = number
            j = i + 1
            if view.form(j) == "من" and view.joined(j):
                j += 1
        else:
            ordinal = vocab.ordinal_days.match(view, i)
            if ordinal is not None and view.form(ordinal.end) == "من":
                day, offset, j = ordinal.payload, ordinal.offset, ordinal.end + 1
        month_cue = False
        if j > i and not view.joined(j, "-/"):
            return None
        cue = self._word(j, vocab.month_cues, j == i)
        if cue and view.joined(j + 1):
            month_cue = True
            if j == i:
                offset = strip_proclitic(view.form(i), vocab.month_cues)[1]
            j += 1
        found = vocab.months.match(view, j, proclitic=j == i)
        if found is None:
            return None
        if j == i:
            offset = found.offset
        name = found.payload
        end = found.end
        paired = False
        if view.joined(end, "(/-"):
            other = vocab.months.match(view, end, proclitic=False)
            if other is not None and other.payload.month == name.month:
                paired, end = True, other.end
        year: int | None = None
        modifier = ""
        after_year = self._year_after(end, name.calendar)
        if after_year is not None:
            year, end = after_year
        else:
            modifier = self._modifier(end)
            if modifier:
                end += 1
        year_shift: int | None = None
        shifted = self._year_shift(end)
        if year is None and shifted is not None:
            year_shift, end = shifted
        anchored = (day is not None or paired or month_cue or year is not None or bool(modifier)
                    or year_shift is not None)
        if not anchored and name.anchor != "none":
            if name.anchor == "strict":
                return None
            before = view.form(i - 1)
            if before not in vocab.bare_year_cues and before not in vocab.month_phases:
                return None
        return _CalendarDate(i, end, offset, name.calendar, name.month, day, year, modifier,
                             year_shift)

    def _year_shift(self, i: int) -> tuple[int, int] | None:
        """(shift, end token) of «من العام الماضي», «من هذا العام», «من السنة الحالية» at `i`."""
        view, vocab = self.view, self.vocab
        if view.form(i) != "من" or not view.joined(i):
            return None
        j = i + 1
        this = view.form(j) in vocab.this_words
        if this:
            j += 1
        if view.form(j) not in vocab.year_words or not view.joined(j):
            return None
        modifier = "current" if this else self._modifier(j + 1)
        if not modifier:
            return None
        return {"past": -1, "current": 0, "next": 1}[modifier], j + 1 if this else j + 2

    def resolve_calendar(self, c: _CalendarDate, phase_day: int | None = None) -> _Read:
        """A written date resolved to a day, with its precision and kind."""
        published = self.published
        year = c.year
        if year is None and published is not None:
            if c.year_shift is not None:
                hijri = gregorian_to_hijri(published) if c.calendar == "hijri" else None
                now = hijri[0] if hijri else published.year
                year = now + c.year_shift
            else:
                year = infer_year(c.calendar, c.month, c.day, c.modifier, published)
        day = c.day or phase_day or 15
        date = None if year is None else calendar_date(c.calendar, year, c.month, day)
        precision = 1 if c.day else 2 if phase_day else 3
        if c.day is None and date is not None and published is not None and date > published:
            start = month_start(c.calendar, year or 0, c.month)
            if start is not None and start <= published:
                date = published  # the current month: not after the report
        kind = ("hijri" if c.calendar == "hijri" else "absolute") if c.day else "month"
        return _Read(c.first, c.end, c.offset, date, precision, kind, explicit=c.day is not None)

    def numeric_date(self, i: int) -> _Read | None:
        """«2015/7/21», «21-7-2015», «21.7.2015», «10/10/1436هـ», «21/7» (after a day cue)."""
        view = self.view
        parts: list[str] = []
        separator = ""
        suffix_on_day = ""
        j = i
        while j < view.n and len(parts) < 3:
            form = view.form(j)
            if not parts and form[:1] in ("و", "ب") and form[1:2].isdigit():
                form = form[1:]
            if parts:
                gap = view.gap(j)
                if gap not in ("/", "-", ".") or (separator and gap != separator):
                    break
                if not view.joined(j, gap):
                    break
                separator = gap
            glued = _glued_suffix(form) if len(parts) == 2 and len(parts[0]) == 4 else ""
            if glued:  # «1436/10/20هـ»: the calendar's letter written on the day
                parts.append(form[:-len(glued)])
                suffix_on_day = glued
                j += 1
                break
            if not form.isdigit() and not (len(parts) == 2 and _year_token(form)):
                break
            parts.append(form)
            j += 1
        if len(parts) < 2 or any(len(part) > 5 for part in parts):
            return None  # no day, month or year («2015م») is longer; int() refuses 4,301 digits
        suffix = suffix_on_day
        if _year_token(parts[-1]) is not None:
            year_digits, suffix = _year_token(parts[-1]) or (0, "")
            parts[-1] = str(year_digits)
        offset = 1 if view.form(i)[:1] in ("و", "ب") else 0
        if len(parts) == 2:
            return self._day_month(i, j, offset, int(parts[0]), int(parts[1]), separator)
        if len(parts[0]) == 4:
            year, month, day = int(parts[0]), int(parts[1]), int(parts[2])
        elif len(parts[2]) == 4:
            day, month, year = int(parts[0]), int(parts[1]), int(parts[2])
        else:
            return None
        after = view.form(j)
        if not suffix and after in self.vocab.hijri_suffixes | self.vocab.gregorian_suffixes \
                and view.joined(j, "."):
            suffix = "ه" if after in self.vocab.hijri_suffixes else "م"
            j += 1
        calendar = _year_calendar(year, suffix)
        if calendar is None or not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        date = calendar_date(calendar, year, month, day)
        kind = "hijri" if calendar == "hijri" else "absolute"
        return _Read(i, j, offset, date, 1, kind, explicit=True)

    def _day_month(self, i: int, end: int, offset: int, day: int, month: int,
                   separator: str) -> _Read | None:
        """«21/7» after a day cue: Gregorian or Hijri, whichever falls nearer `published`."""
        view, vocab = self.view, self.vocab
        before = strip_proclitic(view.form(i - 1), vocab.weekdays)[0] or view.form(i - 1)
        cued = (before in vocab.weekdays or before in vocab.day_cues
                or before in vocab.equivalence or before in ("بتاريخ", "تاريخ"))
        if separator != "/" or not cued or not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        published = self.published
        if published is None:
            return _Read(i, end, offset, None, 1, "absolute", explicit=True)
        candidates: list[dt.date] = []
        for calendar in ("gregorian", "hijri"):
            year = infer_year(calendar, month, day, "", published)
            date = None if year is None else calendar_date(calendar, year, month, day)
            if date is not None:
                candidates.append(date)
        if not candidates:
            return None
        date = min(candidates, key=lambda d: abs((d - published).days))
        return _Read(i, end, offset, date, 1, "absolute", explicit=True)

    def explicit_date(self, i: int) -> _Read | None:
        """A calendar date that names its day (written or numeric) at token `i`."""
        if not self.kinds(i) & _DAY_STARTS:
            return None
        written = self.calendar_date(i)
        if written is not None:
            return self.resolve_calendar(written) if written.day else None
        return self.numeric_date(i)

    # --- days relative to publication -----------------------------------------------------------

    def weekday(self, i: int, reference_offset: int | None) -> _Read | None:
        """A weekday at token `i` («الخميس», «الخميس الماضي», «السبت الأحد», «الأحد والاثنين»)."""
        view, vocab = self.view, self.vocab
        word, offset = strip_proclitic(view.form(i), vocab.weekdays)
        if offset < 0:
            return None
        before = view.form(i - 1)
        if view.joined(i) and (before in vocab.weekday_blockers
                               or strip_proclitic(before, vocab.weekday_blockers)[1] >= 0):
            return None
        weekday = vocab.weekdays[word]
        end = i + 1
        second: int | None = None
        range_end = False
        nxt = view.form(end)
        if view.joined(end, "-/") and nxt in vocab.weekdays:
            second, end = vocab.weekdays[nxt], end + 1  # «ليل السبت الأحد»
        elif nxt in ("علي", "الي") and view.form(end + 1) in vocab.weekdays and \
                view.joined(end) and view.joined(end + 1):
            second, end = vocab.weekdays[view.form(end + 1)], end + 2
        elif nxt[:1] == "و" and nxt[1:] in vocab.weekdays and view.joined(end):
            second, end, range_end = vocab.weekdays[nxt[1:]], end + 1, True
        modifier, end = self._modifier_span(end)
        published = self.published
        date: dt.date | None = None
        if published is not None:
            if reference_offset is not None:
                date = nearest_weekday(weekday, published + dt.timedelta(days=reference_offset))
            elif modifier == "next":
                date = next_weekday(weekday, published)
            else:
                date = most_recent_weekday(weekday, published, strict=bool(modifier))
                if modifier == "before_last":
                    date -= dt.timedelta(days=7)
        end_date = None
        if range_end and second is not None and date is not None and published is not None:
            end_date = date + dt.timedelta(days=(second - weekday) % 7)
            if end_date > published and modifier != "next" and reference_offset is None:
                date -= dt.timedelta(days=7)
                end_date -= dt.timedelta(days=7)
        kind = "range" if range_end else "weekday"
        return _Read(i, end, offset, date, 1, kind, end_date)

    def relative_day(self, i: int) -> _Read | None:
        """«أمس», «اليوم», «أول من أمس», «الليلة الماضية», «غداً» at token `i`, with the weekday
        that may follow («أمس الأحد», «اليوم (الاثنين)»)."""
        view, vocab = self.view, self.vocab
        found = vocab.relative_days.match(view, i)
        if found is None:
            return None
        if found.words == ("اليوم",):
            before = view.form(i - 1)
            nxt = view.form(found.end)
            if before in vocab.today_blockers or before in vocab.month_phases:
                return None
            if (view.joined(found.end) and nxt.startswith("ال") and nxt not in vocab.weekdays
                    and nxt not in vocab.modifiers):
                return None  # «اليوم الوطني», «اليوم التالي»
        offset_days = found.payload
        if view.gap(found.end) == "(":
            # «اليوم (أمس)»: the paper puts its source's day in its own words, which count from
            # `published` as the rest of its text does.
            paper = vocab.relative_days.match(view, found.end)
            if paper is not None and paper.payload != offset_days:
                date = resolve_relative_date(paper.payload, self.published)
                return _Read(i, paper.end, found.offset, date, 1, "relative")
        if view.joined(found.end, "(") or view.gap(found.end) == ",":
            weekday = self.weekday(found.end, offset_days)
            if weekday is not None:
                said = resolve_relative_date(offset_days, self.published)
                shift = (weekday.date - said).days if weekday.date and said else None
                return replace(weekday, first=i, offset=found.offset, writer_shift=shift)
        date = resolve_relative_date(offset_days, self.published)
        return _Read(i, found.end, found.offset, date, 1, "relative",
                     relative_offset=offset_days)

    def ago(self, i: int) -> _Read | None:
        """«قبل يومين», «منذ ثلاثة أيام», «قبل أسبوع», «قبل نحو شهر» at token `i` (قبل/منذ)."""
        view, vocab = self.view, self.vocab
        if self._word(i, vocab.ago_words, True) == "" or self._compares(i):
            return None
        j = i + 1
        if view.form(j) in ("نحو", "حوالي") and view.joined(j + 1):
            j += 1
        count = 1
        number: Cardinal | None = read_cardinal(view, j) if view.joined(j) else None
        if number is not None and not number.vague:
            count, j = number.value, number.end
        unit = view.form(j)
        if unit not in vocab.ago_units or not view.joined(j):
            return None
        days, precision = vocab.ago_units[unit]
        plural = unit in ("ايام", "اسابيع", "اشهر", "شهور")
        if plural and number is None:
            if unit != "ايام":
                return None
            count, precision = 3, 2  # «قبل أيام»: a few days ago, the week is known
        if self._starts_date(j + 1) or self.vocab.months.match(self.view, j + 1) is not None:
            return None  # «منذ يوم الجمعة», «منذ شهر أكتوبر»: a weekday or month, read there
        date = resolve_relative_date(-days * count, self.published)
        return _Read(i, j + 1, strip_proclitic(view.form(i), vocab.ago_words)[1], date,
                     precision, "relative")

    def _compares(self, i: int) -> bool:
        """Whether «منذ» at token `i` follows a superlative in its clause («أعنف قتال وقع منذ
        شهر»): it measures the comparison, it does not date the event."""
        view, vocab = self.view, self.vocab
        if strip_proclitic(view.form(i), vocab.ago_words)[0] != "منذ":
            return False
        for k in range(i - 1, max(i - 1 - vocab.comparison_window, -1), -1):
            if not view.joined(k + 1):
                return False
            if view.form(k) in vocab.comparison_words:
                return True
        return False

    def _starts_date(self, i: int) -> bool:
        vocab = self.vocab
        form = self.view.form(i)
        return form in vocab.weekdays or self._day_number(i) is not None or \
            vocab.relative_days.match(self.view, i, proclitic=False) is not None

    def recent(self, i: int) -> _Read | None:
        """«خلال الساعات الماضية», «خلال الـ24 ساعة الماضية», «خلال اليومين الماضيين»."""
        view, vocab = self.view, self.vocab
        cue = vocab.recent_cues.match(view, i)
        j = cue.end if cue is not None and view.joined(cue.end) else i
        found = vocab.recent_periods.match(view, j, proclitic=cue is None)
        if found is None:
            return None
        offset_days, precision = found.payload
        offset = cue.offset if cue is not None and j > i else found.offset
        return _Read(i, found.end, offset, resolve_relative_date(offset_days, self.published),
                     precision, "relative")

    def period(self, i: int, phase_day: int | None = None) -> _Read | None:
        """«الأسبوع الماضي», «هذا الأسبوع», «الشهر الماضي», «الشهر الجاري», «العام الماضي»."""
        view, vocab = self.view, self.vocab
        j = i
        this, offset = strip_proclitic(view.form(i), vocab.this_words)
        if this:
            j += 1
            if not view.joined(j):
                return None
        form, word_offset = strip_proclitic(view.form(j), vocab.period_words)
        if not form or (j > i and word_offset != 0):
            return None
        if not this:
            offset = word_offset
        end = j + 1
        modifier = "current"
        if not this:
            modifier, end = self._modifier_span(end)
        if not modifier:
            if phase_day is None or form in vocab.year_words:
                return None
            modifier = "current"  # «مطلع الأسبوع», «نهاية الشهر»: the current one
        published = self.published
        shift = _SHIFTS[modifier]
        if form in vocab.year_words:
            if published is None:
                return _Read(i, end, offset, None, 3, "year")
            return self._year_read(i, end, published.year + shift, offset)
        date = None
        if form in vocab.week_words:
            if published is not None:
                start = week_start(published + dt.timedelta(days=7 * shift))
                date = start + dt.timedelta(days=_WEEK_PHASE_DAY[phase_day or 15])
                if shift == 0:
                    date = min(date, published)
            return _Read(i, end, offset, date, 2, "relative")
        if published is not None:
            month_index = published.year * 12 + published.month - 1 + shift
            date = dt.date(month_index // 12, month_index % 12 + 1, phase_day or 15)
            if shift == 0:
                date = min(date, published)
        return _Read(i, end, offset, date, 2 if phase_day else 3, "relative")

    def _year_read(self, first: int, end: int, year: int, offset: int = 0,
                   calendar: str = "gregorian") -> _Read:
        if calendar == "hijri":
            start = hijri_to_gregorian(year, 1, 1)
            nxt = hijri_to_gregorian(year + 1, 1, 1)
            last = nxt - dt.timedelta(days=1) if nxt else None
        else:
            start, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return _Read(first, end, offset, start, 3, "year", last)

    def year(self, i: int) -> _Read | None:
        """«عام 2014», «العام 2011», «في 2011», «2014م», «1436هـ» at token `i`."""
        view, vocab = self.view, self.vocab
        cue, offset = strip_proclitic(view.form(i), vocab.year_cues)
        j = i + 1 if cue and view.joined(i + 1) else i
        read = _year_token(view.form(j))
        if read is None:
            return None
        year, suffix = read
        end = j + 1
        if not suffix and view.form(end) in vocab.hijri_suffixes and view.joined(end):
            suffix, end = "ه", end + 1
        elif not suffix and view.form(end) in vocab.gregorian_suffixes and view.joined(end):
            suffix, end = "م", end + 1
        calendar = _year_calendar(year, suffix)
        if calendar is None:
            return None
        if not cue and not suffix and (view.form(i - 1) not in vocab.bare_year_cues
                                       or not view.joined(i)):
            return None
        return self._year_read(i, end, year, max(offset, 0), calendar)

    def phase(self, i: int) -> _Read | None:
        """«مطلع الشهر الجاري», «منتصف يوليو», «أواخر رمضان», «نهاية الأسبوع الماضي»."""
        view, vocab = self.view, self.vocab
        found = vocab.month_phases.match(view, i)
        if found is None or not view.joined(found.end):
            return None
        j = found.end
        written = self.calendar_date(j)
        if written is not None and written.day is None:
            read = self.resolve_calendar(written, phase_day=found.payload)
            return replace(read, first=i, offset=found.offset, kind="month")
        inner = self.period(j, phase_day=found.payload)
        if inner is not None:
            return replace(inner, first=i, offset=found.offset)
        return None

    def range_of_days(self, i: int) -> _Read | None:
        """«بين 20 و22 يوليو», «من 20 إلى 25 تموز», «20-22 يوليو», «يومي 20 و21 يوليو»."""
        view, vocab = self.view, self.vocab
        start = vocab.range_starts.match(view, i)
        cue = start is None and self._word(i, vocab.day_cues, True) == "يومي"
        j = start.end if start is not None else i + 1 if cue else i
        if j > i and not view.joined(j):
            return None
        first_day = self._day_number(j)
        if first_day is None:
            return None
        first_full = self.calendar_date(j)
        k = first_full.end if first_full is not None else j + 1
        nxt = view.form(k)
        if view.joined(k, "-") and view.gap(k) == "-":
            second_at = k
        elif nxt in ("الي", "حتي", "لغايه") and view.joined(k):
            second_at = k + 1
        elif nxt[:1] == "و" and (start is not None or cue) and view.joined(k):
            second_at = k
        else:
            return None
        second = self.calendar_date(second_at)
        if second is None or second.day is None:
            return None
        last = self.resolve_calendar(second)
        if first_full is not None and first_full.day is not None:
            first = self.resolve_calendar(first_full)
        else:
            first = self.resolve_calendar(replace(second, day=first_day[0]))
            if last.date is not None and first.date is not None and first.date > last.date:
                first = replace(first, date=_previous_month_day(first.date))
        if first.date is None or last.date is None or not \
                0 < (last.date - first.date).days <= 62:
            return None
        offset = start.offset if start is not None else 0 if cue else first_day[1]
        return _Read(i, last.end, offset, first.date, 1, "range", last.date, explicit=True)

    # --- one whole expression ---------------------------------------------------------------

    def feast(self, i: int, cued: bool) -> _Read | None:
        """«أول أيام عيد الفطر», «ثالث أيام عيد الأضحى», or after a day cue or a part of the day
        (`cued`) «يوم عيد الفطر», «صبيحة عيد الأضحى»: a day of a Hijri feast."""
        view, vocab = self.view, self.vocab
        day_of_feast, j, offset = 1, i, 0
        word, clitic = strip_proclitic(view.form(i), vocab.feast_day_ordinals)
        if clitic >= 0 and view.form(i + 1) in vocab.feast_days_word and view.joined(i + 1):
            day_of_feast, j, offset, cued = vocab.feast_day_ordinals[word], i + 2, clitic, True
        found = vocab.feasts.match(view, j, proclitic=j == i)
        if found is None or not cued or (j > i and not view.joined(j)):
            return None
        if j == i:
            offset = found.offset
        month, first_day = found.payload
        date: dt.date | None = None
        if self.published is not None:
            year = infer_year("hijri", month, first_day, "", self.published)
            start = calendar_date("hijri", year, month, first_day) if year else None
            date = start + dt.timedelta(days=day_of_feast - 1) if start else None
        return _Read(i, found.end, offset, date, 1, "hijri")

    def core(self, i: int, kinds: frozenset[str], cued: bool = False) -> _Read | None:
        """A day expression at token `i` (which can start `kinds`): an explicit date, a range of
        days, a relative day or a weekday."""
        found = None
        if kinds & _RANGE_STARTS:
            found = self.range_of_days(i)
        if found is None and kinds & _DAY_STARTS:
            found = self.explicit_date(i)
        if found is None and "relative" in kinds:
            found = self.relative_day(i)
        if found is None and "weekday" in kinds:
            found = self.weekday(i, None)
        if found is None and "feast" in kinds:
            found = self.feast(i, cued)
        return found

    def read(self, i: int) -> _Read | None:
        """The whole date expression starting at token `i`, or None."""
        view, vocab = self.view, self.vocab
        kinds = self.kinds(i)
        if not kinds:
            return None
        j, j_kinds = i, kinds
        part = vocab.parts_of_day.match(view, i) if "part" in kinds else None
        if part is not None and view.joined(part.end):
            j = part.end
            j_kinds = self.kinds(j)
        if "daycue" in j_kinds and self._word(j, vocab.day_cues, j == i) == "يوم" \
                and view.joined(j + 1):
            j += 1
            j_kinds = self.kinds(j)
        found = self.core(j, j_kinds, cued=j > i)
        if found is None and j > i:
            return None
        if found is not None and part is not None and found.date is not None and \
                self._past_midnight(i, part.words, j_kinds):
            found = replace(found, date=found.date + dt.timedelta(days=1))
        if found is None:
            for kind, read_at in self._other_readers:
                if kind in kinds:
                    found = read_at(i)
                    if found is not None:
                        break
        if found is None:
            return None
        if j > i:
            offset = part.offset if part is not None else \
                strip_proclitic(view.form(i), vocab.day_cues)[1]
            found = replace(found, first=i, offset=offset)
        return self._equivalent(found)

    def _past_midnight(self, i: int, part: Sequence[str], day_kinds: frozenset[str]) -> bool:
        """Whether the part of the day at token `i` («منتصف ليل»), after «بعد», turns a night
        named by its weekday into the next day («بعد منتصف ليل الاثنين - الثلاثاء»)."""
        vocab = self.vocab
        return (" ".join(part) in vocab.past_midnight_parts and "weekday" in day_kinds
                and "relative" not in day_kinds and self.view.joined(i)
                and self.view.form(i - 1) in vocab.past_midnight_cues)

    def _equivalent(self, found: _Read) -> _Read:
        """Absorb the same day written again: «الخميس 23 يوليو», «21 شوال الموافق 6 أغسطس»,
        «الاثنين (20 يوليو)»; an explicit Gregorian date gives the day."""
        view, vocab = self.view, self.vocab
        while found.kind not in ("year", "range") and found.end < view.n:
            j = found.end
            if not view.joined(j, ",(-"):
                break
            if view.form(j) in vocab.equivalence or (view.form(j) == "يوم"
                                                      and view.joined(j + 1)):
                j += 1
            other = self.explicit_date(j)
            if other is None:
                other = self.weekday(j, None) if found.explicit and \
                    "weekday" in self.kinds(j) else None
                if other is None:
                    break
                found = replace(found, end=other.end)
                continue
            keep_found = found.explicit and (found.kind == "absolute" or other.kind != "absolute")
            date = found.date if keep_found else other.date
            kind = found.kind if keep_found else other.kind
            found = replace(found, end=other.end, date=date, kind=kind, time_precision=1,
                            explicit=True)
        return found


def _previous_month_day(day: dt.date) -> dt.date:
    """The same day number a month earlier («30 يونيو إلى 2 يوليو» read with July's month)."""
    month_index = day.year * 12 + day.month - 2
    try:
        return dt.date(month_index // 12, month_index % 12 + 1, day.day)
    except ValueError:
        return day


def _mention(view: TokenView, read: _Read, published: dt.date | None) -> DateMention:
    text = view.text
    start = view.tokens[read.first].start + read.offset
    end = view.tokens[read.end - 1].end
    span = text[start:end]
    if span.count("(") > span.count(")"):
        k = end
        while k < len(text) and text[k] == " ":
            k += 1
        if k < len(text) and text[k] == ")":
            end = k + 1
    kind = read.kind
    if (published is not None and read.date is not None and read.date > published
            and kind != "year"):
        kind = "future"
    return DateMention(start, end, read.date, read.time_precision, kind, read.end_date)


def find_dates_in(text: str, published: dt.date | None,
                  tokens: Sequence[Token] | None = None) -> list[DateMention]:
    """Every date expression in normalised `text`, resolved against `published` (see the module
    docstring), in text order.  `tokens` are the tokens of `text` when the caller has them."""
    view = TokenView(text, tokens)
    reader = _DateReader(view, published)
    reads: list[_Read] = []
    next_free = 0
    for i in view.candidates(reader.vocab.triggers, digits=True):
        if i < next_free or not reader.worth_reading(i):
            continue
        read = _read_with_lookback(reader, i, next_free)
        if read is None:
            continue
        reads.append(read)
        next_free = read.end
    return [_mention(view, read, published) for read in _on_writers_day(reads, published)]


def _on_writers_day(reads: list[_Read], published: dt.date | None) -> list[_Read]:
    """Bare relative days resolved against the writer's day when the text reveals it: a paper
    dated Thursday that prints «أمس الثلاثاء» was written on Wednesday, so its other «أمس»,
    «فجر أمس», «اليوم» count from Wednesday too.  Only when every relative word named with its
    weekday agrees on the same shift of one or two days."""
    shifts = {r.writer_shift for r in reads if r.writer_shift is not None}
    if published is None or len(shifts) != 1:
        return reads
    shift = shifts.pop()
    if shift == 0 or abs(shift) > _MAX_WRITER_SHIFT:
        return reads
    return [replace(r, date=resolve_relative_date(r.relative_offset + shift, published))
            if r.relative_offset is not None else r for r in reads]


def _read_with_lookback(reader: _DateReader, i: int, next_free: int) -> _Read | None:
    """The expression at token `i`, or one that starts a word or two earlier with a cue that is
    not itself a trigger («قبل ثلاثة أيام», «خلال الساعات», «بين 20 و22 يوليو», «هذا الأسبوع»)."""
    for back in (3, 2, 1):
        k = i - back
        if k >= next_free and reader.view.form(k) in _LOOKBACK_CUES:
            read = reader.read(k)
            if read is not None and read.end > i:
                return read
    return reader.read(i)


def find_dates(doc: Doc) -> list[DateMention]:
    """The date expressions of a document, resolved against `doc.published`."""
    return find_dates_in(doc.text, doc.published, doc.tokens)
