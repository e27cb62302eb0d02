"""Places that name no scene: agents («الذي تقوده الولايات المتحدة») and across a border."""

from __future__ import annotations

import pytest

from rasad.doc import Doc
from rasad.geo.agents import across_border, named_as_agent
from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

PIPELINE = Pipeline(Settings(use_ner=False))


def _places(text: str) -> tuple[Doc, dict[str, bool]]:
    doc = PIPELINE.run(RawDocument(id="t", text=text, published="2023-03-01"))
    return doc, {p.place.text: across_border(doc, p, doc.places) for p in doc.places}


@pytest.mark.parametrize("text, expected", [
    ("وقعت اشتباكات في ولاية شرناق على الحدود مع العراق وسوريا.",
     {"ولاية شرناق": False, "العراق": True, "سوريا": True}),
    ("سقطت قذيفة على بلدة الرمثا المحاذية لسوريا.", {"الرمثا": False, "سوريا": True}),
    ("وقعت اشتباكات في العراق وسوريا.", {"العراق": False, "سوريا": False}),
])
def test_across_border_marks_the_other_side_only(text: str, expected: dict[str, bool]) -> None:
    _, found = _places(text)
    assert {k: v for k, v in found.items() if k in expected} == expected


def test_across_border_is_not_an_agent() -> None:
    doc, _ = _places("شنت القوات التي تدعمها تركيا هجوما قرب الحدود مع سوريا.")
    agents = {p.place.text: named_as_agent(doc, p, doc.places) for p in doc.places}
    assert agents == {"تركيا": True, "سوريا": False}
