"""The toponym model: the packaged file, what its two decisions add to the geocoder, that its
places locate no event, the setting, and that the training script reproduces the file."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from model_helpers import assert_script_rebuilds
from rasad.doc import Doc
from rasad.geo.gazetteer import load_gazetteer
from rasad.geo.geocoder import GazetteerGeocoder, load_geocoder
from rasad.geo.toponymmodel import (
    MODEL_FILE,
    DocumentIndex,
    ToponymModel,
    common_candidates,
    load_toponym_model,
    toponym_features,
)
from rasad.linear import LogisticModel
from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
FEATURE_NAME = re.compile(r"^[a-z_0-9]+$")
# «الصباحية» (a quarter of al-Ahmadi, Kuwait) is also an adjective, «morning»; «سيول», floods,
# is also Seoul.
KUWAIT_HAIL = "سقوط البرد في الصباحية والأحمدي حاليا #امطار_الكويت"
FLOODS = "سيول غزيرة في الكويت اليوم وتحذيرات من الأرصاد #امطار_الكويت"
ALWAYS = LogisticModel(bias=30.0, weights={}, threshold=0.5, info={})
NEVER = LogisticModel(bias=-30.0, weights={}, threshold=0.5, info={})


def _names(text: str, geocoder: GazetteerGeocoder) -> list[str]:
    doc = Doc.from_raw(RawDocument("t", text))
    return [m.place.text for m in geocoder.locate(doc)]


def test_the_packaged_model_holds_both_decisions_and_their_scores() -> None:
    model = load_toponym_model()
    assert model is not None
    for part in (model.rescue, model.keep):
        assert 0.0 < part.threshold < 1.0
        assert part.weights and all(FEATURE_NAME.match(k) for k in part.weights)
    for name in ("rescue", "keep"):
        scores = model.info[name]
        assert scores["cross_validation"] == "leave one IDRISI event out"
        assert 0 < scores["cross_validated"]["right"] <= scores["cross_validated"]["kept"]
    assert model.info["idrisi_dev_leave_one_event_out"]["span_recall"] > 0.9
    assert model.word_ranks["سيول"] < model.word_ranks.get("الصباحيه", 10**9)


def test_a_common_word_in_a_text_about_its_country_is_made_a_place() -> None:
    assert "الصباحية" not in _names(KUWAIT_HAIL, load_geocoder(toponym_model=False))
    doc = Doc.from_raw(RawDocument("t", KUWAIT_HAIL))
    assert "الصباحية" not in _names(KUWAIT_HAIL, load_geocoder(rescue=False))
    assert "الصباحية" in _names(KUWAIT_HAIL, load_geocoder())  # the rescue is on by default
    mentions = load_geocoder(rescue=True).locate(doc)
    found = {m.place.text: m for m in mentions}
    assert found["الصباحية"].judged and found["الصباحية"].place.country == "KW"
    assert not found["الكويت"].judged


def test_an_everyday_word_stays_a_word() -> None:
    assert _names(FLOODS, load_geocoder(rescue=True)) == ["الكويت", "الكويت"]


def test_features_are_measures_of_context_never_words() -> None:
    geocoder = load_geocoder(toponym_model=False)
    doc = Doc.from_raw(RawDocument("t", KUWAIT_HAIL))
    recognition = geocoder.finder.find(doc.tokens, doc.text)
    candidates = common_candidates(geocoder.finder, doc.tokens, doc.text, recognition)
    assert "الصباحيه" in [t.key for t in candidates]
    model = load_toponym_model()
    assert model is not None
    for t in candidates:
        features = toponym_features(t, doc.text, DocumentIndex(recognition), model.word_ranks)
        assert all(FEATURE_NAME.match(k) for k in features)
        if t.key == "الصباحيه":
            assert features["locative"] == 1.0 and features["country_named"] == 1.0


def test_the_models_places_are_listed_but_locate_no_event() -> None:
    model = load_toponym_model()
    assert model is not None
    always = ToponymModel(ALWAYS, ALWAYS, model.word_ranks, {})
    pipeline = Pipeline(Settings())
    pipeline._geocoder = GazetteerGeocoder(load_gazetteer(), toponym_model=always, rescue=True)
    text = "قتل ثلاثة أشخاص في انفجار عبوة ناسفة في حالة من الفوضى في الصباحية #الكويت"
    doc = pipeline.run(RawDocument("t", text, published="2018-11-10"))
    judged = [p for p in doc.places if p.judged]
    assert judged, "the model's places are listed"
    spans = {(p.place.start, p.place.end) for p in judged}
    for event in doc.events:
        location = event.location
        assert location is None or (location.start, location.end) not in spans


def test_the_setting_turns_the_model_off() -> None:
    never = ToponymModel(NEVER, NEVER, {}, {})
    off = Pipeline(Settings(toponym_model=False))
    assert off.geocoder.toponym_model is None  # type: ignore[attr-defined]
    on = Pipeline(Settings())
    assert on.geocoder.toponym_model is not None  # type: ignore[attr-defined]
    geocoder = GazetteerGeocoder(load_gazetteer(), toponym_model=never, rescue=True)
    assert _names(KUWAIT_HAIL, geocoder) == _names(KUWAIT_HAIL,
                                                   load_geocoder(toponym_model=False))


def test_toponym_model_is_listed_in_the_notice() -> None:
    notice = (ROOT / "src/rasad/data/NOTICE").read_text(encoding="utf-8")
    assert f"\n  {MODEL_FILE} | " in notice


def test_a_malformed_model_is_a_config_error() -> None:
    from rasad.errors import ConfigError

    model = load_toponym_model()
    assert model is not None
    data = model.to_json()
    assert ToponymModel.from_json(data) == replace(model)
    del data["keep"]
    with pytest.raises(ConfigError):
        ToponymModel.from_json(data)


@pytest.mark.slow
@pytest.mark.shared
def test_the_training_script_reproduces_the_packaged_model(shared_dir: Path,
                                                           tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    assert_script_rebuilds("train_toponym_model.py", MODEL_FILE, shared_dir, tmp_path,
                           "--cross-validate")
