"""The bugs `tests/test_fuzz.py` found, each as its minimal failing example."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

from typer.testing import CliRunner

from rasad.cli import app
from rasad.errors import EvalError
from rasad.eval.files import read_jsonl
from rasad.extract.calendars import resolve_relative_date
from rasad.io.readers import Failure, InputReader, read_documents
from rasad.pipeline import parse_published, process_document
from rasad.records import RawDocument
from rasad.settings import Settings

DOCS = [{"id": f"d{i}", "text": f"قتل {i} مدنيين في بغداد"} for i in range(40)]


def _codes(items: list[RawDocument | Failure]) -> list[str]:
    return [i.code if isinstance(i, Failure) else f"ok:{i.id}" for i in items]


def test_lone_surrogate_escape_is_e101_not_a_crash_when_writing(tmp_path: Path) -> None:
    # b'{"id": "\\ud800", "text": ""}' once reached the writer, which cannot encode it
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": "a", "text": "\\ud800"}\n{"id": "\\ud800", "text": "x"}\n'
                     b'{"id": "b", "text": "x", "meta": ["\\udfff"]}\n'
                     b'{"id": "c", "text": "\\ud83d\\ude00 ok"}\n')
    items = list(read_documents(path, Settings()))
    assert _codes(items) == ["E101", "E101", "E101", "ok:c"]
    assert [i.doc_id for i in items[:3] if isinstance(i, Failure)] == ["a", "in.jsonl:2", "b"]
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", str(path), "--out", str(out), "-q", "--no-ner"])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").split("\n")) == 5


def test_truncated_gzip_keeps_what_was_read_then_fails_e109(tmp_path: Path) -> None:
    packed = gzip.compress(b"".join(json.dumps(d).encode() + b"\n" for d in DOCS), mtime=0)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[:len(packed) - 10])  # EOFError: no end-of-stream marker
    codes = _codes(list(read_documents(path, Settings())))
    assert codes[-1] == "E109" and codes[:-1] == [f"ok:d{i}" for i in range(len(codes) - 1)]
    assert isinstance(InputReader(path, Settings()).count(), int)  # counting does not raise
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", str(path), "--out", str(out), "-q", "--no-ner"])
    assert result.exit_code == 0, result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(codes)


def test_corrupt_gzip_is_e109(tmp_path: Path) -> None:
    packed = bytearray(gzip.compress(b"".join(json.dumps(d).encode() + b"\n" for d in DOCS),
                                     mtime=0))
    packed[30] ^= 0xFF  # zlib.error: invalid deflate data
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(bytes(packed))
    assert _codes(list(read_documents(path, Settings())))[-1] == "E109"
    assert isinstance(InputReader(path, Settings()).count(), int)  # counting does not raise


def test_prediction_lines_split_at_newline_only(tmp_path: Path) -> None:
    # rasad extract writes U+2028 and U+0085 raw (ensure_ascii=False); str.splitlines() cut there
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps({"doc_id": "a", "warnings": ["x\u2028y\x85z"]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    [(lineno, obj)] = read_jsonl(path, lambda m: EvalError(m, code="E402"), "prediction")
    assert (lineno, obj["warnings"]) == (1, ["x\u2028y\x85z"])


def test_ago_beyond_the_calendar_has_no_date_instead_of_e201() -> None:
    # «منذ 3000000 أسبوع» moved `published` past year 1: OverflowError, an E201 record
    text = "قتل الجيش السوري 5 مدنيين في غارة جوية على بغداد منذ 3000000 أسبوع"
    record = process_document(RawDocument("a", text, published="2020-01-01"),
                              Settings(use_ner=False))
    assert "error" not in record, record
    assert resolve_relative_date(-7 * 3_000_000, dt.date(2020, 1, 1)) is None


def test_placeholder_publication_dates_are_ignored_not_e201() -> None:
    # published 0001-01-01 with «أمس» (or 9999-12-31 with «الشهر المقبل») left the calendar
    text = "قتل الجيش السوري 5 مدنيين في غارة جوية على بغداد أمس والشهر المقبل"
    for published in ("0001-01-01", "9999-12-31"):
        record = process_document(RawDocument("a", text, published=published),
                                  Settings(use_ner=False))
        assert "error" not in record, record
        assert record["published"] is None
        assert any("'published'" in warning for warning in record["warnings"])
    assert parse_published("0002-01-01") == dt.date(2, 1, 1)


def test_a_digit_run_past_int_limit_before_a_date_separator_is_no_date() -> None:
    # «٩٩…٩ . 15» (4,301 digits) reached int() as a numeric date's part: ValueError, E201
    text = "قتل الجيش السوري 5 مدنيين في بغداد. " + "٩" * 4301 + " . 15 يناير 2020"
    record = process_document(RawDocument("a", text), Settings(use_ner=False))
    assert "error" not in record, record


def test_nan_and_infinity_are_e102_so_the_output_stays_strict_json(tmp_path: Path) -> None:
    # b'{"id": "0~0", "text": "\\u200f", "score": NaN}' was passed through and written as NaN
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": "a", "text": "x", "score": NaN}\n'
                     b'{"id": "b", "text": "x", "n": [1e999]}\n{"id": "c", "text": "x"}\n')
    items = list(read_documents(path, Settings()))
    assert _codes(items) == ["E102", "E102", "ok:c"]
    assert [i.doc_id for i in items[:2] if isinstance(i, Failure)] == ["a", "b"]
