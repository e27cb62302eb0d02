"""EventFilter: values checked (E304), conditions composed, documents filtered."""

from __future__ import annotations

import io

import pytest

from rasad.errors import StoreError
from rasad.io.export import write_export
from rasad.io.filters import EventFilter, filter_records
from store_helpers import event, record
from test_io_export import TEXT, documents


def test_filter_records_without_filters_keeps_everything() -> None:
    records = [record("a", []), record("b", [event("x", TEXT, "قصفت")])]
    assert list(filter_records(records, EventFilter.build())) == records
    assert not EventFilter.build().active


def test_event_filter_reads_country_codes_and_names() -> None:
    assert EventFilter.build(["syr", "Yemen", "IQ"]).countries == {"SY", "YE", "IQ"}
    with pytest.raises(StoreError) as caught:
        EventFilter.build(since="2015-02-30")
    assert caught.value.code == "E304"


def test_write_export_counts_filtered_events() -> None:
    records = [record(doc_id, events) for doc_id, (_, events) in documents().items()]
    out = io.StringIO()
    only_yemen = filter_records(records, EventFilter.build(["YE"]))
    assert write_export(only_yemen, "acled-csv", out) == 2
