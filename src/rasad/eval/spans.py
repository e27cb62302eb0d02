"""Span exactness: does every `start`/`end` of a record slice its input text exactly?

The contract (§3) promises ``text[start:end] == field["text"]`` for every span of a record:
places, event locations, actors (main and associated), fatality figures, attributions and
evidence.  `record_spans(record)` lists them, `span_problems(record, text)` names those that do
not slice `text` exactly (or fall outside it), and `SpanTally` counts them over many documents
for `rasad eval` and `benchmarks/corpus_run.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

_EVENT_SPANS = ("location", "fatalities_text", "attribution", "evidence", "actor1", "actor2")


def _has_offsets(value: Any) -> bool:
    return isinstance(value, dict) and (value.get("start") is not None
                                        or value.get("end") is not None)


def record_spans(record: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(field path, span object) for every span of a contract record that claims offsets."""
    for i, place in enumerate(record.get("places") or []):
        if _has_offsets(place):
            yield f"places[{i}]", place
    for i, event in enumerate(record.get("events") or []):
        for name in _EVENT_SPANS:
            value = event.get(name)
            if _has_offsets(value):
                yield f"events[{i}].{name}", value
        for side in ("assoc_actor_1", "assoc_actor_2"):
            for j, actor in enumerate(event.get(side) or []):
                if _has_offsets(actor):
                    yield f"events[{i}].{side}[{j}]", actor


def span_problems(record: dict[str, Any], text: str) -> list[str]:
    """The spans of `record` that do not slice `text` exactly, described."""
    problems = []
    for path, span in record_spans(record):
        start, end, words = span.get("start"), span.get("end"), span.get("text")
        if not isinstance(start, int) or not isinstance(end, int):
            problems.append(f"{path}: start/end are not integers")
        elif not 0 <= start <= end <= len(text):
            problems.append(f"{path}: [{start}:{end}] outside a text of {len(text)} characters")
        elif text[start:end] != words:
            problems.append(f"{path}: text[{start}:{end}] is {text[start:end]!r}, not {words!r}")
    return problems


@dataclass(slots=True)
class SpanTally:
    """Spans checked and the problems found, over many documents."""

    spans: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)

    def add(self, doc_id: str, record: dict[str, Any], text: str) -> None:
        self.spans += sum(1 for _ in record_spans(record))
        self.problems.extend((doc_id, p) for p in span_problems(record, text))

    @property
    def exactness(self) -> float:
        """The share of spans that slice their text exactly (1.0 when there are none)."""
        if not self.spans:
            return 1.0
        return 1.0 - len(self.problems) / self.spans
