"""Latency of `rasad serve` under 50 concurrent clients on 127.0.0.1 (issue 14: p95 at most
100 ms for filtered event queries and 300 ms for full-text queries, on a database of the whole
SaudiNewsNet corpus; the page renders 10,000 events in at most 2 s).

Starts ``rasad serve --db DB`` on a free port, then runs three phases of `--seconds` each, every
one with `--clients` threads that each keep one HTTP connection open and send requests back to
back: `baseline` (a static file: the server's floor, measured in the same run), `filtered`
(``/api/events`` with filters: country, type, dates, bbox, admin1, actor, modality, sorted and
paged) and `fulltext` (``/api/events?q=…`` over the evidence, and ``q_in=document``).  It prints
per phase the requests, errors (any status but 200), requests/s and the p50, p95, p99 and max
latency.  With `--page` it also times the page in headless Chromium (load until every incident is
drawn on the map; needs chromium and chromedriver), over `--page-runs` loads.

    rasad extract ../shared/data/corpora/saudinewsnet/articles.jsonl.gz --db snn.db -o /dev/null
    rasad incidents --db snn.db
    python benchmarks/api.py snn.db [--clients 50] [--seconds 20] [--limit 100] [--page]

The load comes from the same machine (Python threads: they share its cores with the server).
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from web_helpers import browser_missing, chromium, open_page, serve

FILTERED = [
    {"country": "SY"}, {"country": "IQ", "type": "Explosions/Remote violence"},
    {"country": "YE", "type": "Battles"}, {"date_from": "2015-01-01", "date_to": "2015-03-31"},
    {"bbox": "35,32,42,37"}, {"admin1": "Baghdad"}, {"actor": "Islamic State"},
    {"modality": "asserted", "country": "SA"}, {"type": "Air/drone strike", "sort": "-fatalities"},
    {"country": "SY", "date_from": "2014-06-01", "offset": 100},
    {"type": "Protests", "sort": "date"}, {"no_background": "true", "country": "EG"},
]
FULLTEXT = [
    {"q": "داعش"}, {"q": "انفجار"}, {"q": "قتل"}, {"q": "اشتباكات"}, {"q": "غارة"},
    {"q": "الحوثيين"}, {"q": "قوات النظام"}, {"q": "سيارة مفخخة"}, {"q": "حلب OR إدلب"},
    {"q": "تفجير", "country": "IQ"}, {"q": "الرياض", "q_in": "document"},
    {"q": "مظاهرة", "q_in": "document"},
]


def phase(host: str, port: int, paths: list[str], clients: int, seconds: float
          ) -> tuple[list[float], int]:
    """Latencies (s) of every request `clients` threads sent in `seconds`, and the errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        mine: list[float] = []
        bad = 0
        i = offset
        while time.monotonic() < deadline:
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
            mine.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def report(name: str, latencies: list[float], errors: int, seconds: float) -> None:
    ms = sorted(x * 1000 for x in latencies)
    if not ms:
        print(f"{name:9s} no requests")
        return
    cuts = statistics.quantiles(ms, n=100)
    print(f"{name:9s} {len(ms):6d} requests  {errors} errors  {len(ms) / seconds:7.1f} req/s  "
          f"p50 {cuts[49]:7.1f} ms  p95 {cuts[94]:7.1f} ms  p99 {cuts[98]:7.1f} ms  "
          f"max {ms[-1]:7.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--limit", type=int, default=100, help="page size of the lists")
    parser.add_argument("--page", action="store_true", help="also time the page in Chromium")
    parser.add_argument("--page-runs", type=int, default=3)
    args = parser.parse_args(argv)
    started = time.monotonic()
    with serve(args.db, timeout=600) as base:
        print(f"rasad serve ready in {time.monotonic() - started:.1f} s (builds its in-memory "
              f"copy); {args.clients} clients, {args.seconds:g} s per phase, limit {args.limit}")
        url = urllib.parse.urlsplit(base)
        host, port = url.hostname or "127.0.0.1", url.port or 80

        def paths(queries: list[dict[str, str]]) -> list[str]:
            return ["/api/events?" + urllib.parse.urlencode({**q, "limit": args.limit})
                    for q in queries]

        for name, targets in (("baseline", ["/static/favicon.svg"]),
                              ("filtered", paths(FILTERED)), ("fulltext", paths(FULLTEXT))):
            latencies, errors = phase(host, port, targets, args.clients, args.seconds)
            report(name, latencies, errors, args.seconds)
        if args.page:
            reason = browser_missing()
            if reason:
                print(f"page: skipped ({reason})")
                return 0
            driver = chromium()
            try:
                for run in range(args.page_runs):
                    seconds = open_page(driver, base + "/", timeout=120)
                    drawn = driver.execute_script(
                        "return document.getElementById('map').dataset.markers")
                    shown = driver.find_element("id", "count").text
                    print(f"page run {run + 1}: {seconds:.2f} s to draw {drawn} incidents on the "
                          f"map ({shown} listed)")
            finally:
                driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
