"""Incidents kept up to date as documents arrive (each backend): `attach` after every batch gives
`rebuild`'s incidents, reads only the blocks of the new events, and `rasad extract --db`,
`rasad ingest` and the API attach on their own when the database has incidents."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from eval_helpers import ROOT
from rasad.cli import app
from rasad.incidents.storage import attach, rebuild
from rasad.io.readers import read_documents
from rasad.io.store import open_store
from rasad.pipeline import process_document
from rasad.records import RawDocument
from rasad.settings import Settings
from store_helpers import IDLIB, SANAA, event, make_store, query, record, table_rows

SETTINGS = Settings()
SHARED = SETTINGS.shared_dir if SETTINGS.shared_dir.is_absolute() \
    else ROOT / SETTINGS.shared_dir
DEV = SHARED / "data" / "gold" / "incidents_dev.jsonl"
TEXT = "قصفت الطائرات السورية مدينة إدلب أمس فقتلت ثلاثة مدنيين"

Documents = list[tuple[RawDocument, dict[str, Any]]]


def incident_tables(db: str) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Every incident row and every (event_id, incident_id), in a stable order."""
    incidents = table_rows(db, "incidents", order_by="incident_id")
    events = [(row["event_id"], row["incident_id"]) for row in query(
        db, "select event_id, incident_id from events order by event_id")]
    return incidents, events


@pytest.fixture(scope="module")
def dev_documents() -> Documents:
    """The incidents_dev articles (a dev set) as extracted, in file order."""
    if not DEV.is_file():
        pytest.skip(f"no {DEV}: the shared dev data is not beside the repository")
    documents = [raw for raw in read_documents(DEV, SETTINGS) if isinstance(raw, RawDocument)]
    return [(raw, process_document(raw, SETTINGS)) for raw in documents]


def _store(db: str, documents: Documents) -> None:
    store = open_store(db)
    for raw, result in documents:
        store.add_document(raw, result)
    store.close()


def _arrivals(documents: Documents, how: str) -> list[Documents]:
    """The documents in batches: by publication (two halves), in five random batches, or in
    reverse order one at a time for the first ten and then the rest."""
    if how == "published":
        ordered = sorted(documents, key=lambda item: (item[1].get("published") or "",
                                                      item[0].id))
        return [ordered[:len(ordered) // 2], ordered[len(ordered) // 2:]]
    shuffled = list(documents)
    if how == "random":
        random.Random(13).shuffle(shuffled)
        return [shuffled[i::5] for i in range(5)]
    shuffled.reverse()
    return [[item] for item in shuffled[:10]] + [shuffled[10:]]


@pytest.mark.parametrize("how, hops", [
    ("published", None), ("random", None), ("one at a time", None),
    # one round (the default) also gives the rebuild when the articles arrive by publication
    # or one at a time; in five random batches it does not (README, "Incidents: on arrival")
    ("published", 1), ("one at a time", 1)])
def test_attaching_batch_after_batch_gives_the_rebuild(
        dev_documents: Documents, new_db: Callable[[str], str], how: str,
        hops: int | None) -> None:
    batches = _arrivals(dev_documents, how)
    incremental = new_db(f"incr-{how}-{hops}")
    _store(incremental, batches[0])
    store = open_store(incremental)
    attach(store)  # `rasad incidents` on a database that has none resolves every event
    store.close()
    attached = []
    for batch in batches[1:]:
        _store(incremental, batch)
        store = open_store(incremental)
        attached.append(attach(store, hops=hops))
        store.close()
    whole = new_db(f"whole-{how}-{hops}")
    _store(whole, dev_documents)
    store = open_store(whole)
    rebuilt = rebuild(store)
    store.close()
    assert incident_tables(incremental) == incident_tables(whole)
    new_events = sum(len(result["events"]) for batch in batches[1:] for _, result in batch)
    assert sum(a.events for a in attached) == new_events
    assert sum(a.joined for a in attached) > 0  # some reports of a later batch joined
    assert len(rebuilt) < sum(len(result["events"]) for _, result in dev_documents)


def _docs(near: int, far: int) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """`near` reports of the Idlib air strike of 2015-07-20 and `far` reports that no report
    of it can meet: in Yemen, months earlier, or protests."""
    docs = {f"near{i}": (TEXT, [event(f"n{i}", TEXT, TEXT)]) for i in range(near)}
    for i in range(far):
        kind = i % 3
        docs[f"far{i}"] = (TEXT, [event(
            f"f{i}", TEXT, TEXT, where=SANAA if kind == 0 else IDLIB,
            event_date="2015-03-01" if kind == 1 else "2015-07-20",
            event_type="Protests" if kind == 2 else "Explosions/Remote violence",
            sub_event_type=None if kind == 2 else "Air/drone strike")])
    return docs


@pytest.mark.parametrize("far", [0, 30])
def test_attach_reads_only_the_block_of_the_new_events(new_db: Callable[[str], str],
                                                       far: int) -> None:
    path = make_store(new_db(f"block-{far}"), _docs(near=3, far=far))
    store = open_store(path)
    rebuild(store)
    before = incident_tables(path)
    store.add_document(RawDocument("late", TEXT, title="late"),
                       record("late", [event("late", TEXT, TEXT)]))
    attached = attach(store)
    store.close()
    # the new event, the three near reports of its block, then their incident's three members;
    # the first comparison links the incident, the far reports are never read
    assert (attached.rows_read, attached.comparisons) == (1 + 3 + 3, 1)
    assert (attached.events, attached.joined, attached.opened) == (1, 1, 0)
    [incident] = attached.incidents
    assert incident.reports == 4
    after = incident_tables(path)
    kept = [row for row in before[0] if '"near0"' not in row["members"]]
    assert kept == [row for row in after[0] if '"late"' not in row["members"]]
    assert len(kept) == (3 if far else 0)  # the far reports: an incident per kind, untouched


def test_a_database_without_incidents_is_left_as_it_is(new_db: Callable[[str], str],
                                                       tmp_path: Path) -> None:
    articles = tmp_path / "articles.jsonl"
    articles.write_text(json.dumps({"id": "a1", "text": TEXT, "published": "2015-07-21"},
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    path = new_db("no-incidents")
    result = CliRunner().invoke(app, ["extract", str(articles), "--db", path, "-q"])
    assert result.exit_code == 0, result.output
    store = open_store(path)
    assert not store.has_table("incidents")
    store.close()


def test_extract_attaches_at_the_end_of_the_run_unless_told_not_to(
        new_db: Callable[[str], str], tmp_path: Path) -> None:
    def articles(name: str, ids: list[str]) -> str:
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps({"id": i, "text": TEXT, "published": "2015-07-21",
                                            "source": f"outlet {i}"}, ensure_ascii=False)
                                + "\n" for i in ids), encoding="utf-8")
        return str(path)

    path = new_db("extract-attach")
    runner = CliRunner()
    assert runner.invoke(app, ["extract", articles("a", ["a1"]), "--db", path]).exit_code == 0
    assert runner.invoke(app, ["incidents", "--db", path]).exit_code == 0
    skipped = runner.invoke(app, ["extract", articles("b", ["b1"]), "--db", path,
                                  "--no-incidents"])
    assert skipped.exit_code == 0 and "incidents:" not in skipped.stderr
    assert [row for row in query(path, "select event_id from events where incident_id is null")]
    result = runner.invoke(app, ["extract", articles("c", ["c1", "c2"]), "--db", path])
    assert result.exit_code == 0, result.output
    events = query(path, "select incident_id from events")
    assert events and all(row["incident_id"] for row in events)
    assert "incidents: 3 new event(s) → 3 joined existing incidents, 0 new incident(s)" \
        in result.stderr
    assert len({row["incident_id"] for row in events}) == 1


def test_ingest_and_the_api_attach_what_they_store(tmp_path: Path) -> None:
    from rasad.web.writes import ingest_document

    path = str(tmp_path / "ingest.db")
    articles = tmp_path / "first.jsonl"
    articles.write_text(json.dumps({"id": "i1", "text": TEXT, "published": "2015-07-21"},
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(articles), "--db", path]).exit_code == 0
    assert runner.invoke(app, ["incidents", "--db", path]).exit_code == 0
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({"id": "i2", "text": "وقال المرصد: " + TEXT,
                                 "published": "2015-07-21"},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(later), "--db", path])
    assert result.exit_code == 0, result.output
    assert "1 joined existing incidents" in result.stderr
    ingest_document(path, RawDocument("i3", "وأفاد ناشطون أن " + TEXT, published="2015-07-21"),
                    SETTINGS)
    events = query(path, "select incident_id from events")
    assert len(events) == 3 and len({row["incident_id"] for row in events} - {None}) == 1
