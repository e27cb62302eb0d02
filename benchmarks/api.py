"""Latency of `rasad serve` under 50 concurrent clients on 127.0.0.1 (issue 14: p95 at most
100 ms for filtered event queries and 300 ms for full-text queries, on a database of the whole
SaudiNewsNet corpus; the page renders 10,000 events in at most 2 s).

Starts ``rasad serve --db DB`` on a free port, then runs three phases of `--seconds` each, every
one with `--clients` threads that each keep one HTTP connection open and send requests back to
back: `baseline` (a static file: the server's floor, measured in the same run), `filtered`
(``/api/events`` with one to three filters drawn at random from realistic ranges: country, type,
a date range of 1–120 days in June 2014–August 2015, a bounding box in the Middle East, admin1,
actor, modality, background; a random sort and offset) and `fulltext` (``/api/events?q=…``: a
word, phrase, OR, AND or prefix drawn from 40 conflict words, one in five with
``q_in=document``).  Each client draws with its own seeded generator (`--seed`), so hardly two
requests are alike and a response cache could not make a phase fast, and two runs draw the same
sequences.  It prints per phase the requests, errors (any status but 200), requests/s, the
server's CPU per request (user and system time of the server's processes over the phase, from
/proc, divided by the requests: what the latency comes to on a machine the load generator does
not share) and the p50, p95, p99 and max latency.  `--against OTHER/src` also starts the server
of another checkout (its ``src``, or any PYTHONPATH) and times both alternately, `--rounds`
times each, in the same window.  With `--page` it also times the page in headless Chromium
(load until every incident is drawn on the map; needs chromium and chromedriver), over
`--page-runs` loads, and with `--synthetic N` on a made-up database of N located events (one
incident each).

    rasad extract ../shared/data/corpora/saudinewsnet/articles.jsonl.gz --db snn.db -o /dev/null
    rasad incidents --db snn.db
    python benchmarks/api.py snn.db [--clients 50] [--seconds 20] [--limit 100] [--page]
    python benchmarks/api.py snn.db --against ../main/src --rounds 2

The load comes from the same machine.  `--client python` sends it from Python threads with
http.client (about 0.3 ms of CPU per request on the cores the server needs); `--client wrk`
(the default where Debian's ``wrk`` is installed, ``apt-get install wrk``) from wrk's C event
loop (`--wrk-threads`, one by default) with `--clients` connections, sending the same requests:
each phase's paths are drawn first, with the same seeded generators, into a file that
`api_wrk.lua` reads (client k's j-th path on line j × clients + k; wrk thread t of T takes
every T-th line from line t and its connections send them in turn, starting again at the end),
and wrk's latency percentiles are printed, with wrk's CPU as the clients'.  Errors are wrk's: a
status of 400 or more, a connection refused, a read or write error, a timeout (60 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from web_helpers import browser_missing, chromium, open_page, serve, serve_process

COUNTRIES = ["YE", "SA", "SY", "IQ", "TR", "EG", "PS", "US", "IR", "LY", "AF", "IL", "LB", "TN",
             "KW", "BH", "JO", "Yemen", "Syria", "Iraq"]
TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
         "Riots", "Strategic developments", "Armed clash", "Air/drone strike", "Attack",
         "Shelling/artillery/missile attack", "Suicide bomb", "Peaceful protest", "Arrests"]
ADMIN1 = ["Asir", "Aden", "Taiz", "Lahij", "Aleppo", "Al Anbar", "Riyadh", "Baghdad", "Jenin",
          "Tehran", "Makkah", "Eastern Province", "Abyan", "North Sinai", "Marib", "Nineveh",
          "Cairo", "Idlib", "Damascus", "Jazan", "Najran", "Homs", "Diyala", "Saada"]
ACTORS = ["Islamic State", "Houthis", "Police Forces of Saudi Arabia", "Popular Resistance",
          "Saudi-led Coalition", "Military Forces of Syria", "Unidentified Armed Group",
          "Military Forces of Turkey", "PKK", "International Coalition", "Protesters", "داعش",
          "الحوثي", "Hezbollah", "Al-Nusra Front", "Military Forces of Israel"]
MODALITIES = ["asserted", "attempted", "negated", "hedged", "future"]
SORTS = ["date", "-date", "fatalities", "-fatalities", "type", "-type", "country", "-country",
         "confidence", "-confidence"]
WORDS = ["داعش", "انفجار", "قتل", "اشتباكات", "غارة", "الحوثيين", "قوات النظام", "سيارة مفخخة",
         "تفجير", "مظاهرة", "اعتقال", "هجوم", "قصف", "طائرات", "التحالف", "المقاومة", "صاروخ",
         "عبوة ناسفة", "انتحاري", "مسلحين", "الجيش", "الشرطة", "قتلى", "جرحى", "اغتيال", "حلب",
         "إدلب", "عدن", "تعز", "صنعاء", "الأنبار", "بغداد", "الموصل", "سيناء", "الرياض", "نجران",
         "جازان", "الحدود", "مسجد", "الأمن"]
FIRST_DAY, DAYS = dt.date(2014, 6, 1), 437
"""The days the filters draw from: June 2014 to August 2015, where 95% of the corpus's events
are dated."""


def filtered_params(rng: random.Random) -> dict[str, str]:
    """A filtered `/api/events` request drawn at random: one to three filters (country, type,
    date range, bounding box, admin1, actor, modality, background), a sort and an offset, so
    that hardly two requests are alike (a response cache cannot make the phase fast)."""
    params: dict[str, str] = {}
    draws = {
        "country": lambda: rng.choice(COUNTRIES),
        "type": lambda: rng.choice(TYPES),
        "dates": lambda: None,
        "bbox": lambda: None,
        "admin1": lambda: rng.choice(ADMIN1),
        "actor": lambda: rng.choice(ACTORS),
        "modality": lambda: rng.choice(MODALITIES),
        "no_background": lambda: "true",
    }
    for name in rng.sample(list(draws), rng.randint(1, 3)):
        if name == "dates":
            start = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
            params["date_from"] = start.isoformat()
            params["date_to"] = (start + dt.timedelta(days=rng.randint(1, 120))).isoformat()
        elif name == "bbox":
            west, south = rng.uniform(25, 55), rng.uniform(12, 38)
            width, height = rng.uniform(0.5, 12), rng.uniform(0.5, 10)
            params["bbox"] = (f"{west:.3f},{south:.3f},{min(west + width, 180):.3f},"
                              f"{min(south + height, 90):.3f}")
        else:
            params[name] = draws[name]()
    params["sort"] = rng.choice(SORTS)
    params["offset"] = str(rng.choice([0, 0, 0, rng.randrange(0, 500)]))
    return params


def fulltext_params(rng: random.Random) -> dict[str, str]:
    """A full-text `/api/events?q=…` request drawn at random: a word or phrase, two joined by
    OR or AND, or a prefix; one in five over the documents (``q_in=document``), one in four with
    a country or type besides, a random sort and an offset."""
    words = rng.sample(WORDS, 2)
    shape = rng.random()
    if shape < 0.5:
        query = words[0]
    elif shape < 0.7:
        query = f"{words[0]} OR {words[1]}"
    elif shape < 0.85:
        query = f"{words[0]} {words[1]}"
    else:
        query = words[0].split()[0][:4] + "*"
    params = {"q": query}
    if rng.random() < 0.2:
        params["q_in"] = "document"
    if rng.random() < 0.25:
        params.update(rng.choice([{"country": rng.choice(COUNTRIES)},
                                  {"type": rng.choice(TYPES)}]))
    params["sort"] = rng.choice(SORTS)
    params["offset"] = str(rng.choice([0, 0, 0, rng.randrange(0, 200)]))
    return params


Draw = Callable[[random.Random], str]
"""A phase's requests: a path drawn with a client's random generator."""
WRK_SCRIPT = Path(__file__).with_name("api_wrk.lua")


@dataclass(frozen=True)
class Figures:
    """What a phase measured: requests answered, errors, latency percentiles (ms)."""

    requests: int
    errors: int
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, latencies: list[float], errors: int) -> Figures:
        """From every request's latency (s)."""
        ms = sorted(x * 1000 for x in latencies)
        if len(ms) < 2:
            return cls(len(ms), errors, *(4 * [ms[0] if ms else float("nan")]))
        cuts = statistics.quantiles(ms, n=100)
        return cls(len(ms), errors, cuts[49], cuts[94], cuts[98], ms[-1])


def process_cpu(pid: int) -> float:
    """CPU seconds (user and system) of process `pid` and every process below it (the workers
    of ``--workers N``), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = fields
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    todo = [pid]
    while todo:
        current = todo.pop()
        if current in stats:
            total += (int(stats[current][11]) + int(stats[current][12])) / ticks
        todo += children.get(current, [])
    return total


def phase(host: str, port: int, draw: Draw, clients: int, seconds: float, seed: int
          ) -> Figures:
    """What `clients` Python threads measured in `seconds`; client k draws its paths with
    ``random.Random(seed + k)``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        rng = random.Random(seed + k)
        conn = http.client.HTTPConnection(host, port, timeout=60)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < deadline:
            path = draw(rng)
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
    return Figures.of(latencies, errors[0])


def wrk_paths(path: Path, draw: Draw, clients: int, per_client: int, seed: int) -> Path:
    """Write `per_client` paths of each client (client k drawing with ``random.Random(seed +
    k)``, as `phase` does) to `path`, interleaved: client k's j-th on line j × clients + k."""
    generators = [random.Random(seed + k) for k in range(clients)]
    with path.open("w", encoding="utf-8") as out:
        for _ in range(per_client):
            out.writelines(draw(rng) + "\n" for rng in generators)
    return path


def wrk_phase(base: str, paths: Path, clients: int, seconds: float, threads: int
              ) -> tuple[Figures, float]:
    """What wrk measured with `clients` connections walking `paths` for `seconds`, and wrk's
    CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds:g}s",
         "--timeout", "60s", "-s", str(WRK_SCRIPT), base, "--", str(paths), str(threads)],
        capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RASAD ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures: {done.stdout}{done.stderr}")
    got = {key: int(value) for key, value in (x.split("=") for x in line.split()[1:])}
    errors = sum(got[key] for key in ("status_errors", "connect", "read", "write", "timeout"))
    figures = Figures(got["requests"], errors, *(got[key] / 1000 for key in
                                                 ("p50", "p95", "p99", "max")))
    return figures, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def report(name: str, figures: Figures, seconds: float, cpu: float, client_cpu: float) -> None:
    """One phase's line: requests, errors, requests/s, the server's CPU per request (`cpu`:
    its CPU seconds over the phase), the load generator's (`client_cpu`) and the latency
    percentiles."""
    n = figures.requests
    if not n:
        print(f"{name:9s} no requests")
        return
    print(f"{name:9s} {n:6d} requests  {figures.errors} errors  {n / seconds:7.1f} req/s  "
          f"server CPU {cpu * 1000 / n:5.2f} ms/request (clients "
          f"{client_cpu * 1000 / n:4.2f})  "
          f"p50 {figures.p50:7.1f} ms  p95 {figures.p95:7.1f} ms  p99 {figures.p99:7.1f} ms  "
          f"max {figures.max:7.1f} ms")


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


def run_server(args: argparse.Namespace, label: str, pythonpath: str | None, seed: int,
               page: bool) -> None:
    """Start one server (this checkout's code, or `pythonpath`'s) and run the three phases."""
    started = time.monotonic()
    with serve_process(args.db, timeout=600, workers=args.workers,
                       pythonpath=pythonpath) as (base, process):
        print(f"{label}: rasad serve ready in {time.monotonic() - started:.1f} s (builds its "
              f"in-memory copy); {args.workers} worker(s), {args.clients} clients, "
              f"{args.seconds:g} s per phase, limit {args.limit}, seed {seed}, "
              f"client {args.client}, load average "
              f"{os.getloadavg()[0]:.1f}")
        url = urllib.parse.urlsplit(base)
        host, port = url.hostname or "127.0.0.1", url.port or 80

        def events(params: Callable[[random.Random], dict[str, str]]) -> Draw:
            return lambda rng: "/api/events?" + urllib.parse.urlencode(
                {**params(rng), "limit": args.limit})

        phases: list[tuple[str, Draw]] = [
            ("baseline", lambda rng: "/static/favicon.svg"),
            ("filtered", events(filtered_params)), ("fulltext", events(fulltext_params))]
        for name, draw in phases if args.seconds > 0 else []:
            if args.client == "wrk":
                with tempfile.TemporaryDirectory() as work:
                    paths = wrk_paths(Path(work) / "paths.txt", draw, args.clients,
                                      int(args.seconds * 100) + 100, seed)
                    cpu = process_cpu(process.pid)
                    figures, client_cpu = wrk_phase(base, paths, args.clients, args.seconds,
                                                    args.wrk_threads)
            else:
                cpu, client_cpu = process_cpu(process.pid), time.process_time()
                figures = phase(host, port, draw, args.clients, args.seconds, seed)
                client_cpu = time.process_time() - client_cpu
            report(name, figures, args.seconds, process_cpu(process.pid) - cpu, client_cpu)
        if page:
            time_page(base, args.page_runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--limit", type=int, default=100, help="page size of the lists")
    parser.add_argument("--workers", type=int, default=1, help="rasad serve --workers N")
    parser.add_argument("--seed", type=int, default=14, help="of the random requests")
    parser.add_argument("--against", metavar="OTHER/src",
                        help="also time the server of another checkout (its src folder), "
                        "alternately with this one's")
    parser.add_argument("--rounds", type=int, default=1,
                        help="times each server is started and timed (alternately)")
    parser.add_argument("--client", choices=("wrk", "python"),
                        default="wrk" if shutil.which("wrk") else "python",
                        help="the load generator: wrk (the default where it is installed) or "
                        "Python threads")
    parser.add_argument("--wrk-threads", type=int, default=1,
                        help="wrk's threads (event loops) for the connections")
    parser.add_argument("--page", action="store_true", help="also time the page in Chromium")
    parser.add_argument("--page-runs", type=int, default=3)
    parser.add_argument("--synthetic", type=int, default=0, metavar="N",
                        help="also time the page on a made-up database of N located events")
    args = parser.parse_args(argv)
    servers = [("this checkout", None)]
    if args.against:
        servers.append((f"--against {args.against}", args.against))
    for round_ in range(args.rounds):
        for label, pythonpath in servers:
            run_server(args, label, pythonpath, seed=args.seed + 1000 * round_,
                       page=args.page and pythonpath is None and round_ == 0)
    if args.synthetic:
        with tempfile.TemporaryDirectory() as work:
            db = synthetic_database(Path(work) / "synthetic.db", args.synthetic)
            with serve(db, timeout=600) as base:
                print(f"synthetic database of {args.synthetic:,} located events:")
                time_page(base, args.page_runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
