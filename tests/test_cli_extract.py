"""`rasad extract`: unique ids, nothing skipped without a word, text on stdin, --published/--source.

Every run here is `--no-ner` on a few short documents: the point is what is read and reported,
not what is extracted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rasad.cli import app
from store_helpers import query

runner = CliRunner()
STRIKE = "قتل خمسة مدنيين في انفجار سيارة مفخخة في بغداد أمس."


def said(text: str) -> str:
    """Output with line wrapping undone."""
    return " ".join(text.split())


def records(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_extract_same_file_name_in_two_folders_keeps_both(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for folder in ("2015", "2016"):
        (root / folder).mkdir(parents=True)
        (root / folder / "article.txt").write_text(STRIKE, encoding="utf-8")
    db = tmp_path / "r.db"
    result = runner.invoke(app, ["extract", str(root), "--no-ner", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert [r["doc_id"] for r in records(result.stdout)] == ["2015/article.txt",
                                                            "2016/article.txt"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from documents").fetchone()[0] == 2


def test_extract_repeated_jsonl_id_keeps_both_in_the_database(
        tmp_path: Path, new_db: Callable[[str], str]) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": "n1", "text": t}, ensure_ascii=False) + "\n"
                            for t in (STRIKE, "خبر آخر عن الطقس.")), encoding="utf-8")
    db = new_db("r")
    result = runner.invoke(app, ["extract", str(path), "--no-ner", "--db", db])
    assert result.exit_code == 0, result.output
    out = records(result.stdout)
    assert [r["doc_id"] for r in out] == ["n1", "n1#2"]
    assert any(w.startswith("duplicate id: 'n1'") for w in out[1]["warnings"])
    assert "renamed 1 repeated id: n1 → n1#2" in said(result.stderr)
    rows = query(db, "select doc_id, text from documents order by doc_id")
    assert [(row["doc_id"], row["text"]) for row in rows] == [
        ("n1", STRIKE), ("n1#2", "خبر آخر عن الطقس.")]


def test_extract_summary_names_skipped_files_and_failure_codes(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "map.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text(STRIKE, encoding="utf-8")
    (tmp_path / "news.txt").write_text(STRIKE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "batch.jsonl").write_text(
        '{"id": "ok", "text": "خبر"}\n{"id": "cut", "text": \n{"id": "blank", "text": ""}\n'
        '{"id": "empty2", "text": " "}\n', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path), "--no-ner"])
    assert result.exit_code == 0, result.output
    assert ".hidden.txt" not in [r["doc_id"] for r in records(result.stdout)]
    summary = said(result.stderr)
    assert "processed 6 documents: 2 ok, 4 failed (E104×3, E102×1)" in summary
    assert "skipped 4 files (.pdf×2: a.pdf, b.pdf; .png×1: map.png; hidden×1: .hidden.txt)" \
        in summary


def test_extract_empty_input_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# ملاحظات", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path), "--no-ner"])
    assert result.exit_code == 1
    assert result.stdout == ""
    message = said(result.stderr)
    assert "E112" in message and "no documents" in message
    assert "skipped 1 file (.md×1: notes.md)" in message
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(empty), "--no-ner", "--quiet"])
    assert result.exit_code == 1 and "E112" in result.stderr
    result = runner.invoke(app, ["extract", "-", "--no-ner"], input="")
    assert result.exit_code == 1 and "E112" in result.stderr


def test_extract_plain_text_on_stdin_is_one_document() -> None:
    text = f"{STRIKE}\nوقالت الشرطة إن التحقيق جار.\n"
    result = runner.invoke(app, ["extract", "-", "--no-ner"], input=text)
    assert result.exit_code == 0, result.output
    (record,) = records(result.stdout)
    assert "error" not in record
    assert record["doc_id"].startswith("stdin-")
    assert record["events"] and record["events"][0]["evidence"]["text"] in text
    again = runner.invoke(app, ["extract", "-", "--no-ner"], input=text)
    assert records(again.stdout)[0]["doc_id"] == record["doc_id"]


def test_extract_stdin_json_lines_and_forced_format() -> None:
    lines = json.dumps({"id": "j1", "text": STRIKE}, ensure_ascii=False) + "\n"
    result = runner.invoke(app, ["extract", "-", "--no-ner"], input=lines)
    assert [r["doc_id"] for r in records(result.stdout)] == ["j1"]
    forced = runner.invoke(app, ["extract", "-", "--no-ner", "--format", "text"], input=lines)
    (record,) = records(forced.stdout)
    assert record["doc_id"].startswith("stdin-") and "error" not in record


def test_extract_published_and_source_fill_what_documents_lack(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STRIKE, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps(
        {"id": "own", "text": STRIKE, "published": "2014-01-02", "source": "الحياة"},
        ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path), "--no-ner",
                                 "--published", "2015-07-21", "--source", "وكالة"])
    assert result.exit_code == 0, result.output
    by_id = {r["doc_id"]: r for r in records(result.stdout)}
    assert by_id["a.txt"]["published"] == "2015-07-21" and by_id["a.txt"]["source"] == "وكالة"
    assert by_id["a.txt"]["events"][0]["event_date"] == "2015-07-20"
    assert by_id["own"]["published"] == "2014-01-02" and by_id["own"]["source"] == "الحياة"
    result = runner.invoke(app, ["extract", "-", "--no-ner", "--published", "2015-07-21"],
                           input=STRIKE)
    assert records(result.stdout)[0]["published"] == "2015-07-21"


def test_extract_bad_published_or_format_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(STRIKE, encoding="utf-8")
    for option in (["--published", "2015-13-01"], ["--published", "yesterday"],
                   ["--published", "21/07/2015"], ["--format", "pdf"], ["--source", " "]):
        result = runner.invoke(app, ["extract", str(path), "--no-ner", *option])
        assert result.exit_code == 2, (option, result.output)
        assert "E504" in result.stderr and option[0] in said(result.stderr)
        assert result.stdout == ""


def test_extract_format_reads_a_file_of_another_suffix(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(STRIKE, encoding="utf-8")
    refused = runner.invoke(app, ["extract", str(path), "--no-ner"])
    assert records(refused.stdout)[0]["error"]["code"] == "E111"
    assert "--format" in said(records(refused.stdout)[0]["error"]["message"])
    result = runner.invoke(app, ["extract", str(path), "--no-ner", "--format", "text"])
    (record,) = records(result.stdout)
    assert record["doc_id"] == "note.md" and record["events"]


def test_extract_a_database_that_cannot_be_written_is_e301(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasad.errors import StoreError
    from rasad.io.sqlite_store import SQLiteStore

    def refuse(*args: Any) -> None:
        raise StoreError("cannot write documents: disk full")

    monkeypatch.setattr(SQLiteStore, "_write_documents", refuse)
    path = tmp_path / "in.txt"
    path.write_text(STRIKE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--no-ner", "--db",
                                 str(tmp_path / "r.db")])
    assert result.exit_code == 2 and "E301" in result.stderr and "disk full" in result.stderr
    assert not isinstance(result.exception, StoreError)  # a coded error, not a traceback
