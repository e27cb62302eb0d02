"""The gate: floors fail worse predictions, rise in one command, fall only on purpose."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eval_helpers import (
    FIXTURES,
    ROOT,
    TAIZ,
    gold_as_record,
    place,
    predicted_event,
    read_jsonl,
    write_jsonl,
)
from eval_helpers import record as contract_record
from rasad.cli import app
from rasad.errors import ConfigError, EvalError
from rasad.eval.common import EvalResult
from rasad.eval.gate import (
    assert_floors,
    floor_failures,
    load_baseline,
    log_lowered,
    run_gate,
    update_floors,
)
from rasad.eval.kinds import evaluate
from rasad.settings import Settings

runner = CliRunner()
ARTICLES = FIXTURES / "articles.jsonl"


def result(metrics: dict[str, float | int | None], kind: str = "articles") -> EvalResult:
    return EvalResult(kind, "gold.jsonl", metrics)


def test_the_gate_fails_a_worse_prediction(tmp_path: Path) -> None:
    gold = read_jsonl(ARTICLES)
    perfect = [gold_as_record(doc) for doc in gold]
    measured = evaluate("articles", ARTICLES, write_jsonl(tmp_path / "perfect.jsonl", perfect),
                        Settings())
    floors, _, _ = update_floors("fixtures", measured, {})
    assert_floors(measured, floors)  # the measurement that pinned the floors passes them
    worse = [{**r, "events": r["events"][1:]} for r in perfect]  # drop each first event
    worse_result = evaluate("articles", ARTICLES, write_jsonl(tmp_path / "worse.jsonl", worse),
                            Settings())
    with pytest.raises(EvalError) as caught:
        assert_floors(worse_result, floors)
    assert caught.value.code == "E404"
    assert "articles recall = 0.4000 is below its floor 1.0000" in caught.value.message


def test_the_pinned_false_alarm_ceiling_fails_a_prediction_that_flags_everything(
        tmp_path: Path) -> None:
    negatives = FIXTURES / "negatives.jsonl"
    flagged = [contract_record(doc["id"], [predicted_event(place(TAIZ), event_date=None)])
               for doc in read_jsonl(negatives)]
    measured = evaluate("negatives", negatives, write_jsonl(tmp_path / "p.jsonl", flagged),
                        Settings())
    ceiling = load_baseline(ROOT / "tests" / "quality_baseline.json")["fixtures"]["negatives"]
    assert ceiling["false_alarm_rate"]["max"] < 1.0
    failures = floor_failures(measured, ceiling)
    assert failures[0] == (f"negatives false_alarm_rate = 1.0000 is above its ceiling "
                           f"{ceiling['false_alarm_rate']['max']:.4f}")


def test_update_raises_floors_and_refuses_to_lower_them() -> None:
    floors = {"f1": {"min": 0.5}, "false_alarm_rate": {"max": 0.2}}
    new, made, refused = update_floors("dev", result({"f1": 0.61234, "false_alarm_rate": 0.1,
                                                       "recall": None, "matched": 3}), floors)
    assert new == {"f1": {"min": 0.6123}, "false_alarm_rate": {"max": 0.1},
                   "recall": {"min": 0.0}}
    assert [c.describe() for c in made] == [
        "dev/articles f1 floor 0.5000 → 0.6123",
        "dev/articles false_alarm_rate ceiling 0.2000 → 0.1000",
        "dev/articles recall floor none → 0.0000"]
    assert refused == []
    worse = result({"f1": 0.4, "false_alarm_rate": 0.3})
    kept, made, refused = update_floors("dev", worse, new)
    assert kept == new and made == []
    assert [c.describe() for c in refused] == [
        "dev/articles f1 floor 0.6123 → 0.4000",
        "dev/articles false_alarm_rate ceiling 0.1000 → 0.3000"]
    lowered, made, _ = update_floors("dev", worse, new, allow_lower=True)
    assert lowered["f1"] == {"min": 0.4} and all(c.lowered for c in made)


def test_a_floor_is_pinned_at_or_below_its_measurement() -> None:
    third = result({"f1": 1 / 3, "false_alarm_rate": 1 / 3})
    floors, _, _ = update_floors("dev", third, {})
    assert floors == {"f1": {"min": 0.3333}, "false_alarm_rate": {"max": 0.3334}}
    assert floor_failures(third, floors) == []


def test_a_missing_score_fails_a_positive_floor() -> None:
    assert floor_failures(result({"date_accuracy": None}), {"date_accuracy": {"min": 0.5}}) == [
        "articles date_accuracy = none is below its floor 0.5000"]
    assert floor_failures(result({"date_accuracy": None}), {"date_accuracy": {"min": 0.0}}) == []


def test_lowered_floors_are_logged_in_the_changelog(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## Quality floors lowered\n\nWhy each went down.\n\n"
                         "## 0.1.0\n\n- first release\n", encoding="utf-8")
    _, made, _ = update_floors("dev", result({"f1": 0.4}), {"f1": {"min": 0.5}},
                               allow_lower=True)
    log_lowered(changelog, made, "the gold set was corrected", dt.date(2025, 1, 2))
    log_lowered(changelog, made, "again", dt.date(2025, 1, 3))
    assert changelog.read_text(encoding="utf-8") == (
        "# Changelog\n\n## Quality floors lowered\n\nWhy each went down.\n\n"
        "- 2025-01-02: dev/articles f1 floor 0.5000 → 0.4000 — the gold set was corrected\n"
        "- 2025-01-03: dev/articles f1 floor 0.5000 → 0.4000 — again\n\n"
        "## 0.1.0\n\n- first release\n")


def test_allow_lower_needs_a_reason(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        run_gate(Settings(), tmp_path / "b.json", FIXTURES, tmp_path, update=True,
                 allow_lower=True, reason=" ")


def gate_folder(tmp_path: Path) -> list[str]:
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    shutil.copy(FIXTURES / "negatives.jsonl", fixtures / "negatives.jsonl")
    return ["--baseline", str(tmp_path / "baseline.json"), "--fixtures", str(fixtures),
            "--shared", str(tmp_path / "no-shared"), "--changelog",
            str(tmp_path / "CHANGELOG.md")]


def test_gate_command_pins_checks_and_logs(tmp_path: Path) -> None:
    paths = gate_folder(tmp_path)
    first = runner.invoke(app, ["eval", "gate", *paths])
    assert first.exit_code == 1 and "no floors pinned" in first.stdout
    pinned = runner.invoke(app, ["eval", "gate", "--update", *paths])
    assert pinned.exit_code == 0, pinned.output
    assert "set fixtures/negatives false_alarm_rate ceiling none → 0.0000" in pinned.stdout
    assert runner.invoke(app, ["eval", "gate", *paths]).exit_code == 0
    baseline = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    baseline["fixtures"]["negatives"]["false_alarm_rate"] = {"max": -0.5}
    (tmp_path / "baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    failed = runner.invoke(app, ["eval", "gate", *paths])
    assert failed.exit_code == 1 and "E404" in failed.stderr
    assert "above its ceiling -0.5000" in failed.stdout
    refused = runner.invoke(app, ["eval", "gate", "--update", *paths])
    assert refused.exit_code == 1 and "kept fixtures/negatives false_alarm_rate" in refused.stdout
    lowered = runner.invoke(app, ["eval", "gate", "--update", "--allow-lower", "--reason",
                                  "a test", *paths])
    assert lowered.exit_code == 0, lowered.output
    assert "ceiling -0.5000 → 0.0000 — a test" in (tmp_path / "CHANGELOG.md").read_text(
        encoding="utf-8")


def test_the_check_and_incidents_sets_have_no_floor_until_update_pins_one(
        tmp_path: Path) -> None:
    paths = gate_folder(tmp_path)
    gold = tmp_path / "no-shared" / "data" / "gold"
    gold.mkdir(parents=True)
    shutil.copy(ARTICLES, gold / "articles_check.jsonl")
    shutil.copy(ARTICLES, gold / "incidents_dev.jsonl")
    pinned = runner.invoke(app, ["eval", "gate", "--update", *paths])
    assert pinned.exit_code == 0, pinned.output
    assert "set check/articles recall floor none → " in pinned.stdout
    assert "set dev/incidents recall floor none → " in pinned.stdout
    baseline_path = tmp_path / "baseline.json"
    baseline = json.loads(baseline_path.read_text(encoding="utf-8"))
    assert "set dev/incident_clusters bcubed_recall floor none → " in pinned.stdout
    assert set(baseline["check"]) == {"articles"}
    assert set(baseline["dev"]) == {"incidents", "incident_clusters"}
    # A count ratio above 1 is pinned as a ceiling: more incidents per gold incident is worse.
    assert set(baseline["dev"]["incident_clusters"]["incident_count_ratio"]) == {"max"}

    unpinned = {**baseline, "check": {}, "dev": {}}
    baseline_path.write_text(json.dumps(unpinned), encoding="utf-8")
    no_floor_yet = runner.invoke(app, ["eval", "gate", *paths])
    assert no_floor_yet.exit_code == 0, no_floor_yet.output
    assert "check/articles: no floors yet" in no_floor_yet.stderr
    assert "dev/incidents: no floors yet" in no_floor_yet.stderr

    baseline["check"]["articles"]["recall"] = {"min": 1.5}
    baseline["dev"]["incidents"]["f1"] = {"min": 1.5}
    baseline_path.write_text(json.dumps(baseline), encoding="utf-8")
    failed = runner.invoke(app, ["eval", "gate", *paths])
    assert failed.exit_code == 1
    lines = failed.stdout.splitlines()[:-1]  # the last line is the verdict
    assert len(lines) == 2
    assert lines[0].startswith("dev/incidents: articles f1 = ")
    assert lines[1].startswith("check: articles recall = ")
    assert all(line.endswith("is below its floor 1.5000") for line in lines)


def test_gate_command_ends_with_a_one_line_verdict(tmp_path: Path) -> None:
    paths = gate_folder(tmp_path)
    unpinned = runner.invoke(app, ["eval", "gate", *paths])
    assert unpinned.exit_code == 1
    assert unpinned.stdout.splitlines()[-1].startswith(
        "gate: FAIL — no floors pinned for fixtures/negatives")
    updated = runner.invoke(app, ["eval", "gate", "--update", *paths])
    assert updated.stdout.splitlines()[-1] == (
        "gate: UPDATED (3 floors raised or set, 0 lowered, 3 pinned; 1 skipped (see above))")
    passed = runner.invoke(app, ["eval", "gate", *paths])
    assert passed.exit_code == 0
    assert passed.stdout.splitlines()[-1] == "gate: PASS (3 floors met; 1 skipped (see above))"
    baseline = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    baseline["fixtures"]["negatives"]["false_alarm_rate"] = {"max": -0.5}
    baseline["fixtures"]["negatives"]["span_exactness"] = {"min": 2.0}
    (tmp_path / "baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    failed = runner.invoke(app, ["eval", "gate", *paths])
    assert failed.exit_code == 1
    assert failed.stdout.splitlines()[-1] == (
        "gate: FAIL — 2 of 3 floors missed: fixtures: negatives false_alarm_rate = 0.0000 is "
        "above its ceiling -0.5000; fixtures: negatives span_exactness = 1.0000 is below its "
        "floor 2.0000")
    refused = runner.invoke(app, ["eval", "gate", "--update", *paths])
    assert refused.exit_code == 1
    assert refused.stdout.splitlines()[-1].startswith(
        "gate: FAIL — 2 floor(s) would go down and were kept")
