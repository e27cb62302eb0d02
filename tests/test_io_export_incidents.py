"""`rasad export --what incidents`: one row per incident in every format, with its reports,
outlets, fatality range and the head report's actors in their roles."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasad.cli import app
from rasad.io.export import INCIDENT_COLUMNS
from rasad.io.store import Store
from rasad.records import RawDocument
from store_helpers import IDLIB, SANAA, event

runner = CliRunner()
TEXT = "قصفت الطائرات السورية مدينة إدلب أمس فقتلت ثلاثة مدنيين"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Three outlets report one air strike in Idlib (3, 3 and 5 killed); one reports a strike
    in Sanaa."""
    path = tmp_path / "i.db"
    store = Store(path)
    reports = [("d1", "outlet a", "2015-07-21", IDLIB, 3), ("d2", "outlet b", "2015-07-21",
               IDLIB, 5), ("d3", "outlet c", "2015-07-22", IDLIB, 3),
               ("d4", "outlet a", "2015-07-21", SANAA, None)]
    for doc_id, source, published, where, killed in reports:
        ev = event(f"e-{doc_id}", TEXT, TEXT, where=where, fatalities=killed)
        store.add_document(RawDocument(doc_id, TEXT, published=published, source=source),
                           {"doc_id": doc_id, "genre": "news", "published": published,
                            "places": [], "events": [ev], "warnings": []})
    store.close()
    assert runner.invoke(app, ["incidents", "--db", str(path), "--rebuild"]).exit_code == 0
    return path


def export(db: Path, fmt: str, *options: str) -> str:
    result = runner.invoke(app, ["export", "--db", str(db), "--what", "incidents", "--format",
                                 fmt, *options])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_export_incidents_acled_csv_one_row_per_incident(db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(export(db, "acled-csv"))))
    assert tuple(rows[0]) == INCIDENT_COLUMNS
    idlib = next(r for r in rows if r["admin1"] == IDLIB["admin1"])
    assert len(rows) == 2
    assert (idlib["reports"], idlib["outlets"], idlib["fatalities"], idlib["fatalities_min"],
            idlib["fatalities_max"]) == ("3", "3", "3", "3", "5")
    assert idlib["source"] == "outlet a; outlet b; outlet c"
    assert idlib["doc_ids"] == "d1; d2; d3" and idlib["actor1"] == "Military Forces of Syria"
    assert idlib["event_id_cnty"] == f"SYR-{idlib['incident_id']}"
    assert (idlib["first_reported"], idlib["last_reported"]) == ("2015-07-21", "2015-07-22")
    assert idlib["notes"] == TEXT and idlib["event_date"] == "2015-07-20"


def test_export_incidents_geojson_hxl_jsonl_and_filters(db: Path) -> None:
    features = json.loads(export(db, "geojson"))["features"]
    assert len(features) == 2
    sanaa = next(f for f in features if f["properties"]["country"] == "Yemen")
    assert sanaa["properties"]["fatalities"] is None
    assert sanaa["geometry"]["coordinates"] == [SANAA["longitude"], SANAA["latitude"]]
    hxl = list(csv.reader(io.StringIO(export(db, "hxl-csv"))))
    assert hxl[1][INCIDENT_COLUMNS.index("reports")] == "#meta+reports+num" and len(hxl) == 4
    records = [json.loads(line) for line in export(db, "jsonl").splitlines()]
    assert sorted(r["reports"] for r in records) == [1, 3]
    assert all(isinstance(r["members"], list) and "head" not in r for r in records)
    only = list(csv.DictReader(io.StringIO(export(db, "acled-csv", "--country", "YE"))))
    assert [r["country"] for r in only] == ["Yemen"]


def test_export_incidents_parquet(db: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    result = runner.invoke(app, ["export", "--db", str(db), "--what", "incidents", "--format",
                                 "parquet"])
    assert result.exit_code == 0
    table = pq.read_table(io.BytesIO(result.stdout_bytes)).to_pylist()
    idlib = next(r for r in table if r["country_code"] == "SY")
    assert (idlib["reports"], idlib["fatalities"], idlib["fatalities_max"]) == (3, 3, 5)
    assert str(idlib["first_reported"]) == "2015-07-21" and len(json.loads(idlib["members"])) == 3


def test_export_incidents_before_resolution_is_e301(tmp_path: Path) -> None:
    path = tmp_path / "e.db"
    Store(path).close()
    result = runner.invoke(app, ["export", "--db", str(path), "--what", "incidents"])
    assert result.exit_code == 2 and "E301" in result.output and "rasad incidents" in \
        result.output
    bad = runner.invoke(app, ["export", "--db", str(path), "--what", "reports"])
    assert bad.exit_code == 2 and "E504" in bad.output
