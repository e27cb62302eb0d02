"""Train the toponym model (`rasad.geo.toponymmodel`) and write `src/rasad/data/toponym_model.json`.

Data: IDRISI dev (`idrisi_dev.jsonl` under `--shared`; never a file named test or check), the
only place-labelled set.  The geocoder runs on each tweet with the model off; every common-word
name the rules left out (`common_candidates`) is labelled 1 when a gold mention overlaps it, 0
otherwise.  How common each name is as a word is its rank in the packaged frequency list of
Arabic words (`src/rasad/data/ner/frequencies.tsv.gz`, wordfreq).

Model: logistic regression (scikit-learn, `build` extra) over `toponym_features`.  The inverse
regularisation C and the probability threshold are chosen by leave-one-event-out
cross-validation (IDRISI's five disasters: a tweet never sits in the fold of its neighbours): the
cut that keeps the most names rightly among those whose cross-validated precision is at least
`--min-precision` (default `MIN_PRECISION`; ties: the better F1, then the higher threshold).  The
script prints, and writes into the model's `info`, the cross-validated and the in-sample
decisions (kept, right, F1); the model is refitted on all candidates.

    pip install -e '.[build]'
    python scripts/train_toponym_model.py --shared ../shared
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from rasad.doc import Doc
from rasad.eval.common import prf
from rasad.geo.gazetteer import name_key
from rasad.geo.geocoder import GazetteerGeocoder, load_geocoder
from rasad.geo.recognize import Recognition
from rasad.geo.resolve import Resolution
from rasad.geo.toponymmodel import (
    MODEL_FILE,
    DocumentIndex,
    ToponymModel,
    common_candidates,
    rescue_common,
    resolution_features,
    toponym_features,
)
from rasad.linear import LogisticModel
from rasad.records import RawDocument

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "rasad" / "data" / MODEL_FILE
FREQUENCIES = ROOT / "src" / "rasad" / "data" / "ner" / "frequencies.tsv.gz"
C_GRID = (0.1, 0.3, 1.0, 3.0)
MIN_PRECISION = 0.8
"""A cut must be at least this precise out of fold: the places the models add must not dilute
the span precision of the rules' places (0.81 on IDRISI dev outside compound hashtags)."""
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.3, 0.951, 0.05))


def word_ranks(geocoder: GazetteerGeocoder, frequencies: Path) -> dict[str, int]:
    """The rank of every common-word name in a frequency list of Arabic words (commonest
    first, one a line: the packaged wordfreq list), by its matching key."""
    ranks: dict[str, int] = {}
    rank = 0
    for line in gzip.decompress(frequencies.read_bytes()).decode("utf-8").splitlines():
        word = line.split("\t")[0]
        if not word or word.startswith("#"):
            continue
        ranks.setdefault(name_key(word), rank)
        rank += 1
    return {k: ranks[k] for k in sorted(geocoder.cues.common_words) if k in ranks}


Row = tuple[str, dict[str, float], int]  # (IDRISI event, features, label)


def _overlaps_gold(doc: Doc, start: int, end: int, golds: list[dict[str, Any]]) -> int:
    span = doc.span(start, end)
    return int(any(span.start < g["end"] and g["start"] < span.end for g in golds))


class _Recorder:
    """A resolver judge that keeps nothing and records what it was asked."""

    def __init__(self, ranks: dict[str, int]) -> None:
        self.ranks = ranks
        self.asked: list[tuple[Resolution, dict[str, float]]] = []

    def __call__(self, r: Resolution, text: str, recognition: Recognition,
                 countries: Iterable[str]) -> bool:
        if r.toponym.strength == "weak" and r.place is not None:
            index = DocumentIndex(recognition, set(countries))
            self.asked.append((r, resolution_features(r, text, index, self.ranks)))
        return False


def candidates(geocoder: GazetteerGeocoder, gold: Path, ranks: dict[str, int],
               rescue: LogisticModel | None = None) -> tuple[list[Row], list[Row]]:
    """The rows of both decisions: every common-word name the recogniser's rules leave out
    (`rescue`), and every weak name the resolver's rules drop (`keep`; with the
    common words `rescue` keeps among them when it is given)."""
    recorder = _Recorder(ranks)
    geocoder.resolver.judge = recorder  # type: ignore[assignment]
    model = ToponymModel(rescue, rescue, ranks, {}) if rescue is not None else None
    rescue_rows: list[Row] = []
    keep_rows: list[Row] = []
    with gold.open(encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            event = str(obj.get("event", ""))
            doc = Doc.from_raw(RawDocument(str(obj["id"]), obj["text"]))
            golds = obj["gold"]["locations"]
            recognition = geocoder.finder.find(doc.tokens, doc.text)
            index = DocumentIndex(recognition)
            for t in common_candidates(geocoder.finder, doc.tokens, doc.text, recognition):
                features = toponym_features(t, doc.text, index, ranks)
                rescue_rows.append((event, features, _overlaps_gold(doc, t.start, t.end, golds)))
            if model is not None:
                recognition = rescue_common(geocoder.finder, doc.tokens, doc.text, recognition,
                                            model)
            recorder.asked.clear()
            geocoder.resolver.resolve(recognition, doc.text)
            for r, features in recorder.asked:
                keep_rows.append((event, features,
                                  _overlaps_gold(doc, r.toponym.start, r.toponym.end, golds)))
    geocoder.resolver.judge = None
    return rescue_rows, keep_rows


def decisions(p: np.ndarray, y: np.ndarray, threshold: float) -> dict[str, float]:
    kept = p >= threshold
    right = int((kept & (y == 1)).sum())
    f1 = prf(right, int(kept.sum()), int(y.sum()))[2]
    return {"kept": int(kept.sum()), "right": right, "positives": int(y.sum()),
            "f1": round(f1, 4)}


def train(rows: list[Row], what: str,
          min_precision: float) -> tuple[LogisticModel, dict[str, Any]]:
    vectorizer = DictVectorizer(sparse=False)
    x = vectorizer.fit_transform([r[1] for r in rows])
    y = np.array([r[2] for r in rows])
    groups = np.array([r[0] for r in rows])
    best: tuple[float, float, float, float] | None = None  # (right, f1, threshold, C)
    out_of_fold: dict[float, np.ndarray] = {}
    for c in C_GRID:
        p = np.zeros(len(y))
        for group in sorted(set(groups)):
            test = groups == group
            fold = LogisticRegression(C=c, max_iter=5000).fit(x[~test], y[~test])
            p[test] = fold.predict_proba(x[test])[:, 1]
        out_of_fold[c] = p
        for threshold in THRESHOLDS:
            d = decisions(p, y, threshold)
            if d["kept"] and d["right"] < min_precision * d["kept"]:
                continue
            if best is None or (d["right"], d["f1"], threshold) > best[:3]:
                best = (d["right"], d["f1"], threshold, c)
    if best is None:  # no cut is that precise: the model keeps nothing
        best = (0, 0.0, 1.0, C_GRID[0])
    _, _, threshold, c = best
    final = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    in_sample = final.predict_proba(x)[:, 1]
    info = {"trained_on": f"idrisi_dev.jsonl: {what}", "candidates": len(rows), "C": c,
            "min_precision": min_precision,
            "cross_validated": decisions(out_of_fold[c], y, threshold),
            "cross_validation": "leave one IDRISI event out",
            "in_sample": decisions(in_sample, y, threshold)}
    weights = {name: round(float(w), 5)
               for name, w in zip(vectorizer.feature_names_, final.coef_[0], strict=True)}
    return LogisticModel(round(float(final.intercept_[0]), 5), weights, threshold, info), info


def build(geocoder: GazetteerGeocoder, gold: Path, ranks: dict[str, int],
          min_precision: float = MIN_PRECISION) -> ToponymModel:
    """Both models: `rescue` first, then `keep` on what the resolver drops with it on."""
    rescue_rows, _ = candidates(geocoder, gold, ranks)
    rescue, rescue_info = train(rescue_rows, "common-word names the recogniser's rules leave out",
                                min_precision)
    _, keep_rows = candidates(geocoder, gold, ranks, rescue)
    keep, keep_info = train(keep_rows, "weak names the resolver's rules drop", min_precision)
    return ToponymModel(rescue, keep, ranks, {"rescue": rescue_info, "keep": keep_info})


def cross_validate(geocoder: GazetteerGeocoder, gold: Path, ranks: dict[str, int],
                   min_precision: float) -> dict[str, Any]:
    """IDRISI dev's scores with each event's tweets placed by models trained on the other
    events only (both decisions refitted per fold, C and threshold chosen inside the fold)."""
    import tempfile

    from rasad.eval.idrisi import evaluate_idrisi
    from rasad.pipeline import Pipeline
    from rasad.settings import Settings

    lines = [json.loads(x) for x in gold.read_text(encoding="utf-8").splitlines() if x.strip()]
    events = sorted({str(o.get("event", "")) for o in lines})
    predictions = []
    with tempfile.TemporaryDirectory() as folder:
        for held in events:
            train_file = Path(folder) / "train.jsonl"
            train_file.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n"
                                          for o in lines if o.get("event") != held),
                                  encoding="utf-8")
            model = build(geocoder, train_file, ranks, min_precision)
            pipeline = Pipeline(Settings())
            pipeline._geocoder = GazetteerGeocoder(geocoder.gazetteer, toponym_model=model,
                                                     rescue=True)
            for o in lines:
                if o.get("event") == held:
                    predictions.append(pipeline.process(RawDocument(str(o["id"]), o["text"])))
        pred = Path(folder) / "pred.jsonl"
        pred.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions),
                        encoding="utf-8")
        return dict(evaluate_idrisi(gold, pred, Settings()).metrics)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--min-precision", type=float, default=MIN_PRECISION,
                        help="the least cross-validated precision a cut may have")
    parser.add_argument("--cross-validate", action="store_true",
                        help="also print IDRISI dev's scores with each event placed by models "
                             "trained on the other events (about a minute more)")
    args = parser.parse_args()
    geocoder = load_geocoder(toponym_model=False)
    ranks = word_ranks(geocoder, FREQUENCIES)
    gold = args.shared / "data" / "gold" / "idrisi_dev.jsonl"
    model = build(geocoder, gold, ranks, args.min_precision)
    if args.cross_validate:
        scores = cross_validate(geocoder, gold, ranks, args.min_precision)
        print("leave-one-event-out IDRISI dev scores:", json.dumps(scores))
        model = ToponymModel(model.rescue, model.keep, model.word_ranks,
                             {**model.info, "idrisi_dev_leave_one_event_out": scores})
    print(json.dumps(dict(model.info), indent=1))
    args.out.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=0, sort_keys=True)
                        + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
