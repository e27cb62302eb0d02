"""`SpanIndex` answers as testing every span would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rasad.text.intervals import SpanIndex

spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)).map(
    lambda se: (se[0], se[0] + se[1])), max_size=30)


@given(spans, st.integers(0, 90), st.integers(0, 20))
def test_span_index_overlaps_as_every_span(taken: list[tuple[int, int]], start: int,
                                           length: int) -> None:
    end = start + length
    assert SpanIndex(taken).overlaps(start, end) == any(s < end and start < e for s, e in taken)


@given(spans, st.integers(0, 90))
def test_span_index_covers_as_every_span(taken: list[tuple[int, int]], pos: int) -> None:
    assert SpanIndex(taken).covers(pos) == any(s <= pos < e for s, e in taken)
