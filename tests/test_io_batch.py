"""Batch processing keeps input order and gives the same records on one or two processes."""

from __future__ import annotations

from rasad.io.batch import batched, process_items
from rasad.io.readers import Failure
from rasad.records import RawDocument
from rasad.settings import Settings

DOCS = [RawDocument(f"d{i}", text) for i, text in enumerate([
    "شنت طائرات التحالف غارات على مواقع للحوثيين في تعز أمس.",
    "قتل خمسة مدنيين في انفجار سيارة مفخخة في بغداد.",
    "ارتفعت أسعار النفط في الأسواق العالمية.",
] * 3)]


def test_batched_windows() -> None:
    assert [len(b) for b in batched(DOCS, 4)] == [4, 4, 1]


def test_process_items_two_workers_match_one_in_order() -> None:
    items = [*DOCS[:4], Failure("bad", "E104", "empty text"), *DOCS[4:]]
    settings = Settings(use_ner=False)
    one = list(process_items(items, settings, workers=1))
    two = list(process_items(items, settings, workers=2))
    assert [r for _, r in one] == [r for _, r in two]
    assert [r["doc_id"] for _, r in two] == [getattr(i, "id", "bad") for i in items]
    assert two[4][1] == {"doc_id": "bad", "error": {"code": "E104", "message": "empty text"}}
