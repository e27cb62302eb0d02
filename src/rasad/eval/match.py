"""The comparisons scoring is built from: names, places, actors, and a maximum matching.

- `name_key` / `actor_keys`: a name compared after Arabic normalisation (`normalize_form`: hamza
  and alef forms, taa marbuta, diacritics, digits …), case-folding, punctuation to spaces; an
  Arabic surface form is also compared without one leading proclitic (و ف ب ل ك س, «للجيش» →
  «الجيش»), since spans keep clitics.
- `admin1_key`: first-level division names compared robustly: case, accents, apostrophes,
  hyphens and spaces, the generic words (Governorate, Province, Muhafazat, محافظة, ولاية …), the
  article (al-, Al , el-, ad-, ash- …, ال), doubled letters and a final h («Raqqah» = «Ar-Raqqa»).
  An English name is never equal to an Arabic one: a known limit.
- `place_agreement(gold, predicted)`: contract §5 — same country, and within 50 km of the gold
  coordinates, or (when either side has geo_precision 3) the same admin1.  Decisions where the
  gold leaves fields empty: a gold location of precision 3 with no admin1 is country-level, and
  any predicted place in that country agrees; a gold place without coordinates agrees with a
  prediction in the same admin1, or else of the same name; a prediction without coordinates
  (an unresolved place) agrees with a located gold place only by name.
- `max_matching(cost)`: a maximum-cardinality, minimum-cost matching (Hungarian algorithm), so
  that each gold event matches at most one prediction and closer pairs are preferred.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rasad.geo.distance import haversine_km
from rasad.text.lexicon import PROCLITICS
from rasad.text.normalize import normalize_form

MATCH_RADIUS_KM = 50.0
"""Contract §5: a predicted place agrees with the gold one within this distance."""

_NON_WORD = re.compile(r"[^\w]+")
_PARENTHESES = re.compile(r"\([^)]*\)")
_ADMIN_GENERIC = frozenset({
    "governorate", "province", "muhafazat", "muhafazah", "muhafaza", "wilayat", "wilayah",
    "vilayet", "region", "state", "district", "ili", "il", "city", "municipality",
    "محافظه", "ولايه", "مديريه", "اقليم", "منطقه", "مدينه", "امانه",
})
_LATIN_ARTICLES = frozenset({"al", "el", "ad", "adh", "ar", "as", "ash", "at", "ath", "az",
                             "an", "ed", "er", "es", "the"})


def name_key(name: str) -> str:
    """`name` for comparison: normalised, case-folded, punctuation as single spaces."""
    return " ".join(_NON_WORD.sub(" ", normalize_form(name).casefold()).split())


def actor_keys(text: str) -> set[str]:
    """The keys a surface form or name can be compared by (itself, and without a proclitic)."""
    key = name_key(text)
    keys = {key} if key else set()
    for k in (1, 2):
        prefix, rest = key[:k], key[k:]
        if prefix in PROCLITICS and len(rest) >= 2:
            keys.add(rest)
            if prefix.endswith("ل") and rest.startswith("ل"):
                keys.add("ا" + rest)  # «للجيش» → «الجيش»
    return keys


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def admin1_key(name: str) -> str:
    """A first-level division name reduced to what tells it apart."""
    text = _strip_accents(_PARENTHESES.sub(" ", normalize_form(name).casefold()))
    text = text.replace("'", "").replace("ʿ", "").replace("ʾ", "").replace("`", "")
    words = [w for w in _NON_WORD.sub(" ", text).split()
             if w not in _ADMIN_GENERIC and w not in _LATIN_ARTICLES]
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
    key = "".join(words)
    key = re.sub(r"(.)\1+", r"\1", key)
    if len(key) > 3 and key.endswith("ah"):
        key = key[:-1]
    return key


def place_distance_km(gold: dict[str, Any], predicted: dict[str, Any]) -> float | None:
    """Distance between two locations, None when either lacks coordinates."""
    values = [loc.get(key) for loc in (gold, predicted) for key in ("latitude", "longitude")]
    numbers = [float(v) for v in values if v is not None]
    if len(numbers) < 4:
        return None
    return haversine_km(*numbers)


@dataclass(frozen=True, slots=True)
class PlaceAgreement:
    """Whether a predicted location agrees with a gold one, how far apart, and why."""

    agree: bool
    distance_km: float | None
    reason: str


def _same_admin1(a: str | None, b: str | None) -> bool:
    return bool(a and b and admin1_key(a) and admin1_key(a) == admin1_key(b))


def _same_name(gold: dict[str, Any], predicted: dict[str, Any]) -> bool:
    gold_keys = {name_key(_PARENTHESES.sub(" ", gold[k])) for k in ("name", "name_ar", "text")
                 if isinstance(gold.get(k), str)}
    pred_keys = {name_key(predicted[k]) for k in ("name", "name_ar", "text")
                 if isinstance(predicted.get(k), str)}
    return bool((gold_keys & pred_keys) - {""})


def place_agreement(gold: dict[str, Any] | None, predicted: dict[str, Any] | None,
                    radius_km: float = MATCH_RADIUS_KM) -> PlaceAgreement:
    """Contract §5 location agreement of a predicted event location with the gold one."""
    if not gold:
        return PlaceAgreement(False, None, "the gold event has no location")
    if not predicted:
        return PlaceAgreement(False, None, "the prediction has no location")
    gold_country = (gold.get("country") or "").upper()
    pred_country = (predicted.get("country") or "").upper()
    if gold_country and gold_country != pred_country:
        return PlaceAgreement(False, None,
                              f"country {pred_country or 'unknown'} ≠ gold {gold_country}")
    distance = place_distance_km(gold, predicted)
    if distance is not None and distance <= radius_km:
        return PlaceAgreement(True, distance, f"{distance:.0f} km from the gold place")
    gold_admin1, pred_admin1 = gold.get("admin1"), predicted.get("admin1")
    if 3 in (gold.get("geo_precision"), predicted.get("geo_precision")):
        if gold.get("geo_precision") == 3 and not gold_admin1:
            return PlaceAgreement(True, distance, "country-level gold place, same country")
        if _same_admin1(gold_admin1, pred_admin1):
            return PlaceAgreement(True, distance, f"same admin1 ({gold_admin1})")
    if distance is None:
        gold_located = gold.get("latitude") is not None and gold.get("longitude") is not None
        if not gold_located and _same_admin1(gold_admin1, pred_admin1):
            return PlaceAgreement(True, None, f"gold without coordinates; same admin1 "
                                  f"({gold_admin1})")
        if _same_name(gold, predicted):
            return PlaceAgreement(True, None, "no coordinates; same place name")
        return PlaceAgreement(False, None, f"no coordinates to compare; admin1 "
                              f"{pred_admin1 or 'unknown'} vs gold {gold_admin1 or 'unknown'}")
    return PlaceAgreement(False, distance, f"{distance:.0f} km from the gold place; admin1 "
                          f"{pred_admin1 or 'unknown'} vs gold {gold_admin1 or 'unknown'}")


def max_matching(cost: Sequence[Sequence[float | None]]) -> list[tuple[int, int]]:
    """Row–column pairs of a maximum matching of least total cost; None marks a forbidden pair.

    Among all matchings with the most pairs, one with the least summed cost (Hungarian
    algorithm with potentials, O(n²m)); pairs come back sorted by row.
    """
    n = len(cost)
    m = len(cost[0]) if n else 0
    if n == 0 or m == 0:
        return []
    if n > m:
        transposed = [[cost[i][j] for i in range(n)] for j in range(m)]
        return sorted((i, j) for j, i in max_matching(transposed))
    allowed = [c for row in cost for c in row if c is not None]
    if not allowed:
        return []
    # Costs shifted to be ≥ 0; a forbidden pair then costs more than any n allowed pairs
    # together, so a matching with fewer forbidden pairs always wins.
    shift = -min(min(allowed), 0.0)
    forbidden = (max(allowed) + shift + 1.0) * (n + 1)
    matrix = [[forbidden if c is None else c + shift for c in row] for row in cost]
    column_of_row = _hungarian(matrix, n, m)
    return [(i, j) for i, j in enumerate(column_of_row) if cost[i][j] is not None]


def _hungarian(a: list[list[float]], n: int, m: int) -> list[int]:
    """Assign each of n rows a distinct one of m ≥ n columns at least total cost."""
    inf = math.inf
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    row_of = [0] * (m + 1)  # 1-based row assigned to column j, 0 = none
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        row_of[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = row_of[j0], inf, 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                cur = a[i0 - 1][j - 1] - u[i0] - v[j]
                if cur < minv[j]:
                    minv[j], way[j] = cur, j0
                if minv[j] < delta:
                    delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[row_of[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if row_of[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            row_of[j0] = row_of[j1]
            j0 = j1
    column_of_row = [0] * n
    for j in range(1, m + 1):
        if row_of[j]:
            column_of_row[row_of[j] - 1] = j - 1
    return column_of_row
