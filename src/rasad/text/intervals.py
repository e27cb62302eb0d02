"""Overlap and containment queries over a fixed set of spans, in logarithmic time.

`SpanIndex(spans)` takes `(start, end)` pairs (half-open, in any order, overlapping or not) and
answers `overlaps(start, end)` (does any span share a position with it: `s < end and start < e`),
`encloses(start, end)` (does any span start before it and reach its end) and `covers(pos)` (does
any span hold `pos`: `s <= pos < e`) by bisecting the spans sorted by start against the running
maximum of their ends: the same answers as testing every span, without the cost that grows with
the document twice over.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate


class SpanIndex:
    """A set of half-open spans that answers overlap and containment queries."""

    __slots__ = ("_max_end", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        # The largest end among the spans that start at or before each one.
        self._max_end = list(accumulate((e for _, e in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span `(s, e)` has `s < end and start < e`."""
        k = bisect_left(self._starts, end)
        return k > 0 and self._max_end[k - 1] > start

    def encloses(self, start: int, end: int) -> bool:
        """Whether some span `(s, e)` starts before `start` and reaches `end`: `s < start` and
        `end <= e` (it holds the span and more before it)."""
        k = bisect_left(self._starts, start)
        return k > 0 and self._max_end[k - 1] >= end

    def covers(self, pos: int) -> bool:
        """Whether some span `(s, e)` has `s <= pos < e`."""
        k = bisect_right(self._starts, pos)
        return k > 0 and self._max_end[k - 1] > pos
