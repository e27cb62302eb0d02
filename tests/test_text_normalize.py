"""Normalisation: folds, deletions, expansions, and the offset map back to the original."""

from hypothesis import given
from hypothesis import strategies as st

from rasad.text.normalize import normalize, normalize_form

ARABIC = st.text(alphabet=st.sampled_from(
    list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي") + list("أإآءؤئةى") + list("\u064b\u064c\u064d\u064e"
    "\u064f\u0650\u0651\u0652\u0640\u200f") + list("٠١٢٣٤٥٦٧٨٩۰۵") + list(" ،؛؟«»\n.")
    + ["\ufefb", "\ufdf2", "\ufe8d"]), max_size=60)


def test_normalize_folds_letters_digits_and_punctuation() -> None:
    assert normalize_form("أإآٱ ة ى ؤ ئ") == "اااا ه ي و ي"
    assert normalize_form("٢٠١٥ ۲۰۱۵") == "2015 2015"
    assert normalize_form("«قسد»، ماذا؟") == '"قسد", ماذا?'


def test_normalize_removes_diacritics_tatweel_and_marks() -> None:
    assert normalize_form("بعرباتٍ مسلّحةٌ إسلاميــة\u200f") == "بعربات مسلحه اسلاميه"


def test_normalize_expands_ligatures() -> None:
    assert normalize_form("\ufefb") == "لا"


def test_span_round_trip_keeps_diacritics_in_the_original() -> None:
    text = "بدأ هجماته بعرباتٍ مفخخة واشتباكات مسلّحة"
    nt = normalize(text)
    i = nt.text.index("بعربات")
    assert nt.span(i, i + len("بعربات")) == ("بعرباتٍ", text.index("بعرباتٍ"),
                                               text.index("بعرباتٍ") + 7)
    j = nt.text.index("مسلحه")
    word, start, end = nt.span(j, j + 5)
    assert word == "مسلّحة" and text[start:end] == word


@given(ARABIC)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_form(text)
    assert normalize_form(once) == once
    assert normalize(text).text == once


@given(ARABIC)
def test_every_normalised_token_maps_to_an_original_slice_with_the_same_form(text: str) -> None:
    nt = normalize(text)
    for n in range(len(nt.text)):
        o = nt.original_index(n)
        assert 0 <= o < len(text)
    for start in range(len(nt.text)):
        for end in range(start + 1, min(len(nt.text), start + 6) + 1):
            word, ostart, oend = nt.span(start, end)
            assert text[ostart:oend] == word
            # Spans that do not cut through an expanded ligature round-trip exactly.
            if nt.original_index(start) != nt.original_index(start - 1) if start else True:
                folded = normalize_form(word)
                assert folded.startswith(nt.text[start:end]) or nt.text[start:end] in folded


@given(ARABIC)
def test_normalized_index_inverts_original_index(text: str) -> None:
    nt = normalize(text)
    for n in range(len(nt.text)):
        o = nt.original_index(n)
        if nt.original_index(n - 1) != o if n else True:
            assert nt.normalized_index(o) == n
