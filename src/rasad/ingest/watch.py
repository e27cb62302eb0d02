"""`rasad watch FEEDS.yaml`: poll outlets' feeds on a schedule, politely, into one database.

FEEDS.yaml names the outlets (``docs/feeds.example.yaml``)::

    every: 15m          # how often a round starts (the command line's --every wins)
    delay: 2s           # between two requests to the same host
    outlets:
      - name: Example News          # the outlet's health row; also the documents' source
        feeds: [https://example.com/rss.xml]   # or feed: URL (a file path works too)
        source: Example News        # optional: the documents' `source` (default: name)
        fetch_pages: true           # optional: fetch each entry's page (default true)

Each round polls every outlet that is not backing off: every feed with a conditional GET
(ETag / Last-Modified from the last answer; 304 means nothing new), then each new entry's page.
An outlet whose feed fails (unreachable, HTTP error, garbage) gets the error in its health row
and waits `every × 2^errors` (at most a day) before it is polled again; the others go on.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rasad.errors import ConfigError, RasadError
from rasad.ingest.ledger import now
from rasad.ingest.run import Ingester

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$", re.IGNORECASE)
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_BACKOFF = 86400.0


def parse_duration(value: str | float | int, what: str = "duration") -> float:
    """Seconds of ``15m``, ``30s``, ``1h``, ``2d``, ``500ms`` or a bare number of seconds;
    anything else is E504."""
    m = _DURATION.match(str(value))
    if not m:
        raise ConfigError(f"{what} must be a duration such as 15m, 30s or 1h, not {value!r}",
                          code="E504")
    return float(m.group(1)) * _UNITS[(m.group(2) or "s").lower()]


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    feeds: tuple[str, ...]
    source: str
    fetch_pages: bool = True


@dataclass(frozen=True, slots=True)
class FeedsFile:
    outlets: tuple[Outlet, ...]
    every: float | None = None
    delay: float | None = None


def _bad(path: Path, why: str) -> ConfigError:
    return ConfigError(f"{path}: {why}", code="E606")


def _outlet(path: Path, i: int, item: Any) -> Outlet:
    if not isinstance(item, dict):
        raise _bad(path, f"outlet {i + 1} is not a mapping (name:, feeds:)")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _bad(path, f"outlet {i + 1} has no name")
    feeds = item.get("feeds", item.get("feed"))
    feeds = [feeds] if isinstance(feeds, str) else feeds
    if not isinstance(feeds, list) or not feeds or not all(
            isinstance(f, str) and f.strip() for f in feeds):
        raise _bad(path, f"outlet {name!r} needs feed: URL or feeds: [URL, …]")
    source = item.get("source", name)
    fetch_pages = item.get("fetch_pages", True)
    if not isinstance(source, str) or not isinstance(fetch_pages, bool):
        raise _bad(path, f"outlet {name!r}: source must be text and fetch_pages true or false")
    unknown = set(item) - {"name", "feed", "feeds", "source", "fetch_pages"}
    if unknown:
        raise _bad(path, f"outlet {name!r}: unknown keys {', '.join(sorted(unknown))}")
    return Outlet(name.strip(), tuple(f.strip() for f in feeds), source, fetch_pages)


def load_feeds(path: Path) -> FeedsFile:
    """Read and check FEEDS.yaml (see the module docstring); a problem is E606."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _bad(path, f"cannot read: {exc.strerror}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise _bad(path, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("outlets"), list):
        raise _bad(path, "expected a mapping with a list of outlets: (see README, Feeding rasad)")
    outlets = tuple(_outlet(path, i, item) for i, item in enumerate(data["outlets"]))
    names = [o.name for o in outlets]
    if len(set(names)) != len(names):
        raise _bad(path, "two outlets have the same name")
    if not outlets:
        raise _bad(path, "no outlets")
    try:
        every = parse_duration(data["every"], "every") if "every" in data else None
        delay = parse_duration(data["delay"], "delay") if "delay" in data else None
    except ConfigError as exc:
        raise _bad(path, exc.message) from exc
    return FeedsFile(outlets, every, delay)


def backoff(every: float, errors: int) -> float:
    """Seconds to wait after `errors` consecutive errors: every × 2^errors, at most a day."""
    return float(min(every * 2 ** min(errors, 20), MAX_BACKOFF))


@dataclass
class RoundResult:
    polled: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _later(seconds: float) -> str:
    moment = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds)
    return moment.replace(microsecond=0).isoformat()


def poll_round(ingester: Ingester, feeds: FeedsFile, every: float) -> RoundResult:
    """Poll every outlet not backing off once; record each outlet's health."""
    result = RoundResult()
    ledger = ingester.ledger
    for outlet in feeds.outlets:
        row = ledger.outlet(outlet.name) or {}
        if row.get("retry_after") and row["retry_after"] > now():
            ingester.note(f"{outlet.name}: backing off until {row['retry_after']} "
                          f"({row.get('consecutive_errors')} errors)")
            result.skipped.append(outlet.name)
            continue
        ingester.fetch_pages = outlet.fetch_pages
        failure: RasadError | None = None
        before = ingester.summary.ok
        for feed in outlet.feeds:
            outcome = ingester.ingest(feed, outlet=outlet.name, kind="feed",
                                      source_name=outlet.source, health=False)
            failure = failure or outcome.error
        documents = ingester.summary.ok - before
        if failure is None:
            ledger.success(outlet.name, "feed", documents)
            result.polled.append(outlet.name)
            continue
        errors = (row.get("consecutive_errors") or 0) + 1
        ledger.failure(outlet.name, "feed", failure.code, failure.message,
                       _later(backoff(every, errors)))
        ingester.note(f"{outlet.name}: {failure.code} {failure.message}")
        result.failed.append(outlet.name)
    return result


def watch(ingester: Ingester, feeds: FeedsFile, every: float, once: bool,
          sleep: Callable[[float], None] = time.sleep,
          after_round: Callable[[], None] | None = None) -> int:
    """Rounds every `every` seconds (one with `once`); returns the number of rounds run.
    `after_round` runs at the end of each round (`rasad watch` attaches the round's new events
    to the stored incidents there)."""
    rounds = 0
    while True:
        started = time.monotonic()
        rounds += 1
        ingester.new_round()
        ingester.note(f"round {rounds}: {len(feeds.outlets)} outlets")
        result = poll_round(ingester, feeds, every)
        for line in ingester.summary.lines():
            ingester.note(f"round {rounds}: {line}")
        ingester.note(f"round {rounds}: {len(result.polled)} outlets polled, "
                      f"{len(result.failed)} failed, {len(result.skipped)} backing off")
        if after_round is not None:
            after_round()
        if once:
            return rounds
        sleep(max(0.0, every - (time.monotonic() - started)))
