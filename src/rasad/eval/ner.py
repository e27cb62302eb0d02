"""Entity-level scoring of NER output against a CoNLL gold file, by conlleval's rules.

`evaluate_ner(gold, pred, settings)` reads the gold tags from the last column of `gold`; the
predicted tags come from the last column of `pred` (a CoNLL file with the same tokens and the
predicted tag appended, as `rasad ner tag` writes it) or, without `pred`, from tagging the gold
tokens with the packaged model.  An entity counts as correct only when its type and both of its
boundaries match a gold entity; an ``I-`` tag after ``O`` starts an entity, as in conlleval.
Metrics are micro precision, recall and F1 over all entities and per type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from rasad.errors import EvalError
from rasad.eval.common import EvalResult, Miss
from rasad.ner.conll import ConllSentence, entity_spans, read_conll
from rasad.settings import Settings

MAX_MISSES = 200


def prf(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (0.0 where undefined)."""
    precision = correct / predicted if predicted else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


class EntityScore:
    """Counts of gold, predicted and correct entities, overall and per type."""

    def __init__(self) -> None:
        self.gold: Counter[str] = Counter()
        self.predicted: Counter[str] = Counter()
        self.correct: Counter[str] = Counter()
        self.tokens = 0
        self.tokens_correct = 0

    def add(self, gold_tags: Sequence[str], predicted_tags: Sequence[str]
            ) -> tuple[set[tuple[str, int, int]], set[tuple[str, int, int]]]:
        """Count one sentence; returns its (gold, predicted) entity sets."""
        gold = set(entity_spans(gold_tags))
        predicted = set(entity_spans(predicted_tags))
        self.gold.update(kind for kind, _, _ in gold)
        self.predicted.update(kind for kind, _, _ in predicted)
        self.correct.update(kind for kind, _, _ in gold & predicted)
        self.tokens += len(gold_tags)
        self.tokens_correct += sum(g == p for g, p in zip(gold_tags, predicted_tags, strict=True))
        return gold, predicted

    def types(self) -> list[str]:
        return sorted(set(self.gold) | set(self.predicted))

    def overall(self) -> tuple[float, float, float]:
        return prf(sum(self.correct.values()), sum(self.predicted.values()),
                   sum(self.gold.values()))

    def metrics(self) -> dict[str, float | int | None]:
        precision, recall, f1 = self.overall()
        out: dict[str, float | int | None] = {
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "entities_gold": sum(self.gold.values()),
            "entities_predicted": sum(self.predicted.values()),
            "entities_correct": sum(self.correct.values()),
            "tokens": self.tokens,
            "token_accuracy": round(self.tokens_correct / self.tokens, 4) if self.tokens else None,
        }
        for kind in self.types():
            p, r, f = prf(self.correct[kind], self.predicted[kind], self.gold[kind])
            out[f"{kind}_precision"] = round(p, 4)
            out[f"{kind}_recall"] = round(r, 4)
            out[f"{kind}_f1"] = round(f, 4)
            out[f"{kind}_gold"] = self.gold[kind]
        return out

    def table(self) -> list[str]:
        """A conlleval-like table, one line per type and one overall."""
        lines = [f"{'type':<8}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}{'pred':>8}"]
        for kind in self.types():
            p, r, f = prf(self.correct[kind], self.predicted[kind], self.gold[kind])
            lines.append(f"{kind:<8}{p:8.4f}{r:8.4f}{f:8.4f}"
                         f"{self.gold[kind]:8d}{self.predicted[kind]:8d}")
        p, r, f = self.overall()
        lines.append(f"{'overall':<8}{p:8.4f}{r:8.4f}{f:8.4f}"
                     f"{sum(self.gold.values()):8d}{sum(self.predicted.values()):8d}")
        return lines


def score_sentences(pairs: Iterable[tuple[Sequence[str], Sequence[str]]]) -> EntityScore:
    """Score (gold tags, predicted tags) pairs, one per sentence."""
    score = EntityScore()
    for gold_tags, predicted_tags in pairs:
        score.add(gold_tags, predicted_tags)
    return score


def _predicted_sentences(gold: list[ConllSentence], pred: Path | None) -> list[list[str]]:
    if pred is None:
        from rasad.ner.tagger import load_tagger

        tagger = load_tagger()
        if tagger is None:
            raise EvalError("the NER model is not installed (rasad/data/ner/model.crfsuite)",
                            code="E402")
        return [tagger.tag(sentence.tokens) for sentence in gold]
    predicted = read_conll(pred)
    if [len(s.tokens) for s in predicted] != [len(s.tokens) for s in gold]:
        raise EvalError(f"{pred} does not have the sentences and tokens of the gold file",
                        code="E402")
    return [sentence.column(-1) for sentence in predicted]


def evaluate_ner(gold: Path, pred: Path | None, settings: Settings) -> EvalResult:
    """Entity-level micro P/R/F1 (conlleval rules), per type and overall."""
    del settings  # nothing to set: scoring has no options
    gold_sentences = read_conll(gold)
    if not gold_sentences:
        raise EvalError(f"no sentences in {gold}", code="E401")
    predicted_sentences = _predicted_sentences(gold_sentences, pred)
    score = EntityScore()
    misses: list[Miss] = []
    for n, (sentence, predicted_tags) in enumerate(
            zip(gold_sentences, predicted_sentences, strict=True), start=1):
        gold_tags = sentence.column(-1)
        gold_entities, predicted_entities = score.add(gold_tags, predicted_tags)
        if len(misses) >= MAX_MISSES:
            continue
        for kind, first, end in sorted(gold_entities ^ predicted_entities, key=lambda e: e[1]):
            words = " ".join(sentence.tokens[first:end])
            missed = (kind, first, end) in gold_entities
            misses.append(Miss(f"sentence {n}", "missed entity" if missed else "false entity",
                               gold=kind if missed else None,
                               predicted=None if missed else kind, evidence=words))
    source = "the packaged model" if pred is None else str(pred)
    return EvalResult("ner", str(gold), score.metrics(), misses,
                      notes=[f"predictions: {source}", *score.table()])
