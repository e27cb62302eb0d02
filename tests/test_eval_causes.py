"""Errors of article scoring by cause (rasad.eval.causes): hand-made documents in which each cause
happens once, so that every count is known."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from eval_helpers import (
    TAIZ,
    actor,
    gold_article,
    gold_event,
    north_of,
    place,
    predicted_event,
    record,
    write_jsonl,
)
from rasad.cli import app
from rasad.eval.articles import evaluate_articles
from rasad.eval.causes import FALSE_ALARM_CAUSES, MISS_CAUSES
from rasad.eval.common import EvalResult
from rasad.settings import Settings

runner = CliRunner()


def sentences(n: int) -> tuple[str, list[dict[str, Any]]]:
    """A text of `n` distinct sentences, and each sentence's evidence span."""
    parts = [f"هذه الجملة رقم {k} من الخبر." for k in range(n)]
    text = " ".join(parts)
    spans, start = [], 0
    for part in parts:
        spans.append({"text": part, "start": start, "end": start + len(part)})
        start += len(part) + 1
    return text, spans


def at(km: float) -> dict[str, Any]:
    return place(north_of(TAIZ, km))


def gold_in(sentence: dict[str, Any], location: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {**gold_event(location, **fields), "evidence": sentence["text"]}


def predicted_in(sentence: dict[str, Any] | None, location: dict[str, Any],
                 **fields: Any) -> dict[str, Any]:
    evidence = sentence or {"text": "جملة ليست في النص.", "start": None, "end": None}
    return {**predicted_event(location, **fields), "evidence": evidence}


def score(tmp_path: Path, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> EvalResult:
    return evaluate_articles(write_jsonl(tmp_path / "gold.jsonl", gold),
                             write_jsonl(tmp_path / "pred.jsonl", pred), Settings())


def error_documents() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Gold and predictions in which every false-alarm and miss cause (those that need no
    extractor run) happens exactly once."""
    text, s = sentences(8)
    riots = {"event_type": "Riots", "sub_event_type": "Mob violence"}
    protest = {"event_type": "Protests", "sub_event_type": "Peaceful protest"}
    blast = {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}
    d1_gold = [
        gold_in(s[0], at(0)),  # matched by the first prediction
        gold_in(s[2], at(200), event_date="2024-03-01"),  # background: not scored
        gold_in(s[3], at(400), event_date="2024-05-10", **riots),
        gold_in(s[4], at(800), event_date="2024-05-08", **protest),
        gold_in(s[6], at(1000), event_date="2024-05-07", **blast),
    ]
    d1_pred = [
        predicted_in(s[0], at(0)),
        predicted_in(s[1], at(10)),  # duplicate: agrees with the matched gold event
        predicted_in(s[2], at(200), event_date="2024-05-18"),  # dated the background as recent
        predicted_in(s[3], at(600), event_date="2024-05-12", **riots),  # wrong place
        predicted_in(s[5], at(800), event_date="2024-05-08", **riots),  # wrong type, same day
        predicted_in(s[7], at(1200), event_date="2024-05-07", **blast),  # same type and day
        predicted_in(None, at(1500), event_date="2024-05-01", modality="hedged"),
    ]
    text4, t = sentences(5)
    d4_gold = [
        gold_in(t[0], at(0)),
        gold_in(t[1], at(20)),  # merged: its agreeing prediction is matched to the first
        gold_in(t[2], at(300), event_date="2024-05-15", event_type="Violence against civilians",
                sub_event_type="Attack"),
        gold_in(t[3], at(600), event_date="2024-05-14", **protest),  # nothing from its sentence
        gold_in(t[4], at(900), event_date="2024-05-13", event_type="Strategic developments",
                sub_event_type="Other"),
    ]
    d4_pred = [
        predicted_in(t[1], at(5)),
        # found, but dated more than 30 days before publication: not scored
        predicted_in(t[2], at(300), event_date="2024-03-01",
                     event_type="Violence against civilians", sub_event_type="Attack"),
        # from the Strategic developments' sentence, another type and place: no related gold
        predicted_in(t[4], at(1100), event_date="2024-05-12", **riots),
    ]
    gold = [{**gold_article("d1", d1_gold), "text": text},
            gold_article("d2", [], genre="analysis"),
            gold_article("d3", []),
            {**gold_article("d4", d4_gold), "text": text4}]
    pred = [record("d1", d1_pred),
            record("d2", [predicted_event(at(0))]),  # an analysis predicted as news
            record("d3", [predicted_event(at(0))]),
            record("d4", d4_pred)]
    return gold, pred


def test_each_false_alarm_and_miss_lands_in_one_cause(tmp_path: Path) -> None:
    gold, pred = error_documents()
    result = score(tmp_path, gold, pred)
    breakdown = result.breakdown
    false_alarms = {cause: 1 for cause in FALSE_ALARM_CAUSES}
    assert breakdown["false_alarms"] == {"total": 9, "causes": false_alarms}
    misses = {cause: 1 for cause in MISS_CAUSES}
    for cause in ("dropped as unreal", "no trigger in its sentence", "trigger found, no event"):
        misses[cause] = 0  # these need the extractor (no prediction file)
    assert breakdown["misses"] == {"total": 7, "causes": misses}
    m = result.metrics
    assert m["predicted_events"] - m["matched"] == breakdown["false_alarms"]["total"]
    assert m["gold_events"] - m["matched"] == breakdown["misses"]["total"]
    assert breakdown["genre"] == {"total": 1, "causes": {"analysis → news": 1}}
    for name in ("sub_event", "actor1", "actor2", "date", "fatalities"):
        assert breakdown[name]["total"] == 0, name


def test_every_listed_error_carries_its_cause(tmp_path: Path) -> None:
    gold, pred = error_documents()
    result = score(tmp_path, gold, pred)
    listed = result.worst_misses(100)
    assert len(listed) == 9 + 7 + 1
    causes = [m.cause for m in listed if m.what.startswith("false positive")]
    assert sorted(causes) == sorted(FALSE_ALARM_CAUSES)
    hedged = next(m for m in listed if m.cause == "not asserted (modality)")
    assert hedged.render().startswith("[d1] (not asserted (modality)) false positive:")


def test_wrong_fields_of_matched_pairs_by_cause(tmp_path: Path) -> None:
    a, b, c, d = (["Group A"], ["Group B"], ["Group C"], ["Group D"])
    gold = [gold_article("d1", [
        gold_event(at(0), actor1=a, event_date="2024-05-19", fatalities=3),
        gold_event(at(300), event_date=None, fatalities=None),  # type: ignore[arg-type]
        gold_event(at(600), actor1=a, actor2=c, event_date="2024-05-18", fatalities=5),
        gold_event(at(900), actor1=a, event_date="2024-05-18", fatalities=2),
        gold_event(at(1200), actor2=c, event_date="2024-05-10"),
    ])]
    pred = [record("d1", [
        predicted_event(at(0), event_date=None, sub_event_type="Government regains territory"),
        predicted_event(at(300), actor1=actor("Group X"), event_date="2024-05-18",
                        fatalities=2),
        predicted_event(at(600), actor1=actor(b[0]), event_date="2024-05-20", fatalities=3),
        predicted_event(at(900), actor1=actor(a[0]), actor2=actor("Group Y"),
                        event_date="2024-05-17", fatalities=7),
        predicted_event(at(1200), actor2=actor(d[0]), event_date="2024-05-15"),
    ])]
    breakdown = score(tmp_path, gold, pred).breakdown
    assert breakdown["sub_event"] == {
        "total": 1, "causes": {"Armed clash → Government regains territory": 1}}
    actor_causes = {"missing": 1, "actor where gold has none": 1, "another actor": 1}
    assert breakdown["actor1"] == {"total": 3, "causes": actor_causes}
    assert breakdown["actor2"] == {"total": 3, "causes": actor_causes}
    assert breakdown["date"] == {"total": 5, "causes": {
        "missing": 1, "date where gold has none": 1, "the publication day": 1,
        "one day off": 1, "another day": 1}}
    assert breakdown["fatalities"] == {"total": 4, "causes": {
        "missing": 1, "a number where gold has none": 1, "too low": 1, "too high": 1}}
    assert breakdown["false_alarms"]["total"] == breakdown["misses"]["total"] == 0


def test_actor_causes_follow_the_order_that_scored_the_pair(tmp_path: Path) -> None:
    gold = [gold_article("d1", [gold_event(at(0), actor1=["Group A"], actor2=["Group B"])])]
    # Swapped, and actor1 (here: Group A, read as actor2) right: only the gold actor2 is wrong.
    pred = [record("d1", [predicted_event(at(0), actor1=None, actor2=actor("Group A"))])]
    breakdown = score(tmp_path, gold, pred).breakdown
    assert breakdown["actor1"]["total"] == 0
    assert breakdown["actor2"] == {"total": 1, "causes": {
        "missing": 1, "actor where gold has none": 0, "another actor": 0}}


def test_without_a_prediction_file_the_extractor_says_why_it_found_nothing(
        tmp_path: Path) -> None:
    denied = "نفى الجيش اليمني قصف مدينة تعز يوم الأحد."
    no_trigger = "زار الوزير مدينة عدن أمس."
    not_licensed = "قصف اللاعب الكرة بقوة في مرمى الفريق في ملعب تعز."
    blast = {"event_type": "Explosions/Remote violence",
             "sub_event_type": "Shelling/artillery/missile attack"}
    events = [{**gold_event(place(TAIZ), **blast), "evidence": denied},
              {**gold_event(place((12.78, 45.04), admin1="Aden", name="Aden")),
               "evidence": no_trigger},
              {**gold_event(place(TAIZ), **blast), "evidence": not_licensed}]
    doc = {**gold_article("d1", events), "text": " ".join([denied, no_trigger, not_licensed])}
    result = evaluate_articles(write_jsonl(tmp_path / "gold.jsonl", [doc]), None,
                               Settings(use_ner=False))
    assert result.metrics["predicted_events"] == 0  # the denial is dropped (keep_unreal off)
    causes = {c: n for c, n in result.breakdown["misses"]["causes"].items() if n}
    assert causes == {"dropped as unreal": 1, "no trigger in its sentence": 1,
                      "trigger found, no event": 1}


def test_the_cli_prints_the_breakdown_and_puts_it_in_json(tmp_path: Path) -> None:
    gold, pred = error_documents()
    gold_path = write_jsonl(tmp_path / "gold.jsonl", gold)
    pred_path = write_jsonl(tmp_path / "pred.jsonl", pred)
    table = runner.invoke(app, ["eval", "articles", "--gold", str(gold_path),
                                "--pred", str(pred_path), "--errors", "2"])
    assert table.exit_code == 0, table.output
    assert "errors by cause" in table.output
    assert "  duplicate" in table.output
    assert "[d1] (found but wrong place) missed:" in table.output
    as_json = runner.invoke(app, ["eval", "articles", "--gold", str(gold_path),
                                  "--pred", str(pred_path), "--json", "--errors", "1"])
    out = json.loads(as_json.output)
    assert out["breakdown"]["misses"]["total"] == 7
    assert out["errors"][0]["cause"] == "found but wrong place"
