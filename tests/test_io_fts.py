"""FTS5 queries: terms normalised like the stored text, syntax kept; snippets in original words."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasad.errors import StoreError
from rasad.io.fts import CLOSE, OPEN, fts_query, match_spans, snippet
from rasad.text.normalize import normalize_form


def test_fts_query_normalises_terms_and_keeps_syntax() -> None:
    assert (fts_query('إدلب AND "محافظة حلب" OR title:مأرب*')
            == 'ادلب AND "محافظه حلب" OR title:مارب*')
    columns = {"title": "title_normalized", "text": "text_normalized"}
    assert (fts_query("-title : إدلب AND {title text}: حلب", columns)
            == "-title_normalized : ادلب AND {title_normalized text_normalized}: حلب")
    assert fts_query("NEAR(إدلب حلب, ٥)") == "NEAR(ادلب حلب, 5)"
    assert fts_query("«قوات النظام» NOT داعش") == '"قوات النظام" NOT داعش'
    assert fts_query("حلب، and") == '"حلب," and'  # lower-case "and" is a word, as in FTS5


@pytest.mark.parametrize("query", ['"إدلب', "", " ", "ًّ", "AND OR"])
def test_fts_query_without_words_or_with_an_open_quote_is_e303(query: str) -> None:
    with pytest.raises(StoreError) as caught:
        fts_query(query)
    assert caught.value.code == "E303"


def test_match_spans_map_highlights_back_to_the_original() -> None:
    original = "قصفت الطائراتُ محافظةَ إدلب"
    normalized = normalize_form(original)
    start = normalized.index("محافظه")
    highlighted = (normalized[:start] + OPEN + "محافظه" + CLOSE
                   + normalized[start + len("محافظه"):])
    [(s, e)] = match_spans(original, highlighted)
    assert original[s:e] == "محافظةَ"
    assert match_spans(original, OPEN + "something else" + CLOSE) == []


def test_snippet_cuts_around_the_most_matches() -> None:
    words = [f"w{i}" for i in range(40)]
    text = " ".join(words)
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("w3", "w20", "w22", "w25")]
    cut = snippet(text, spans, words=8)
    assert cut == "…w18 w19 [w20] w21 [w22] w23 w24 [w25]…"
    assert snippet("a\nb", [(2, 3)], words=0) == "a [b]"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ابتإأةىَُِّ،؛؟.-'_ abc0٥\n", max_size=30))
def test_fts_query_of_plain_words_always_runs(query: str) -> None:
    """Words with punctuation FTS5 rejects in a bareword («حلب،», «al-qaeda», «.») still run."""
    conn = sqlite3.connect(":memory:")
    conn.execute("create virtual table t using fts5(a, b)")
    conn.execute("insert into t values (?, '')", [normalize_form(query)])
    try:
        matched = conn.execute("select count(*) from t where t match ?",
                               [fts_query(query)]).fetchone()[0]
    except StoreError as exc:  # only a query without a single letter or digit
        assert exc.code == "E303" and not normalize_form(query).strip()
    else:
        words = re.findall(r"[^\W_]+", normalize_form(query))
        assert matched == (1 if words else 0)
    finally:
        conn.close()
