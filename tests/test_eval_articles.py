"""Article-event scoring (contract §5) on hand-made gold/prediction pairs with known answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eval_helpers import (
    FIXTURES,
    ROOT,
    TAIZ,
    actor,
    gold_article,
    gold_as_record,
    gold_event,
    north_of,
    place,
    predicted_event,
    read_jsonl,
    record,
    write_jsonl,
)
from rasad.eval.articles import evaluate_articles
from rasad.eval.common import EvalResult
from rasad.settings import Settings


def score(tmp_path: Path, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> EvalResult:
    return evaluate_articles(write_jsonl(tmp_path / "gold.jsonl", gold),
                             write_jsonl(tmp_path / "pred.jsonl", pred), Settings())


def test_a_perfect_prediction_scores_one_everywhere(tmp_path: Path) -> None:
    gold = read_jsonl(FIXTURES / "articles.jsonl")
    result = score(tmp_path, gold, [gold_as_record(doc) for doc in gold])
    m = result.metrics
    assert (m["precision"], m["recall"], m["f1"]) == (1.0, 1.0, 1.0)
    assert m["matched"] == m["gold_events"] == m["predicted_events"] == 10
    for name in ("sub_event_accuracy", "actor1_accuracy", "actor2_accuracy", "actor_accuracy",
                 "date_accuracy", "fatalities_accuracy", "genre_accuracy"):
        assert m[name] == 1.0, name
    assert result.misses == []


def test_fifty_km_rule(tmp_path: Path) -> None:
    gold = [gold_article("d1", [gold_event(place(TAIZ)), gold_event(place(north_of(TAIZ, 200)))])]
    pred = [record("d1", [
        predicted_event(place(north_of(TAIZ, 45))),  # 45 km from the first: a match
        predicted_event(place(north_of(TAIZ, 260))),  # 60 km from the second: no match
        predicted_event(place(TAIZ), event_type="Riots", sub_event_type="Mob violence"),
    ])]
    m = score(tmp_path, gold, pred).metrics
    assert m["matched"] == 1
    assert m["precision"] == pytest.approx(1 / 3)
    assert m["recall"] == pytest.approx(1 / 2)
    assert m["f1"] == pytest.approx(0.4)


def test_country_must_agree_even_within_fifty_km(tmp_path: Path) -> None:
    gold = [gold_article("d1", [gold_event(place(TAIZ))])]
    pred = [record("d1", [predicted_event(place(north_of(TAIZ, 5), country="SA"))])]
    assert score(tmp_path, gold, pred).metrics["f1"] == 0.0


def test_admin1_fallback_when_either_side_has_precision_three(tmp_path: Path) -> None:
    abyan = (13.1287, 45.3807)
    lawdar = (13.8828, 45.8686)  # about 100 km from Zinjibar/Abyan's seat
    protest = {"event_type": "Protests", "sub_event_type": "Peaceful protest"}
    riot = {"event_type": "Riots", "sub_event_type": "Mob violence"}
    gold = [gold_article("d1", [
        gold_event(place(abyan, admin1="Abyan", precision=3, name="Abyan Governorate")),
        gold_event(place(abyan, admin1="Abyan", name="Zinjibar"), **riot),
        gold_event(place(lawdar, admin1="Abyan", name="Lawdar"), **protest),
    ])]
    pred = [record("d1", [
        # precision 1 against a precision-3 gold place: same admin1 agrees despite 100 km
        predicted_event(place(lawdar, admin1="Abyan Governorate", name="Lawdar")),
        # a precision-3 prediction 120 km away, its admin1 spelled otherwise: agrees
        predicted_event(place(north_of(abyan, -120), admin1="al-Abyan", precision=3), **riot),
        # both precision 1, 100 km apart, same admin1: no agreement
        predicted_event(place(abyan, admin1="Abyan", name="Zinjibar"), **protest),
    ])]
    m = score(tmp_path, gold, pred).metrics
    assert m["matched"] == 2
    assert m["f1"] == pytest.approx(2 / 3)


def test_a_country_level_gold_place_is_agreed_by_any_place_in_that_country(
        tmp_path: Path) -> None:
    northern_syria = {"name": "Northern Syria", "country": "SY", "admin1": None,
                      "latitude": None, "longitude": None, "geo_precision": 3}
    gold = [gold_article("d1", [gold_event(northern_syria), gold_event(northern_syria)])]
    pred = [record("d1", [
        predicted_event(place((36.2021, 37.1343), country="SY", admin1="Aleppo")),
        predicted_event(place((36.34, 43.13), country="IQ", admin1="Nineveh")),
    ])]
    m = score(tmp_path, gold, pred).metrics
    assert (m["matched"], m["precision"], m["recall"]) == (1, 0.5, 0.5)


def test_places_without_coordinates_fall_back_to_admin1_or_name(tmp_path: Path) -> None:
    riot = {"event_type": "Riots", "sub_event_type": "Mob violence"}
    gold = [gold_article("d1", [
        gold_event(place(None, admin1="Taiz", name="Hawd al-Ashraf (Taiz)")),
        gold_event(place(None, admin1=None, name="Mawiyah"), event_date="2024-05-18"),
        gold_event(place(north_of(TAIZ, 30), name="Al-Qahirah"), **riot),
        gold_event(place(north_of(TAIZ, 90), name="Dhi as-Sufal"), **riot),
    ])]
    pred = [record("d1", [
        predicted_event(place(TAIZ, admin1="Ta'izz Governorate")),
        predicted_event(place((13.6, 44.4), admin1=None, name="mawiyah"),
                        event_date="2024-05-18"),
        # unresolved predictions: the same name agrees, the same admin1 alone does not
        predicted_event(place(None, name="al-qahirah"), **riot),
        predicted_event(place(None, name="Sabir"), **riot),
    ])]
    m = score(tmp_path, gold, pred).metrics
    assert (m["matched"], m["f1"]) == (3, 0.75)


def test_opinion_documents_are_left_out_of_event_scores(tmp_path: Path) -> None:
    gold = [gold_article("news", [gold_event(place(TAIZ))]),
            gold_article("column", [gold_event(place(TAIZ))], genre="opinion")]
    pred = [record("news", [predicted_event(place(TAIZ))]),
            record("column", [predicted_event(place((15.35, 44.2)), event_type="Riots",
                                              sub_event_type="Mob violence")])]
    m = score(tmp_path, gold, pred).metrics
    assert (m["precision"], m["recall"], m["f1"]) == (1.0, 1.0, 1.0)
    assert (m["excluded_gold_events"], m["excluded_predicted_events"]) == (1, 1)
    assert m["genre_accuracy"] == 0.5  # the column was predicted as news


def test_thirty_day_rule(tmp_path: Path) -> None:
    gold = [gold_article("d1", [
        gold_event(place(TAIZ), event_date="2024-04-19"),  # 31 days before: not scored
        gold_event(place(TAIZ), event_date="2024-04-20", sub_event_type="Armed clash"),
    ], published="2024-05-20")]
    pred = [record("d1", [
        predicted_event(place(TAIZ), event_date="2024-04-20"),  # exactly 30 days: scored
        predicted_event(place((15.35, 44.2)), event_date="2023-01-01"),  # background
    ], published=None)]
    m = score(tmp_path, gold, pred).metrics
    assert (m["precision"], m["recall"], m["f1"]) == (1.0, 1.0, 1.0)
    assert (m["excluded_gold_events"], m["excluded_predicted_events"]) == (1, 1)
    assert m["date_accuracy"] == 1.0


def test_the_matching_is_maximum_not_greedy(tmp_path: Path) -> None:
    gold = [gold_article("d1", [gold_event(place(TAIZ)),
                                gold_event(place(north_of(TAIZ, 40)))])]
    # Greedy in gold order would give the first gold event its nearest prediction (10 km) and
    # leave the second with none (60 km from the other prediction).
    pred = [record("d1", [predicted_event(place(north_of(TAIZ, 10))),
                          predicted_event(place(north_of(TAIZ, -20)))])]
    assert score(tmp_path, gold, pred).metrics["recall"] == 1.0


def test_the_matching_prefers_closer_pairs_over_agreeing_fields(tmp_path: Path) -> None:
    gold = [gold_article("d1", [
        gold_event(place(TAIZ), sub_event_type="Armed clash"),
        gold_event(place(north_of(TAIZ, 40)), sub_event_type="Government regains territory"),
    ])]
    pred = [record("d1", [
        predicted_event(place(north_of(TAIZ, 5)), sub_event_type="Government regains territory"),
        predicted_event(place(north_of(TAIZ, 38)), sub_event_type="Armed clash"),
    ])]
    m = score(tmp_path, gold, pred).metrics
    assert m["matched"] == 2
    assert m["sub_event_accuracy"] == 0.0


def test_field_agreement_breaks_ties_between_equally_close_pairs(tmp_path: Path) -> None:
    gold = [gold_article("d1", [gold_event(place(TAIZ), event_date="2024-05-18"),
                                gold_event(place(TAIZ), event_date="2024-05-19")])]
    pred = [record("d1", [predicted_event(place(TAIZ), event_date="2024-05-19"),
                          predicted_event(place(TAIZ), event_date="2024-05-18")])]
    assert score(tmp_path, gold, pred).metrics["date_accuracy"] == 1.0


def test_actor_accuracy_either_order_with_arabic_normalisation(tmp_path: Path) -> None:
    isis = ["Islamic State", "داعش", "تنظيم الدولة"]
    sdf = ["Syrian Democratic Forces", "قسد"]
    army = ["Military Forces of Iraq", "الجيش العراقي"]
    gold = [gold_article("d1", [
        gold_event(place(TAIZ), actor1=isis, actor2=sdf),
        gold_event(place(north_of(TAIZ, 200)), actor1=army, actor2=None),
        gold_event(place(north_of(TAIZ, 400)), actor1=army, actor2=isis),
    ])]
    pred = [record("d1", [
        # swapped order; names match after normalisation
        predicted_event(place(TAIZ), actor1=actor("SDF", "«قسد»"),
                        actor2=actor("ISIS", "دَاعِش")),
        # clitic and alef maqsura differ; an actor2 the gold does not have
        predicted_event(place(north_of(TAIZ, 200)), actor1=actor("Iraqi Army", "والجيش العراقى"),
                        actor2=actor("Civilians", "مدنيين")),
        # actor1 wrong, actor2 right by English name, case-folded
        predicted_event(place(north_of(TAIZ, 400)), actor1=actor("Police", "الشرطة"),
                        actor2=actor("islamic state", "التنظيم")),
    ])]
    m = score(tmp_path, gold, pred).metrics
    assert m["matched"] == 3
    assert m["actor1_accuracy"] == pytest.approx(2 / 3)
    assert m["actor2_accuracy"] == pytest.approx(2 / 3)
    assert m["actor_accuracy"] == pytest.approx(4 / 5)


def test_date_and_fatalities_accuracy_null_equals_null(tmp_path: Path) -> None:
    gold = [gold_article("d1", [
        gold_event(place(TAIZ), fatalities=None),
        gold_event(place(north_of(TAIZ, 200)), fatalities=12),
        gold_event(place(north_of(TAIZ, 400)), fatalities=3, event_date="2024-05-18"),
        gold_event(place(north_of(TAIZ, 600)), fatalities=None),
    ])]
    pred = [record("d1", [
        predicted_event(place(TAIZ), fatalities=None),
        predicted_event(place(north_of(TAIZ, 200)), fatalities=10),
        predicted_event(place(north_of(TAIZ, 400)), fatalities=3, event_date="2024-05-19"),
        predicted_event(place(north_of(TAIZ, 600)), fatalities=0, event_date=None),
    ])]
    m = score(tmp_path, gold, pred).metrics
    assert m["fatalities_accuracy"] == 0.5
    assert m["date_accuracy"] == 0.5


def test_misses_name_the_closest_prediction_and_come_heaviest_first(tmp_path: Path) -> None:
    gold = [gold_article("d1", [gold_event(place(TAIZ)),
                                gold_event(place(north_of(TAIZ, 300)), fatalities=4)]),
            gold_article("d2", [gold_event(place(TAIZ))], genre="analysis")]
    far = predicted_event(place(north_of(TAIZ, 120)))
    pred = [record("d1", [far, predicted_event(place(north_of(TAIZ, 300)), fatalities=5)]),
            record("d2", [])]
    result = score(tmp_path, gold, pred)
    kinds = [m.what.split(":")[0].split(",")[0] for m in result.worst_misses(10)]
    assert kinds == ["missed", "missed", "false positive", "genre 'news'", "matched"]
    first = result.worst_misses(1)[0]
    assert first.doc_id == "d1"
    assert "120 km" in first.what
    assert first.predicted["location"]["latitude"] == far["location"]["latitude"]
    assert first.evidence == "جملة الحدث."
    assert result.worst_misses(10)[1].predicted is None  # d2: nothing predicted


@pytest.mark.shared
def test_the_dev_gold_read_as_a_prediction_scores_one(tmp_path: Path) -> None:
    dev = ROOT.parent / "shared" / "data" / "gold" / "articles_dev.jsonl"
    if not dev.is_file():
        pytest.skip(f"{dev} is absent")
    gold = read_jsonl(dev)
    result = evaluate_articles(dev, write_jsonl(tmp_path / "pred.jsonl",
                                                [gold_as_record(doc) for doc in gold]),
                               Settings())
    assert set(result.scores().values()) == {1.0}
    assert result.metrics["matched"] == result.metrics["gold_events"] > 0
