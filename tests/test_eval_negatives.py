"""False-alarm scoring on sentences without events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eval_helpers import TAIZ, place, predicted_event, record, write_jsonl
from rasad.eval.negatives import evaluate_negatives
from rasad.settings import Settings


def negative(doc_id: str) -> dict[str, Any]:
    return {"id": doc_id, "text": "سجل المهاجم هدفين في المباراة.", "published": "2024-05-20",
            "gold": {"events": 0}}


def test_false_alarm_rates_any_and_asserted_only(tmp_path: Path) -> None:
    gold = [negative(f"n{i}") for i in range(5)]
    pred = [record("n0", [predicted_event(place(TAIZ)), predicted_event(place(TAIZ))]),
            record("n1", [predicted_event(place(TAIZ), modality="future")]),
            record("n2", [predicted_event(place(TAIZ), event_date="1916-07-01")]),  # background
            record("n3", []), record("n4", [])]
    result = evaluate_negatives(write_jsonl(tmp_path / "gold.jsonl", gold),
                                write_jsonl(tmp_path / "pred.jsonl", pred), Settings())
    m = result.metrics
    assert m["false_alarm_rate"] == 0.4
    assert m["asserted_false_alarm_rate"] == 0.2
    assert (m["false_alarms"], m["predicted_events"], m["background_events"]) == (2, 3, 1)
    assert [miss.doc_id for miss in result.worst_misses(5)] == ["n0", "n1"]
    assert result.is_lower_better("false_alarm_rate")
