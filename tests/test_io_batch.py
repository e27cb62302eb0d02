"""Batch processing keeps input order and gives the same records on one or two processes."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from rasad.io.batch import Batch, RunSummary, batched, process_items
from rasad.io.readers import Failure, scan_input
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


def test_run_summary_counts_codes_and_names_at_most_five_files(tmp_path: Path) -> None:
    for i in range(7):
        (tmp_path / f"scan{i}.pdf").write_bytes(b"%PDF")
    (tmp_path / "README").write_text("x", encoding="utf-8")
    (tmp_path / "a.txt").write_text("خبر", encoding="utf-8")
    summary = RunSummary()
    for record in [{"doc_id": "a", "events": [{}, {}]}, {"doc_id": "b", "events": []},
                   {"doc_id": "c", "error": {"code": "E102", "message": ""}},
                   {"doc_id": "d", "error": {"code": "E101", "message": ""}},
                   {"doc_id": "e", "error": {"code": "E102", "message": ""}}]:
        summary.add(record)
    lines = summary.lines(scan_input(tmp_path), [("x", "x#2")])
    assert lines == [
        "processed 5 documents: 2 ok, 3 failed (E102×2, E101×1); 2 events",
        "skipped 8 files (.pdf×7: scan0.pdf, scan1.pdf, scan2.pdf, scan3.pdf, scan4.pdf …; "
        "(no suffix)×1: README)",
        "renamed 1 repeated id: x → x#2"]
    assert RunSummary().lines(None, []) == ["processed 0 documents: 0 ok, 0 failed; 0 events"]


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
