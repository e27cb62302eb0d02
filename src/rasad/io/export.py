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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class ExportTable:
    """One kind of exported item (events, incidents) as the tabular formats write it: its ACLED
    row, its columns (ACLED's, then its own), their HXL tags and Parquet types, its Parquet row,
    and its GeoJSON id, coordinates and properties."""

    columns: tuple[str, ...]
    hxl: Mapping[str, str]
    parquet_columns: tuple[tuple[str, str], ...]
    row: Callable[[Any], dict[str, Any]]
    parquet_row: Callable[[Any], dict[str, Any]]
    feature: Callable[[Any], dict[str, Any] | None]


def _event_feature(item: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any] | None:
    record, event = item
    loc = event.get("location") or {}
    if loc.get("latitude") is None or loc.get("longitude") is None:
        return None
    properties = {k: v for k, v in acled_row(record, event).items() if v != ""}
    # ACLED's CSV writes 0 for "no figure reported"; JSON can say null, and does.
    properties["fatalities"] = event.get("fatalities")
    properties["doc_id"] = record["doc_id"]
    return {"type": "Feature", "id": event["event_id"],
            "geometry": {"type": "Point", "coordinates": [loc["longitude"], loc["latitude"]]},
            "properties": properties}


EVENTS = ExportTable(ACLED_COLUMNS, EVENT_HXL, EVENT_PARQUET_COLUMNS, lambda i: acled_row(*i),
                     lambda i: parquet_row(*i), _event_feature)


def write_table(items: Iterable[Any], table: ExportTable, fmt: str, out: IO[Any]) -> int:
    """Write `items` as `table` in a tabular format (acled-csv, hxl-csv, parquet, geojson);
    returns the number of rows or features written."""
    if fmt == "acled-csv":
        writer = csv.DictWriter(out, fieldnames=table.columns, lineterminator="\n")
        writer.writeheader()
        n = 0
        for item in items:
            writer.writerow(table.row(item))
            n += 1
        return n
    if fmt == "hxl-csv":
        return write_hxl_csv((table.row(item) for item in items), table.columns, table.hxl, out)
    if fmt == "parquet":
        return write_parquet((table.parquet_row(item) for item in items), table.parquet_columns,
                             out)
    if fmt == "geojson":
        features = [f for f in (table.feature(item) for item in items) if f is not None]
        json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
        out.write("\n")
        return len(features)
    raise StoreError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}",
                     code="E302")


def write_export(records: Iterable[dict[str, Any]], fmt: str, out: IO[Any]) -> int:
    """Write the documents `records` (their events, for the tabular formats) in `fmt` to `out`
    (a binary stream for `BINARY_FORMATS`, text otherwise); returns the number of items
    written."""
    if fmt == "jsonl":
        n = 0
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
        return n
    return write_table(_events(records), EVENTS, fmt, out)


# ── incidents: one row per real-world incident, however many reports ───────────────────────────

INCIDENT_EXTRA = (
    "incident_id", "actors", "fatalities_min", "fatalities_max", "reports", "outlets",
    "first_reported", "last_reported", "doc_ids",
)
INCIDENT_COLUMNS = (*ACLED_COLUMNS, *INCIDENT_EXTRA)
"""The incidents' CSV columns: ACLED's, in ACLED's order, then rasad's incident fields."""

INCIDENT_HXL = {
    **EVENT_HXL, "incident_id": "#event+id", "actors": "#group+name+list",
    "fatalities_min": "#affected+killed+min", "fatalities_max": "#affected+killed+max",
    "reports": "#meta+reports+num", "outlets": "#meta+outlets+num",
    "first_reported": "#date+reported+first", "last_reported": "#date+reported+last",
    "doc_ids": "#meta+documents",
}
INCIDENT_PARQUET_COLUMNS = (
    *((column, _PARQUET_TYPES.get(column, "string")) for column in ACLED_COLUMNS),
    ("incident_id", "string"), ("actors", "string"), ("fatalities_min", "int32"),
    ("fatalities_max", "int32"), ("reports", "int32"), ("outlets", "int32"),
    ("first_reported", "date32"), ("last_reported", "date32"), ("doc_ids", "string"),
    ("country_code", "string"), ("modality", "string"), ("background", "bool"),
    ("members", "string"),
)
"""The Parquet columns of the incidents, (name, type); `actors`, `doc_ids` and `members` JSON."""


def _outlets(incident: dict[str, Any]) -> list[str]:
    return sorted({m.get("source") or m["doc_id"] for m in incident["members"]})


def incident_event(incident: dict[str, Any]) -> dict[str, Any]:
    """The incident as one contract-like event: its head report (`head`: actors in their roles,
    evidence) with the incident's type, best date and place, and conservative fatalities."""
    head = incident["head"]
    place = head.get("location") or {}
    location = {"name": incident["location"], "country": incident["country"],
                "admin1": incident["admin1"], "latitude": incident["latitude"],
                "longitude": incident["longitude"], "geo_precision": incident["geo_precision"]}
    if place.get("name") == incident["location"]:
        location.update(admin2=place.get("admin2"), admin3=place.get("admin3"))
    return {**head, "event_id": incident["incident_id"], "event_type": incident["event_type"],
            "sub_event_type": incident["sub_event_type"] or "",
            "event_date": incident["event_date"], "time_precision": incident["time_precision"],
            "location": location, "fatalities": incident["fatalities"],
            "modality": incident["modality"], "background": incident["background"],
            "attribution": None}


def incident_row(incident: dict[str, Any]) -> dict[str, Any]:
    """One CSV row of an incident: its ACLED columns (`source` the outlets that reported it,
    `notes` the head report's evidence), then the incident's own."""
    doc_ids = sorted({m["doc_id"] for m in incident["members"]})
    row = acled_row({"doc_id": doc_ids[0] if doc_ids else "",
                     "source": "; ".join(_outlets(incident))}, incident_event(incident))
    return {**row, "incident_id": incident["incident_id"],
            "actors": "; ".join(incident["actors"]),
            "fatalities_min": incident["fatalities_min"],
            "fatalities_max": incident["fatalities_max"], "reports": incident["reports"],
            "outlets": incident["outlets"], "first_reported": incident["first_reported"],
            "last_reported": incident["last_reported"], "doc_ids": "; ".join(doc_ids)}


def incident_parquet_row(incident: dict[str, Any]) -> dict[str, Any]:
    """One Parquet row of an incident: nulls for empty cells and an unreported toll."""
    row = {k: None if v == "" else v for k, v in incident_row(incident).items()}
    return {**row, "interaction": incident["head"].get("interaction"),
            "fatalities": incident["fatalities"],
            "actors": json.dumps(incident["actors"], ensure_ascii=False),
            "doc_ids": json.dumps(sorted({m["doc_id"] for m in incident["members"]})),
            "country_code": incident["country"], "modality": incident["modality"],
            "background": bool(incident["background"]),
            "members": json.dumps(incident["members"], ensure_ascii=False)}


def _incident_feature(incident: dict[str, Any]) -> dict[str, Any] | None:
    if incident["latitude"] is None or incident["longitude"] is None:
        return None
    properties = {k: v for k, v in incident_row(incident).items() if v not in ("", None)}
    properties.update(fatalities=incident["fatalities"], actors=incident["actors"],
                      doc_ids=sorted({m["doc_id"] for m in incident["members"]}),
                      members=incident["members"])
    return {"type": "Feature", "id": incident["incident_id"],
            "geometry": {"type": "Point",
                         "coordinates": [incident["longitude"], incident["latitude"]]},
            "properties": properties}


INCIDENTS = ExportTable(INCIDENT_COLUMNS, INCIDENT_HXL, INCIDENT_PARQUET_COLUMNS, incident_row,
                        incident_parquet_row, _incident_feature)


def write_incident_export(incidents: Iterable[dict[str, Any]], fmt: str, out: IO[Any]) -> int:
    """Write stored incidents (`rasad.incidents.storage.stored_incidents`) in `fmt`: ``jsonl``
    one incident record per line (its row, `actors` and `members` as lists), the tabular formats
    through `INCIDENTS`; returns the number of incidents written."""
    if fmt == "jsonl":
        n = 0
        for incident in incidents:
            record = {k: v for k, v in incident.items() if k != "head"}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
        return n
    return write_table(incidents, INCIDENTS, fmt, out)
