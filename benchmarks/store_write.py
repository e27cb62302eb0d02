"""Writing to the store: documents per second of `add_document` + `close`, SQLite (and PostgreSQL).

    python benchmarks/store_write.py ../shared/data/corpora/saudinewsnet/articles.jsonl.gz -n 2000
    python benchmarks/store_write.py CORPUS -n 2000 --against ../main/src
    python benchmarks/store_write.py CORPUS -n 2000 --postgres postgresql://rasad:rasad@localhost/db

Extracts the first N non-blank documents of the corpus once (``--no-ner``, with this checkout's
code; the records are only what is written), then, in a fresh interpreter per pass, writes them
all to a new database with ``Store(db)`` (the call `rasad extract --db` makes, which every
version of rasad has) and closes it: the wall and CPU seconds of that alone, without
extraction (CPU time is the steadier figure on a loaded machine; it leaves out PostgreSQL's
server process).
``--against DIR`` also runs the rasad package under DIR (another checkout's ``src``) on SQLite,
taking turns ``--repeat`` times, so that the machine's load touches both alike; compare the
median ratio, not the documents per second.  ``--postgres URL`` adds a pass of this checkout
into PostgreSQL (the tables are dropped from the URL's current schema first: use a scratch
database or schema).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from throughput import corpus_lines

PASS = """
import json, sys, time
import sqlite_utils  # imported by every version, before the clock starts
from rasad.io.store import Store
from rasad.records import RawDocument
items = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
started, cpu = time.perf_counter(), time.process_time()
store = Store(sys.argv[2])
for raw, record in items:
    store.add_document(RawDocument(**raw), record)
store.close()
print(time.perf_counter() - started, time.process_time() - cpu)
"""
DROP = "drop table if exists events, places, failures, incidents, documents cascade"


def prepare(corpus: Path, n: int, folder: Path) -> Path:
    """(raw document fields, record) of the first `n` documents, as JSON Lines."""
    from rasad.io.readers import document_from_object
    from rasad.pipeline import Pipeline
    from rasad.records import RawDocument
    from rasad.settings import Settings

    settings = Settings.load(use_ner=False)
    pipeline = Pipeline(settings)
    path = folder / "items.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for lineno, line in enumerate(corpus_lines(corpus, n), 1):
            raw = document_from_object(json.loads(line), f"{corpus}:{lineno}", settings,
                                       str(corpus))
            if isinstance(raw, RawDocument):
                record = pipeline.process(raw)
                if "error" not in record:
                    fields = {"id": raw.id, "text": raw.text, "title": raw.title,
                              "source": raw.source, "url": raw.url}
                    out.write(json.dumps([fields, record], ensure_ascii=False) + "\n")
    return path


def run_pass(package: Path, items: Path, db: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of writing the items to `db`."""
    result = subprocess.run([sys.executable, "-c", PASS, str(items), db], check=True,
                            capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(package)})
    wall, cpu = result.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a .jsonl or .jsonl.gz corpus")
    parser.add_argument("-n", type=int, default=2000, help="documents (default 2000)")
    parser.add_argument("--repeat", type=int, default=5, help="turns (default 5)")
    parser.add_argument("--against", type=Path, help="also run the rasad package under this "
                        "directory (a src folder) on SQLite")
    parser.add_argument("--postgres", metavar="URL", help="also write into this PostgreSQL "
                        "database (its rasad tables are dropped first)")
    args = parser.parse_args(argv)
    this = Path(__file__).resolve().parents[1] / "src"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        items = prepare(args.corpus, args.n, folder)
        count = sum(1 for _ in items.open(encoding="utf-8"))
        print(f"{count} documents extracted (no NER); writing them, {args.repeat} turns")
        times: dict[str, list[tuple[float, float]]] = {}
        for turn in range(args.repeat):
            passes = [("this sqlite", this, str(folder / f"this{turn}.db"))]
            if args.against:
                passes.append(("against sqlite", args.against.resolve(),
                               str(folder / f"against{turn}.db")))
            if args.postgres:
                import psycopg

                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    conn.execute(DROP)
                passes.append(("this postgres", this, args.postgres))
            for name, package, db in passes[turn % 2:] + passes[:turn % 2]:
                wall, cpu = run_pass(package, items, db)
                times.setdefault(name, []).append((wall, cpu))
                print(f"turn {turn + 1} {name:15} {wall:6.2f} s ({cpu:6.2f} s CPU)  "
                      f"{count / wall:5.0f} docs/s")
        for name, values in times.items():
            wall = statistics.median(w for w, _ in values)
            cpu = statistics.median(c for _, c in values)
            print(f"median {name:15} {wall:6.2f} s ({cpu:6.2f} s CPU)  {count / wall:5.0f} docs/s")
        if args.against:
            for i, what in ((0, "wall"), (1, "CPU")):
                ratios = [a[i] / b[i] for a, b in zip(times["against sqlite"],
                                                      times["this sqlite"], strict=True)]
                print(f"this / against speed ({what} time), median of the turns: "
                      f"{statistics.median(ratios):.3f} "
                      f"(range {min(ratios):.3f}–{max(ratios):.3f})")


if __name__ == "__main__":
    main()
