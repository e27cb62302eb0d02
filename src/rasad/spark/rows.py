"""The Spark job's row functions: plain Python and pandas, no Spark (so they are tested alone).

Each function below is what one `mapInPandas` stage runs over its batches of rows:

- `read_files`: rows naming input files (``file_index``, ``path``, ``name``) → one row per
  document or read failure (`INPUT_COLUMNS`), in the file's order (``position``), read by
  `read_input_file`: the readers of `rasad extract` (`rasad.io.readers.read_file`, so a JSON Lines
  file gives the CLI's documents, ids and failures), Parquet files with the contract's input
  columns, and WARC files (`rasad.io.warc`);
- `extract_batches`: document rows → one row per document (`RESULT_COLUMNS`): its contract record
  from `rasad.pipeline.get_pipeline(settings).process` — the call `rasad extract` makes, the
  pipeline built once per Python worker and kept for every later batch — or its failure (coded,
  with the stage it failed at);
- `event_batches`: the records of processed documents → one row per event (`EVENT_COLUMNS`): the
  row `rasad export --format parquet` writes (`rasad.io.export.parquet_row`, the same typed
  columns), plus ``month`` (``YYYY-MM`` of the event date) to partition by.

Column lists are ``(name, type)`` pairs in `rasad.io.tabular.ARROW_TYPES` names; `rasad.spark.job`
turns them into Spark schemas.  Repeated document ids are renamed like `rasad extract` does
(`rename_duplicates`, over the few rows that can be involved, in input order).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from rasad.io.export import EVENT_PARQUET_COLUMNS, parquet_row
from rasad.io.readers import Failure, document_from_object, read_file
from rasad.io.tabular import column_value
from rasad.io.warc import read_warc
from rasad.pipeline import get_pipeline
from rasad.records import RawDocument, error_record, stable_id
from rasad.settings import Settings

Columns = Sequence[tuple[str, str]]
BATCH_ROWS = 500
"""Rows per pandas batch a reading task yields."""

FILE_COLUMNS: Columns = (("file_index", "int32"), ("path", "string"), ("name", "string"))
"""The input files, in the CLI's order: their index, path and the name ids are derived from."""
INPUT_COLUMNS: Columns = (
    ("file_index", "int32"), ("position", "int64"), ("doc_id", "string"), ("text", "string"),
    ("title", "string"), ("published", "string"), ("source", "string"), ("url", "string"),
    ("extra", "string"), ("warnings", "string"), ("code", "string"), ("message", "string"),
    ("origin", "string"),
)
"""A document as read (``extra`` and ``warnings`` as JSON), or a read failure (``code`` set)."""
DOCUMENT_COLUMNS: Columns = (
    ("doc_id", "string"), ("title", "string"), ("published", "string"), ("source", "string"),
    ("url", "string"), ("genre", "string"), ("genre_confidence", "float64"),
    ("n_events", "int32"), ("n_places", "int32"), ("warnings", "string"), ("record", "string"),
)
"""The documents table: the store's document row without the text, and the contract record."""
FAILURE_COLUMNS: Columns = (
    ("failure_id", "string"), ("doc_id", "string"), ("stage", "string"), ("code", "string"),
    ("message", "string"), ("origin", "string"),
)
"""The failures table: the columns of the store's ``failures`` table."""
RESULT_COLUMNS: Columns = (*DOCUMENT_COLUMNS,
                          *(c for c in FAILURE_COLUMNS if c[0] != "doc_id"))
"""A processed document (``code`` null) or a failure: the documents' and failures' columns."""
EVENT_COLUMNS: Columns = (*EVENT_PARQUET_COLUMNS, ("month", "string"))
"""The events table: the Parquet export's columns, then the month partition column."""

PARQUET_SUFFIXES = (".parquet",)
WARC_SUFFIXES = (".warc", ".warc.gz")
SPARK_SUFFIXES = (*PARQUET_SUFFIXES, *WARC_SUFFIXES)
"""What the Spark job reads besides the files `rasad extract` reads."""


def frame(rows: Iterable[Mapping[str, Any]], columns: Columns) -> Any:
    """A pandas DataFrame of `rows` with `columns`, each value as its column type wants it (object
    columns, so that a null stays null in an integer column)."""
    import pandas as pd

    rows = list(rows)
    return pd.DataFrame({name: pd.Series([column_value(row.get(name), kind) for row in rows],
                                         dtype=object)
                         for name, kind in columns})


def _records(batch: Any) -> Iterator[dict[str, Any]]:
    """The rows of a pandas batch as dicts, with pandas' missing values as None."""
    for row in batch.to_dict("records"):
        yield {key: None if _missing(value) else value for key, value in row.items()}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def suffix_of(path: Path) -> str:
    """The lower-case suffix a file is read by (``.jsonl.gz`` and ``.warc.gz`` as one)."""
    name = path.name.lower()
    for double in (".jsonl.gz", ".warc.gz"):
        if name.endswith(double):
            return double
    return path.suffix.lower()


def read_parquet_documents(path: Path, name: str, settings: Settings
                           ) -> Iterator[RawDocument | Failure]:
    """The documents of a Parquet file whose columns are the contract's input keys (``id``,
    ``text``, ``title``, ``published``, ``source``, ``url``; other columns are kept as the JSON
    Lines reader keeps unknown keys), validated as a JSON object is (`document_from_object`)."""
    import pyarrow.parquet as pq

    origin = str(path)
    try:
        parquet = pq.ParquetFile(path)
        row = 0
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
            for obj in batch.to_pylist():
                row += 1
                clean = {key: value for key, value in obj.items() if value is not None}
                yield document_from_object(clean, f"{name}:{row}", settings, origin)
    except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
        yield Failure(name, "E109", f"cannot read Parquet file: {exc}", origin=origin)


def read_input_file(path: Path, name: str, settings: Settings) -> Iterator[RawDocument | Failure]:
    """The documents of one input file, by its suffix: Parquet, WARC, or what `rasad extract`
    reads (`rasad.io.readers.read_file`: JSON Lines, JSON, text, HTML)."""
    suffix = suffix_of(path)
    if suffix in PARQUET_SUFFIXES:
        yield from read_parquet_documents(path, name, settings)
    elif suffix in WARC_SUFFIXES:
        yield from read_warc(path, name, settings)
    else:
        yield from read_file(path, name, settings)


def item_row(file_index: int, position: int, item: RawDocument | Failure) -> dict[str, Any]:
    """The `INPUT_COLUMNS` row of a document or read failure."""
    where = {"file_index": file_index, "position": position}
    if isinstance(item, Failure):
        return {**where, "doc_id": item.doc_id, "code": item.code, "message": item.message,
                "origin": item.origin}
    return {**where, "doc_id": item.id, "text": item.text, "title": item.title,
            "published": item.published, "source": item.source, "url": item.url,
            "extra": json.dumps(item.extra, ensure_ascii=False),
            "warnings": json.dumps(item.warnings, ensure_ascii=False)}


def item_of(row: Mapping[str, Any]) -> RawDocument | Failure:
    """The document or read failure of an `INPUT_COLUMNS` row (`item_row` inverted)."""
    if row.get("code"):
        return Failure(row["doc_id"], row["code"], row["message"] or "", origin=row["origin"])
    return RawDocument(row["doc_id"], row["text"], title=row["title"],
                       published=row["published"], source=row["source"], url=row["url"],
                       extra=json.loads(row["extra"] or "{}"),
                       warnings=json.loads(row["warnings"] or "[]"))


def read_files(batches: Iterable[Any], settings: Settings) -> Iterator[Any]:
    """`mapInPandas` over `FILE_COLUMNS` rows: every document of every file, `INPUT_COLUMNS`."""
    for batch in batches:
        for file in _records(batch):
            rows: list[dict[str, Any]] = []
            items = read_input_file(Path(file["path"]), file["name"], settings)
            for position, item in enumerate(items):
                rows.append(item_row(int(file["file_index"]), position, item))
                if len(rows) >= BATCH_ROWS:
                    yield frame(rows, INPUT_COLUMNS)
                    rows = []
            if rows:
                yield frame(rows, INPUT_COLUMNS)


Renames = Mapping[tuple[int, int], tuple[str, str]]
"""(file_index, position) → (new id, the ``duplicate id:`` note) of each renamed document."""


def rename_duplicates(rows: Iterable[tuple[int, int, str]]
                      ) -> dict[tuple[int, int], tuple[str, str]]:
    """The renamings `rasad extract` makes (`rasad.io.readers.UniqueIds`), from the
    ``(file_index, position, doc_id)`` of every document whose id is repeated in the input or
    holds a ``#``: the only ones a renaming can touch (a new id is always ``id#n``)."""
    from rasad.io.readers import UniqueIds

    unique = UniqueIds()
    renames: dict[tuple[int, int], tuple[str, str]] = {}
    for file_index, position, doc_id in sorted(rows):
        stand_in = unique(RawDocument(doc_id, ""))
        assert isinstance(stand_in, RawDocument)
        if stand_in.warnings:
            renames[file_index, position] = (stand_in.id, stand_in.warnings[-1])
    return renames


def _renamed(item: RawDocument | Failure, rename: tuple[str, str] | None
             ) -> RawDocument | Failure:
    """`item` under its new id, with the note `UniqueIds` gives it (a warning, or in a failure's
    message)."""
    if rename is None:
        return item
    new_id, note = rename
    if isinstance(item, Failure):
        return replace(item, doc_id=new_id, message=f"{item.message} ({note})")
    item.id = new_id
    item.warnings.append(note)
    return item


def result_row(item: RawDocument | Failure, record: dict[str, Any]) -> dict[str, Any]:
    """The `RESULT_COLUMNS` row of a document and its record (or error record)."""
    if "error" in record:
        error = record["error"]
        stage = item.stage if isinstance(item, Failure) else "extract"
        origin = item.origin if isinstance(item, Failure) else None
        return {"doc_id": record["doc_id"], "stage": stage, "code": error["code"],
                "message": error["message"], "origin": origin,
                "failure_id": stable_id(record["doc_id"], error["code"], error["message"],
                                        origin)}
    assert isinstance(item, RawDocument)
    return {"doc_id": record["doc_id"], "title": item.title, "published": record.get("published"),
            "source": item.source, "url": item.url, "genre": record.get("genre"),
            "genre_confidence": record.get("genre_confidence"),
            "n_events": len(record["events"]), "n_places": len(record["places"]),
            "warnings": json.dumps(record.get("warnings") or [], ensure_ascii=False),
            "record": json.dumps(record, ensure_ascii=False)}


def process(item: RawDocument | Failure, settings: Settings) -> dict[str, Any]:
    """The record of one item, as `rasad extract` makes it (`rasad.io.batch.process_item`)."""
    if isinstance(item, Failure):
        return error_record(item.doc_id, item.code, item.message)
    return get_pipeline(settings).process(item)


def extract_batches(batches: Iterable[Any], settings: Settings, renames: Renames,
                    extract: Callable[[RawDocument | Failure, Settings], dict[str, Any]] = process
                    ) -> Iterator[Any]:
    """`mapInPandas` over `INPUT_COLUMNS` rows: one `RESULT_COLUMNS` row per document."""
    for batch in batches:
        rows = []
        for row in _records(batch):
            item = _renamed(item_of(row), renames.get((int(row["file_index"]),
                                                       int(row["position"]))))
            rows.append(result_row(item, extract(item, settings)))
        yield frame(rows, RESULT_COLUMNS)


def event_rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The `EVENT_COLUMNS` rows of a contract record's events."""
    for event in record.get("events", []):
        date = event.get("event_date")
        yield {**parquet_row(record, event), "month": date[:7] if date else None}


def event_batches(batches: Iterable[Any]) -> Iterator[Any]:
    """`mapInPandas` over rows with a ``record`` (contract JSON): one `EVENT_COLUMNS` row per
    event."""
    for batch in batches:
        rows = [row for record in batch["record"] for row in event_rows(json.loads(record))]
        yield frame(rows, EVENT_COLUMNS)
