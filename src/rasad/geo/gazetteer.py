"""The gazetteer: places with their Arabic names, loaded once from the packaged SQLite file.

`load_gazetteer(path)` reads ``rasad/data/gazetteer.sqlite`` (built by
``scripts/build_gazetteer.py``): the index from each normalised Arabic name (words joined by single
spaces, as `rasad.text.lexicon.phrase_words` cuts them) to the ids of the places it names is read
at once; a place's row becomes a `GazetteerPlace` only when a name that names it is looked up
(most of the ~83,500 places never are), so loading stays fast and small.
`Gazetteer.from_places` builds the same object from hand-made places, the in-memory backend that
tests use.
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
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

    @property
    def vetted(self) -> bool:
        """Whether the place comes from a chosen list (GeoNames towns of 500 people or more,
        the curated and administrative lists), not from Who's On First alone, whose tens of
        thousands of villages and quarters were not chosen and need evidence from the text."""
        return not self.gid.startswith("wof:")


def name_key(name: str) -> str:
    """The lookup key of a name in any spelling: normalised words joined by single spaces."""
    return " ".join(phrase_words(name))


_COLUMNS = ("gid, name, name_ar, feature, country, latitude, longitude, population, kind, "
            "admin1, admin2, admin3, pcode, (SELECT text FROM sources WHERE sources.id = source)")


class _Rows:
    """Reads place rows from the gazetteer file on demand (one connection per process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self.cache: dict[int, GazetteerPlace] = {}

    def _connect(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                       check_same_thread=False)
            self._pid = os.getpid()
        return self._db

    def query(self, where: str, args: Sequence[object] = ()) -> list[tuple[int, GazetteerPlace]]:
        try:
            rows = self._connect().execute(
                f"SELECT id, {_COLUMNS} FROM places {where}", tuple(args)).fetchall()
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot read gazetteer {self.path}: {exc}") from exc
        out = []
        for row in rows:
            place = self.cache.get(row[0])
            if place is None:
                place = self.cache[row[0]] = GazetteerPlace(*row[1:])
            out.append((row[0], place))
        return out

    def count(self) -> int:
        try:
            return int(self._connect().execute("SELECT count(*) FROM places").fetchone()[0])
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot read gazetteer {self.path}: {exc}") from exc

    def places(self, ids: Sequence[int]) -> tuple[GazetteerPlace, ...]:
        missing = [i for i in ids if i not in self.cache]
        if missing:
            self.query(f"WHERE id IN ({','.join('?' * len(missing))})", missing)
        return tuple(self.cache[i] for i in ids)


class _LazyNames(Mapping[str, tuple[GazetteerPlace, ...]]):
    """Name → places, the places read from the file when a name is first looked up."""

    def __init__(self, ids: dict[str, str], rows: _Rows) -> None:
        self._ids = ids
        self._rows = rows
        self._found: dict[str, tuple[GazetteerPlace, ...]] = {}

    def __getitem__(self, key: str) -> tuple[GazetteerPlace, ...]:
        found = self._found.get(key)
        if found is None:
            ids = [int(i) for i in self._ids[key].split(",")]
            found = self._found[key] = self._rows.places(ids)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class Gazetteer:
    """Places and the index of their normalised Arabic names."""

    def __init__(self, places: Sequence[GazetteerPlace] | None,
                 names: Mapping[str, tuple[GazetteerPlace, ...]],
                 demonyms: dict[str, str], rows: _Rows | None = None,
                 common_names: frozenset[str] = frozenset()) -> None:
        self._places = places
        # Names that are also common words (marked when the file was built): places only where
        # a feature word or a relation makes them places, as `cues.yaml: common_words`.
        self.common_names = common_names
        self._rows = rows
        self._by_gid: dict[str, GazetteerPlace] | None = None
        self.names = names
        self.demonyms = demonyms
        if places is not None:
            self.countries = {p.country: p for p in places
                              if p.feature == "country" and p.country}
        else:
            assert rows is not None
            self.countries = {p.country: p for _, p in rows.query("WHERE feature = 'country'")
                              if p.country}
        # The longest name (in words) starting with each word bounds the matcher's look-ahead.
        self.max_words: dict[str, int] = {}
        for key in names:
            words = key.split(" ")
            if len(words) > self.max_words.get(words[0], 0):
                self.max_words[words[0]] = len(words)
        for key in demonyms:
            self.max_words.setdefault(key, 1)

    @property
    def places(self) -> Sequence[GazetteerPlace]:
        """Every place (read from the file in full on first use)."""
        if self._places is None:
            assert self._rows is not None
            self._places = [p for _, p in self._rows.query("ORDER BY id")]
        return self._places

    @property
    def by_gid(self) -> dict[str, GazetteerPlace]:
        if self._by_gid is None:
            self._by_gid = {p.gid: p for p in self.places}
        return self._by_gid

    def __len__(self) -> int:
        if self._places is None and self._rows is not None:
            return self._rows.count()
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


@lru_cache(maxsize=1)
def admin1_labels() -> dict[str, tuple[float, float]]:
    """Gazetteer id of a first-level division → the label point of its area
    (``rasad/data/geo/admin1_labels.tsv``, written by ``scripts/build_admin1_labels.py``)."""
    text = (files("rasad") / "data" / "geo" / "admin1_labels.tsv").read_text(encoding="utf-8")
    out: dict[str, tuple[float, float]] = {}
    for line in text.splitlines():
        if line and not line.startswith(("#", "gid\t")):
            gid, _, latitude, longitude = line.split("\t")
            out[gid] = (float(latitude), float(longitude))
    return out


def default_gazetteer_path() -> Path:
    return Path(str(files("rasad") / "data" / "gazetteer.sqlite"))


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Open a gazetteer file built by ``scripts/build_gazetteer.py``: its name index in memory,
    its places read when first named (see the module docstring)."""
    path = path or default_gazetteer_path()
    if not path.is_file():
        raise ConfigError(f"gazetteer file not found: {path} (run scripts/build_gazetteer.py)")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            name_rows = db.execute("SELECT name, places FROM names").fetchall()
            demonym_rows = db.execute("SELECT name, country FROM demonyms").fetchall()
            common = frozenset(r[0] for r in db.execute("SELECT name FROM common_names"))
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise ConfigError(f"cannot read gazetteer {path}: {exc}") from exc
    rows = _Rows(path)
    return Gazetteer(None, _LazyNames(dict(name_rows), rows), dict(demonym_rows), rows, common)
