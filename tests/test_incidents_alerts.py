"""Alerts (`rasad.incidents.alerts`): surges found on synthetic series, few false alerts on
stationary ones, no surge from reports alone, and each rule kind on hand-made incidents."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rasad.cli import app
from rasad.errors import ConfigError
from rasad.incidents.alerts import AlertRules, Rule, evaluate, poisson_tail
from rasad.incidents.storage import rebuild
from rasad.incidents.trends import IncidentRow, Periods, load_incidents
from rasad.io.store import Store
from rasad.records import RawDocument
from store_helpers import IDLIB, event

AS_OF = dt.date(2015, 8, 11)
COUNT_KINDS = ("surge", "poisson")


def poisson(rng: random.Random, rate: float) -> int:
    """A Poisson draw by inversion (the standard library has none)."""
    u, k, p = rng.random(), 0, math.exp(-rate)
    total = p
    while u > total and k < 10_000:
        k += 1
        p *= rate / k
        total += p
    return k


def incident(n: str, day: dt.date, area: str = "Idlib", **fields: Any) -> IncidentRow:
    values: dict[str, Any] = {
        "incident_id": n, "event_type": "Battles", "sub_event_type": "Armed clash",
        "event_date": day, "time_precision": 1, "country": "SY", "admin1": area,
        "fatalities": 1, "reports": 1, "actors": (), "first_reported": day,
        "last_reported": day, **fields}
    return IncidentRow(**values)


def synthetic(rng: random.Random, areas: int, rate_range: tuple[float, float],
              surge: float) -> list[IncidentRow]:
    """`areas` weekly series of 9 weeks ending on AS_OF, each at a constant Poisson rate drawn
    from `rate_range`, the last week's rate multiplied by `surge`."""
    periods = Periods(AS_OF, 7, 9)
    rows = []
    for a in range(areas):
        rate = rng.uniform(*rate_range)
        for week in range(periods.count):
            count = poisson(rng, rate * (surge if week == periods.count - 1 else 1))
            for k in range(count):
                day = periods.start(week) + dt.timedelta(days=rng.randrange(7))
                rows.append(incident(f"a{a}-w{week}-{k}", day, area=f"area {a}"))
    return rows


def alerted_areas(rows: list[IncidentRow]) -> set[str]:
    alerts = evaluate(rows, AlertRules.load(), AS_OF)
    return {a.admin1 or "" for a in alerts if a.kind in COUNT_KINDS}


def test_alerts_find_injected_surges_and_few_false_alerts_on_stationary_series() -> None:
    rng = random.Random(13)
    # stationary: rates from 0.5 to 20 incidents a week; surges: a tripled rate in the last week
    # on series of at least 3 incidents a week
    stationary = synthetic(rng, 400, (0.5, 20.0), 1.0)
    surged = synthetic(rng, 400, (3.0, 20.0), 3.0)
    false_alerts = len(alerted_areas(stationary)) / 400
    recall = len(alerted_areas(surged)) / 400
    assert recall >= 0.9, recall
    assert false_alerts <= 0.05, false_alerts


def test_alerts_count_incidents_not_reports(tmp_path: Path) -> None:
    """Six weeks of three incidents a week in Idlib, each reported once; in the last week the
    same three incidents a week, each reported by six outlets: no surge."""
    store = Store(tmp_path / "r.db")
    periods = Periods(AS_OF, 7, 6)
    for week in range(periods.count):
        outlets = 6 if week == periods.count - 1 else 1
        for k in range(3):
            day = periods.start(week) + dt.timedelta(days=2 * k)
            text = f"اشتباكات في إدلب يوم {day.isoformat()} بين الجيش والمعارضة"
            for outlet in range(outlets):
                doc_id = f"w{week}-{k}-{outlet}"
                ev = event(f"e-{doc_id}", text, text, where=IDLIB, event_type="Battles",
                           sub_event_type="Armed clash", event_date=day.isoformat())
                record = {"doc_id": doc_id, "genre": "news", "published": day.isoformat(),
                          "places": [], "events": [ev], "warnings": []}
                store.add_document(RawDocument(doc_id, text, published=day.isoformat(),
                                               source=f"outlet{outlet}"), record)
    rebuild(store)
    incidents = load_incidents(store)
    store.close()
    assert len(incidents) == 18  # every report of one incident merged
    rules = AlertRules.load()
    assert not [a for a in evaluate(incidents, rules, AS_OF) if a.kind in COUNT_KINDS]
    # counted as reports, the last week (18 against 3 a week) would be a surge
    with sqlite3.connect(tmp_path / "r.db") as conn:
        reports = [incident(event_id, dt.date.fromisoformat(day), area=IDLIB["admin1"])
                   for event_id, day in conn.execute("select event_id, event_date from events")]
    assert len(reports) == 33
    assert {a.kind for a in evaluate(reports, rules, AS_OF)} >= {"surge", "poisson"}


def test_poisson_tail_matches_known_values() -> None:
    assert poisson_tail(0, 3.0) == 1.0
    assert poisson_tail(1, 1.0) == pytest.approx(1 - math.exp(-1))
    assert poisson_tail(9, 3.0) == pytest.approx(0.0038029920616759, rel=1e-9)
    assert poisson_tail(20, 10.0) == pytest.approx(0.0034543419758568, rel=1e-9)
    assert poisson_tail(100, 30.0) == pytest.approx(7.338468632878e-24, rel=1e-6)
    assert poisson_tail(5, 0.0) == 0.0


def _rules(*rules: Rule) -> AlertRules:
    return AlertRules("week", "admin1", rules)


def test_mass_casualty_new_actor_and_keyword_rules() -> None:
    last = AS_OF - dt.timedelta(days=2)
    history = [incident(f"h{k}", AS_OF - dt.timedelta(days=8 + k), actors=("Islamic State",))
               for k in range(6)]
    recent = [incident("big", last, fatalities=40),
              incident("new", last, actors=("Jaish al-Fatah", "Islamic State")),
              incident("prison", last, event_type="Violence against civilians"),
              incident("old", AS_OF - dt.timedelta(days=9), fatalities=90)]
    rules = _rules(Rule("mc", "mass_casualty", {"min_fatalities": 20}),
                   Rule("na", "new_actor", {"lookback_periods": 4, "min_history": 5}),
                   Rule("kw", "keyword", {"words": ["سجن"], "types": ["Violence against "
                                                                      "civilians"]}))
    evidence = {"prison": ["هاجم مسلحون السجن المركزي"], "new": ["هاجم مسلحون سجنا"],
                "big": ["انسجام"]}
    alerts = evaluate(history + recent, rules, AS_OF, evidence)
    assert [(a.rule, a.incident_ids) for a in alerts] == [
        ("mc", ["big"]), ("na", ["new"]), ("kw", ["prison"])]
    assert "Jaish al-Fatah" in alerts[1].message and alerts[1].baseline == 7
    assert alerts[2].value == 1.0 and alerts[0].value == 40


def test_rules_file_errors_are_coded(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - {name: s, kind: surge, ratio: 2}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="missing"):
        AlertRules.load(bad)
    bad.write_text("rules:\n  - {name: s, kind: tide}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown kind"):
        AlertRules.load(bad)
    assert [r.kind for r in AlertRules.load().rules] == [
        "surge", "poisson", "mass_casualty", "new_actor", "keyword"]


def test_cli_alerts_writes_the_table_and_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    store = Store(path)
    text = "قتل 30 شخصا في هجوم على السجن المركزي في إدلب"
    ev = event("e1", text, text, where=IDLIB, event_type="Violence against civilians",
               sub_event_type="Attack", event_date="2015-08-10", fatalities=30)
    store.add_document(RawDocument("d1", text, published="2015-08-11", source="x"),
                       {"doc_id": "d1", "genre": "news", "published": "2015-08-11",
                        "places": [], "events": [ev], "warnings": []})
    store.close()
    runner = CliRunner()
    missing = runner.invoke(app, ["alerts", "--db", str(path)])
    assert missing.exit_code == 2 and "E301" in missing.output
    assert runner.invoke(app, ["incidents", "--db", str(path), "--rebuild"]).exit_code == 0
    out = tmp_path / "alerts.jsonl"
    results = [runner.invoke(app, ["alerts", "--db", str(path), "--json", "--out", str(out)])
               for _ in range(2)]
    assert all(r.exit_code == 0 for r in results), results[0].output
    lines = [json.loads(line) for line in results[1].stdout.splitlines()]
    assert sorted(a["rule"] for a in lines) == ["mass-casualty", "prison-attacks"]
    assert [json.loads(line) for line in out.read_text("utf-8").splitlines()] == lines
    with sqlite3.connect(path) as conn:
        rows = conn.execute("select alert_id, rule, incident_ids from alerts "
                            "order by rule").fetchall()
    assert [(r[0], r[1]) for r in rows] == sorted((a["alert_id"], a["rule"]) for a in lines)
    assert all(json.loads(r[2]) for r in rows)
