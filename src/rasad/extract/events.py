"""Events: from triggers in context to contract events, one per type × day × place.

For every sentence with trigger matches, `EventExtractor.extract(doc)`:

1. keeps the triggers its context licenses (`context.SentenceContext`);
2. splits a sentence that reports several incidents one after another («…، كما قصفت …،
   ايضا دارت اشتباكات …») into report segments (`reports`), each read as a sentence of its own
   for its place, date, actors and toll, and never merged with another segment of the
   sentence; then groups each segment's triggers into candidate events: result triggers
   (killed, wounded) fold into a more specific violent trigger; generic ones (attack, gunfire)
   into a specific one of the same family; a protest that turns violent is one Riots event; a
   foiled attack is Disrupted weapons use, not an explosion;
3. refines each sub-event type by instrument (air, artillery, IED, suicide …), target (civilians
   → Violence against civilians, protesters → Excessive force) or territory (state actor →
   regains, others → overtake);
4. assigns actors (`roles`), location (the trigger's clause, its sentence, the paragraph's
   earlier places or the document's focus, the place of the paragraph's last event, the
   dateline: `eventplace.place_event`), date (the sentence, the paragraph, the document's lead, then
   `published` with a coarser precision), fatalities, modality, attribution, confidence; with
   setting `refine_places`, a coarse place then takes the finer one a retelling names
   (`refine`);
5. merges candidates of the whole document that share type, date and place and whose actors
   agree (a mention against the latest `MERGE_WINDOW` events of its type, so that a long
   document costs time in proportion to its length), or, with setting `merge_retold`, that
   tell the act again (`retelling`); two report segments of one sentence are never merged, nor
   is a mention that opens a new report of its paragraph merged into the event the paragraph
   has been telling (`reports.opens_report`).

Threats, plans, calls, hypotheticals (`future`), denials (`negated`) and undated background are
not events that happened and are dropped (setting `keep_unreal` keeps the first two,
flagged), as are the summaries setting `drop_summaries` names (`summaries`).  All offsets are
normalised until `Event` records are built with `doc.span`.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rasad.countries import country_name
from rasad.doc import ActorMention, DateMention, Doc, PlaceMention
from rasad.extract.actors import ActorEntry, GenericActor, actor_for
from rasad.extract.attribution import attribution_span
from rasad.extract.context import SentenceContext
from rasad.extract.eventmodel import DocumentContext, event_features
from rasad.extract.eventplace import (
    inside,
    near,
    other_places,
    place_event,
    specific,
)
from rasad.extract.fatalities import FatalityMention, toll_owners
from rasad.extract.lexicons import (
    ContextCue,
    InstrumentSpec,
    TriggerForm,
    context_blocks,
)
from rasad.extract.modality import modality_of, same_clause
from rasad.extract.refine import refine_places as refine_coarse_places
from rasad.extract.reports import (
    Segment,
    clause_at,
    opens_report,
    paragraph_sentences,
    paragraph_starts,
    report_segments,
)
from rasad.extract.retelling import retells
from rasad.extract.roles import Roles, assign_roles
from rasad.extract.summaries import Tellings, summarises
from rasad.records import Actor, Event
from rasad.settings import Settings
from rasad.text.intervals import SpanIndex
from rasad.text.lexicon import LexMatch, longest_matches, phrase_words

VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")
PROTEST_FAMILY = ("Protests", "Riots")
_FATAL_TYPES = (*VIOLENT, "Riots")
# Words by which a source speaks of its own act after «أعلن …» («أنه قصف», «إن قواتها قتلت»).
_SELF_REFERENCES = frozenset(phrase_words(
    "أنه أنها أنهم إنه إنها إنهم بأنه بأنها بأنهم قواته قواتها قواتهم طائراته طائراتها "
    "مقاتلاته مقاتلاتها عناصره عناصرها جنوده جنودها وحداته وحداتها مقاتليه مقاتليها "
    "مسلحيه مسلحيها"))
_TOLL_SENTENCES = 2  # sentences after an event's whose death toll may be its (see _toll_sentences)
# A claim in a later sentence («وتبنى تنظيم داعش الهجوم») names the perpetrator of these.
_CLAIM_WORDS = frozenset(phrase_words("تبنى تبنت يتبنى تتبنى وتبنى وتبنت"))
_CLAIMED_TYPES = frozenset({"Explosions/Remote violence", "Violence against civilians",
                            "Battles"})
_INSTRUMENT_RANK = {"suicide": 5, "grenade": 4, "ied": 3, "air": 2, "artillery": 1}
_GENERIC_VIOLENT = frozenset({"attack", "gunfire", "confrontation", "beating", "destruction",
                              "bombardment", "explosion"})
_DROPPED_MODALITIES = frozenset({"future", "background", "negated"})
_REALITY = ("asserted", "attempted", "hedged", "negated", "future", "background")
_ARMED_INTERS = (1, 2, 3, 4, 8)
_NEEDS_PERPETRATOR = ("Explosions/Remote violence", "Violence against civilians")
_STATE_KINDS = ("state", "police", "military")
DISRUPTED = "Disrupted weapons use"
# Tokens between a verb and the object it governs, the subject between them in Arabic's
# verb-subject-object order: «ضبطت قوات الأمن المصرية سيارة مفخخة», «قتلت القوات عشرة انتحاريين».
GOVERNED_REACH = 5
_RELATIVES = frozenset({"الذي", "التي", "اللذين", "اللتين", "الذين", "اللذان", "اللتان"})
_LONGEST_FORM = 8  # words in the longest trigger form
# A later mention is compared with the latest MERGE_WINDOW events of its type, and with the
# latest MERGE_KEYS distinct dates and places of each (on the dev articles and the first 3,000
# of SaudiNewsNet a mention joins at most the 15th latest event of its type, and an event has
# at most 5 distinct dates and 4 places).
MERGE_WINDOW = 64
MERGE_KEYS = 16
_HEADLINE_MARKS = ("رابط الخبر",)  # normalised; SaudiNewsNet's al-Weeam link line
_SPACES = re.compile(r"\s*")
_CROWD_COUNTS = frozenset({"الاف", "الالاف", "ميات", "الميات", "عشرات", "العشرات", "حشود"})

FatalityFinder = Callable[[Doc, int, int], Sequence[FatalityMention]]
FatalityCombiner = Callable[[Sequence[FatalityMention]], "tuple[int, tuple[int, int]] | None"]


@dataclass(slots=True)
class Candidate:
    """An event read from one sentence, before merging across the document."""

    sentence: int
    anchor: LexMatch
    event_type: str
    sub_event_type: str
    strength: int
    triggers: list[LexMatch]
    roles: Roles = field(default_factory=Roles)
    place: PlaceMention | None = None
    geo_precision: int = 3
    date: dt.date | None = None
    time_precision: int = 3
    date_in_sentence: bool = False
    place_in_sentence: bool = False
    fatalities: int | None = None
    fatalities_span: tuple[int, int] | None = None
    modality: str = "asserted"
    attribution: tuple[int, int] | None = None
    confidence: float = 0.5
    # The report segment of a sentence that reports several incidents
    # (`reports.report_segments`); None when the sentence is one report.
    segment: Segment | None = None

    @property
    def form(self) -> TriggerForm:
        payload = self.anchor.payload
        assert isinstance(payload, TriggerForm)
        return payload


def head_mention(group: Sequence[Candidate]) -> Candidate:
    """The mention an event's record is built from: the strongest trigger, then the most
    confident, then the earliest."""
    return max(group, key=lambda c: (c.strength, c.confidence, -c.sentence))


def _form(match: LexMatch) -> TriggerForm:
    payload = match.payload
    assert isinstance(payload, TriggerForm)
    return payload


def _ends_within(ends: Sequence[int], lo: int, hi: int) -> bool:
    """Whether the sorted token positions `ends` hold one in `lo..hi`."""
    i = bisect_left(ends, lo)
    return i < len(ends) and ends[i] <= hi


@dataclass(slots=True)
class _SentenceMatches:
    triggers: list[LexMatch] = field(default_factory=list)
    instruments: list[LexMatch] = field(default_factory=list)
    context: list[LexMatch] = field(default_factory=list)
    modality: list[LexMatch] = field(default_factory=list)
    attribution: list[LexMatch] = field(default_factory=list)
    stops: list[LexMatch] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)


_BUCKETS = {"trigger": "triggers", "blocker": "triggers", "instrument": "instruments",
            "context": "context", "modality": "modality", "attribution": "attribution",
            "attribution_stop": "stops"}


_DateKey = tuple[dt.date | None, bool, int]
_PlaceKey = tuple[object, ...] | None


def _date_key(c: Candidate) -> _DateKey:
    """What `EventExtractor._compatible_date` reads of a candidate."""
    return c.date, c.date_in_sentence, c.time_precision


def _place_key(c: Candidate) -> _PlaceKey:
    """What `EventExtractor._compatible_place` reads of a candidate's place."""
    if c.place is None:
        return None
    p = c.place.place
    return p.gazetteer_id, p.latitude, p.longitude, p.text, p.country, p.feature, p.admin1


class _Group:
    """The mentions of one event, and the latest of its distinct dates and places: two mentions
    with the same keys are compatible with exactly the same later mentions."""

    __slots__ = ("date_keys", "dates", "members", "names", "place_keys", "places")

    def __init__(self, head: Candidate, names: set[str], date: _DateKey, place: _PlaceKey
                 ) -> None:
        self.members = [head]
        self.names = names  # the actors of its mentions (up to MERGE_KEYS names)
        self.date_keys = {date}
        self.place_keys = {place}
        self.dates: deque[Candidate] = deque([head], maxlen=MERGE_KEYS)
        self.places: deque[Candidate] = deque([head], maxlen=MERGE_KEYS)

    def add(self, c: Candidate, date: _DateKey, place: _PlaceKey) -> None:
        self.members.append(c)
        if date not in self.date_keys:
            self.date_keys.add(date)
            self.dates.append(c)
        if place not in self.place_keys:
            self.place_keys.add(place)
            self.places.append(c)

    def dated(self, c: Candidate, date: _DateKey) -> bool:
        """Whether a mention of the event has a date compatible with `c`'s."""
        if date in self.date_keys:
            return True  # the same day
        compatible = EventExtractor._compatible_date
        return any(compatible(m, c) or compatible(c, m) for m in self.dates)

    def placed(self, extractor: EventExtractor, c: Candidate, place: _PlaceKey) -> bool:
        """Whether a mention of the event has a place compatible with `c`'s."""
        if place in self.place_keys:
            return True  # the same place
        compatible = extractor._compatible_place
        return any(compatible(m, c) or compatible(c, m) for m in self.places)


def _default(name: str) -> Any:
    """The packaged default of setting `name` (`Settings`; never the environment's)."""
    return Settings.model_fields[name].default


class EventExtractor:
    """Turns the trigger, cue, actor, place and date mentions of a `Doc` into `Event`s.

    The settings it takes (`background_days`, `keep_unreal`, `merge_retold`, `refine_places`,
    `drop_summaries`) default to `Settings`' defaults, as the pipeline's do."""

    def __init__(self, find_fatalities: FatalityFinder | None = None,
                 combine_fatalities: FatalityCombiner | None = None,
                 background_days: int = _default("background_days"),
                 keep_unreal: bool = _default("keep_unreal"),
                 rioters: GenericActor | None = None,
                 protesters: GenericActor | None = None,
                 unidentified: GenericActor | None = None,
                 military_of: Callable[[str], ActorEntry | None] | None = None,
                 merge_retold: bool = _default("merge_retold"),
                 refine_places: bool = _default("refine_places"),
                 drop_summaries: Collection[str] = _default("drop_summaries")) -> None:
        self.military_of = military_of
        self.drop_summaries = drop_summaries
        self.merge_retold = merge_retold
        self.refine_places = refine_places
        self.rioters = rioters
        self.unidentified = unidentified
        self.blocks = context_blocks()
        self.protesters = protesters
        self.find_fatalities = find_fatalities
        self.combine_fatalities = combine_fatalities
        self.background_days = background_days
        self.keep_unreal = keep_unreal

    # -- per sentence -------------------------------------------------------------------

    def _bucket(self, doc: Doc) -> dict[int, _SentenceMatches]:
        token_sentence = [-1] * len(doc.tokens)
        for i, s in enumerate(doc.sentences):
            for t in range(s.first_token, s.last_token):
                token_sentence[t] = i
        buckets: dict[int, _SentenceMatches] = defaultdict(_SentenceMatches)
        for m in doc.matches:
            attr = _BUCKETS.get(m.kind)
            if attr is None or m.first_token >= len(token_sentence):
                continue
            sentence = token_sentence[m.first_token]
            if sentence >= 0:
                getattr(buckets[sentence], attr).append(m)
        for a in doc.actors:
            if 0 <= a.first_token < len(token_sentence) and token_sentence[a.first_token] >= 0:
                buckets[token_sentence[a.first_token]].actors.append(a)
        return buckets

    @staticmethod
    def _nisbas(doc: Doc) -> dict[int, tuple[int, LexMatch]]:
        """The first demonym match (its index in `doc.matches`, the match) at each token."""
        found: dict[int, tuple[int, LexMatch]] = {}
        for i, m in enumerate(doc.matches):
            if m.kind == "nisba":
                found.setdefault(m.first_token, (i, m))
        return found

    def _licensed(self, doc: Doc, bucket: _SentenceMatches,
                  places: Sequence[PlaceMention] = ()) -> list[LexMatch]:
        """The sentence's triggers that its context, actors and names license as events."""
        actors = bucket.actors
        cues = [c.payload for c in bucket.context if isinstance(c.payload, ContextCue)]
        ctx = SentenceContext.build(cues, actors)
        # «تحتفظ بهم كرهائن», «كساحة حرب»: a noun after «ك» ("as", "like") is a likeness, not
        # an event.
        # «هيئة تحرير الشام», «ساحة التحرير»: a word inside a name is no trigger (a name the
        # trigger opens, «محتجون غاضبون», «انتحاري», stays one).
        names = SpanIndex([(a.start, a.end) for a in actors] + [(p.start, p.end) for p in places])
        triggers = [t for t in longest_matches(bucket.triggers) if t.kind == "trigger"
                    and not (t.proclitic.endswith("ك") and _form(t).pos == "noun")
                    and not names.encloses(t.start, t.end)]
        armed = ctx.with_group("armed")
        ends = sorted(t.last_token for t in triggers)
        by_start = sorted(triggers, key=lambda t: t.first_token)
        starts = [t.first_token for t in by_start]

        def vouched(t: LexMatch) -> bool:
            # «قتل خمسة أشخاص في الهجوم»: a killing and an attack close together in one clause
            # vouch for each other.
            ids = _form(t).spec.licensed_by
            if not ids:
                return False
            near = by_start[bisect_left(starts, t.first_token - GOVERNED_REACH - _LONGEST_FORM):
                            bisect_right(starts, t.last_token + GOVERNED_REACH)]
            return any(_form(u).spec.id in ids and self._close(doc, t, u) for u in near)

        # «قتلت القوات عشرة انتحاريين», «اعتقال انتحاري»: a noun naming who carries the act out,
        # governed by another trigger a few words before it, names people, not an act of its own.
        return [t for t in triggers if (ctx.licenses(_form(t).spec, self.blocks) or (
                    vouched(t) and armed.licenses(_form(t).spec, self.blocks)))
                and not (_form(t).person and _ends_within(ends, t.first_token - GOVERNED_REACH,
                                                          t.first_token))]

    @staticmethod
    def _close(doc: Doc, a: LexMatch, b: LexMatch) -> bool:
        """Two matches at most `GOVERNED_REACH` words apart with no clause break between."""
        first, last = (a, b) if a.first_token <= b.first_token else (b, a)
        return (0 <= last.first_token - first.last_token <= GOVERNED_REACH
                and same_clause(doc.text, doc.tokens, first.last_token - 1, last.first_token))

    @staticmethod
    def _antecedents(doc: Doc, triggers: Sequence[LexMatch]) -> dict[int, LexMatch]:
        """«على خلفية التفجير الذي استهدف سوقا»: a verb opening a relative clause tells the event
        its antecedent noun names, and is as real as that noun: verb's first token → noun."""
        nouns = {t.last_token: t for t in triggers if _form(t).pos == "noun"}
        found = {}
        for t in triggers:
            i = t.first_token
            if _form(t).pos == "verb" and i >= 2 and doc.tokens[i - 1].text in _RELATIVES \
                    and i - 1 in nouns:
                found[i] = nouns[i - 1]
        return found

    def _instrument(self, doc: Doc, trigger: LexMatch, instruments: Sequence[LexMatch],
                    sentence: int) -> InstrumentSpec | None:
        """The most specific instrument cue in the trigger's clause (else its sentence)."""
        clause = clause_at(doc, sentence, trigger.start)
        in_clause = [i for i in instruments if clause[0] <= i.start < clause[1]]
        pool = in_clause or list(instruments)
        specs = [i.payload for i in pool if isinstance(i.payload, InstrumentSpec)]
        return max(specs, key=lambda s: _INSTRUMENT_RANK.get(s.name, 0), default=None)

    def _typed(self, doc: Doc, triggers: list[LexMatch], bucket: _SentenceMatches,
               sentence: int) -> list[tuple[LexMatch, str, str]]:
        """Each licensed trigger with its (event type, sub-event type) after instruments."""
        typed = []
        for t in triggers:
            spec = _form(t).spec
            event_type, sub = spec.event_type, spec.sub_event_type
            if spec.refine == "instrument" or spec.id == "attack":
                instrument = self._instrument(doc, t, bucket.instruments, sentence)
                if instrument is not None:
                    event_type, sub = instrument.event_type, instrument.sub_event_type
            typed.append((t, event_type, sub))
        return typed

    def _group(self, typed: list[tuple[LexMatch, str, str]], sentence: int,
               segment: Segment | None = None) -> list[Candidate]:
        """Fold the typed triggers of a sentence (or of one of its report segments) into
        candidate events."""
        ids = {_form(t).spec.id for t, _, _ in typed}
        # «ضبطت قوات الأمن سيارة مفخخة», «تفكيك عبوة ناسفة»: the explosive a disrupting verb or
        # noun governs (a few words after it) is what was stopped, not an explosion.
        disrupting = sorted(t.last_token for t, _, sub in typed if sub == DISRUPTED)
        specific = [x for x in typed if not _form(x[0]).spec.result
                    and _form(x[0]).spec.id not in _GENERIC_VIOLENT and x[1] in VIOLENT]
        non_result_violent = [x for x in typed if x[1] in VIOLENT
                              and not _form(x[0]).spec.result]
        protest_like = [x for x in typed if x[1] in PROTEST_FAMILY]
        kept: list[tuple[LexMatch, str, str]] = []
        for x in typed:
            spec = _form(x[0]).spec
            if x[1] in VIOLENT:
                if spec.result and non_result_violent:
                    continue
                if spec.id in _GENERIC_VIOLENT and any(s[1] == x[1] or spec.id in (
                        "attack", "gunfire") for s in specific if s is not x):
                    continue
                if protest_like and spec.id in ("armed_clash", "confrontation", "gunfire",
                                                "attack") and spec.strength < 3:
                    continue
                if x[1] == "Explosions/Remote violence" and ("disrupted" in ids or _ends_within(
                        disrupting, x[0].first_token - GOVERNED_REACH, x[0].first_token)):
                    continue
            if spec.id == "destruction" and non_result_violent:
                continue
            kept.append(x)
        groups: dict[str, list[tuple[LexMatch, str, str]]] = defaultdict(list)
        for x in kept:
            family = "protest" if x[1] in PROTEST_FAMILY else x[1]
            if x[1] == "Strategic developments":
                family = f"sd:{x[2]}"
            groups[family].append(x)
        candidates = []
        for family, members in groups.items():
            anchor, event_type, sub = max(
                members, key=lambda x: (_form(x[0]).spec.strength,
                                        _form(x[0]).spec.refine == "instrument"
                                        and x[2] != _form(x[0]).spec.sub_event_type,
                                        -x[0].start))
            if family == "protest":
                event_type, sub = self._protest_type(members)
            candidates.append(Candidate(sentence, anchor, event_type, sub,
                                        max(_form(x[0]).spec.strength for x in members),
                                        [x[0] for x in members], segment=segment))
        return candidates

    @staticmethod
    def _protest_type(members: list[tuple[LexMatch, str, str]]) -> tuple[str, str]:
        subs = {(x[1], x[2]) for x in members}
        for preferred in (("Riots", "Mob violence"), ("Riots", "Violent demonstration"),
                          ("Protests", "Excessive force against protesters"),
                          ("Protests", "Protest with intervention")):
            if preferred in subs:
                return preferred
        return "Protests", "Peaceful protest"

    # -- refinement by actors ----------------------------------------------------------

    @staticmethod
    def _is_state(actor: ActorMention | None) -> bool:
        if actor is None:
            return False
        return actor.inter == 1 or any(k in actor.kind for k in _STATE_KINDS)

    def _refine_by_actors(self, c: Candidate) -> None:
        spec = c.form.spec
        a1, a2 = c.roles.actor1, c.roles.actor2
        if spec.refine == "territory":
            pro_government = a1 is not None and (self._is_state(a1) or a1.kind in (
                "pro_government", "militia_pro_government"))
            c.sub_event_type = ("Government regains territory" if pro_government
                                else "Non-state actor overtakes territory")
        elif c.sub_event_type == "Arrests" and a1 is not None and a1.inter != 1 \
                and not self._is_state(a1):
            # Only states arrest: an armed group holding people abducts them, and protesters
            # seizing someone riot (ACLED).
            if a1.inter in (5, 6):
                c.event_type, c.sub_event_type = "Riots", "Violent demonstration"
            elif a1.inter in (2, 3, 4, 8):
                c.event_type = "Violence against civilians"
                c.sub_event_type = "Abduction/forced disappearance"
        elif spec.refine == "target" and c.event_type in ("Battles",
                                                          "Violence against civilians"):
            if a2 is not None and a2.inter in (5, 6):
                c.event_type, c.sub_event_type = "Protests", "Excessive force against protesters"
            elif a2 is not None and a2.inter == 7:
                c.event_type = "Violence against civilians"
                c.sub_event_type = "Attack"
            elif a2 is not None and a2.armed and a2.inter in _ARMED_INTERS:
                # Armed men killed or attacked: a battle, whoever the other side is.
                c.event_type, c.sub_event_type = "Battles", "Armed clash"

    @staticmethod
    def _claimant(doc: Doc, c: Candidate, actors: Sequence[ActorMention]) -> None:
        """The source that tells of its own act is the event's actor1: an armed group claiming
        it («أعلن تنظيم داعش مسؤوليته عن هجوم انتحاري»), or armed forces speaking of
        themselves («أعلن الجيش الإسرائيلي أنه قصف مواقع لحماس», «قالت الوزارة إن قواتها
        قتلت»).  The actor read as actor1 before becomes actor2 when that slot is empty."""
        source = c.attribution
        if source is None or source[1] > c.anchor.start:
            return
        between = doc.tokens[doc.token_index(source[1] - 1):
                             c.anchor.first_token]
        if any(t.text.startswith(("مسووليت", "مسيوليت")) for t in between):
            inters: tuple[int, ...] = (2, 3, 4)
        elif any(t.text in _SELF_REFERENCES for t in between):
            inters = (1, 2, 3, 4, 8)
        else:
            return
        claimants = [a for a in actors if source[0] <= a.start < source[1]
                     and a.inter in inters and a.armed]
        if not claimants:
            return
        before = c.roles.actor1
        c.roles.actor1 = claimants[0]
        if c.roles.actor2 is None and before is not None and \
                (before.name or before.template) != (claimants[0].name or claimants[0].template):
            c.roles.actor2 = before

    def _state_agent(self, c: Candidate, nisbas: dict[int, tuple[int, LexMatch]]) -> None:
        """«الغارات الجوية التركية»: a demonym right after the trigger names the state forces
        that acted, when no actor of the sentence was found to be the agent.  `nisbas` is
        `_nisbas(doc)`; the demonym is the first of the document's matches in reach."""
        if c.roles.actor1 is not None or self.military_of is None:
            return
        after = range(c.anchor.last_token, c.anchor.last_token + 3)
        first = min((nisbas[t] for t in after if t in nisbas), default=None)
        if first is None:
            return
        m = first[1]
        entry = self.military_of(str(m.payload))
        if entry is not None:
            c.roles.actor1 = ActorMention(m.start, m.end, m.first_token, m.last_token,
                                          entry.name, entry.inter, entry.country,
                                          entry.kind, entry=entry)

    # -- location, date, fatalities ----------------------------------------------------

    @staticmethod
    def _usable(doc: Doc, d: DateMention) -> bool:
        """Whether a date may date an event: a resolved date that is neither a bare year nor a
        future one, and not after `published`."""
        return d.date is not None and d.kind not in ("future", "year") and (
            doc.published is None or d.date <= doc.published)

    def _date(self, doc: Doc, c: Candidate, dates_by_sentence: dict[int, list[DateMention]],
              lead: DateMention | None) -> None:
        here = [d for d in dates_by_sentence.get(c.sentence, []) if self._usable(doc, d)]
        seg = c.segment
        if seg is not None:
            # A report segment's own date, else the sentence's («بعد منتصف ليل امس» once).
            here = [d for d in here if seg.start <= d.start < seg.end] or here
        past_years = [d for d in dates_by_sentence.get(c.sentence, [])
                      if d.kind == "year" and d.date is not None and doc.published is not None
                      and d.date.year < doc.published.year]
        if here:
            chosen = min(here, key=lambda d: abs(d.start - c.anchor.start))
            c.date_in_sentence = True
        elif past_years:
            # «وبدأت المعارك في حلب في عام 2012»: an earlier year is all the sentence says of
            # when; the event is dated to it (precision 3) and so becomes background.
            chosen = min(past_years, key=lambda d: abs(d.start - c.anchor.start))
            c.date_in_sentence = True
        else:
            chosen = None
            # «رابط الخبر بصحيفة الوئام: …» repeats the headline at the end: it tells the lead's
            # event, not the one of the sentences before it.
            begins = _SPACES.match(doc.text, doc.sentences[c.sentence].start)
            headline = begins is not None and doc.text.startswith(_HEADLINE_MARKS, begins.end())
            for prev in [] if headline else paragraph_sentences(doc, c.sentence):
                pool = [d for d in dates_by_sentence.get(prev, []) if self._usable(doc, d)]
                if pool:
                    chosen = pool[-1]
                    break
            if chosen is None:
                chosen = lead
        if chosen is not None and chosen.date is not None:
            c.date, c.time_precision = chosen.date, chosen.time_precision
        elif doc.published is not None:
            c.date, c.time_precision = doc.published, 2

    @staticmethod
    def _toll_sentences(doc: Doc, sentence: int, licensed_in: dict[int, list[LexMatch]],
                        dates_by_sentence: dict[int, list[DateMention]]) -> list[int]:
        """The sentences right after `sentence`, in its paragraph, that tell no event, day or
        time of their own (no licensed trigger, no date): a death toll there is the toll of
        this sentence's event («انفجرت سيارة مفخخة في سوق … . وقالت مصادر طبية إن حصيلة
        القتلى بلغت 15»).  At most `_TOLL_SENTENCES`."""
        found: list[int] = []
        k = sentence + 1
        while k < len(doc.sentences) and len(found) < _TOLL_SENTENCES:
            if "\n" in doc.text[doc.sentences[k - 1].end:doc.sentences[k].start] or \
                    k in licensed_in or dates_by_sentence.get(k):
                break
            found.append(k)
            k += 1
        return found

    @staticmethod
    def _later_claimant(doc: Doc, later: Sequence[int], buckets: dict[int, _SentenceMatches]
                        ) -> ActorMention | None:
        """The armed group that claims the attack in a sentence after it that tells no event of
        its own («… . وتبنى تنظيم داعش الهجوم», «وأعلنت الحركة مسؤوليتها عن التفجير»)."""
        for k in later:
            s = doc.sentences[k]
            if not any(t.text in _CLAIM_WORDS or t.text.startswith(("مسووليت", "مسيوليت"))
                       for t in doc.tokens[s.first_token:s.last_token]):
                continue
            bucket = buckets.get(k)
            for a in bucket.actors if bucket is not None else ():
                if a.inter in (2, 3, 4) and a.armed:
                    return a
        return None

    def _fatalities(self, doc: Doc, candidates: list[Candidate], sentence: int,
                    segment: Segment | None = None, later: Sequence[int] = ()
                    ) -> dict[int, list[FatalityMention]]:
        """Each event of the sentence gets the death figures it governs: its `fatalities` are
        set, and the figures are returned by the event's `id`.  The figures of the `later`
        sentences (`_toll_sentences`) go to its first event.  With a
        `segment` (`rasad.extract.reports`), only that part of the sentence is read."""
        if self.find_fatalities is None or self.combine_fatalities is None:
            return {}
        fatal = [c for c in candidates if c.event_type in _FATAL_TYPES
                 or c.sub_event_type == "Excessive force against protesters"]
        if not fatal:
            return {}
        s = doc.sentences[sentence] if segment is None else segment
        mentions = list(self.find_fatalities(doc, s.start, s.end))
        follow = [m for k in later for m in self.find_fatalities(
            doc, doc.sentences[k].start, doc.sentences[k].end)]
        if not mentions and not follow:
            return {}
        owners = toll_owners(doc.text, doc.tokens[s.first_token:s.last_token], mentions,
                             [[(t.start, t.end) for t in c.triggers] for c in fatal])
        owners[0].extend(follow)
        for c, ms in zip(fatal, owners, strict=True):
            combined = self.combine_fatalities(ms)
            if combined is not None:
                c.fatalities, c.fatalities_span = combined
        return {id(c): ms for c, ms in zip(fatal, owners, strict=True)}

    # -- the whole document ------------------------------------------------------------

    def candidates(self, doc: Doc, focus: PlaceMention | None = None) -> list[Candidate]:
        """Every event candidate of the document, sentence by sentence, before merging."""
        buckets = self._bucket(doc)
        nisbas = self._nisbas(doc)
        places_by_sentence: dict[int, list[PlaceMention]] = defaultdict(list)
        for p in doc.places:
            places_by_sentence[doc.sentence_at(p.start)].append(p)
        dates_by_sentence: dict[int, list[DateMention]] = defaultdict(list)
        for d in doc.dates:
            dates_by_sentence[doc.sentence_at(d.start)].append(d)
        lead = next((d for d in sorted(doc.dates, key=lambda d: d.start)
                     if self._usable(doc, d) and doc.sentence_at(d.start) <= 2), None)
        result: list[Candidate] = []
        tellings = Tellings(doc)  # read only with `drop_summaries`, once for the document
        # The licensed triggers of every sentence first: a sentence without any may hold the
        # death toll of the event before it (`_toll_sentences`).
        licensed_in: dict[int, list[LexMatch]] = {}
        for sentence, bucket in sorted(buckets.items()):
            if bucket.triggers:
                licensed = self._licensed(doc, bucket, places_by_sentence.get(sentence, ()))
                if licensed:
                    licensed_in[sentence] = licensed
        for sentence, licensed in licensed_in.items():
            bucket = buckets[sentence]
            actors = bucket.actors
            typed = self._typed(doc, licensed, bucket, sentence)
            antecedents = self._antecedents(doc, licensed)
            segments = report_segments(doc, sentence, [x[0] for x in typed],
                                       places_by_sentence.get(sentence, ()))
            candidates = [c for seg in segments for c in self._group(
                [x for x in typed if seg is None or seg.start <= x[0].start < seg.end],
                sentence, seg)]
            s = doc.sentences[sentence]
            # Where the paragraph's last event named its place (earlier sentences only, so the
            # same for every candidate of this sentence).
            paragraph = paragraph_sentences(doc, sentence)
            previous = None
            for r in reversed(result):  # `result` is in sentence order
                if not paragraph or r.sentence < paragraph[-1]:
                    break
                if r.sentence in paragraph and r.place is not None and r.place_in_sentence:
                    previous = r.place
                    break
            sentence_first = len(result)
            real: list[Candidate] = []
            for c in candidates:
                # The event is as real as its most assertive mention in the sentence: «أعمال
                # الشغب التي تستعد لها الشرطة ... حيث تجمع مئات المتظاهرين» did happen.
                c.modality = min((modality_of(antecedents.get(t.first_token, t),
                                              bucket.modality, doc.tokens, s.first_token,
                                              doc.text) for t in c.triggers),
                                 key=_REALITY.index)
                if c.modality == "background" or (c.modality in _DROPPED_MODALITIES
                                                  and not self.keep_unreal):
                    continue
                # «عشرات الغارات في العراق وسوريا», «ودانت … القصف التركي»: no new event.
                if self.drop_summaries and summarises(doc, sentence, c.triggers,
                                                      self.drop_summaries, tellings):
                    continue
                real.append(c)
            later = self._toll_sentences(doc, sentence, licensed_in, dates_by_sentence)
            # Each report segment reads its own tolls; a toll in the sentences after goes to the
            # sentence's event only when the sentence tells one report (else it is ambiguous).
            deaths: dict[int, list[FatalityMention]] = {}
            for seg in segments:
                deaths.update(self._fatalities(
                    doc, [c for c in real if c.segment == seg], sentence, seg,
                    later if len(segments) == 1 else ()))
            claimed_by = self._later_claimant(doc, later, buckets)
            for c in real:
                c.attribution = attribution_span(c.anchor, bucket.attribution, bucket.stops,
                                                 doc.tokens, doc.text, s.last_token)
                source = c.attribution
                seg = c.segment
                players = [a for a in actors if (source is None
                           or not (source[0] <= a.start < source[1]))
                           and (seg is None or seg.start <= a.start < seg.end)]
                # The dead of the event's own toll were on the target's side.
                victims = [(doc.token_index(m.victims_from), doc.token_index(m.end - 1) + 1)
                           for m in deaths.get(id(c), ()) if m.victims_from >= 0]
                c.roles = assign_roles(players, doc.tokens, c.anchor.first_token,
                                       c.form.pos, c.form.spec.result, c.event_type,
                                       (s.first_token, s.last_token) if seg is None
                                       else (seg.first_token, seg.last_token), victims)
                self._claimant(doc, c, actors)
                if c.roles.actor1 is None and claimed_by is not None and \
                        c.event_type in _CLAIMED_TYPES:
                    c.roles.actor1 = claimed_by
                self._state_agent(c, nisbas)
                self._refine_by_actors(c)
                place_event(doc, c, places_by_sentence, focus, previous, self.refine_places)
                self._date(doc, c, dates_by_sentence, lead)
                result.append(c)
            for c in result[sentence_first:]:
                result.extend(self._split_by_place(doc, c, places_by_sentence))
        if self.refine_places:
            refine_coarse_places(doc, result, places_by_sentence)
        for c in result:
            c.confidence = self._confidence(c)
        return result

    def _split_by_place(self, doc: Doc, c: Candidate,
                        places_by_sentence: dict[int, list[PlaceMention]]) -> list[Candidate]:
        """One more event per further place the sentence lists (ACLED: one per place).

        A death toll given for all the places together is split evenly between them.
        """
        others = other_places(doc, c, places_by_sentence)
        if not others:
            return []
        copies = [replace(c, place=p, geo_precision=p.geo_precision, place_in_sentence=True,
                          triggers=list(c.triggers)) for p in others]
        if c.fatalities is not None:
            share, extra = divmod(c.fatalities, len(others) + 1)
            c.fatalities = share + extra
            for copy in copies:
                copy.fatalities = share
        return copies

    @staticmethod
    def _confidence(c: Candidate) -> float:
        score = {3: 0.72, 2: 0.6, 1: 0.45}.get(c.strength, 0.45)
        score += 0.1 if c.roles.actor1 is not None else 0.0
        score += 0.05 if c.roles.actor2 is not None else 0.0
        score += 0.05 if c.place is not None and c.geo_precision < 3 else 0.0
        score += 0.04 if c.date_in_sentence else 0.0
        score += 0.03 * min(len(c.triggers) - 1, 2)
        score -= {"hedged": 0.2, "negated": 0.3, "attempted": 0.1}.get(c.modality, 0.0)
        return max(0.05, min(0.97, score))

    def _same_place(self, a: Candidate, b: Candidate) -> bool:
        if a.place is None or b.place is None:
            return a.place is None and b.place is None
        return near(a.place, b.place)

    @staticmethod
    def _actor_names(c: Candidate) -> set[str]:
        """The names the candidate's actors will have in its record («جنود» in Benghazi is
        "Military Forces of Libya", as «جنود ليبيين» is)."""
        country = c.place.place.country if c.place is not None else None
        return {actor_for(a.entry, a.country, country)[0] if a.entry is not None
                else a.name or a.template or ""
                for a in (c.roles.actor1, c.roles.actor2) if a is not None}

    def _compatible_place(self, a: Candidate, b: Candidate) -> bool:
        """Same place, or one inside the other (a town and its governorate)."""
        if self._same_place(a, b):
            return True
        if a.place is None or b.place is None:
            return False
        sides = self.refine_places
        return inside(a.place, b.place, sides) or inside(b.place, a.place, sides)

    @staticmethod
    def _compatible_date(a: Candidate, b: Candidate) -> bool:
        """Same day, or `b`'s date is only the report's date (a coarser week around it)."""
        if a.date == b.date:
            return True
        if a.date is None or b.date is None or b.date_in_sentence:
            return False
        return b.time_precision > 1 and abs((a.date - b.date).days) <= 7

    @staticmethod
    def _refers_back(doc: Doc, c: Candidate) -> bool:
        """«قتلوا في الغارات التركية», «الغارات التي تلت ذلك»: a definite event noun whose
        sentence names no place of its own refers back to the last event of its type."""
        if c.place_in_sentence or c.form.pos != "noun":
            return False
        word = doc.tokens[c.anchor.first_token].text[len(c.anchor.proclitic):]
        return word.startswith("ال")

    def merge(self, candidates: list[Candidate],
              doc: Doc | None = None) -> list[list[Candidate]]:
        """Group candidates that report the same event (type, day, place, actors).

        A later mention joins the most recent compatible event: same type, same day (or no day
        of its own), and either a definite event noun with no place in its sentence (it refers
        back: «قتلوا في الغارات التركية»), or the same place (or one inside the other) and at
        least one actor in common with a mention of the event when both name actors («قصف
        المعارضة ... مقتل 5 أطفال» and «قصف المعارضة ... الجيش» are one shelling; ignoring
        actors altogether merged distinct clashes on dev).  Two report segments of one sentence
        (`reports.report_segments`) are never one event, nor is a new report of the paragraph
        (`reports.opens_report`) the event the paragraph has been telling.

        Linear in the candidates: a mention is compared only with the latest `MERGE_WINDOW`
        events of its type, and with the latest `MERGE_KEYS` distinct dates and places of each
        (a paragraph repeated a thousand times is one event of a thousand mentions, compared
        as one); on ordinary documents, that is every event and every mention.
        """
        groups: list[_Group] = []
        by_type: dict[str, list[_Group]] = defaultdict(list)
        paragraphs: list[int] = []
        for c in candidates:
            back = doc is not None and self._refers_back(doc, c)
            names: set[str] | None = None
            date, place = _date_key(c), _place_key(c)
            window = by_type[c.event_type][-MERGE_WINDOW:]
            opens = False
            if doc is not None and not back and opens_report(doc, c):
                opens = True
                # A new report of the paragraph: not the event the paragraph has been telling
                # (an earlier paragraph's, the lead's summary of it, may be the same).
                paragraphs = paragraphs or paragraph_starts(doc)
                window = [g for g in window
                          if g.members[-1].sentence < paragraphs[c.sentence]]
            for group in reversed(window):
                last = group.members[-1]
                if last.sentence == c.sentence and last.segment != c.segment:
                    continue  # two reports of one sentence
                if not group.dated(c, date):
                    continue
                if not back:
                    if not group.placed(self, c, place):
                        continue
                    if names is None:
                        names = self._actor_names(c)
                    if group.names and names and not (group.names & names) and not (
                            self.merge_retold and not opens and retells(
                                group.members[-MERGE_KEYS:], {d for d, _, _ in group.date_keys},
                                group.places, c, self._same_place)):
                        continue
                group.add(c, date, place)
                if len(group.names) < MERGE_KEYS:
                    group.names |= names if names is not None else self._actor_names(c)
                break
            else:
                group = _Group(c, self._actor_names(c), date, place)
                groups.append(group)
                by_type[c.event_type].append(group)
        return [g.members for g in groups]

    # -- records -----------------------------------------------------------------------

    def extract(self, doc: Doc, focus: PlaceMention | None = None) -> list[Event]:
        """The document's events, merged, as contract records."""
        groups = self.merge(self.candidates(doc, focus), doc)
        events = [self._event(doc, group) for group in groups]
        context = DocumentContext.of(doc, events)
        for i, (group, event) in enumerate(zip(groups, events, strict=True)):
            event.features = event_features(doc, group, head_mention(group), event, i, context)
            event.mentions = group
        return events

    def rebuild(self, doc: Doc, group: list[Candidate]) -> Event:
        """The record of the mentions `group` (in document order) as one event, by the rules
        `extract` builds every event by: what `mergemodel.merge_duplicates` merges with."""
        return self._event(doc, group)

    def _actor(self, doc: Doc, mention: ActorMention | None, event_country: str | None,
               event_type: str = "", lead: bool = False) -> Actor | None:
        """The record of an event's actor; the crowd leading a protest or riot is named as
        protesters or rioters, whatever word named it («عائلات», «متظاهرون غاضبون»)."""
        if mention is None:
            return None
        span = doc.span(mention.start, mention.end)
        entry = mention.entry
        # «آلاف الإسرائيليين»: a counted crowd of a nation's people, not its army.
        counted = mention.first_token > 0 and \
            doc.tokens[mention.first_token - 1].text in _CROWD_COUNTS
        crowd = lead and (mention.kind in ("protesters", "rioters", "civilians") or counted)
        if crowd and event_type == "Riots" and self.rioters is not None:
            entry = self.rioters
        elif crowd and event_type == "Protests" and self.protesters is not None:
            entry = self.protesters
        if entry is not None:
            name, inter, country = actor_for(entry, mention.country, event_country)
        else:
            inter, country = mention.inter, mention.country or event_country
            template = mention.template or "{country}"
            cname = country_name(country)
            name = mention.name or (template.format(country=cname) if cname else
                                    template.replace(" ({country})", "").strip())
        return Actor(name, span.text, span.start, span.end, inter, country, mention.registered)

    def _event(self, doc: Doc, group: list[Candidate]) -> Event:
        head = head_mention(group)
        merged_roles = Roles(head.roles.actor1, head.roles.actor2, list(head.roles.assoc1),
                             list(head.roles.assoc2))
        for c in group:
            if merged_roles.actor1 is None:
                merged_roles.actor1 = c.roles.actor1
            if merged_roles.actor2 is None and c.roles.actor2 is not None and (
                    merged_roles.actor1 is None
                    or (c.roles.actor2.name or c.roles.actor2.template)
                    != (merged_roles.actor1.name or merged_roles.actor1.template)):
                merged_roles.actor2 = c.roles.actor2
            for side, mine in ((c.roles.assoc1, merged_roles.assoc1),
                               (c.roles.assoc2, merged_roles.assoc2)):
                known = {a.name or a.template for a in mine}
                mine.extend(a for a in side if (a.name or a.template) not in known)
        # Among equally good places, the first mention's: a later one that refers back
        # («وهتف المتظاهرون») has only the context's place.
        located = max(group, key=lambda c: (c.place is not None and c.place_in_sentence,
                                            c.place is not None and specific(c.place),
                                            -(c.geo_precision or 3), c is group[0]))
        dated = max(group, key=lambda c: (c.date_in_sentence, c.time_precision == 1,
                                          c is head))
        place = located.place.place if located.place is not None else None
        event_country = place.country if place is not None else None
        fatal = [c for c in group if c.fatalities is not None]
        best_fatal = max(fatal, key=lambda c: c.fatalities or 0) if fatal else None
        asserted = any(c.modality == "asserted" for c in group)
        attribution = head.attribution or next((c.attribution for c in group if c.attribution),
                                               None)
        s = doc.sentences[head.sentence]
        a1 = self._actor(doc, merged_roles.actor1, event_country, head.event_type, lead=True)
        a2 = self._actor(doc, merged_roles.actor2, event_country, head.event_type)
        if a1 is not None and a2 is not None and a1.name == a2.name:
            a2 = None
        if a1 is None and head.event_type in _NEEDS_PERPETRATOR and self.unidentified:
            # ACLED always names a perpetrator: unknown attackers are an unidentified group.
            name, inter, country = actor_for(self.unidentified, None, event_country)
            a1 = Actor(name, "", 0, 0, inter, country)
        if head.event_type == "Protests" and self.protesters is not None and (
                a1 is None or a1.inter not in (5, 6)):
            # ACLED: protesters always lead a protest; the group they protest against («أهالي
            # المختطفين لدى ميليشيات الحوثي») is not its actor.
            name, inter, country = actor_for(self.protesters, None, event_country)
            a1 = Actor(name, "", 0, 0, inter, country)
        if head.sub_event_type == "Peaceful protest":
            a2 = None  # ACLED: a peaceful protest has no second actor
        background = bool(dated.date and doc.published and
                          (doc.published - dated.date).days > self.background_days)
        return Event(
            event_type=head.event_type, sub_event_type=head.sub_event_type,
            actor1=a1, actor2=a2,
            assoc_actor_1=[x for x in (self._actor(doc, m, event_country)
                                       for m in merged_roles.assoc1) if x is not None],
            assoc_actor_2=[x for x in (self._actor(doc, m, event_country)
                                       for m in merged_roles.assoc2) if x is not None],
            civilian_targeting=a2 is not None and a2.inter == 7,
            location=place, geo_precision=located.geo_precision,
            event_date=dated.date.isoformat() if dated.date else None,
            time_precision=dated.time_precision if dated.date else 3,
            fatalities=best_fatal.fatalities if best_fatal else None,
            fatalities_text=doc.span(*best_fatal.fatalities_span)
            if best_fatal and best_fatal.fatalities_span else None,
            modality="asserted" if asserted else head.modality,
            attribution=doc.span(*attribution) if attribution else None,
            evidence=doc.span(s.start, s.end),
            confidence=max(c.confidence for c in group),
            background=background,
        )

