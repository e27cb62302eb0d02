"""`rasad eval`: tables, JSON, misses, coded errors, dispatch to kinds built elsewhere, report."""

from __future__ import annotations

import json
import re
import shutil
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eval_helpers import FIXTURES, read_jsonl, write_jsonl
from rasad.cli import app
from rasad.eval.common import EvalResult, Miss
from rasad.settings import Settings

runner = CliRunner()


def said(text: str) -> str:
    """Output with line wrapping undone (the error console wraps long messages)."""
    return " ".join(text.split())


def test_eval_prints_a_table_of_metrics() -> None:
    result = runner.invoke(app, ["eval", "gsr", "--gold", str(FIXTURES / "gsr.jsonl"),
                                 "--no-ner"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("gsr — ")
    assert any(line.split()[:1] == ["family_recall"] for line in lines)
    assert any(line.split() == ["documents", "12"] for line in lines)


def test_eval_json_is_one_valid_object_with_the_worst_misses() -> None:
    result = runner.invoke(app, ["eval", "negatives", "--gold",
                                 str(FIXTURES / "negatives.jsonl"), "--json", "--errors", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "negatives"
    assert data["metrics"]["documents"] == 10
    assert isinstance(data["errors"], list) and len(data["errors"]) <= 3


def test_errors_prints_doc_id_gold_prediction_and_evidence(tmp_path: Path) -> None:
    gold = read_jsonl(FIXTURES / "articles.jsonl")
    pred = write_jsonl(tmp_path / "pred.jsonl",
                       [{"doc_id": d["id"], "genre": "news", "events": []} for d in gold])
    result = runner.invoke(app, ["eval", "articles", "--gold", str(FIXTURES / "articles.jsonl"),
                                 "--pred", str(pred), "--errors", "2"])
    assert result.exit_code == 0, result.output
    _table, breakdown, *blocks = result.stdout.split("\n\n")
    assert breakdown.startswith("errors by cause")
    assert len(blocks) == 2
    first = gold[0]["gold"]["events"][0]
    assert blocks[0].splitlines() == [
        "[fx-art-01] (no event found in its sentence) missed: no prediction in this document",
        f"  gold:      {json.dumps(first, ensure_ascii=False, separators=(', ', ': '))}",
        "  predicted: null",
        f"  evidence:  {first['evidence']}",
    ]


def test_a_broken_prediction_file_gives_a_coded_error_not_a_traceback(tmp_path: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"doc_id": "fx-gsr-01", "events": [}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", "gsr", "--gold", str(FIXTURES / "gsr.jsonl"),
                                 "--pred", str(pred)])
    assert result.exit_code == 2
    assert "E402" in result.stderr and "line 1: not valid JSON" in said(result.stderr)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_missing_gold_file_is_e401(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "articles", "--gold", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2
    assert "E401" in result.stderr


def test_a_kind_missing_from_this_build_is_e403(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rasad.eval.idrisi", None)  # as if the module were absent
    result = runner.invoke(app, ["eval", "idrisi", "--gold", str(FIXTURES / "gsr.jsonl")])
    assert result.exit_code == 2
    assert "E403" in result.stderr and "not available in this build" in said(result.stderr)


def fake_ner_module(calls: list[tuple[Path, Path | None]]) -> types.ModuleType:
    def evaluate_ner(gold: Path, pred: Path | None, settings: Settings) -> EvalResult:
        calls.append((gold, pred))
        return EvalResult("ner", str(gold), {"precision": 0.5, "recall": 0.25, "f1": 1 / 3,
                                             "tokens": 4},
                          [Miss("s1", "missed PERS", "محمد", None, "قال محمد")])

    module = types.ModuleType("rasad.eval.ner")
    module.evaluate_ner = evaluate_ner  # type: ignore[attr-defined]
    return module


def test_ner_and_idrisi_dispatch_to_their_modules(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    calls: list[tuple[Path, Path | None]] = []
    monkeypatch.setitem(sys.modules, "rasad.eval.ner", fake_ner_module(calls))
    gold, pred = tmp_path / "test.conll", tmp_path / "pred.conll"
    gold.write_text("محمد B-PERS\n", encoding="utf-8")
    pred.write_text("محمد B-PERS B-PERS\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "ner", "--gold", str(gold), "--pred", str(pred),
                                 "--json", "--errors", "1"])
    assert result.exit_code == 0, result.output
    assert calls == [(gold, pred)]
    data = json.loads(result.stdout)
    assert data["metrics"]["f1"] == pytest.approx(1 / 3)
    assert data["errors"][0]["what"] == "missed PERS"


def shared_copy(tmp_path: Path) -> Path:
    """A shared folder whose dev sets are the project's fixtures."""
    gold = tmp_path / "shared" / "data" / "gold"
    gold.mkdir(parents=True)
    for name, dev in (("articles", "articles_dev"), ("gsr", "up_arabic_gsr_dev"),
                      ("negatives", "negatives_dev")):
        shutil.copy(FIXTURES / f"{name}.jsonl", gold / f"{dev}.jsonl")
    (tmp_path / "shared" / "data" / "ner" / "anercorp").mkdir(parents=True)
    (tmp_path / "shared" / "data" / "ner" / "anercorp" / "test.conll").write_text(
        "محمد B-PERS\n", encoding="utf-8")
    return tmp_path / "shared"


def test_eval_all_writes_one_markdown_table(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "rasad.eval.ner", fake_ner_module([]))
    monkeypatch.setitem(sys.modules, "rasad.eval.idrisi", None)
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["eval", "all", "--shared", str(shared_copy(tmp_path)),
                                 "--out", str(out), "--no-ner"])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Measured on ") and " at commit " in lines[0]
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| gold set | kind | size | precision | recall | F1 | other scores |"
    rows = {row.split(" | ")[0].lstrip("| "): row for row in table[2:]}
    assert list(rows) == ["articles_dev.jsonl", "articles_check.jsonl (check: scored, never read)",
                          "incidents_dev.jsonl", "incidents_dev.jsonl (incident clustering)",
                          "up_arabic_gsr_dev.jsonl", "negatives_dev.jsonl", "idrisi_dev.jsonl",
                          "test.conll"]
    assert [row.split(" | ")[1] for row in rows.values()] == [
        "articles", "articles", "articles", "incidents", "gsr", "negatives", "idrisi", "ner"]
    assert "| 8 documents, 10 gold events (+2 not scored: opinion or background) |" in \
        rows["articles_dev.jsonl"]
    assert re.search(r"genre accuracy \d\.\d{3}", rows["articles_dev.jsonl"])
    assert "skipped: " in rows["incidents_dev.jsonl"] and "is absent" in rows["incidents_dev.jsonl"]
    assert "false alarm rate 0.000" in rows["negatives_dev.jsonl"]
    assert "not available in this build" in rows["idrisi_dev.jsonl"]
    assert "| 0.500 | 0.250 | 0.333 |" in rows["test.conll"]


def test_eval_all_scores_the_check_and_incidents_sets_as_their_own_rows(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "rasad.eval.ner", fake_ner_module([]))
    shared = shared_copy(tmp_path)
    gold = shared / "data" / "gold"
    shutil.copy(FIXTURES / "articles.jsonl", gold / "articles_check.jsonl")
    incidents = read_jsonl(FIXTURES / "articles.jsonl")[:3]
    write_jsonl(gold / "incidents_dev.jsonl", incidents)
    result = runner.invoke(app, ["eval", "all", "--shared", str(shared), "--json", "--no-ner"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    check, dev = data["articles_check.jsonl"], data["articles_dev.jsonl"]
    assert (check["suite"], check["name"], check["kind"]) == ("check", "articles", "articles")
    assert check["metrics"] == dev["metrics"]  # the same documents
    assert check["breakdown"]["misses"]["total"] == dev["breakdown"]["misses"]["total"]
    assert "errors" not in check  # never its individual errors
    assert data["incidents_dev.jsonl"]["name"] == "incidents"
    assert data["incidents_dev.jsonl"]["metrics"]["documents"] == 3
    clusters = data["incidents_dev.jsonl (incident clustering)"]
    assert (clusters["name"], clusters["kind"]) == ("incident_clusters", "incidents")
    assert clusters["metrics"]["gold_incidents"] >= 0
    assert data["idrisi_dev.jsonl"]["skipped"].startswith("skipped: ")


def test_eval_all_without_shared_data_is_e401(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "all", "--shared", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "E401" in result.stderr
