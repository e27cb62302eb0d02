"""Batch processing: documents in, contract records out, in input order, on one or more cores.

`Batch(settings, workers)` is a context: inside it, `batch.process(items)` yields
`(item, record)` for every `RawDocument` or read `Failure` in `items`, in their order
(`process_items(items, settings, workers)` does both at once).  Every document goes through
`Pipeline.process`, the one per-document path.

With `workers > 1` a pool of processes does the work.  On Linux, when the calling process runs
a single thread, it loads the resources (`Pipeline.load`) and then forks the pool: every worker
starts with them loaded and warm, sharing their memory until it writes to it, where a spawned
worker would import the package and load them again (about a second of CPU each: on a 2-core
machine, most of what a second worker gains on a few thousand articles).  Elsewhere, or when
other threads run (forking then can deadlock the child on a lock one of them held), workers are
spawned and each loads the resources once.  Documents go out in chunks of `CHUNK`, at most
`IN_FLIGHT` chunks at a time: memory stays flat on any input and the workers never wait for the
slowest chunk of a window before the next ones are sent.

`RunSummary` counts the records of a run and words the summary `rasad extract` prints.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from types import TracebackType
from typing import Any

from rasad.io.readers import Failure, InputScan
from rasad.pipeline import get_pipeline
from rasad.records import RawDocument, error_record
from rasad.settings import Settings

Item = RawDocument | Failure
CHUNK = 8
IN_FLIGHT = 64

_worker_settings: Settings | None = None


def process_item(item: Item, settings: Settings) -> dict[str, Any]:
    """The record of one item: its error record if it could not be read, else the extraction."""
    if isinstance(item, Failure):
        return error_record(item.doc_id, item.code, item.message)
    return get_pipeline(settings).process(item)


def _init_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings
    get_pipeline(settings)  # a forked worker finds the parent's, loaded; a spawned one builds it


def _work(chunk: list[Item]) -> list[dict[str, Any]]:
    assert _worker_settings is not None
    return [process_item(item, _worker_settings) for item in chunk]


def can_fork() -> bool:
    """Whether workers can be forked safely here: on Linux, from a single-threaded process."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Batch:
    """Processes documents with `workers` processes (see the module docstring)."""

    def __init__(self, settings: Settings, workers: int = 1) -> None:
        self.settings = settings
        self.workers = workers
        self.forked = False
        self._pool: Pool | None = None

    def __enter__(self) -> Batch:
        if self.workers > 1:
            self.forked = can_fork()
            if self.forked:
                get_pipeline(self.settings).load()
            context = multiprocessing.get_context("fork" if self.forked else "spawn")
            self._pool = context.Pool(self.workers, initializer=_init_worker,
                                      initargs=(self.settings,))
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._pool is None:
            return
        if kind is None:
            self._pool.close()
            self._pool.join()
        else:
            self._pool.terminate()
        self._pool = None

    def process(self, items: Iterable[Item]) -> Iterator[tuple[Item, dict[str, Any]]]:
        """`(item, record)` for every item, in input order."""
        if self._pool is None:
            for item in items:
                yield item, process_item(item, self.settings)
            return
        pending: deque[tuple[list[Item], AsyncResult[list[dict[str, Any]]]]] = deque()

        def oldest(keep: int) -> Iterator[tuple[Item, dict[str, Any]]]:
            while len(pending) > keep:
                chunk, result = pending.popleft()
                yield from zip(chunk, result.get(), strict=True)

        for chunk in batched(items, CHUNK):
            pending.append((chunk, self._pool.apply_async(_work, (chunk,))))
            yield from oldest(IN_FLIGHT - 1)
        yield from oldest(0)


def process_items(items: Iterable[Item], settings: Settings, workers: int = 1
                  ) -> Iterator[tuple[Item, dict[str, Any]]]:
    """`(item, record)` for every item, in input order, using `workers` processes."""
    with Batch(settings, workers) as batch:
        yield from batch.process(items)


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


def _named(names: Sequence[str], limit: int = 5) -> str:
    """At most `limit` names, then an ellipsis."""
    return ", ".join(names[:limit]) + (" …" if len(names) > limit else "")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass
class RunSummary:
    """What a run did: documents ok and failed (by error code), events, files and ids it
    changed or left out; `lines` words it for standard error."""

    ok: int = 0
    events: int = 0
    failed: Counter[str] = field(default_factory=Counter)

    @property
    def documents(self) -> int:
        return self.ok + sum(self.failed.values())

    def add(self, record: dict[str, Any]) -> None:
        if "error" in record:
            self.failed[record["error"]["code"]] += 1
        else:
            self.ok += 1
            self.events += len(record["events"])

    def lines(self, scan: InputScan | None, renamed: Sequence[tuple[str, str]]) -> list[str]:
        """The summary: counts and failure codes, then files left out and ids renamed.

        ``processed 6 documents: 4 ok, 2 failed (E104×1, E102×1); 7 events`` ·
        ``skipped 3 files (.pdf×2: a.pdf, b.pdf; hidden×1: .hidden.txt)`` ·
        ``renamed 1 repeated id: x → x#2``.  Codes and kinds of file go from most to least
        frequent; at most five names each.
        """
        codes = ", ".join(f"{code}×{n}" for code, n in
                          sorted(self.failed.items(), key=lambda kv: (-kv[1], kv[0])))
        first = (f"processed {_plural(self.documents, 'document')}: {self.ok:,} ok, "
                 f"{sum(self.failed.values()):,} failed" + (f" ({codes})" if codes else "")
                 + f"; {_plural(self.events, 'event')}")
        out = [first]
        if scan is not None and (scan.skipped or scan.hidden):
            groups: dict[str, list[str]] = {}
            for path in scan.skipped:
                groups.setdefault(path.suffix.lower() or "(no suffix)", []).append(
                    scan.doc_id(path))
            ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            hidden = [scan.doc_id(p) + ("/" if p.is_dir() else "") for p in scan.hidden]
            if hidden:
                ranked.append(("hidden", hidden))
            kinds = "; ".join(f"{kind}×{len(names)}: {_named(names)}" for kind, names in ranked)
            out.append(f"skipped {_plural(len(scan.skipped) + len(hidden), 'file')} ({kinds})")
        if renamed:
            out.append(f"renamed {_plural(len(renamed), 'repeated id')}: "
                       + _named([f"{old} → {new}" for old, new in renamed]))
        return out


def empty_input_message(path: str, scan: InputScan | None) -> str:
    """Why a run found no document at all (error E112)."""
    if scan is None:
        return "no documents: standard input is empty"
    if Path(path).is_dir():
        left_out = " that rasad reads" if scan.skipped or scan.hidden else ""
        return f"no documents: the folder {path} holds no file{left_out}"
    return (f"no documents: {path} holds none (an empty or blank file, or an empty JSON "
            "list)")
