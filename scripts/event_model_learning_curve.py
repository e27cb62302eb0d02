"""Is the event model data-limited?  Its learning curve and the extractor's recall ceiling.

Issue 10 asks for event F1 0.65 on the check set; the event model (`rasad.extract.eventmodel`)
can only drop events, so two questions decide whether more labelled articles would get there.
This script measures, with the training procedure of `scripts/train_event_model.py` (its
functions, imported: C and threshold chosen across files under the sentence constraints):

(a) **Learning curve.**  For each of `DRAWS` draws, the article documents of the two dev files
    (and the GSR and negatives sentences) are dealt into 5 folds, each file spread evenly; for
    each held-out fold a model is trained on a fraction (0.25, 0.5, 0.75, 1.0) of the other
    folds' article documents, drawn per file (the fractions nested within a draw), with all
    their sentences; the held-out folds' predictions pooled give the cross-validated F1 over
    both files.  A model trained on the same fraction of all dev article documents is scored
    on the check set (aggregate P/R/F1 only; at fraction 1.0 every draw is the same model).
(b) **Recall ceiling**: the share of the scored gold events that the extractor matches with
    the model off (`rasad eval articles` with `event_model = false`); on the dev files also the
    misses by cause, on the check set only the aggregate.
(c) **Rules read and not read**: the same, with and without the shipped model, for the 20
    articles_dev documents the rules were first written on (its first 20 lines: the file held
    those 20 until 2026-12-05, 68 scored gold events) against those added later (its other
    lines and incidents_dev).
(d) **Retrain?**  The shipped model against one retrained by the training script's procedure on
    today's extraction: pooled F1 on today's dev candidates (the shipped model in-sample; the
    retrained one in-sample and cross-validated), each dev file scored as `rasad eval articles`
    scores it, and the check set beside them.

The check set is scored, never read: only aggregate P/R/F1 per model leave this script, and
nothing here is chosen by them.  Writes the JSON report (`--out`) and the chart (`--chart`,
matplotlib: pip install -e '.[build]').  About two minutes on the busy 2-core development
machine.

    python scripts/event_model_learning_curve.py --shared ../shared \\
        --chart docs/event_model_learning_curve.png
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

# The training script beside this one is imported, not copied.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from rasad.eval.articles import Tally, evaluate_articles, score_document
from rasad.extract.eventmodel import load_event_model
from rasad.pipeline import Pipeline
from rasad.settings import Settings
from train_event_model import (
    FOLDS,
    GOLD_FILES,
    GSR_FILE,
    NEGATIVES_FILE,
    SEED,
    Columns,
    TrainingData,
    choose_c_threshold,
    grouped_oof,
    judged_by_model,
    prf,
    read_lines,
    read_training_data,
    run_article,
    scores,
)

CHECK_FILE = "articles_check.jsonl"
FRACTIONS = (0.25, 0.5, 0.75, 1.0)
DRAWS = 5
CURVE_SEED = 20261206
ORIGINAL_DEV_DOCUMENTS = 20  # articles_dev.jsonl's first lines, the rules' first material
TARGET_F1 = 0.65  # issue 10's check target
DEV_TARGET_F1 = 0.70  # issue 10's target on each dev file
MAX_DOUBLINGS = 20  # past a million times the data, "how many articles" means nothing
SCORES = ("precision", "recall", "f1", "predicted", "matched", "gold")


@dataclass
class ScoredArticle:
    """A gold article run once with the model off, kept to be scored under any model."""

    obj: dict[str, Any]
    record: dict[str, Any]
    features: list[dict[str, float]]
    judged: bool  # the pipeline lets the model judge its events


def assign_folds(docs_by_source: dict[str, list[str]], folds: int,
                 rng: np.random.Generator) -> dict[str, int]:
    """A fold for every document: each source's documents shuffled and dealt in turn, so every
    fold holds about 1/`folds` of each source."""
    fold_of: dict[str, int] = {}
    for source in sorted(docs_by_source):
        docs = docs_by_source[source]
        for rank, i in enumerate(rng.permutation(len(docs))):
            fold_of[docs[i]] = rank % folds
    return fold_of


def nested_draws(docs_by_source: dict[str, list[str]], fractions: Sequence[float],
                 rng: np.random.Generator) -> dict[float, set[str]]:
    """For each fraction, that share of each source's documents (at least one), drawn from one
    shuffle so that a smaller fraction's documents are among a larger one's."""
    orders = {source: [docs[i] for i in rng.permutation(len(docs))]
              for source, docs in sorted(docs_by_source.items())}
    return {f: {d for docs in orders.values() for d in docs[:max(1, round(f * len(docs)))]}
            for f in fractions}


def summary(values: Sequence[float]) -> dict[str, float]:
    """Mean, spread (population standard deviation), min and max of a metric over draws."""
    a = np.asarray(values, dtype=float)
    return {"mean": round(float(a.mean()), 4), "sd": round(float(a.std()), 4),
            "min": round(float(a.min()), 4), "max": round(float(a.max()), 4)}


def slope_per_doubling(sizes: Sequence[float], scores: Sequence[float]) -> float:
    """Least-squares slope of `scores` against log2 of `sizes`: the gain per doubling of the
    training data, if the curve were straight on a log scale."""
    return float(np.polyfit(np.log2(np.asarray(sizes, dtype=float)),
                            np.asarray(scores, dtype=float), 1)[0])


def doublings_to_reach(current: float, slope: float, target: float) -> float | None:
    """How many doublings of the data a log-linear curve needs from `current` to `target`;
    None when it does not rise, or needs more than MAX_DOUBLINGS (beyond any reach; and
    2 ** doublings would overflow)."""
    if current >= target:
        return 0.0
    if slope <= 0 or (target - current) / slope > MAX_DOUBLINGS:
        return None
    return (target - current) / slope


def precision_needed(recall: float, target_f1: float) -> float | None:
    """The precision at which `recall` gives F1 `target_f1`; None when none can (recall at or
    below half the target, or a precision above 1)."""
    if 2 * recall <= target_f1:
        return None
    p = target_f1 * recall / (2 * recall - target_f1)
    return p if p <= 1 else None


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95% by default) of a proportion of `k` in `n`."""
    if n == 0:
        return 0.0, 1.0
    share = k / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * (share * (1 - share) / n + z * z / (4 * n * n)) ** 0.5
    return max(0.0, centre - half), min(1.0, centre + half)


def kept_record(record: dict[str, Any], keep: Iterable[bool]) -> dict[str, Any]:
    """The record with only the events `keep` marks (in order), as the pipeline would write it
    had the model dropped the others."""
    return {**record, "events": [e for e, k in zip(record["events"], keep, strict=True) if k]}


def score_articles(articles: list[ScoredArticle], vectorizer: DictVectorizer | None,
                   model: Any, threshold: float) -> dict[str, Any]:
    """Aggregate P/R/F1 of gold articles with `model` (a fitted LogisticRegression over
    `vectorizer`'s columns, a `LogisticModel`, or None: no model) dropping the events below
    `threshold` where the pipeline would apply it; scored by the contract's scorer."""
    tally = Tally()
    for a in articles:
        keep = [True] * len(a.features)
        if model is not None and a.judged and a.features:
            if vectorizer is None:
                probs = [model.probability(f) for f in a.features]
            else:
                probs = list(model.predict_proba(vectorizer.transform(a.features))[:, 1])
            keep = [p >= threshold for p in probs]
        score_document(a.obj, kept_record(a.record, keep), tally, [], None)
    m = tally.metrics()
    return scores(int(m["matched"] or 0), int(m["predicted_events"] or 0),
                  int(m["gold_events"] or 0))


def read_articles(path: Path, pipeline: Pipeline, settings: Settings) -> list[ScoredArticle]:
    """The gold articles of `path`, run once with the model off (of the check set nothing but
    the aggregate scores is ever printed)."""
    articles = []
    for obj in read_lines(path):
        run = run_article(obj, pipeline, settings)
        if run is None:
            articles.append(ScoredArticle(obj, {"events": []}, [], False))
            continue
        doc, record = run
        articles.append(ScoredArticle(obj, record, [e.features for e in doc.events],
                                     judged_by_model(doc)))
    return articles


class Trainer:
    """Trains the event model on a subset of the labelled documents, as the training script
    does on all of them."""

    def __init__(self, data: TrainingData) -> None:
        self.data = data
        self.vectorizer = DictVectorizer(sparse=False)
        self.x = self.vectorizer.fit_transform([s.features for s in data.samples])
        self.y = np.array([s.label for s in data.samples])
        self.docs = np.array([s.doc for s in data.samples])
        self.sources = np.array([s.source for s in data.samples])

    def train(self, docs: set[str]) -> tuple[LogisticRegression, float, float]:
        """The model fitted on the events of `docs`, with its C and threshold."""
        index = np.flatnonzero(np.isin(self.docs, list(docs)))
        samples = [self.data.samples[i] for i in index]
        gold = dict.fromkeys(GOLD_FILES, 0)
        sentence_docs = dict.fromkeys((GSR_FILE, NEGATIVES_FILE), 0)
        for d in docs:
            source = self.data.doc_source[d]
            if source in gold:
                gold[source] += self.data.doc_gold[d]
            else:
                sentence_docs[source] += 1
        c, threshold = choose_c_threshold(Columns.of(samples, sentence_docs), self.x[index],
                                          gold, sentence_docs)
        model = LogisticRegression(C=c, max_iter=3000, random_state=SEED)
        return model.fit(self.x[index], self.y[index]), c, threshold

    def article_mask(self) -> np.ndarray:
        """Which samples come from the gold articles (not the GSR or negatives sentences)."""
        return np.isin(self.sources, GOLD_FILES)


def learning_curve(trainer: Trainer, check: list[ScoredArticle]) -> dict[str, Any]:
    """(a): per fraction, the pooled cross-validated and the check scores of every draw."""
    data = trainer.data
    articles = {name: [d for d, s in data.doc_source.items() if s == name] for name in GOLD_FILES}
    sentences = {name: [d for d, s in data.doc_source.items() if s == name]
                 for name in (GSR_FILE, NEGATIVES_FILE)}
    n_gold = sum(data.doc_gold.values())
    is_article = trainer.article_mask()
    runs: dict[float, dict[str, list[Any]]] = {f: {"cv": [], "check": [], "cv_train_docs": [],
                                                   "chosen": [], "auc": []} for f in FRACTIONS}
    check_models: dict[frozenset[str], dict[str, Any]] = {}
    for draw in range(DRAWS):
        fold_of = assign_folds({**articles, **sentences}, FOLDS,
                               np.random.default_rng([CURVE_SEED, draw]))
        fold_rows = np.array([fold_of[d] for d in trainer.docs])
        probs = {f: np.zeros(len(trainer.y)) for f in FRACTIONS}
        margins = {f: np.zeros(len(trainer.y)) for f in FRACTIONS}
        for fold in range(FOLDS):
            train_articles = {n: [d for d in docs if fold_of[d] != fold]
                              for n, docs in articles.items()}
            train_sentences = {d for docs in sentences.values() for d in docs
                               if fold_of[d] != fold}
            draws = nested_draws(train_articles, FRACTIONS,
                                 np.random.default_rng([CURVE_SEED, draw, fold]))
            test = (fold_rows == fold) & is_article
            for f, chosen in draws.items():
                model, c, t = trainer.train(chosen | train_sentences)
                # Each fold's model has its own threshold: its probabilities are kept as
                # margins over it (for the F1), and as they are for the ranking (AUC).
                probs[f][test] = model.predict_proba(trainer.x[test])[:, 1]
                margins[f][test] = probs[f][test] - t
                runs[f]["cv_train_docs"].append(len(chosen))
                runs[f]["chosen"].append((c, t))
        y = trainer.y[is_article]
        for f in FRACTIONS:
            runs[f]["cv"].append(prf(y, margins[f][is_article] >= 0, n_gold))
            runs[f]["auc"].append(round(float(roc_auc_score(y, probs[f][is_article])), 4))
        all_sentences = {d for docs in sentences.values() for d in docs}
        for f, chosen in nested_draws(articles, FRACTIONS,
                                      np.random.default_rng([CURVE_SEED, draw, FOLDS])).items():
            key = frozenset(chosen)
            if key not in check_models:
                model, c, t = trainer.train(chosen | all_sentences)
                check_models[key] = {**score_articles(check, trainer.vectorizer, model, t),
                                     "C": c, "threshold": t, "train_docs": len(chosen)}
            runs[f]["check"].append(check_models[key])
    curve = []
    for f in FRACTIONS:
        r = runs[f]
        curve.append({
            "fraction": f,
            "cv_train_articles": round(float(np.mean(r["cv_train_docs"])), 1),
            "check_train_articles": r["check"][0]["train_docs"],
            "cv": {**{k: summary([x[k] for x in r["cv"]]) for k in ("precision", "recall", "f1")},
                   "auc": summary(r["auc"])},
            "check": {k: summary([x[k] for x in r["check"]])
                      for k in ("precision", "recall", "f1")},
            "cv_draws": r["cv"],
            "check_draws": [{k: x[k] for k in ("precision", "recall", "f1", "predicted",
                                               "matched", "C", "threshold")}
                            for x in r["check"]],
            "thresholds_chosen": summary([t for _, t in r["chosen"]]),
        })
    cv_sizes = [p["cv_train_articles"] for p in curve]
    check_sizes = [p["check_train_articles"] for p in curve]
    return {"draws": DRAWS, "folds": FOLDS, "fractions": list(FRACTIONS),
            "check_articles": len(check), "curve": curve,
            "slope_per_doubling": {
                "cv_f1": summary([slope_per_doubling(cv_sizes, [runs[f]["cv"][d]["f1"]
                                                                for f in FRACTIONS])
                                  for d in range(DRAWS)]),
                "cv_auc": summary([slope_per_doubling(cv_sizes, [runs[f]["auc"][d]
                                                                 for f in FRACTIONS])
                                   for d in range(DRAWS)]),
                "check_f1": summary([slope_per_doubling(check_sizes, [runs[f]["check"][d]["f1"]
                                                                      for f in FRACTIONS])
                                     for d in range(DRAWS)])}}


def recall_ceilings(shared: Path, check: list[ScoredArticle]) -> dict[str, Any]:
    """(b) and (c): the extractor's scores with the model off (and on, beside them) per file and
    for the dev documents read while the rules were written against those added later."""
    gold_dir = shared / "data/gold"
    off, on = Settings(event_model=False), Settings()
    dev = read_lines(gold_dir / "articles_dev.jsonl")
    read, later = dev[:ORIGINAL_DEV_DOCUMENTS], dev[ORIGINAL_DEV_DOCUMENTS:]
    read_name = f"articles_dev first {len(read)} (read)"
    later_name = f"articles_dev other {len(later)} (later)"
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        parts = {"articles_dev.jsonl": gold_dir / "articles_dev.jsonl",
                 "incidents_dev.jsonl": gold_dir / "incidents_dev.jsonl"}
        for name, lines in ((read_name, read), (later_name, later)):
            path = Path(tmp) / f"part{len(parts)}.jsonl"
            path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in lines),
                            encoding="utf-8")
            parts[name] = path
        for name, path in parts.items():
            model_off = evaluate_articles(path, None, off)
            model_on = evaluate_articles(path, None, on)
            out[name] = {"model_off": _counted(model_off.metrics),
                         "shipped_model": _counted(model_on.metrics),
                         "misses_by_cause": model_off.breakdown["misses"]}
    added = [out[later_name], out["incidents_dev.jsonl"]]
    out[f"later (other {len(later)} + incidents_dev)"] = {
        key: scores(*(sum(p[key][n] for p in added) for n in ("matched", "predicted", "gold")))
        for key in ("model_off", "shipped_model")}
    out[CHECK_FILE] = {"model_off": score_articles(check, None, None, 0.0)}
    for part in out.values():
        recall = part["model_off"]["recall"]
        low, high = wilson_interval(part["model_off"]["matched"], part["model_off"]["gold"])
        part["recall_ceiling_95"] = [round(low, 3), round(high, 3)]
        needed = precision_needed(recall, TARGET_F1)
        part["best_f1_of_a_perfect_filter"] = round(2 * recall / (1 + recall), 3)
        part[f"precision_needed_for_f1_{TARGET_F1}"] = None if needed is None else round(needed,
                                                                                           3)
    return out


def _counted(metrics: dict[str, Any]) -> dict[str, Any]:
    return scores(int(metrics["matched"]), int(metrics["predicted_events"]),
                  int(metrics["gold_events"]))


def retrain_or_not(trainer: Trainer, dev: dict[str, list[ScoredArticle]],
                   check: list[ScoredArticle]) -> dict[str, Any]:
    """(d): the shipped model and a retrain on all of today's labelled documents, by event
    labels on today's dev candidates (pooled and per file; `in_sample_scored`: each dev file
    `dev` scored as `rasad eval articles` would) and on the check set."""
    shipped = load_event_model()
    assert shipped is not None
    model, c, t = trainer.train(set(trainer.data.doc_source))
    shipped_probs = np.array([shipped.probability(s.features) for s in trainer.data.samples])
    retrained_probs = model.predict_proba(trainer.x)[:, 1]
    oof = grouped_oof(trainer.x, trainer.y, trainer.docs, c)
    gold = trainer.data.gold_counts()
    parts = {"dev_pooled": trainer.article_mask(),
             **{name: trainer.sources == name for name in GOLD_FILES}}

    def by_part(probs: np.ndarray, threshold: float) -> dict[str, Any]:
        return {part: prf(trainer.y[mask], probs[mask] >= threshold,
                          sum(gold.values()) if part == "dev_pooled" else gold[part])
                for part, mask in parts.items()}

    names = set(trainer.vectorizer.feature_names_)
    def scored(vectorizer: DictVectorizer | None, judge: Any, threshold: float
               ) -> dict[str, Any]:
        return {name: score_articles(articles, vectorizer, judge, threshold)
                for name, articles in dev.items()}

    return {
        "model_off": {**by_part(np.ones(len(trainer.y)), 0.0),
                      "check": score_articles(check, None, None, 0.0)},
        "shipped": {"C": shipped.info.get("C"), "threshold": shipped.threshold,
                    "in_sample": by_part(shipped_probs, shipped.threshold),
                    "in_sample_scored": scored(None, shipped, shipped.threshold),
                    "pooled_cross_validated_when_trained":
                        shipped.info.get("articles_pooled", {}).get("cross_validated"),
                    "check": score_articles(check, None, shipped, shipped.threshold),
                    "weights_of_features_no_longer_computed": sorted(set(shipped.weights)
                                                                     - names),
                    "features_computed_today_without_a_weight": sorted(names
                                                                       - set(shipped.weights))},
        "retrained": {"C": c, "threshold": t,
                      "in_sample": by_part(retrained_probs, t),
                      "in_sample_scored": scored(trainer.vectorizer, model, t),
                      "cross_validated": by_part(oof, t),
                      f"cross_validated_at_the_shipped_threshold_{shipped.threshold}":
                          by_part(oof, shipped.threshold),
                      "check": score_articles(check, trainer.vectorizer, model, t)},
    }


def extrapolation(report: dict[str, Any]) -> dict[str, Any]:
    """How many labelled articles the curves reach issue 10's targets with, if each further
    doubling of the data gained what a doubling gained so far (mean slope over the draws) — an
    optimistic assumption: learning curves flatten — and if nothing but the model changed."""
    lc = report["learning_curve"]
    full = lc["curve"][-1]
    articles = full["check_train_articles"]
    out: dict[str, Any] = {"labelled_articles_now": articles}
    for key, target in (("cv", DEV_TARGET_F1), ("check", TARGET_F1)):
        level = full[key]["f1"]["mean"]
        slope = lc["slope_per_doubling"][f"{key}_f1"]["mean"]
        doublings = doublings_to_reach(level, slope, target)
        out[key] = {"f1_now": level, "slope_per_doubling": slope, "target": target,
                    "doublings": None if doublings is None else round(doublings, 1),
                    "labelled_articles": None if doublings is None
                    else round(articles * 2 ** doublings)}
    # A filter keeps recall at most at the ceiling: the precision it would need there.
    out["check"]["precision_needed_at_the_recall_ceiling"] = \
        report["recall_ceiling"][CHECK_FILE][f"precision_needed_for_f1_{TARGET_F1}"]
    return out


def draw_chart(report: dict[str, Any], path: Path) -> None:
    """The learning curve: cross-validated and check F1 against training articles, the band
    the draws span, the model-off levels and the check target."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curve = report["learning_curve"]["curve"]
    fig, ax = plt.subplots(figsize=(8, 6), dpi=110)
    for key, size_key, colour, label in (
            ("cv", "cv_train_articles", "tab:blue",
             "dev, pooled 5-fold CV by document (both dev files)"),
            ("check", "check_train_articles", "tab:red",
             f"check set ({report['learning_curve']['check_articles']} articles, scored only)")):
        sizes = [p[size_key] for p in curve]
        f1 = [p[key]["f1"] for p in curve]
        ax.fill_between(sizes, [s["min"] for s in f1], [s["max"] for s in f1], color=colour,
                        alpha=0.18, linewidth=0)
        ax.plot(sizes, [s["mean"] for s in f1], "o-", color=colour,
                label=f"{label}: mean, band min–max of {report['learning_curve']['draws']} draws")
    off = report["retrain"]["model_off"]
    ceilings = report["recall_ceiling"]
    dev_ceiling = round(2 * off["dev_pooled"]["recall"] / (1 + off["dev_pooled"]["recall"]), 3)
    for level, colour, style, label in (
            (dev_ceiling, "tab:blue", "--", "dev, best F1 a perfect filter could give"),
            (off["dev_pooled"]["f1"], "tab:blue", ":", "dev, model off"),
            (ceilings[CHECK_FILE]["best_f1_of_a_perfect_filter"], "tab:red", "--",
             "check, best F1 a perfect filter could give"),
            (off["check"]["f1"], "tab:red", ":", "check, model off"),
            (DEV_TARGET_F1, "dimgray", "-.", "issue 10's target on each dev file"),
            (TARGET_F1, "black", "-.", "issue 10's check target")):
        ax.axhline(level, color=colour, linestyle=style, linewidth=1,
                   label=f"{label} ({level:.3g})")
    ax.set_xscale("log", base=2)
    sizes = sorted({p["cv_train_articles"] for p in curve} | {p["check_train_articles"]
                                                              for p in curve})
    ax.set_xticks(sizes, [f"{s:.0f}" for s in sizes], fontsize=8)
    ax.minorticks_off()
    ax.set_xlabel("labelled dev articles the model is trained on (log scale)")
    ax.set_ylabel("event F1")
    ax.set_ylim(0.3, 0.9)
    ax.set_title("Is the event model data-limited? Its learning curve (rasad, issue 10)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2,
              frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, help="write the JSON report here")
    parser.add_argument("--chart", type=Path, help="draw the learning curve here (PNG)")
    args = parser.parse_args(argv)
    settings = Settings(event_model=False)
    pipeline = Pipeline(settings)
    trainer = Trainer(read_training_data(args.shared, pipeline, settings))
    check = read_articles(args.shared / "data/gold" / CHECK_FILE, pipeline, settings)
    dev = {name: read_articles(args.shared / "data/gold" / name, pipeline, settings)
           for name in GOLD_FILES}
    # Some 4,000 small fits: one thread each is some 30 times faster than BLAS threads
    # fighting over a busy machine's cores.
    with threadpool_limits(limits=1):
        report = {"learning_curve": learning_curve(trainer, check),
                  "recall_ceiling": recall_ceilings(args.shared, check),
                  "retrain": retrain_or_not(trainer, dev, check)}
    report["extrapolation"] = extrapolation(report)
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    if args.chart:
        draw_chart(report, args.chart)
        print(f"wrote {args.chart}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
