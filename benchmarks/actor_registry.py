"""Time the actor registry: load and validate the YAML, fill a Lexicon, match a corpus sample.

    python benchmarks/actor_registry.py [CORPUS.jsonl.gz] [-n 1000]

Each figure is measured in this process, cold (first load) and then warm (cached); with a corpus
it also prints matches per article and the matching speed, against plain tokenisation as the
baseline.  Nothing here is asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections.abc import Iterator
from pathlib import Path

from rasad.extract.actors import load_registry
from rasad.text.lexicon import Lexicon, longest_matches
from rasad.text.normalize import normalize
from rasad.text.segment import tokenize


def _texts(path: Path, limit: int) -> Iterator[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for i, line in enumerate(lines):
            if i >= limit:
                return
            yield json.loads(line).get("text") or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("-n", type=int, default=1000, help="articles to match (default 1000)")
    args = parser.parse_args()

    start = time.perf_counter()
    registry = load_registry()
    cold = time.perf_counter() - start
    start = time.perf_counter()
    load_registry()
    warm = time.perf_counter() - start
    start = time.perf_counter()
    lexicon = Lexicon()
    registry.add_to_lexicon(lexicon)
    fill = time.perf_counter() - start
    named = sum(1 for e in registry.entries if not e.id.startswith(("military_", "police_")))
    print(f"actors: {len(registry.entries)} ({named} named, "
          f"{len(registry.entries) - named} state forces), generic templates: "
          f"{len(registry.generics)}, ambiguous aliases: {len(registry.ambiguities)}, "
          f"lexicon phrases: {len(lexicon)}")
    print(f"load_registry: cold {cold * 1000:.1f} ms, cached {warm * 1e6:.1f} µs; "
          f"add_to_lexicon: {fill * 1000:.1f} ms")
    if args.corpus is None:
        return
    texts = [normalize(t).text for t in _texts(args.corpus, args.n)]
    start = time.perf_counter()
    tokens = [tokenize(t) for t in texts]
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    found = sum(len(longest_matches(lexicon.match(toks, text)))
                for toks, text in zip(tokens, texts, strict=True))
    matching = time.perf_counter() - start
    print(f"{len(texts)} articles: tokenise {baseline:.2f} s (baseline), match {matching:.2f} s "
          f"({matching / baseline:.1f}x), {found / max(len(texts), 1):.1f} matches per article")


if __name__ == "__main__":
    main()
