"""The Parquet and HXL exports, and the ACLED CSV as pandas reads it: Parquet round-trips to the
stored rows (SQLite or PostgreSQL) with typed columns, the HXL row is one valid hashtag (or none)
per column, the CSV has ACLED's columns and dtypes, and Parquet without pyarrow is E502 before
anything is written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rasad.cli import app
from rasad.io.tabular import hxl_row
from store_helpers import SANAA, event, make_store, table_rows
from test_io_export import TEXT, documents
from test_io_export import export as run_export

runner = CliRunner()

# ACLED's export columns in ACLED's order, as acledR's acled_api() returns them.
ACLED_NAMES = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
]
# HXL 1.1: a hashtag, then attributes, each a letter then letters, digits or underscores.
HXL_SYNTAX = re.compile(r"^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$")


@pytest.fixture
def db(new_db: Callable[[str], str]) -> str:
    """The hand-made database of `test_io_export`, and an event without actor1 (its interaction
    an empty string, as the extractor writes it) that targets civilians, with associated actors."""
    odd = event("odd", TEXT, "وسقطت قذائف في صنعاء.", where=SANAA, event_date="2015-07-27")
    odd.update(actor1=None, interaction="", civilian_targeting=True,
               assoc_actor_2=[{"name": "Civilians (Yemen)"}, {"name": "Journalists (Yemen)"}])
    return make_store(new_db("e"), {**documents(), "d5": (TEXT, [odd])})


def stored_events(db: str) -> dict[str, dict[str, Any]]:
    return {row["event_id"]: row for row in table_rows(db, "events")}


def parquet_file(db: str, folder: Path, *options: str) -> Path:
    out = folder / "events.parquet"
    result = runner.invoke(app, ["export", "--db", db, "--format", "parquet",
                                 "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    return out


# Parquet column → the stored events column holding the same value.
SAME_AS_SQLITE = {
    "event_id": "event_id", "doc_id": "doc_id", "event_type": "event_type",
    "sub_event_type": "sub_event_type", "actor1": "actor1", "inter1": "inter1",
    "assoc_actor_1": "assoc_actor_1", "actor2": "actor2", "inter2": "inter2",
    "assoc_actor_2": "assoc_actor_2", "interaction": "interaction", "country_code": "country",
    "admin1": "admin1", "admin2": "admin2", "admin3": "admin3", "latitude": "latitude",
    "longitude": "longitude", "geo_precision": "geo_precision",
    "time_precision": "time_precision", "fatalities": "fatalities", "modality": "modality",
    "confidence": "confidence", "notes": "evidence",
}


def test_parquet_round_trip_equals_the_stored_rows(db: str, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow (rasad[parquet]) not installed")
    stored = stored_events(db)
    rows = pq.read_table(parquet_file(db, tmp_path)).to_pylist()
    assert sorted(row["event_id"] for row in rows) == sorted(stored)
    for row in rows:
        sql = stored[row["event_id"]]
        for column, sql_column in SAME_AS_SQLITE.items():
            assert row[column] == sql[sql_column], (row["event_id"], column)
        assert row["event_date"] == (dt.date.fromisoformat(sql["event_date"])
                                     if sql["event_date"] else None)
        assert row["year"] == (int(sql["event_date"][:4]) if sql["event_date"] else None)
        assert row["background"] is bool(sql["background"])
        assert row["location"] == (sql["location"] or sql["location_text"])
        assert json.loads(row["record"]) == json.loads(sql["record"])


def test_parquet_reads_back_in_pandas_with_typed_columns(db: str, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow (rasad[parquet]) not installed")
    pd = pytest.importorskip("pandas", reason="pandas not installed")
    path = parquet_file(db, tmp_path)
    schema = pa.parquet.read_schema(path)
    assert schema.names[:len(ACLED_NAMES)] == ACLED_NAMES
    assert schema.field("event_date").type == pa.date32()
    assert schema.field("latitude").type == pa.float64()
    assert schema.field("longitude").type == pa.float64()
    assert pa.types.is_integer(schema.field("fatalities").type)
    frame = pd.read_parquet(path, dtype_backend="numpy_nullable").set_index("event_id")
    assert str(frame["fatalities"].dtype) == "Int32"
    assert frame.loc["shell", "fatalities"] == 3
    assert frame["fatalities"].isna()["air"]  # no figure in the text: null, not 0
    assert frame.loc["shell", "latitude"] == pytest.approx(15.35)
    assert pd.isna(frame.loc["arrest", "latitude"]) and pd.isna(frame.loc["arrest", "event_date"])
    assert frame.loc["shell", "country"] == "Yemen" and frame.loc["shell", "country_code"] == "YE"
    assert pd.isna(frame.loc["odd", "actor1"]) and pd.isna(frame.loc["odd", "inter1"])
    assert frame.loc["odd", "civilian_targeting"] == "Civilian targeting"


def test_parquet_with_no_matching_event_is_an_empty_typed_table(db: str, tmp_path: Path
                                                                ) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow (rasad[parquet]) not installed")
    table = pq.read_table(parquet_file(db, tmp_path, "--country", "Egypt"))
    assert table.num_rows == 0 and "event_date" in table.schema.names


def test_parquet_without_pyarrow_is_e502_and_writes_nothing(
        db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["export", "--db", db, "--format", "parquet",
                                 "--out", str(out)])
    assert result.exit_code != 0
    assert "E502" in result.stderr and "pip install 'rasad[parquet]'" in result.stderr
    assert not out.exists()


def test_hxl_csv_is_the_acled_csv_with_a_valid_hashtag_row(db: str) -> None:
    hxl = list(csv.reader(io.StringIO(run_export(db, "hxl-csv"))))
    plain = list(csv.reader(io.StringIO(run_export(db, "acled-csv"))))
    header, tags, *rows = hxl
    assert header == plain[0] == ACLED_NAMES
    assert rows == plain[1:] and len(rows) == 6
    assert len(tags) == len(header)  # one cell per column
    for column, tag in zip(header, tags, strict=True):
        assert tag == "" or HXL_SYNTAX.match(tag), (column, tag)
    tagged = dict(zip(header, tags, strict=True))
    assert tagged["event_date"] == "#date+occurred"
    assert tagged["event_type"] == "#event+type"
    assert tagged["sub_event_type"] == "#event+type+sub"
    assert tagged["actor1"] == "#group+name+first" and tagged["actor2"] == "#group+name+second"
    assert tagged["country"] == "#country+name" and tagged["admin1"] == "#adm1+name"
    assert tagged["latitude"] == "#geo+lat" and tagged["longitude"] == "#geo+lon"
    assert tagged["fatalities"] == "#affected+killed" and tagged["source"] == "#meta+source"
    assert len({tag for tag in tags if tag}) == sum(1 for tag in tags if tag)  # no tag twice


def test_hxl_row_refuses_a_tag_outside_hxl_syntax() -> None:
    assert hxl_row(["a", "b"], {"b": "#geo+lat"}) == ["", "#geo+lat"]
    with pytest.raises(ValueError, match="not HXL"):
        hxl_row(["a"], {"a": "#Geo lat"})
    with pytest.raises(ValueError, match="lacks"):
        hxl_row(["a"], {"z": "#geo"})


def test_acled_csv_opens_in_pandas_with_acled_columns_and_dtypes(db: str) -> None:
    pd = pytest.importorskip("pandas", reason="pandas not installed")
    frame = pd.read_csv(io.StringIO(run_export(db, "acled-csv")))
    assert list(frame.columns) == ACLED_NAMES
    assert str(frame["fatalities"].dtype) == "int64"
    fatalities = dict(zip(frame["event_id_cnty"], frame["fatalities"], strict=True))
    assert fatalities["SYR-air"] == 0 and fatalities["YEM-shell"] == 3  # 0 when unreported
    assert str(frame["latitude"].dtype) == "float64" and str(frame["longitude"].dtype) == "float64"
    assert pd.to_datetime(frame["event_date"]).notna().sum() == 5  # the undated arrest is NaT
    hxl = pd.read_csv(io.StringIO(run_export(db, "hxl-csv")), skiprows=[1])
    assert hxl.equals(frame)  # skipping the hashtag row gives the ACLED CSV back
