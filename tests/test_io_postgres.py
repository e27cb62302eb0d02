"""The PostgreSQL store: queries in `rasad.io.fts` syntax become ``to_tsquery`` expressions,
``--db postgresql://…`` picks the backend (E502 without psycopg, E301 when unreachable, no
password in messages), and on a real server (``$RASAD_TEST_PG_URL``) both backends store the
same rows and find the same documents for the same queries."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rasad.cli import app
from rasad.errors import ConfigError, StoreError
from rasad.io.store import COLUMNS, backend, display_name, open_store
from rasad.io.tsquery import lexeme, tsquery
from store_helpers import make_store, table_rows

runner = CliRunner()


@pytest.mark.parametrize(("query", "expected"), [
    ('إدلب AND "محافظة حلب" OR title:مأرب*', "(('ادلب' & 'محافظه حلب') | 'مارب':*A)"),
    ("«قوات النظام» NOT داعش", "('قوات النظام' & !'داعش')"),
    ("a NOT b c", "('a' & !('b' & 'c'))"),  # side by side binds tighter than NOT, as in FTS5
    ("a NOT b AND c", "(('a' & !'b') & 'c')"),
    ("a OR b c", "('a' | ('b' & 'c'))"),
    ("(إدلب OR حلب) AND قصف*", "(('ادلب' | 'حلب') & 'قصف':*)"),
    ("-title: x + y", "'x y':B"),
    ("{title text}: (a OR b)", "('a':AB | 'b':AB)"),
    ("NEAR(إدلب حلب, ١)",
     "('ادلب' <1> 'حلب' | 'حلب' <1> 'ادلب' | 'ادلب' <2> 'حلب' | 'حلب' <2> 'ادلب')"),
])
def test_tsquery_keeps_the_syntax_and_normalises_the_words(query: str, expected: str) -> None:
    assert tsquery(query) == expected


def test_tsquery_near_of_three_wants_every_pair_near() -> None:
    expression = tsquery("NEAR(a b c, 0)")
    assert expression.count("<1>") == 6 and expression.startswith("((") and " & " in expression
    assert tsquery("NEAR(a b)").count("|") == 2 * 11 - 1  # distance 10: 1 to 11 words apart


@pytest.mark.parametrize("query", ["^إدلب", "place:حلب", "داعش OR", "(إدلب", "NEAR(إدلب, x)",
                                   "إدلب)", "NOT", '"إدلب', "{title: حلب", "(إدلب OR حلب) قصف"])
def test_tsquery_errors_are_e303(query: str) -> None:
    with pytest.raises(StoreError) as caught:
        tsquery(query)
    assert caught.value.code == "E303"


def test_a_column_filter_on_evidence_is_e303() -> None:
    with pytest.raises(StoreError, match="no such column"):
        tsquery("title:حلب", weights={})


def test_lexeme_escapes_quotes_and_backslashes() -> None:
    assert lexeme("a'b\\c", "A", prefix=True) == "'a''b\\\\c':*A"


def test_postgres_urls_pick_the_postgres_backend() -> None:
    from rasad.io.postgres_store import PostgresStore
    from rasad.io.sqlite_store import SQLiteStore

    assert backend("postgresql://u@h/db") is PostgresStore
    assert backend("postgres://u@h/db") is PostgresStore
    assert backend("rasad.db") is SQLiteStore and backend(Path("postgresql:")) is SQLiteStore


def test_messages_hide_the_password() -> None:
    assert display_name("postgresql://rasad:s3cret@db.example:5433/events?sslmode=require") \
        == "postgresql://rasad:***@db.example:5433/events?sslmode=require"
    assert display_name("postgres://rasad@h/db") == "postgres://rasad@h/db"


def test_an_unreachable_server_is_e301_without_the_password() -> None:
    pytest.importorskip("psycopg", reason="psycopg (rasad[postgres]) not installed")
    url = "postgresql://rasad:s3cret@127.0.0.1:1/rasad?connect_timeout=2"
    with pytest.raises(StoreError) as caught:
        open_store(url, create=False)
    assert caught.value.code == "E301" and "s3cret" not in caught.value.message
    result = runner.invoke(app, ["search", "حلب", "--db", url])
    assert result.exit_code == 2 and "E301" in result.stderr and "s3cret" not in result.stderr


def test_without_psycopg_a_postgres_url_is_e502(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now raises ImportError
    monkeypatch.delitem(sys.modules, "rasad.io.postgres_store", raising=False)
    with pytest.raises(ConfigError) as caught:
        open_store("postgresql://localhost/rasad")
    assert caught.value.code == "E502" and "pip install 'rasad[postgres]'" in caught.value.message
    for command in (["export"], ["search", "حلب"], ["incidents"]):
        result = runner.invoke(app, [*command, "--db", "postgres://localhost/rasad"])
        assert result.exit_code == 2 and "E502" in result.stderr, command
        assert "rasad[postgres]" in " ".join(result.stderr.split())


STRIKE = "قصفت الطائرات السورية مدينة إدلب أمس فقتلت ثلاثة مدنيين."
CLASH = "اندلعت اشتباكات عنيفة بين الجيش السوري وهيئة تحرير الشام في ريف حماة."


def _documents(tmp_path: Path) -> Path:
    path = tmp_path / "in.jsonl"
    documents = [{"id": "strike", "text": STRIKE, "title": "غارات على إدلب",
                  "published": "2015-07-21"},
                 {"id": "clash", "text": CLASH, "published": "2015-07-21"},
                 {"id": "strike-again", "text": STRIKE, "published": "2015-07-22"},
                 {"id": "empty", "text": ""}]
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents),
                    encoding="utf-8")
    return path


def _everything(db: str) -> dict[str, list[dict[str, Any]]]:
    tables = {table: table_rows(db, table, extra=("incident_id",) if table == "events" else ())
              for table in COLUMNS}
    return {table: sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))
            for table, rows in tables.items()}


def test_both_backends_store_the_same_rows(tmp_path: Path,
                                           postgres_db: Callable[[str], str]) -> None:
    """`rasad extract --db`, twice, then `rasad incidents --rebuild`: SQLite and PostgreSQL hold
    the same rows in every table, and export the same records in the same order; `rasad alerts`
    and `rasad trends` read and write both the same way."""
    source = _documents(tmp_path)
    stored = []
    for db in (str(tmp_path / "r.db"), postgres_db("same")):
        for _ in range(2):  # a re-run changes nothing
            result = runner.invoke(app, ["extract", str(source), "--no-ner", "--db", db])
            assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["incidents", "--db", db, "--rebuild"])
        assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["alerts", "--db", db, "--json"])
        assert result.exit_code == 0, result.output
        trends = runner.invoke(app, ["trends", "--db", db, "--json", "--period", "day"])
        assert trends.exit_code == 0, trends.output
        exported = runner.invoke(app, ["export", "--db", db, "--format", "jsonl"])
        incidents = runner.invoke(app, ["export", "--db", db, "--what", "incidents",
                                        "--format", "acled-csv"])
        assert incidents.exit_code == 0, incidents.output
        stored.append((_everything(db), exported.stdout + trends.stdout + incidents.stdout))
    (sqlite_rows, sqlite_export), (postgres_rows, postgres_export) = stored
    assert postgres_rows == sqlite_rows
    assert postgres_export == sqlite_export
    assert len(sqlite_rows["failures"]) == 1 and len(sqlite_rows["incidents"]) >= 1
    assert len(sqlite_rows["documents"]) == 3 and sqlite_rows["events"]


VOCABULARY = ["قصفت", "إدلب", "ادلب", "الجيش", "حماة", "صنعاء", "مدينة", "قصف*", "ريف",
              '"مدينة إدلب"', "«ريف حماة»", "title:إدلب", "text:الجيش", "-title:إدلب",
              "NEAR(قصفت إدلب, 2)", "NEAR(الجيش حماة)", "NEAR(ريف إدلب, 1)", "مدينة + إدلب"]
TEXTS = {
    "d1": ("قصفت الطائرات مدينة إدلب. وقال الجيش إن محافظة إدلب هادئة.", "غارات على إدلب"),
    "d2": ("تقدم الجيش السوري في ريف حماة.", None),
    "d3": ("قصف طيران التحالف مواقع الحوثيين في صنعاء.", "صنعاء"),
    "d4": ("ريف حماة الشمالي ومدينة إدلب تحت القصف.", None),
}


@st.composite
def queries(draw: st.DrawFn, depth: int = 2) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(VOCABULARY))
    left, right = draw(queries(depth=depth - 1)), draw(queries(depth=depth - 1))
    joined = draw(st.sampled_from([" AND ", " OR ", " NOT ", " "])).join((left, right))
    return f"({joined})" if draw(st.booleans()) else joined


@pytest.fixture(scope="module")
def twin_databases(tmp_path_factory: pytest.TempPathFactory,
                   postgres_db: Callable[[str], str]) -> list[str]:
    from rasad.records import RawDocument

    databases = [str(tmp_path_factory.mktemp("twin") / "t.db"), postgres_db("twin")]
    for db in databases:
        store = open_store(db)
        for doc_id, (text, title) in TEXTS.items():
            store.add_document(RawDocument(doc_id, text, title=title),
                               {"doc_id": doc_id, "places": [], "events": []})
        store.close()
    return databases


@settings(max_examples=60, deadline=None)
@given(queries())
def test_both_backends_find_the_same_documents(twin_databases: list[str], query: str) -> None:
    """The same query (words, phrases, prefixes, column filters, AND, OR, NOT, parentheses,
    side by side) finds the same documents with FTS5 and with PostgreSQL's text search."""
    found = []
    for db in twin_databases:
        store = open_store(db, create=False)
        try:
            found.append(sorted(row["doc_id"] for row in store.search(query, limit=10)))
        except StoreError as exc:
            found.append([exc.code])
        finally:
            store.close()
    assert found[0] == found[1], query


def test_snippets_are_the_same_on_both_backends(twin_databases: list[str]) -> None:
    snippets = []
    for db in twin_databases:
        store = open_store(db, create=False)
        snippets.append({row["doc_id"]: row["snippet"] for row in store.search("إدلب OR حماة")})
        store.close()
    assert snippets[0] == snippets[1]
    assert snippets[0]["d1"].count("[إدلب]") == 2


def test_make_store_gives_the_url_back(postgres_db: Callable[[str], str]) -> None:
    db = make_store(postgres_db("url"), {"d": ("نص", [])})
    assert db.startswith("postgresql://") and table_rows(db, "documents")[0]["doc_id"] == "d"


def test_a_huge_document_is_stored_and_its_first_part_searched(
        postgres_db: Callable[[str], str]) -> None:
    """1.2 million characters of distinct words: more than a tsvector can hold (1 MB of distinct
    words), so only the first `INDEXED_CHARS` are indexed; the text is stored whole."""
    import random

    from rasad.io.postgres_store import INDEXED_CHARS
    from rasad.records import RawDocument

    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    rng = random.Random(5)
    words = ["".join(rng.choice(letters) for _ in range(7)) for _ in range(150_000)]
    text = " ".join(["أولى", *words, "أخيرة"])
    assert len(text) > 4 * INDEXED_CHARS
    db = postgres_db("huge")
    store = open_store(db)
    store.add_document(RawDocument("huge", text), {"doc_id": "huge", "places": [], "events": []})
    store.close()
    store = open_store(db, create=False)
    try:
        assert [row["doc_id"] for row in store.search("اولي")] == ["huge"]
        assert store.search("اخيره") == []  # past the indexed part
    finally:
        store.close()
    assert table_rows(db, "documents")[0]["text"] == text
