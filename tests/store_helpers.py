"""Builders of hand-made contract records and databases for the store, search and export tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasad.io.store import Store
from rasad.records import RawDocument

IDLIB = {"name": "Idlib", "country": "SY", "admin1": "Idlib Governorate", "latitude": 35.93,
         "longitude": 36.63}
SANAA = {"name": "Sanaa", "country": "YE", "admin1": "Amanat al Asimah", "latitude": 15.35,
         "longitude": 44.2}
UNLOCATED = {"name": None, "country": "IQ", "admin1": None, "latitude": None,
             "longitude": None}


def event(event_id: str, text: str, evidence: str, where: dict[str, Any] = IDLIB,
          event_type: str = "Explosions/Remote violence",
          sub_event_type: str = "Air/drone strike", event_date: str | None = "2015-07-20",
          fatalities: int | None = 3, modality: str = "asserted",
          background: bool = False) -> dict[str, Any]:
    """A contract event whose evidence is the first occurrence of `evidence` in `text`."""
    start = text.index(evidence)
    record: dict[str, Any] = {
        "event_id": event_id, "event_type": event_type, "sub_event_type": sub_event_type,
        "actor1": {"name": "Military Forces of Syria", "text": "الطائرات", "start": 0, "end": 0,
                   "inter": 1, "country": "SY"},
        "actor2": None, "assoc_actor_1": [], "assoc_actor_2": [], "interaction": "10",
        "civilian_targeting": False,
        "location": {**where, "text": where["name"], "start": 0, "end": 0, "geo_precision": 1},
        "event_date": event_date, "time_precision": 1, "fatalities": fatalities,
        "fatalities_text": None, "modality": modality, "attribution": None,
        "evidence": {"text": evidence, "start": start, "end": start + len(evidence)},
        "confidence": 0.8}
    if background:
        record["background"] = True
    return record


def record(doc_id: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    return {"doc_id": doc_id, "genre": "news", "published": "2015-07-21", "places": [],
            "events": events, "warnings": []}


def make_store(path: Path, documents: dict[str, tuple[str, list[dict[str, Any]]]]) -> Path:
    """A database at `path` holding doc_id → (text, events)."""
    store = Store(path)
    for doc_id, (text, events) in documents.items():
        store.add_document(RawDocument(doc_id, text, title=f"title {doc_id}"),
                           record(doc_id, events))
    store.close()
    return path
