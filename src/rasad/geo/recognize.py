"""Toponym recognition: every place name in a document's tokens, with the words around it.

`find_toponyms(tokens, text, gazetteer, cues)` walks the tokens of the normalised text once.  At
each token it tries the token and its clitic-stripped readings («بحلب» → حلب, «للكويت» → الكويت)
against the gazetteer's name index, longest name first (up to the longest name that starts with
that word), so «ريف دمشق» is the governorate and «دير الزور» one name.  Words of a name may be
joined by spaces, hyphens or underscores (hashtags: «#حفر_الباطن»); after a feature word, a
hashtag sign may open the next word too («المنطقة #الشرقية», «منطقة #الرياض»).  Around each
name it reads:
the feature word before it («محافظة»، «بلدة»، «سجن»), a relation («ريف»، «قرب»، «شمال شرقي»), a
locative preposition («في»، «من»، ب‍), a trailing direction («ريف حلب الشمالي»), a person word
(«الشيخ»، «أبو») that makes it a person's name, and whether it sits in a hashtag.  Names that are
common words (`cues.yaml: common_words`) are kept only after a feature or relation word, never as
function words or adjectives; a feature word or relation only licenses a name with no proclitic.
After a feature word the gazetteer's silence is no veto: «قرية عين زحلوق», «مقبرة الصالحين»,
«شارع الأمير سلطان» give a toponym with no places (the name words: one, then words with the
article or after a connector such as «أبو», «عين»; not common nouns, adjectives, verbs:
`generic_words`), and a plural feature word («قريتي عين زحلوق وبير قصقص») makes the names listed
after it places too.
A facility named after a country or a common word («مستشفى مصر الدولي», «طريق النصر») keeps its
namesakes aside.  Demonyms («السوري») and anaphors («المملكة») come back separately: they tell the
resolver which countries the document is about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from rasad.geo.gazetteer import Gazetteer, GazetteerPlace, name_key
from rasad.text.clitics import NOUN_PROCLITICS
from rasad.text.segment import Token

_NAME_GAP = re.compile(r"[ _\-\"']{1,3}")
_CUE_GAP = re.compile(r"[ #\"'_]{1,4}")
# Between a feature word and the next word of a listed name: a tweet may tag that word.
_HASHTAG_GAP = re.compile(r" ?#")
_MIN_NAME_CHARS = 3
_PRONOUN_SUFFIXES = ("ها", "هم", "هما", "كم", "ته", "تنا")
# Feature-word kinds that name a facility or a way, not a settlement.
FACILITY_KINDS = frozenset({"street", "road", "bridge", "tunnel", "square", "hospital", "cemetery",
                            "university", "mosque", "church", "police", "stadium", "park",
                            "station", "neighbourhood", "checkpoint", "market", "embassy",
                            "building"})
_DATELINE_TAIL = re.compile(r"\s*(?:\([^)\n]{0,40}\)\s*)?(?:[-:/]|\()")


@dataclass(frozen=True, slots=True)
class ToponymCues:
    """The word lists of ``data/geo/cues.yaml``, normalised."""

    feature_words: dict[str, tuple[str, str | None]]
    locative_words: frozenset[str]
    locative_proclitics: frozenset[str]
    relation_words: dict[str, str]
    trailing_directions: dict[str, str]
    person_words: frozenset[str]
    containment_words: frozenset[str]
    anaphors: dict[str, tuple[str, ...]]
    common_words: frozenset[str]
    weak_names: frozenset[str]
    max_relation_words: int
    name_heads: frozenset[str] = frozenset()
    adjective_heads: frozenset[str] = frozenset()
    not_facility_adjectives: frozenset[str] = frozenset()
    not_heads_after: frozenset[str] = frozenset()
    head_not_after: dict[str, frozenset[str]] = field(default_factory=dict)
    generic_words: frozenset[str] = frozenset()
    name_connectors: frozenset[str] = frozenset()
    plural_heads: frozenset[str] = frozenset()
    definite_heads: frozenset[str] = frozenset()
    connector_heads: frozenset[str] = frozenset()
    vague_heads: frozenset[str] = frozenset()
    listed_heads: frozenset[str] = frozenset()
    numbered_heads: dict[str, str] = field(default_factory=dict)  # head word → kind («مخرج»: road)


def _keys(words: Sequence[str]) -> frozenset[str]:
    return frozenset(name_key(w) for w in words)


@lru_cache(maxsize=1)
def raw_cues() -> dict[str, Any]:
    """The parsed ``rasad/data/geo/cues.yaml``, read once (callers must not change it)."""
    raw: dict[str, Any] = yaml.safe_load(
        (files("rasad") / "data" / "geo" / "cues.yaml").read_text(encoding="utf-8"))
    return raw


@lru_cache(maxsize=1)
def load_cues() -> ToponymCues:
    """The packaged cue lists (``rasad/data/geo/cues.yaml``), loaded once."""
    raw = raw_cues()
    relation_words = {name_key(k): v for k, v in raw["relation_words"].items()}
    return ToponymCues(
        feature_words={name_key(k): (v["feature"], v.get("kind"))
                       for k, v in raw["feature_words"].items()},
        locative_words=_keys(raw["locative_words"]),
        locative_proclitics=frozenset(raw["locative_proclitics"]),
        relation_words=relation_words,
        trailing_directions={name_key(k): v for k, v in raw["trailing_directions"].items()},
        person_words=_keys(raw["person_words"]),
        containment_words=_keys(raw["containment_words"]),
        anaphors={name_key(k): tuple(v) for k, v in raw["anaphors"].items()},
        common_words=_keys(raw["common_words"]),
        weak_names=_keys(raw["weak_names"]),
        max_relation_words=max(len(k.split(" ")) for k in relation_words),
        name_heads=_keys(raw["name_heads"]),
        adjective_heads=_keys(raw.get("adjective_heads", [])),
        not_facility_adjectives=_keys(raw.get("not_facility_adjectives", [])),
        not_heads_after=_keys(raw["not_heads_after"]),
        head_not_after={name_key(k): _keys(v) for k, v in raw.get("head_not_after", {}).items()},
        generic_words=_keys(raw["generic_words"]),
        name_connectors=_keys(raw["name_connectors"]),
        plural_heads=_keys(raw["plural_heads"]),
        definite_heads=_keys(raw["definite_heads"]),
        connector_heads=_keys(raw["connector_heads"]),
        vague_heads=_keys(raw.get("vague_heads", [])),
        listed_heads=_keys(raw.get("listed_heads", [])),
        numbered_heads={name_key(k): v for k, v in (raw.get("numbered_heads") or {}).items()},
    )


@dataclass(slots=True)
class Toponym:
    """A place name found in the text and what surrounds it (normalised offsets)."""

    start: int
    end: int
    first_token: int
    last_token: int  # exclusive
    key: str
    places: tuple[GazetteerPlace, ...]
    phrase_start: int
    phrase_end: int
    proclitic: str = ""
    feature: str | None = None
    kind: str | None = None
    feature_word: str | None = None
    relation: str | None = None
    relation_word: str | None = None
    direction: str | None = None
    locative: bool = False
    hashtag: bool = False
    compound_hashtag: bool = False
    strength: str = "strong"
    anaphor: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    head: str = ""  # for a name the gazetteer lacks: the feature word that licensed it
    # For a facility named after a listed place («مستشفى مصر الدولي»): that place, set aside.
    namesakes: tuple[GazetteerPlace, ...] = ()
    judged: bool = False  # made a place by the toponym model, not by the rules


@dataclass(slots=True)
class Recognition:
    """What the recogniser found: toponyms in text order, and country evidence."""

    toponyms: list[Toponym]
    demonyms: list[tuple[int, str]]  # (normalised position, ISO country)


@lru_cache(maxsize=1 << 16)
def readings(form: str) -> tuple[tuple[str, int, str], ...]:
    """(stem, offset of the stem in the token, proclitic) for a token and its stripped forms."""
    out = [(form, 0, "")]
    for k in (1, 2):
        prefix = form[:k]
        if prefix not in NOUN_PROCLITICS or len(form) - k < _MIN_NAME_CHARS:
            continue
        stem = form[k:]
        if prefix[-1] == "ل" and stem[0] == "ل":
            # ل + ال → لل («للكويت»): the article's alef is not written; the span keeps the lam.
            # This reading comes first: «وللكويت» is و + ل + «الكويت», not ول + a «لكويت».
            out.append(("ا" + stem, k - 1, prefix))
        out.append((stem, k, prefix))
    return tuple(out)


def _gap(text: str, end: int, start: int, pattern: re.Pattern[str]) -> bool:
    if start - end == 1 and text[end] == " ":
        return True  # the usual gap, a single space
    return start == end or pattern.fullmatch(text, end, start) is not None


class ToponymFinder:
    """Finds toponyms in token streams with one gazetteer and one set of cues."""

    def __init__(self, gazetteer: Gazetteer, cues: ToponymCues) -> None:
        self.gazetteer = gazetteer
        self.cues = cues
        # A cue word is never a place name by itself (GeoNames lists «مدينة» for Medina).
        blocked = (set(cues.feature_words) | set(cues.relation_words) | cues.locative_words
                   | set(cues.trailing_directions) | cues.person_words)
        self.names = gazetteer.names  # read through `self.lookup`, which leaves cue words out
        self.name_keys = frozenset(k for k in gazetteer.names if k not in blocked)
        # Cue words and common words that are no clitic and a name: «وادي» is no و + «ادي»
        # (but «بريف» is ب + «ريف», which opens «ريف دمشق»).
        self.cue_forms = frozenset(
            form for form in blocked | cues.common_words
            if not any(offset and stem in blocked for stem, offset, _ in readings(form)))
        self.max_words = dict(gazetteer.max_words)
        for key in cues.anaphors:
            self.max_words.setdefault(key, 1)
        # Words that end (or cannot open) a name read after a feature word.
        self.not_name_words = (blocked | set(cues.containment_words) | cues.generic_words
                               | set(gazetteer.demonyms) | set(cues.anaphors)) \
            - cues.name_connectors
        self.heads = cues.name_heads | cues.adjective_heads
        self.not_adjectives = blocked | set(gazetteer.demonyms) | cues.not_facility_adjectives
        self.form_info = lru_cache(maxsize=1 << 17)(self._form_info)
        self.common_only = lru_cache(maxsize=1 << 16)(self._common_only)
        self._inert: set[str] = set()  # forms seen to start nothing (a bounded cache)
        self.relation_tails = frozenset(k.split(" ")[-1] for k in cues.relation_words)
        self.lookup = self.name_keys | frozenset(cues.anaphors)
        self.demonym_only = frozenset(k for k in gazetteer.demonyms if k not in gazetteer.names)
        # The words right before a common word that may make it a place.
        self.licensing = frozenset(cues.feature_words) | self.relation_tails
        # The feature words, bare or definite, whose next name word may be a hashtag.
        self.tagged_heads = frozenset(cues.feature_words) \
            | frozenset("ال" + w for w in cues.feature_words if not w.startswith("ال"))

    def _form_info(self, form: str) -> tuple[tuple[tuple[str, int, str, int], ...], str | None]:
        """What a token form can start: its readings that open a name, with the most words
        such a name has (stem, offset, proclitic, words), and the feature word it is, if any."""
        max_words, heads = self.max_words, self.heads
        one, two = form[1:], form[2:]
        if not (form in max_words or one in max_words or two in max_words or form in heads
                or one in heads or two in heads or "ا" + one in max_words
                or "ا" + two in max_words):
            return (), None  # no reading of it opens anything (most forms)
        starts = []
        for stem, offset, proclitic in readings(form):
            limit = self.max_words.get(stem)
            if limit and not (offset and form in self.cue_forms):
                # A cue word is not a clitic and a name: «وادي» is no و + «ادي».
                starts.append((stem, offset, proclitic, limit))
        head = next((stem for stem, _, _ in readings(form) if stem in self.heads), None)
        return tuple(starts), head

    def _common_only(self, form: str) -> str | None:
        """For a form whose every reading is a one-word common name (most of the 4,500 common
        names WOF brings in are everyday words): "" when it can be one unstripped, "+" when only
        after a proclitic; None for any other form.  Such a form is a place only when the word
        before licenses it, which `find` tests without matching."""
        starts, head = self.form_info(form)
        if not starts or head is not None or any(
                limit != 1 or stem not in self.cues.common_words for stem, _, _, limit in starts):
            return None
        return "" if any(not proclitic for _, _, proclitic, _ in starts) else "+"

    def _match_at(self, tokens: Sequence[Token], text: str, i: int,
                  words: int | None = None) -> tuple[int, str, int, str] | None:
        """The longest name starting at token `i` (of fewer than `words` words when given):
        (end token, key, stem offset, proclitic)."""
        best: tuple[int, str, int, str] | None = None
        lookup, n_tokens = self.lookup, len(tokens)
        for stem, offset, proclitic, most in self.form_info(tokens[i].text)[0]:
            limit = most if words is None else min(most, words - 1)
            if limit < 1:
                continue
            keys = [stem]  # the candidate keys, one word more each
            j = i + 1
            while len(keys) < limit and j < n_tokens \
                    and (_gap(text, tokens[j - 1].end, tokens[j].start, _NAME_GAP)
                         or (j == i + 1 and stem in self.tagged_heads
                             and _HASHTAG_GAP.fullmatch(text, tokens[i].end, tokens[j].start)
                             is not None)):
                keys.append(f"{keys[-1]} {tokens[j].text}")
                j += 1
            for n in range(len(keys), 0, -1):
                key = keys[n - 1]
                if n == 1 and (len(key) < _MIN_NAME_CHARS
                               or not (key in lookup or key in self.demonym_only)):
                    break
                if n == 1 or key in lookup:
                    # Longer names win; at equal length the unstripped reading wins
                    # («لبنان» is Lebanon, not ل + «بنان»).
                    if best is None or i + n > best[0]:
                        best = (i + n, key, offset, proclitic)
                    break
        return best

    def find(self, tokens: Sequence[Token], text: str) -> Recognition:
        toponyms: list[Toponym] = []
        demonyms: list[tuple[int, str]] = []
        listing: str | None = None  # a plural feature word whose list of names may go on
        # Most tokens start nothing: skip them in one pass, looking only where a name, a cue
        # or a feature word may start (and at the token after a list's first name).
        inert = self._inert
        starting = [k for k, tok in enumerate(tokens) if tok.text not in inert]
        n_starting = len(starting)
        s = 0
        i = 0
        while True:
            if listing is None:
                while s < n_starting and starting[s] < i:
                    s += 1
                if s == n_starting:
                    break
                i = starting[s]
            elif i >= len(tokens):
                break
            starts, head = self.form_info(tokens[i].text)
            if not starts and head is None:
                if listing is None and len(inert) < 1 << 17:
                    inert.add(tokens[i].text)
                if listing is None:
                    i += 1
                    continue
            if listing is None and starts:
                common = self.common_only(tokens[i].text)
                if common == "+" or (common == "" and not self._may_license(tokens, text, i, "")):
                    i += 1  # a common word that nothing before makes a place (a fast path)
                    continue
            match = self._match_at(tokens, text, i) if starts else None
            toponym: Toponym | None = None
            if head in self.cues.adjective_heads and listing is None:
                # «المستشفى المركزي»: the facility, whatever place the facility word names
                toponym = self._unknown_name(tokens, text, i, None)
                if toponym is not None:
                    match = None
            if match is None:
                toponym = toponym or self._unknown_name(tokens, text, i, listing)
                if toponym is None:
                    listing = None
                    i += 1
                    continue
            else:
                end_token, key, offset, proclitic = match
                if listing is None:
                    kept = self._uncommon(tokens, text, i, match)
                    if kept is None:
                        i = end_token  # a common word that nothing before makes a place
                        continue
                    end_token, key, offset, proclitic = kept
                start = tokens[i].start + offset
                if key not in self.name_keys and key not in self.cues.anaphors:
                    demonyms.append((start, self.gazetteer.demonyms[key]))
                    listing = None
                    i = end_token
                    continue
                toponym = Toponym(
                    start=start, end=tokens[end_token - 1].end, first_token=i,
                    last_token=end_token, key=key,
                    places=self.names.get(key, ()) if key in self.name_keys else (),
                    phrase_start=start, phrase_end=tokens[end_token - 1].end, proclitic=proclitic,
                    anaphor=self.cues.anaphors.get(key, ()))
            self._read_context(toponym, tokens, text)
            first = toponym.first_token
            if listing is not None and toponym.feature is None and toponym.proclitic == "و" \
                    and toponym.strength != "reject" and first > 0 \
                    and _gap(text, tokens[first - 1].end, tokens[first].start, _CUE_GAP):
                toponym.feature, toponym.kind = self.cues.feature_words[listing]
                toponym.feature_word = listing
                toponym.strength = self._strength(toponym)
            listing = None
            if toponym.feature_word in self.cues.listed_heads and toponym.places \
                    and not any(p.vetted for p in toponym.places):
                toponym.strength = "reject"  # «#عاصمة_الربيع»: no village is a capital
            if toponym.strength == "common":
                self._common_word(toponym)
            elif toponym.kind in FACILITY_KINDS and toponym.relation is None \
                    and any(p.feature == "country" for p in toponym.places):
                # «مستشفى مصر الدولي», «شارع تونس»: a facility named after a country.
                toponym.namesakes, toponym.places = toponym.places, ()
                toponym.head = toponym.feature_word or ""
            if toponym.strength != "reject":
                toponyms.append(toponym)
                if toponym.feature_word in self.cues.plural_heads:
                    listing = toponym.feature_word
            i = toponym.last_token
        return Recognition(toponyms, demonyms)

    def _uncommon(self, tokens: Sequence[Token], text: str, i: int,
                  match: tuple[int, str, int, str]) -> tuple[int, str, int, str] | None:
        """`match`, or when it is a common word that nothing before makes a place, the longest
        shorter name at token `i` that is not («بمصر الجديدة»: Egypt, whatever «مصر الجديدة»
        means as words); None when there is none."""
        found: tuple[int, str, int, str] | None = match
        while found is not None and found[1] in self.cues.common_words \
                and not self._may_license(tokens, text, i, found[3]):
            key = found[1]
            found = self._match_at(tokens, text, i, key.count(" ") + 1) if " " in key else None
        return found

    def _may_license(self, tokens: Sequence[Token], text: str, i: int, proclitic: str) -> bool:
        """Whether the token before token `i` may be a feature word or end a relation that
        makes the common word at `i` a place (a quick test before reading its context)."""
        if proclitic or i == 0 or not _gap(text, tokens[i - 1].end, tokens[i].start, _CUE_GAP):
            return False
        return any(stem in self.licensing for stem, _, _ in readings(tokens[i - 1].text))

    def _common_word(self, t: Toponym) -> None:
        """A listed name that is also a common word: a place only after a feature word or a
        relation, never as a function word or an adjective («مركز كان», «ميناء بحري»); after the
        word for a street, a hospital or the like it names that facility, not the town («طريق
        النصر»), so the facility stays unresolved."""
        if t.key in self.cues.generic_words or (t.feature is None and t.relation in (None, "in")) \
                or (t.feature_word or "").startswith("ال") \
                or (t.feature_word in self.cues.connector_heads and " " not in t.key
                    and not t.key.startswith("ال")):
            # «العاصمة النصر» is a club; «عن طريق وكيل» is a way through an agent
            t.strength = "reject"
        elif t.feature is not None and t.relation is None:
            if not t.key.startswith("ال") and t.key.endswith(("ي", "يه")) and len(t.key) > 3:
                t.strength = "reject"
            elif t.kind in FACILITY_KINDS:
                t.namesakes, t.places = t.places, ()
                t.head = t.feature_word or ""

    # ── names the gazetteer lacks, after a feature word ──────────────────────────────────────
    def _unknown_name(self, tokens: Sequence[Token], text: str, i: int,
                      listing: str | None) -> Toponym | None:
        """An unlisted name after a feature word at token `i` («قرية عين زحلوق»), or after «و»
        in a list that a plural feature word opened («قريتي عين زحلوق وبير قصقص»)."""
        cues = self.cues
        form = tokens[i].text
        if listing is not None and form[:1] == "و" and len(form) > _MIN_NAME_CHARS:
            if not _gap(text, tokens[i - 1].end, tokens[i].start, _CUE_GAP):
                return None
            return self._name_from(tokens, text, i, 1, listing)
        head = self.form_info(form)[1]
        if head is None or i + 1 >= len(tokens) \
                or not _gap(text, tokens[i].end, tokens[i + 1].start, _CUE_GAP):
            return None
        if i > 0 and (tokens[i - 1].text in cues.not_heads_after
                      or tokens[i - 1].text in cues.head_not_after.get(head, ())):
            return None
        if head in cues.definite_heads and not tokens[i + 1].text.startswith("ال"):
            return None
        if head in cues.adjective_heads:
            return self._facility_by_adjective(tokens, text, i, head)
        listed = self._match_at(tokens, text, i + 1)
        if listed is None:
            name = self._name_from(tokens, text, i + 1, 0, head)
            if name is not None and head in cues.connector_heads and " " not in name.key:
                return None  # «طريق النهاية»: a way to something, not a road's name
            return name
        if listed[0] == i + 2 and listed[2] == 0 and (listed[1] in self.cues.name_connectors
                                                      or self._unvetted_only(listed[1])):
            # «منطقة عين زحلوق»: a listed common word that opens a longer unlisted name;
            # «منطقة سهل الغاب»: a word only Who's On First lists (a village «سهل») that does.
            longer = self._name_from(tokens, text, i + 1, 0, head)
            if longer is not None and longer.last_token > i + 2:
                return longer
        return None  # a listed name follows: the main loop reads it with its feature word

    def _facility_by_adjective(self, tokens: Sequence[Token], text: str, i: int,
                               head: str) -> Toponym | None:
        """«المستشفى المركزي», «الطريق الصحراوي», «المعهد الصناعي الثانوي»: a definite facility
        word and one or two definite relative adjectives name one facility of the place the text
        puts it in (or is about); the adjectives are its name, the facility word its head."""
        words: list[str] = []
        k = i + 1
        while k < len(tokens) and len(words) < 2 \
                and _gap(text, tokens[k - 1].end, tokens[k].start, _NAME_GAP) \
                and self._relative_adjective(tokens[k].text):
            words.append(tokens[k].text)
            k += 1
        if not words:
            return None
        stem = head[2:]  # «المستشفى» → «مستشفى»: the feature word it is
        start = tokens[i + 1].start
        toponym = Toponym(start=start, end=tokens[k - 1].end, first_token=i + 1, last_token=k,
                          key=" ".join(words), places=(), phrase_start=tokens[i].start,
                          phrase_end=tokens[k - 1].end)
        toponym.feature, toponym.kind = self.cues.feature_words[stem]
        toponym.feature_word = stem
        toponym.head = stem
        return toponym

    def _relative_adjective(self, form: str) -> bool:
        """A definite relative adjective that is no demonym nor cue word («المركزي»,
        «الصحراوي», «التقنيه»; not «السعودي», «الشمالي»)."""
        return form.startswith("ال") and form.endswith(("ي", "يه")) and len(form) > 5 \
            and form not in self.not_adjectives

    def _unvetted_only(self, key: str) -> bool:
        """Whether every place a name names comes from Who's On First alone (see
        `rasad.geo.gazetteer.GazetteerPlace.vetted`)."""
        return key in self.name_keys and not any(p.vetted for p in self.names.get(key, ()))

    def _name_from(self, tokens: Sequence[Token], text: str, first: int, offset: int,
                   head: str) -> Toponym | None:
        """The name words from token `first` on: one word, then words with the article or
        after a connector («أم الزيتون», «الملك عبد العزيز»), at most four."""
        words: list[str] = []
        k = first
        while k < len(tokens) and len(words) < 4:
            form = tokens[k].text[offset:] if k == first else tokens[k].text
            if k > first and not _gap(text, tokens[k - 1].end, tokens[k].start, _NAME_GAP):
                break
            if not self._name_word(form, words[-1] if words else None):
                break
            if words and words[-1] not in self.cues.name_connectors:
                follows = self._match_at(tokens, text, k)
                if follows is not None and not (follows[2] == 0
                                                and self._unvetted_only(follows[1])):
                    break  # a listed place follows: «منطقة زحلوق الكويت» (but a word only
                    # Who's On First lists goes on the name: «منطقة سعد العبدالله»)
            words.append(form)
            k += 1
        while words and words[-1] in self.cues.name_connectors:
            words.pop()
            k -= 1
        if not words or len(words[0]) < 2 or (len(words) == 1 and len(words[0]) < _MIN_NAME_CHARS):
            return None
        start = tokens[first].start + offset
        end = tokens[k - 1].end
        toponym = Toponym(start=start, end=end, first_token=first, last_token=k,
                          key=" ".join(words), places=(), phrase_start=start, phrase_end=end,
                          proclitic="و" if offset else "")
        toponym.head = head
        return toponym

    def _name_word(self, form: str, previous: str | None) -> bool:
        """Whether `form` can be the next word of an unlisted name."""
        if not form or not ("\u0621" <= form[0] <= "\u064a") or form in self.not_name_words:
            return False
        definite = form.startswith("ال")
        if previous is None:
            if form in self.cues.name_connectors:
                return True  # «أم الزيتون», «وادي زحلوق» (a connector alone is dropped)
            if form in self.cues.person_words:
                return False
            if form.startswith(("بال", "لل", "وال", "فال", "كال")):
                return False  # a preposition or conjunction and a noun («مسجد للسنة»)
            # An indefinite adjective («منطقة سكنية», «مستشفى ميداني», «منطقة مأهولة»), a verb
            # («منطقة يسكنها», «قرى تتميز», «منطقة ظلت»), a verbal noun («منطقة استرخاء»), a noun
            # with a pronoun («منطقة إدارتها») or the next item of a list («ومسجد وحرائق»).
            return definite or not ((form.endswith(("ي", "يه")) and len(form) > 3)
                                    or (form.endswith(_PRONOUN_SUFFIXES) and len(form) > 4)
                                    or form[0] in "يو" or form.endswith("ت")
                                    or (form[0] == "ت" and len(form) > 3)
                                    or (form[0] == "م" and form[-1] == "ه" and len(form) > 4)
                                    or form.startswith("است"))
        return definite or previous in self.cues.name_connectors

    def _read_context(self, t: Toponym, tokens: Sequence[Token], text: str) -> None:
        cues = self.cues
        if t.proclitic and t.proclitic[-1] in "بل" and t.proclitic in cues.locative_proclitics:
            t.locative = True
        # Backwards: [locative] [relation] [feature word] NAME.  Only a name without a proclitic
        # follows its feature word or relation: «طريق وكيل» is no road to Kiel.
        p = t.first_token - 1 if not t.proclitic else -1
        if p >= 0 and _gap(text, tokens[p].end, tokens[t.first_token].start, _CUE_GAP):
            for stem, offset, proclitic in readings(tokens[p].text):
                if stem in cues.feature_words:
                    t.feature, t.kind = cues.feature_words[stem]
                    t.feature_word = stem
                    t.phrase_start = tokens[p].start + offset
                    t.locative = t.locative or proclitic in cues.locative_proclitics
                    p -= 1
                    break
        if not t.proclitic:
            self._read_relation(t, tokens, text, p)
        p = self._token_before(tokens, t.phrase_start)
        if p >= 0 and _gap(text, tokens[p].end, t.phrase_start, _CUE_GAP):
            if tokens[p].text in cues.locative_words:
                t.locative = True
            if tokens[p].text in cues.person_words and t.feature is None \
                    and t.relation is None and t.places \
                    and all(pl.feature != "country" for pl in t.places):
                t.strength = "reject"
                return
        # Forwards: trailing direction («ريف حلب الشمالي»), «بن» after a person's name.
        q = t.last_token
        if q < len(tokens) and _gap(text, tokens[q - 1].end, tokens[q].start, _CUE_GAP):
            form = tokens[q].text
            if form in ("بن", "ابن", "بنت") and t.feature is None:
                t.strength = "reject"
                return
            two = f"{form} {tokens[q + 1].text}" if q + 1 < len(tokens) else ""
            for words, end in ((two, q + 2), (form, q + 1)):
                if words in cues.trailing_directions and end - 1 < len(tokens):
                    t.direction = cues.trailing_directions[words]
                    t.phrase_end = tokens[end - 1].end
                    break
        self._read_hashtag(t, text)
        t.strength = self._strength(t)

    def _read_relation(self, t: Toponym, tokens: Sequence[Token], text: str, p: int) -> None:
        """A relation word (or phrase) right before the feature word or the name."""
        cues = self.cues
        if p < 0 or not any(stem in self.relation_tails for stem, _, _ in readings(tokens[p].text)):
            return
        for n in range(min(cues.max_relation_words, p + 1), 0, -1):
            first = p - n + 1
            if not _gap(text, tokens[p].end, t.phrase_start, _CUE_GAP):
                return
            words = [tok.text for tok in tokens[first:p + 1]]
            if any(not _gap(text, tokens[k].end, tokens[k + 1].start, _CUE_GAP)
                   for k in range(first, p)):
                continue
            for stem, offset, proclitic in readings(words[0]):
                phrase = " ".join([stem, *words[1:]])
                if phrase in cues.relation_words:
                    t.relation = cues.relation_words[phrase]
                    t.relation_word = phrase
                    t.phrase_start = tokens[first].start + offset
                    if proclitic in cues.locative_proclitics:
                        t.locative = True
                    return

    @staticmethod
    def _token_before(tokens: Sequence[Token], pos: int) -> int:
        lo, hi = 0, len(tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            if tokens[mid].start < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    @staticmethod
    def _read_hashtag(t: Toponym, text: str) -> None:
        """Whether the name sits in a hashtag, and whether that hashtag has other words too."""
        k = t.start - 1
        while (k >= 0 and text[k] in "_-") or (k >= 0 and text[k].isalnum()):
            k -= 1
        # `k` is now on the character before the hashtag's first word (or the name's own start).
        if not (k >= 0 and text[k] == "#"):
            return
        t.hashtag = True
        tag_end = t.end
        while tag_end < len(text) and (text[tag_end].isalnum() or text[tag_end] == "_"):
            tag_end += 1
        t.compound_hashtag = k + 1 < t.start or tag_end > t.end

    def _strength(self, t: Toponym) -> str:
        cues = self.cues
        if t.key in cues.common_words:
            return "common"
        if t.key in cues.weak_names:
            return "weak"
        if " " in t.key or any(p.feature in ("country", "admin1", "region", "poi")
                               for p in t.places):
            return "strong"
        small = all(p.population < 20_000 for p in t.places)
        return "weak" if len(t.key) <= 3 or small else "strong"


def dateline_at(text: str, t: Toponym) -> bool:
    """A dateline: the name opens the text and a dash, colon or agency bracket follows."""
    head = text[:t.phrase_start]
    if head.strip(" \n\"'*-") or t.phrase_start > 40:
        return False
    return _DATELINE_TAIL.match(text, t.phrase_end) is not None
