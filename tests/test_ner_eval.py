"""Entity-level scoring: exact hand-made counts, per type and overall."""

from pathlib import Path

import pytest

from rasad.errors import EvalError
from rasad.eval.ner import evaluate_ner, prf, score_sentences
from rasad.settings import Settings

GOLD = ["B-PERS", "I-PERS", "O", "B-LOC", "O", "I-ORG", "I-ORG"]
PRED = ["B-PERS", "I-PERS", "O", "B-ORG", "O", "B-ORG", "I-ORG"]


def test_prf_handles_empty_counts() -> None:
    assert prf(0, 0, 0) == (0.0, 0.0, 0.0)
    assert prf(1, 2, 4) == (0.5, 0.25, pytest.approx(1 / 3))


def test_score_sentences_exact_values() -> None:
    metrics = score_sentences([(GOLD, PRED)]).metrics()
    assert (metrics["entities_gold"], metrics["entities_predicted"],
            metrics["entities_correct"]) == (3, 3, 2)
    assert metrics["f1"] == round(2 / 3, 4)
    assert (metrics["PERS_precision"], metrics["PERS_recall"]) == (1.0, 1.0)
    assert (metrics["LOC_precision"], metrics["LOC_recall"], metrics["LOC_f1"]) == (0.0, 0.0, 0.0)
    assert (metrics["ORG_precision"], metrics["ORG_recall"]) == (0.5, 1.0)
    assert metrics["token_accuracy"] == round(5 / 7, 4)


def _write(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(" ".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_evaluate_ner_reads_the_last_column_of_both_files(tmp_path: Path) -> None:
    words = ["جاك", "شيراك", "في", "باريس", "و", "حلف", "الناتو"]
    gold = _write(tmp_path / "gold.conll", [[w, t] for w, t in zip(words, GOLD, strict=True)])
    pred = _write(tmp_path / "pred.conll",
                  [[w, g, p] for w, g, p in zip(words, GOLD, PRED, strict=True)])
    result = evaluate_ner(gold, pred, Settings())
    assert result.kind == "ner" and result.metrics["f1"] == round(2 / 3, 4)
    assert sorted(m.what for m in result.misses) == ["false entity", "missed entity"]
    assert any(line.startswith("overall") for line in result.notes)


def test_evaluate_ner_rejects_misaligned_predictions(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.conll", [["قال", "O"], ["شيراك", "B-PERS"]])
    pred = _write(tmp_path / "pred.conll", [["قال", "O", "O"]])
    with pytest.raises(EvalError):
        evaluate_ner(gold, pred, Settings())
