"""Search: FTS5 operators survive normalisation, bad queries are E303, snippets show the
article's own words, and `search --events` finds evidence sentences with their event fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rasad.cli import app
from rasad.errors import StoreError
from rasad.io.store import Store
from rasad.records import RawDocument
from rasad.text.normalize import normalize_form
from store_helpers import SANAA, event, make_store, record

runner = CliRunner()

D1 = "قصفت الطائرات مدينة إدلب. وقال الجيش إن محافظة إدلب هادئة."
D2 = "تقدم الجيش السوري في ريف حماة."
D3 = "قصف طيران التحالف مواقع الحوثيين في صنعاء."


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_store(tmp_path / "s.db", {
        "d1": (D1, [event("e1", D1, "قصفت الطائرات مدينة إدلب.")]),
        "d2": (D2, [event("e2", D2, D2, event_type="Battles", sub_event_type="Armed clash",
                          event_date="2015-06-01")]),
        "d3": (D3, [event("e3", D3, D3, where=SANAA, event_date="2015-07-25")]),
    })


def found(db: Path, query: str) -> set[str]:
    store = Store(db)
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
def test_search_keeps_fts5_operators(db: Path, query: str, expected: set[str]) -> None:
    assert found(db, query) == expected


@pytest.mark.parametrize("query", ["داعش OR", "(إدلب", 'إدلب"', "«إدلب", "", "ًّ", "NOT"])
def test_search_bad_query_is_e303(db: Path, query: str) -> None:
    with pytest.raises(StoreError) as caught:
        found(db, query)
    assert caught.value.code == "E303"
    result = runner.invoke(app, ["search", query, "--db", str(db)])
    assert result.exit_code != 0 and "E303" in result.stderr


def test_search_snippet_shows_the_original_words(db: Path) -> None:
    store = Store(db)
    [row] = store.search("محافظه")
    store.close()
    assert "[محافظة] إدلب" in row["snippet"]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.text(alphabet="أإآاةهىيبت", min_size=2, max_size=5), min_size=3,
                max_size=30), st.data())
def test_search_snippet_marks_words_of_the_original(tmp_path_factory: pytest.TempPathFactory,
                                                    words: list[str], data: st.DataObject
                                                    ) -> None:
    marked = [w + "َ" if i % 3 == 0 else w for i, w in enumerate(words)]  # a diacritic too
    text = " ".join(marked)
    wanted = data.draw(st.sampled_from(words))
    db = make_store(tmp_path_factory.mktemp("snip") / "s.db", {"d": (text, [])})
    store = Store(db)
    [row] = store.search(normalize_form(wanted))
    store.close()
    hits = re.findall(r"\[([^\]]*)\]", row["snippet"])
    assert hits and all(normalize_form(hit) == normalize_form(wanted) for hit in hits)
    plain = row["snippet"].replace("[", "").replace("]", "").strip("…")
    assert plain in text


def test_search_events_prints_evidence_with_event_fields(db: Path) -> None:
    result = runner.invoke(app, ["search", "قصف OR قصفت", "--events", "--db", str(db)])
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
def test_search_events_filters_compose(db: Path, options: list[str], expected: list[str]
                                       ) -> None:
    result = runner.invoke(app, ["search", "قصفت OR قصف OR الجيش", "--events", "--db", str(db),
                                 *options])
    assert result.exit_code == 0, result.output
    assert sorted(line.split("\t")[0] for line in result.stdout.splitlines()) == expected


@pytest.mark.parametrize("options", [["--country", "Atlantis"], ["--since", "2015-13-01"],
                                     ["--type", "Picnic"],
                                     ["--since", "2015-08-01", "--until", "2015-07-01"]])
def test_search_events_bad_filter_is_e304(db: Path, options: list[str]) -> None:
    result = runner.invoke(app, ["search", "قصف", "--events", "--db", str(db), *options])
    assert result.exit_code != 0 and "E304" in result.stderr


def test_search_filters_need_events(db: Path) -> None:
    result = runner.invoke(app, ["search", "قصف", "--country", "SY", "--db", str(db)])
    assert result.exit_code != 0 and "--events" in result.stderr


def old_layout(path: Path) -> Path:
    """The database as rasad wrote it before titles were indexed normalised."""
    store = Store(path)
    documents = store.db.table("documents")
    documents.disable_fts()
    documents.transform(drop={"title_normalized"})
    documents.enable_fts(["title", "text_normalized"], create_triggers=True, tokenize="unicode61")
    store.db.close()
    return path


def test_search_finds_titles_by_their_normalised_words(tmp_path: Path) -> None:
    text = "قصفت الطائرات المدينة."
    store = Store(tmp_path / "t.db")
    store.add_document(RawDocument("t", text, title="غارات على إدلب"), record("t", []))
    store.close()
    assert found(tmp_path / "t.db", "إدلب") == {"t"}
    assert found(tmp_path / "t.db", "title:إدلب") == {"t"}
    assert found(tmp_path / "t.db", "text:إدلب") == set()


def test_an_older_database_is_searched_and_brought_up_to_date(db: Path) -> None:
    old_layout(db)
    store = Store(db, create=False)  # read as it is: nothing changes
    assert {r["doc_id"] for r in store.search("title:d1")} == {"d1"}
    store.close()
    assert "title_normalized" not in Store(db, create=False).db.table("documents").columns_dict
    assert found(db, "إدلب AND الجيش") == {"d1"}  # opening it to write adds the column
    assert Store(db, create=False).db.table("documents").columns_dict["title_normalized"] is str
    assert found(db, "title:d1") == {"d1"}
