"""Exports of a rasad database: JSON Lines, ACLED-style CSV, GeoJSON.

- ``jsonl``: the contract records, one per document, as `rasad extract` wrote them.
- ``acled-csv``: one row per event with ACLED's column names, in ACLED's order (`ACLED_COLUMNS`),
  so the file loads next to ACLED data.  Columns rasad cannot know (ACLED's upload `timestamp`,
  `source_scale`) are left empty; `source` is the attribution or the outlet, `notes` the evidence;
  `fatalities` is 0 when the text gives no figure, as in ACLED's files.
- ``geojson``: a FeatureCollection of the events that have coordinates, every field a property;
  `fatalities` stays null when the text gives no figure, as in the contract records.

Which documents and events are exported is `rasad.io.filters` (`filter_records`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from rasad.countries import country_info
from rasad.errors import StoreError

FORMATS = ("jsonl", "acled-csv", "geojson")

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)

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


def write_export(records: Iterable[dict[str, Any]], fmt: str, out: IO[str]) -> int:
    """Write `records` in `fmt` to `out`; returns the number of items written."""
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
