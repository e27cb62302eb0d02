"""The trends and alerts endpoints (`rasad.web.monitor`) through FastAPI's TestClient.

The database is built as a user would: ``rasad extract --db`` over the texts of
articles_dev.jsonl, then ``rasad incidents`` and ``rasad alerts``; the answers are compared with
what ``rasad trends --json`` prints and ``rasad alerts --out`` writes on the same database.  The
cases before ``rasad incidents`` (409) and before ``rasad alerts`` (no alerts) use hand-made
documents and need nothing from ../shared.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rasad.cli import app as cli
from rasad.incidents.storage import rebuild
from rasad.io.store import open_store
from rasad.web.api import create_app
from store_helpers import SANAA, event, make_store
from web_helpers import rasad

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "gold" / "articles_dev.jsonl"
runner = CliRunner()


@pytest.fixture(scope="module")
def dev_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[dict[str, Any]]]]:
    """The dev database after ``rasad incidents`` and ``rasad alerts``, and the alerts that
    ``rasad alerts --out`` wrote."""
    if not DEV.is_file():
        pytest.skip("../shared/data is not present")
    folder = tmp_path_factory.mktemp("monitor")
    db, alerts = folder / "dev.db", folder / "alerts.jsonl"
    rasad("extract", str(DEV), "--db", str(db), "--quiet", "--out", str(folder / "dev.jsonl"))
    rasad("incidents", "--db", str(db))
    rasad("alerts", "--db", str(db), "--out", str(alerts))
    yield db, [json.loads(line) for line in alerts.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def client(dev_db: tuple[Path, list[dict[str, Any]]]) -> TestClient:
    return TestClient(create_app(dev_db[0]))


def cli_trends(db: Path, *options: str) -> dict[str, Any]:
    result = runner.invoke(cli, ["trends", "--db", str(db), "--json", *options])
    assert result.exit_code == 0, result.output
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize(("params", "options"), [
    ({}, []),
    ({"by": "admin1", "period": "day"}, ["--by", "admin1", "--period", "day"]),
    ({"period": "day", "baseline": 2, "since": "2015-08-01", "until": "2015-08-09"},
     ["--period", "day", "--baseline", "2", "--since", "2015-08-01", "--until", "2015-08-09"]),
    ({"country": ["YE", "Iraq"], "type": "Battles"},
     ["--country", "YE", "--country", "Iraq", "--type", "Battles"]),
])
def test_trends_is_what_rasad_trends_json_prints(client: TestClient,
                                                dev_db: tuple[Path, list[dict[str, Any]]],
                                                params: dict[str, Any], options: list[str]) -> None:
    response = client.get("/api/trends", params=params)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer == cli_trends(dev_db[0], *options)
    assert answer["areas"], "every case counts some incidents, so a wrong answer shows"


@pytest.mark.shared
@pytest.mark.slow
def test_trends_count_every_incident_once(client: TestClient,
                                          dev_db: tuple[Path, list[dict[str, Any]]]) -> None:
    answer = client.get("/api/trends", params={"period": "day"}).json()
    store = open_store(dev_db[0], create=False)
    stored = store.select("select count(*) as n from incidents")[0]["n"]
    store.close()
    counted = sum(area["total_incidents"] for area in answer["areas"])
    assert counted + sum(answer["left_out"].values()) == stored
    for area in answer["areas"]:
        assert len(area["incidents"]) == len(area["baseline"]) == len(answer["periods"])
        assert sum(area["incidents"]) == area["total_incidents"]
    narrowed = client.get("/api/trends", params={"period": "day", "country": "YE"}).json()
    assert [a["country"] for a in narrowed["areas"]] == ["YE"]


@pytest.mark.shared
@pytest.mark.slow
def test_alerts_are_the_stored_rows_newest_first(client: TestClient,
                                                 dev_db: tuple[Path, list[dict[str, Any]]]) -> None:
    written = dev_db[1]
    assert written, "the dev database raises alerts with the default rules"
    answer = client.get("/api/alerts").json()
    assert answer["total"] == len(answer["items"]) == len(written)
    by_id = {alert["alert_id"]: alert for alert in written}
    for item in answer["items"]:
        area_ar = item.pop("area_ar")
        assert area_ar is None or isinstance(area_ar, str)
        assert item == by_id[item["alert_id"]]
    ends = [item["period_end"] for item in answer["items"]]
    assert ends == sorted(ends, reverse=True)
    rule = written[0]["rule"]
    only = client.get("/api/alerts", params={"rule": rule}).json()["items"]
    assert {a["alert_id"] for a in only} == {a["alert_id"] for a in written if a["rule"] == rule}
    country = written[0]["country"]
    there = client.get("/api/alerts", params={"country": country}).json()["items"]
    assert {a["alert_id"] for a in there} == \
        {a["alert_id"] for a in written if a["country"] == country}
    assert client.get("/api/alerts", params={"rule": "no such rule"}).json() == \
        {"total": 0, "items": []}


@pytest.mark.shared
@pytest.mark.slow
def test_an_alert_comes_with_its_incidents(client: TestClient,
                                          dev_db: tuple[Path, list[dict[str, Any]]]) -> None:
    for alert in dev_db[1]:
        answer = client.get(f"/api/alerts/{alert['alert_id']}").json()
        assert {i["incident_id"] for i in answer["incidents"]} == set(alert["incident_ids"])
        for incident in answer["incidents"]:
            assert isinstance(incident["actors"], list)
            detail = client.get(f"/api/incidents/{incident['incident_id']}").json()
            assert detail["event_type"] == incident["event_type"]
    assert client.get("/api/alerts/alert-nope").status_code == 404


@pytest.mark.shared
@pytest.mark.slow
def test_reads_change_nothing(client: TestClient,
                              dev_db: tuple[Path, list[dict[str, Any]]]) -> None:
    before = hashlib.sha256(dev_db[0].read_bytes()).hexdigest()
    first = dev_db[1][0]["alert_id"]
    for url in ("/api/trends", "/api/trends?by=admin1&period=day", "/api/alerts",
                f"/api/alerts/{first}"):
        assert client.get(url).status_code == 200, url
    assert hashlib.sha256(dev_db[0].read_bytes()).hexdigest() == before


TEXT = "قصفت الطائرات مدينة إدلب فقتل ثلاثة مدنيين."


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    db = tmp_path / "small.db"
    make_store(str(db), {"d1": (TEXT, [event("e1", TEXT, TEXT)])})
    return db


@pytest.mark.parametrize(("params", "words"), [
    ({"by": "province"}, "Input should be 'country' or 'admin1'"),
    ({"period": "month"}, "Input should be 'day' or 'week'"),
    ({"since": "2015-13-01"}, "valid date"),
    ({"since": "2015-08-02", "until": "2015-08-01"}, "is after"),
    ({"baseline": 0}, "greater than or equal to 1"),
    ({"since": "0001-01-01"}, "since 0001-01-01 is outside 1900-01-01 to 2100-12-31"),
    ({"country": "Atlantis"}, "unknown country 'Atlantis'"),
    ({"type": "Bombing"}, "unknown event type 'Bombing'"),
])
def test_bad_trends_parameters_are_422(small_db: Path, params: dict[str, Any],
                                        words: str) -> None:
    store = open_store(small_db)
    rebuild(store)
    store.close()
    response = TestClient(create_app(small_db)).get("/api/trends", params=params)
    assert response.status_code == 422, response.text
    assert words in " ".join(d["msg"] for d in response.json()["detail"])


def test_before_rasad_incidents_trends_are_409_and_alerts_empty(small_db: Path) -> None:
    client = TestClient(create_app(small_db))
    response = client.get("/api/trends")
    assert response.status_code == 409
    assert "E301" in response.json()["detail"]
    assert "rasad incidents" in response.json()["detail"]
    assert client.get("/api/alerts").json() == {"total": 0, "items": []}
    assert client.get("/api/alerts", params={"country": "Atlantis"}).status_code == 422
    assert client.get("/api/alerts/alert-1").status_code == 404
    store = open_store(small_db)
    rebuild(store)
    store.close()
    answer = client.get("/api/trends", params={"period": "day", "since": "2015-07-20"}).json()
    assert [(a["country"], a["total_incidents"]) for a in answer["areas"]] == [("SY", 1)]
    assert answer["areas"][0]["incidents"] == [1, 0]  # dated the 20th, reported the 21st


def test_the_endpoints_are_in_the_openapi_spec(small_db: Path) -> None:
    spec = TestClient(create_app(small_db)).get("/openapi.json").json()
    assert {"/api/trends", "/api/alerts", "/api/alerts/{alert_id}"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/trends"]["get"]["parameters"]}
    assert names == {"by", "period", "type", "country", "since", "until", "baseline"}


def test_alerts_of_several_periods_come_newest_first(small_db: Path) -> None:
    from rasad.incidents.alerts import Alert, write_alerts

    def alert(rule: str, end: str) -> Alert:
        return Alert(rule, "keyword", "Idlib, Syria", "SY", "Idlib", end, end, 1,
                     None, "incidents", 1.0, 1.0, ["inc-1"], f"{rule} {end}")

    store = open_store(small_db)
    write_alerts(store, [alert("b", "2015-07-07"), alert("a", "2015-07-21"),
                         alert("c", "2015-07-14"), alert("b", "2015-07-21")])
    store.close()
    items = TestClient(create_app(small_db)).get("/api/alerts").json()["items"]
    assert [(a["period_end"], a["rule"]) for a in items] == [
        ("2015-07-21", "a"), ("2015-07-21", "b"), ("2015-07-14", "c"), ("2015-07-07", "b")]
    assert items[0]["incident_ids"] == ["inc-1"] and items[0]["area_ar"]


def test_trends_read_the_database_once_per_change(small_db: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`/api/trends` reads the incidents once, not once per request, and reads them again
    after a change (another connection adds a document and runs `rasad incidents`)."""
    import rasad.web.monitor as monitor

    reads: list[int] = []

    def counted(store: Any) -> Any:
        reads.append(1)
        return load(store)

    load = monitor.load_incidents
    monkeypatch.setattr(monitor, "load_incidents", counted)
    store = open_store(small_db)
    rebuild(store)
    store.close()
    client = TestClient(create_app(small_db))
    params = {"period": "day", "since": "2015-07-20"}
    first = client.get("/api/trends", params=params)
    assert first.status_code == 200, first.text
    for other in ({}, {"by": "admin1"}, params, {"country": "SY", **params}):
        assert client.get("/api/trends", params=other).status_code == 200
    assert client.get("/api/trends", params=params).content == first.content
    assert len(reads) == 1
    assert [(a["country"], a["incidents"]) for a in first.json()["areas"]] == [("SY", [1, 0])]
    clash = "اشتبك مسلحون مع الشرطة في صنعاء."
    make_store(str(small_db), {"d2": (clash, [event("e2", clash, clash, SANAA, "Battles",
                                                    "Armed clash", "2015-07-21")])})
    store = open_store(small_db)
    rebuild(store)
    store.close()
    again = client.get("/api/trends", params=params).json()
    assert len(reads) == 2
    assert {a["country"]: a["incidents"] for a in again["areas"]} == {"SY": [1, 0],
                                                                       "YE": [0, 1]}
    assert client.get("/api/trends", params={"since": "2015-08-02", "until": "2015-08-01"}
                      ).status_code == 422
    assert len(reads) == 2


FUZZ = settings(max_examples=int(os.environ.get("RASAD_FUZZ_EXAMPLES", "0")) or 40,
                deadline=None, derandomize="RASAD_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])
PLAUSIBLE = ("country", "admin1", "day", "week", "YE", "Syria", "Battles", "2015-07-20",
             "2015-7-1", "0001-01-01", "9999-12-31", "1900-01-01", "2100-12-31", "0", "-1",
             "1000", "99999999999999999999", "mass-casualty", "\x00", "%")
QUERIES = st.lists(st.tuples(st.sampled_from(("by", "period", "type", "country", "since",
                                             "until", "baseline", "rule")),
                             st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=20))),
                   max_size=5)


@FUZZ
@given(path=st.sampled_from(("/api/trends", "/api/alerts")), query=QUERIES,
       key=st.text(min_size=1, max_size=30))
def test_the_endpoints_never_answer_500(small_db: Path, path: str,
                                        query: list[tuple[str, str]], key: str) -> None:
    store = open_store(small_db)
    if not store.has_table("incidents"):  # the first example: 409; the next: incidents
        rebuild(store)
    store.close()
    client = TestClient(create_app(small_db))
    assert client.get(path, params=query).status_code in {200, 409, 422}
    assert client.get(f"/api/alerts/{quote(key, safe='')}").status_code == 404


def test_the_router_reads_either_store_backend(new_db: Any) -> None:
    """`monitor_router` reads through the store: on SQLite and PostgreSQL alike (the rest of the
    app reads SQLite only), the same answers before and after ``rasad incidents`` and alerts."""
    from fastapi import FastAPI

    from rasad.incidents.alerts import Alert, write_alerts
    from rasad.web.monitor import monitor_router

    db = make_store(new_db("monitor"), {"d1": (TEXT, [event("e1", TEXT, TEXT)])})
    app = FastAPI()
    app.include_router(monitor_router(db))
    client = TestClient(app)
    assert client.get("/api/trends").status_code == 409
    assert client.get("/api/alerts").json() == {"total": 0, "items": []}
    store = open_store(db)
    [incident] = rebuild(store)
    write_alerts(store, [Alert("watch", "keyword", "Idlib, Syria", "SY", "Idlib", "2015-07-20",
                               "2015-07-20", 1, None, "incidents", 1.0, 1.0,
                               [incident.incident_id], "Idlib, Syria: 1 incident")])
    store.close()
    trends = client.get("/api/trends", params={"period": "day", "since": "2015-07-20"}).json()
    assert [(a["country"], a["incidents"]) for a in trends["areas"]] == [("SY", [1, 0])]
    [alert] = client.get("/api/alerts", params={"country": "Syria"}).json()["items"]
    assert alert["incident_ids"] == [incident.incident_id]
    detail = client.get(f"/api/alerts/{alert['alert_id']}").json()
    assert [i["incident_id"] for i in detail["incidents"]] == [incident.incident_id]
