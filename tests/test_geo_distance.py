"""The distance between two places that may lack coordinates (`rasad.geo.distance.distance_km`)."""

from __future__ import annotations

import pytest

from rasad.geo import GazetteerPlace
from rasad.geo.distance import distance_km, haversine_km
from rasad.records import Place


def test_the_distance_between_a_record_place_and_a_gazetteer_place() -> None:
    town = Place("سرمدا", 0, 5, latitude=36.18, longitude=36.72)
    province = GazetteerPlace("test:province", "Idlib", "إدلب", "admin1", "SY", 35.93, 36.63)
    assert distance_km(town, province) == pytest.approx(haversine_km(36.18, 36.72, 35.93, 36.63))
    assert distance_km(town, town) == 0.0


def test_a_place_without_either_coordinate_has_no_distance() -> None:
    there = Place("a", 0, 1, latitude=36.0, longitude=37.0)
    for lacking in (Place("b", 0, 1), Place("b", 0, 1, latitude=36.0),
                    Place("b", 0, 1, longitude=37.0)):
        assert distance_km(there, lacking) is None
        assert distance_km(lacking, there) is None
