"""The helpers of scripts/event_model_learning_curve.py: folds, draws, curve arithmetic and the
check scoring of a model's choice (the whole run is a measurement, not tested here)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

from eval_helpers import TAIZ, gold_article, gold_event, north_of, place, predicted_event, record
from rasad.linear import LogisticModel

pytest.importorskip("sklearn")  # the scripts' `build` extra, which also brings numpy
import numpy as np  # after the skip: numpy is no runtime dependency

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _import_curve() -> ModuleType:
    """The script as a module.  It imports the training script beside it (putting `scripts/`
    on sys.path itself): sys.path is given back as it was, whatever the import added."""
    saved = list(sys.path)
    sys.path.insert(0, str(SCRIPTS))
    try:
        return importlib.import_module("event_model_learning_curve")
    finally:
        sys.path[:] = saved


@pytest.fixture(scope="module")
def curve() -> ModuleType:
    return _import_curve()


def test_importing_the_script_leaves_sys_path_as_it_was() -> None:
    # Other scripts' tests may have put `scripts/` on sys.path already: compare with now.
    saved = list(sys.path)
    sys.modules.pop("event_model_learning_curve", None)
    module = _import_curve()
    assert sys.path == saved
    assert module.choose_c_threshold.__module__ == "train_event_model"


DOCS = {"a.jsonl": [f"a{i}" for i in range(38)], "b.jsonl": [f"b{i}" for i in range(57)]}


def test_folds_hold_every_document_once_and_each_source_evenly(curve: ModuleType) -> None:
    fold_of = curve.assign_folds(DOCS, 5, np.random.default_rng(1))
    assert set(fold_of) == {d for docs in DOCS.values() for d in docs}
    for docs in DOCS.values():
        sizes = np.bincount([fold_of[d] for d in docs], minlength=5)
        assert sizes.max() - sizes.min() <= 1
    assert fold_of == curve.assign_folds(DOCS, 5, np.random.default_rng(1))
    assert fold_of != curve.assign_folds(DOCS, 5, np.random.default_rng(2))


def test_draws_take_each_sources_share_and_nest(curve: ModuleType) -> None:
    draws = curve.nested_draws(DOCS, (0.01, 0.25, 0.5, 1.0), np.random.default_rng(3))
    for fraction, docs in draws.items():
        for source, names in DOCS.items():
            taken = [d for d in docs if d in set(names)]
            assert len(taken) == max(1, round(fraction * len(names))), (fraction, source)
    assert draws[0.01] <= draws[0.25] <= draws[0.5] <= draws[1.0]
    assert draws[1.0] == {d for docs in DOCS.values() for d in docs}
    assert draws != curve.nested_draws(DOCS, (0.01, 0.25, 0.5, 1.0), np.random.default_rng(4))


def test_slope_per_doubling_and_the_doublings_it_implies(curve: ModuleType) -> None:
    sizes = [20, 40, 80, 160]
    assert curve.slope_per_doubling(sizes, [0.5 + 0.02 * np.log2(s) for s in sizes]) == \
        pytest.approx(0.02)
    assert curve.slope_per_doubling(sizes, [0.6, 0.5, 0.4, 0.3]) == pytest.approx(-0.1)
    assert curve.doublings_to_reach(0.6, 0.0125, 0.7) == pytest.approx(8.0)
    assert curve.doublings_to_reach(0.72, 0.0125, 0.7) == 0.0
    assert curve.doublings_to_reach(0.6, 0.0, 0.7) is None
    assert curve.doublings_to_reach(0.6, -0.01, 0.7) is None
    assert curve.doublings_to_reach(0.35, 0.0016, 0.65) is None  # 187 doublings: out of reach


def test_precision_needed_gives_the_target_f1_or_none(curve: ModuleType) -> None:
    p = curve.precision_needed(0.5, 0.65)
    assert p == pytest.approx(0.9286, abs=1e-4)
    assert 2 * p * 0.5 / (p + 0.5) == pytest.approx(0.65)
    assert curve.precision_needed(0.8, 0.65) < 0.65
    assert curve.precision_needed(0.325, 0.65) is None  # half the target: no precision can
    assert curve.precision_needed(0.34, 0.65) is None  # it would need a precision above 1


def test_wilson_interval(curve: ModuleType) -> None:
    low, high = curve.wilson_interval(25, 50)
    assert (round(low, 3), round(high, 3)) == (0.366, 0.634)
    assert curve.wilson_interval(0, 10)[0] == 0.0
    assert curve.wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert curve.wilson_interval(0, 0) == (0.0, 1.0)


def test_summary_over_draws(curve: ModuleType) -> None:
    assert curve.summary([0.5, 0.6, 0.7]) == {"mean": 0.6, "sd": pytest.approx(0.0816, abs=1e-4),
                                              "min": 0.5, "max": 0.7}


def test_kept_record_drops_only_the_unmarked_events(curve: ModuleType) -> None:
    rec = record("d", [predicted_event(place(TAIZ)), predicted_event(None)])
    kept = curve.kept_record(rec, [False, True])
    assert kept["events"] == [rec["events"][1]] and kept["genre"] == rec["genre"]
    assert len(rec["events"]) == 2
    with pytest.raises(ValueError):
        curve.kept_record(rec, [True])


def test_score_articles_applies_the_model_where_the_pipeline_would(curve: ModuleType) -> None:
    far = north_of(TAIZ, 400)
    gold = gold_article("d", [gold_event(place(TAIZ))])
    rec = record("d", [predicted_event(place(TAIZ)), predicted_event(place(far, name="X"))])
    features = [{"right": 1.0}, {"wrong": 1.0}]
    model = LogisticModel(0.0, {"right": 3.0, "wrong": -3.0}, 0.5, {})
    judged = curve.ScoredArticle(gold, rec, features, True)
    assert curve.score_articles([judged], None, None, 0.0) == {
        "precision": 0.5, "recall": 1.0, "f1": 0.667, "predicted": 2, "matched": 1, "gold": 1}
    assert curve.score_articles([judged], None, model, model.threshold)["precision"] == 1.0
    # An opinion piece a rule recognised keeps the rules' events, as in the pipeline.
    by_rule = curve.ScoredArticle(gold, rec, features, False)
    assert curve.score_articles([by_rule], None, model, model.threshold)["predicted"] == 2
