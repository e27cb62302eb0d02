"""CoNLL reading and writing, and reading BIO tags into entities by conlleval's rules."""

from pathlib import Path

from rasad.ner.conll import append_column, entity_spans, read_conll


def test_read_conll_keeps_lines_tokens_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "in.conll"
    path.write_text("قال O\nشيراك B-PERS\n\n\n O\nفي\tO\tO\n", encoding="utf-8")
    first, second = read_conll(path)
    assert first.tokens == ["قال", "شيراك"] and first.column(-1) == ["O", "B-PERS"]
    assert second.tokens == ["", "في"]  # a line starting with a space has an empty token
    assert second.column(-1) == ["O", "O"]
    assert append_column(second, ["O", "B-LOC"]) == [" O O", "في\tO\tO\tB-LOC"]


def test_entity_spans_follow_conlleval() -> None:
    tags = ["B-PERS", "I-PERS", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG", "B-MISC"]
    assert entity_spans(tags) == [("PERS", 0, 2), ("LOC", 3, 5), ("LOC", 5, 6),
                                  ("ORG", 6, 7), ("MISC", 7, 8)]
    assert entity_spans(["O", "O"]) == []
