"""Exports: filters compose and apply to every format, fatalities follow each format's
convention, and a database rasad did not write is an E301 error for export and search; on each
backend."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rasad.cli import app
from rasad.errors import StoreError
from rasad.io.store import is_postgres_url, open_store
from store_helpers import SANAA, UNLOCATED, event, make_store, query

runner = CliRunner()

TEXT = "قصفت الطائرات مدينة إدلب. وسقطت قذائف في صنعاء. واعتقلت القوات مسلحين."


def documents() -> dict[str, tuple[str, list[dict[str, Any]]]]:
    return {
        "d1": (TEXT, [
            event("air", TEXT, "قصفت الطائرات مدينة إدلب.", fatalities=None),
            event("old", TEXT, "قصفت الطائرات مدينة إدلب.", event_date="2014-01-02",
                  background=True),
        ]),
        "d2": (TEXT, [
            event("shell", TEXT, "وسقطت قذائف في صنعاء.", where=SANAA,
                  sub_event_type="Shelling/artillery/missile attack", event_date="2015-07-25"),
            event("hedged", TEXT, "وسقطت قذائف في صنعاء.", where=SANAA, modality="hedged",
                  event_date="2015-07-26"),
        ]),
        "d3": (TEXT, [event("arrest", TEXT, "واعتقلت القوات مسلحين.", where=UNLOCATED,
                            event_type="Strategic developments", sub_event_type="Arrests",
                            event_date=None)]),
        "d4": ("نص بلا أحداث.", []),
    }


@pytest.fixture
def db(new_db: Callable[[str], str]) -> str:
    return make_store(new_db("e"), documents())


def export(db: str, fmt: str, *options: str) -> str:
    result = runner.invoke(app, ["export", "--db", db, "--format", fmt, *options])
    assert result.exit_code == 0, result.output
    return result.stdout


def read_parquet(db: str, *options: str) -> Any:
    """The pyarrow Table of a Parquet export (written to standard output, as bytes)."""
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow (rasad[parquet]) not installed")
    result = runner.invoke(app, ["export", "--db", db, "--format", "parquet", *options])
    assert result.exit_code == 0, result.output
    return pq.read_table(io.BytesIO(result.stdout_bytes))


def exported_ids(db: str, fmt: str, *options: str) -> set[str]:
    """The event ids an export holds, in any format."""
    if fmt == "parquet":
        return set(read_parquet(db, *options).column("event_id").to_pylist())
    out = export(db, fmt, *options)
    if fmt == "jsonl":
        return {e["event_id"] for line in out.splitlines() for e in json.loads(line)["events"]}
    if fmt in ("acled-csv", "hxl-csv"):
        rows = list(csv.DictReader(io.StringIO(out)))[fmt == "hxl-csv":]  # the hashtag row
        return {row["event_id_cnty"].split("-", 1)[1] for row in rows}
    return {feature["id"] for feature in json.loads(out)["features"]}


@pytest.mark.parametrize(("options", "expected"), [
    ([], {"air", "old", "shell", "hedged", "arrest"}),
    (["--country", "YE"], {"shell", "hedged"}),
    (["--country", "SY", "--country", "Iraq"], {"air", "old", "arrest"}),
    (["--admin1", "Idlib"], {"air", "old"}),
    (["--type", "Strategic developments"], {"arrest"}),
    (["--type", "shelling/artillery/missile attack"], {"shell"}),
    (["--since", "2015-07-20", "--until", "2015-07-25"], {"air", "shell"}),
    (["--no-background"], {"air", "shell", "hedged", "arrest"}),
    (["--asserted-only"], {"air", "old", "shell", "arrest"}),
    (["--asserted-only", "--no-background", "--country", "YE", "--since", "2015-07-01"],
     {"shell"}),
])
@pytest.mark.parametrize("fmt", ["jsonl", "acled-csv", "hxl-csv", "geojson", "parquet"])
def test_export_filters_compose_in_every_format(db: str, fmt: str, options: list[str],
                                                expected: set[str]) -> None:
    if fmt == "geojson":
        expected = expected - {"arrest"}  # the only event without coordinates
    assert exported_ids(db, fmt, *options) == expected


def test_export_jsonl_keeps_only_matching_events_and_documents(db: str) -> None:
    unfiltered = [json.loads(line) for line in export(db, "jsonl").splitlines()]
    assert [r["doc_id"] for r in unfiltered] == ["d1", "d2", "d3", "d4"]
    filtered = [json.loads(line) for line in export(db, "jsonl", "--country", "YE",
                                                    "--asserted-only").splitlines()]
    assert [r["doc_id"] for r in filtered] == ["d2"]
    assert [e["event_id"] for e in filtered[0]["events"]] == ["shell"]
    assert {k: v for k, v in filtered[0].items() if k != "events"} == {
        k: v for k, v in unfiltered[1].items() if k != "events"}


def test_export_fatalities_zero_in_acled_csv_null_in_json(db: str) -> None:
    rows = {row["event_id_cnty"].split("-", 1)[1]: row
            for row in csv.DictReader(io.StringIO(export(db, "acled-csv")))}
    assert rows["air"]["fatalities"] == "0" and rows["shell"]["fatalities"] == "3"
    features = {f["id"]: f for f in json.loads(export(db, "geojson"))["features"]}
    assert features["air"]["properties"]["fatalities"] is None
    assert features["shell"]["properties"]["fatalities"] == 3
    events = {e["event_id"]: e for line in export(db, "jsonl").splitlines()
              for e in json.loads(line)["events"]}
    assert events["air"]["fatalities"] is None


@pytest.mark.parametrize("options", [["--country", "Atlantis"], ["--until", "July"],
                                     ["--type", "Picnic"]])
def test_export_bad_filter_is_e304(db: str, options: list[str]) -> None:
    result = runner.invoke(app, ["export", "--db", db, *options])
    assert result.exit_code != 0 and "E304" in result.stderr


def foreign_database(db: str) -> str:
    """`db` holding a table of someone else's (a new SQLite file or PostgreSQL schema)."""
    if is_postgres_url(db):
        import psycopg

        with psycopg.connect(db) as conn:
            conn.execute("create table things (id serial primary key, name text)")
            conn.execute("insert into things (name) values ('a')")
        return db
    with sqlite3.connect(db) as conn:
        conn.execute("create table things (id integer primary key, name text)")
        conn.execute("insert into things (name) values ('a')")
    conn.close()
    return db


def tables(db: str) -> set[str]:
    if is_postgres_url(db):
        return {row["table_name"] for row in query(
            db, "select table_name from information_schema.tables "
                "where table_schema = current_schema()")}
    return {row["name"] for row in query(db, "select name from sqlite_master")}


@pytest.mark.parametrize("command", [["export", "--format", "acled-csv"], ["search", "قصف"],
                                     ["search", "قصف", "--events"], ["incidents"]])
def test_a_database_rasad_did_not_write_is_e301(new_db: Callable[[str], str], tmp_path: Path,
                                                command: list[str]) -> None:
    foreign = foreign_database(new_db("other"))
    before = tables(foreign)
    result = runner.invoke(app, [*command, "--db", foreign])
    assert result.exit_code != 0 and "E301" in result.stderr
    assert result.stdout == ""  # not even a CSV header
    assert tables(foreign) == before == {"things"}  # and nothing was created in it
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("not a database\n" * 100, encoding="utf-8")
    result = runner.invoke(app, [*command, "--db", str(not_sqlite)])
    assert result.exit_code != 0 and "E301" in result.stderr


def test_opening_for_reading_needs_rasads_tables(new_db: Callable[[str], str],
                                                  tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(foreign_database(new_db("other")), create=False)
    assert caught.value.code == "E301" and "documents" in caught.value.message
    with pytest.raises(StoreError):
        open_store(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
