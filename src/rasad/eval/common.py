"""What every evaluation returns: metrics, a printable table, and the worst misses.

Each evaluation kind (`articles`, `gsr`, `negatives`, `idrisi`, `ner`) is a function
``evaluate_<kind>(gold: Path, pred: Path | None, settings: Settings) -> EvalResult``; without
`pred` it runs the extractor (or tagger) on the gold documents itself.

`EvalResult.metrics` is flat: integer metrics are counts (documents, events, matches), float
metrics are scores in [0, 1], and None is a score with nothing to score (an accuracy over zero
matched pairs).  Scores are higher-is-better except those named in `LOWER_IS_BETTER` or in the
result's own `lower_is_better`; the quality gate (`rasad.eval.gate`) pins a floor (or a ceiling)
on every score.  `EvalResult.breakdown` (articles) counts the errors by cause
(`rasad.eval.causes`): section → {"total": n, "causes": {cause: n}}.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

LOWER_IS_BETTER = frozenset({"false_alarm_rate", "asserted_false_alarm_rate"})
"""Scores where less is better, across all kinds (a kind may add its own)."""

BREAKDOWN_SECTIONS: dict[str, str] = {
    "false_alarms": "false alarms (predicted events that match no gold event)",
    "misses": "misses (gold events that no prediction matches)",
    "sub_event": "wrong sub_event of matched pairs (gold → predicted)",
    "actor1": "wrong actor1 of matched pairs",
    "actor2": "wrong actor2 of matched pairs",
    "date": "wrong date of matched pairs",
    "fatalities": "wrong fatalities of matched pairs",
    "genre": "wrong genre (gold → predicted)",
}
"""Sections of an error breakdown (`EvalResult.breakdown`) → their titles in the table."""


@dataclass(slots=True)
class Miss:
    """One thing the system got wrong, for `rasad eval --errors N`."""

    doc_id: str
    what: str
    gold: Any
    predicted: Any
    evidence: str | None = None
    weight: float = 1.0
    cause: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def render(self) -> str:
        """The miss as a few readable lines (doc id, what, gold, prediction, evidence)."""
        tag = f" ({self.cause})" if self.cause else ""
        lines = [f"[{self.doc_id}]{tag} {self.what}",
                 f"  gold:      {compact_json(self.gold)}",
                 f"  predicted: {compact_json(self.predicted)}"]
        if self.evidence:
            lines.append(f"  evidence:  {self.evidence}")
        return "\n".join(lines)


@dataclass(slots=True)
class EvalResult:
    """The outcome of one evaluation: flat metrics (for JSON and the gate) and misses."""

    kind: str
    gold_path: str
    metrics: dict[str, float | int | None]
    misses: list[Miss] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lower_is_better: frozenset[str] = frozenset()
    breakdown: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self, errors: int = 0) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "gold": self.gold_path,
                               "metrics": self.metrics, "notes": self.notes}
        if self.breakdown:
            out["breakdown"] = self.breakdown
        if errors:
            out["errors"] = [m.to_dict() for m in self.worst_misses(errors)]
        return out

    def scores(self) -> dict[str, float | None]:
        """The metrics that are scores (floats or None), not counts."""
        return {k: v for k, v in self.metrics.items()
                if v is None or (isinstance(v, float) and not isinstance(v, bool))}

    def is_lower_better(self, metric: str) -> bool:
        return metric in LOWER_IS_BETTER or metric in self.lower_is_better

    def worst_misses(self, n: int) -> list[Miss]:
        """The `n` heaviest misses, in the order they were found among equal weights."""
        return sorted(self.misses, key=lambda m: -m.weight)[:max(n, 0)]

    def render_table(self) -> str:
        """A small plain-text table: one line per metric, then the notes."""
        rows = [(name, format_metric(value)) for name, value in self.metrics.items()]
        width = max([len("metric"), *(len(name) for name, _ in rows)])
        lines = [f"{self.kind} — {self.gold_path}", f"{'metric':<{width}}  value",
                 f"{'-' * width}  -----"]
        lines += [f"{name:<{width}}  {value}" for name, value in rows]
        lines += [f"note: {note}" for note in self.notes]
        if self.breakdown:
            lines += ["", render_breakdown(self.breakdown)]
        return "\n".join(lines)


def render_breakdown(breakdown: dict[str, dict[str, Any]]) -> str:
    """Errors by cause as plain-text lines: each section's total, then the causes that occur."""
    rows: list[tuple[str, int]] = []
    for section, part in breakdown.items():
        rows.append((BREAKDOWN_SECTIONS.get(section, section), part["total"]))
        rows += [(f"  {cause}", n) for cause, n in part["causes"].items() if n]
    width = max(len(label) for label, _ in rows)
    return "\n".join(["errors by cause", f"{'-' * width}  -----",
                      *(f"{label:<{width}}  {n:,}" for label, n in rows)])


def format_metric(value: float | int | None) -> str:
    """Scores with three decimals, counts as integers, None as a dash."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return f"{value:,}"


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to score."""
    return part / whole if whole else None


def prf(matched: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1; 0.0 (not None) when a denominator is 0, as in CoNLL scoring."""
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def compact_json(value: Any) -> str:
    """One-line JSON with Arabic left readable."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
