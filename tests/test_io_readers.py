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


def _ids(items: list[RawDocument | Failure]) -> list[str]:
    return [i.id if isinstance(i, RawDocument) else i.doc_id for i in items]


def test_read_documents_file_ids_are_paths_relative_to_the_input_root(tmp_path: Path) -> None:
    for folder in ("a", "b", "b/c"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "article.txt").write_text(f"خبر من {folder}", encoding="utf-8")
    (tmp_path / "b" / "page.html").write_text(
        "<html><body><article><p>" + "قصفت الطائرات مواقع في المدينة. " * 5
        + "</p></article></body></html>", encoding="utf-8")
    (tmp_path / "b" / "list.json").write_text(json.dumps([{"text": "بلا معرف"}]),
                                              encoding="utf-8")
    items = list(read_documents(tmp_path, SETTINGS))
    assert _ids(items) == ["a/article.txt", "b/article.txt", "b/c/article.txt", "b/list.json:0",
                           "b/page.html"]
    # a single file keeps its bare name as its id
    assert _ids(list(read_documents(tmp_path / "b" / "c" / "article.txt", SETTINGS))) == [
        "article.txt"]


def test_read_documents_repeated_id_gets_a_numbered_suffix_and_a_warning(tmp_path: Path) -> None:
    lines = [{"id": "x", "text": "الأول"}, {"id": "y", "text": "نص"},
             {"id": "x", "text": "الثاني"}, {"id": "x#2", "text": "معرف يشبه اللاحقة"},
             {"id": "x", "text": "   "}, {"id": "x", "text": "الرابع"}]
    (tmp_path / "1.jsonl").write_text("".join(json.dumps(o) + "\n" for o in lines),
                                      encoding="utf-8")
    (tmp_path / "2.jsonl").write_text(json.dumps({"id": "y", "text": "ملف آخر"}) + "\n",
                                      encoding="utf-8")
    items = list(read_documents(tmp_path, SETTINGS))
    assert _ids(items) == ["x", "y", "x#2", "x#2#2", "x#3", "x#4", "y#2"]
    texts = [i.text for i in items if isinstance(i, RawDocument)]
    assert texts == ["الأول", "نص", "الثاني", "معرف يشبه اللاحقة", "الرابع", "ملف آخر"]
    first, second = items[0], items[2]
    assert isinstance(first, RawDocument) and first.warnings == []
    assert isinstance(second, RawDocument)
    assert second.warnings[0].startswith("duplicate id: 'x' ")
    assert "'x#2'" in second.warnings[0]
    empty = items[4]
    assert isinstance(empty, Failure) and empty.code == "E104"
    assert "duplicate id: 'x'" in empty.message


def test_read_documents_skips_hidden_files_and_folders(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("سر", encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / ".draft.txt").write_text("مسودة", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("مخفي", encoding="utf-8")
    (tmp_path / "news.txt").write_text("خبر", encoding="utf-8")
    assert _ids(list(read_documents(tmp_path, SETTINGS))) == ["news.txt"]


def test_read_stdin_detects_the_format_from_the_first_line() -> None:
    import io

    from rasad.io.readers import read_stdin

    def read(data: bytes, fmt: str = "auto") -> list[str]:
        return _codes(list(read_stdin(io.BytesIO(data), SETTINGS, fmt)))

    jsonl = b'\n{"id": "a", "text": "\xd9\x86\xd8\xb5"}\n{"id": "b", "text": ""}\n'
    assert read(jsonl) == ["ok:a", "E104"]
    assert read(b'{\n  "id": "p",\n  "text": "\xd9\x86\xd8\xb5"\n}\n') == ["ok:p"]
    assert read(b'[{"id": "l1", "text": "\xd9\x86\xd8\xb5"}]') == ["ok:l1"]
    text = "قصفت الطائرات المدينة.\n{ليس JSON}\n".encode()
    (doc,) = read_stdin(io.BytesIO(text), SETTINGS)
    assert isinstance(doc, RawDocument) and doc.text == text.decode()
    assert doc.id.startswith("stdin-") and len(doc.id) == len("stdin-") + 12
    assert read(jsonl, "text")[0].startswith("ok:stdin-")
    assert read(b"\n \n") == []
    assert read(b"\xff\xfe bad bytes") == ["E101"]
