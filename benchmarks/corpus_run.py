"""Robustness run: the whole pipeline over a corpus, counting crashes and checking every span.

Runs `Pipeline.process` on every document of a JSON Lines corpus (default: the 30,346 SaudiNewsNet
articles) and reports how many documents were processed, how many failed and with which codes
(E201 is a crash: the extractor raised), the events found, and whether every span of every record
slices its input exactly (contract §3).  Exits 1 on any crash or inexact span.

    python benchmarks/corpus_run.py ../shared/data/corpora/saudinewsnet/articles.jsonl.gz
    python benchmarks/corpus_run.py CORPUS -n 2000 --no-ner
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from pathlib import Path

from rasad.eval.spans import SpanTally
from rasad.io.readers import Failure, read_documents
from rasad.pipeline import Pipeline
from rasad.settings import Settings

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpora" / \
    "saudinewsnet" / "articles.jsonl.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("-n", "--limit", type=int, default=None, help="at most N documents")
    parser.add_argument("--no-ner", action="store_true", help="run without the NER model")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    settings = Settings(use_ner=not args.no_ner)
    pipeline = Pipeline(settings)
    codes: Counter[str] = Counter()
    spans = SpanTally()
    documents = events = 0
    started = time.perf_counter()
    for item in read_documents(args.corpus, settings):
        if args.limit is not None and documents + sum(codes.values()) >= args.limit:
            break
        if isinstance(item, Failure):
            codes[item.code] += 1
            continue
        record = pipeline.process(item)
        if "error" in record:
            codes[record["error"]["code"]] += 1
            if record["error"]["code"] == "E201":
                print(f"crash on {item.id}: {record['error']['message']}", file=sys.stderr)
            continue
        documents += 1
        events += len(record["events"])
        spans.add(item.id, record, item.text)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{documents:,} documents processed in {elapsed:.1f} s "
          f"({documents / elapsed:,.0f}/s, one process), peak RSS {peak_mb:,.0f} MB")
    print(f"failed documents by code: {dict(sorted(codes.items())) or 'none'}"
          f" — crashes (E201): {codes['E201']}")
    print(f"{events:,} events; {spans.spans:,} spans checked, {len(spans.problems)} inexact"
          f" (exactness {spans.exactness:.4%})")
    for doc_id, problem in spans.problems[:10]:
        print(f"  {doc_id}: {problem}")
    return 1 if codes["E201"] or spans.problems else 0


if __name__ == "__main__":
    sys.exit(main())
