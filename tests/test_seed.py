"""The seed article (../shared/data/seed) read as its EXPECTED.md says; skipped without it.

The extractor knows nothing of this article: these assertions check general behaviour on it
(opinion genre, no invented date or death toll, the prison located in al-Hasakah, anaphora,
car bombs without a suicide attacker, hypotheticals left out).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from rasad.eval.spans import span_problems
from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

SEED = Path(__file__).resolve().parents[2] / "shared" / "data" / "seed" / \
    "sina_prison_opinion.jsonl"


@pytest.fixture(scope="module")
def seed() -> tuple[str, dict[str, Any]]:
    if not SEED.is_file():
        pytest.skip("../shared/data/seed is not present")
    obj = json.loads(SEED.read_text(encoding="utf-8").splitlines()[0])
    raw = RawDocument(obj["id"], obj["text"], published=obj.get("published"))
    return obj["text"], Pipeline(Settings()).process(raw)


def _km(lat: float, lon: float, lat2: float, lon2: float) -> float:
    return math.hypot(lat - lat2, (lon - lon2) * math.cos(math.radians(lat))) * 111.0


def _by_type(record: dict[str, Any], event_type: str) -> list[dict[str, Any]]:
    return [e for e in record["events"] if e["event_type"] == event_type]


def test_seed_document_level(seed: tuple[str, dict[str, Any]]) -> None:
    text, record = seed
    assert record["genre"] == "opinion"
    assert record["published"] is None
    assert any("date" in w for w in record["warnings"])
    assert span_problems(record, text) == []


def test_seed_places(seed: tuple[str, dict[str, Any]]) -> None:
    _, record = seed
    found = {(p["country"], p["feature"]) for p in record["places"]}
    assert {("SY", "country"), ("IQ", "country"), ("US", "country")} <= found
    hasakah = [p for p in record["places"] if p["text"] == "الحسكة"]
    assert hasakah and _km(hasakah[0]["latitude"], hasakah[0]["longitude"], 36.50, 40.75) < 15
    prison = [p for p in record["places"] if p["feature"] == "poi" and "سجن" in p["text"]]
    assert prison and prison[0]["country"] == "SY"


def test_seed_events(seed: tuple[str, dict[str, Any]]) -> None:
    _, record = seed
    bombs = _by_type(record, "Explosions/Remote violence")
    assert [e["sub_event_type"] for e in bombs] == ["Remote explosive/landmine/IED"]
    clashes = [e for e in _by_type(record, "Battles") if e["sub_event_type"] == "Armed clash"]
    assert clashes
    for event in (*bombs, clashes[0]):
        names = {event["actor1"]["name"], event["actor2"]["name"]}
        assert names == {"Islamic State", "Syrian Democratic Forces"}
        loc = event["location"]
        assert loc["geo_precision"] == 1
        assert _km(loc["latitude"], loc["longitude"], 36.50, 40.75) < 25
    assert "International Coalition" in {a["name"] for e in clashes
                                          for a in e["assoc_actor_1"] + e["assoc_actor_2"]}
    for event in record["events"]:
        assert event["fatalities"] is None
        assert event["event_date"] is None
        assert "مماثلة" not in event["evidence"]["text"]
    assert any(e["modality"] == "attempted" for e in record["events"])
