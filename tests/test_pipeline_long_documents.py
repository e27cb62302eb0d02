"""A long document costs work in proportion to its length: no step compares every mention with
every other.  Work is counted, not timed: the lines of Python the pipeline executes (a loop over
a list runs its line once per element, so a step that compares all pairs shows up however fast
the machine is)."""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from rasad.pipeline import get_pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

# A clash report of the kind a digest page repeats: clashes, air strikes, shelling, actors, an
# anaphor («التنظيم»), places with their containers, a toll, a source with a person's name.
CLASH = ("اندلعت اشتباكات عنيفة يوم الأحد بين قوات الجيش السوري ومسلحي تنظيم داعش في ريف حلب "
         "الشمالي، ما أسفر عن مقتل 12 عنصرا من التنظيم وإصابة خمسة جنود. وقال المرصد السوري "
         "لحقوق الإنسان إن الاشتباكات امتدت إلى بلدة مارع قرب الحدود التركية، فيما شنت طائرات "
         "حربية غارات على مواقع التنظيم في مدينة الباب. وأضاف رامي عبد الرحمن أن ثلاثة مدنيين "
         "قتلوا في قصف مدفعي على حي الشعار في حلب.")
TOWNS = ("حلب", "الرقة", "حمص", "حماة", "إدلب", "درعا", "الموصل", "تكريت", "الرمادي", "الفلوجة",
         "بعقوبة", "كركوك", "سامراء", "بيجي", "تدمر", "القامشلي")


def executed_lines(text: str, use_ner: bool = True) -> tuple[int, dict[str, Any]]:
    """Lines of Python run by `Pipeline.process` on `text`, and its record."""
    pipeline = get_pipeline(Settings(use_ner=use_ner))
    pipeline.process(RawDocument("warm-up", CLASH, published="2016-03-07"))
    count = 0

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        record = pipeline.process(RawDocument("long", text, published="2016-03-07"))
    finally:
        sys.settrace(None)
    assert "error" not in record
    return count, record


def growth(copies: int, document: Any, use_ner: bool = True) -> float:
    """How much more work twice as many copies take (2.0 for linear work)."""
    once, _ = executed_lines(document(copies), use_ner)
    twice, _ = executed_lines(document(2 * copies), use_ner)
    return twice / once


def repeated(copies: int) -> str:
    return "\n\n".join([CLASH] * copies)


def digest(copies: int) -> str:
    """Distinct reports: each copy on another day in another town (events that do not merge)."""
    return "\n\n".join(CLASH.replace("يوم الأحد", f"يوم {1 + k % 28} فبراير")
                       .replace("في حلب.", f"في {TOWNS[k % len(TOWNS)]}.")
                       for k in range(copies))


def test_pipeline_repeated_paragraph_work_grows_linearly() -> None:
    # Before: 2.7 (sixteen copies → thirty-two); every copy was compared with every other.
    assert growth(16, repeated) < 2.2


def test_pipeline_repeated_paragraph_without_ner_work_grows_linearly() -> None:
    assert growth(16, repeated, use_ner=False) < 2.2


def test_pipeline_digest_of_distinct_events_work_grows_linearly() -> None:
    assert growth(16, digest) < 2.2


def one_sentence(copies: int) -> str:
    """The report repeated without a full stop, comma or line break: one sentence, one clause."""
    plain = CLASH.replace(".", " ").replace("،", " ")
    return " ".join([plain] * copies)


def test_pipeline_one_long_sentence_work_grows_linearly() -> None:
    # Before: 2.9 (the toll cue looked back over the whole clause for every figure; every death
    # figure was measured against every trigger word of the sentence).
    assert growth(16, one_sentence, use_ner=False) < 2.2


def test_pipeline_repeated_paragraph_is_the_events_of_one_copy() -> None:
    _, once = executed_lines(CLASH)
    _, many = executed_lines(repeated(8))
    assert [(e["event_type"], e["location"]["name"] if e["location"] else None)
            for e in many["events"]] == \
        [(e["event_type"], e["location"]["name"] if e["location"] else None)
         for e in once["events"]]
