"""Incident resolution from scratch over a stored database (issue 13: the whole SaudiNewsNet corpus
in at most 2 minutes on one core, peak RSS at most 1 GB).

Reads every stored event of a database `rasad extract --db` wrote, resolves them
(`rasad.incidents.resolve`), and prints the time to read, to resolve and to write (`rebuild`), the
events and incidents, the compared pairs, and the peak RSS of the process.  With `--shuffle N` it
also resolves N shuffled copies of the input and checks that the incidents are the same.

    rasad extract ../shared/data/corpora/saudinewsnet/articles.jsonl.gz --db snn.db -o /dev/null
    python benchmarks/incidents.py snn.db
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

from rasad.incidents import resolve
from rasad.incidents.storage import rebuild, stored_reports
from rasad.io.store import Store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--shuffle", type=int, default=0, metavar="N",
                        help="also resolve N shuffled copies and compare")
    args = parser.parse_args(argv)
    store = Store(args.db, create=False)
    start = time.process_time()
    reports = [report for report, _ in stored_reports(store)]
    read = time.process_time() - start
    start = time.process_time()
    incidents = resolve(reports)
    resolved = time.process_time() - start
    multi = sum(1 for i in incidents if i.reports > 1)
    print(f"{len(reports)} events → {len(incidents)} incidents ({multi} with several reports); "
          f"read {read:.1f} s, resolve {resolved:.1f} s CPU")
    expected = [i.to_dict() for i in incidents]
    for n in range(args.shuffle):
        shuffled = reports[:]
        random.Random(n).shuffle(shuffled)
        same = [i.to_dict() for i in resolve(shuffled)] == expected
        print(f"shuffle {n}: {'same incidents' if same else 'DIFFERENT incidents'}")
        if not same:
            return 1
    store.db.close()
    writer = Store(args.db)
    start = time.process_time()
    rebuild(writer)
    writer.close()
    print(f"rebuild (read, resolve, write) {time.process_time() - start:.1f} s CPU")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
