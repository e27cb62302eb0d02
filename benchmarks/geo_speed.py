"""Geocoding speed on SaudiNewsNet: gazetteer load time and the time `locate` adds per article.

    python benchmarks/geo_speed.py [--articles 3000] [--repeat 3] [--corpus PATH] [--profile]

Prepares each article (normalise, tokenise, segment) outside the clock, then times
`geocoder.locate(doc)` alone over all articles `--repeat` times, and prints the load time, the
mean and 95th-percentile time per article of the first pass (cold caches, as a short batch sees
it) and of the fastest pass (least disturbed by other work on the machine: shared machines make
single timings noisy), the mean article length and the places found.  `--profile` prints the
functions that took the most time in one pass (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import pstats
import time
from pathlib import Path

from rasad.doc import Doc
from rasad.geo.geocoder import GazetteerGeocoder, load_geocoder
from rasad.records import RawDocument

CORPUS = Path("../shared/data/corpora/saudinewsnet/articles.jsonl.gz")


def timed_pass(geocoder: GazetteerGeocoder, docs: list[Doc]) -> tuple[list[float], int]:
    """Seconds `locate` took on each document, and the places it found."""
    times, places = [], 0
    for doc in docs:
        t0 = time.perf_counter()
        places += len(geocoder.locate(doc))
        times.append(time.perf_counter() - t0)
    return times, places


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    return (f"{sum(ordered) / len(ordered) * 1000:.3f} ms/article mean, "
            f"{ordered[int(len(ordered) * 0.95)] * 1000:.3f} ms p95")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    geocoder = load_geocoder()  # as the pipeline builds it (the toponym model included)
    load_s = time.perf_counter() - started
    docs = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            docs.append(Doc.from_raw(RawDocument(str(obj["id"]), obj["text"])))
            if len(docs) >= args.articles:
                break
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(timed_pass, geocoder, docs)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
        return
    passes = [timed_pass(geocoder, docs) for _ in range(max(1, args.repeat))]
    chars = sum(len(d.raw.text) for d in docs) / len(docs)
    print(f"gazetteer load: {load_s * 1000:.0f} ms ({len(geocoder.gazetteer):,} places)")
    print(f"{len(docs):,} articles, {chars:,.0f} chars on average, {passes[0][1]:,} places")
    print(f"locate, first pass: {summary(passes[0][0])}")
    print(f"locate, fastest of {len(passes)} passes: "
          f"{summary(min((p[0] for p in passes), key=sum))}; budget 1 ms")


if __name__ == "__main__":
    main()
