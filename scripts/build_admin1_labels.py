"""Write ``src/rasad/data/geo/admin1_labels.tsv``: the label point of each first-level division.

The packaged gazetteer places a governorate or province at its seat, where ACLED codes an event
known only to the province (``admin1.tsv``).  A mention of the province itself names the whole
area, whose representative point is the label point that Who's On First gives its region record
(``../shared/data/gazetteer/wof/places_ar.tsv.gz``, placetype ``region``): the record of such a
mention sits there (`rasad.doc.PlaceMention.label`), the event keeps the seat.

A gazetteer division takes the WOF region of its country with the same English name (case and
accents folded) or, failing that, with an Arabic name of the same lookup key; a division that
matches none, or more than one region, gets no label point and stays at its seat.  Deterministic
for the same inputs:

    python scripts/build_admin1_labels.py [--wof PATH] [--gazetteer PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sqlite3
import unicodedata
from collections import defaultdict
from contextlib import closing
from pathlib import Path

from rasad.geo.gazetteer import name_key

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "rasad" / "data" / "geo" / "admin1_labels.tsv"
GAZETTEER = ROOT / "src" / "rasad" / "data" / "gazetteer.sqlite"
WOF = ROOT.parent / "shared" / "data" / "gazetteer" / "wof" / "places_ar.tsv.gz"
HEADER = ("# Label points of first-level divisions (rasad.doc.PlaceMention.label), from Who's On "
          "First region records\n# (CC0; names and points partly from GeoNames, CC BY 4.0). "
          "Written by scripts/build_admin1_labels.py.\n")


def fold(name: str) -> str:
    """Lower-case ASCII form of a Latin name («Ma`an» and «Ma'an» alike)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


def wof_regions(path: Path) -> tuple[dict[tuple[str, str], list[tuple[str, float, float]]],
                                     dict[tuple[str, str], list[tuple[str, float, float]]]]:
    """(country, folded English name) and (country, Arabic key) → WOF regions (id, lat, lon)."""
    by_name: dict[tuple[str, str], list[tuple[str, float, float]]] = defaultdict(list)
    by_arabic: dict[tuple[str, str], list[tuple[str, float, float]]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["placetype"] != "region" or not row["latitude"] or not row["longitude"]:
                continue
            entry = (row["wof_id"], float(row["latitude"]), float(row["longitude"]))
            by_name[(row["country"], fold(row["name"]))].append(entry)
            for name in {name_key(n) for n in row["names_ar"].split("|") if n.strip()}:
                by_arabic[(row["country"], name)].append(entry)
    return by_name, by_arabic


def labels(gazetteer: Path, wof: Path) -> list[tuple[str, str, float, float]]:
    """(gazetteer id, WOF id, latitude, longitude) of each division that one WOF region matches."""
    by_name, by_arabic = wof_regions(wof)
    with closing(sqlite3.connect(f"file:{gazetteer}?mode=ro", uri=True)) as db:
        rows = db.execute("SELECT gid, name, name_ar, country FROM places "
                          "WHERE feature = 'admin1' ORDER BY gid").fetchall()
    out = []
    for gid, name, name_ar, country in rows:
        found = by_name.get((country, fold(name)), [])
        if not found and name_ar:
            found = by_arabic.get((country, name_key(name_ar)), [])
        if len({wof_id for wof_id, _, _ in found}) == 1:
            wof_id, lat, lon = found[0]
            out.append((gid, wof_id, round(lat, 5), round(lon, 5)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wof", type=Path, default=WOF)
    parser.add_argument("--gazetteer", type=Path, default=GAZETTEER)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = labels(args.gazetteer, args.wof)
    with args.out.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        f.write("gid\twof_id\tlatitude\tlongitude\n")
        for row in rows:
            f.write("\t".join(map(str, row)) + "\n")
    print(f"{args.out}: {len(rows)} label points")


if __name__ == "__main__":
    main()
