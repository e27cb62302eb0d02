"""How fast the packaged NER model loads and tags, on one core.

Loads the model in a fresh interpreter (cold load time: model file, clusters, word lists), then
tags the sentences of the first ``--articles`` SaudiNewsNet articles as the pipeline would
(rasad's normalised tokens, sentence by sentence), twice: the first pass starts with an empty
feature cache, the second reuses it.  Prints tokens per second including feature extraction
(the floor is 20,000 tokens/s and a 0.5 s load), then documents per second for preparing a `Doc`
(normalise, tokenise, segment) with and without `tag_doc` over all of its sentences.

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


def read_articles(corpus: Path, articles: int) -> list[RawDocument]:
    out = []
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n >= articles:
                break
            record = json.loads(line)
            out.append(RawDocument(record["id"], record["text"]))
    return out


def sentences(docs: list[Doc]) -> list[list[str]]:
    """The words of every sentence, as the pipeline's tokenizer gives them."""
    return [[t.text for t in doc.tokens[s.first_token:s.last_token]]
            for doc in docs for s in doc.sentences if s.last_token > s.first_token]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path,
                        default=Path("../shared/data/corpora/saudinewsnet/articles.jsonl.gz"))
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args(argv)

    load = cold_load_seconds()
    print(f"cold load: {load:.3f} s (ceiling {LOAD_SECONDS_CEILING} s)")

    from rasad.ner.tagger import CrfTagger, data_dir, tag_doc

    raws = read_articles(args.corpus, args.articles)
    docs = [Doc.from_raw(raw) for raw in raws]
    batch = sentences(docs)
    tokens = sum(len(s) for s in batch)
    tagger = CrfTagger.from_dir(data_dir())
    for label in ("first pass (empty feature cache)", "second pass (warm cache)"):
        started = time.perf_counter()
        for words in batch:
            tagger.tag(words)
        elapsed = time.perf_counter() - started
        print(f"{label}: {tokens:,} tokens in {len(batch):,} sentences, {elapsed:.2f} s, "
              f"{tokens / elapsed:,.0f} tokens/s (floor {TOKENS_PER_SECOND_FLOOR:,})")

    # Documents as the pipeline would see them, with NER on every sentence (the pipeline runs
    # it on event sentences only): preparing the Doc alone, then with tag_doc.
    tagger = CrfTagger.from_dir(data_dir())
    started = time.perf_counter()
    for raw in raws:
        Doc.from_raw(raw)
    prepare = time.perf_counter() - started
    started = time.perf_counter()
    entities = 0
    for raw in raws:
        doc = Doc.from_raw(raw)
        entities += len(tag_doc(doc, tagger, range(len(doc.sentences))))
    with_ner = time.perf_counter() - started
    print(f"documents: {len(raws):,}; prepare only {len(raws) / prepare:,.0f} docs/s; "
          f"prepare + NER on every sentence {len(raws) / with_ner:,.0f} docs/s "
          f"({entities:,} entities)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
