"""Report units: connectors that open a new report, and paragraphs."""

from __future__ import annotations

import pytest

from rasad.doc import Doc
from rasad.extract.reports import connector, paragraph_starts
from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

PIPELINE = Pipeline(Settings(use_ner=False))


def _doc(text: str) -> Doc:
    return PIPELINE.prepare(RawDocument(id="t", text=text))


@pytest.mark.parametrize(("text", "kind"), [
    ("كما قصفت قوات النظام مناطق في المدينة", "strong"),
    ("وأيضاً دارت اشتباكات", "strong"),
    ("من جهة أخرى، شنت الطائرات غارات", "strong"),
    ("في حين دارت اشتباكات", "weak"),
    ("فيما قتل ثلاثة", "weak"),
    ("وقصفت قوات النظام مناطق في المدينة", None),
    ("كماليات المنزل", None),
])
def test_reports_connector_opens_a_report(text: str, kind: str | None) -> None:
    doc = _doc(text)
    assert connector(doc, 0, len(doc.tokens)) == kind


def test_reports_paragraph_starts_follow_line_breaks() -> None:
    doc = _doc("قصفت الطائرات حلب. وقتل خمسة.\nكما دارت اشتباكات. وأصيب عشرة.")
    assert paragraph_starts(doc) == [0, 0, 2, 2]
