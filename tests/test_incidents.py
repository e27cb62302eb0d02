"""Incident resolution (`rasad.incidents`): order independence, the vaguer-joins-precise and
summary rules, reasons, incident records; B-cubed on a hand-made example."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from rasad.eval.incidents import bcubed, evaluate_incidents
from rasad.incidents import Rules, compare, make_report, resolve
from rasad.settings import Settings

ALEPPO = (36.2021, 37.1343)
NEAR_ALEPPO = (36.23, 37.16)  # about 4 km away
HOMS = (34.7324, 36.7137)


def event(day: str, where: tuple[float, float] | None = ALEPPO, *, precision: int = 1,
          geo: int = 1, killed: int | None = 10, actor: str = "Islamic State",
          text: str = "قتل عشرة أشخاص في تفجير سيارة مفخخة في حلب", admin1: str = "Aleppo",
          sub: str = "Remote explosive/landmine/IED") -> dict[str, Any]:
    location = {"name": "x", "country": "SY", "admin1": admin1, "geo_precision": geo,
                "latitude": where[0] if where else None, "longitude": where[1] if where else None}
    return {"event_type": "Explosions/Remote violence", "sub_event_type": sub,
            "actor1": {"name": actor, "text": actor, "inter": 2}, "actor2": None,
            "location": location, "event_date": day, "time_precision": precision,
            "fatalities": killed, "modality": "asserted", "evidence": {"text": text}}


def reports(*events: tuple[str, dict[str, Any]]) -> list[Any]:
    return [make_report(e, doc, "2015-08-07", f"outlet-{doc}", i)
            for i, (doc, e) in enumerate(events)]


def groups(incidents: list[Any]) -> set[frozenset[str]]:
    return {frozenset(m.report.doc_id for m in inc.members) for inc in incidents}


def test_the_same_bombing_from_three_outlets_is_one_incident_with_its_figures() -> None:
    found = resolve(reports(("a", event("2015-08-06", killed=10)),
                            ("b", event("2015-08-06", NEAR_ALEPPO, killed=12)),
                            ("c", event("2015-08-06", killed=None))))
    assert len(found) == 1
    incident = found[0]
    assert (incident.reports, incident.outlets) == (3, 3)
    assert (incident.fatalities, incident.fatalities_min, incident.fatalities_max) == (10, 10, 12)
    assert incident.event_date == "2015-08-06"


def test_different_places_days_or_types_stay_apart() -> None:
    found = resolve(reports(("a", event("2015-08-06")),
                            ("b", event("2015-08-06", HOMS, admin1="Homs")),
                            ("c", event("2015-08-01")),
                            ("d", {**event("2015-08-06"), "event_type": "Protests"})))
    assert len(found) == 4


def test_resolution_does_not_depend_on_the_order_of_arrival() -> None:
    items = reports(("a", event("2015-08-06")), ("b", event("2015-08-06", NEAR_ALEPPO)),
                    ("c", event("2015-08-05", precision=2, geo=3, where=None)),
                    ("d", event("2015-08-06", HOMS, admin1="Homs")),
                    ("e", event("2015-08-07", HOMS, admin1="Homs", killed=3)),
                    ("f", event("2015-08-06", killed=11, text="انفجار في حلب")))
    expected = [inc.to_dict() for inc in resolve(items)]
    rng = random.Random(13)
    for _ in range(20):
        shuffled = items[:]
        rng.shuffle(shuffled)
        assert [inc.to_dict() for inc in resolve(shuffled)] == expected


def test_a_vaguer_place_and_date_join_the_precise_incident_that_contains_them() -> None:
    found = resolve(reports(("a", event("2015-08-06")),
                            ("b", event("2015-08-06", NEAR_ALEPPO)),
                            ("c", event("2015-08-05", None, precision=2, geo=3))))
    assert groups(found) == {frozenset("abc")}
    incident = found[0]
    assert incident.time_precision == 1 and incident.location["geo_precision"] == 1
    reason = next(m.reason for m in incident.members if m.report.doc_id == "c")
    assert "vaguer date contains it" in reason and "vaguer place contains it" in reason


def test_a_vague_report_in_another_admin1_does_not_join() -> None:
    found = resolve(reports(("a", event("2015-08-06")),
                            ("c", event("2015-08-05", None, precision=2, geo=3,
                                        admin1="Homs"))))
    assert len(found) == 2


def test_a_summary_over_several_days_does_not_swallow_the_day_events() -> None:
    summary = event("2015-08-05", None, precision=2, geo=3, killed=40,
                    text="قتل أربعون شخصا في تفجيرات في حلب خلال الأسبوع")
    found = resolve(reports(("a", event("2015-08-03")), ("b", event("2015-08-06")),
                            ("c", summary)))
    assert groups(found) == {frozenset("a"), frozenset("b"), frozenset("c")}


def test_each_member_says_why_it_joined() -> None:
    found = resolve(reports(("a", event("2015-08-06")), ("b", event("2015-08-06", NEAR_ALEPPO))))
    reasons = [m.reason for m in found[0].members]
    assert reasons[0].startswith("first report")
    assert reasons[1].startswith("same day, 4 km, same actors, same sub-type, 10 killed, "
                                 "text 1.00")
    assert all(m.score is not None and m.score >= 0.6 for m in found[0].members)


def test_two_reports_of_one_document_are_two_incidents() -> None:
    found = resolve(reports(("a", event("2015-08-06")), ("a", event("2015-08-06"))))
    assert len(found) == 2


def test_bcubed_on_a_hand_made_example() -> None:
    # gold {1,2,3} {4,5}; predicted {1,2} {3,4,5}
    items = [("g1", "p1"), ("g1", "p1"), ("g1", "p2"), ("g2", "p2"), ("g2", "p2")]
    precision, recall, f1 = bcubed(items)
    assert precision is not None and recall is not None and f1 is not None
    # precision: 1, 1, 1/3, 2/3, 2/3 → 11/15; recall: 2/3, 2/3, 1/3, 1, 1 → 11/15
    assert abs(precision - 11 / 15) < 1e-9 and abs(recall - 11 / 15) < 1e-9
    assert bcubed([("g", "p")]) == (1.0, 1.0, 1.0)
    assert bcubed([]) == (None, None, None)


def test_eval_incidents_scores_the_clustering_of_matched_events(tmp_path: Path) -> None:
    def gold_event(where: tuple[float, float], incident: str) -> dict[str, Any]:
        contract = event("2015-08-06", where)
        return {**contract, "actor1": ["Islamic State"], "evidence": contract["evidence"]["text"],
                "incident": incident}

    docs = [("a", ALEPPO, "I1"), ("b", NEAR_ALEPPO, "I1"), ("c", HOMS, "I2")]
    gold = tmp_path / "gold.jsonl"
    pred = tmp_path / "pred.jsonl"
    gold.write_text("\n".join(json.dumps({
        "id": doc, "text": "نص", "published": "2015-08-07", "source": doc,
        "gold": {"genre": "news", "events": [gold_event(where, incident)]}})
        for doc, where, incident in docs), encoding="utf-8")
    # the prediction for c is in Aleppo too: matched to nothing, so it is not scored
    pred.write_text("\n".join(json.dumps({
        "doc_id": doc, "genre": "news", "published": "2015-08-07",
        "events": [event("2015-08-06", ALEPPO if doc == "c" else where)]})
        for doc, where, _ in docs), encoding="utf-8")
    metrics = evaluate_incidents(gold, pred, Settings.load(None)).metrics
    assert metrics["matched_events"] == 2 and metrics["gold_incidents"] == 2
    assert metrics["bcubed_precision"] == 1.0 and metrics["bcubed_recall"] == 1.0
    assert metrics["predicted_incidents"] == 1  # a, b and the unmatched c: one incident
    assert metrics["oracle_incidents"] == 2 and metrics["oracle_bcubed_f1"] == 1.0


def _battle(sub: str, text: str) -> dict[str, Any]:
    return {**event("2015-08-05", killed=None, text=text), "event_type": "Battles",
            "sub_event_type": sub}


def test_fighting_and_the_takeover_it_ends_in_are_one_incident() -> None:
    """Related sub-types (`related_sub_types`) score half: an armed clash and the takeover of
    the same town the same day join; a suicide bomb and an air strike there do not."""
    clash = _battle("Armed clash", "اشتبكت قوات النظام مع تنظيم داعش في مدينة القريتين")
    takeover = _battle("Non-state actor overtakes territory",
                       "سيطر التنظيم على القريتين بالكامل بعد معارك عنيفة")
    found = resolve(reports(("a", clash), ("b", takeover)))
    assert groups(found) == {frozenset("ab")}
    assert "related sub-type" in found[0].members[1].reason
    bomb = {**event("2015-08-05", killed=None, sub="Suicide bomb"), "evidence": clash["evidence"]}
    strike = {**event("2015-08-05", killed=None, sub="Air/drone strike"),
              "evidence": takeover["evidence"]}
    assert len(resolve(reports(("a", bomb), ("b", strike)))) == 2


def test_an_unidentified_group_is_no_other_actor() -> None:
    """«Unidentified Armed Group (Syria)» says nothing of who: against a named group the actors
    are unknown, not other; two reports that both name nobody keep their same actors."""
    text = "قصفت طائرات التحالف مواقع للتنظيم في حلب"
    named = event("2015-08-06", killed=None, text=text, sub="Air/drone strike")
    unnamed = {**named, "actor1": {"name": "Unidentified Armed Group (Syria)", "inter": 3},
               "evidence": {"text": "غارات جوية على مواقع قرب حلب"}}
    found = resolve(reports(("a", named), ("b", unnamed)))
    assert groups(found) == {frozenset("ab")}
    assert "actors unknown" in found[0].members[1].reason
    other = {**unnamed, "actor1": {"name": "Jaysh al-Islam", "inter": 3}}
    assert len(resolve(reports(("a", named), ("b", other)))) == 2
    both = resolve(reports(("a", {**unnamed, "evidence": named["evidence"]}), ("b", unnamed)))
    assert "same actors" in both[0].members[1].reason


def test_differing_death_tolls_count_by_the_root_of_their_ratio() -> None:
    rules = Rules.load()
    a, b, c = reports(("a", event("2015-08-06", killed=5)), ("b", event("2015-08-06", killed=20)),
                      ("c", event("2015-08-06", killed=5)))
    drop = compare(a, c, rules).score - compare(a, b, rules).score
    weight = rules.weights["fatalities"] / sum(rules.weights.values())
    assert abs(drop - weight * (1 - (5 / 20) ** 0.5)) < 1e-3
    assert "5 vs 20 killed" in compare(a, b, rules).reason
