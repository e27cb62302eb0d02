"""The pair model: its features, how `merge_duplicates` merges, the pipeline setting, and that
the training script reproduces the packaged model."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from model_helpers import assert_script_rebuilds
from rasad import pipeline as pipeline_module
from rasad.doc import Doc
from rasad.extract import mergemodel
from rasad.extract.events import MERGE_WINDOW
from rasad.extract.mergemodel import (
    MODEL_FILE,
    PairContext,
    load_merge_model,
    merge_duplicates,
    pair_features,
)
from rasad.linear import LogisticModel
from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
# Two incidents of one type: a car bomb in Baqubah, and «كما» a roadside bomb in Mosul.
TWO_BOMBS = ("بغداد (رويترز) - قتل خمسة مدنيين امس الاثنين في انفجار سيارة مفخخة في سوق شعبي "
             "بمدينة بعقوبة. كما انفجرت عبوة ناسفة في الموصل وقتل جنديان.")
# Feature names are relations and measures, never words of a text.
FEATURE_NAME = re.compile(r"^[a-z_0-9]+(=[0-9]+)?$")
ALWAYS = LogisticModel(bias=30.0, weights={}, threshold=0.5, info={})
NEVER = LogisticModel(bias=-30.0, weights={}, threshold=0.5, info={})


def _two_bombs(**settings: bool) -> tuple[Pipeline, Doc]:
    pipeline = Pipeline(Settings(**settings))
    return pipeline, pipeline.run(RawDocument("t", TWO_BOMBS, published="2015-08-04"))


def test_pair_features_describe_two_incidents_by_their_relations() -> None:
    _, doc = _two_bombs(merge_model=False)
    assert [e.location.text for e in doc.events if e.location] == ["بعقوبة", "الموصل"]
    a, b = doc.events
    f = pair_features(doc, a, b, PairContext.of(doc, doc.events))
    assert all(FEATURE_NAME.match(name) for name in f), sorted(f)
    assert f["same_sub_type"] == 1.0 and f["date_same"] == 1.0
    assert f["later_opens_report"] == 1.0  # «كما انفجرت …»
    assert f["fatalities_differ"] == 1.0 and f["adjacent_sentence"] == 1.0
    assert f["place_within_10km"] == 0.0 and f["place_log_km"] > 5  # Baqubah–Mosul ≈ 330 km
    assert "place_same" not in f and "place_other_country" not in f


def test_the_packaged_model_keeps_two_incidents_apart() -> None:
    model = load_merge_model()
    assert model is not None and 0.0 < model.threshold < 1.0
    assert all(FEATURE_NAME.match(name) for name in model.weights)
    _, doc = _two_bombs(merge_model=False)
    a, b = doc.events
    assert model.probability(pair_features(doc, a, b, PairContext.of(doc, doc.events))) \
        < model.threshold


def test_merge_duplicates_builds_one_event_from_all_mentions() -> None:
    pipeline, doc = _two_bombs(merge_model=False)
    kept = merge_duplicates(doc, doc.events, NEVER, pipeline.extractor.rebuild)
    assert kept == doc.events
    merged = merge_duplicates(doc, doc.events, ALWAYS, pipeline.extractor.rebuild)
    assert len(merged) == 1
    event = merged[0]
    assert len(event.mentions) == 2
    assert [c.sentence for c in event.mentions] == [0, 1]
    assert event.fatalities == 5  # the larger toll of the two, by the extractor's own rule
    assert event.confidence == max(e.confidence for e in doc.events)
    assert event.evidence in [e.evidence for e in doc.events]
    # A threshold passed in overrides the model's.
    assert len(merge_duplicates(doc, doc.events, ALWAYS, pipeline.extractor.rebuild, 1.01)) == 2


def test_events_of_other_types_are_never_merged() -> None:
    pipeline, doc = _two_bombs(merge_model=False)
    first, second = doc.events
    second.event_type = "Battles"
    merged = merge_duplicates(doc, [first, second], ALWAYS, pipeline.extractor.rebuild)
    assert merged == [first, second]


def test_a_background_event_is_never_merged() -> None:
    # The model was trained on the pairs the contract scores: two current events.
    pipeline, doc = _two_bombs(merge_model=False)
    first, second = doc.events
    second.background = True
    assert merge_duplicates(doc, [first, second], ALWAYS, pipeline.extractor.rebuild) == [
        first, second]


def test_comparisons_grow_linearly_with_the_events(monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline, doc = _two_bombs(merge_model=False)
    events = [replace(doc.events[i % 2]) for i in range(300)]
    calls = 0
    original = mergemodel.pair_features

    def counting(*args: Any) -> dict[str, float]:
        nonlocal calls
        calls += 1
        return original(*args)

    monkeypatch.setattr(mergemodel, "pair_features", counting)
    assert len(merge_duplicates(doc, events, NEVER, pipeline.extractor.rebuild)) == 300
    assert calls <= 300 * MERGE_WINDOW < 299 * 300 // 2


def test_the_setting_turns_the_pair_model_on_in_the_pipeline(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().merge_model is False  # off by default: it lowered the check set's F1
    monkeypatch.setattr(pipeline_module, "load_merge_model", lambda: ALWAYS)
    assert len(_two_bombs()[1].events) == 2
    assert len(_two_bombs(merge_model=True)[1].events) == 1


def test_merge_model_is_listed_in_the_notice() -> None:
    notice = (ROOT / "src/rasad/data/NOTICE").read_text(encoding="utf-8")
    assert f"\n  {MODEL_FILE} | Apache-2.0\n" in notice


@pytest.mark.slow
@pytest.mark.shared
def test_the_training_script_reproduces_the_packaged_model(shared_dir: Path,
                                                           tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    assert_script_rebuilds("train_merge_model.py", MODEL_FILE, shared_dir, tmp_path)
