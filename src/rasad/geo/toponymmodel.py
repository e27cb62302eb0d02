"""Is this gazetteer name a place here? Two small trained models over the geocoder's own cues.

Thousands of gazetteer names are also everyday words («الصباحية», «الشرقية», «سيول»), and tens of
thousands are villages and quarters whose names recur across countries.  The rules take a common
word only after a feature word or a relation («منطقة الصباحية») and drop a weak name (a village,
a small town) that nothing in the text vouches for; beyond those crisp cases whether the name is
a place is a judgement over weak cues: a locative preposition, a hashtag of the name alone, a list
of places around it, the place's country or nearby places named in the text, population and
ambiguity, how common the name is as a word.  Two logistic regressions
(`rasad.linear.LogisticModel`) judge them:

- `rescue` over `toponym_features`: the common-word names the recogniser's rules leave out
  (`common_candidates`: the longest listed common-word name at each token no found toponym
  covers, read in context like any toponym); `rescue_common` adds those the model calls places as
  weak names, which the resolver then judges like any other;
- `keep` over `resolution_features` (the same cues and what the resolver found: its best reading,
  the text's country, nearby places, a container): a weak name (a village, a small town, a
  common word `rescue` kept) that the resolver's rules drop is kept when the model says so
  (`KeepJudge`, the resolver's `judge`).  A common word the rules reject after a relation
  («مشارف السجن») stays rejected.

No word of any text is a feature: a name is described by how common it is as a word (its rank in
wordfreq's Arabic list, `ner/frequencies.tsv.gz`), its places and its context.  A place
either model made is marked `judged`: it is listed among the document's places (the contract
lists every toponym mention) but locates no event (`Pipeline.locate`): trained on tweets, the
models' places cost event F1 on news articles when events could use them.

Both are trained by `scripts/train_toponym_model.py` on IDRISI dev (the only place-labelled set),
a name labelled by whether a gold mention overlaps it, with leave-one-event-out cross-validation;
they ship with the ranks of the common-word names as `data/toponym_model.json`, whose `info`
holds the in-sample and cross-validated scores.  `rescue` runs with the setting
`toponym_rescue` (on); `toponym_model = false` turns both off.  It reads only the tokens
`RescueGate` lists: from each common-word name's bound the gate knows what context the model
would need to keep it, and lists the tokens that may open such a name where that context can be
(about a tenth of the tokens a second reading of the text would go through, the same names kept).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rasad.errors import ConfigError
from rasad.geo.distance import distance_km
from rasad.geo.gazetteer import GazetteerPlace
from rasad.geo.recognize import Recognition, Toponym, ToponymFinder
from rasad.geo.resolve import FAR_VILLAGE, Resolution
from rasad.linear import LogisticModel, packaged_json
from rasad.text.clitics import with_proclitics
from rasad.text.segment import Token

MODEL_FILE = "toponym_model.json"
_NEAR_TOKENS = 3
_MAX_ANCHORS = 5  # another name of more places than this says little about where the text is
_MAX_CANDIDATES = 20
_MAX_ANCHOR_PLACES = 64  # distances are measured to the first places of a long text only
_DISTANCE_FEATURES = ("within_30km_of_a_place", "within_100km_of_a_place")
_LIST_MARKS = ("،", ",", "-", "/")
# The context features `ToponymModel.may_rescue` measures before a name is read in context.
_MEASURED_CONTEXT = frozenset({"country_named", "no_country_named", "place_near",
                               "listed_near_place", "proclitic", "proclitic_wa"})


def common_candidates(finder: ToponymFinder, tokens: Sequence[Token], text: str,
                      recognition: Recognition,
                      worth: Callable[[Toponym], bool] | None = None,
                      name_worth: Callable[[str], bool] | None = None,
                      positions: Sequence[int] | None = None) -> list[Toponym]:
    """The common-word names at tokens no found toponym covers, read in context (text order);
    with `worth`, only those it accepts before they are read in context, with `name_worth`
    none at a word whose every reading is a one-word name it refuses (not even matched), and
    with `positions` (ascending token indices) only those starting there."""
    covered = [False] * len(tokens)
    for t in recognition.toponyms:
        for k in range(t.first_token, min(t.last_token, len(tokens))):
            covered[k] = True
    common, names = finder.cues.common_words, finder.names
    found: list[Toponym] = []
    order = range(len(tokens)) if positions is None else positions
    free = 0  # the first token no candidate read so far covers
    for i in order:
        if i < free:
            continue
        starts = () if covered[i] else finder.form_info(tokens[i].text)[0]
        if not starts or (name_worth is not None and all(
                limit == 1 and not (stem in common and name_worth(stem))
                for stem, _, _, limit in starts)):
            continue
        match = finder._match_at(tokens, text, i)
        if match is None or match[1] not in common or match[1] not in finder.name_keys \
                or any(covered[k] for k in range(i, match[0])):
            continue
        end_token, key, offset, proclitic = match
        start = tokens[i].start + offset
        t = Toponym(start=start, end=tokens[end_token - 1].end, first_token=i,
                    last_token=end_token, key=key, places=names.get(key, ()),
                    phrase_start=start, phrase_end=tokens[end_token - 1].end,
                    proclitic=proclitic)
        free = end_token
        if not t.places or (worth is not None and not worth(t)):
            continue
        finder._read_context(t, tokens, text)
        if t.strength != "reject" and t.places:
            found.append(t)
    return found


def document_countries(recognition: Recognition) -> set[str]:
    """The countries the document names: its demonyms and its names of one country."""
    out = {c for _, c in recognition.demonyms}
    for t in recognition.toponyms:
        codes = {p.country for p in t.places if p.country}
        if len(codes) == 1 and t.strength != "common":
            out |= codes
        out |= set(t.anaphor[:1])
    return out


class DocumentIndex:
    """What every candidate of one document is compared with, gathered once (linear in the
    document's names): the countries it names (`document_countries`, or the resolver's
    evidence when given), its other names by the tokens they start and
    end at, and the places they may be (for distances, at most `_MAX_ANCHOR_PLACES` of them)."""

    def __init__(self, recognition: Recognition, countries: set[str] | None = None) -> None:
        self.recognition = recognition
        self.countries = document_countries(recognition) if countries is None else countries
        self.by_first: dict[int, list[Toponym]] = {}
        self.by_last: dict[int, list[Toponym]] = {}
        for o in recognition.toponyms:
            if o.strength != "common":
                self.by_first.setdefault(o.first_token, []).append(o)
                self.by_last.setdefault(o.last_token, []).append(o)
        self._anchors: dict[str, tuple[GazetteerPlace, int, Toponym]] | None = None

    def near(self, t: Toponym) -> bool:
        """Whether another name ends right before `t` or starts right after it."""
        for k in range(_NEAR_TOKENS):
            for o in (*self.by_last.get(t.first_token - k, ()),
                      *self.by_first.get(t.last_token + k, ())):
                if o is not t:
                    return True
        return False

    @property
    def anchors(self) -> dict[str, tuple[GazetteerPlace, int, Toponym]]:
        """gid → (place, how many names may be it, the first): the places (below a country)
        that the document's names of at most `_MAX_ANCHORS` places may be."""
        if self._anchors is None:
            found: dict[str, tuple[GazetteerPlace, int, Toponym]] = {}
            for o in self.recognition.toponyms:
                if o.strength == "common" or not 0 < len(o.places) <= _MAX_ANCHORS:
                    continue
                for p in o.places:
                    if p.feature == "country" or p.latitude is None:
                        continue
                    if p.gid in found:
                        place, n, first = found[p.gid]
                        found[p.gid] = (place, n + 1, first)
                    elif len(found) < _MAX_ANCHOR_PLACES:
                        found[p.gid] = (p, 1, o)
            self._anchors = found
        return self._anchors

    def nearest_km(self, t: Toponym) -> float | None:
        """The least distance from a place `t` may be to one another name may be."""
        best: float | None = None
        for a, n, first in self.anchors.values():
            if n == 1 and first is t:
                continue
            for p in t.places[:_MAX_CANDIDATES]:
                km = distance_km(p, a)
                if km is not None and (best is None or km < best):
                    best = km
        return best


def _listed(t: Toponym, text: str) -> bool:
    """Whether `t` follows «و» or a list's comma, dash or slash."""
    return t.proclitic == "و" or _after_list_mark(text, t.phrase_start)


def name_features(key: str, places: Sequence[GazetteerPlace],
                  word_ranks: Mapping[str, int]) -> dict[str, float]:
    """The cues of a name whatever its context: how common it is as a word, its places."""
    rank = word_ranks.get(key)
    return {
        "word_log_rank": math.log10(rank + 1) / 5 if rank is not None else 1.0,
        "word_unranked": float(rank is None),
        "definite": float(key.startswith("ال")),
        "words": float(key.count(" ") + 1),
        "log_places": math.log1p(len(places)),
        "log_population": math.log1p(max(p.population for p in places)) / 10,
        "vetted": float(any(p.vetted for p in places)),
        "settlement": float(any(p.feature == "city" for p in places)),
        "area": float(any(p.feature in ("admin1", "admin2", "admin3", "region")
                          for p in places)),
        "neighbourhood": float(any(p.kind == "neighbourhood" for p in places)),
    }


def toponym_features(t: Toponym, text: str, index: DocumentIndex, word_ranks: Mapping[str, int],
                     distances: bool = True) -> dict[str, float]:
    """The cues of one candidate: its context, its places, the document's other names and
    places (`index`), and how common its name is as a word (`word_ranks`: its rank in a
    frequency list of Arabic).  Without `distances` the distance features are 0."""
    places = t.places
    countries = index.countries
    features = dict(name_features(t.key, places, word_ranks))
    features.update({
        "locative": float(t.locative),
        "proclitic": float(bool(t.proclitic)),
        "proclitic_wa": float(t.proclitic == "و"),
        "hashtag_alone": float(t.hashtag and not t.compound_hashtag),
        "hashtag_compound": float(t.compound_hashtag),
        "country_named": float(any(p.country in countries for p in places)),
        "no_country_named": float(not countries),
        "relation": float(t.relation is not None),
    })
    near = index.near(t)
    features["place_near"] = float(near)
    features.update(distance_features(index.nearest_km(t) if distances else None))
    features["listed_near_place"] = float(near and _listed(t, text))
    return features


def distance_features(km: float | None) -> dict[str, float]:
    """The distance features of a candidate whose places lie `km` from the text's others."""
    return {"within_30km_of_a_place": float(km is not None and km < 30),
            "within_100km_of_a_place": float(km is not None and km < 100)}


def resolution_features(r: Resolution, text: str, index: DocumentIndex,
                        word_ranks: Mapping[str, int]) -> dict[str, float]:
    """`toponym_features` and what the resolver found: the cues of its best reading."""
    t = r.toponym
    countries = index.countries
    features = toponym_features(t, text, index, word_ranks)
    best = r.candidates[0] if r.candidates else None
    parts = best.parts if best is not None else {}
    place = r.place
    features.update({
        "common": float(t.strength == "common"),
        "best_about_country": float(any(k.startswith("the text is about") for k in parts)),
        "best_near_place": float(any(" km from " in k for k in parts)),
        "best_far_village": float(FAR_VILLAGE in parts),
        "container": float(r.container is not None),
        "best_in_named_country": float(place is not None and place.country in countries),
        "best_vetted": float(place is not None and place.vetted),
        "best_log_population": math.log1p(place.population) / 10 if place else 0.0,
        "score": r.score,
    })
    return features


@dataclass(frozen=True, slots=True)
class ToponymModel:
    """The two logistic regressions and the word ranks of the names they judge:
    `rescue` over `toponym_features` (a common word the recogniser left out), `keep` over
    `resolution_features` (a weak name the resolver's rules drop)."""

    rescue: LogisticModel
    keep: LogisticModel
    word_ranks: Mapping[str, int]
    info: Mapping[str, Any]
    # name → `_bound` (None: no context could make `rescue` keep it, most common words)
    _rescuable: dict[str, float | None] = field(default_factory=dict, compare=False,
                                                repr=False)

    def may_rescue(self, t: Toponym, index: DocumentIndex) -> bool:
        """Whether `rescue` could keep `t` (not yet read in context) whatever its context
        holds: what the document tells is measured, the rest of the context at its most
        helpful."""
        bound = self._bound(t.key, t.places)
        if bound is None:
            return False
        weights = self.rescue.weights
        near = index.near(t)
        z = bound
        if any(p.country in index.countries for p in t.places):
            z += weights.get("country_named", 0.0)
        if not index.countries:
            z += weights.get("no_country_named", 0.0)
        if near:
            z += weights.get("place_near", 0.0) + max(weights.get("listed_near_place", 0.0), 0.0)
        if t.proclitic:
            z += weights.get("proclitic", 0.0)
        if t.proclitic == "و":
            z += weights.get("proclitic_wa", 0.0)
        return z > -30 and 1.0 / (1.0 + math.exp(-z)) >= self.rescue.threshold

    def _bound(self, key: str, places: Sequence[GazetteerPlace]) -> float | None:
        """The logit of the name `key` with the context `may_rescue` does not measure at its
        most helpful (None when even all of its context could not make it a place)."""
        known = self._rescuable.get(key, False)
        if known is False:
            features = name_features(key, places, self.word_ranks)
            weights = self.rescue.weights
            z = self.rescue.bias + sum(weights.get(k, 0.0) * v for k, v in features.items())
            measured = _MEASURED_CONTEXT | features.keys()
            bound = z + sum(max(w, 0.0) for k, w in weights.items() if k not in measured)
            best = bound + sum(max(weights.get(k, 0.0), 0.0) for k in _MEASURED_CONTEXT
                               if k != "no_country_named") \
                + max(weights.get("no_country_named", 0.0), 0.0)
            known = bound if best > -30 and 1.0 / (1.0 + math.exp(-best)) \
                >= self.rescue.threshold else None
            if len(self._rescuable) < 1 << 16:
                self._rescuable[key] = known
        return known

    def to_json(self) -> dict[str, Any]:
        return {"rescue": self.rescue.to_json(), "keep": self.keep.to_json(),
                "info": dict(self.info), "word_ranks": dict(sorted(self.word_ranks.items()))}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ToponymModel:
        try:
            ranks = {str(k): int(v) for k, v in data["word_ranks"].items()}
            return cls(LogisticModel.from_json(data["rescue"], MODEL_FILE),
                       LogisticModel.from_json(data["keep"], MODEL_FILE), ranks,
                       dict(data.get("info") or {}))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise ConfigError(f"{MODEL_FILE} is malformed: {exc}", code="E503") from exc


@lru_cache(maxsize=2)
def load_toponym_model(file: str = MODEL_FILE) -> ToponymModel | None:
    """The packaged model (None when the file is not installed)."""
    data = packaged_json(file)
    return None if data is None else ToponymModel.from_json(data)


class RescueGate:
    """Where `rescue` may keep a name, found in one cheap look at the tokens instead of a second
    reading of the whole text.

    A common-word name can only be kept where the model's probability, with every cue of its
    context, reaches the threshold.  From each name's bound alone (`ToponymModel._bound`, the
    name's own cues and the most its context could add) the gate sorts the names by what they
    need besides: nothing but the text's countries (`far`: rare words, names of several words),
    another name next to them (`near`: `place_near`), or another name next to them in a list
    (`listed`: «و» or a list mark before them, `listed_near_place`).  `positions` lists the
    tokens that may open such a name where its need is met (a name of several words only where
    its first two words are); `common_candidates` reads only those, with the outcome of reading
    every token (but for a candidate that the full reading skips because a name the model could
    never keep covers its first word)."""

    _TIERS = ("far", "near", "listed")

    def __init__(self, finder: ToponymFinder, model: ToponymModel) -> None:
        weights = model.rescue.weights
        threshold = model.rescue.threshold
        logit = math.log(threshold / (1.0 - threshold)) if 0 < threshold < 1 else 0.0
        # The most the text's countries and a proclitic can add; then a name next to it.
        lift = max(weights.get("country_named", 0.0), weights.get("no_country_named", 0.0), 0.0) \
            + max(weights.get("proclitic", 0.0), 0.0) + max(weights.get("proclitic_wa", 0.0), 0.0)
        near = max(weights.get("place_near", 0.0), 0.0)
        words: dict[str, set[str]] = {tier: set() for tier in self._TIERS}
        pairs: dict[str, set[tuple[str, str]]] = {tier: set() for tier in self._TIERS}
        self.most_words = 1
        for key in finder.cues.common_words:
            places = finder.names.get(key) if key in finder.name_keys else None
            bound = model._bound(key, places) if places else None
            if bound is None:
                continue
            tier = "far" if bound + lift >= logit else \
                "near" if bound + lift + near >= logit else "listed"
            first, _, rest = key.partition(" ")
            if rest:
                pairs[tier].update((form, rest.split(" ")[0]) for form in with_proclitics((first,)))
            else:
                words[tier].add(first)
            self.most_words = max(self.most_words, key.count(" ") + 1)
        self.words = {tier: with_proclitics(words[tier]) for tier in self._TIERS}
        self.pairs = {tier: frozenset(pairs[tier]) for tier in self._TIERS}
        # The forms that may open a name of the far kind (looked for in every token), and of the
        # others (looked for beside the found toponyms only).
        self.far_first = self.words["far"] | {a for a, _ in self.pairs["far"]}
        self.near_first = frozenset().union(
            self.words["near"], self.words["listed"],
            *({a for a, _ in self.pairs[tier]} for tier in ("near", "listed")))

    def positions(self, tokens: Sequence[Token], text: str,
                  recognition: Recognition) -> list[int]:
        """The tokens where a name the model may keep can start (ascending)."""
        far_first, n = self.far_first, len(tokens)
        found = {i for i, tok in enumerate(tokens) if tok.text in far_first
                 and self._tier(tokens, i, "far")}
        near_first = self.near_first
        for o in recognition.toponyms:
            if o.strength == "common":
                continue
            # The tokens a name starting there would be next to `o` (`DocumentIndex.near`).
            for i in (*range(o.last_token, o.last_token + _NEAR_TOKENS),
                      *range(o.first_token - self.most_words - _NEAR_TOKENS + 1, o.first_token)):
                if 0 <= i < n and i not in found and tokens[i].text in near_first and (
                        self._tier(tokens, i, "near")
                        or (self._tier(tokens, i, "listed")
                            and (tokens[i].text[0] == "و"
                                 or _after_list_mark(text, tokens[i].start)))):
                    found.add(i)
        return sorted(found)

    def _tier(self, tokens: Sequence[Token], i: int, tier: str) -> bool:
        """Whether a name of `tier` may start at token `i` (its first two words, if more)."""
        form = tokens[i].text
        if form in self.words[tier]:
            return True
        return i + 1 < len(tokens) and (form, tokens[i + 1].text) in self.pairs[tier]


def _after_list_mark(text: str, start: int) -> bool:
    """Whether the last character before `start` but spaces is a list's comma, dash or slash."""
    k = start - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    return k >= 0 and text[k] in _LIST_MARKS


def rescue_common(finder: ToponymFinder, tokens: Sequence[Token], text: str,
                  recognition: Recognition, model: ToponymModel,
                  gate: RescueGate | None = None) -> Recognition:
    """`recognition` with the common-word names the model calls places added as weak names;
    with `gate`, only the tokens it lists are read."""
    positions = gate.positions(tokens, text, recognition) if gate is not None else None
    if positions == []:
        return recognition
    index = DocumentIndex(recognition)
    candidates = common_candidates(
        finder, tokens, text, recognition, lambda t: model.may_rescue(t, index),
        lambda key: key in finder.name_keys and bool(finder.names.get(key))
        and model._bound(key, finder.names[key]) is not None, positions)
    if not candidates:
        return recognition
    rescue = model.rescue
    # The most the distance features can add: a candidate that stays below the threshold with
    # it is not measured (most are everyday words: «الان», «حالة»).
    reach = {k: 1.0 for k in _DISTANCE_FEATURES if rescue.weights.get(k, 0.0) > 0}
    kept = []
    for t in candidates:
        features = toponym_features(t, text, index, model.word_ranks, distances=False)
        if rescue.probability({**features, **reach}) < rescue.threshold:
            continue
        p = rescue.probability({**features, **distance_features(index.nearest_km(t))})
        if p >= rescue.threshold:
            t.strength = "weak"
            t.judged = True
            t.notes.append(f"a common word kept by the toponym model (p={p:.2f})")
            kept.append(t)
    if not kept:
        return recognition
    toponyms = sorted([*recognition.toponyms, *kept], key=lambda x: x.start)
    return Recognition(toponyms, recognition.demonyms)


class KeepJudge:
    """The resolver's second opinion on a weak name its rules drop."""

    def __init__(self, model: ToponymModel) -> None:
        self.model = model
        self._index: DocumentIndex | None = None  # of the last document asked about

    def index(self, recognition: Recognition, countries: Iterable[str]) -> DocumentIndex:
        # Read once: a geocoder is shared by a process's threads (the API's ingest), and another
        # document's index may replace the remembered one between the check and the return.
        index = self._index
        if index is None or index.recognition is not recognition:
            index = self._index = DocumentIndex(recognition, set(countries))
        return index

    def __call__(self, r: Resolution, text: str, recognition: Recognition,
                 countries: Iterable[str]) -> bool:
        """Whether to keep `r`; `countries`: those the resolver's evidence names."""
        if r.toponym.strength != "weak" or r.place is None:
            return False
        features = resolution_features(r, text, self.index(recognition, countries),
                                       self.model.word_ranks)
        p = self.model.keep.probability(features)
        if p >= self.model.keep.threshold:
            r.toponym.judged = True
            r.toponym.notes.append(f"kept by the toponym model (p={p:.2f})")
            return True
        return False
