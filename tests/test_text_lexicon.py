"""Clitic-aware lexicon matching."""

from rasad.text.lexicon import Lexicon, longest_matches
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
