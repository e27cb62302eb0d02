"""The packaged NER model: it loads, tags a sentence sensibly, and gives entities in a Doc."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rasad.cli import app
from rasad.doc import Doc
from rasad.ner import load_tagger, tag_doc
from rasad.ner.conll import entity_spans
from rasad.ner.tagger import _proclitic_length
from rasad.records import RawDocument

SENTENCE_TEXT = "وقال الرئيس الفرنسي جاك شيراك في باريس إن الأمم المتحدة ستدعم لبنان"
SENTENCE = SENTENCE_TEXT.split()


@pytest.fixture(scope="module")
def tagger():  # type: ignore[no-untyped-def]
    loaded = load_tagger()
    assert loaded is not None, "the packaged model rasad/data/ner/model.crfsuite is missing"
    return loaded


def test_load_tagger_is_cached(tagger) -> None:  # type: ignore[no-untyped-def]
    assert load_tagger() is tagger


def test_tagger_finds_people_places_and_organisations(tagger) -> None:  # type: ignore[no-untyped-def]
    tags = tagger.tag(SENTENCE)
    entities = {(kind, " ".join(SENTENCE[a:b])) for kind, a, b in entity_spans(tags)}
    assert ("PERS", "جاك شيراك") in entities
    assert ("LOC", "باريس") in entities
    assert ("LOC", "لبنان") in entities
    assert ("ORG", "الأمم المتحدة") in entities


def test_tagger_gives_punctuation_o(tagger) -> None:  # type: ignore[no-untyped-def]
    tags = tagger.tag(["زار", "شيراك", "،", "باريس", ".", "ـ", "\u200f"])
    assert tags[2:3] + tags[4:] == ["O"] * 4 and len(tags) == 7
    assert tagger.tag([]) == []


def test_tag_doc_gives_normalised_offsets_without_the_conjunction(tagger) -> None:  # type: ignore[no-untyped-def]
    text = "قصفت الطائرات مدينة حلب. وقال جاك شيراك إن باريس تدين القصف."
    doc = Doc.from_raw(RawDocument("d1", text))
    mentions = tag_doc(doc, tagger, [1])
    found = {(m.label, doc.text[m.start:m.end]) for m in mentions}
    assert ("PERS", "جاك شيراك") in found
    assert all(doc.sentence_at(m.start) == 1 for m in mentions)
    assert all(0.0 < m.score <= 1.0 for m in mentions)
    assert doc.span(mentions[0].start, mentions[0].end).text in text


def test_cli_ner_tag_appends_a_column(tmp_path: Path) -> None:
    gold = tmp_path / "gold.conll"
    gold.write_text("زار O\nشيراك B-PERS\nباريس B-LOC\n. O\n", encoding="utf-8")
    out = tmp_path / "pred.conll"
    result = CliRunner().invoke(app, ["ner", "tag", "--conll", str(gold), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("زار O ") and lines[3] == ". O O" and lines[4] == ""
    assert lines[1].split()[-1] == "B-PERS"


def test_load_tagger_gives_none_without_a_model(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rasad.ner.tagger.data_dir", lambda: tmp_path)
    load_tagger.cache_clear()
    try:
        assert load_tagger() is None
    finally:
        load_tagger.cache_clear()


def test_entity_spans_leave_out_a_written_on_conjunction_or_preposition() -> None:
    rank = {"بغداد": 1, "العراق": 2}
    assert _proclitic_length("وبغداد", rank) == 1
    assert _proclitic_length("بالعراق", rank) == 1
    assert _proclitic_length("وبالعراق", rank) == 2
    assert _proclitic_length("للجيش", rank) == 0  # ل + ال: the lam stays, as in the lexicon
    assert _proclitic_length("وللجيش", rank) == 1
    assert _proclitic_length("بغداد", rank) == 0


def test_evaluate_ner_with_the_packaged_model_matches_the_tagged_file(tmp_path: Path) -> None:
    from rasad.eval.ner import evaluate_ner
    from rasad.settings import Settings

    gold_tags = ["O", "O", "O", "B-PERS", "I-PERS", "O", "B-LOC", "O", "B-ORG", "I-ORG", "O",
                 "B-LOC"]
    gold = tmp_path / "gold.conll"
    gold.write_text("".join(f"{w} {t}\n" for w, t in zip(SENTENCE, gold_tags, strict=True))
                    + "\n. O\n", encoding="utf-8")
    pred = tmp_path / "pred.conll"
    result = CliRunner().invoke(app, ["ner", "tag", "--conll", str(gold), "--out", str(pred)])
    assert result.exit_code == 0, result.output
    direct = evaluate_ner(gold, None, Settings())
    from_file = evaluate_ner(gold, pred, Settings())
    assert direct.metrics == from_file.metrics
    assert direct.metrics["entities_gold"] == 4 and direct.metrics["f1"] == 1.0
