"""The IDRISI scorer on hand-made gold and predictions: recall, precision, accuracy@161km."""

from __future__ import annotations

import json
from pathlib import Path

from rasad.eval.idrisi import evaluate_idrisi, in_compound_hashtag
from rasad.settings import Settings

TEXT = "سيول في الكويت و#امطار_الأردن وحرارة في بغداد"


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def gold_kuwait_and_baghdad(tmp_path: Path) -> Path:
    """Gold for TEXT: Kuwait and Baghdad (the name in the hashtag is not annotated)."""
    kw, baghdad = span("الكويت"), span("بغداد")
    return write(tmp_path / "gold.jsonl", [{"id": "d1", "text": TEXT, "gold": {"locations": [
        {"text": "الكويت", "start": kw[0], "end": kw[1], "latitude": 29.3, "longitude": 47.5},
        {"text": "بغداد", "start": baghdad[0], "end": baghdad[1], "latitude": 33.3,
         "longitude": 44.4}]}}])


def test_scores_recall_precision_and_accuracy(tmp_path: Path) -> None:
    kw, baghdad, jordan = span("الكويت"), span("بغداد"), span("الأردن")
    gold = gold_kuwait_and_baghdad(tmp_path)
    pred = write(tmp_path / "pred.jsonl", [{"doc_id": "d1", "places": [
        {"text": "الكويت", "start": kw[0], "end": kw[1], "latitude": 29.4, "longitude": 47.6},
        {"text": "بغداد", "start": baghdad[0], "end": baghdad[1], "latitude": 36.3,
         "longitude": 43.1},
        {"text": "الأردن", "start": jordan[0], "end": jordan[1], "latitude": 31.2,
         "longitude": 36.9}]}])
    result = evaluate_idrisi(gold, pred, Settings(use_ner=False))
    m = result.metrics
    assert m["span_recall"] == 1.0
    assert m["accuracy_161km"] == 0.5  # Baghdad predicted at Mosul, ~350 km off
    assert m["span_precision"] == round(2 / 3, 4)
    assert m["span_precision_outside_compound_hashtags"] == 1.0
    assert {x.what for x in result.misses} == {"wrong place"}


def test_compound_hashtag_detection() -> None:
    assert in_compound_hashtag(TEXT, *span("الأردن"))
    assert not in_compound_hashtag(TEXT, *span("الكويت"))
    assert not in_compound_hashtag("#حفر_الباطن", 1, 11)


def test_unresolved_places_are_counted_apart(tmp_path: Path) -> None:
    kw, baghdad = span("الكويت"), span("بغداد")
    gold = gold_kuwait_and_baghdad(tmp_path)
    pred = write(tmp_path / "pred.jsonl", [{"doc_id": "d1", "places": [
        {"text": "الكويت", "start": kw[0], "end": kw[1], "latitude": 29.4, "longitude": 47.6},
        {"text": "بغداد", "start": baghdad[0], "end": baghdad[1], "latitude": None,
         "longitude": None, "resolved": False}]}])
    m = evaluate_idrisi(gold, pred, Settings(use_ner=False)).metrics
    assert m["span_recall"] == 1.0 and m["accuracy_161km"] == 0.5
    assert m["recalled_by_unresolved_places"] == 1
    assert m["accuracy_161km_resolved_places"] == 1.0


def test_the_two_readings_for_the_maintainer(tmp_path: Path) -> None:
    """A country mention read as the right country at another point counts only in the
    by-code reading; an unannotated repeat of a place counts as false only in the strict one."""
    text = "سيول في الكويت وامطار في الكويت وحرارة في بغداد"
    first, again = text.index("الكويت"), text.rindex("الكويت")
    baghdad = text.index("بغداد")
    gold = write(tmp_path / "gold.jsonl", [{"id": "d1", "text": text, "gold": {"locations": [
        {"text": "الكويت", "start": first, "end": first + 6, "type": "Country",
         "country": "KW", "latitude": 29.3, "longitude": 47.5},
        {"text": "بغداد", "start": baghdad, "end": baghdad + 5, "type": "City/town",
         "country": "IQ", "latitude": 33.3, "longitude": 44.4}]}}])
    kuwait = {"text": "الكويت", "feature": "country", "country": "KW",
              "gazetteer_id": "geonames:285570", "latitude": 31.0, "longitude": 45.0}
    pred = write(tmp_path / "pred.jsonl", [{"doc_id": "d1", "places": [
        {**kuwait, "start": again, "end": again + 6},
        {**kuwait, "start": first, "end": first + 6},
        {"text": "بغداد", "start": baghdad, "end": baghdad + 5, "feature": "city",
         "country": "IQ", "latitude": 36.3, "longitude": 43.1}]}])
    m = evaluate_idrisi(gold, pred, Settings(use_ner=False)).metrics
    assert m["accuracy_161km_of_all_gold"] == 0.0  # Kuwait ~290 km off, Baghdad at Mosul
    assert m["accuracy_of_all_gold_countries_by_code"] == 0.5  # Baghdad stays wrong
    assert m["span_precision_outside_compound_hashtags"] == round(2 / 3, 4)
    assert m["span_precision_outside_compound_hashtags_unannotated_repeats_left_out"] == 1.0
