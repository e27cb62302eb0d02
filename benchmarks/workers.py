"""`rasad extract --workers 2` against `--workers 1`: wall time of the whole command.

    python benchmarks/workers.py ../shared/data/corpora/saudinewsnet/articles.jsonl.gz -n 3000
    python benchmarks/workers.py CORPUS -n 3000 --against ../main/src

Writes the first N non-blank lines of the corpus to a temporary file, then runs ``rasad extract
FILE --out OUT --quiet --workers W`` for each W of ``--workers`` (default 1 and 2), taking turns
``--repeat`` times so that a change in the machine's load touches every setting alike.  Each run
is the real command (start-up, resource loading in every worker, reading, writing), timed from
outside: wall seconds, the CPU seconds of the command and its worker processes, and the load
average when it started (other work on the machine slows every setting; compare runs side by
side).  It checks that every setting writes the same bytes, and prints each run, the median per
setting and its speed-up over one worker.  ``--against DIR`` also runs every setting with the
rasad package found under DIR (another checkout's ``src``), in the same turns.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from throughput import write_sample


def children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes of this one."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_extract(package: Path, source: Path, out: Path, workers: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``rasad extract`` run of the package under `package`."""
    command = [sys.executable, "-m", "rasad", "extract", str(source), "--out", str(out),
               "--quiet", "--workers", str(workers)]
    cpu, wall = children_cpu(), time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, "PYTHONPATH": str(package)})
    return time.perf_counter() - wall, children_cpu() - cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a .jsonl or .jsonl.gz corpus")
    parser.add_argument("-n", type=int, default=3000, help="documents (default 3000)")
    parser.add_argument("--workers", default="1,2", help="settings to compare (default 1,2)")
    parser.add_argument("--repeat", type=int, default=3, help="turns (default 3)")
    parser.add_argument("--against", type=Path,
                        help="also run the rasad package under this directory (a src folder)")
    args = parser.parse_args(argv)
    trees = [("this", Path(__file__).resolve().parents[1] / "src")] + (
        [("against", args.against.resolve())] if args.against else [])
    settings = [(tree, int(w)) for tree, _ in trees for w in args.workers.split(",")]
    packages = dict(trees)
    walls: dict[tuple[str, int], list[float]] = {s: [] for s in settings}
    with tempfile.TemporaryDirectory() as folder:
        source = write_sample(args.corpus, args.n, Path(folder) / "documents.jsonl")
        print(f"rasad extract on the first {args.n:,} documents of {args.corpus.name}, "
              f"{os.cpu_count()} CPUs")
        for name, package in trees:
            print(f"  {name}: {package}")
        print(f"{'turn':>4}{'tree':>9}{'workers':>9}{'wall s':>9}{'cpu s':>9}{'load':>7}")
        for turn in range(1, args.repeat + 1):
            for tree, workers in settings:
                out = Path(folder) / f"out-{tree}-{workers}.jsonl"
                load = os.getloadavg()[0]
                wall, cpu = run_extract(packages[tree], source, out, workers)
                walls[tree, workers].append(wall)
                print(f"{turn:>4}{tree:>9}{workers:>9}{wall:>9.2f}{cpu:>9.2f}{load:>7.2f}")
        outputs = [Path(folder) / f"out-{tree}-{w}.jsonl" for tree, w in settings]
        same = all(filecmp.cmp(outputs[0], o, shallow=False) for o in outputs[1:])
    for tree, _ in trees:
        base = statistics.median(walls[settings[0]])
        for key in [s for s in settings if s[0] == tree]:
            median = statistics.median(walls[key])
            print(f"{tree} --workers {key[1]}: median {median:.2f} s, "
                  f"{base / median:.2f}x the speed of this --workers {settings[0][1]}")
    print("outputs identical" if same else "OUTPUTS DIFFER")


if __name__ == "__main__":
    main()
