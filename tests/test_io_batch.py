"""Batch processing keeps input order and gives the same records on one or two processes."""

from __future__ import annotations

import sys
import threading

import pytest

from rasad.io.batch import Batch, batched, process_items
from rasad.io.readers import Failure
from rasad.pipeline import get_pipeline
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


def _loaded(_: object) -> bool:
    """In a worker: whether its pipeline has its lexicon, extractor and gazetteer loaded."""
    from rasad.io import batch

    assert batch._worker_settings is not None
    pipeline = get_pipeline(batch._worker_settings)
    return None not in (pipeline._lexicon, pipeline._extractor, pipeline._geocoder)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux only")
def test_batch_forked_workers_start_with_the_resources_loaded() -> None:
    with Batch(Settings(use_ner=False), workers=2) as batch:
        assert batch.forked
        assert batch._pool is not None and all(batch._pool.map(_loaded, range(4)))


def test_batch_keeps_order_with_more_chunks_than_in_flight(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.setattr("rasad.io.batch.CHUNK", 2)
    monkeypatch.setattr("rasad.io.batch.IN_FLIGHT", 2)
    settings = Settings(use_ner=False)
    with Batch(settings, workers=2) as batch:
        two = list(batch.process(iter(DOCS)))
    assert [i for i, _ in two] == DOCS
    assert [r for _, r in two] == [r for _, r in process_items(DOCS, settings, workers=1)]


def test_batch_spawns_workers_while_another_thread_runs() -> None:
    # Forking while a thread runs can deadlock the child: the workers are spawned instead.
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        settings = Settings(use_ner=False)
        with Batch(settings, workers=2) as batch:
            assert not batch.forked
            two = list(batch.process(DOCS[:3]))
    finally:
        stop.set()
        thread.join()
    assert [r for _, r in two] == [r for _, r in process_items(DOCS[:3], settings, workers=1)]
