"""Merging event mentions: the same groups as comparing every mention with every event, with a
number of comparisons that grows with the mentions, not with their square."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasad.doc import ActorMention, PlaceMention
from rasad.extract.events import MERGE_WINDOW, Candidate, EventExtractor
from rasad.extract.roles import Roles
from rasad.records import Place

PLACES = [
    None,
    Place("حلب", 0, 3, name="Aleppo", feature="city", country="SY", admin1="Aleppo",
          latitude=36.2, longitude=37.16, gazetteer_id="g:aleppo"),
    Place("الشيخ مقصود", 0, 3, name="Sheikh Maqsoud", feature="city", country="SY",
          admin1="Aleppo", latitude=36.23, longitude=37.15, gazetteer_id="g:maqsoud"),
    Place("محافظة حلب", 0, 3, name="Aleppo", feature="admin1", country="SY", admin1="Aleppo",
          latitude=36.1, longitude=37.5, gazetteer_id="g:aleppo-gov"),
    Place("الرقة", 0, 3, name="Raqqa", feature="city", country="SY", admin1="Raqqa",
          latitude=35.95, longitude=39.01, gazetteer_id="g:raqqa"),
    Place("سوريا", 0, 3, name="Syria", feature="country", country="SY", latitude=35.0,
          longitude=38.0, gazetteer_id="g:syria"),
    Place("تعز", 0, 3, name="Taiz", feature="city", country="YE", admin1="Taiz",
          latitude=13.58, longitude=44.02, gazetteer_id="g:taiz"),
    Place("قرية مجهولة", 0, 3, name=None, country="YE", resolved=False),
]
ACTORS = [None, "Islamic State", "Military Forces of Syria", "Syrian Democratic Forces"]
TYPES = ["Battles", "Explosions/Remote violence"]
DAY = dt.date(2016, 3, 7)


def candidate(event_type: str, place: int, day: int | None, in_sentence: bool,
              precision: int, actor1: int, actor2: int, position: int = 0) -> Candidate:
    """A mention as `EventExtractor.candidates` leaves it (only what merging reads is set)."""
    roles = Roles(*(ActorMention(0, 1, 0, 1, ACTORS[a], 2) if ACTORS[a] else None
                    for a in (actor1, actor2)))
    # Each mention has its own `Place` (its own offsets), as in a document.
    where = PLACES[place]
    mention = None if where is None else PlaceMention(
        replace(where, start=position, end=position + 3), position, position + 3)
    return Candidate(sentence=position, anchor=None, event_type=event_type,  # type: ignore[arg-type]
                     sub_event_type="", strength=2, triggers=[], roles=roles, place=mention,
                     date=None if day is None else DAY + dt.timedelta(days=day),
                     date_in_sentence=in_sentence, time_precision=precision)


def _extractor() -> EventExtractor:
    """The merging rule these tests state, without retellings (`merge_retold`, on by default,
    which reads the mentions' triggers: `test_extract_retelling`)."""
    return EventExtractor(merge_retold=False)


def pairwise_merge(extractor: EventExtractor, candidates: list[Candidate]
                   ) -> list[list[Candidate]]:
    """The merging rule stated plainly: each mention against every member of every event."""
    groups: list[list[Candidate]] = []
    for c in candidates:
        for group in reversed(groups):
            head = group[0]
            if head.event_type != c.event_type:
                continue
            if not any(extractor._compatible_date(m, c) or extractor._compatible_date(c, m)
                       for m in group):
                continue
            if not any(extractor._compatible_place(m, c) or extractor._compatible_place(c, m)
                       for m in group):
                continue
            # An actor in common with any mention of the event.
            names = set().union(*(extractor._actor_names(m) for m in group))
            other = extractor._actor_names(c)
            if names and other and not (names & other):
                continue
            group.append(c)
            break
        else:
            groups.append([c])
    return groups


mentions = st.lists(st.tuples(st.sampled_from(TYPES), st.integers(0, len(PLACES) - 1),
                              st.one_of(st.none(), st.integers(0, 9)), st.booleans(),
                              st.integers(1, 3), st.integers(0, len(ACTORS) - 1),
                              st.integers(0, len(ACTORS) - 1)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(mentions)
def test_merge_groups_as_the_pairwise_rule(drawn: list[tuple[Any, ...]]) -> None:
    extractor = _extractor()
    candidates = [candidate(*x, position=10 * k) for k, x in enumerate(drawn)]
    expected = [[id(c) for c in g] for g in pairwise_merge(extractor, candidates)]
    assert [[id(c) for c in g] for g in extractor.merge(candidates)] == expected


class Counted:
    """Counts the calls to the date and place comparisons of `EventExtractor`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        for name in ("_compatible_date", "_compatible_place"):
            original = getattr(EventExtractor, name)

            def counting(*args: Any, _original: Any = original) -> bool:
                self.calls += 1
                return bool(_original(*args))

            static = isinstance(EventExtractor.__dict__[name], staticmethod)
            monkeypatch.setattr(EventExtractor, name,
                                staticmethod(counting) if static else counting)


def _repeated(copies: int) -> list[Candidate]:
    """A paragraph of four mentions (a clash in Aleppo, one in its governorate, one in Raqqa, a
    strike in Raqqa) repeated: three events, each with ever more mentions; each Aleppo mention
    is first compared with the Raqqa clash, and fails with every member of it."""
    one = [("Battles", 1, 0, True, 1, 1, 2), ("Battles", 3, 0, False, 2, 2, 0),
           ("Battles", 4, 0, True, 1, 1, 3), ("Explosions/Remote violence", 4, 0, True, 1, 2, 0)]
    return [candidate(*x, position=k) for k, x in enumerate(one * copies)]


def test_merge_comparisons_grow_linearly_with_a_repeated_paragraph(
        monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch)
    extractor = _extractor()
    assert len(extractor.merge(_repeated(100))) == 3
    hundred = counted.calls
    counted.calls = 0
    assert len(extractor.merge(_repeated(200))) == 3
    # Before: every mention against every member of its event, 4x the comparisons.
    assert counted.calls <= 2.1 * hundred


def test_merge_compares_a_mention_with_the_latest_events_of_its_type_only(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Clashes on ever later days: none merges, and each is compared with at most
    # MERGE_WINDOW earlier ones (twice: one call per direction of the date rule).
    counted = Counted(monkeypatch)
    candidates = [candidate("Battles", 1, None, True, 1, 1, 2) for _ in range(500)]
    for k, c in enumerate(candidates):
        c.date = DAY + dt.timedelta(days=k)
    assert len(_extractor().merge(candidates)) == 500
    assert counted.calls <= 2 * MERGE_WINDOW * len(candidates)


def test_merge_window_keeps_every_merge_of_an_ordinary_document() -> None:
    # A mention joins an event reported MERGE_WINDOW - 1 events of its type before it.
    candidates = [candidate("Battles", 1, None, True, 1, 1, 2) for _ in range(MERGE_WINDOW)]
    for k, c in enumerate(candidates):
        c.date = DAY + dt.timedelta(days=k)
    again = candidate("Battles", 1, 0, True, 1, 1, 2)
    groups = _extractor().merge([*candidates, again])
    assert groups[0] == [candidates[0], again]
