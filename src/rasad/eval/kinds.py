"""The evaluation kinds, where their scorers live, and the gold sets `rasad eval all` reads.

`evaluate(kind, gold, pred, settings)` is the one entry point of the CLI, the dev report and the
quality gate.  Scorers are imported lazily by module path (`EVALUATORS`), so a build without one
of them (`idrisi`, `ner` come from the geo and NER work) answers E403 "not available in this
build" instead of failing at import; an unknown kind is E403 too, a missing gold file E401 and a
missing prediction file E402.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import cast

from rasad.errors import EvalError
from rasad.eval.common import EvalResult
from rasad.settings import Settings

Evaluator = Callable[[Path, Path | None, Settings], EvalResult]

EVALUATORS: dict[str, str] = {
    "articles": "rasad.eval.articles:evaluate_articles",
    "gsr": "rasad.eval.gsr:evaluate_gsr",
    "negatives": "rasad.eval.negatives:evaluate_negatives",
    "idrisi": "rasad.eval.idrisi:evaluate_idrisi",
    "ner": "rasad.eval.ner:evaluate_ner",
}
"""kind → "module:function" of its scorer."""

KIND_HELP: dict[str, str] = {
    "articles": "Article events: P/R/F1 (type + place), sub-event, actor, date, fatalities and "
                "genre accuracy.",
    "gsr": "Event sentences (UniversalPETRARCH Arabic): event-family recall, source-actor "
           "accuracy.",
    "negatives": "Sentences without events: false-alarm rate.",
    "idrisi": "Toponyms (IDRISI): span recall and accuracy@161km.",
    "ner": "Named entities (ANERcorp, CoNLL): entity-level micro P/R/F1.",
}

DEV_SETS: dict[str, str] = {
    "articles": "data/gold/articles_dev.jsonl",
    "gsr": "data/gold/up_arabic_gsr_dev.jsonl",
    "negatives": "data/gold/negatives_dev.jsonl",
    "idrisi": "data/gold/idrisi_dev.jsonl",
    "ner": "data/ner/anercorp/test.conll",  # the evaluation split: never train on it
}
"""kind → its development gold set, relative to the shared folder."""


def load_evaluator(kind: str) -> Evaluator:
    """The scorer of `kind`; E403 when the kind is unknown or its module is not installed."""
    if kind not in EVALUATORS:
        raise EvalError(f"unknown evaluation kind {kind!r}; expected one of "
                        f"{', '.join(EVALUATORS)}", code="E403")
    module_name, function_name = EVALUATORS[kind].split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise  # the scorer exists but something it imports is missing: a real bug
        raise EvalError(f"evaluation kind {kind!r} is not available in this build "
                        f"({module_name} is not installed)", code="E403") from exc
    return cast(Evaluator, getattr(module, function_name))


def is_available(kind: str) -> bool:
    """Whether the scorer of `kind` can be loaded."""
    try:
        load_evaluator(kind)
    except EvalError:
        return False
    return True


def evaluate(kind: str, gold: Path, pred: Path | None, settings: Settings) -> EvalResult:
    """Score `pred` (or the extractor, when None) against the gold file of `kind`."""
    evaluator = load_evaluator(kind)
    if not Path(gold).is_file():
        raise EvalError(f"gold file not found: {gold}", code="E401")
    if pred is not None and not Path(pred).is_file():
        raise EvalError(f"prediction file not found: {pred}", code="E402")
    return evaluator(Path(gold), Path(pred) if pred is not None else None, settings)


def dev_set(kind: str, shared: Path) -> Path:
    """The development gold file of `kind` under the shared folder."""
    return Path(shared) / DEV_SETS[kind]
