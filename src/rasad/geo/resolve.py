"""Toponym resolution: choose each name's place and say why, with a score and ACLED precision.

`Resolver(gazetteer, cues, judge).resolve(recognition, text)` scores every candidate place of
every toponym from: a prior (feature type, population), the feature word before the name
(«محافظة» wants a governorate, «سجن» a prison), the countries the document is about (country
names, demonyms, names whose every reading lies in one country, the dateline), the place that
contains it («مارع بريف حلب», «X في محافظة Y», «X (Y)»), and the distance to the other places of
the document.  Two passes: the first resolves with the document's countries, the second adds
containment and distance to the first pass's choices.  Names that are common words or given
names are dropped unless their context makes them places (or the `judge`, the toponym model,
keeps them).  A name the gazetteer lacks (found after a feature word), or a weak name whose
only readings lie in a country the text is not about, stays unresolved and borrows the location
of the place the text puts it in, else of the place the text is mostly about.
Each `Resolution` keeps the candidates' scores and the cue that decided (the largest contribution
separating the winner from the runner-up).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rasad.geo.distance import EARTH_RADIUS_KM, distance_km
from rasad.geo.gazetteer import FEATURE_RANK, Gazetteer, GazetteerPlace
from rasad.geo.recognize import FACILITY_KINDS, Recognition, Toponym, ToponymCues, dateline_at

if TYPE_CHECKING:
    from rasad.geo.toponymmodel import KeepJudge

BASE_PRECISION = {"city": 1, "poi": 1, "admin3": 2, "admin2": 2, "admin1": 3, "region": 3,
                  "country": 3}
FEATURE_PRIOR = {"country": 3.0, "admin1": 2.2, "region": 2.2, "poi": 2.4, "admin2": 1.9,
                 "admin3": 1.6}
FEATURE_WORD_BONUS = 2.5
CONTAINMENT_BONUS = 1.5
OTHER_COUNTRY_PENALTY = -2.5
"""A reading in another country than the place the text puts the name in («في مأدبا»): as much
as a matching feature word is worth, so «منطقة النزهة في مأدبا» is not Cairo's al-Nuzha."""
NEAR_KM = 100.0
"""A village or quarter of unknown population (most Who's On First places) is read as a bare or
«في» name only this close to another place of the text, or where the text puts it in one: with
tens of thousands of villages, most words have a namesake somewhere."""
VILLAGE_POPULATION = 1_000
FAR_VILLAGE = "a village or quarter far from the text's other places"
MINOR_POPULATION = 20_000
"""A town or quarter smaller than this (or of unknown population) in a country the text is not
about needs evidence to be the place meant: most such names have namesakes at home."""
OUTSIDE_CONTAINER_KM = 100.0
"""A reading this far from the place the text puts it in is a namesake, not the place."""
PROXIMITY_KM = 300.0
"""Readings farther than this from every other place of the document get no proximity bonus."""
_LABELS = {"country": "a country", "admin1": "a governorate/province", "admin2": "a district",
           "admin3": "a sub-district", "city": "a town", "poi": "a facility", "region": "a region"}


class Anchors:
    """The places a document names surely (one per place, in text order), to find the nearest
    one to a reading: sorted by latitude, searched outward from the reading's latitude until
    the latitude gap alone is farther than the nearest found (or `PROXIMITY_KM`), so a long
    document's many places are not each measured against every reading."""

    def __init__(self, anchors: list[Resolution]) -> None:
        self.per_key = Counter(a.toponym.key for a in anchors)
        self.total = len(anchors)
        located = sorted((a.place.latitude, k, a) for k, a in enumerate(anchors)
                         if a.place is not None and a.place.latitude is not None
                         and a.place.longitude is not None)
        self._latitudes = [latitude for latitude, _, _ in located]
        self._located = [(k, a) for _, k, a in located]
        self._per_admin1: dict[tuple[str, str], list[Resolution]] = defaultdict(list)
        for a in anchors:
            if a.place is not None and a.place.feature != "country" and a.place.admin1:
                self._per_admin1[(a.place.country or "", a.place.admin1)].append(a)

    def count_besides(self, key: str) -> int:
        """How many anchors another toponym than `key` names."""
        return self.total - self.per_key[key]

    def in_admin1(self, place: GazetteerPlace, key: str) -> Resolution | None:
        """The first anchor in the governorate of `place` (not `place` itself nor named by
        toponym `key`), or None."""
        if not place.admin1:
            return None
        return next((a for a in self._per_admin1.get((place.country or "", place.admin1), ())
                     if a.place is not None and a.place.gid != place.gid
                     and a.toponym.key != key), None)

    def nearest(self, place: GazetteerPlace, key: str) -> tuple[float, Resolution] | None:
        """The anchor nearest `place` (the earliest on a tie) that is not `place` itself nor
        named by toponym `key`, with its distance; None when none is within `PROXIMITY_KM`."""
        if place.latitude is None or place.longitude is None:
            return None
        best: tuple[float, int, Resolution] | None = None
        per_degree = math.radians(1.0) * EARTH_RADIUS_KM
        right = bisect_left(self._latitudes, place.latitude)
        left = right - 1
        while left >= 0 or right < len(self._latitudes):
            # The side whose next anchor is closer in latitude: no anchor farther along it can
            # be nearer than the latitude gap (a great circle is never shorter than its meridian
            # arc), so the search ends when that gap passes the best distance.
            gap_left = place.latitude - self._latitudes[left] if left >= 0 else math.inf
            gap_right = self._latitudes[right] - place.latitude \
                if right < len(self._latitudes) else math.inf
            if gap_left <= gap_right:
                i, gap = left, gap_left
                left -= 1
            else:
                i, gap = right, gap_right
                right += 1
            bound = PROXIMITY_KM if best is None else min(best[0], PROXIMITY_KM)
            if gap * per_degree > bound * (1 + 1e-9) + 1e-6:
                break
            k, anchor = self._located[i]
            if anchor.place is None or anchor.place.gid == place.gid \
                    or anchor.toponym.key == key:
                continue
            km = distance_km(place, anchor.place)
            if km is not None and (best is None or (km, k) < best[:2]):
                best = (km, k, anchor)
        return (best[0], best[2]) if best is not None else None


@dataclass(slots=True)
class Candidate:
    """One reading of a toponym with its score and the contributions that make it up."""

    place: GazetteerPlace
    parts: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.parts.values())


@dataclass(slots=True)
class Resolution:
    """A toponym and its chosen place (None: found, not resolved)."""

    toponym: Toponym
    place: GazetteerPlace | None
    score: float
    geo_precision: int
    cue: str
    candidates: list[Candidate]
    container: Resolution | None = None
    dateline: bool = False
    # For a name the gazetteer lacks: the known place whose location stands in for it (its
    # container, or the place the document is mostly about).
    within: GazetteerPlace | None = None
    namesake: GazetteerPlace | None = None  # a listed place of the same name, set aside
    namesake_reason: str = ""  # why it was set aside («is in LY, which the text is not about»)


def _village(place: GazetteerPlace) -> bool:
    """A town-level place of under `VILLAGE_POPULATION` people or of unknown population (a
    village or quarter, mostly from WOF)."""
    return place.feature == "city" and place.population < VILLAGE_POPULATION


def _unvetted(place: GazetteerPlace) -> bool:
    return not place.vetted


def _minor(place: GazetteerPlace) -> bool:
    """A town or sub-district of under `MINOR_POPULATION` people (or of unknown population)."""
    return place.population < MINOR_POPULATION and place.feature in ("city", "admin3")


def _countries(places: tuple[GazetteerPlace, ...]) -> set[str]:
    """The countries a name's readings lie in, leaving out villages when it also names a larger
    place: «الكويت» is about Kuwait whatever Yemeni hamlet shares the name."""
    larger = {p.country for p in places if p.country and not _village(p)}
    return larger or {p.country for p in places if p.country}


def prior(place: GazetteerPlace) -> tuple[str, float]:
    if place.feature == "city":
        return (f"population {place.population:,}",
                1.3 + 0.22 * math.log10(1 + max(place.population, 0)))
    return f"{_LABELS.get(place.feature, place.feature)} by default", \
        FEATURE_PRIOR.get(place.feature, 1.5)


class Resolver:
    """Scores the candidates of a document's toponyms."""

    def __init__(self, gazetteer: Gazetteer, cues: ToponymCues,
                 judge: KeepJudge | None = None) -> None:
        self.gazetteer = gazetteer
        self.cues = cues
        # A second opinion on the weak names the rules drop (the toponym model).
        self.judge = judge

    def resolve(self, recognition: Recognition, text: str) -> list[Resolution]:
        toponyms = recognition.toponyms
        evidence = self._country_evidence(recognition, text)
        # A name read the same way twice scores the same: score each reading once.
        memo: dict[tuple[object, ...], Resolution] = {}

        def score(t: Toponym, container: Resolution | None,
                  anchors: Anchors | None) -> Resolution:
            outer = container.place.gid if container and container.place else None
            key = (t.key, t.feature_word, t.strength, t.relation, t.direction, outer,
                   container.toponym.key if container else None,
                   anchors.count_besides(t.key) if anchors else 0)
            known = memo.get(key)
            if known is None:
                known = memo[key] = self._score(t, evidence, container, anchors)
                return known
            return Resolution(t, known.place, known.score, known.geo_precision, known.cue,
                              known.candidates, known.container)

        first = [score(t, None, None) for t in toponyms]
        kept = [self._kept(r) for r in first]
        containers = self._containers(toponyms, text)
        # One anchor per place: repeated mentions of a town add nothing to distances.
        anchors = Anchors(list({r.place.gid: r for r in first
                                if r.place is not None and r.place.feature != "country"
                                and r.toponym.strength == "strong"
                                and r.score >= 0.6}.values()))
        second: list[Resolution] = []
        for k, t in enumerate(toponyms):
            outer = containers[k]
            container = first[outer] if outer is not None and kept[outer] else None
            if not t.places and not t.anaphor:
                second.append(Resolution(t, None, 0.0, 3, "", [], container))
                continue
            resolution = score(t, container, anchors)
            resolution.dateline = k == 0 and dateline_at(text, t)
            if not self._kept(resolution) and not (
                    self.judge is not None
                    and self.judge(resolution, text, recognition, evidence)):
                continue
            reason = ""
            if self._outside_container(resolution) and container is not None \
                    and container.place is not None:
                reason = f"lies outside {container.place.name}"
            elif self._foreign_namesake(resolution, evidence) and resolution.place is not None:
                reason = f"is in {resolution.place.country}, which the text is not about"
            elif anchors.count_besides(t.key) and resolution.candidates \
                    and FAR_VILLAGE in resolution.candidates[0].parts:
                reason = "lies far from the text's other places"
            if reason and t.feature is None \
                    and t.key.split(" ")[0] not in self.cues.feature_words:
                continue  # «الغرق في الكويت»: a word, and its namesake no place of the text
            if reason:
                # «حي المرج» in a text about Riyadh: a quarter named like a Libyan town;
                # «حي الميدان في حلب»: not Damascus's al-Midan; «حي سوق الجمعة» in a text
                # about Tripoli: not a village of that name 130 km away.
                resolution = Resolution(t, None, 0.0, 3, "", [], container,
                                        namesake=resolution.place, namesake_reason=reason)
            second.append(resolution)
        context = self._context_place(second, evidence)
        for r in second:
            if r.place is None and not r.candidates and not r.toponym.anaphor:
                self._unlisted(r, context)
        return second

    def _context_place(self, resolutions: list[Resolution],
                       evidence: dict[str, float]) -> GazetteerPlace | None:
        """The place the document is mostly about, in the country it is mostly about (at least
        twice as much as about any other): its most often named town or district (the earliest on
        a tie), else that country."""
        ranked = sorted(evidence.values(), reverse=True)
        country, weight = max(evidence.items(), key=lambda cw: cw[1], default=(None, 0.0))
        if country is None or weight < 0.6 or (len(ranked) > 1 and ranked[1] * 2 > weight):
            return None  # no country, or no one country the text is mostly about
        counts: dict[str, int] = defaultdict(int)
        first: dict[str, GazetteerPlace] = {}
        for r in resolutions:
            p = r.place
            if p is not None and p.country == country and p.feature != "country" \
                    and r.toponym.strength == "strong" and r.score >= 0.6:
                counts[p.gid] += 1
                first.setdefault(p.gid, p)
        if counts:
            return first[max(counts, key=lambda g: counts[g])]
        return self.gazetteer.countries.get(country)

    def _outside_container(self, r: Resolution) -> bool:
        """Whether the text puts a weak name or a listed landmark inside another place
        («حي الميدان في حلب») that its reading lies far outside (Damascus's al-Midan): the text
        names an unlisted namesake.  Towns, districts and countries are left alone: tweets
        juxtapose them loosely."""
        container = r.container
        place = r.place
        if place is None or container is None or container.place is None:
            return False
        outer = container.place
        t = r.toponym
        if place.feature in ("country", "admin1", "admin2") or not (
                t.strength == "weak" or place.feature == "poi"):
            return False  # a well-known town or region: the text's «في» is loose (tweets)
        if place.gid == outer.gid:
            return False
        if outer.feature == "country":
            return place.country != outer.country
        if self._within(place, outer):
            return False
        km = distance_km(place, outer)
        return km is not None and km > OUTSIDE_CONTAINER_KM

    def _foreign_namesake(self, r: Resolution, evidence: dict[str, float]) -> bool:
        """Whether a weak name, or a facility's name («حي», «شارع», «محطة»), is read as a place
        in a country the text says nothing about while it is about another: the text names an
        unlisted place of its own country that shares the name."""
        t, place = r.toponym, r.place
        if place is None:
            return False
        minor = _unvetted(place) or _minor(place)
        contained = r.container is not None and r.container.place is not None
        if place.feature == "country" or contained or not (
                t.strength == "weak" or t.kind in FACILITY_KINDS or minor):
            return False
        if t.feature is not None and not (minor and place.country not in evidence) and (
                (t.kind is not None and t.kind == place.kind)
                or (t.kind is None and t.feature == place.feature)):
            return False  # «مخيم الركبان»: the feature word vouches for a listed facility
        if _unvetted(place):
            # A place only WOF lists is no evidence for its own country («إنارة برجيّة» in a
            # text about Jordan is not a hamlet of Basra because that hamlet is in Iraq).
            own = self._own_evidence(t)
            evidence = {c: w - own.get(c, 0.0) for c, w in evidence.items()}
        country, weight = max(evidence.items(), key=lambda cw: cw[1], default=(None, 0.0))
        return country is not None and weight >= 1.0 and place.country != country \
            and evidence.get(place.country or "", 0.0) <= 0.0

    @staticmethod
    def _unlisted(r: Resolution, context: GazetteerPlace | None) -> None:
        """A name the gazetteer lacks, found after a feature word, stays unresolved; the place
        the text puts it in stands in for its location («قرية عين زحلوق بمحافظة حماة»: precision 2
        inside a town or district, 3 inside a governorate or country), else the place the
        document is mostly about (precision 3)."""
        t = r.toponym
        container = r.container
        if r.namesake is not None:
            cue = (f"«{t.key}» names a place the gazetteer does not list (its namesake "
                   f"{r.namesake.name} {r.namesake_reason})")
        else:
            cue = f"«{t.feature_word}» names a place the gazetteer does not list"
        if container is not None and container.place is not None:
            outer = container.place
            r.geo_precision = 3 if outer.feature in ("country", "admin1", "region") else 2
            r.cue = f"{cue}; located at its container «{container.toponym.key}» ({outer.name})"
            r.score, r.within = 0.5, outer
        elif context is not None:
            r.cue = f"{cue}; located at the place the text is mostly about ({context.name})"
            r.score, r.within = 0.3, context
        else:
            r.cue = cue

    # ── document context ──────────────────────────────────────────────────────────────────
    def _country_evidence(self, recognition: Recognition, text: str) -> dict[str, float]:
        """How strongly the document is about each country (names, demonyms, dateline)."""
        evidence: dict[str, float] = defaultdict(float)
        for _, country in recognition.demonyms:
            evidence[country] += 1.0
        for k, t in enumerate(recognition.toponyms):
            countries = _countries(t.places or t.namesakes)
            if not countries:
                continue
            weight = 0.0
            if any(p.feature == "country" for p in t.places or t.namesakes) \
                    and t.strength == "strong":
                weight = 1.0
            elif len(countries) == 1 and t.strength == "strong":
                weight = 0.6
            if k == 0 and dateline_at(text, t):
                weight += 1.0
            if weight and len(countries) == 1:
                evidence[next(iter(countries))] += weight
        return evidence

    def _containers(self, toponyms: list[Toponym], text: str) -> list[int | None]:
        """For each toponym, the index of the toponym that contains it, if the text says so."""
        out: list[int | None] = [None] * len(toponyms)
        for k in range(len(toponyms) - 1):
            a, b = toponyms[k], toponyms[k + 1]
            between = text[a.phrase_end:b.phrase_start]
            words = between.replace("(", " ").replace("ـ", " ").split()
            explicit = "(" in between or b.relation is not None or b.feature is not None \
                or b.locative
            if len(words) > 3 or not explicit:
                continue
            if all(w in self.cues.containment_words for w in words):
                out[k] = k + 1
        return out

    # ── scoring ─────────────────────────────────────────────────────────────────────────
    def _score(self, t: Toponym, evidence: dict[str, float], container: Resolution | None,
               anchors: Anchors | None) -> Resolution:
        if t.anaphor:
            return self._anaphor(t, evidence)
        own = self._own_evidence(t)
        top_country = max(((c, w - own.get(c, 0.0)) for c, w in evidence.items()),
                          key=lambda cw: cw[1], default=(None, 0.0))
        candidates = []
        listed = [p for p in t.places if not _unvetted(p)]

        def about(country: str | None) -> bool:
            return evidence.get(country or "", 0.0) - own.get(country or "", 0.0) > 0

        # A listed village or facility abroad does not hide a WOF place in the text's country
        # («العبدلي» in a text about Kuwait is Kuwait's, not the Amman quarter).
        abroad = all((_minor(p) or p.feature == "poi") and not about(p.country) for p in listed)
        for place in t.places:
            if listed and _unvetted(place) and not self._vouched(t, place, container) \
                    and not (abroad and about(place.country)):
                continue
            cand = Candidate(place)
            label, value = prior(place)
            cand.parts[label] = value
            self._feature_word(t, cand)
            weight = evidence.get(place.country or "", 0.0) - own.get(place.country or "", 0.0)
            if weight > 0:
                name = self.country_label(place.country)
                cand.parts[f"the text is about {name}"] = \
                    1.0 if place.country == top_country[0] else 0.7
            contained = container is not None and container.place is not None
            if contained:
                self._containment(cand, container)  # type: ignore[arg-type]
            km = self._proximity(cand, anchors, t.key) if anchors is not None else None
            if _village(place) and _unvetted(place) and not contained \
                    and (km is None or km >= NEAR_KM):
                cand.parts[FAR_VILLAGE] = -1.0
            candidates.append(cand)
        candidates.sort(key=lambda c: -c.total)
        if not candidates:
            return Resolution(t, None, 0.0, 2, "no place of this name", [], container)
        best = candidates[0]
        score, cue = self._confidence(t, candidates)
        return Resolution(t, best.place, score, self.precision(t, best.place), cue, candidates,
                          container)

    def _vouched(self, t: Toponym, place: GazetteerPlace, container: Resolution | None) -> bool:
        """Whether the text vouches for a place only Who's On First lists, when its name also
        names a listed place that is no country: the place the phrase puts it in (below a
        country) contains it, or a feature word of its kind names it («ناحية هبهب», «منطقة
        العريش بعدن»).  Without such evidence the listed
        places are the readings, as they were before WOF: the country, proximity and priors
        that choose among them would otherwise let one of thousands of villages beat
        Jerusalem («الطريق إلى القدس») or Qatar («في قطر»)."""
        if any(p.feature == "country" for p in t.places):
            return False  # a country's name is the country («عاصمة اليمن», «في قطر»)
        outer = container.place if container is not None else None
        if outer is not None and outer.feature != "country" and self._within(place, outer):
            return True
        if t.feature is None or t.feature_word in self.cues.vague_heads \
                or t.feature_word in self.cues.listed_heads:
            return False
        return (t.kind is not None and place.kind == t.kind) \
            or (t.kind is None and t.feature == place.feature)

    def _own_evidence(self, t: Toponym) -> dict[str, float]:
        """What this toponym itself added to the document's countries (not evidence for itself)."""
        countries = _countries(t.places)
        if len(countries) != 1 or t.strength != "strong":
            return {}
        country = next(iter(countries))
        if any(p.feature == "country" for p in t.places):
            return {country: 1.0}
        return {country: 0.6}

    def _feature_word(self, t: Toponym, cand: Candidate) -> None:
        if t.feature is None:
            return
        place = cand.place
        word = f"«{t.feature_word}» names {_LABELS.get(t.feature, t.feature)}"
        kind_matches = t.kind is not None and place.kind == t.kind
        if kind_matches or (t.feature == place.feature and t.kind is None):
            cand.parts[word] = FEATURE_WORD_BONUS
        elif t.feature == "city" and place.feature in ("country", "admin1"):
            cand.parts[word] = -1.0
        elif t.feature in ("admin1", "admin2", "admin3") and place.feature == "city":
            cand.parts[word] = -0.5

    def _containment(self, cand: Candidate, container: Resolution) -> None:
        outer = container.place
        place = cand.place
        if outer is None or place.gid == outer.gid:
            return
        label = f"inside «{container.toponym.key}» ({outer.name})"
        if place.country != outer.country:
            cand.parts[label] = OTHER_COUNTRY_PENALTY
        elif outer.feature == "country":
            cand.parts[label] = 1.0
        elif self._within(place, outer):
            cand.parts[label] = CONTAINMENT_BONUS
        else:
            km = distance_km(place, outer)
            cand.parts[label] = 1.0 if km is not None and km < OUTSIDE_CONTAINER_KM else 0.3

    @staticmethod
    def _within(place: GazetteerPlace, outer: GazetteerPlace) -> bool:
        """Whether the admin names put `place` inside `outer` (same district or governorate)."""
        if outer.feature == "admin2" and place.admin2:
            return place.admin2 == outer.admin2
        return bool(place.admin1) and place.admin1 == outer.admin1 \
            and FEATURE_RANK.get(place.feature, 0) <= FEATURE_RANK.get(outer.feature, 0)

    @staticmethod
    def _proximity(cand: Candidate, anchors: Anchors, key: str) -> float | None:
        """Scores the distance to the nearest other place of the text (and a reading in the
        governorate of another place of the text); returns the distance (km)."""
        same = anchors.in_admin1(cand.place, key)
        if same is not None:
            cand.parts[f"in the governorate of «{same.toponym.key}» ({cand.place.admin1})"] = 0.5
        nearest = anchors.nearest(cand.place, key)
        if nearest is None:
            return None
        km, anchor = nearest
        bonus = 0.8 if km < 30 else 0.6 if km < 100 else 0.3 if km < PROXIMITY_KM else 0.0
        if bonus:
            cand.parts[f"{km:.0f} km from «{anchor.toponym.key}»"] = bonus
        return km

    def _confidence(self, t: Toponym, candidates: list[Candidate]) -> tuple[float, str]:
        best = candidates[0]
        if len(candidates) == 1:
            score = 0.9 if t.strength == "strong" else 0.7
            extra = [k for k in best.parts if not k.startswith(("population", "a ", "an "))
                     and best.parts[k] > 0]
            return score, "only place of this name" + (f"; {extra[0]}" if extra else "")
        runner = candidates[1]
        margin = best.total - runner.total
        score = 1.0 / (1.0 + math.exp(-2.0 * margin))
        if t.strength != "strong":
            score *= 0.85
        keys = set(best.parts) | set(runner.parts)
        deciding = max(keys, key=lambda k: best.parts.get(k, 0.0) - runner.parts.get(k, 0.0))
        other = runner.place
        return score, f"{deciding} (over {other.name}, {other.feature}, {other.country})"

    def _anaphor(self, t: Toponym, evidence: dict[str, float]) -> Resolution:
        countries = t.anaphor
        weights = [(evidence.get(c, 0.0), -k, c) for k, c in enumerate(countries)]
        weight, _, chosen = max(weights)
        place = self.gazetteer.countries.get(chosen)
        cue = (f"the text is about {self.country_label(chosen)}" if weight > 0
               else f"«{t.key}» with no other country named: {self.country_label(chosen)}")
        score = 0.8 if weight > 0 else 0.5
        cands = [Candidate(place, {cue: 1.0})] if place else []
        return Resolution(t, place, score, 3, cue, cands)

    def _kept(self, r: Resolution) -> bool:
        t = r.toponym
        best = r.candidates[0].parts if r.candidates else {}
        if FAR_VILLAGE in best and " " not in t.key and t.feature is None \
                and t.relation in (None, "in") \
                and r.container is None and not (t.hashtag and not t.compound_hashtag) \
                and not (t.locative and any(k.startswith("the text is about") for k in best)):
            return False  # «كلابة»: a village namesake with nothing to place it
        if t.strength == "strong" or t.anaphor:
            return True
        if t.strength == "common":
            # A common word is a place after a feature word or «ريف» («بلدة عين», «ريف الثورة»);
            # after another relation only near the document's places («مشارف السجن» is the
            # outskirts of a prison, not of the Syrian village also called al-Sijn).
            if t.feature is not None or t.relation == "countryside":
                return True
            if t.relation in (None, "in"):
                return False
        elif t.feature is not None or t.relation is not None or t.locative \
                or r.container is not None:
            return True
        elif t.hashtag and not t.compound_hashtag:
            return True  # a hashtag of the name alone («#البكيرية») tags a place
        # A bare given name or noun is a place only in a text about its country, near its
        # other places.
        return any(k.startswith("the text is about") for k in best) \
            and any(" km from " in k for k in best)

    @staticmethod
    def precision(t: Toponym, place: GazetteerPlace | None) -> int:
        """ACLED geo_precision of an event located at this mention."""
        base = BASE_PRECISION.get(place.feature, 2) if place else 2
        relative = t.relation not in (None, "in") or t.direction is not None
        if relative:
            return 3 if base == 3 else 2
        return base

    def country_label(self, code: str | None) -> str:
        place = self.gazetteer.countries.get(code or "")
        return place.name if place else (code or "?")
