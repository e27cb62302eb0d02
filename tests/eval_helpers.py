"""Builders of hand-made gold documents and predictions for the scorer tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "quality"

# Reference points (latitude, longitude); one degree of latitude is 111.195 km.
TAIZ = (13.5795, 44.0209)
KM_PER_DEGREE_LATITUDE = 111.195


def north_of(point: tuple[float, float], km: float) -> tuple[float, float]:
    """A point `km` north of `point` (negative: south)."""
    return point[0] + km / KM_PER_DEGREE_LATITUDE, point[1]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def place(point: tuple[float, float] | None, country: str = "YE", admin1: str | None = "Taiz",
          precision: int = 1, name: str = "Taiz") -> dict[str, Any]:
    lat, lon = point if point else (None, None)
    return {"name": name, "country": country, "admin1": admin1, "latitude": lat,
            "longitude": lon, "geo_precision": precision}


def gold_event(location: dict[str, Any], event_type: str = "Battles",
               sub_event_type: str = "Armed clash", actor1: list[str] | None = None,
               actor2: list[str] | None = None, event_date: str = "2024-05-19",
               fatalities: int | None = None) -> dict[str, Any]:
    return {"event_type": event_type, "sub_event_type": sub_event_type,
            "actor1": actor1, "actor2": actor2, "location": location,
            "event_date": event_date, "time_precision": 1, "fatalities": fatalities,
            "modality": "asserted", "evidence": "جملة الحدث."}


def actor(name: str, text: str | None = None, start: int = 0, end: int = 0) -> dict[str, Any]:
    return {"name": name, "text": text if text is not None else name, "start": start,
            "end": end, "inter": 2, "country": None}


def predicted_event(location: dict[str, Any] | None, event_type: str = "Battles",
                    sub_event_type: str = "Armed clash", actor1: dict[str, Any] | None = None,
                    actor2: dict[str, Any] | None = None, event_date: str | None = "2024-05-19",
                    fatalities: int | None = None, modality: str = "asserted"
                    ) -> dict[str, Any]:
    return {"event_type": event_type, "sub_event_type": sub_event_type, "actor1": actor1,
            "actor2": actor2, "location": location, "event_date": event_date,
            "time_precision": 1, "fatalities": fatalities, "modality": modality,
            "evidence": {"text": "جملة", "start": 0, "end": 4}}


def gold_article(doc_id: str, events: list[dict[str, Any]], genre: str = "news",
                 published: str = "2024-05-20") -> dict[str, Any]:
    return {"id": doc_id, "text": "نص الخبر.", "published": published,
            "gold": {"genre": genre, "events": events}}


def record(doc_id: str, events: list[dict[str, Any]], genre: str = "news",
           published: str | None = "2024-05-20") -> dict[str, Any]:
    return {"doc_id": doc_id, "genre": genre, "published": published, "places": [],
            "events": events, "warnings": []}


def as_predicted_actor(names: list[str] | None) -> dict[str, Any] | None:
    """A predicted actor built from gold names: it claims no offsets (they are not known)."""
    if not names:
        return None
    return {**actor(names[0], names[-1]), "start": None, "end": None}


def gold_as_record(doc: dict[str, Any]) -> dict[str, Any]:
    """The contract object a perfect extractor would write for a gold article."""
    events = []
    for g in doc["gold"]["events"]:
        event = predicted_event(dict(g["location"]), g["event_type"], g["sub_event_type"],
                                as_predicted_actor(g.get("actor1")),
                                as_predicted_actor(g.get("actor2")), g["event_date"],
                                g["fatalities"])
        start = doc["text"].find(g["evidence"])
        event["evidence"] = ({"text": g["evidence"], "start": start,
                              "end": start + len(g["evidence"])} if start >= 0
                             else {"text": g["evidence"], "start": None, "end": None})
        events.append(event)
    return record(str(doc["id"]), events, doc["gold"]["genre"], doc.get("published"))
