"""How fast the packaged NER model loads and tags, on one core.

Loads the model in a fresh interpreter (cold load time: model file, clusters, word lists), then
tags the sentences of the first ``--articles`` SaudiNewsNet articles as the pipeline would
(rasad's normalised tokens, sentence by sentence), twice: the first pass starts with an empty
feature cache, the second reuses it.  Prints tokens per second including feature extraction;
the floor is 20,000 tokens/s and a 0.5 s load.

    python benchmarks/ner_speed.py --corpus ../shared/data/corpora/saudinewsnet/articles.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

from rasad.doc import Doc
from rasad.records import RawDocument

TOKENS_PER_SECOND_FLOOR = 20_000
LOAD_SECONDS_CEILING = 0.5
_LOAD = ("import time; t = time.perf_counter(); from rasad.ner import load_tagger; "
         "tagger = load_tagger(); assert tagger is not None; print(time.perf_counter() - t)")


def cold_load_seconds(repeats: int = 3) -> float:
    """Best of `repeats` cold loads (import of rasad.ner included), each in a new interpreter."""
    return min(float(subprocess.run([sys.executable, "-c", _LOAD], check=True,
                                    capture_output=True, text=True).stdout) for _ in range(repeats))


def sentences(corpus: Path, articles: int) -> list[list[str]]:
    out = []
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n >= articles:
                break
            record = json.loads(line)
            doc = Doc.from_raw(RawDocument(record["id"], record["text"]))
            for s in doc.sentences:
                words = [t.text for t in doc.tokens[s.first_token:s.last_token]]
                if words:
                    out.append(words)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path,
                        default=Path("../shared/data/corpora/saudinewsnet/articles.jsonl.gz"))
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args(argv)

    load = cold_load_seconds()
    print(f"cold load: {load:.3f} s (ceiling {LOAD_SECONDS_CEILING} s)")

    from rasad.ner.tagger import CrfTagger, data_dir

    batch = sentences(args.corpus, args.articles)
    tokens = sum(len(s) for s in batch)
    tagger = CrfTagger.from_dir(data_dir())
    for label in ("first pass (empty feature cache)", "second pass (warm cache)"):
        started = time.perf_counter()
        for words in batch:
            tagger.tag(words)
        elapsed = time.perf_counter() - started
        print(f"{label}: {tokens:,} tokens in {len(batch):,} sentences, {elapsed:.2f} s, "
              f"{tokens / elapsed:,.0f} tokens/s (floor {TOKENS_PER_SECOND_FLOOR:,})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
