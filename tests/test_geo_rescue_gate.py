"""The rescue gate (`rasad.geo.toponymmodel.RescueGate`): `rescue` reads only the tokens where a
common-word name could be kept, and keeps exactly what reading every token keeps."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from rasad.doc import Doc
from rasad.geo.geocoder import GazetteerGeocoder, load_geocoder
from rasad.geo.toponymmodel import (
    RescueGate,
    ToponymModel,
    load_toponym_model,
    rescue_common,
)
from rasad.linear import LogisticModel
from rasad.records import RawDocument

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/corpora/saudinewsnet/articles.jsonl.gz"
TEXTS = [
    "سقوط البرد في الصباحية والأحمدي حاليا #امطار_الكويت",
    "سيول غزيرة في الكويت اليوم وتحذيرات من الأرصاد #امطار_الكويت",
    "غرق سيارات في صباح الأحمد والصباحية بعد الأمطار في الكويت",
    "الأمطار في تمير وسدير والمجمعة اليوم، والسيول في الزلفي",
    "تشييع جثمان الشهيد في سحاب ومأدبا #الاردن",
    "قال الرئيس إن الحكومة كانت في حالة من الانتظار منذ بداية العام الحالي",
]


def _texts(n: int = 150) -> list[str]:
    texts = list(TEXTS)
    if CORPUS.exists():
        with gzip.open(CORPUS, "rt", encoding="utf-8") as stream:
            for k, line in enumerate(stream):
                if k >= n:
                    break
                texts.append(json.loads(line).get("text") or "")
    return texts


def _kept(geocoder: GazetteerGeocoder, model: ToponymModel, gate: RescueGate | None,
          text: str) -> list[tuple[int, int, str]]:
    doc = Doc.from_raw(RawDocument("t", text))
    recognition = geocoder.finder.find(doc.tokens, doc.text)
    rescued = rescue_common(geocoder.finder, doc.tokens, doc.text, recognition, model, gate)
    return [(t.start, t.end, t.key) for t in rescued.toponyms if t.judged]


def _model(bias: float, weights: dict[str, float]) -> ToponymModel:
    packaged = load_toponym_model()
    assert packaged is not None
    rescue = LogisticModel(bias=bias, weights=weights, threshold=0.5, info={})
    return ToponymModel(rescue, packaged.keep, packaged.word_ranks, {})


@pytest.mark.parametrize("name, model", [
    ("packaged", None),
    # Any name anywhere: every common-word name is of the `far` kind.
    ("always", _model(30.0, {})),
    # Only next to another name (`near`), or next to one in a list (`listed`).
    ("near", _model(-1.0, {"place_near": 2.0})),
    ("listed", _model(-1.2, {"place_near": 0.5, "listed_near_place": 1.0})),
])
def test_the_gate_keeps_what_reading_every_token_keeps(name: str,
                                                       model: ToponymModel | None) -> None:
    geocoder = load_geocoder(rescue=False)
    model = model or load_toponym_model()
    assert model is not None
    gate = RescueGate(geocoder.finder, model)
    kept_any = False
    for text in _texts():
        full = _kept(geocoder, model, None, text)
        assert _kept(geocoder, model, gate, text) == full, text[:80]
        kept_any = kept_any or bool(full)
    assert kept_any, f"the {name} model keeps some name on these texts"


def test_the_gate_reads_few_tokens() -> None:
    geocoder = load_geocoder(rescue=False)
    model = load_toponym_model()
    assert model is not None
    gate = RescueGate(geocoder.finder, model)
    tokens = read = 0
    for text in _texts():
        doc = Doc.from_raw(RawDocument("t", text))
        recognition = geocoder.finder.find(doc.tokens, doc.text)
        tokens += len(doc.tokens)
        read += len(gate.positions(doc.tokens, doc.text, recognition))
    assert read * 10 < tokens


def test_a_name_that_needs_a_neighbour_is_read_only_beside_one() -> None:
    geocoder = load_geocoder(rescue=False)
    gate = RescueGate(geocoder.finder, _model(-1.0, {"place_near": 2.0}))
    assert "الصباحيه" in gate.words["near"] and "والصباحيه" in gate.words["near"]
    for text, read in (("سقوط البرد في الصباحية والأحمدي", True),
                       ("سقوط البرد في الصباحية هذا اليوم كما قال الراصد", False)):
        doc = Doc.from_raw(RawDocument("t", text))
        recognition = geocoder.finder.find(doc.tokens, doc.text)
        at = [doc.tokens[i].text for i in gate.positions(doc.tokens, doc.text, recognition)]
        assert ("الصباحيه" in at) is read, text


def test_the_geocoder_gates_its_rescue() -> None:
    assert load_geocoder(rescue=True)._gate is not None
    assert load_geocoder(rescue=False)._gate is None
