"""Shared fixtures: paths to the project's own fixtures and to ../shared (when present), and
new databases of each store backend (SQLite; PostgreSQL when ``$RASAD_TEST_PG_URL`` is set)."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


PG_URL_ENV = "RASAD_TEST_PG_URL"


def with_schema(url: str, schema: str) -> str:
    """`url` with its connections' search path set to `schema` (libpq's ``options``)."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query), ("options", f"-csearch_path={schema}")]
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.fixture(scope="session")
def postgres_db() -> Iterator[Callable[[str], str]]:
    """Makes a new PostgreSQL database as a ``--db`` URL: the database of
    ``$RASAD_TEST_PG_URL`` with a schema of its own (dropped at the end of the run), so that
    tests never see each other's rows; skips without the variable or psycopg."""
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(f"PostgreSQL store tests need {PG_URL_ENV}, the postgresql:// URL of a "
                    "database where they may create schemas (.ci/run sets one up)")
    psycopg = pytest.importorskip("psycopg", reason="psycopg (rasad[postgres]) not installed")
    admin = psycopg.connect(url, autocommit=True)
    schemas: list[str] = []

    def make(name: str) -> str:
        schema = f"rasad_test_{re.sub('[^a-z0-9]', '', name.lower())}_{uuid.uuid4().hex[:12]}"
        admin.execute(f"create schema {schema}")
        schemas.append(schema)
        return with_schema(url, schema)

    yield make
    for schema in schemas:
        admin.execute(f"drop schema {schema} cascade")
    admin.close()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    """Each store backend in turn: the store tests run over both."""
    return str(request.param)


@pytest.fixture(scope="session")
def new_db(backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
           ) -> Callable[[str], str]:
    """Makes a new, empty database of the backend, as a ``--db`` value: a SQLite file in a
    temporary folder, or a PostgreSQL schema (`postgres_db`)."""
    if backend == "postgres":
        return request.getfixturevalue("postgres_db")
    return lambda name: str(tmp_path_factory.mktemp("db") / f"{name}.db")
