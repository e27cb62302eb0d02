"""The API never answers 500: hypothesis sends arbitrary query parameters, paths and bodies
(the in-suite counterpart of running schemathesis against /openapi.json).  Derandomised and
bounded like tests/test_fuzz.py; RASAD_FUZZ_EXAMPLES sets a deep run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasad.incidents.storage import rebuild
from rasad.io.store import Store
from rasad.web.api import create_app
from store_helpers import make_store
from test_web_api import TOKEN, sample_documents

DEEP = int(os.environ.get("RASAD_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=DEEP or 60, deadline=None, derandomize=not DEEP,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])
PARAMETERS = ("type", "sub_type", "actor", "country", "admin1", "date_from", "date_to", "bbox",
              "modality", "q", "q_in", "no_background", "sort", "limit", "offset", "format")
PLAUSIBLE = ("Battles", "Armed clash", "SY", "Syria", "Idlib", "2015-07-20", "2015-7-1",
             "36,35,37,36", "1,2,3", "nan,0,1,1", "asserted", "evidence", "document", "true",
             "-date", "reports", "0", "-1", "20001", "99999999999999999999", "geojson", "csv",
             "داعش", '"قصف', "ادلب OR", "NEAR(a b", "title:قصف", "*", "\x00", "%", "_")
VALUES = st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=30),
                   st.integers(-10**20, 10**20).map(str))
QUERIES = st.lists(st.tuples(st.sampled_from(PARAMETERS), VALUES), max_size=6)
PATHS = ("/api/events", "/api/incidents", "/api/stats", "/api/events.geojson",
         "/api/events.csv", "/api/facets")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = make_store(tmp_path_factory.mktemp("fuzz") / "web.db", sample_documents())
    store = Store(db)
    rebuild(store)
    store.close()
    with TestClient(create_app(db, token=TOKEN)) as client:  # its shutdown closes the store
        yield client


def _ok(response: Any, allowed: set[int]) -> None:
    assert response.status_code in allowed, (response.status_code, response.text[:500])
    if response.headers.get("content-type", "").startswith("application/json"):
        response.json()


@FUZZ
@given(path=st.sampled_from(PATHS), query=QUERIES)
def test_lists_answer_200_or_422(client: TestClient, path: str, query: list[tuple[str, str]]
                                 ) -> None:
    _ok(client.get(path, params=query), {200, 422})


@FUZZ
@given(kind=st.sampled_from(("incidents", "documents")), key=st.text(min_size=1, max_size=40))
def test_item_paths_answer_200_or_404(client: TestClient, kind: str, key: str) -> None:
    _ok(client.get(f"/api/{kind}/{quote(key, safe='')}"), {200, 404})


BODIES = st.one_of(st.none(), st.dictionaries(st.sampled_from(
    ("verified", "note", "id", "text", "title", "published")), st.one_of(
    st.text(max_size=20), st.booleans(), st.integers(), st.none()), max_size=4))


@FUZZ
@given(body=BODIES, key=st.sampled_from(("e1", "e2", "nope")))
def test_writes_without_the_token_are_always_401(client: TestClient, body: Any, key: str
                                                 ) -> None:
    for path in (f"/api/incidents/{key}/verify", "/api/documents"):
        _ok(client.post(path, json=body), {401})


@FUZZ
@given(body=BODIES, key=st.sampled_from(("e1", "e2", "nope")))
def test_verify_with_the_token_never_fails(client: TestClient, body: Any, key: str) -> None:
    response = client.post(f"/api/incidents/{key}/verify", json=body,
                           headers={"Authorization": f"Bearer {TOKEN}"})
    _ok(response, {200, 404, 422})
