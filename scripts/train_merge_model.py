"""Train the pair model (`rasad.extract.mergemodel`) and write `src/rasad/data/merge_model.json`.

Data: the development gold articles only, under `--shared` (`articles_dev.jsonl`,
`incidents_dev.jsonl`; never a file named test or check).  The extractor runs on each document
with the pair model off (the event model on, as the pipeline applies the pair model after it).
Every scored predicted event (not background, not in a document the gold calls opinion) is given
its gold event: the one the contract's maximum matching pairs it with, else — a second telling
the matching leaves over — the agreeing gold event (type and place) of least matching cost.  A
pair of events of one type of one document is labelled 1 when both have the same gold event, 0
when they have different ones (pairs with an event that has none are left out).

Model: logistic regression (scikit-learn, `build` extra) over `pair_features`.  The inverse
regularisation C and the probability threshold are chosen by document-grouped 5-fold
cross-validation: each fold's documents are merged by `merge_duplicates` (the pipeline's own
function) with a model trained on the other folds' pairs, then scored by the contract's matching;
the choice maximises the event F1 pooled over both files (ties: the higher threshold, merging
less).  The script prints, per file, the event scores without the model, cross-validated and
trained on the other file, and the pair decisions' cross-validated F1, and writes the model
refitted on all pairs with those scores in its `info`.

    pip install -e '.[build]'
    python scripts/train_merge_model.py --shared ../shared
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from rasad.doc import Doc
from rasad.eval.articles import is_background, match_events, pair_cost
from rasad.eval.common import prf as scores
from rasad.extract.mergemodel import MODEL_FILE, PairContext, merge_duplicates, pair_features
from rasad.io.readers import Failure, document_from_object
from rasad.linear import LogisticModel
from rasad.pipeline import Pipeline, parse_published
from rasad.records import Event
from rasad.settings import Settings

GOLD_FILES = ("articles_dev.jsonl", "incidents_dev.jsonl")
C_GRID = (0.1, 0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.3, 0.951, 0.05))
FOLDS = 5
SEED = 13


@dataclass
class Document:
    """One gold article, its processed `Doc` and what training reads of it."""

    id: str
    source: str
    fold: int
    doc: Doc
    events: list[Event]
    published: Any
    golds: list[dict[str, Any]]
    pairs: list[tuple[dict[str, float], int]] = field(default_factory=list)


def gold_of_events(golds: list[dict[str, Any]], records: list[dict[str, Any]]
                   ) -> list[int | None]:
    """Each predicted record's gold event (index), or None: matched, else the agreeing one of
    least cost."""
    agreements, pair_fields, pairs = match_events(golds, records)
    found: list[int | None] = [None] * len(records)
    for i, j in pairs:
        found[j] = i
    for j, _ in enumerate(records):
        if found[j] is None:
            costs = [(cost, i) for i, g in enumerate(golds)
                     if (cost := pair_cost(g, records[j], agreements[i][j],
                                           pair_fields[i][j])) is not None]
            found[j] = min(costs)[1] if costs else None
    return found


def scored_records(d: Document, events: list[Event]) -> list[dict[str, Any]]:
    records = [e.to_dict(d.id) for e in events]
    return [r for r in records if not is_background(r, d.published)]


def read_documents(shared: Path, pipeline: Pipeline, settings: Settings) -> list[Document]:
    documents: list[Document] = []
    for name in GOLD_FILES:
        with (shared / "data/gold" / name).open(encoding="utf-8") as fh:
            objs = [json.loads(line) for line in fh if line.strip()]
        for obj in objs:
            doc_id, gold = str(obj["id"]), obj["gold"]
            raw = document_from_object({k: v for k, v in obj.items() if k != "gold"}, doc_id,
                                       settings, "gold")
            if isinstance(raw, Failure) or gold["genre"] == "opinion":
                continue
            doc = pipeline.run(raw)
            published = parse_published(obj.get("published")) or doc.published
            golds = [g for g in gold["events"] if not is_background(g, published)]
            d = Document(doc_id, name, len(documents) % FOLDS, doc, list(doc.events),
                         published, golds)
            label_pairs(d, d.doc, d.events)
            documents.append(d)
    return documents


def label_pairs(d: Document, doc: Doc, events: list[Event]) -> None:
    """The labelled pairs of one document's `events` (see the module's docstring)."""
    records = [e.to_dict(d.id) for e in events]
    scored = [j for j, r in enumerate(records) if not is_background(r, d.published)]
    found = gold_of_events(d.golds, [records[j] for j in scored])
    gold_of = dict(zip(scored, found, strict=True))
    context = PairContext.of(doc, events)
    for k, b in enumerate(events):
        for j in range(k):
            a = events[j]
            if a.event_type != b.event_type or gold_of.get(j) is None \
                    or gold_of.get(k) is None:
                continue
            d.pairs.append((pair_features(doc, a, b, context), int(gold_of[j] == gold_of[k])))


def fit(documents: list[Document], c: float) -> LogisticModel | None:
    """A model trained on the pairs of `documents` (None when they hold one class only)."""
    samples = [p for d in documents for p in d.pairs]
    labels = np.array([y for _, y in samples])
    if len(set(labels.tolist())) < 2:
        return None
    vectorizer = DictVectorizer(sparse=False)
    x = vectorizer.fit_transform([f for f, _ in samples])
    model = LogisticRegression(C=c, max_iter=5000, random_state=SEED).fit(x, labels)
    weights = {name: round(float(w), 5) for name, w in
               zip(vectorizer.feature_names_, model.coef_[0], strict=True) if abs(w) > 1e-6}
    return LogisticModel(round(float(model.intercept_[0]), 5), weights, 1.0, {})


def event_scores(documents: list[Document], models: dict[int, LogisticModel | None],
                 threshold: float, rebuild: Any) -> dict[str, dict[str, float]]:
    """Event P/R/F1 per file (and pooled) with each document merged by its fold's model."""
    counts: dict[str, list[int]] = {name: [0, 0, 0] for name in (*GOLD_FILES, "pooled")}
    for d in documents:
        model = models.get(d.fold)
        events = d.events if model is None else merge_duplicates(d.doc, d.events, model,
                                                                 rebuild, threshold)
        records = scored_records(d, events)
        _, _, pairs = match_events(d.golds, records)
        for name in (d.source, "pooled"):
            counts[name][0] += len(pairs)
            counts[name][1] += len(records)
            counts[name][2] += len(d.golds)
    return {name: prf(*c) for name, c in counts.items()}


def prf(matched: int, predicted: int, gold: int) -> dict[str, float]:
    """`rasad.eval.common.prf` with its counts, rounded as the model's `info` keeps them."""
    p, r, f = scores(matched, predicted, gold)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "predicted": predicted, "matched": matched, "gold": gold}


def pair_f1(documents: list[Document], models: dict[int, LogisticModel | None],
            threshold: float) -> dict[str, float]:
    """Cross-validated F1 of the pair decisions (probability ≥ threshold means "same")."""
    tp = fp = fn = 0
    for d in documents:
        model = models.get(d.fold)
        for features, label in d.pairs:
            same = model is not None and model.probability(features) >= threshold
            tp += same and label == 1
            fp += same and label == 0
            fn += not same and label == 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "pairs_same": tp + fn,
            "pairs": sum(len(d.pairs) for d in documents)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parents[1] / "src/rasad/data" / MODEL_FILE)
    parser.add_argument("--choose", choices=("files", "folds"), default="files",
                        help="choose C and the threshold across files (default) or by "
                             "document-grouped folds")
    args = parser.parse_args()
    # The packaged model was trained on the events of the rules before summaries were dropped
    # (`drop_summaries`, 2026-12-06); it judges pairs, which those few mentions hardly change.
    settings = Settings(merge_model=False, drop_summaries=())
    pipeline = Pipeline(settings)
    rebuild = pipeline.extractor.rebuild
    documents = read_documents(args.shared, pipeline, settings)
    n_pairs = sum(len(d.pairs) for d in documents)
    n_same = sum(y for d in documents for _, y in d.pairs)
    print(f"{len(documents)} documents, {sum(len(d.events) for d in documents)} events, "
          f"{n_pairs} labelled pairs ({n_same} same incident)")
    without = event_scores(documents, {}, 1.0, rebuild)

    best: tuple[float, float, float] | None = None  # (the choice's F1, C, threshold)
    fold_models: dict[float, dict[int, LogisticModel | None]] = {}
    for c in C_GRID:
        fold_models[c] = {k: fit([d for d in documents if d.fold != k], c)
                          for k in range(FOLDS)}
        across = {name: fit([d for d in documents if d.source != name], c)
                  for name in GOLD_FILES}
        for t in THRESHOLDS:
            if args.choose == "folds":
                f1 = event_scores(documents, fold_models[c], t, rebuild)["pooled"]["f1"]
            else:
                f1 = float(np.mean([event_scores(
                    [d for d in documents if d.source == name],
                    dict.fromkeys(range(FOLDS), across[name]), t, rebuild)[name]["f1"]
                    for name in GOLD_FILES]))
            if best is None or (f1, t) > (best[0], best[2]):
                best = (f1, c, t)
    assert best is not None
    _, c, threshold = best
    other_file = {}
    for name in GOLD_FILES:
        model = fit([d for d in documents if d.source != name], c)
        other_file[name] = event_scores(
            [d for d in documents if d.source == name], dict.fromkeys(range(FOLDS), model),
            threshold, rebuild)[name]
    cross = event_scores(documents, fold_models[c], threshold, rebuild)
    report: dict[str, Any] = {"C": c, "threshold": threshold, "chosen_by": args.choose,
                              "folds": FOLDS,
                              "documents": len(documents), "pairs": n_pairs,
                              "pairs_same": n_same,
                              "pair_decisions_cross_validated": pair_f1(
                                  documents, fold_models[c], threshold)}
    for name in GOLD_FILES:
        report[name] = {"without_model": without[name], "cross_validated": cross[name],
                        "trained_on_the_other_file": other_file[name]}
    print(json.dumps(report, indent=1))
    final = fit(documents, c)
    assert final is not None
    info = {"trained_on": list(GOLD_FILES), **report}
    model_json = LogisticModel(final.bias, final.weights, threshold, info).to_json()
    args.out.write_text(json.dumps(model_json, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
    print(f"wrote {args.out} ({len(final.weights)} weights)")


if __name__ == "__main__":
    main()
