"""The event model: loading, scoring, its features, and how the pipeline uses it."""

from __future__ import annotations

import re

import pytest

from rasad import pipeline as pipeline_module
from rasad.errors import ConfigError
from rasad.extract.eventmodel import MODEL_FILE, load_event_model
from rasad.extract.genre import MODEL_CUE, GenreDecision
from rasad.linear import LogisticModel
from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

TEXT = ("بغداد (رويترز) - قتل خمسة مدنيين وأصيب عشرة آخرون امس الاثنين في انفجار سيارة مفخخة "
        "في سوق شعبي بمدينة بعقوبة، وقالت الشرطة إن تنظيم داعش تبنى الهجوم. وتقول واشنطن إنها "
        "ستدرس فرض عقوبات جديدة.")
# Feature names are categories and measures, never words of a text.
FEATURE_NAME = re.compile(r"^[a-z_0-9]+(=[A-Za-z0-9 /_.\-]+)?$")


def test_probability_is_the_logistic_of_bias_plus_weights() -> None:
    model = LogisticModel(bias=-1.0, weights={"a": 2.0, "b": -0.5}, threshold=0.5, info={})
    assert model.probability({}) == pytest.approx(1 / (1 + 2.718281828459045))
    assert model.probability({"a": 1.0, "b": 2.0}) == pytest.approx(0.5)
    assert model.probability({"unknown": 5.0}) == model.probability({})
    assert model.probability({"b": 1e6}) == 0.0


def test_model_round_trips_through_json_and_rejects_a_broken_file() -> None:
    model = LogisticModel(0.25, {"x": 1.5}, 0.2, {"C": 1.0})
    assert LogisticModel.from_json(model.to_json(), MODEL_FILE) == model
    with pytest.raises(ConfigError) as err:
        LogisticModel.from_json({"bias": 0.0, "threshold": 0.3}, MODEL_FILE)
    assert err.value.code == "E503"


def test_opinion_pieces_that_say_so_keep_the_rules_judgement() -> None:
    raw = RawDocument("t3", "الآراء الواردة في مقالات الرأي تعبر عن وجهة نظر الكاتب. " + TEXT,
                      published="2015-08-04")
    with_model = Pipeline(Settings()).run(raw)
    without = Pipeline(Settings(event_model=False)).run(raw)
    assert with_model.genre == "opinion" and with_model.genre_by_rule
    assert [e.confidence for e in with_model.events] == [e.confidence for e in without.events]


def test_a_text_the_genre_model_guesses_to_be_opinion_is_judged_by_the_model(
        monkeypatch: pytest.MonkeyPatch) -> None:
    model = load_event_model()
    assert model is not None
    monkeypatch.setattr(pipeline_module, "classify_genre",
                        lambda *args, **kwargs: GenreDecision("opinion", 0.6, MODEL_CUE))
    raw = RawDocument("t6", TEXT, published="2015-08-04")
    without = Pipeline(Settings(event_model=False)).run(raw)
    with_model = Pipeline(Settings()).run(raw)
    assert with_model.genre == "opinion" and not with_model.genre_by_rule
    assert all(e.features["genre=opinion"] == 1.0 for e in without.events)
    assert [e.evidence for e in with_model.events] == [
        e.evidence for e in without.events if model.probability(e.features) >= model.threshold]
    assert all(e.confidence == round(model.probability(e.features), 3)
               for e in with_model.events)


def test_packaged_model_is_small_with_a_sane_threshold() -> None:
    model = load_event_model()
    assert model is not None
    assert 0.0 < model.threshold < 0.8
    assert 20 <= len(model.weights) <= 200
    assert all(FEATURE_NAME.match(name) for name in model.weights), [
        n for n in model.weights if not FEATURE_NAME.match(n)]
    assert "cross_validated" in model.info["articles_dev.jsonl"]


def test_pipeline_confidence_is_the_model_probability_above_its_threshold() -> None:
    model = load_event_model()
    assert model is not None
    raw = RawDocument("t1", TEXT, published="2015-08-04")
    with_model = Pipeline(Settings()).run(raw)
    without = Pipeline(Settings(event_model=False)).run(raw)
    assert with_model.events, "the car bomb is a real event"
    assert len(with_model.events) <= len(without.events)
    for event in with_model.events:
        assert event.confidence == round(model.probability(event.features), 3)
        assert event.confidence >= model.threshold
        assert all(FEATURE_NAME.match(name) for name in event.features)


def test_model_only_removes_events_it_never_adds_or_changes_them() -> None:
    raw = RawDocument("t2", TEXT, published="2015-08-04")

    def key(e: object) -> tuple[object, ...]:
        loc = e.location.name if e.location else None  # type: ignore[attr-defined]
        return (e.event_type, e.sub_event_type,  # type: ignore[attr-defined]
                e.evidence, loc, e.event_date)  # type: ignore[attr-defined]
    kept = {key(e) for e in Pipeline(Settings()).run(raw).events}
    every = {key(e) for e in Pipeline(Settings(event_model=False)).run(raw).events}
    assert kept <= every
