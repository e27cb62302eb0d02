"""Great-circle distance: the one haversine that the geocoder, the event extractor, the scorers
and the gazetteer build all use, and `distance_km` between two places that may lack coordinates."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Protocol

EARTH_RADIUS_KM = 6371.0088
"""The mean Earth radius (IUGG)."""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class Located(Protocol):
    """Anything with optional coordinates in degrees: a gazetteer place, a record's place."""

    @property
    def latitude(self) -> float | None: ...

    @property
    def longitude(self) -> float | None: ...


_haversine = lru_cache(maxsize=1 << 16)(haversine_km)


def distance_km(a: Located, b: Located) -> float | None:
    """Great-circle distance between two places (None when either has no coordinates)."""
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    return _haversine(a.latitude, a.longitude, b.latitude, b.longitude)
