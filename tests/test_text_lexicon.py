"""Clitic-aware lexicon matching."""

from hypothesis import given
from hypothesis import strategies as st

from rasad.text.lexicon import LexEntry, Lexicon, LexMatch, longest_matches
from rasad.text.normalize import normalize
from rasad.text.segment import segment, tokenize


def _find(lexicon: Lexicon, text: str) -> list[tuple[str, object, str]]:
    nt = normalize(text)
    matches = longest_matches(lexicon.match(tokenize(nt.text), nt.text))
    return [(m.kind, m.payload, nt.span(m.start, m.end)[0]) for m in matches]


def test_lexicon_strips_proclitics_but_keeps_the_lam_of_the_contracted_article() -> None:
    lex = Lexicon()
    lex.add("actor", "الجيش السوري", "army")
    lex.add("actor", "قسد", "sdf")
    found = _find(lex, "وقال إن للجيش السوري و«قسد» والجيشِ السوريّ")
    assert found == [("actor", "army", "للجيش السوري"), ("actor", "sdf", "قسد"),
                     ("actor", "army", "الجيشِ السوريّ")]


def test_lexicon_multiword_phrases_cross_quotes_but_not_commas() -> None:
    lex = Lexicon()
    lex.add("actor", "قوات سوريا الديمقراطية", "sdf")
    assert _find(lex, 'قوات "سوريا الديمقراطية"') == [("actor", "sdf", 'قوات "سوريا الديمقراطية')]
    assert _find(lex, "قوات، سوريا الديمقراطية") == []


def test_lexicon_suffixes_only_where_allowed() -> None:
    lex = Lexicon()
    lex.add("trigger", "قصف", "shell", suffixes=True)
    lex.add("place", "حلب", "aleppo")
    assert _find(lex, "وقصفها") == [("trigger", "shell", "قصفها")]
    assert _find(lex, "حلبها") == []


def test_lexicon_does_not_match_inside_words() -> None:
    lex = Lexicon()
    lex.add("place", "عين", "ain")
    assert _find(lex, "تعيين معين") == []
    assert _find(lex, "بعين") == [("place", "ain", "عين")]


def test_segment_sentences_and_clauses() -> None:
    nt = normalize("قال (أ. ف. ب.) إن 5.9 ملم، تقريبا. ثم انتهى\nسطر جديد")
    tokens = tokenize(nt.text)
    sentences = segment(nt.text, tokens)
    assert [nt.text[s.start:s.end] for s in sentences] == [
        "قال (ا. ف. ب.) ان 5.9 ملم, تقريبا.", "ثم انتهي", "سطر جديد"]
    assert len(sentences[0].clauses) >= 2
    assert sentences[1].first_token == [t.text for t in tokens].index("ثم")


def test_tokenize_splits_hashtags() -> None:
    assert [t.text for t in tokenize(normalize("#انفجار_بيروت").text)] == ["انفجار", "بيروت"]


def _longest_by_every_pair(matches: list[LexMatch]) -> list[LexMatch]:
    """The rule `longest_matches` keeps, stated plainly: each match against every one kept."""
    chosen: list[LexMatch] = []
    for m in sorted(matches, key=lambda m: (-(m.end - m.start), m.start, len(m.proclitic))):
        if all(m.end <= c.start or m.start >= c.end for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from(["", "و"])),
                max_size=25))
def test_longest_matches_keeps_what_comparing_every_pair_keeps(
        drawn: list[tuple[int, int, str]]) -> None:
    entry = LexEntry("actor", "x", ("x",), None)
    matches = [LexMatch(entry, start, start + length, 0, 1, proclitic, "")
               for start, length, proclitic in drawn]
    assert longest_matches(matches) == _longest_by_every_pair(matches)
