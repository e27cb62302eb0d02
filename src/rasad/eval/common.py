"""What every evaluation returns: metrics, a printable table, and the worst misses.

Each evaluation kind (`articles`, `gsr`, `negatives`, `idrisi`, `ner`) is a function
``evaluate_<kind>(gold: Path, pred: Path | None, settings: Settings) -> EvalResult``; without
`pred` it runs the extractor (or tagger) on the gold documents itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Miss:
    """One thing the system got wrong, for `rasad eval --errors N`."""

    doc_id: str
    what: str
    gold: Any
    predicted: Any
    evidence: str | None = None
    weight: float = 1.0


@dataclass(slots=True)
class EvalResult:
    """The outcome of one evaluation: flat metrics (for JSON and the gate) and misses."""

    kind: str
    gold_path: str
    metrics: dict[str, float | int | None]
    misses: list[Miss] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "gold": self.gold_path, "metrics": self.metrics,
                "notes": self.notes}
