"""Geocoding speed on SaudiNewsNet: gazetteer load time and the time `locate` adds per article.

    python benchmarks/geo_speed.py [--articles 2000] [--corpus PATH]

Prepares each article (normalise, tokenise, segment) outside the clock, then times
`geocoder.locate(doc)` alone, and prints the load time, the mean and 95th-percentile time per
article, the mean article length and the places found.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from rasad.doc import Doc
from rasad.geo.gazetteer import load_gazetteer
from rasad.geo.geocoder import GazetteerGeocoder
from rasad.records import RawDocument

CORPUS = Path("../shared/data/corpora/saudinewsnet/articles.jsonl.gz")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    started = time.perf_counter()
    geocoder = GazetteerGeocoder(load_gazetteer())
    load_s = time.perf_counter() - started
    docs = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            docs.append(Doc.from_raw(RawDocument(str(obj["id"]), obj["text"])))
            if len(docs) >= args.articles:
                break
    times, places = [], 0
    for doc in docs:
        t0 = time.perf_counter()
        places += len(geocoder.locate(doc))
        times.append(time.perf_counter() - t0)
    times.sort()
    chars = sum(len(d.raw.text) for d in docs) / len(docs)
    print(f"gazetteer load: {load_s * 1000:.0f} ms ({len(geocoder.gazetteer):,} places)")
    print(f"{len(docs):,} articles, {chars:,.0f} chars on average, {places:,} places")
    print(f"locate: {sum(times) / len(times) * 1000:.3f} ms/article mean, "
          f"{times[int(len(times) * 0.95)] * 1000:.3f} ms p95, budget 1 ms")


if __name__ == "__main__":
    main()
