"""Events on places the gazetteer lacked before Who's On First (issue 12's must-show).

A gold event is on a *new place* when its place is a town, village or site (`geo_precision` 1)
with coordinates, and no place of the gazetteer from another source than Who's On First — the
7,400 places of the gazetteer before it grew to 85,000 — lies within `NEAR_KM` of them: the old
gazetteer could only have placed it at some other town.  Such an event is *placed* when a
predicted event of the same type in the same document lies within `PLACED_KM` (the contract's
matching distance) of the gold coordinates.

`NewPlaceTally.add(gold_scored, pred_scored)` counts both over a document's scored events;
`rasad eval articles` prints ``new_place_events`` and ``new_place_placed`` (the share placed).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasad.eval.match import place_distance_km
from rasad.geo.distance import haversine_km
from rasad.geo.gazetteer import default_gazetteer_path

NEAR_KM = 10.0
PLACED_KM = 50.0
WOF_SOURCE = "Who's On First%"
_CELL = 1.0  # degrees: places are bucketed by whole-degree cells for the nearest search

Cells = dict[tuple[int, int], list[tuple[float, float]]]


@lru_cache(maxsize=2)
def older_places(path: Path | None = None) -> Cells:
    """The coordinates of every place of the gazetteer not from Who's On First, by cell."""
    db = sqlite3.connect(f"file:{path or default_gazetteer_path()}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT latitude, longitude FROM places WHERE latitude IS NOT NULL AND source NOT IN "
            "(SELECT id FROM sources WHERE text LIKE ?)", (WOF_SOURCE,)).fetchall()
    finally:
        db.close()
    cells: Cells = defaultdict(list)
    for lat, lon in rows:
        cells[_cell(lat, lon)].append((lat, lon))
    return dict(cells)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(lat // _CELL), int(lon // _CELL)


def _coordinates(event: dict[str, Any]) -> tuple[float, float] | None:
    location = event.get("location") or {}
    lat, lon = location.get("latitude"), location.get("longitude")
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        return float(lat), float(lon)
    return None


def is_new_place(event: dict[str, Any], cells: Cells) -> bool:
    """Whether a gold event lies on a town or site no older gazetteer place is near."""
    location = event.get("location") or {}
    point = _coordinates(event)
    if location.get("geo_precision") != 1 or point is None:
        return False
    lat, lon = point
    row, col = _cell(lat, lon)
    return not any(haversine_km(lat, lon, other_lat, other_lon) <= NEAR_KM
                   for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                   for other_lat, other_lon in cells.get((row + dr, col + dc), ()))


def placed_near(gold: dict[str, Any], predicted: Sequence[dict[str, Any]]) -> bool:
    """Whether a prediction of the gold event's type lies within `PLACED_KM` of it."""
    location = gold.get("location") or {}
    for p in predicted:
        if p.get("event_type") != gold.get("event_type"):
            continue
        distance = place_distance_km(location, p.get("location") or {})
        if distance is not None and distance <= PLACED_KM:
            return True
    return False


@dataclass
class NewPlaceTally:
    """Gold events on new places, and how many of them a prediction placed."""

    events: int = 0
    placed: int = 0
    cells: Cells = field(default_factory=older_places, repr=False)

    def add(self, gold_scored: Sequence[dict[str, Any]],
            pred_scored: Sequence[dict[str, Any]]) -> None:
        for gold in gold_scored:
            if is_new_place(gold, self.cells):
                self.events += 1
                self.placed += placed_near(gold, pred_scored)
