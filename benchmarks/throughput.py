"""Throughput of the full pipeline against a read-and-normalise baseline, on one core.

    python benchmarks/throughput.py ../shared/data/corpora/saudinewsnet/articles.jsonl.gz -n 1000

Runs two passes over the same first N documents of a JSON Lines corpus (``.jsonl`` or
``.jsonl.gz``), each in its own single-process subprocess so that its peak RSS is its own:

- baseline: read the lines, decode the JSON, normalise the text (`rasad.text.normalize`);
- pipeline: read, decode, validate the document and run `Pipeline.process` (the same call as
  ``rasad extract``), after one warm-up document that loads the resources (timed apart).

It prints documents/s (one process = one core), characters/s, the ratio of the pipeline's time to
the baseline's, and each pass's peak RSS.  ``--profile`` adds a third, cProfile'd pipeline pass
(its timings are not used) and prints the ten functions with the most own time.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import pstats
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


def corpus_lines(path: Path, n: int) -> Iterator[bytes]:
    """The first `n` non-blank lines of a .jsonl or .jsonl.gz file."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as stream:
        count = 0
        for line in stream:
            if not line.strip():
                continue
            yield line
            count += 1
            if count >= n:
                return


def write_sample(corpus: Path, n: int, target: Path) -> Path:
    """Write the first `n` non-blank lines of `corpus` to `target` (JSON Lines); returns it."""
    with target.open("wb") as stream:
        for line in corpus_lines(corpus, n):
            stream.write(line.rstrip(b"\n") + b"\n")
    return target


def peak_rss_mb() -> float:
    """Peak resident set size of this process (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline_pass(path: Path, n: int) -> dict[str, Any]:
    from rasad.text.normalize import normalize

    documents = chars = 0
    started = time.perf_counter()
    for line in corpus_lines(path, n):
        obj = json.loads(line)
        text = obj.get("text") or ""
        normalize(text)
        documents += 1
        chars += len(text)
    seconds = time.perf_counter() - started
    return {"documents": documents, "chars": chars, "seconds": seconds,
            "peak_rss_mb": peak_rss_mb()}


def pipeline_pass(path: Path, n: int, use_ner: bool, profile: IO[str] | None = None
                  ) -> dict[str, Any]:
    from rasad.io.readers import Failure, document_from_object
    from rasad.pipeline import get_pipeline
    from rasad.records import RawDocument
    from rasad.settings import Settings

    settings = Settings(use_ner=use_ner)
    loading = time.perf_counter()
    pipeline = get_pipeline(settings)
    pipeline.process(RawDocument("warm-up", "قتل ثلاثة أشخاص في انفجار عبوة ناسفة في بغداد أمس."))
    load_seconds = time.perf_counter() - loading
    documents = chars = failures = events = 0
    profiler = cProfile.Profile() if profile is not None else None
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    for lineno, line in enumerate(corpus_lines(path, n), start=1):
        raw = document_from_object(json.loads(line), f"{path}:{lineno}", settings, str(path))
        documents += 1
        if isinstance(raw, Failure):
            failures += 1
            continue
        chars += len(raw.text)
        record = pipeline.process(raw)
        if "error" in record:
            failures += 1
        else:
            events += len(record["events"])
    if profiler is not None:
        profiler.disable()
    seconds = time.perf_counter() - started
    if profiler is not None and profile is not None:
        stats = pstats.Stats(profiler, stream=profile)
        stats.sort_stats("tottime").print_stats(10)
    return {"documents": documents, "chars": chars, "seconds": seconds,
            "peak_rss_mb": peak_rss_mb(), "load_seconds": load_seconds,
            "failures": failures, "events": events}


def run_worker(args: argparse.Namespace) -> None:
    """One pass in this process; its figures as one JSON line on stdout."""
    if args.worker == "baseline":
        figures = baseline_pass(args.corpus, args.n)
    elif args.worker == "pipeline":
        figures = pipeline_pass(args.corpus, args.n, not args.no_ner)
    else:
        report = io.StringIO()
        pipeline_pass(args.corpus, args.n, not args.no_ner, profile=report)
        figures = {"profile": report.getvalue()}
    print(json.dumps(figures))


def run_pass(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one pass in a fresh interpreter and read back its figures."""
    command = [sys.executable, str(Path(__file__).resolve()), str(args.corpus), "-n",
               str(args.n), "--worker", name] + (["--no-ner"] if args.no_ner else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"the {name} pass failed:\n{done.stderr}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a .jsonl or .jsonl.gz corpus")
    parser.add_argument("-n", type=int, default=1000, help="documents to run (default 1000)")
    parser.add_argument("--profile", action="store_true",
                        help="also print the ten hottest functions of a profiled pipeline pass")
    parser.add_argument("--no-ner", action="store_true", help="run the pipeline without NER")
    parser.add_argument("--worker", choices=("baseline", "pipeline", "profile"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        sys.exit(f"corpus not found: {args.corpus}")
    if args.worker:
        run_worker(args)
        return
    baseline = run_pass("baseline", args)
    pipeline = run_pass("pipeline", args)
    print(f"rasad throughput: {pipeline['documents']:,} documents of {args.corpus.name} "
          f"({pipeline['chars']:,} characters), one process (one core), "
          f"NER {'off' if args.no_ner else 'on'}")
    print(f"{'pass':<10}{'articles/s':>12}{'chars/s':>14}{'seconds':>10}{'peak RSS':>12}")
    for name, figures in (("baseline", baseline), ("pipeline", pipeline)):
        rate = figures["documents"] / figures["seconds"] if figures["seconds"] else 0.0
        char_rate = figures["chars"] / figures["seconds"] if figures["seconds"] else 0.0
        print(f"{name:<10}{rate:>12,.1f}{char_rate:>14,.0f}{figures['seconds']:>10.2f}"
              f"{figures['peak_rss_mb']:>9,.0f} MB")
    ratio = pipeline["seconds"] / baseline["seconds"] if baseline["seconds"] else float("inf")
    print(f"pipeline / baseline time: {ratio:.1f}x (reading, decoding and normalising = 1x)")
    print(f"resources loaded in {pipeline['load_seconds']:.2f} s (not in the timings); "
          f"{pipeline['events']:,} events, {pipeline['failures']:,} failed documents")
    if args.profile:
        print("\nten hottest functions (own time, profiled pipeline pass):")
        print(run_pass("profile", args)["profile"])


if __name__ == "__main__":
    main()
