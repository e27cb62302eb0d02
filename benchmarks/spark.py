"""The Spark job on one core and on two (``local[1]``, ``local[2]``), with `rasad extract` for
reference, in the same run, and whether they find the same events.

    python benchmarks/spark.py ../shared/data/corpora/saudinewsnet/articles.jsonl.gz -n 5000
    python benchmarks/spark.py CORPUS -n 5000 --repeat 2 --masters 'local[1],local[2]'
    python benchmarks/spark.py CORPUS -n 5000 --repeat 3 --pin

Unpinned, ``local[1]`` runs one Python worker but its JVM (reading, Arrow, the writer, the
garbage collector and the JIT compiler) still uses the machine's other cores; on a two-core
machine that borrowed core is the one ``local[2]`` has to share with its second worker, so the
speed-up understates what a second core gives.  ``--pin`` runs each setting on as many CPUs as
it asks for (``local[N]``: the first N CPUs, for the whole process tree; ``rasad extract``:
one), which is what "one core" and "two cores" mean on a cluster's executors.

Writes the first N non-blank lines of the corpus to a temporary JSON Lines file, then, taking
turns ``--repeat`` times (so that a change in the machine's load touches every setting alike):

- ``rasad extract FILE --out OUT --quiet`` (one process: the CLI's figure on one core);
- for each master, the Spark job (`rasad.spark.job.run_job`) in a fresh interpreter (its own JVM
  and Python workers), which reports the wall seconds of its session start and of each phase
  (read, extract, write).

Per run it prints documents/s over the whole run (what a user waits for: start-up, reading,
writing) and over the extract phase alone (what more cores divide), with the load average when
the run started; then the median per setting, the speed-up of each master over the first, and
whether every run found the CLI's events (the events' JSON, sorted, byte for byte).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from throughput import write_sample


def child(master: str, source: Path, output: Path) -> None:
    """One Spark run, in this interpreter: prints its timings and counts as one JSON line."""
    from rasad.settings import Settings
    from rasad.spark.job import run_job, session

    started = time.perf_counter()
    spark = session(master, app_name="rasad-benchmark")
    start_s = time.perf_counter() - started
    result = run_job(spark, source, str(output), Settings(), overwrite=True)
    total_s = time.perf_counter() - started
    spark.stop()
    print(json.dumps({"start_s": start_s, "total_s": total_s, "phases": result.seconds,
                      "documents": result.summary.documents, "events": result.summary.events,
                      "partitions": result.partitions}))


def spark_events(output: Path) -> list[str]:
    """The events' JSON of a Spark run's events table, sorted."""
    import pyarrow.parquet as pq

    return sorted(pq.read_table(output / "events", columns=["record"])
                  .column("record").to_pylist())


def cli_events(path: Path) -> list[str]:
    """The events' JSON of `rasad extract`'s output, sorted."""
    events = []
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            events.extend(json.dumps(e, ensure_ascii=False) for e in record.get("events", []))
    return sorted(events)


def master_cores(master: str) -> int:
    """The cores a local master asks for: ``local`` 1, ``local[N]`` N, ``local[*]`` all."""
    match = re.fullmatch(r"local(?:\[(\d+|\*)\])?", master)
    if match is None:
        raise SystemExit(f"--pin needs local masters, not {master!r}")
    count = match.group(1) or "1"
    return (os.cpu_count() or 1) if count == "*" else int(count)


def pinned(cores: int | None) -> Callable[[], None] | None:
    """A pre-exec hook that keeps a child and everything it starts (the JVM, the Python
    workers) on the first `cores` CPUs; None leaves the child free to use every CPU."""
    if cores is None:
        return None
    allowed = sorted(os.sched_getaffinity(0))[:cores]
    if len(allowed) < cores:
        raise SystemExit(f"--pin: {cores} cores asked for, {len(allowed)} available")
    return lambda: os.sched_setaffinity(0, allowed)


def run_spark(master: str, source: Path, output: Path, cores: int | None = None
              ) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", master, str(source), str(output)]
    done = subprocess.run(command, check=True, capture_output=True, text=True,
                          preexec_fn=pinned(cores))
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run_cli(source: Path, output: Path, cores: int | None = None) -> float:
    command = [sys.executable, "-m", "rasad", "extract", str(source), "--out", str(output),
               "--quiet"]
    started = time.perf_counter()
    subprocess.run(command, check=True, preexec_fn=pinned(cores))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a .jsonl or .jsonl.gz corpus")
    parser.add_argument("output", type=Path, nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("-n", type=int, default=5000, help="documents (default 5000)")
    parser.add_argument("--masters", default="local[1],local[2]",
                        help="Spark masters to compare (default local[1],local[2])")
    parser.add_argument("--repeat", type=int, default=1, help="turns (default 1)")
    parser.add_argument("--no-cli", action="store_true", help="leave out rasad extract")
    parser.add_argument("--pin", action="store_true",
                        help="run each setting on as many CPUs as it asks for (local[N]: the "
                             "first N CPUs, its JVM included; rasad extract: one), so that the "
                             "one-core run cannot borrow the second core for its JVM")
    parser.add_argument("--child", metavar="MASTER", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.corpus, args.output)
        return
    masters = args.masters.split(",")
    settings = ([] if args.no_cli else ["cli"]) + masters
    runs: dict[str, list[dict[str, Any]]] = {s: [] for s in settings}
    same = True
    with tempfile.TemporaryDirectory() as folder:
        source = write_sample(args.corpus, args.n, Path(folder) / "documents.jsonl")
        print(f"{args.n:,} documents of {args.corpus.name}, {os.cpu_count()} CPUs; "
              f"load average {os.getloadavg()[0]:.2f} at the start"
              + ("; each setting pinned to the CPUs it asks for" if args.pin else ""))
        print(f"{'turn':>4} {'setting':>9} {'load':>5} {'total s':>8} {'docs/s':>7} "
              f"{'start s':>8} {'read s':>7} {'extract s':>9} {'docs/s':>7} {'write s':>8}")
        reference: list[str] | None = None
        for turn in range(1, args.repeat + 1):
            for setting in settings:
                load = os.getloadavg()[0]
                if setting == "cli":
                    out = Path(folder) / "cli.jsonl"
                    wall = run_cli(source, out, 1 if args.pin else None)
                    reference = cli_events(out)
                    run = {"total_s": wall, "load": load}
                    print(f"{turn:>4} {setting:>9} {load:>5.2f} {wall:>8.1f} "
                          f"{args.n / wall:>7.1f}")
                else:
                    out = Path(folder) / f"spark-{setting}"
                    cores = master_cores(setting) if args.pin else None
                    run = {**run_spark(setting, source, out, cores), "load": load}
                    phases = run["phases"]
                    print(f"{turn:>4} {setting:>9} {load:>5.2f} {run['total_s']:>8.1f} "
                          f"{args.n / run['total_s']:>7.1f} {run['start_s']:>8.1f} "
                          f"{phases['read']:>7.1f} {phases['extract']:>9.1f} "
                          f"{args.n / phases['extract']:>7.1f} {phases['write']:>8.1f}")
                    if reference is not None:
                        same = same and spark_events(out) == reference
                runs[setting].append(run)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    first = masters[0]
    base_total = statistics.median(r["total_s"] for r in runs[first])
    base_extract = statistics.median(r["phases"]["extract"] for r in runs[first])
    for setting in settings:
        total = statistics.median(r["total_s"] for r in runs[setting])
        line = f"{setting}: median {total:.1f} s, {args.n / total:.1f} docs/s"
        if setting != "cli":
            extract = statistics.median(r["phases"]["extract"] for r in runs[setting])
            line += (f"; extract {extract:.1f} s, {args.n / extract:.1f} docs/s; "
                     f"{base_total / total:.2f}x {first} overall, "
                     f"{base_extract / extract:.2f}x in the extract phase")
        print(line)
    if not args.no_cli:
        print("events identical to rasad extract in every Spark run" if same
              else "EVENTS DIFFER from rasad extract")


if __name__ == "__main__":
    main()
