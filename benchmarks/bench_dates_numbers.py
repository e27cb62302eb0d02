"""Speed of the date, number and fatality finders on real articles.

Reads the first N articles of a JSON Lines corpus (gzip or plain; default: SaudiNewsNet from
`../shared`), then times, in milliseconds per article, the baseline of preparing each document
(normalise, tokenise, segment: `Doc.from_raw`) and `find_dates`, `find_numbers` and
`find_fatalities` over the whole text, each alone and all three together, with the number of
mentions found.  Each figure is the best of `--repeat` runs (other work on the machine only ever
slows a run down).

    python benchmarks/bench_dates_numbers.py [--corpus PATH] [--limit 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rasad.doc import Doc
from rasad.extract.dates import find_dates
from rasad.extract.fatalities import find_fatalities
from rasad.extract.numbers import find_numbers
from rasad.pipeline import parse_published
from rasad.records import RawDocument

DEFAULT_CORPUS = (Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "corpora"
                  / "saudinewsnet" / "articles.jsonl.gz")


def read_corpus(path: Path, limit: int) -> Iterator[dict[str, Any]]:
    opener: Callable[..., Any] = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= limit:
                return
            yield json.loads(line)


def prepare(record: dict[str, Any]) -> Doc:
    raw = RawDocument(str(record["id"]), record["text"], record.get("title"),
                      record.get("published"))
    doc = Doc.from_raw(raw)
    doc.published = parse_published(raw.published)
    return doc


def run_all(doc: Doc) -> int:
    doc.dates = find_dates(doc)
    doc.numbers = find_numbers(doc)
    return len(doc.dates) + len(doc.numbers) + len(find_fatalities(doc))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    records = list(read_corpus(args.corpus, args.limit))
    docs = [prepare(r) for r in records]
    chars = sum(len(d.text) for d in docs)
    print(f"{len(docs)} articles, {chars / max(len(docs), 1):.0f} characters on average")
    best = min(_timed(lambda: [prepare(r) for r in records]) for _ in range(args.repeat))
    print(f"{'baseline: prepare':24s} {1000 * best / max(len(docs), 1):7.3f} ms/article")
    stages: list[tuple[str, Callable[[Doc], int]]] = [
        ("find_dates", lambda d: len(find_dates(d))),
        ("find_numbers", lambda d: len(find_numbers(d))),
        ("find_fatalities", lambda d: len(find_fatalities(d))),
        ("all three", run_all),
    ]
    for name, stage in stages:
        times = []
        for _ in range(args.repeat):
            for d in docs:
                d.dates, d.numbers = [], []
            start = time.perf_counter()
            found = sum(stage(d) for d in docs)
            times.append(time.perf_counter() - start)
        per_article = 1000 * min(times) / max(len(docs), 1)
        print(f"{name:24s} {per_article:7.3f} ms/article  {found:7d} mentions")


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
