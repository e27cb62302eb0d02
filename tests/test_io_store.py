"""Store and exports: upsert is idempotent, exports keep ACLED's columns, round-trips hold (the
store tests run on each backend: SQLite, and PostgreSQL when ``$RASAD_TEST_PG_URL`` is set)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rasad.io.export import ACLED_COLUMNS, write_export
from rasad.io.store import open_store
from rasad.records import RawDocument
from store_helpers import table_rows


def _record(doc_id: str, n_events: int = 1) -> dict[str, Any]:
    place = {"text": "حلب", "start": 0, "end": 3, "name": "Aleppo", "name_ar": "حلب",
             "feature": "city", "country": "SY", "admin1": "Aleppo", "admin2": None,
             "admin3": None, "latitude": 36.2, "longitude": 37.16,
             "gazetteer_id": "geonames:170063", "score": 0.9}
    events = [{
        "event_id": f"{doc_id}-{i}", "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": {"name": "Military Forces of Syria", "text": "الطائرات", "start": 4, "end": 12,
                   "inter": 1, "country": "SY"},
        "actor2": None, "assoc_actor_1": [], "assoc_actor_2": [], "interaction": "10",
        "civilian_targeting": False, "location": {**place, "geo_precision": 1},
        "event_date": "2015-07-20", "time_precision": 1, "fatalities": 3,
        "fatalities_text": None, "modality": "asserted", "attribution": None,
        "evidence": {"text": "حلب الطائرات", "start": 0, "end": 12}, "confidence": 0.8,
    } for i in range(n_events)]
    return {"doc_id": doc_id, "genre": "news", "published": "2015-07-21", "places": [place],
            "events": events, "warnings": []}


def _dump(db: str) -> dict[str, list[dict[str, Any]]]:
    return {t: sorted(table_rows(db, t), key=json.dumps)
            for t in ("documents", "places", "events", "failures")}


def test_store_rerun_changes_nothing(new_db: Callable[[str], str]) -> None:
    db = new_db("r")
    for _ in range(2):
        store = open_store(db)
        store.add_document(RawDocument("d1", "حلب الطائرات"), _record("d1", 2))
        store.add_failure({"doc_id": "bad", "error": {"code": "E104", "message": "empty text"}})
        store.close()
        if _ == 0:
            first = _dump(db)
    assert _dump(db) == first
    assert len(first["events"]) == 2 and len(first["failures"]) == 1
    event = first["events"][0]
    assert json.loads(event["geometry"]) == {"type": "Point", "coordinates": [37.16, 36.2]}


def test_store_search_normalises_arabic(new_db: Callable[[str], str]) -> None:
    store = open_store(new_db("s"))
    store.add_document(RawDocument("d1", "غارات على مدينة إدلب"), _record("d1"))
    assert [r["doc_id"] for r in store.search("ادلب")] == ["d1"]
    assert [r["doc_id"] for r in store.search("إدلب")] == ["d1"]
    store.close()


def test_export_acled_csv_has_acled_columns_in_order(tmp_path: Path) -> None:
    out = io.StringIO()
    assert write_export([_record("d1", 2)], "acled-csv", out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert rows[0]["country"] == "Syria" and rows[0]["iso"] == "760"
    assert rows[0]["disorder_type"] == "Political violence"
    assert rows[0]["event_id_cnty"].startswith("SYR-")


def test_export_geojson_features(tmp_path: Path) -> None:
    out = io.StringIO()
    write_export([_record("d1")], "geojson", out)
    collection = json.loads(out.getvalue())
    assert collection["features"][0]["geometry"]["coordinates"] == [37.16, 36.2]


@settings(max_examples=8, deadline=None)
@given(st.lists(st.text(alphabet="ابتثجحخد ", min_size=1, max_size=20), min_size=1,
                max_size=5, unique=True))
def test_store_then_export_jsonl_round_trips(new_db: Callable[[str], str], ids: list[str]
                                              ) -> None:
    records = [_record(doc_id) for doc_id in ids]
    store = open_store(new_db("rt"))
    for record in records:
        store.add_document(RawDocument(record["doc_id"], "نص"), record)
    out = io.StringIO()
    write_export(store.records(), "jsonl", out)
    store.close()
    assert [json.loads(line) for line in out.getvalue().splitlines()] == records
