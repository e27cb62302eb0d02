"""The evaluation kinds, where their scorers live, and the gold sets `rasad eval all` reads.

`SHARED_SETS` lists the gold files of the shared folder that `rasad eval all` and the quality
gate score, each a `ScoredSet`: its suite (``dev``, tuned on; ``check``, the guard against
over-fitting: scored, never read), its name in the suite (the key of its floors in the quality
baseline), its kind and its path.  `articles_dev.jsonl` and `incidents_dev.jsonl` are both
`articles` gold sets, named ``articles`` and ``incidents`` in the ``dev`` suite; the incident
clustering of `incidents_dev.jsonl` (B-cubed) is ``incident_clusters``.

`evaluate(kind, gold, pred, settings)` is the one entry point of the CLI, the dev report and the
quality gate.  Scorers are imported lazily by module path (`EVALUATORS`), so a build without one
of them (`idrisi`, `ner` come from the geo and NER work) answers E403 "not available in this
build" instead of failing at import; an unknown kind is E403 too, a missing gold file E401 and a
missing prediction file E402.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
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
    "incidents": "rasad.eval.incidents:evaluate_incidents",
}
"""kind → "module:function" of its scorer."""

KIND_HELP: dict[str, str] = {
    "articles": "Article events: P/R/F1 (type + place), sub-event, actor, date, fatalities and "
                "genre accuracy, then the errors counted by cause.",
    "gsr": "Event sentences (UniversalPETRARCH Arabic): event-family recall, source-actor "
           "accuracy.",
    "negatives": "Sentences without events: false-alarm rate.",
    "idrisi": "Toponyms (IDRISI): span recall and accuracy@161km.",
    "ner": "Named entities (ANERcorp, CoNLL): entity-level micro P/R/F1.",
    "incidents": "Incidents (incidents_dev.jsonl): B-cubed P/R/F1 of the incidents built from "
                 "the predicted events that match gold events; incident counts.",
}


@dataclass(frozen=True, slots=True)
class ScoredSet:
    """A gold file that `rasad eval all` and the quality gate score."""

    suite: str
    name: str
    kind: str
    path: Path
    label: str = ""
    """Said beside the file name in the report."""
    floors_optional: bool = False
    """The gate checks it once the baseline holds its floors; until then it has no floor yet
    (for the sets added after the baseline; others without floors fail the gate)."""


SHARED_SETS: tuple[ScoredSet, ...] = (
    ScoredSet("dev", "articles", "articles", Path("data/gold/articles_dev.jsonl")),
    ScoredSet("check", "articles", "articles", Path("data/gold/articles_check.jsonl"),
              label="check: scored, never read", floors_optional=True),
    ScoredSet("dev", "incidents", "articles", Path("data/gold/incidents_dev.jsonl"),
              floors_optional=True),
    ScoredSet("dev", "incident_clusters", "incidents", Path("data/gold/incidents_dev.jsonl"),
              label="incident clustering", floors_optional=True),
    ScoredSet("dev", "gsr", "gsr", Path("data/gold/up_arabic_gsr_dev.jsonl")),
    ScoredSet("dev", "negatives", "negatives", Path("data/gold/negatives_dev.jsonl")),
    ScoredSet("dev", "idrisi", "idrisi", Path("data/gold/idrisi_dev.jsonl")),
    # the evaluation split: never train on it
    ScoredSet("dev", "ner", "ner", Path("data/ner/anercorp/test.conll")),
)
"""The gold sets of the shared folder, paths relative to it, in the report's order."""

DEV_SETS: dict[str, str] = {s.kind: str(s.path) for s in SHARED_SETS
                            if s.suite == "dev" and s.name == s.kind}
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


def shared_sets(shared: Path, suite: str | None = None) -> list[ScoredSet]:
    """`SHARED_SETS` (of one suite, when given) with their paths under the shared folder."""
    return [replace(s, path=Path(shared) / s.path) for s in SHARED_SETS
            if suite is None or s.suite == suite]
