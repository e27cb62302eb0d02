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
drawn on the map; needs chromium and chromedriver), over `--page-runs` loads, and with
`--synthetic N` on a made-up database of N located events (one incident each).

    rasad extract ../shared/data/corpora/saudinewsnet/articles.jsonl.gz --db snn.db -o /dev/null
    rasad incidents --db snn.db
    python benchmarks/api.py snn.db [--clients 50] [--seconds 20] [--limit 100] [--page]

The load comes from the same machine (Python threads: they share its cores with the server).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import random
import statistics
import sys
import tempfile
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


def synthetic_database(path: Path, events: int, seed: int = 14) -> Path:
    """A database of `events` located events, one per document, at random places of the
    Middle East and dates of 2015 (hand-made contract records: no extraction)."""
    from rasad.io.store import Store
    from rasad.records import RawDocument

    rng = random.Random(seed)
    types = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
             ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest"),
             ("Riots", "Violent demonstration"), ("Strategic developments", "Arrests")]
    store = Store(path)
    for k in range(events):
        text = f"حدث رقم {k} في المنطقة."
        event_type, sub_type = rng.choice(types)
        day = 1 + rng.randrange(365)
        event = {
            "event_id": f"s{k}", "event_type": event_type, "sub_event_type": sub_type,
            "actor1": None, "actor2": None, "assoc_actor_1": [], "assoc_actor_2": [],
            "interaction": None, "civilian_targeting": False,
            "location": {"text": "المنطقة", "start": 0, "end": 0, "name": f"Place {k % 500}",
                         "country": rng.choice(["SY", "IQ", "YE", "SA", "EG"]),
                         "admin1": None, "latitude": rng.uniform(12, 38),
                         "longitude": rng.uniform(32, 50), "geo_precision": 1},
            "event_date": (dt.date(2015, 1, 1) + dt.timedelta(days=day - 1)).isoformat(),
            "time_precision": 1, "fatalities": rng.choice([None, 0, 1, 5]),
            "fatalities_text": None, "modality": "asserted", "attribution": None,
            "evidence": {"text": text, "start": 0, "end": len(text)}, "confidence": 0.8}
        store.add_document(RawDocument(f"d{k}", text), {
            "doc_id": f"d{k}", "genre": "news", "published": "2015-12-31", "places": [],
            "events": [event], "warnings": []})
    store.close()
    return path


def time_page(base: str, runs: int) -> None:
    """Load the page `runs` times in headless Chromium; print the time to draw the map."""
    reason = browser_missing()
    if reason:
        print(f"page: skipped ({reason})")
        return
    driver = chromium()
    try:
        for run in range(runs):
            seconds = open_page(driver, base + "/", timeout=120)
            drawn = driver.execute_script("return document.getElementById('map').dataset.markers")
            shown = driver.find_element("id", "count").text
            print(f"page run {run + 1}: {seconds:.2f} s to draw {drawn} incidents on the map "
                  f"({shown} listed)")
    finally:
        driver.quit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--limit", type=int, default=100, help="page size of the lists")
    parser.add_argument("--workers", type=int, default=1, help="rasad serve --workers N")
    parser.add_argument("--page", action="store_true", help="also time the page in Chromium")
    parser.add_argument("--page-runs", type=int, default=3)
    parser.add_argument("--synthetic", type=int, default=0, metavar="N",
                        help="also time the page on a made-up database of N located events")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with serve(args.db, timeout=600, workers=args.workers) as base:
        print(f"rasad serve ready in {time.monotonic() - started:.1f} s (builds its in-memory "
              f"copy); {args.workers} worker(s), {args.clients} clients, {args.seconds:g} s per "
              f"phase, limit {args.limit}")
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
            time_page(base, args.page_runs)
    if args.synthetic:
        with tempfile.TemporaryDirectory() as work:
            db = synthetic_database(Path(work) / "synthetic.db", args.synthetic)
            with serve(db, timeout=600) as base:
                print(f"synthetic database of {args.synthetic:,} located events:")
                time_page(base, args.page_runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
