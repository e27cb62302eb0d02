"""Search: FTS5 operators survive normalisation, bad queries are E303, snippets show the
article's own words, and `search --events` finds evidence sentences with their event fields; on
each backend (PostgreSQL's text search takes the same queries, `rasad.io.tsquery`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rasad.cli import app
from rasad.errors import StoreError
from rasad.io.sqlite_store import SQLiteStore
from rasad.io.store import Store, open_store
from rasad.records import RawDocument
from rasad.text.normalize import normalize_form
from store_helpers import SANAA, event, make_store, record

runner = CliRunner()

D1 = "قصفت الطائرات مدينة إدلب. وقال الجيش إن محافظة إدلب هادئة."
D2 = "تقدم الجيش السوري في ريف حماة."
D3 = "قصف طيران التحالف مواقع الحوثيين في صنعاء."


def three_documents(db: str) -> str:
    return make_store(db, {
        "d1": (D1, [event("e1", D1, "قصفت الطائرات مدينة إدلب.")]),
        "d2": (D2, [event("e2", D2, D2, event_type="Battles", sub_event_type="Armed clash",
                          event_date="2015-06-01")]),
        "d3": (D3, [event("e3", D3, D3, where=SANAA, event_date="2015-07-25")]),
    })


@pytest.fixture
def db(new_db: Callable[[str], str]) -> str:
    return three_documents(new_db("s"))


def found(db: str | Path, query: str) -> set[str]:
    store = open_store(str(db))
    try:
        return {row["doc_id"] for row in store.search(query)}
    finally:
        store.close()


@pytest.mark.parametrize(("query", "expected"), [
    ("إدلب AND الجيش", {"d1"}),
    ("ادلب OR الحوثيين", {"d1", "d3"}),
    ("الجيش NOT إدلب", {"d2"}),
    ("(إدلب OR صنعاء) AND قصف*", {"d1", "d3"}),
    ('"مدينة إدلب"', {"d1"}),
    ("«محافظة إدلب»", {"d1"}),
    ("NEAR(قصفت إدلب, 3)", {"d1"}),
    ("الحوثي*", {"d3"}),
])
def test_search_keeps_fts5_operators(db: str, query: str, expected: set[str]) -> None:
    assert found(db, query) == expected


@pytest.mark.parametrize("query", ["داعش OR", "(إدلب", 'إدلب"', "«إدلب", "", "ًّ", "NOT"])
def test_search_bad_query_is_e303(db: str, query: str) -> None:
    with pytest.raises(StoreError) as caught:
        found(db, query)
    assert caught.value.code == "E303"
    result = runner.invoke(app, ["search", query, "--db", db])
    assert result.exit_code != 0 and "E303" in result.stderr
    events = runner.invoke(app, ["search", query, "--events", "--db", db])
    assert events.exit_code != 0 and "E303" in events.stderr


def test_search_snippet_shows_the_original_words(db: str) -> None:
    store = open_store(db)
    [row] = store.search("محافظه")
    store.close()
    assert "[محافظة] إدلب" in row["snippet"]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.text(alphabet="أإآاةهىيبت", min_size=2, max_size=5), min_size=3,
                max_size=30), st.data())
def test_search_snippet_marks_words_of_the_original(new_db: Callable[[str], str],
                                                    words: list[str], data: st.DataObject
                                                    ) -> None:
    marked = [w + "َ" if i % 3 == 0 else w for i, w in enumerate(words)]  # a diacritic too
    text = " ".join(marked)
    wanted = data.draw(st.sampled_from(words))
    store = open_store(make_store(new_db("snip"), {"d": (text, [])}))
    [row] = store.search(normalize_form(wanted))
    store.close()
    hits = re.findall(r"\[([^\]]*)\]", row["snippet"])
    assert hits and all(normalize_form(hit) == normalize_form(wanted) for hit in hits)
    plain = row["snippet"].replace("[", "").replace("]", "").strip("…")
    assert plain in text


def test_search_events_prints_evidence_with_event_fields(db: str) -> None:
    result = runner.invoke(app, ["search", "قصف OR قصفت", "--events", "--db", db])
    assert result.exit_code == 0, result.output
    lines = sorted(result.stdout.splitlines())
    assert len(lines) == 2
    assert lines[0].split("\t") == [
        "d1", "2015-07-20", "Explosions/Remote violence / Air/drone strike",
        "Idlib, Idlib Governorate, SY", "Military Forces of Syria", "fatalities 3", "asserted",
        "[قصفت] الطائرات مدينة إدلب."]
    assert lines[1].startswith("d3\t2015-07-25\t") and lines[1].endswith(
        "[قصف] طيران التحالف مواقع الحوثيين في صنعاء.")


@pytest.mark.parametrize(("options", "expected"), [
    (["--country", "YE"], ["d3"]),
    (["--country", "Syria"], ["d1", "d2"]),
    (["--type", "battles"], ["d2"]),
    (["--type", "Air/drone strike", "--country", "SYR"], ["d1"]),
    (["--since", "2015-07-20"], ["d1", "d3"]),
    (["--since", "2015-07-01", "--until", "2015-07-20"], ["d1"]),
])
def test_search_events_filters_compose(db: str, options: list[str], expected: list[str]
                                       ) -> None:
    result = runner.invoke(app, ["search", "قصفت OR قصف OR الجيش", "--events", "--db", db,
                                 *options])
    assert result.exit_code == 0, result.output
    assert sorted(line.split("\t")[0] for line in result.stdout.splitlines()) == expected


@pytest.mark.parametrize("options", [["--country", "Atlantis"], ["--since", "2015-13-01"],
                                     ["--type", "Picnic"],
                                     ["--since", "2015-08-01", "--until", "2015-07-01"]])
def test_search_events_bad_filter_is_e304(db: str, options: list[str]) -> None:
    result = runner.invoke(app, ["search", "قصف", "--events", "--db", db, *options])
    assert result.exit_code != 0 and "E304" in result.stderr


def test_search_filters_need_events(db: str) -> None:
    result = runner.invoke(app, ["search", "قصف", "--country", "SY", "--db", db])
    assert result.exit_code != 0 and "--events" in result.stderr


def old_layout(path: Path) -> Path:
    """The SQLite database as rasad wrote it before titles were indexed normalised."""
    store = SQLiteStore(path)
    documents = store.db.table("documents")
    documents.disable_fts()
    documents.transform(drop={"title_normalized"})
    documents.enable_fts(["title", "text_normalized"], create_triggers=True, tokenize="unicode61")
    store.db.close()
    return path


def test_search_finds_titles_by_their_normalised_words(new_db: Callable[[str], str]) -> None:
    text = "قصفت الطائرات المدينة."
    db = new_db("t")
    store = open_store(db)
    store.add_document(RawDocument("t", text, title="غارات على إدلب"), record("t", []))
    store.close()
    assert found(db, "إدلب") == {"t"}
    assert found(db, "title:إدلب") == {"t"}
    assert found(db, "text:إدلب") == set()
    assert found(db, "-title:إدلب") == set()
    assert found(db, "{title text}:المدينه") == {"t"}


def test_store_db_is_open_store(tmp_path: Path) -> None:
    """Code written when SQLite was the only backend still opens stores with Store(db)."""
    store = Store(tmp_path / "x.db")
    assert isinstance(store, SQLiteStore)
    store.close()


def test_an_older_database_is_searched_and_brought_up_to_date(tmp_path: Path) -> None:
    db = Path(three_documents(str(tmp_path / "s.db")))
    old_layout(db)
    store = SQLiteStore(db, create=False)  # read as it is: nothing changes
    assert {r["doc_id"] for r in store.search("title:d1")} == {"d1"}
    store.close()
    def columns() -> dict[str, type]:
        return dict(SQLiteStore(db, create=False).db.table("documents").columns_dict)

    assert "title_normalized" not in columns()
    assert found(db, "إدلب AND الجيش") == {"d1"}  # opening it to write adds the column
    assert columns()["title_normalized"] is str
    assert found(db, "title:d1") == {"d1"}
