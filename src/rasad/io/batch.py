"""Batch processing: documents in, contract records out, in input order, on one or more cores.

`process_items(items, settings, workers)` yields `(item, record)` for every `RawDocument` or
read `Failure` in `items`, in their order.  With `workers > 1` documents are processed by a pool
of processes, each loading the resources once (`Pipeline` per process); the records still come
back in input order.  Every document goes through `Pipeline.process`, the one per-document path.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from typing import Any

from rasad.io.readers import Failure
from rasad.pipeline import get_pipeline
from rasad.records import RawDocument, error_record
from rasad.settings import Settings

Item = RawDocument | Failure
CHUNK = 8
WINDOW = 512

_worker_settings: Settings | None = None


def process_item(item: Item, settings: Settings) -> dict[str, Any]:
    """The record of one item: its error record if it could not be read, else the extraction."""
    if isinstance(item, Failure):
        return error_record(item.doc_id, item.code, item.message)
    return get_pipeline(settings).process(item)


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings
    get_pipeline(settings)  # load lexicons, gazetteer and model once per process


def _work(item: Item) -> dict[str, Any]:
    assert _worker_settings is not None
    return process_item(item, _worker_settings)


def process_items(items: Iterable[Item], settings: Settings, workers: int = 1
                  ) -> Iterator[tuple[Item, dict[str, Any]]]:
    """`(item, record)` for every item, in input order, using `workers` processes."""
    if workers <= 1:
        for item in items:
            yield item, process_item(item, settings)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        # Bounded windows keep memory flat: the pool never holds more than WINDOW documents.
        for window in batched(items, WINDOW):
            yield from zip(window, pool.imap(_work, window, chunksize=CHUNK), strict=True)


def batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive lists of at most `size` items."""
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
