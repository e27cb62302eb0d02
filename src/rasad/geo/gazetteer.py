"""The gazetteer: places with their Arabic names, loaded once from the packaged SQLite file.

`load_gazetteer(path)` reads ``rasad/data/gazetteer.sqlite`` (built by
``scripts/build_gazetteer.py``) into memory: a `GazetteerPlace` per row and a dict from each
normalised Arabic name (words joined by single spaces, as `rasad.text.lexicon.phrase_words` cuts
them) to the places it names.  `Gazetteer.from_places` builds the same object from hand-made places,
the in-memory backend that tests use.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from rasad.errors import ConfigError
from rasad.text.lexicon import phrase_words

# Feature ranks: a larger unit contains a smaller one (used by containment).
FEATURE_RANK = {"country": 5, "region": 4, "admin1": 4, "admin2": 3, "admin3": 2, "city": 1,
                "poi": 0}


@dataclass(frozen=True, slots=True)
class GazetteerPlace:
    """One gazetteer entry (a row of the packaged file)."""

    gid: str
    name: str
    name_ar: str | None
    feature: str
    country: str | None
    latitude: float | None
    longitude: float | None
    population: int = 0
    kind: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    pcode: str | None = None
    source: str = ""


def name_key(name: str) -> str:
    """The lookup key of a name in any spelling: normalised words joined by single spaces."""
    return " ".join(phrase_words(name))


class Gazetteer:
    """Places and the index of their normalised Arabic names."""

    def __init__(self, places: Sequence[GazetteerPlace],
                 names: dict[str, tuple[GazetteerPlace, ...]],
                 demonyms: dict[str, str]) -> None:
        self.places = places
        self.names = names
        self.demonyms = demonyms
        self.by_gid = {p.gid: p for p in places}
        self.countries = {p.country: p for p in places if p.feature == "country" and p.country}
        # The longest name (in words) starting with each word bounds the matcher's look-ahead.
        self.max_words: dict[str, int] = {}
        for key in names:
            words = key.split(" ")
            if len(words) > self.max_words.get(words[0], 0):
                self.max_words[words[0]] = len(words)
        for key in demonyms:
            self.max_words.setdefault(key, 1)

    def __len__(self) -> int:
        return len(self.places)

    def lookup(self, name: str) -> tuple[GazetteerPlace, ...]:
        """The places called `name` (any spelling)."""
        return self.names.get(name_key(name), ())

    @classmethod
    def from_places(cls, entries: Iterable[tuple[GazetteerPlace, Iterable[str]]],
                    demonyms: dict[str, str] | None = None) -> Gazetteer:
        """An in-memory gazetteer from (place, Arabic names) pairs."""
        places: list[GazetteerPlace] = []
        index: dict[str, list[GazetteerPlace]] = defaultdict(list)
        for place, names in entries:
            places.append(place)
            for key in {name_key(n) for n in names} - {""}:
                index[key].append(place)
        return cls(places, {k: tuple(v) for k, v in index.items()},
                   {name_key(k): v for k, v in (demonyms or {}).items()})


def default_gazetteer_path() -> Path:
    return Path(str(files("rasad") / "data" / "gazetteer.sqlite"))


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Read a gazetteer file built by ``scripts/build_gazetteer.py`` into memory."""
    path = path or default_gazetteer_path()
    if not path.is_file():
        raise ConfigError(f"gazetteer file not found: {path} (run scripts/build_gazetteer.py)")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute(
                "SELECT id, gid, name, name_ar, feature, country, latitude, longitude, "
                "population, kind, admin1, admin2, admin3, pcode, source FROM places "
                "ORDER BY id").fetchall()
            name_rows = db.execute("SELECT name, place FROM names ORDER BY rowid").fetchall()
            demonym_rows = db.execute("SELECT name, country FROM demonyms").fetchall()
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise ConfigError(f"cannot read gazetteer {path}: {exc}") from exc
    by_id = {row[0]: GazetteerPlace(*row[1:]) for row in rows}
    index: dict[str, list[GazetteerPlace]] = defaultdict(list)
    for name, place_id in name_rows:
        index[name].append(by_id[place_id])
    return Gazetteer(list(by_id.values()), {k: tuple(v) for k, v in index.items()},
                     dict(demonym_rows))
