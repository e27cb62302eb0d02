"""Table writers shared by every exported table (events now, incidents later): HXL CSV and Parquet.

A table is described by data, not code: its columns in order, an HXL hashtag per column (empty for a
column HDX leaves untagged) and a Parquet type per column (`ARROW_TYPES` names).  An exporter turns
its records into flat row dicts and hands them to

- `write_hxl_csv(rows, columns, hashtags, out)`: the CSV header, then the HXL hashtag row
  (`hxl_row`), then one line per row;
- `write_parquet(rows, columns, out)`: a Parquet file with typed columns, written in row groups of
  `ROW_GROUP` rows, so a large export never holds every row at once.  pyarrow is the optional extra
  ``rasad[parquet]``; without it the writer raises E502 naming the pip command.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from rasad.errors import ConfigError

ROW_GROUP = 10_000

HXL_TAG = re.compile(r"#[a-z][a-z0-9_]*(?:\s*\+[a-z][a-z0-9_]*)*\Z")
"""HXL's hashtag syntax: ``#tag`` then any ``+attribute``, lower-case letters, digits and ``_``."""

ARROW_TYPES = ("string", "date32", "int8", "int16", "int32", "int64", "float64", "bool")
"""The Parquet column types a table may name."""
_ARROW_NAMES = {"bool": "bool_"}  # pyarrow's factory names where they differ


def hxl_row(columns: Sequence[str], hashtags: Mapping[str, str]) -> list[str]:
    """The HXL hashtag row of `columns`: one cell per column, empty where a column has no tag."""
    unknown = set(hashtags) - set(columns)
    if unknown:
        raise ValueError(f"HXL tags for columns the table lacks: {sorted(unknown)}")
    bad = [tag for tag in hashtags.values() if not HXL_TAG.match(tag)]
    if bad:
        raise ValueError(f"not HXL hashtags: {bad}")
    return [hashtags.get(column, "") for column in columns]


def write_hxl_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str],
                  hashtags: Mapping[str, str], out: IO[str]) -> int:
    """Write `rows` as CSV with the HXL hashtag row under the header; returns the rows written."""
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerow(dict(zip(columns, hxl_row(columns, hashtags), strict=True)))
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def pyarrow_modules() -> tuple[Any, Any]:
    """pyarrow and pyarrow.parquet; E502 naming the pip command when the extra is missing."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ConfigError("Parquet export needs pyarrow, which is not installed: "
                          "pip install 'rasad[parquet]'", code="E502") from None
    return pa, pq


def column_value(value: Any, type_name: str) -> Any:
    """A row value as its Parquet column wants it: None is null, and so is "" in a column that is
    not text; dates are parsed."""
    if value is None:
        return None
    if type_name == "string":
        return str(value)
    if value == "":
        return None
    if type_name == "date32":
        return dt.date.fromisoformat(str(value))
    if type_name == "bool":
        return bool(value)
    if type_name == "float64":
        return float(value)
    return int(value)


def write_parquet(rows: Iterable[Mapping[str, Any]], columns: Sequence[tuple[str, str]],
                  out: IO[bytes]) -> int:
    """Write `rows` to `out` as Parquet, `columns` giving (name, `ARROW_TYPES` name) in order.

    Returns the number of rows written.  E502 when pyarrow is not installed.
    """
    pa, pq = pyarrow_modules()
    schema = pa.schema([(name, getattr(pa, _ARROW_NAMES.get(type_name, type_name))())
                        for name, type_name in columns])
    n = 0
    batch: list[Mapping[str, Any]] = []
    with pq.ParquetWriter(out, schema) as writer:
        def flush() -> None:
            arrays = [pa.array([column_value(row.get(name), type_name) for row in batch],
                               type=schema.field(name).type) for name, type_name in columns]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            batch.clear()

        for row in rows:
            batch.append(row)
            n += 1
            if len(batch) >= ROW_GROUP:
                flush()
        if batch or n == 0:
            flush()  # an export with no rows is still a Parquet file with the schema
    return n
