"""Readers: every bad document becomes a coded failure and the rest are read, in order."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from rasad.io.readers import Failure, read_documents
from rasad.records import RawDocument
from rasad.settings import Settings

SETTINGS = Settings(max_document_chars=1000)


def _codes(items: list[RawDocument | Failure]) -> list[str]:
    return [i.code if isinstance(i, Failure) else f"ok:{i.id}" for i in items]


def test_read_documents_reports_each_bad_line_and_keeps_going(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "نص", "published": "2015-07-21", "lang": "ar"}).encode(),
        b"",
        b'{"id": "broken", "text": ',
        json.dumps({"text": "no id"}).encode(),
        json.dumps({"id": "empty", "text": "   "}).encode(),
        json.dumps({"id": "big", "text": "ا" * 1001}).encode(),
        b'{"id": "latin1", "text": "caf\xe9"}',
        b"\x00\x01\x02\x03binary junk",
        json.dumps(["not", "an", "object"]).encode(),
        json.dumps({"id": 7, "text": 12}).encode(),
        json.dumps({"id": "b", "text": "نص آخر"}).encode(),
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    items = list(read_documents(path, SETTINGS))
    assert _codes(items) == ["ok:a", "E102", "E103", "E104", "E105", "E101", "E106", "E107",
                             "E108", "ok:b"]
    first = items[0]
    assert isinstance(first, RawDocument) and first.extra == {"lang": "ar"}
    latin1 = items[5]
    assert isinstance(latin1, Failure) and latin1.doc_id == "latin1"


def test_read_documents_folder_reads_every_kind_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("خبر أول", encoding="utf-8")
    with gzip.open(tmp_path / "a.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "gz1", "text": "خبر"}) + "\n")
    (tmp_path / "c.json").write_text(json.dumps([{"id": "j1", "text": "خبر"}]), encoding="utf-8")
    (tmp_path / "d.html").write_text(
        "<html><head><title>عنوان</title></head><body><article><p>"
        + "قصفت الطائرات مواقع في المدينة وأفادت مصادر محلية بسقوط قتلى. " * 5
        + "</p></article></body></html>", encoding="utf-8")
    (tmp_path / "e.csv").write_text("ignored", encoding="utf-8")
    items = list(read_documents(tmp_path, SETTINGS))
    assert _codes(items) == ["ok:gz1", "ok:b.txt", "ok:j1", "ok:d.html"]
    html = items[-1]
    assert isinstance(html, RawDocument) and "قصفت الطائرات" in html.text


def test_read_documents_unsupported_single_file(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF")
    assert _codes(list(read_documents(path, SETTINGS))) == ["E111"]
