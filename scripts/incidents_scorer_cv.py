"""Cross-validate incident scorers on incidents_dev: the hand-weighted one against a trained one.

Issue 13 asks for "a small trained scorer if it beats a hand-weighted one on dev".  This script
decides it.  Reports: the predicted events of `../shared/data/gold/incidents_dev.jsonl` (the
matched ones labelled with their gold incident) and the gold events themselves ("oracle"), as
`rasad eval incidents` builds them (`labelled_reports`).  Folds: the documents, K groups (every
report of a document in one fold; `--folds`, default 2 and 5).  Per fold, the trained scorer is
a logistic regression (scikit-learn, the `build` extra) over the pair features of
`rasad.incidents.compare.pair_features` (the hand scorer's own: date, place, actors, sub-type,
fatalities, text), fitted on every blocked pair of two labelled reports of the other folds (gold
and predicted reports; label: same gold incident); its probability replaces the weighted mean
and the threshold is one of `--thresholds`.  Each scorer then resolves the held-out fold's
reports alone; the folds' incidents are pooled and scored with B-cubed (`bcubed`), over the
matched predicted events and over the gold events.  The hand-weighted scorer is measured on the
same folds with its packaged weights and threshold (tuned on the whole of dev: this favours it
slightly, which is why both are printed with their full-dev scores too).

    pip install -e '.[build]'
    python scripts/incidents_scorer_cv.py          # about a minute
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import itertools
import math
from collections.abc import Callable
from pathlib import Path

from rasad.eval.incidents import Labelled, bcubed, labelled_reports
from rasad.incidents import Report, Rules, compatible
from rasad.incidents.compare import Comparison, compare, pair_features
from rasad.settings import Settings

GOLD = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "gold" / \
    "incidents_dev.jsonl"
FEATURES = ("date", "place", "actors", "sub_type", "fatalities", "text")
resolve_module = importlib.import_module("rasad.incidents.resolve")  # the package's `resolve` is
# the function; its module's `compare` is what a scorer replaces
Scorer = Callable[[Report, Report, Rules], Comparison]


def vector(a: Report, b: Report, rules: Rules) -> list[float]:
    found = pair_features(a, b, rules)
    return [found[name][0] for name in FEATURES]


def training_pairs(reports: list[tuple[Report, str]], rules: Rules
                   ) -> tuple[list[list[float]], list[int]]:
    xs, ys = [], []
    for (a, ga), (b, gb) in itertools.combinations(reports, 2):
        if compatible(a, b, rules):
            xs.append(vector(a, b, rules))
            ys.append(int(ga == gb))
    return xs, ys


def trained(xs: list[list[float]], ys: list[int], c: float) -> Scorer:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=1000).fit(xs, ys)
    weights, bias = [float(w) for w in model.coef_[0]], float(model.intercept_[0])

    def score(a: Report, b: Report, rules: Rules) -> Comparison:
        z = bias + sum(w * x for w, x in zip(weights, vector(a, b, rules), strict=True))
        return Comparison(round(1 / (1 + math.exp(-z)), 4), "")
    return score


def resolved(scorer: Scorer, reports: list[Report], rules: Rules) -> list[tuple[str, str]]:
    """(report key as text, incident id) of `reports` resolved with `scorer` for `compare`."""
    saved = resolve_module.compare
    resolve_module.compare = scorer
    try:
        incidents = resolve_module.resolve(reports, rules)
    finally:
        resolve_module.compare = saved
    return [("|".join(m.report.key), i.incident_id) for i in incidents for m in i.members]


def cross_validate(data: Labelled, folds: int, make: Callable[[list[str]], Scorer],
                   rules: Rules) -> tuple[tuple[float | None, ...], tuple[float | None, ...]]:
    """Pooled B-cubed (P, R, F1) over the held-out folds: predicted events, gold events."""
    docs = sorted({r.doc_id for r in data.reports} | {r.doc_id for r in data.gold_reports})
    items: dict[str, list[tuple[str, str]]] = {"pred": [], "gold": []}
    for k in range(folds):
        held = set(docs[k::folds])
        scorer = make([d for d in docs if d not in held])
        for name, reports, labels in (("pred", data.reports, data.gold_of),
                                      ("gold", data.gold_reports, data.oracle_of)):
            mine = [r for r in reports if r.doc_id in held]
            label = {"|".join(r.key): labels[r.key] for r in mine if r.key in labels}
            items[name] += [(label[key], f"{k}:{incident}")
                            for key, incident in resolved(scorer, mine, rules) if key in label]
    return bcubed(items["pred"]), bcubed(items["gold"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--folds", type=int, nargs="+", default=[2, 5])
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.4, 0.5, 0.6])
    parser.add_argument("--c", type=float, nargs="+", default=[0.1, 1.0, 10.0],
                        help="inverse regularisation strengths of the logistic regression")
    args = parser.parse_args(argv)
    data = labelled_reports(args.gold, None, Settings())
    rules = Rules.load()
    labelled = [(r, data.gold_of[r.key]) for r in data.reports if r.key in data.gold_of] + \
        [(r, data.oracle_of[r.key]) for r in data.gold_reports]

    def lr(c: float) -> Callable[[list[str]], Scorer]:
        def make(train_docs: list[str]) -> Scorer:
            keep = set(train_docs)
            return trained(*training_pairs([x for x in labelled if x[0].doc_id in keep], rules),
                           c)
        return make

    def show(name: str, scores: tuple[tuple[float | None, ...], tuple[float | None, ...]]
             ) -> None:
        cells = [f"{v:.3f}" if v is not None else "—" for part in scores for v in part]
        print(f"| {name} | " + " | ".join(cells) + " |")

    print("| scorer | pred P | pred R | pred F1 | oracle P | oracle R | oracle F1 |")
    print("|---|---|---|---|---|---|---|")
    for folds in args.folds:
        show(f"hand-weighted, {folds}-fold", cross_validate(data, folds, lambda _: compare, rules))
        for c, threshold in itertools.product(args.c, args.thresholds):
            at = dataclasses.replace(rules, threshold=threshold)
            show(f"logistic C={c} t={threshold}, {folds}-fold",
                 cross_validate(data, folds, lr(c), at))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
