"""The comparisons under the scorers: distances, admin1 and actor names, the matching."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasad.eval.match import (
    actor_keys,
    admin1_key,
    haversine_km,
    max_matching,
    name_key,
    place_agreement,
)


def test_haversine_of_one_degree_of_latitude_and_a_known_pair() -> None:
    assert haversine_km(0.0, 0.0, 1.0, 0.0) == pytest.approx(111.195, abs=0.001)
    # Baghdad – Basra, about 448 km as the crow flies
    assert haversine_km(33.3406, 44.4009, 30.5085, 47.7804) == pytest.approx(448, abs=3)
    assert haversine_km(36.2, 37.1, 36.2, 37.1) == 0.0


@pytest.mark.parametrize(("a", "b"), [
    ("Al Anbar", "Anbar Governorate"),
    ("al-Anbar Province", "Al-Anbar"),
    ("Dhi Qar", "Dhi Qar Governorate"),
    ("Ar Raqqah", "Raqqa"),
    ("Sana'a", "Sanaa"),
    ("Ta'izz", "Taizz"),
    ("Ḥalab", "Halab"),
    ("محافظة الأنبار", "الانبار"),
    ("Muhafazat Idlib", "Idlib"),
])
def test_admin1_names_compare_across_spellings(a: str, b: str) -> None:
    assert admin1_key(a) == admin1_key(b)


@pytest.mark.parametrize(("a", "b"), [("Aleppo", "Idlib"), ("Basra", "Babil"),
                                      ("Aden", "Abyan")])
def test_different_admin1_names_stay_different(a: str, b: str) -> None:
    assert admin1_key(a) != admin1_key(b)


def test_names_compare_after_arabic_normalisation_and_case_folding() -> None:
    assert name_key("«الجيش العراقى»") == name_key("الجيش العراقي")
    assert name_key("Islamic  State") == name_key("islamic state")
    assert "الجيش" in actor_keys("والجيش")
    assert "الجيش" in actor_keys("للجيش")
    assert actor_keys("داعش") == {"داعش"}


def test_place_agreement_says_why() -> None:
    gold = {"country": "SY", "admin1": "Aleppo", "latitude": 36.2, "longitude": 37.1,
            "geo_precision": 1}
    near = {**gold, "latitude": 36.3}
    assert place_agreement(gold, near).agree
    assert not place_agreement(gold, None).agree
    other_country = place_agreement(gold, {**near, "country": "TR"})
    assert not other_country.agree and "country TR" in other_country.reason
    far = place_agreement(gold, {**gold, "latitude": 37.2})
    assert not far.agree and far.distance_km == pytest.approx(111.2, abs=0.1)


def brute_force(cost: list[list[float | None]]) -> tuple[int, float]:
    """(most pairs, least cost among those) over every partial assignment."""
    n, m = len(cost), len(cost[0])
    best = (0, 0.0)
    for choice in itertools.product([None, *range(m)], repeat=n):
        cols = [c for c in choice if c is not None]
        if len(cols) != len(set(cols)):
            continue
        if any(c is not None and cost[i][c] is None for i, c in enumerate(choice)):
            continue
        total = sum(cost[i][c] for i, c in enumerate(choice) if c is not None)  # type: ignore[misc]
        if (len(cols), -total) > (best[0], -best[1]):
            best = (len(cols), total)
    return best


COSTS = st.integers(1, 4).flatmap(lambda n: st.integers(1, 4).flatmap(
    lambda m: st.lists(st.lists(st.one_of(st.none(), st.integers(0, 50).map(float)),
                                min_size=m, max_size=m), min_size=n, max_size=n)))


@settings(max_examples=300, deadline=None)
@given(COSTS)
def test_max_matching_is_maximum_then_cheapest(cost: list[list[float | None]]) -> None:
    pairs = max_matching(cost)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
    assert all(cost[i][j] is not None for i, j in pairs)
    total = sum(cost[i][j] for i, j in pairs)  # type: ignore[misc]
    assert (len(pairs), total) == brute_force(cost)


def test_max_matching_of_nothing() -> None:
    assert max_matching([]) == []
    assert max_matching([[None, None]]) == []
