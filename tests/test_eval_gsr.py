"""Event-sentence scoring (UniversalPETRARCH gold): family hits and the source actor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eval_helpers import actor, predicted_event, record, write_jsonl
from rasad.eval.common import EvalResult
from rasad.eval.gsr import evaluate_gsr, locate_source
from rasad.settings import Settings

CLASH = "اشتبك مقاتلون من المعارضة مع قوات النظام في ريف حلب أمس."
MARCH = "تظاهر آلاف المواطنين في ساحة التحرير احتجاجاً على انقطاع الكهرباء."
SHELLING = "قصفت جماعة الحوثي بالمدفعية أحياء سكنية في مدينة تعز."
RIOT = "أحرق محتجون غاضبون إطارات السيارات في مدينة البصرة."


def sentence(doc_id: str, text: str, category: str, source: str = "") -> dict[str, Any]:
    return {"id": doc_id, "text": text, "published": "2024-05-01",
            "gold": {"category": category, "plover": category, "eventtext": "",
                     "sourcetext": source, "targettext": "", "sourcecode": "",
                     "targetcode": ""}}


def typed(event_type: str, actor1: dict[str, Any] | None = None) -> dict[str, Any]:
    return predicted_event(None, event_type=event_type, sub_event_type="", actor1=actor1)


def at(text: str, words: str, name: str = "X") -> dict[str, Any]:
    """An actor whose span is `words` in `text`."""
    start = text.index(words)
    return actor(name, words, start, start + len(words))


def score(tmp_path: Path, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> EvalResult:
    return evaluate_gsr(write_jsonl(tmp_path / "gold.jsonl", gold),
                        write_jsonl(tmp_path / "pred.jsonl", pred), Settings())


def test_family_recall_counts_any_event_of_the_right_family(tmp_path: Path) -> None:
    gold = [sentence("a1", CLASH, "ASSAULT"), sentence("a2", SHELLING, "ASSAULT"),
            sentence("p1", MARCH, "PROTEST"), sentence("p2", RIOT, "PROTEST")]
    pred = [record("a1", [typed("Protests"), typed("Battles")]),
            record("a2", [typed("Strategic developments")]),
            record("p1", [typed("Riots")]),
            record("p2", [])]
    m = score(tmp_path, gold, pred).metrics
    assert m["family_recall"] == 0.5
    assert m["assault_recall"] == 0.5
    assert m["protest_recall"] == 0.5
    assert m["family_precision"] == 0.5  # Battles, Riots right; Protests, Strategic wrong
    assert (m["hits"], m["predicted_events"], m["right_family_events"]) == (2, 4, 2)


@pytest.mark.parametrize("event_type", ["Battles", "Explosions/Remote violence",
                                        "Violence against civilians"])
def test_every_violent_type_is_an_assault(tmp_path: Path, event_type: str) -> None:
    result = score(tmp_path, [sentence("a1", CLASH, "ASSAULT")],
                   [record("a1", [typed(event_type)])])
    assert result.metrics["family_recall"] == 1.0


def test_source_actor_is_found_by_span_overlap(tmp_path: Path) -> None:
    gold = [sentence("a1", CLASH, "ASSAULT", "مقاتلون من المعارضة"),
            sentence("a2", SHELLING, "ASSAULT", "جماعة الحوثي"),
            sentence("p1", MARCH, "PROTEST", "آلاف المواطنين"),
            sentence("p2", RIOT, "PROTEST", "محتجون غاضبون"),
            sentence("p3", RIOT, "PROTEST", "")]
    pred = [record("a1", [typed("Battles", at(CLASH, "المعارضة"))]),  # overlaps: right
            record("a2", [typed("Battles", at(SHELLING, "أحياء سكنية"))]),  # elsewhere: wrong
            record("p1", [typed("Battles", at(MARCH, "آلاف المواطنين"))]),  # wrong family
            record("p2", [typed("Riots", at(RIOT, "محتجون"))]),  # overlaps: right
            record("p3", [typed("Riots")])]
    m = score(tmp_path, gold, pred).metrics
    assert m["source_sentences"] == 4
    assert m["source_actor_accuracy"] == 0.5


def test_an_out_of_order_gold_source_is_located_by_its_words() -> None:
    text = "وكانت فرقة مظلية من قوات مكافحة الإرهاب قد قتلت أربعة من المتهمين."
    spans = locate_source(text, "قوات الإرهاب مكافحة")
    assert [text[s:e] for s, e in spans] == ["قوات مكافحة الإرهاب"]
    # a word attached to a proclitic still counts
    text = "وقال إن الجيش هاجم المدينة ولجماعة الحوثي مواقع فيها."
    assert [text[s:e] for s, e in locate_source(text, "الحوثي لجماعة")] == ["ولجماعة الحوثي"]
    # words scattered over the sentence are not a location
    assert locate_source("قوات الجيش دخلت المدينة بعد معارك طويلة مع مسلحي مكافحة الفساد",
                         "قوات مكافحة") == []


def test_an_unlocated_source_falls_back_to_shared_words(tmp_path: Path) -> None:
    gold = [sentence("a1", CLASH, "ASSAULT", "المعارضة السورية المسلحة")]
    right = record("a1", [typed("Battles", actor("Syrian opposition", "المعارضة", 999, 1007))])
    assert score(tmp_path, gold, [right]).metrics["source_actor_accuracy"] == 1.0
    wrong = record("a1", [typed("Battles", actor("Army", "قوات النظام", 999, 1010))])
    assert score(tmp_path, gold, [wrong]).metrics["source_actor_accuracy"] == 0.0


def test_misses_are_the_sentences_without_a_hit(tmp_path: Path) -> None:
    gold = [sentence("a1", CLASH, "ASSAULT", "مقاتلون من المعارضة"),
            sentence("p1", MARCH, "PROTEST")]
    pred = [record("a1", [typed("Battles", at(CLASH, "قوات النظام"))]),
            record("p1", [typed("Battles")])]
    misses = score(tmp_path, gold, pred).worst_misses(5)
    assert [(m.doc_id, m.what.split(":")[0]) for m in misses] == [
        ("p1", "missed"), ("a1", "source actor not found as actor1")]
    assert misses[0].predicted == ["Battles"]
    assert misses[0].evidence == MARCH
