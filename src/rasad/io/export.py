"""Exports of a rasad database: JSON Lines, ACLED-style CSV (plain or HXL-tagged), GeoJSON, Parquet.

- ``jsonl``: the contract records, one per document, as `rasad extract` wrote them.
- ``acled-csv``: one row per event with ACLED's column names, in ACLED's order (`ACLED_COLUMNS`),
  so the file loads next to ACLED data.  Columns rasad cannot know (ACLED's upload `timestamp`,
  `source_scale`) are left empty; `source` is the attribution or the outlet, `notes` the evidence;
  `fatalities` is 0 when the text gives no figure, as in ACLED's files.
- ``hxl-csv``: the ACLED CSV with a second row of HXL hashtags (`EVENT_HXL`), the ones HDX gives
  ACLED's columns (``#date+occurred``, ``#event+type+sub``, ``#group+name+first``,
  ``#affected+killed`` …); the columns HDX leaves untagged have an empty cell.
- ``parquet``: one row per event with typed columns (`EVENT_PARQUET_COLUMNS`): ACLED's columns in
  ACLED's order (``event_date`` a date32, ``latitude``/``longitude`` float64, codes small ints,
  empty values null, and ``fatalities`` null when the text gives no figure), then rasad's own:
  ``event_id``, ``doc_id``, ``country_code`` (ISO alpha-2), ``modality``, ``background``,
  ``confidence`` and ``record``, the event's full contract JSON.  Needs the ``rasad[parquet]``
  extra (pyarrow; E502 without it).
- ``geojson``: a FeatureCollection of the events that have coordinates, every field a property;
  `fatalities` stays null when the text gives no figure, as in the contract records.

Which documents and events are exported is `rasad.io.filters` (`filter_records`).  The tabular
formats are one table per kind of item, written by `rasad.io.tabular` from its columns, hashtags and
types: events now; the incidents table will be a second (row function, columns, `EVENT_HXL`-like
tags, `EVENT_PARQUET_COLUMNS`-like types) given to the same writers.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from rasad.countries import country_info
from rasad.errors import StoreError
from rasad.io.tabular import pyarrow_modules, write_hxl_csv, write_parquet

FORMATS = ("jsonl", "acled-csv", "hxl-csv", "geojson", "parquet")
BINARY_FORMATS = frozenset({"parquet"})
"""Formats written to a binary stream (the others are UTF-8 text)."""

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)

EVENT_HXL = {
    "event_id_cnty": "#event+code", "event_date": "#date+occurred", "year": "#date+year",
    "event_type": "#event+type", "sub_event_type": "#event+type+sub",
    "actor1": "#group+name+first", "assoc_actor_1": "#group+name+first+assoc",
    "actor2": "#group+name+second", "assoc_actor_2": "#group+name+second+assoc",
    "region": "#region+name", "country": "#country+name", "admin1": "#adm1+name",
    "admin2": "#adm2+name", "admin3": "#adm3+name", "location": "#loc+name",
    "latitude": "#geo+lat", "longitude": "#geo+lon", "source": "#meta+source",
    "notes": "#description", "fatalities": "#affected+killed",
}
"""The HXL hashtags of the ACLED columns, as HDX tags ACLED's data (OCHA's ACLED scrapers); HDX
leaves the codes (time and geo precision, inter codes, interaction, iso), disorder type, civilian
targeting, source scale, tags and timestamp untagged, and so does this."""

_PARQUET_TYPES = {
    "event_date": "date32", "year": "int16", "time_precision": "int8", "inter1": "int8",
    "inter2": "int8", "iso": "int16", "latitude": "float64", "longitude": "float64",
    "geo_precision": "int8", "fatalities": "int32", "timestamp": "int64",
}
EVENT_PARQUET_COLUMNS = (
    *((column, _PARQUET_TYPES.get(column, "string")) for column in ACLED_COLUMNS),
    ("event_id", "string"), ("doc_id", "string"), ("country_code", "string"),
    ("modality", "string"), ("background", "bool"), ("confidence", "float64"),
    ("record", "string"),
)
"""The Parquet columns of the events, (name, type): ACLED's, then rasad's."""

_DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
             "Violence against civilians": "Political violence",
             "Protests": "Demonstrations", "Riots": "Demonstrations",
             "Strategic developments": "Strategic developments"}


def disorder_type(event_type: str, sub_event_type: str) -> str:
    """ACLED's disorder type of an event type (mob violence is political violence)."""
    if sub_event_type == "Mob violence":
        return "Political violence"
    return _DISORDER.get(event_type, "")


def _events(records: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for record in records:
        for event in record.get("events", []):
            yield record, event


def acled_row(record: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """One ACLED-style CSV row of a contract event."""
    loc = event.get("location") or {}
    a1, a2 = event.get("actor1") or {}, event.get("actor2") or {}
    info = country_info(loc.get("country"))
    date = event.get("event_date") or ""
    tags = [f"modality: {event['modality']}"] if event.get("modality") != "asserted" else []
    if event.get("background"):
        tags.append("background")
    attribution = (event.get("attribution") or {}).get("text")
    return {
        "event_id_cnty": f"{info.alpha3 if info else 'XXX'}-{event['event_id']}",
        "event_date": date, "year": date[:4],
        "time_precision": event.get("time_precision"),
        "disorder_type": disorder_type(event["event_type"], event["sub_event_type"]),
        "event_type": event["event_type"], "sub_event_type": event["sub_event_type"],
        "actor1": a1.get("name", ""),
        "assoc_actor_1": "; ".join(a["name"] for a in event.get("assoc_actor_1") or []),
        "inter1": a1.get("inter", ""),
        "actor2": a2.get("name", ""),
        "assoc_actor_2": "; ".join(a["name"] for a in event.get("assoc_actor_2") or []),
        "inter2": a2.get("inter", ""),
        "interaction": event.get("interaction", ""),
        "civilian_targeting": "Civilian targeting" if event.get("civilian_targeting") else "",
        "iso": info.numeric if info else "", "region": info.region if info else "",
        "country": info.name if info else (loc.get("country") or ""),
        "admin1": loc.get("admin1") or "", "admin2": loc.get("admin2") or "",
        "admin3": loc.get("admin3") or "", "location": loc.get("name") or loc.get("text") or "",
        "latitude": loc.get("latitude", ""), "longitude": loc.get("longitude", ""),
        "geo_precision": loc.get("geo_precision", ""),
        "source": attribution or record.get("source") or "", "source_scale": "",
        "notes": (event.get("evidence") or {}).get("text", ""),
        "fatalities": event["fatalities"] if event.get("fatalities") is not None else 0,
        "tags": "; ".join(tags), "timestamp": "",
    }


def parquet_row(record: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    """One Parquet row of a contract event: its ACLED row with null for the CSV's empty cells and
    for an unreported death toll (`interaction` as the record has it), then rasad's columns (the
    `record` JSON as the store keeps it)."""
    loc = event.get("location") or {}
    acled = {key: None if value == "" else value for key, value in acled_row(record, event).items()}
    return {**acled, "interaction": event.get("interaction"), "fatalities": event.get("fatalities"),
            "event_id": event["event_id"], "doc_id": record["doc_id"],
            "country_code": loc.get("country"), "modality": event.get("modality"),
            "background": bool(event.get("background")), "confidence": event.get("confidence"),
            "record": json.dumps(event, ensure_ascii=False)}


def check_format(fmt: str) -> None:
    """Raise before anything is written when `fmt` is unknown (E302) or needs a missing extra
    (E502: Parquet without pyarrow)."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}",
                         code="E302")
    if fmt == "parquet":
        pyarrow_modules()


def write_export(records: Iterable[dict[str, Any]], fmt: str, out: IO[Any]) -> int:
    """Write `records` in `fmt` to `out` (a binary stream for `BINARY_FORMATS`, text otherwise);
    returns the number of items written."""
    if fmt == "jsonl":
        n = 0
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "acled-csv":
        writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        n = 0
        for record, event in _events(records):
            writer.writerow(acled_row(record, event))
            n += 1
        return n
    if fmt == "hxl-csv":
        return write_hxl_csv((acled_row(record, event) for record, event in _events(records)),
                             ACLED_COLUMNS, EVENT_HXL, out)
    if fmt == "parquet":
        return write_parquet((parquet_row(record, event) for record, event in _events(records)),
                             EVENT_PARQUET_COLUMNS, out)
    if fmt == "geojson":
        features = []
        for record, event in _events(records):
            loc = event.get("location") or {}
            if loc.get("latitude") is None or loc.get("longitude") is None:
                continue
            properties = {k: v for k, v in acled_row(record, event).items() if v != ""}
            # ACLED's CSV writes 0 for "no figure reported"; JSON can say null, and does.
            properties["fatalities"] = event.get("fatalities")
            properties["doc_id"] = record["doc_id"]
            features.append({"type": "Feature", "id": event["event_id"],
                             "geometry": {"type": "Point",
                                          "coordinates": [loc["longitude"], loc["latitude"]]},
                             "properties": properties})
        json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
        out.write("\n")
        return len(features)
    raise StoreError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}",
                     code="E302")
