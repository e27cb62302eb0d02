"""The HTTP API (`rasad.web.api`) through FastAPI's TestClient: filters, pagination, sorting,
GeoJSON and CSV, documents and incidents with their spans, 422s, and writes behind the token.
The tests that build a database run on each store backend (`new_db`: SQLite, and PostgreSQL
when ``$RASAD_TEST_PG_URL`` is set)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rasad.incidents.storage import rebuild
from rasad.io.export import ACLED_COLUMNS
from rasad.io.filters import EventFilter
from rasad.io.store import COLUMNS, Store, is_postgres_url
from rasad.web.api import STATIC, create_app
from rasad.web.mirror import Mirror
from rasad.web.queries import Query, event_where, report_view
from store_helpers import SANAA, UNLOCATED, event, make_store, query
from test_notice import notice_licences, packaged_data_files

TOKEN = "t0ken-for-tests"
ALEPPO = {"name": "Aleppo", "country": "SY", "admin1": "Aleppo Governorate", "latitude": 36.2,
          "longitude": 37.16}
TEXTS = {
    "d1": "قصفت الطائرات مدينة إدلب فقتل ثلاثة مدنيين. وقال المرصد إن القصف استمر.",
    "d2": "اندلعت اشتباكات بين الحوثيين والقوات الحكومية في صنعاء أمس.",
    "d3": "تظاهر المئات في العراق احتجاجاً على انقطاع الكهرباء.",
    "2015/d4": "قيل إن انفجاراً وقع في حلب قبل عامين، وقصفت الطائرات إدلب أيضاً.",
}


def sample_documents() -> dict[str, tuple[str, list[dict[str, Any]]]]:
    d1 = event("e1", TEXTS["d1"], "قصفت الطائرات مدينة إدلب فقتل ثلاثة مدنيين.")
    d1["fatalities_text"] = {"text": "ثلاثة", "start": TEXTS["d1"].index("ثلاثة"),
                             "end": TEXTS["d1"].index("ثلاثة") + 5}
    d1["actor1"].update(start=5, end=13)  # «الطائرات»
    d1["location"].update(text="إدلب", start=TEXTS["d1"].index("إدلب"),
                          end=TEXTS["d1"].index("إدلب") + 4)
    d1["attribution"] = {"text": "المرصد", "start": TEXTS["d1"].index("المرصد"),
                         "end": TEXTS["d1"].index("المرصد") + 6}
    d2 = event("e2", TEXTS["d2"], TEXTS["d2"], where=SANAA, event_type="Battles",
               sub_event_type="Armed clash", event_date="2015-07-10", fatalities=None)
    d2["actor1"] = {"name": "Houthis (Ansar Allah)", "text": "الحوثيين",
                    "start": TEXTS["d2"].index("الحوثيين"),
                    "end": TEXTS["d2"].index("الحوثيين") + 8, "inter": 2, "country": "YE"}
    d3 = event("e3", TEXTS["d3"], TEXTS["d3"], where=UNLOCATED, event_type="Protests",
               sub_event_type="Peaceful protest", event_date=None, fatalities=None)
    d4a = event("e4", TEXTS["2015/d4"], "قيل إن انفجاراً وقع في حلب قبل عامين", where=ALEPPO,
                event_type="Explosions/Remote violence",
                sub_event_type="Remote explosive/landmine/IED", event_date="2013-07-01",
                fatalities=None, modality="hedged", background=True)
    d4b = event("e5", TEXTS["2015/d4"], "وقصفت الطائرات إدلب أيضاً", event_date="2015-07-19",
                fatalities=1)
    return {"d1": (TEXTS["d1"], [d1]), "d2": (TEXTS["d2"], [d2]), "d3": (TEXTS["d3"], [d3]),
            "2015/d4": (TEXTS["2015/d4"], [d4a, d4b])}


@pytest.fixture
def db(new_db: Callable[[str], str]) -> str:
    return make_store(new_db("web"), sample_documents())


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    # As a context manager, so that the app's shutdown closes its store (a PostgreSQL
    # connection per test otherwise stays open until the run ends).
    with TestClient(create_app(db, token=TOKEN)) as c:
        yield c


def ids(response: Any, key: str = "event_id") -> set[str]:
    assert response.status_code == 200, response.text
    return {item[key] for item in response.json()["items"]}


def digest(db: str) -> str:
    """A hash of the database: the SQLite file's bytes, or every row of every PostgreSQL table
    rasad writes (with the change counter)."""
    if not is_postgres_url(db):
        return hashlib.sha256(Path(db).read_bytes()).hexdigest()
    tables = {row["table_name"] for row in query(
        db, "select table_name from information_schema.tables "
        "where table_schema = current_schema()")}
    rows = {table: query(db, f"select * from {table} order by 1")
            for table in sorted(tables) if table in (*COLUMNS, "verifications", "rasad_changes")}
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"e1", "e2", "e3", "e4", "e5"}),
    ({"type": "Battles"}, {"e2"}),
    ({"type": "air/drone strike"}, {"e1", "e5"}),
    ({"type": ["Battles", "Protests"]}, {"e2", "e3"}),
    ({"sub_type": "Remote explosive/landmine/IED"}, {"e4"}),
    ({"country": "YEM"}, {"e2"}),
    ({"country": ["SY", "Iraq"]}, {"e1", "e3", "e4", "e5"}),
    ({"admin1": "Idlib"}, {"e1", "e5"}),
    ({"date_from": "2015-07-15"}, {"e1", "e5"}),
    ({"date_from": "2015-07-01", "date_to": "2015-07-19"}, {"e2", "e5"}),
    ({"bbox": "36,35,37.5,37"}, {"e1", "e4", "e5"}),
    ({"modality": "hedged"}, {"e4"}),
    ({"actor": "houthi"}, {"e2"}),
    ({"actor": "الحوثيين"}, {"e2"}),
    ({"no_background": "true"}, {"e1", "e2", "e3", "e5"}),
    ({"q": "الطائرات"}, {"e1", "e5"}),
    ({"q": "الطائرات", "q_in": "document"}, {"e1", "e4", "e5"}),
    ({"q": "ادلب AND الطائرات", "country": "SY"}, {"e1", "e5"}),
    ({"q": "قصفت"}, {"e1"}),  # «وقصفت» of e5 is another token
    ({"q": "الكهرباء"}, {"e3"}),
])
def test_events_filters(client: TestClient, params: dict[str, Any], expected: set[str]) -> None:
    assert ids(client.get("/api/events", params=params)) == expected


@pytest.mark.parametrize("build", [
    {"countries": ["SY"]}, {"admin1": ["Idlib Governorate"]}, {"types": ["Battles"]},
    {"types": ["Air/drone strike", "Protests"]}, {"since": "2015-07-15"},
    {"until": "2015-07-10"}, {"no_background": True}, {"asserted_only": True},
    {"countries": ["SY"], "since": "2013-01-01", "until": "2015-07-19"},
])
def test_sql_filter_keeps_what_event_filter_keeps(db: str, build: dict[str, Any]) -> None:
    """`event_where` is `EventFilter.matches` in SQL: both keep the same events."""
    event_filter = EventFilter.build(**build)
    store = Store(db, create=False)
    expected = {e["event_id"] for r in store.records() for e in r["events"]
                if event_filter.matches(e)}
    store.close()
    mirror = Mirror(db)
    for indexed in (True, False):
        where, params = event_where(Query(events=event_filter), indexed=indexed)
        with mirror.read() as conn:
            found = {row[0] for row in conn.execute(
                f"select e.event_id from events e where {where}", params)}
        assert found == expected
    mirror.close()
    assert expected  # every case keeps something, so a wrong translation shows


def many_events(count: int = 60) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """`count` documents of one event each, with countries, types, dates, tolls, modalities
    and places drawn in turn (some missing), for the plans of a page."""
    places = [ALEPPO, SANAA, UNLOCATED, {**ALEPPO, "longitude": 40.5, "latitude": 33.1}]
    types = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
             ("Protests", "Peaceful protest")]
    documents = {}
    for k in range(count):
        text = f"قصفت الطائرات مدينة حلب رقم {k}. وقال المرصد إن القصف استمر."
        kind = types[k % 3]
        documents[f"m{k}"] = (text, [event(
            f"m{k}", text, text[:text.index(".") + 1], places[k % 4], kind[0], kind[1],
            None if k % 7 == 0 else f"2015-0{1 + k % 8}-{10 + k % 17}",
            None if k % 5 == 0 else k % 4, ("asserted", "hedged")[k % 6 == 0],
            k % 9 == 0)])
    return documents


def test_a_page_is_the_same_whichever_plan(new_db: Callable[[str], str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """`events_page` finds a page through the filters' indexes when few events pass, through
    the sort's index when many do: both plans give the page the plain query gives."""
    from rasad.web import queries

    db = make_store(new_db("plans"), many_events())
    mirror = Mirror(db)
    filters = [Query(), Query.build(countries=["SY"]), Query.build(types=["Battles"]),
               Query.build(date_from="2015-03-01", date_to="2015-06-30"),
               Query.build(modalities=["hedged"]), Query.build(no_background=True),
               Query.build(actors=["syria"], bbox="36,32,41,37"),
               Query.build(q="المرصد"), Query.build(countries=["Atlantis"][:0], q="رقم")]
    pages = 0
    with mirror.read() as conn:
        for query in filters:
            where, params = event_where(query, mirror.store)
            for sort in ("date", "-date", "fatalities", "-fatalities", "type", "-country",
                         "confidence"):
                order = queries._order(sort, queries.EVENT_SORTS, "e.id")
                for limit, offset in ((100, 0), (7, 0), (7, 14), (5, 58), (10, 100)):
                    plain = [json.loads(row[0]) for row in conn.execute(
                        "select j.json from events e join items j on j.id = e.id "
                        f"where {where} order by {order} limit ? offset ?",
                        [*params, limit, offset])]
                    for events in (0, 10**9):  # many pass, few pass
                        monkeypatch.setattr(queries, "_event_count", lambda conn, n=events: n)
                        page = json.loads(queries.events_page(conn, query, sort, limit,
                                                              offset, mirror.store))
                        assert page["items"] == plain, (query, sort, limit, offset, events)
                        pages += bool(plain)
    mirror.close()
    assert pages > 300


def test_the_quick_way_to_the_events_answers_as_the_route(client: TestClient, db: str) -> None:
    """A plain ``GET /api/events`` is answered in the event loop (`EventsFastPath`), byte for
    byte what the FastAPI route answers (an unknown parameter sends a request to the route);
    what the quick way does not take for certain goes to the route."""
    from rasad.web.asgi import EventsFastPath, plain_events_request

    quick_way = EventsFastPath(client.app, Mirror(db))
    plain = ["", "limit=2", "sort=date&limit=2&offset=2", "country=SY&country=YE",
             "type=Battles&type=Protests", "date_from=2015-07-01&date_to=2015-07-19",
             "bbox=36,35,37.5,37", "modality=hedged&modality=asserted", "actor=houthi",
             "no_background=true", "no_background=0", "q=%D8%A7%D9%84%D8%B7%D8%A7%D8%A6%D8%B1"
             "%D8%A7%D8%AA&q_in=document", "admin1=Idlib&sort=-fatalities", "format=json",
             "sub_type=Armed+clash", "offset=100"]
    for string in plain:
        assert plain_events_request(string.encode()) is not None, string
        quick = client.get(f"/api/events?{string}")
        routed = client.get(f"/api/events?{string}&routed=1")
        assert quick.status_code == routed.status_code == 200, quick.text
        assert quick.content == routed.content, string
        assert quick.headers["content-type"] == routed.headers["content-type"]
        if not is_postgres_url(db):  # PostgreSQL: every request goes to the route
            assert quick_way.answer(string.encode()) == routed.content, string
    routed_only = ["limit=abc", "limit=0", "limit=05", "limit=20001", "offset=-1", "type=",
                   "limit=1&limit=2", "modality=maybe", "no_background=yes", "format=csv",
                   "q_in=title", "country=Atlantis", "q=%22open", "other=1",
                   "q=" + "x" * 501, "offset=1000000000"]
    for string in routed_only:
        assert plain_events_request(string.encode()) is None, string
    for string in ("limit=abc", "country=Atlantis", "sort=size", "q=%22open"):
        assert client.get(f"/api/events?{string}").status_code == 422, string


def test_the_quick_way_leaves_a_busy_or_stale_copy_to_the_route(db: str) -> None:
    mirror = Mirror(db)
    with mirror.current() as conn:
        assert conn is not None
    with mirror.read(), mirror.current() as busy:
        assert busy is None
    text = "قصفت الطائرات بلدة في إدلب."
    make_store(db, {"d5": (text, [event("e6", text, text)])})
    with mirror.current() as stale:
        assert stale is None
    with mirror.read():
        pass
    with mirror.current() as fresh:
        assert fresh is not None
        assert fresh.execute("select count(*) from events").fetchone()[0] == 6
    mirror.close()


def test_the_actor_filter_finds_every_substring(db: str) -> None:
    """The actor filter keeps the events whose actor texts hold the words given (any case):
    through the trigram index for three characters or more, exactly as a substring search."""
    mirror = Mirror(db)
    with mirror.read() as conn:
        texts = [row[0] for row in conn.execute("select actor_words from events")]
        needles = {text[i:i + n] for text in texts for n in (1, 2, 3, 4, 7, 12)
                   for i in range(0, len(text), 3)}
        needles |= {'a"b', '"', "ces of", "Forces OF Syria", "syria\nhouthis", "حوثي", "x\ny"}
        for needle in sorted(needles):
            if not needle.strip():
                continue
            where, params = event_where(Query.build(actors=[needle]))
            found = {row[0] for row in conn.execute(
                f"select e.id from events e where {where}", params)}
            expected = {row[0] for row in conn.execute(
                "select id from events where instr(actor_words, ?) > 0",
                [needle.strip().casefold()])}
            assert found == expected, needle
    mirror.close()
    assert len(needles) > 50


def test_pagination_and_sorting(client: TestClient) -> None:
    every = client.get("/api/events", params={"sort": "date", "limit": 100}).json()
    assert every["total"] == 5
    dates = [item["event_date"] for item in every["items"]]
    assert dates == ["2013-07-01", "2015-07-10", "2015-07-19", "2015-07-20", None]  # nulls last
    newest = client.get("/api/events", params={"sort": "-date"}).json()["items"]
    assert [i["event_date"] for i in newest][:2] == ["2015-07-20", "2015-07-19"]
    pages = [client.get("/api/events", params={"sort": "date", "limit": 2, "offset": offset}
                        ).json() for offset in (0, 2, 4)]
    assert [p["total"] for p in pages] == [5, 5, 5]
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert [i["event_id"] for p in pages for i in p["items"]] == \
        [i["event_id"] for i in every["items"]]
    deaths = client.get("/api/events", params={"sort": "-fatalities"}).json()["items"]
    assert [i["fatalities"] for i in deaths][:2] == [3, 1]


@pytest.mark.parametrize(("params", "words"), [
    ({"date_from": "2015-13-01"}, "date_from '2015-13-01' is not a date"),
    ({"date_from": "2015-08-01", "date_to": "2015-07-01"}, "date_from 2015-08-01 is after"),
    ({"type": "Bombing"}, "unknown event type 'Bombing'"),
    ({"sub_type": "Battles"}, "unknown sub_type 'Battles'"),
    ({"country": "Atlantis"}, "unknown country 'Atlantis'"),
    ({"bbox": "1,2,3"}, "bbox '1,2,3' must be four numbers"),
    ({"bbox": "10,0,5,1"}, "min_lon <= max_lon"),
    ({"sort": "size"}, "unknown sort 'size'"),
    ({"q": '"unclosed'}, "is never closed"),
    ({"q": "داعش OR"}, "bad search query"),
    ({"modality": "maybe"}, "Input should be 'asserted'"),
    ({"limit": 0}, "greater than or equal to 1"),
    ({"offset": -1}, "greater than or equal to 0"),
    ({"q_in": "title"}, "Input should be 'evidence' or 'document'"),
])
def test_bad_parameters_are_422_with_a_clear_message(client: TestClient, params: dict[str, Any],
                                                     words: str) -> None:
    for path in ("/api/events", "/api/incidents"):
        response = client.get(path, params=params)
        if path == "/api/incidents" and "sort" in params:
            continue  # the two lists sort by different keys; size is unknown to both
        assert response.status_code == 422, (path, response.text)
        messages = " ".join(d["msg"] for d in response.json()["detail"])
        assert words in messages, messages


def test_geojson_is_a_valid_feature_collection_of_the_filter(client: TestClient) -> None:
    for url, params in (("/api/events.geojson", {"country": "SY"}),
                        ("/api/events", {"country": "SY", "format": "geojson"})):
        response = client.get(url, params=params)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/geo+json")
        data = response.json()
        assert data["type"] == "FeatureCollection"
        assert {f["id"] for f in data["features"]} == {"e1", "e4", "e5"}  # e3 has no place
        for feature in data["features"]:
            assert feature["type"] == "Feature"
            assert feature["geometry"]["type"] == "Point"
            lon, lat = feature["geometry"]["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert isinstance(feature["properties"], dict)
            assert feature["properties"]["country"] == "Syria"
    nothing = client.get("/api/events.geojson", params={"country": "LB"}).json()
    assert nothing == {"type": "FeatureCollection", "features": []}


def test_csv_export_has_acled_columns_and_the_filtered_rows(client: TestClient) -> None:
    response = client.get("/api/events.csv", params={"type": "Air/drone strike"})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert sorted(r["event_id_cnty"] for r in rows) == ["SYR-e1", "SYR-e5"]


def test_document_has_text_and_spans_that_slice_it(client: TestClient) -> None:
    doc = client.get("/api/documents/2015/d4").json()  # an id with a slash
    assert doc["text"] == TEXTS["2015/d4"]
    assert {e["event_id"] for e in doc["events"]} == {"e4", "e5"}
    for item in client.get("/api/documents/d1").json()["events"]:
        fields = {s["field"] for s in item["spans"]}
        assert {"actor1", "location", "fatalities_text", "attribution", "evidence"} <= fields
        for span in item["spans"]:
            assert TEXTS["d1"][span["start"]:span["end"]] == span["text"]
    assert client.get("/api/documents/nope").status_code == 404


def test_report_view_marks_spans_inside_and_around_the_evidence() -> None:
    text = TEXTS["d1"]
    record = sample_documents()["d1"][1][0]
    view = report_view(record, text, window=10)
    evidence = view["evidence"]
    assert evidence["text"] == text[evidence["start"]:evidence["end"]]
    marked = {m["field"]: evidence["text"][m["start"]:m["end"]] for m in evidence["marks"]}
    assert marked == {"actor1": "الطائرات", "location": "إدلب", "fatalities_text": "ثلاثة"}
    [outside] = view["context"]  # the attribution is in the next sentence
    assert outside["field"] == "attribution"
    [mark] = outside["marks"]
    assert outside["text"][mark["start"]:mark["end"]] == "المرصد"


def test_incidents_without_the_incidents_table_are_single_events(client: TestClient) -> None:
    page = client.get("/api/incidents", params={"country": "SY", "sort": "date"}).json()
    assert page["total"] == 3
    assert [i["incident_id"] for i in page["items"]] == ["e4", "e5", "e1"]
    assert all(i["reports"] == 1 for i in page["items"])
    detail = client.get("/api/incidents/e1").json()
    [report] = detail["reports_list"]
    assert report["doc_id"] == "d1" and report["title"] == "title d1"
    assert {m["field"] for m in report["view"]["evidence"]["marks"]} >= {"actor1", "location"}
    assert client.get("/api/incidents/nope").status_code == 404


def test_incidents_from_the_incidents_table(db: str) -> None:
    store = Store(db)
    incidents = rebuild(store)
    store.close()
    with TestClient(create_app(db)) as client:
        page = client.get("/api/incidents", params={"limit": 100}).json()
        assert page["total"] == len(incidents)
        members = {i.incident_id: {m.report.key[1] for m in i.members} for i in incidents}
        assert {i["incident_id"] for i in page["items"]} == set(members)
        battle = client.get("/api/incidents", params={"type": "Battles"}).json()["items"]
        assert [members[i["incident_id"]] for i in battle] == [{"e2"}]
        for incident_id, events in members.items():
            detail = client.get(f"/api/incidents/{incident_id}").json()
            assert {r["event"]["event_id"] for r in detail["reports_list"]} == events
        for item in client.get("/api/events").json()["items"]:
            assert item["event_id"] in members[item["incident_id"]]


def test_stats_count_incidents_per_day_and_type(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["total"] == 5 and stats["undated"] == 1
    assert sum(d["count"] for d in stats["days"]) == 4
    assert {"date": "2015-07-10", "event_type": "Battles", "count": 1} in stats["days"]
    assert stats["by_type"]["Explosions/Remote violence"] == 3
    assert client.get("/api/stats", params={"country": "YE"}).json()["total"] == 1


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401), ({"Authorization": "Bearer wrong"}, 403), ({"X-Rasad-Token": "wrong"}, 403),
    ({"Authorization": "Basic " + TOKEN}, 401),
])
def test_writes_without_the_token_are_refused_and_change_nothing(
        client: TestClient, db: str, headers: dict[str, str], status: int) -> None:
    before = digest(db)
    for path, body in (("/api/incidents/e1/verify", {"verified": True}),
                       ("/api/incidents/e1/verify", {"verified": "not a bool"}),
                       ("/api/documents", {"id": "new", "text": "قتل خمسة في بغداد"}),
                       ("/api/documents", {"text": ""})):
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == status, (path, response.text)
    assert digest(db) == before
    assert client.get("/api/incidents/e1").json()["verified"] is None


def test_a_server_without_a_token_is_read_only(db: str) -> None:
    with TestClient(create_app(db)) as client:
        before = digest(db)
        response = client.post("/api/incidents/e1/verify", json={},
                               headers={"Authorization": "Bearer anything"})
        assert response.status_code == 403
        assert "read-only" in response.json()["detail"]
        assert digest(db) == before


def test_reads_change_nothing(client: TestClient, db: str) -> None:
    before = digest(db)
    for url in ("/api/events?q=الطائرات", "/api/incidents", "/api/stats", "/api/facets",
                "/api/documents/d1", "/api/incidents/e1", "/api/events.csv", "/"):
        assert client.get(url).status_code == 200
    assert digest(db) == before


def test_verify_with_the_token(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = client.post("/api/incidents/e2/verify", json={"note": "two outlets"},
                           headers=auth)
    assert response.status_code == 200, response.text
    [item] = client.get("/api/incidents", params={"type": "Battles"}).json()["items"]
    assert item["verified"] is True and item["verified_note"] == "two outlets"
    client.post("/api/incidents/e2/verify", json={"verified": False}, headers=auth)
    assert client.get("/api/incidents/e2").json()["verified"] is False
    assert client.post("/api/incidents/nope/verify", json={}, headers=auth).status_code == 404


def test_ingest_one_document_with_the_token(client: TestClient) -> None:
    response = client.post("/api/documents", headers={"X-Rasad-Token": TOKEN}, json={
        "id": "new-1", "published": "2015-07-21", "source": "test",
        "text": "قتل خمسة مدنيين في انفجار سيارة مفخخة في بغداد أمس."})
    assert response.status_code == 201, response.text
    assert response.json()["events"] >= 1
    events = client.get("/api/events", params={"country": "IQ", "date_from": "2015-07-20"})
    assert "new-1" in {item["doc_id"] for item in events.json()["items"]}
    assert client.get("/api/documents/new-1").json()["source"] == "test"


def test_openapi_and_docs_are_served_from_packaged_assets(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/incidents", "/api/documents/{doc_id}", "/api/stats",
            "/api/events.geojson", "/api/events.csv"} <= set(spec["paths"])
    docs = client.get("/docs").text
    urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", docs)
    assert urls and all(u.startswith("/") for u in urls), urls
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_page_loads_nothing_from_outside(client: TestClient) -> None:
    response = client.get("/")
    assert "connect-src 'self'" in response.headers["content-security-policy"]
    page = response.text
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    urls = re.findall(r"""(?:src|href)="([^"]+)\"""", page)
    assert urls and all(u.startswith("/") for u in urls), urls
    for url in urls:
        assert client.get(url).status_code == 200, url
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", script)  # only the SVG namespace
    assert "tileLayer" not in script and "{z}" not in script  # no map tiles


def test_every_static_file_has_a_licence_line() -> None:
    licences = notice_licences((STATIC / "NOTICE").read_text(encoding="utf-8"))
    files = packaged_data_files(STATIC)
    assert "vendor/leaflet/leaflet.js" in files
    assert [f for f in files if f not in licences] == []
    assert [f for f in licences if f not in files] == []
    for vendored in ("leaflet", "leaflet.markercluster", "topojson-client", "world-atlas",
                     "swagger-ui-dist"):
        assert any(f.startswith(f"vendor/{vendored}/") and re.search("LICEN[CS]E", f)
                   for f in files), vendored


def test_a_database_rasad_did_not_write_is_refused(tmp_path: Path) -> None:
    from rasad.errors import StoreError

    other = tmp_path / "other.db"
    other.write_bytes(b"")
    with pytest.raises(StoreError):
        create_app(other)
    with pytest.raises(StoreError):
        create_app(tmp_path / "missing.db")


def test_events_items_match_the_stored_records(client: TestClient) -> None:
    items = {i["event_id"]: i for i in client.get("/api/events").json()["items"]}
    stored = {e["event_id"]: e for _, events in sample_documents().values() for e in events}
    for event_id, item in items.items():
        record = stored[event_id]
        assert item["event_type"] == record["event_type"]
        assert item["latitude"] == record["location"]["latitude"]
        assert item["evidence"] == record["evidence"]["text"]
        assert item["background"] == bool(record.get("background"))
    assert json.dumps(items, ensure_ascii=False)  # serialisable as is


def test_the_lists_follow_changes_made_by_another_connection(db: str) -> None:
    """The in-memory copy is rebuilt when the file changes (``rasad extract --db`` running)."""
    with TestClient(create_app(db)) as client:
        assert client.get("/api/events").json()["total"] == 5
        text = "قصفت الطائرات بلدة في إدلب."
        make_store(db, {"d5": (text, [event("e6", text, text)])})
        assert client.get("/api/events").json()["total"] == 6
        assert "e6" in ids(client.get("/api/events", params={"q": "بلدة"}))


def test_the_copy_is_kept_while_nothing_is_written(db: str) -> None:
    """Reads reuse the in-memory copy; a commit by another connection replaces it."""
    mirror = Mirror(db)
    with mirror.read() as first:
        pass
    with mirror.read() as again:
        assert again is first
    text = "قصفت الطائرات بلدة في إدلب."
    make_store(db, {"d5": (text, [event("e6", text, text)])})
    with mirror.read() as rebuilt:
        assert rebuilt is not first
        assert rebuilt.execute("select count(*) from events").fetchone()[0] == 6
    mirror.close()


def test_a_postgresql_database_without_the_change_counter_is_followed(
        postgres_db: Callable[[str], str]) -> None:
    """A schema written before `rasad_changes` existed: the copy follows the server's WAL
    position until a writer adds the counter."""
    import psycopg

    db = make_store(postgres_db("nocounter"), sample_documents())
    with psycopg.connect(db) as conn:
        conn.execute("drop table rasad_changes")
    mirror = Mirror(db)
    with mirror.read() as conn:
        assert conn.execute("select count(*) from events").fetchone()[0] == 5
    text = "قصفت الطائرات بلدة في إدلب."
    make_store(db, {"d5": (text, [event("e6", text, text)])})
    with mirror.read() as conn:
        assert conn.execute("select count(*) from events").fetchone()[0] == 6
    mirror.close()


def test_incidents_as_a_table_hold_the_same_incidents(client: TestClient) -> None:
    params = {"country": "SY", "sort": "-date"}
    items = client.get("/api/incidents", params=params).json()
    table = client.get("/api/incidents", params={**params, "format": "table"}).json()
    assert table["total"] == items["total"] == 3
    assert [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]] == \
        items["items"]


def test_rasad_serve_with_workers(db: str) -> None:
    """``rasad serve --workers 2``: each worker process serves the same database and token."""
    import urllib.error
    import urllib.request

    from web_helpers import serve

    with serve(db, token=TOKEN, workers=2) as base:
        with urllib.request.urlopen(base + "/api/events", timeout=30) as response:
            assert json.loads(response.read())["total"] == 5
        request = urllib.request.Request(base + "/api/incidents/e1/verify", data=b"{}",
                                         method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 401
