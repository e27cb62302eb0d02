"""Modality of an event mention: asserted, attempted, negated, hedged, future — or background.

`modality_of(...)` looks at the modality cues of `data/cues.yaml` around a trigger:

- cues must sit in the trigger's sentence, before the trigger and at most `WINDOW` tokens away
  (attempt cues also up to `WINDOW` tokens after it: «… لكن محاولاتهم باءت بالفشل», and
  future cues up to `AFTER` tokens after it: «معركة تعز ستكون حاسمة»); a background period
  («منذ اندلاع», «منذ أسبوع») also counts when it opens the sentence or follows the trigger
  within `WINDOW` tokens: the sentence then gives a running total, not one event; a protest's
  grievance cue («للتنديد ب», «احتجاجا على»), a time-since cue («بعد أسبوعين على») or a
  reference cue («على خلفية», «بتهمة», «المتورطين في»: the event an arrest or a charge is about)
  or an anniversary cue («الذكرى السنوية الأولى لاجتياح»: a past event remembered) makes the
  event named right after it background, a purpose cue («من أجل», «بهدف») makes it future;
  a habit cue opening the sentence («ويستخدم كذلك المدفعية») makes the sentence a description,
  and «كثيرا ما», «غالبا ما» make what follows in their clause a habit, not an event; a
  spread cue («هنا وهناك») anywhere in the sentence makes it a general picture (background);
- a future-tense proclitic on a verb trigger («سيقصف», «ستشن») is a future cue;
- «قد» hedges only before a present-tense verb («قد يكون», not «قد قتل»);
- «لم» up to `NEGATION_REACH` tokens before the trigger, in its clause, negates it («ولم تصوب
  قوات الأسد نيرانها»), «لن» puts it in the future;
- precedence: background > negated > future > attempted > hedged > asserted.

`background` (an undated past told as background, «كما حصل قبل سنوات») and `future` (threats,
plans, calls, predictions, hypotheticals) are not events that happened; the event stage drops
them unless settings say otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

from rasad.text.lexicon import LexMatch
from rasad.text.normalize import normalize
from rasad.text.segment import Token

WINDOW = 8
ADJACENT_REACH = 1
# Cues that govern only the event named right after them, and what they make of it.
_ADJACENT = {"grievance": "background", "since": "background", "purpose": "future",
             "reference": "background", "anniversary": "background"}
AFTER = 3
NEGATION_REACH = 5
CLAUSE_REACH = 16
_TRYING = ("حاول", "محاول", "يحاول", "تحاول")  # «tried» precedes what was tried
_PRECEDENCE = ("background", "negated", "future", "attempted", "hedged")
_CLAUSE_PUNCTUATION = frozenset(",;:.")
# «وأعلن البيت الأبيض حينذاك أن …»: "at that time" puts the whole sentence in the past.
_THEN = frozenset(normalize(w).text for w in ("حينذاك", "آنذاك", "حينئذ", "وقتذاك", "في حينه"))


def same_clause(text: str, tokens: Sequence[Token], first: int, last: int) -> bool:
    """No clause punctuation between token `first` and token `last` (normalised text: Arabic
    commas and semicolons are already ASCII). Without the text, assume one clause."""
    return not text or not any(ch in _CLAUSE_PUNCTUATION
                               for ch in text[tokens[first].end:tokens[last].start])


def _hedging_qad(tokens: Sequence[Token], first: int, trigger_token: int) -> bool:
    for i in range(max(first, trigger_token - WINDOW), trigger_token):
        if tokens[i].text == "قد" and i + 1 < len(tokens):
            nxt = tokens[i + 1].text
            if nxt[:1] in ("ي", "ت") and not nxt.startswith("تم"):
                return True
    return False


def modality_of(trigger: LexMatch, cues: Sequence[LexMatch], tokens: Sequence[Token],
                sentence_first_token: int, text: str = "") -> str:
    """The modality of the event `trigger` reports, from the modality `cues` of its sentence.

    A negation («دون أن», «نفى») reaches further, to the end of its clause: «دون أن تقوم القوات
    الأمنية بمنعهم من العبور أو احتجازهم» denies the detention too.
    """
    found: set[str] = set()
    t = trigger.first_token
    for cue in cues:
        kind = str(cue.payload)
        before = 0 <= t - cue.last_token < WINDOW or (
            kind == "negated" and 0 <= t - cue.last_token < CLAUSE_REACH and bool(text)
            and same_clause(text, tokens, cue.last_token - 1, t))
        after = 0 <= cue.first_token - trigger.last_token < WINDOW
        failure = kind == "attempted" and not cue.entry.phrase.startswith(_TRYING)
        # A period that frames the whole sentence («ومنذ اندلاع جولة العنف …، قتل 13 جنديا»)
        # or follows the trigger («هجمات … منذ أسبوع») makes a running total, not one event.
        summary = kind == "background" and (
            (cue.first_token <= sentence_first_token + 1 and cue.last_token <= t) or after
            or cue.entry.phrase in _THEN)
        if kind == "habitual":
            if cue.first_token <= sentence_first_token + 1 and cue.last_token <= t:
                found.add("background")
            continue
        if kind == "spread":  # «تفجيرات هنا وهناك»: a picture, wherever in the sentence
            found.add("background")
            continue
        if kind == "often":
            if before and same_clause(text, tokens, cue.last_token - 1, t):
                found.add("background")
            continue
        if kind in _ADJACENT:
            # «للتنديد باختطاف ذويهم»: only the event named right after the cue is the grievance;
            # «بعد أسبوعين على أعمال عنف اندلعت خلال تظاهرة»: the earlier event's clause is past.
            if 0 <= t - cue.last_token <= ADJACENT_REACH or (
                    kind == "since" and before and bool(text)
                    and same_clause(text, tokens, cue.last_token - 1, t)):
                found.add(_ADJACENT[kind])
            continue
        if before or summary or (after and failure) or (
                kind == "future" and 0 <= cue.first_token - trigger.last_token < AFTER):
            found.add(kind)
    if trigger.proclitic.endswith("س") and tokens[t].text[len(trigger.proclitic):][:1] in "يتنا":
        found.add("future")
    if _hedging_qad(tokens, sentence_first_token, t):
        found.add("hedged")
    for i in range(max(sentence_first_token, t - NEGATION_REACH), t):
        word = tokens[i].text
        if word not in ("لم", "ولم", "فلم", "لن", "ولن"):
            continue
        if not same_clause(text, tokens, i, t):
            continue  # «لم يصب أحد، وقتل …»: the negation ends with its clause
        found.add("negated" if "لم" in word else "future")
    for kind in _PRECEDENCE:
        if kind in found:
            return kind
    return "asserted"
