"""`rasad watch FEEDS.yaml --once` and `rasad ingest` on the command line, against 127.0.0.1,
into each store backend (`new_db`: SQLite, and PostgreSQL with ``$RASAD_TEST_PG_URL``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest_helpers import FEEDS_YAML, SETTINGS, FixtureSite, documents, health, site
from rasad.cli import app
from rasad.ingest.fetch import HttpFetcher
from rasad.ingest.run import Ingester
from rasad.ingest.watch import load_feeds, watch
from rasad.io.store import Store

__all__ = ["site"]  # the fixture

runner = CliRunner()


def _feeds_file(site: FixtureSite, tmp_path: Path) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(FEEDS_YAML.read_text(encoding="utf-8").replace("{BASE}", site.base),
                    encoding="utf-8")
    return path


def test_watch_once_twice_processes_nothing_new_and_backs_off_a_broken_feed(
        site: FixtureSite, tmp_path: Path, new_db: Callable[[str], str]) -> None:
    feeds, db = _feeds_file(site, tmp_path), new_db("watch")
    args = ["watch", str(feeds), "--db", db, "--once", "--no-ner"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "processed 3 documents: 3 ok" in first.output
    assert len(documents(db)) == 3
    rows = health(db)
    assert rows["Broken"]["last_error_code"] == "E602"
    assert rows["Garbage"]["last_error_code"] == "E604"
    assert rows["Broken"]["retry_after"] and rows["Broken"]["consecutive_errors"] == 1
    assert {name: rows[name]["documents"] for name in ("Outlet A", "Outlet B", "Outlet C")} == \
        {"Outlet A": 2, "Outlet B": 0, "Outlet C": 1}
    assert all(rows[n]["last_success"] for n in ("Outlet A", "Outlet B", "Outlet C"))
    # Documents per day over the last seven days, from the ledger (Outlet B's mirror copy is a
    # key of its own, first seen today).
    assert {n: rows[n]["per_day"] for n in ("Outlet A", "Outlet B", "Broken")} == \
        {"Outlet A": round(2 / 7, 2), "Outlet B": round(1 / 7, 2), "Broken": 0.0}
    stored = {json.loads(r["record"])["source"] for r in documents(db).values()}
    assert stored == {"Outlet A", "Outlet C"}  # the outlet's name is the documents' source

    second = runner.invoke(app, args)
    assert second.exit_code == 0, second.output
    assert "processed 0 documents" in second.output
    assert "Broken: backing off" in second.output
    # Outlet C's feed was asked with its ETag and answered 304; the broken one not asked again.
    assert [status for status, _ in site.requests("/feeds/outlet-c.xml")] == [200, 304]
    assert len(site.requests("/broken.xml")) == 1
    assert health(db)["Outlet C"]["consecutive_errors"] == 0


def test_ingest_cli_health_and_exit_status(site: FixtureSite, tmp_path: Path,
                                           new_db: Callable[[str], str]) -> None:
    db = new_db("ingest")
    result = runner.invoke(app, ["ingest", site.url("/feeds/outlet-c.xml"),
                                 site.url("/broken.xml"), "--db", str(db), "--no-ner",
                                 "--delay", "0s"])
    assert result.exit_code == 0, result.output
    assert "error E602" in result.output and "1 of 2 sources read" in result.output
    shown = runner.invoke(app, ["ingest", "--health", "--db", str(db)])
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("outlet\tlast success")
    broken = next(line for line in lines if line.startswith(site.url("/broken.xml")))
    assert "E602" in broken and "\tnever\t1\t" in broken
    as_json = runner.invoke(app, ["ingest", "--health", "--json", "--db", str(db)])
    rows = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert {r["name"] for r in rows} == {site.url("/feeds/outlet-c.xml"), site.url("/broken.xml")}

    failed = runner.invoke(app, ["ingest", site.url("/broken.xml"), "--db", str(db), "--quiet"])
    assert failed.exit_code == 1
    usage = runner.invoke(app, ["ingest", "--db", str(db)])
    assert usage.exit_code == 2 and "E504" in usage.output
    bad_every = runner.invoke(app, ["watch", str(_feeds_file(site, tmp_path)), "--db", str(db),
                                    "--every", "soon", "--once"])
    assert bad_every.exit_code == 2 and "E504" in bad_every.output


class _Stop(Exception):
    pass


def test_watch_loop_sleeps_between_rounds_and_counts_errors(site: FixtureSite,
                                                            tmp_path: Path) -> None:
    feeds = load_feeds(_feeds_file(site, tmp_path))
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 2:
            raise _Stop

    store = Store(tmp_path / "loop.db")
    ingester = Ingester(store, SETTINGS, HttpFetcher(delay=0))
    with pytest.raises(_Stop):
        watch(ingester, feeds, every=0.0, once=False, sleep=sleep)
    store.close()
    assert pauses == [0.0, 0.0]  # rounds every 0 s: no wait, and no backoff either
    rows = health(tmp_path / "loop.db")
    assert rows["Broken"]["consecutive_errors"] == 2 and len(site.requests("/broken.xml")) == 2
    assert rows["Outlet A"]["consecutive_errors"] == 0


def test_fetcher_waits_between_requests_to_one_host(site: FixtureSite) -> None:
    waits: list[float] = []
    fetcher = HttpFetcher(delay=5.0, sleep=waits.append)
    fetcher.get(site.url("/feeds/outlet-a.xml"))
    assert waits == []
    fetcher.get(site.url("/feeds/outlet-b.xml"))
    assert len(waits) == 1 and 4.0 < waits[0] <= 5.0
    fetcher.get(site.url("/feeds/outlet-c.xml").replace("127.0.0.1", "localhost"))
    assert len(waits) == 1  # another host: no wait
    request = site.log[0][2]
    assert request["User-Agent"].startswith("rasad/")


def test_watch_attaches_each_rounds_new_events_to_the_incidents(
        site: FixtureSite, tmp_path: Path) -> None:
    # A database with incidents: each round's new events are attached at the end of the round
    # (as rasad ingest does), so none is left without an incident; --no-incidents leaves them.
    feeds = _feeds_file(site, tmp_path)
    for flag, attached in (([], True), (["--no-incidents"], False)):
        db = str(tmp_path / f"attach{len(flag)}.db")
        seed = tmp_path / "seed.jsonl"
        seed.write_text(json.dumps({"id": "seed", "text": "قصفت الطائرات مدينة إدلب أمس.",
                                    "published": "2015-07-21"}, ensure_ascii=False) + "\n",
                        encoding="utf-8")
        assert runner.invoke(app, ["extract", str(seed), "--db", db, "--no-ner"]).exit_code == 0
        assert runner.invoke(app, ["incidents", "--db", db]).exit_code == 0
        result = runner.invoke(app, ["watch", str(feeds), "--db", db, "--once", "--no-ner",
                                     *flag])
        assert result.exit_code == 0, result.output
        assert ("incidents:" in result.output) is attached
        store = Store(db, create=False)
        loose = store.select("select count(*) as n from events where incident_id is null")
        total = store.select("select count(*) as n from events")
        store.close()
        assert total[0]["n"] > 1
        assert (loose[0]["n"] == 0) is attached
