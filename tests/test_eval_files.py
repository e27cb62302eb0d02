"""Gold and prediction files: clear coded errors for broken ones, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eval_helpers import FIXTURES, TAIZ, place, predicted_event, record, write_jsonl
from rasad.errors import EvalError
from rasad.eval.kinds import evaluate
from rasad.settings import Settings

GOLD = FIXTURES / "articles.jsonl"


def evaluate_with(tmp_path: Path, lines: list[str], kind: str = "articles",
                  gold: Path = GOLD) -> Any:
    pred = tmp_path / "pred.jsonl"
    pred.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return evaluate(kind, gold, pred, Settings())


def good(doc_id: str = "fx-art-01", **changes: Any) -> dict[str, Any]:
    event = predicted_event(place(TAIZ))
    event.update(changes)
    return record(doc_id, [event])


@pytest.mark.parametrize(("lines", "message"), [
    (['{"doc_id": "fx-art-01", "events": ['], "line 1: not valid JSON"),
    (["[1, 2]"], "line 1: expected a JSON object, got list"),
    (['{"events": []}'], "line 1: missing or empty 'doc_id'"),
    (['{"doc_id": "nope", "events": []}'], "doc_id 'nope' is not in the gold file"),
    ([json.dumps(good()), json.dumps(good())], "line 2: doc_id 'fx-art-01' appears twice"),
    (['{"doc_id": "fx-art-01", "events": {}}'], "'events' is missing or not a list"),
    ([json.dumps(good(fatalities="12"))], "events[0].fatalities must be an integer or null, "
                                           "not a string"),
    ([json.dumps(good(location={"latitude": "36.2"}))],
     "events[0].location.latitude must be a number or null, not a string"),
    ([json.dumps(good(actor1={"name": 5}))], "events[0].actor1.name must be a string or null"),
    ([json.dumps(good(event_type=None))], "events[0].event_type must be a string"),
    ([json.dumps(record("fx-art-01", [{"sub_event_type": "Armed clash"}]))],
     "events[0]: 'event_type' is missing"),
    ([json.dumps(good(fatalities=True))], "fatalities must be an integer or null, not a boolean"),
    ([], "holds no documents"),
])
def test_a_broken_prediction_file_is_a_coded_error(tmp_path: Path, lines: list[str],
                                                   message: str) -> None:
    with pytest.raises(EvalError) as caught:
        evaluate_with(tmp_path, lines)
    assert caught.value.code == "E402"
    assert message in caught.value.message


def test_missing_files_are_coded(tmp_path: Path) -> None:
    with pytest.raises(EvalError) as caught:
        evaluate("gsr", tmp_path / "nope.jsonl", None, Settings())
    assert caught.value.code == "E401"
    with pytest.raises(EvalError) as caught:
        evaluate("gsr", FIXTURES / "gsr.jsonl", tmp_path / "nope.jsonl", Settings())
    assert caught.value.code == "E402"
    with pytest.raises(EvalError) as caught:
        evaluate("tweets", GOLD, None, Settings())
    assert caught.value.code == "E403"


@pytest.mark.parametrize(("row", "message"), [
    ({"id": "a", "text": "نص"}, "no 'gold' object"),
    ({"text": "نص", "gold": {}}, "missing or empty 'id'"),
    ({"id": "a", "text": "نص", "gold": {"genre": "news"}}, "gold 'events' is missing"),
    ({"id": "a", "text": "نص", "gold": {"genre": "blog", "events": []}}, "gold genre 'blog'"),
    ({"id": "a", "text": "نص", "gold": {"genre": "news", "events": [{"event_type": "War"}]}},
     "gold events[0] has no valid event_type"),
])
def test_a_malformed_gold_file_is_e401(tmp_path: Path, row: dict[str, Any], message: str) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", [row])
    with pytest.raises(EvalError) as caught:
        evaluate("articles", gold, None, Settings())
    assert caught.value.code == "E401"
    assert message in caught.value.message


def test_error_records_and_missing_lines_score_as_empty_documents(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", [
        {"id": "a", "text": "نص", "gold": {"genre": "news", "events": []}},
        {"id": "b", "text": "نص", "gold": {"genre": "news", "events": []}},
        {"id": "c", "text": "نص", "gold": {"genre": "news", "events": []}}])
    lines = [json.dumps({"doc_id": "a", "error": {"code": "E201", "message": "boom"}}),
             json.dumps(record("b", []))]
    result = evaluate_with(tmp_path, lines, gold=gold)
    assert result.metrics["genre_accuracy"] == pytest.approx(1 / 3)
    assert any("error records" in note and "E201 boom" in note for note in result.notes)
    assert any("have no line" in note and "(first: c)" in note for note in result.notes)


def test_without_predictions_the_extractor_runs_on_the_gold_documents() -> None:
    result = evaluate("negatives", FIXTURES / "negatives.jsonl", None, Settings(use_ner=False))
    assert result.metrics["documents"] == 10
    assert not any("error records" in note for note in result.notes)
