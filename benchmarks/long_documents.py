"""Time per character on long documents: a paragraph repeated, and articles concatenated.

    python benchmarks/long_documents.py
    python benchmarks/long_documents.py --against ../main/src --timeout 120

Builds two kinds of long document, each at every size of ``--sizes`` (characters):

- repeated: the paragraph of the dev articles (``data/gold/articles_dev.jsonl``) that holds the
  most gold Battles evidence, repeated with a blank line between copies: a digest page or a
  hostile input, where every copy reports the same events;
- concatenated: the SaudiNewsNet articles in corpus order, joined by blank lines.

Each (kind, size) runs in a fresh interpreter (so no cache of one run helps the next), which
loads the resources and processes 100,000 characters of other articles (corpus articles from
the 5,000th on: the state of a worker some way into a batch, with the caches of common words
filled, so that a short document does not pay for filling them), then times `Pipeline.process`
on the long document: CPU seconds of the process (what the code costs, whatever else loads the
machine) and wall seconds; ``--repeat N`` runs each N times and keeps the least CPU.  It prints
both, microseconds of CPU per character, and per kind how far apart the largest and smallest
time per character are (1.0: perfectly linear).  ``--against DIR`` runs the same documents with
the rasad package found under DIR (another checkout's ``src``) in the same run and prints the
ratio; a run over ``--timeout`` seconds is stopped and the larger sizes of that kind are skipped
for that tree.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV = SHARED / "data/gold/articles_dev.jsonl"
CORPUS = SHARED / "data/corpora/saudinewsnet/articles.jsonl.gz"
SIZES = (50_000, 100_000, 200_000, 400_000, 800_000, 1_600_000, 2_000_000)
WARM_UP_FROM, WARM_UP_CHARS = 5_000, 100_000
KINDS = ("repeated", "concatenated")


def clash_paragraph(dev: Path) -> tuple[str, str | None]:
    """The dev paragraph holding the most gold Battles evidence, and its article's date."""
    best: tuple[int, str, str | None] = (-1, "", None)
    with dev.open(encoding="utf-8") as stream:
        for line in stream:
            article = json.loads(line)
            evidence = [e.get("evidence") or "" for e in article["gold"]["events"]
                        if e.get("event_type") == "Battles"]
            for paragraph in article["text"].split("\n"):
                count = sum(1 for e in evidence if e and e in paragraph)
                if count > best[0]:
                    best = (count, paragraph, article.get("published"))
    return best[1], best[2]


def corpus_texts(corpus: Path) -> Iterator[tuple[str, str | None]]:
    """(text, published) of the corpus's non-empty articles, in order."""
    with gzip.open(corpus, "rt", encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                article = json.loads(line)
                if (article.get("text") or "").strip():
                    yield article["text"], article.get("published")


def warm_up_texts() -> Iterator[str]:
    """About `WARM_UP_CHARS` characters of articles that no measured document holds."""
    length = 0
    for k, (text, _) in enumerate(corpus_texts(CORPUS)):
        if k >= WARM_UP_FROM:
            yield text
            length += len(text)
            if length >= WARM_UP_CHARS:
                return


def long_document(kind: str, size: int) -> tuple[str, str | None]:
    """The `kind` document of `size` characters (cut at that length) and its published date."""
    if kind == "repeated":
        paragraph, published = clash_paragraph(DEV)
        copies = size // (len(paragraph) + 2) + 1
        return "\n\n".join([paragraph] * copies)[:size], published
    parts: list[str] = []
    published: str | None = None
    length = 0
    for text, date in corpus_texts(CORPUS):
        published = published or date
        parts.append(text)
        length += len(text) + 2
        if length >= size:
            break
    return "\n\n".join(parts)[:size], published


def run_worker(kind: str, size: int, use_ner: bool) -> dict[str, Any]:
    """Time one long document in this process."""
    import rasad
    from rasad.pipeline import get_pipeline
    from rasad.records import RawDocument
    from rasad.settings import Settings

    text, published = long_document(kind, size)
    pipeline = get_pipeline(Settings(use_ner=use_ner))
    for k, warm_up in enumerate(warm_up_texts()):
        pipeline.process(RawDocument(f"warm-up-{k}", warm_up))
    cpu, wall = time.process_time(), time.perf_counter()
    record = pipeline.process(RawDocument(f"{kind}-{size}", text, published=published))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"chars": len(text), "cpu": cpu, "wall": wall, "events": len(record.get("events", [])),
            "error": record.get("error"), "package": str(Path(rasad.__file__).parent)}


def run_pass(source: Path, kind: str, size: int, args: argparse.Namespace
             ) -> dict[str, Any] | None:
    """The run of least CPU of `--repeat` runs of (kind, size); None on a timeout."""
    runs = [run_once(source, kind, size, args) for _ in range(args.repeat)]
    done = [r for r in runs if r is not None]
    return min(done, key=lambda r: float(r["cpu"])) if len(done) == len(runs) else None


def run_once(source: Path, kind: str, size: int, args: argparse.Namespace
             ) -> dict[str, Any] | None:
    """One (kind, size) in a fresh interpreter importing rasad from `source`; None on timeout."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(size)] + (
        ["--no-ner"] if args.no_ner else [])
    env = {**os.environ, "PYTHONPATH": str(source)}
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=env,
                              timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode == 0:
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))
    sys.exit(f"the {kind} {size:,} run failed:\n{done.stderr}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES),
                        help="document sizes in characters, comma-separated")
    parser.add_argument("--kinds", default=",".join(KINDS), help="repeated, concatenated")
    parser.add_argument("--against", type=Path,
                        help="also run the rasad package under this directory (a src folder)")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds after which a run is stopped (default 300)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each document, keeping the least CPU (default 1)")
    parser.add_argument("--no-ner", action="store_true", help="run the pipeline without NER")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(run_worker(args.worker[0], int(args.worker[1]), not args.no_ner)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    trees = [("this", ROOT / "src")] + ([("against", args.against.resolve())]
                                        if args.against else [])
    print(f"rasad long documents: NER {'off' if args.no_ner else 'on'}, one process per run; "
          f"cpu = CPU seconds of the process, us/char = microseconds of CPU per character")
    for name, source in trees:
        print(f"  {name}: {source}")
    header = f"{'kind':<14}{'chars':>11}{'events':>8}{'cpu s':>9}{'wall s':>9}{'us/char':>9}"
    if args.against:
        header += f"{'against cpu s':>15}{'us/char':>9}{'ratio':>8}"
    for kind in args.kinds.split(","):
        print(header)
        per_char: dict[str, list[float]] = {name: [] for name, _ in trees}
        stopped: set[str] = set()
        for size in sizes:
            row: dict[str, dict[str, Any] | None] = {}
            for name, source in trees:
                row[name] = None if name in stopped else run_pass(source, kind, size, args)
                if row[name] is None:
                    stopped.add(name)
            mine = row["this"]
            if mine is None:
                print(f"{kind:<14}{size:>11,}   over {args.timeout:.0f} s")
                continue
            rate = mine["cpu"] / mine["chars"] * 1e6
            per_char["this"].append(rate)
            line = (f"{kind:<14}{mine['chars']:>11,}{mine['events']:>8}{mine['cpu']:>9.2f}"
                    f"{mine['wall']:>9.2f}{rate:>9.2f}")
            other = row.get("against")
            if other is not None:
                other_rate = other["cpu"] / other["chars"] * 1e6
                per_char["against"].append(other_rate)
                line += (f"{other['cpu']:>15.2f}{other_rate:>9.2f}"
                         f"{other['cpu'] / mine['cpu']:>7.1f}x")
            elif args.against:
                line += f"{'over ' + str(int(args.timeout)) + ' s':>15}"
            print(line)
        for name, rates in per_char.items():
            if rates:
                print(f"{kind} ({name}): largest / smallest time per character "
                      f"{max(rates) / min(rates):.2f}")
        print()


if __name__ == "__main__":
    main()
