"""Countries: ISO alpha-2/alpha-3/numeric codes, ACLED names and regions.

Read once from the packaged `data/countries.tsv` (built by scripts/build_countries.py from
GeoNames).  `country_info("SY")` gives the record; `country_name("PS")` gives "Palestine";
`all_countries()` lists them all.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class CountryInfo:
    """A country as ACLED names it."""

    alpha2: str
    alpha3: str
    numeric: int
    name: str
    region: str
    geonameid: int


@lru_cache(maxsize=1)
def _countries() -> dict[str, CountryInfo]:
    text = resources.files("rasad.data").joinpath("countries.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return {row["alpha2"]: CountryInfo(row["alpha2"], row["alpha3"], int(row["numeric"]),
                                       row["name"], row["region"], int(row["geonameid"]))
            for row in csv.DictReader(lines, delimiter="\t")}


def country_info(code: str | None) -> CountryInfo | None:
    """The country with ISO alpha-2 `code`, or None."""
    return _countries().get(code.upper()) if code else None


def country_name(code: str | None) -> str | None:
    """ACLED's English name of the country with ISO alpha-2 `code`."""
    info = country_info(code)
    return info.name if info else None


def all_countries() -> list[CountryInfo]:
    """Every country of the table, in its order."""
    return list(_countries().values())
