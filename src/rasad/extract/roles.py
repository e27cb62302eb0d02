"""Actor roles: who did it (actor1), to whom (actor2), and who helped (associated actors).

`assign_roles(...)` scores every actor named in an event's sentence as agent or target from
Arabic constructions around the trigger:

- markers before the actor: agent «من قبل», «على يد», «شنها», the preposition ل on an actor right
  after a trigger noun («غارة لطيران التحالف»); target «على», «ضد», «استهدف», «مواقع»,
  «معاقل»; association «بدعم من», «بمساندة», «مدعومة من», «بمشاركة», «إلى جانب»;
- word order: the subject follows a verb trigger (VSO: «قصفت طائرات التحالف …») or precedes it
  (SVO); the noun right after an attack noun is its agent («هجوم داعش»), right after a result
  noun its victim («مقتل 5 مدنيين»); «بين X و Y» names both sides of a clash, and «بين X
  وحلفائه من جهة، و Y من جهة أخرى» closes the first side at «من جهة»;
- the event's own death toll: an actor named in it or right after it («مقتل 25 من عناصر تنظيم
  داعش») lost the dead, the target (not in a battle, whose dead fall on both sides); fighters
  after a target marker («ضد مقاتلي داعش») are the target's too; alone, such an actor is actor2;
- what the actor is: civilians are targets, protesters lead protests.

Returns the chosen actor1, actor2 and associated actors of each side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rasad.doc import ActorMention
from rasad.text.lexicon import phrase_words
from rasad.text.segment import Token

_AGENT_MARKERS = {phrase_words(p) for p in (
    "من قبل", "على يد", "على أيدي", "بيد", "شنها", "شنته", "نفذها", "نفذه", "نفذته", "تبناه",
    "تبنته", "تبنى", "أعلن مسؤوليته", "أعلنت مسؤوليتها", "طائرات", "طيران", "مقاتلات",
    "مسلحو", "مسلحي", "مقاتلو", "مقاتلي", "عناصر من", "مسلحين من", "شنتها", "يشنها", "قامت",
    "قام", "زرعها", "زرعه", "زرعتها", "زرعوها", "زرعوه", "فجرها", "فجره", "أطلقها", "أطلقه",
    "أطلقتها", "نسب إلى", "ونسب إلى", "نسبت إلى", "حملت", "حمل", "اتهم", "اتهمت")}
# «التحالف الذي تقوده المملكة»: only the word right after names the leader («… تقوده المملكة
# لردع المتمردين» does not make the rebels the agent).
_LED_BY_MARKERS = {phrase_words(p) for p in ("تقوده", "تقودها", "بقيادة")}
_AIRCRAFT = frozenset(w for p in ("طائرات", "طيران", "مقاتلات") for w in phrase_words(p))
_TARGET_MARKERS = {phrase_words(p) for p in (
    "على", "ضد", "استهدف", "استهدفت", "استهدفوا", "يستهدف", "تستهدف", "مواقع", "معاقل",
    "تجمعات", "مقرات", "مقر", "مراكز", "تمركزات", "دورية", "دوريات", "حاجز", "نقطة", "قافلة",
    "آليات", "مواقع ل", "تحصينات", "معسكر", "معسكرات", "منازل", "مخازن", "ثكنة", "عشرات من",
    "من بين", "بينهم", "منهم", "ضحاياه", "لسيطرة", "سيطرة", "المعارضة", "المعارضه",
    "المناهضة", "المعادية", "ضد قوات")}
_ASSOC_MARKERS = {phrase_words(p) for p in (
    "بدعم من", "بدعم جوي من", "بإسناد من", "بإسناد جوي من", "بمساندة", "بمساندة من",
    "مدعومة من", "المدعومة من", "المدعوم من", "مدعوم من", "بمشاركة", "إلى جانب", "بالتعاون مع",
    "بالتنسيق مع", "المتحالفة مع", "المتحالف مع", "الموالية ل", "الموالين ل", "وحلفاؤه",
    "وحلفائها", "المدعومة", "المدعوم", "بدعم", "بدعم جوي")}
_RESULT_NOUNS = frozenset(phrase_words(
    "مقتل قتل مصرع استشهاد إصابة جرح قتلى جرحى ضحايا اغتيال خطف اختطاف اعتقال احتجاز")
)
_PROTEST_INTERS = frozenset({5, 6})
# «من جهة», «من طرف», «من ناحية» (normalised) close the first side of «بين X … من جهة، و Y».
_SIDE_WORDS = frozenset({"جهه", "طرف", "ناحيه"})
_SIDES_REACH = 24  # tokens from «بين» to the first side's «من جهة»
# Agent markers that are only a noun for the group's fighters: after a target marker they name
# the target («غارات ضد مقاتلي داعش»).
_FIGHTER_NOUNS = frozenset(phrase_words("مسلحو مسلحي مقاتلو مقاتلي عناصر مسلحين"))
# Words that may stand between a death figure and the actor its dead belonged to («مقتل 25 من
# عناصر تنظيم داعش», «في صفوف»), and how many.
_VICTIM_LINKS = frozenset(phrase_words("من عناصر صفوف أفراد منتسبي منسوبي"))
_VICTIM_GAP = 2


@dataclass(slots=True)
class Roles:
    """The actors of one event."""

    actor1: ActorMention | None = None
    actor2: ActorMention | None = None
    assoc1: list[ActorMention] = field(default_factory=list)
    assoc2: list[ActorMention] = field(default_factory=list)


def _by_last_word(markers: set[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for marker in markers:
        index.setdefault(marker[-1], []).append(marker)
    return index


_AGENT_INDEX = _by_last_word(_AGENT_MARKERS)
_LED_BY_INDEX = _by_last_word(_LED_BY_MARKERS)
_TARGET_INDEX = _by_last_word(_TARGET_MARKERS)
_ASSOC_INDEX = _by_last_word(_ASSOC_MARKERS)


def _preceded_by(tokens: Sequence[Token], index: int,
                 markers: dict[str, list[tuple[str, ...]]], reach: int = 3) -> bool:
    """Whether one of `markers` (indexed by last word) ends within `reach` tokens before
    token `index`."""
    for end in range(index, max(index - reach, 1) - 1, -1):
        for marker in markers.get(tokens[end - 1].text, ()):
            start = end - len(marker)
            if start >= 0 and all(tokens[start + k].text == w for k, w in enumerate(marker)):
                return True
    return False


def _between(tokens: Sequence[Token], actors: Sequence[ActorMention],
             lo: int, hi: int) -> tuple[ActorMention, ActorMention] | None:
    """«بين X و Y»: the two actors after «بين» in token range [lo, hi).  «بين X وحلفائه من
    جهة، و Y من جهة أخرى»: the second side is the first actor after «من جهة» (or «من طرف»),
    however many allies the first side lists."""
    for i in range(lo, hi):
        if tokens[i].text in ("بين", "وبين"):
            after = [a for a in actors if i < a.first_token <= i + 8]
            if not after:
                continue
            side = next((j for j in range(i + 2, min(i + _SIDES_REACH, hi))
                         if tokens[j].text in _SIDE_WORDS and tokens[j - 1].text == "من"), None)
            if side is not None:
                second = next((a for a in actors if side < a.first_token <= side + 8
                               and a.name != after[0].name), None)
                if second is not None:
                    return after[0], second
            if len(after) >= 2 and after[0].name != after[1].name:
                return after[0], after[1]
    return None


def _named_in(tokens: Sequence[Token], first: int, ranges: Sequence[tuple[int, int]]) -> bool:
    """Whether token `first` lies in one of `ranges` [a, b), or follows one with only words
    like «من», «عناصر», «في صفوف» between («مقتل 25 من عناصر تنظيم داعش»)."""
    for a, b in ranges:
        if a <= first < b:
            return True
        if b <= first <= b + _VICTIM_GAP and all(
                tokens[k].text in _VICTIM_LINKS
                or (tokens[k].text == "في" and tokens[k + 1].text == "صفوف")
                for k in range(b, first)):
            return True
    return False


def _key(actor: ActorMention) -> str:
    return actor.name or actor.template or ""


def assign_roles(actors: Sequence[ActorMention], tokens: Sequence[Token], anchor_token: int,
                 anchor_pos: str, anchor_is_result: bool, event_type: str,
                 sentence_tokens: tuple[int, int],
                 victims: Sequence[tuple[int, int]] = ()) -> Roles:
    """Choose actor1, actor2 and associated actors among the actors of the event's sentence.

    `victims` are the token ranges [first, end) of the sentence's death figures, from their
    count on («قتل 25 من عناصر», «390 مقاتلاً من حزب العمال قتلوا»): an actor named in one, or
    right after one («من عناصر تنظيم داعش»), lost the dead: the target's side (of any event but
    a battle, whose dead fall on both sides)."""
    roles = Roles()
    if not actors:
        return roles
    lo, hi = sentence_tokens
    pair = _between(tokens, actors, lo, hi) if event_type in ("Battles", "Riots") else None
    protest = event_type in ("Protests", "Riots")
    scored: list[tuple[float, float, ActorMention]] = []
    assoc: list[ActorMention] = []
    # ids of the actors the text marks as the target: their dead counted in the event's toll, or
    # their fighters named after a target marker; alone, such an actor is actor2.
    marked: set[int] = set()
    for actor in actors:
        if _preceded_by(tokens, actor.first_token, _ASSOC_INDEX, reach=4) or (
                assoc and actor.first_token - assoc[-1].last_token <= 1
                and tokens[actor.first_token].text.startswith("و")):
            assoc.append(actor)
            continue
        agent = target = 0.0
        # «ضد مقاتلي داعش», «على عناصر التنظيم»: a target marker before the fighters' noun.
        fighters_targeted = actor.first_token >= 1 and \
            tokens[actor.first_token - 1].text in _FIGHTER_NOUNS and \
            _preceded_by(tokens, actor.first_token - 1, _TARGET_INDEX, reach=1)
        if fighters_targeted:
            target += 3
            marked.add(id(actor))
        elif _preceded_by(tokens, actor.first_token, _AGENT_INDEX) or \
                _preceded_by(tokens, actor.first_token, _LED_BY_INDEX, reach=0) or \
                (event_type != "Battles"  # «طائرات التحالف» strike; a clash is fought on the ground
                 and tokens[actor.first_token].text in _AIRCRAFT):
            agent += 3
        if _preceded_by(tokens, actor.first_token, _TARGET_INDEX, reach=2):
            target += 3
        if event_type != "Battles" and _named_in(tokens, actor.first_token, victims):
            target += 4  # a clash's dead fall on both sides: they name no target
            marked.add(id(actor))
        distance = actor.first_token - anchor_token
        if distance < 0:
            agent += 1.5 if distance >= -4 else 1
        elif distance <= 3:
            if anchor_pos in ("verb", "phrase") and not anchor_is_result:
                agent += 2
            elif anchor_is_result or tokens[anchor_token].text in _RESULT_NOUNS:
                target += 2
            elif actor.proclitic.endswith("ل") or distance <= 1:
                agent += 2
            else:
                target += 1
        else:
            target += 1 if distance < 12 else 0.5
        if actor.inter == 7:
            target += 2
        elif actor.inter in _PROTEST_INTERS:
            if protest:
                agent += 4
            else:
                target += 1
        elif actor.kind == "unidentified":
            agent += 1
        if actor.anaphor:
            agent += 0.25
        scored.append((agent, target, actor))
    if pair is not None:
        roles.actor1, roles.actor2 = pair
    elif scored:
        by_agent = sorted(scored, key=lambda s: (s[0] - s[1], -abs(s[2].first_token
                                                                  - anchor_token)), reverse=True)
        first = by_agent[0]
        if first[0] - first[1] > 0 or protest or (len(scored) == 1 and first[2].inter != 7
                                                 and id(first[2]) not in marked):
            roles.actor1 = first[2]
        rest = [s for s in scored if s[2] is not roles.actor1
                and (roles.actor1 is None or _key(s[2]) != _key(roles.actor1))]
        if rest:
            by_target = max(rest, key=lambda s: (s[1] - s[0], -abs(s[2].first_token
                                                                  - anchor_token)))
            roles.actor2 = by_target[2]
    _attach_associates(roles, assoc)
    return roles


def _attach_associates(roles: Roles, assoc: Sequence[ActorMention]) -> None:
    """Each associated actor joins the side of the nearest main actor before it."""
    for actor in assoc:
        sides = [(a, lst) for a, lst in ((roles.actor1, roles.assoc1),
                                         (roles.actor2, roles.assoc2)) if a is not None]
        before = [(actor.first_token - a.last_token, lst) for a, lst in sides
                  if a.last_token <= actor.first_token]
        if before:
            target = min(before, key=lambda s: s[0])[1]
        elif sides:
            target = sides[0][1]
        else:
            continue
        names = {_key(a) for a in target} | {_key(a) for a, _ in sides}
        if _key(actor) not in names:
            target.append(actor)
