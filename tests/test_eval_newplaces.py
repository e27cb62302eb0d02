"""Events on places the gazetteer lacked before Who's On First (`rasad.eval.newplaces`)."""

from __future__ import annotations

from typing import Any

from rasad.eval.newplaces import NewPlaceTally, _cell, is_new_place, older_places, placed_near


def event(lat: float | None, lon: float | None, precision: int = 1,
          event_type: str = "Battles") -> dict[str, Any]:
    return {"event_type": event_type, "location": {"latitude": lat, "longitude": lon,
                                                   "geo_precision": precision}}


OLD = {_cell(36.2, 37.15): [(36.2, 37.15)]}  # one older place (Aleppo-like)


def test_a_town_far_from_every_older_place_is_new() -> None:
    assert is_new_place(event(36.5, 37.9), OLD)           # about 70 km away
    assert not is_new_place(event(36.23, 37.17), OLD)     # 4 km away: the old gazetteer had it
    assert not is_new_place(event(36.5, 37.9, precision=2), OLD)  # a region is not a town
    assert not is_new_place(event(None, None), OLD)


def test_the_nearest_search_crosses_cell_borders() -> None:
    old = {_cell(35.999, 38.0): [(35.999, 38.0)]}
    assert not is_new_place(event(36.001, 38.0), old)     # 200 m apart, in two cells


def test_placed_needs_the_same_type_within_50_km() -> None:
    gold = event(36.5, 37.9)
    assert placed_near(gold, [event(36.6, 37.95)])                        # 12 km
    assert not placed_near(gold, [event(36.6, 37.95, event_type="Protests")])
    assert not placed_near(gold, [event(37.5, 37.9)])                     # 111 km
    assert not placed_near(gold, [event(None, None)])


def test_the_tally_counts_new_places_and_those_placed() -> None:
    tally = NewPlaceTally(cells=OLD)
    tally.add([event(36.5, 37.9), event(36.2, 37.15), event(33.0, 44.0)],
              [event(36.52, 37.91)])
    assert (tally.events, tally.placed) == (2, 1)


def test_the_older_places_are_the_gazetteer_less_who_is_on_first() -> None:
    cells = older_places()
    count = sum(len(points) for points in cells.values())
    assert 5_000 < count < 10_000  # about 7,400 places, not the 85,000 of the whole gazetteer
