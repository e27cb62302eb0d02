"""rasad on Spark (`rasad.spark`): the same events as `rasad extract`, byte for byte.

The Spark tests run one job in ``local[2]`` over the 38 dev articles, the first SaudiNewsNet
articles and a file of bad lines, and compare its tables with `rasad extract` on the same folder:
every event's JSON, every document's record, every failure's code, and the typed event columns
against `rasad export --format parquet`'s row.  They skip when pyspark or Java is missing (or
../shared for the data).  The row functions are also tested without Spark: reading Parquet and
WARC input, renaming repeated ids as the CLI does, and a document the extractor fails on.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rasad.cli import app
from rasad.io.export import parquet_row
from rasad.io.readers import Failure, read_jsonl
from rasad.io.tabular import column_value
from rasad.records import RawDocument
from rasad.settings import Settings
from rasad.spark.rows import (
    EVENT_COLUMNS,
    INPUT_COLUMNS,
    extract_batches,
    frame,
    item_of,
    item_row,
    read_parquet_documents,
    rename_duplicates,
)

runner = CliRunner()
CORPUS_DOCS = 20
INPUT_KEYS = ("id", "title", "text", "published", "source", "url")
STRIKE = "قتل خمسة مدنيين في انفجار سيارة مفخخة في بغداد أمس."
BAD_LINES = [
    json.dumps({"id": "empty", "text": "  "}),
    "{not json",
    json.dumps({"id": "snn-1", "text": STRIKE, "published": "2015-07-21", "lang": "ar"},
               ensure_ascii=False),  # the corpus has an snn-1: renamed snn-1#2
    json.dumps({"id": "binary", "text": "a\u0000b"}),
    json.dumps([1, 2]),
]


def _java() -> bool:
    home = os.environ.get("JAVA_HOME")
    return shutil.which("java") is not None or bool(home and Path(home, "bin", "java").exists())


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    if not _java():
        pytest.skip("Spark needs Java (java on PATH or JAVA_HOME)")
    from rasad.spark.job import session

    spark = session("local[2]", app_name="rasad-tests")
    spark.conf.set("spark.sql.shuffle.partitions", "2")
    yield spark
    spark.stop()


def _input_folder(root: Path, shared: Path) -> Path:
    """The dev articles (input keys only), the first corpus articles and a file of bad lines."""
    folder = root / "in"
    folder.mkdir()
    with (shared / "data/gold/articles_dev.jsonl").open(encoding="utf-8") as gold, \
            (folder / "articles_dev.jsonl").open("w", encoding="utf-8") as out:
        for line in gold:
            obj = json.loads(line)
            out.write(json.dumps({k: obj[k] for k in INPUT_KEYS if k in obj},
                                 ensure_ascii=False) + "\n")
    with gzip.open(shared / "data/corpora/saudinewsnet/articles.jsonl.gz", "rb") as corpus, \
            gzip.open(folder / "corpus.jsonl.gz", "wb") as out_gz:
        for _, line in zip(range(CORPUS_DOCS), corpus, strict=False):
            out_gz.write(line)
    (folder / "zz_bad.jsonl").write_text("\n".join(BAD_LINES) + "\n", encoding="utf-8")
    (folder / "notes.md").write_text("not read", encoding="utf-8")
    return folder


def _events(records: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(e, ensure_ascii=False) for r in records for e in r["events"])


@pytest.fixture(scope="module")
def runs(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The CLI's records and the Spark job's tables for the same input folder."""
    shared = Path(__file__).resolve().parents[2] / "shared"
    if not (shared / "data/gold/articles_dev.jsonl").is_file():
        pytest.skip("../shared is not present")
    from rasad.spark.job import run_job

    root = tmp_path_factory.mktemp("spark")
    folder = _input_folder(root, shared)
    cli_out = root / "cli.jsonl"
    result = runner.invoke(app, ["extract", str(folder), "--out", str(cli_out), "--quiet"])
    assert result.exit_code == 0, result.output
    cli = [json.loads(line) for line in cli_out.read_text(encoding="utf-8").splitlines()]
    job = run_job(spark, folder, str(root / "out"), Settings(), partitions=3)
    tables = {name: spark.read.parquet(str(root / "out" / name)).collect()
              for name in ("documents", "events", "failures")}
    return {"cli": cli, "job": job, "cli_lines": cli_out.read_text(encoding="utf-8"), **tables}


@pytest.mark.shared
def test_spark_events_equal_the_cli_byte_for_byte(runs: dict[str, Any]) -> None:
    cli_events = _events([r for r in runs["cli"] if "error" not in r])
    assert len(cli_events) > 50
    assert sorted(row.record for row in runs["events"]) == cli_events


@pytest.mark.shared
def test_spark_documents_hold_the_cli_records(runs: dict[str, Any]) -> None:
    cli_lines = sorted(line for line in runs["cli_lines"].splitlines() if '"error": ' not in line)
    assert sorted(row.record for row in runs["documents"]) == cli_lines
    by_id = {row.doc_id: row for row in runs["documents"]}
    renamed = json.loads(by_id["snn-1#2"].record)
    assert renamed["lang"] == "ar"
    assert any(w.startswith("duplicate id: 'snn-1'") for w in renamed["warnings"])
    assert by_id["snn-1"].n_events == len(json.loads(by_id["snn-1"].record)["events"])


@pytest.mark.shared
def test_spark_bad_documents_are_failure_rows_and_the_job_goes_on(runs: dict[str, Any]) -> None:
    cli_failures = sorted((r["doc_id"], r["error"]["code"], r["error"]["message"])
                          for r in runs["cli"] if "error" in r)
    spark_failures = sorted((row.doc_id, row.code, row.message) for row in runs["failures"])
    assert spark_failures == cli_failures
    assert {code for _, code, _ in spark_failures} == {"E104", "E102", "E106", "E107"}
    assert all(row.stage == "read" and row.origin.endswith("zz_bad.jsonl")
               for row in runs["failures"])
    summary = runs["job"].summary
    assert summary.ok == len(runs["documents"]) == len(runs["cli"]) - len(cli_failures)
    assert summary.events == len(runs["events"])
    assert sum(summary.failed.values()) == len(cli_failures)
    assert runs["job"].renamed == [("snn-1", "snn-1#2")]


@pytest.mark.shared
def test_spark_event_columns_are_the_parquet_export_row(runs: dict[str, Any]) -> None:
    records = {r["doc_id"]: r for r in runs["cli"] if "error" not in r}
    types = dict(EVENT_COLUMNS)
    for row in runs["events"]:
        event = json.loads(row.record)
        expected = parquet_row(records[row.doc_id], event)
        expected["month"] = event["event_date"][:7] if event["event_date"] else None
        got = row.asDict()
        assert got == {name: column_value(value, types[name])
                       for name, value in expected.items()}, row.event_id


def test_spark_rows_round_trip_documents_and_failures() -> None:
    doc = RawDocument("d1", STRIKE, title="t", published="2015-07-21", extra={"lang": "ar"},
                      warnings=["w"])
    failure = Failure("f1", "E104", "empty text", origin="in.jsonl")
    batch = frame([item_row(0, 0, doc), item_row(0, 1, failure)], INPUT_COLUMNS)
    rows = batch.to_dict("records")
    assert item_of(rows[0]) == doc
    assert item_of(rows[1]) == failure


def test_spark_renames_repeated_ids_as_the_cli_does() -> None:
    from rasad.io.readers import UniqueIds

    ids = ["x", "y", "x", "x#2", "x", "z"]
    unique = UniqueIds()
    cli = [unique(RawDocument(i, STRIKE)).id for i in ids]  # type: ignore[union-attr]
    candidates = [(0, pos, i) for pos, i in enumerate(ids) if ids.count(i) > 1 or "#" in i]
    renames = rename_duplicates(reversed(candidates))  # any order in, input order applied
    got = [renames.get((0, pos), (i, ""))[0] for pos, i in enumerate(ids)]
    assert got == cli == ["x", "y", "x#2", "x#2#2", "x#3", "z"]
    assert renames[0, 2][1].startswith("duplicate id: 'x' is the id of an earlier document")


def test_spark_extractor_failure_is_a_coded_row(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasad.pipeline import Pipeline

    real_run = Pipeline.run

    def run(self: Pipeline, raw: RawDocument) -> Any:
        if raw.id == "boom":
            raise ValueError("broken on purpose")
        return real_run(self, raw)

    monkeypatch.setattr(Pipeline, "run", run)
    batch = frame([item_row(0, 0, RawDocument("boom", STRIKE)),
                   item_row(0, 1, RawDocument("fine", STRIKE, published="2015-07-21"))],
                  INPUT_COLUMNS)
    settings = Settings(use_ner=False)
    out = next(extract_batches(iter([batch]), settings, {})).to_dict("records")
    assert out[0]["code"] == "E201" and out[0]["stage"] == "extract"
    assert "broken on purpose" in out[0]["message"] and out[0]["failure_id"]
    assert out[1]["code"] is None and json.loads(out[1]["record"])["events"]


def test_spark_reads_parquet_input_as_json_objects(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    objects = [{"id": "p1", "text": STRIKE, "published": "2015-07-21", "lang": "ar"},
               {"id": "p2", "text": "", "published": None, "lang": None}]
    pq.write_table(pa.Table.from_pylist(objects), tmp_path / "docs.parquet")
    got = list(read_parquet_documents(tmp_path / "docs.parquet", "docs.parquet", Settings()))
    lines = [json.dumps({k: v for k, v in o.items() if v is not None}).encode() for o in objects]
    assert got == list(read_jsonl(lines, Settings(), str(tmp_path / "docs.parquet")))
    assert isinstance(got[0], RawDocument) and got[0].extra == {"lang": "ar"}
    assert isinstance(got[1], Failure) and got[1].code == "E104"


def test_spark_command_refuses_bad_paths_before_starting_spark(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "a", "text": STRIKE}) + "\n",
                                       encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "kept.txt").write_text("x", encoding="utf-8")
    missing = runner.invoke(app, ["spark", str(tmp_path / "nope"), str(tmp_path / "new")])
    assert missing.exit_code == 2 and "E109" in missing.output
    taken = runner.invoke(app, ["spark", str(tmp_path / "in.jsonl"), str(tmp_path / "out")])
    assert taken.exit_code == 2 and "E504" in taken.output and "--overwrite" in taken.output
    assert (tmp_path / "out" / "kept.txt").read_text(encoding="utf-8") == "x"


def test_spark_without_pyspark_is_e502(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from rasad.errors import ConfigError
    from rasad.spark.job import require_pyspark

    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    with pytest.raises(ConfigError) as error:
        require_pyspark()
    assert error.value.code == "E502" and "pip install 'rasad[spark]'" in error.value.message
