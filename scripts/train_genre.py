"""Train the genre model (`src/rasad/data/genre_model.json`) and print its cross-validated scores.

Labels:

- gold: the `genre` of `../shared/data/gold/articles_dev.jsonl` and `incidents_dev.jsonl`;
- silver, from SaudiNewsNet (`../shared/data/corpora/saudinewsnet/articles.jsonl.gz`) by what the
  outlets' URLs and bylines say (`silver_label`): an opinion section in the URL («/opinion/»,
  «/Articles/», a columnist's segment in al-Sharq al-Awsat's URLs), an editorial («كلمة اليوم»), a
  byline that is a bare personal name (a columnist; reporters sign with a dateline or an agency)
  → opinion; a byline with a dateline or an agency → news; «تحليل/تقرير/تحقيق» in the byline →
  analysis; a Saudi communiqué's closing formula or «بسم الله الرحمن الرحيم» at the top →
  statement; almanac titles, «قراءة:» bylines and al-Jazirah's culture, poetry, obituary and
  wedding pages → other.  How well each rule agrees with the gold labels of the gold documents
  found in the corpus is printed first.  No document of any gold set (dev or held-out: their ids
  only are read) is used as a silver example.

Features: `rasad.extract.genre.genre_features` (cue densities and text statistics; no words).
Model: multinomial logistic regression (scikit-learn, the `build` extra) over standardised features,
balanced class weights, gold examples weighted `--gold-weight` times.  Cross-validation: gold
documents in stratified folds (each document its own group), each fold trained on all silver
documents and the other gold folds; silver documents in folds grouped by their opening words
(one communiqué reproduced by several outlets stays in one fold).  Scores are reported apart for
gold and silver.  The crisp rules (`genre_rule`) run before the model, as in the pipeline.

    pip install -e '.[build]'
    python scripts/train_genre.py            # about 2 minutes; writes the model
    python scripts/train_genre.py --no-write # scores only
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import math
import random
import re
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler

from rasad.doc import Doc
from rasad.extract.genre import (
    FEATURES,
    GenreModel,
    genre_features,
    genre_rule,
    word_features,
)
from rasad.pipeline import Pipeline
from rasad.records import GENRES, RawDocument
from rasad.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "src" / "rasad" / "data" / "genre_model.json"
GOLD_FILES = ("articles_dev.jsonl", "incidents_dev.jsonl")
SEED = 13
SILVER_CAP = {"news": 3000, "opinion": 3000}
"""At most this many silver documents of a class (drawn with SEED); the others are all kept."""

_AGENCY_OR_OUTLET = re.compile(
    r"واس|رويترز|ف ب|ف\. ب|د ب|وكال|متابع|يو بي|الأناضول|\brt\b|sky|cnn|bbc|الشرق الأوسط|الجزيرة|"
    r"الوطن|اليوم|الرياض|عكاظ|المدينة|الاقتصادية|سبق|الوئام|مكتب|كتب|تحقيق|حوار|تقرير|الفرنسية|"
    r"المحرر|الفنان", re.I)
_BYLINE_SEPARATOR = re.compile(r"[-:(،,ـ–—/]| من ")
_ANALYSIS_BYLINE = re.compile(r"تحليل|تقرير|تحقيق")
_OTHER_SECTIONS = {"cu", "tr", "wa", "af"}
_COMMUNIQUE_CLOSING = ("الهادي إلى سواء السبيل", "الهادي الى سواء السبيل")


def silver_label(row: dict[str, Any]) -> str | None:
    """The genre an outlet's URL and byline give a SaudiNewsNet article; None when they don't."""
    url = str(row.get("url") or "")
    author = str(row.get("author") or "").replace("\xa0", " ").replace("&nbsp;", " ").strip()
    title = str(row.get("title") or "")
    text = str(row.get("text") or "")
    source = row.get("source")
    section = re.sub(r"\d+\.htm$", "", url.rsplit("/", 1)[-1]) if source == "aljazirah" else ""
    if "هذا اليوم في التاريخ" in title or title.startswith("في مثل هذا اليوم"):
        return "other"
    if section in _OTHER_SECTIONS or author.startswith("قراءة"):
        return "other"
    if "/opinion/" in url or "/Articles/" in url:
        return "opinion"
    if source == "aawsat" and len(url.split("/article/")[-1].split("/")) >= 3:
        return "opinion"
    if author.startswith("كلمة "):
        return "opinion"
    if any(f in text[-400:] for f in _COMMUNIQUE_CLOSING) or "بسم الله الرحمن الرحيم" in text[:60]:
        return "statement"
    if _ANALYSIS_BYLINE.search(author):
        return "analysis"
    if author and not _BYLINE_SEPARATOR.search(author) and not _AGENCY_OR_OUTLET.search(author):
        return "opinion" if len(author.split()) <= 5 else None
    if author or source == "was" or "/news/" in url or "News_Detail" in url:
        return "news"
    return None


class Featurizer:
    """`genre_features` of raw documents, with the pipeline's lexicon."""

    def __init__(self) -> None:
        self.lexicon = Pipeline(Settings(use_ner=False)).lexicon

    def analyse(self, doc_id: str, text: str, title: str | None) -> tuple[Doc, list[Any]]:
        doc = Doc.from_raw(RawDocument(doc_id, text, title))
        matches = self.lexicon.match(doc.tokens, doc.text, taa_marbuta=doc.taa_marbuta)
        return doc, [m for m in matches if m.kind == "genre"]

    def features(self, doc_id: str, text: str, title: str | None,
                 ) -> tuple[list[float], str | None, collections.Counter[str]]:
        """(features, the genre a crisp rule gives (None: the model decides), word counts)."""
        doc, cues = self.analyse(doc_id, text, title)
        rule = genre_rule(doc.text, doc.sentences, cues)
        decisive = rule.genre if rule is not None else None
        words = collections.Counter(t.text for t in doc.tokens)
        return genre_features(doc.text, doc.tokens, doc.sentences, cues, title), decisive, words


def function_words(counts: list[collections.Counter[str]], n: int) -> tuple[str, ...]:
    """The `n` words found in the most documents (function words, mostly)."""
    df: collections.Counter[str] = collections.Counter()
    for c in counts:
        df.update(w for w in c if len(w) > 1 and w.isalpha())
    return tuple(sorted(w for w, _ in df.most_common(n)))


def with_words(x: np.ndarray, counts: list[collections.Counter[str]],
               words: tuple[str, ...]) -> np.ndarray:
    """`x` with the per-100-words frequency of each of `words` appended (as genre_features)."""
    if not words:
        return x
    extra = [[math.log1p(c[w] * 100.0 / max(sum(c.values()), 50)) for w in words]
             for c in counts]
    return np.hstack([x, np.array(extra)])


def read_gold(shared: Path) -> list[dict[str, Any]]:
    rows = []
    for name in GOLD_FILES:
        with open(shared / "data" / "gold" / name, encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return rows


def gold_ids(shared: Path) -> set[str]:
    """Ids of every document of every gold set (none may be a silver example)."""
    ids: set[str] = set()
    for path in sorted((shared / "data" / "gold").glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            ids |= {str(json.loads(line).get("id")) for line in f if line.strip()}
    return ids


def read_silver(shared: Path, gold: list[dict[str, Any]], exclude: set[str],
                ) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Silver-labelled corpus documents (capped per class), and (gold, silver) label pairs of the
    gold documents found in the corpus (how clean the silver rules are)."""
    corpus = shared / "data" / "corpora" / "saudinewsnet" / "articles.jsonl.gz"
    gold_genre = {str(g["id"]): g["gold"]["genre"] for g in gold}
    by_class: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    agreement: list[tuple[str, str]] = []
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            label = silver_label(row)
            if row["id"] in gold_genre:
                agreement.append((gold_genre[row["id"]], label or "-"))
            if label is None or row["id"] in exclude or len(row.get("text") or "") < 200:
                continue
            by_class[label].append(row)
    rng = random.Random(SEED)
    silver = []
    for label in sorted(by_class):
        rows = by_class[label]
        rng.shuffle(rows)
        silver += [{**r, "genre": label} for r in rows[:SILVER_CAP.get(label, len(rows))]]
    return silver, agreement


def confusion(pairs: list[tuple[str, str]]) -> str:
    """A confusion table (rows gold, columns predicted) of (gold, predicted) pairs."""
    labels = [g for g in (*GENRES, "-") if any(g in p for p in pairs)]
    counts = collections.Counter(pairs)
    lines = ["gold\\pred  " + " ".join(f"{p[:9]:>9}" for p in labels)]
    for g in labels:
        if any(p[0] == g for p in pairs):
            lines.append(f"{g[:9]:<10} " + " ".join(f"{counts[(g, p)]:>9}" for p in labels))
    return "\n".join(lines)


def fit(x: np.ndarray, y: list[str], weights: np.ndarray, c: float, balance: float,
        words: tuple[str, ...] = ()) -> GenreModel:
    """Logistic regression; class weights (n / (k * count)) ** balance: 0 none, 1 balanced."""
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    z = (x - scaler.mean_) / scale
    classes = sorted(set(y))
    counts = collections.Counter(y)
    balanced = np.array([(len(y) / (len(classes) * counts[label])) ** balance for label in y])
    clf = LogisticRegression(C=c, max_iter=5000)
    clf.fit(z, y, sample_weight=weights * balanced)
    return GenreModel(tuple(str(k) for k in clf.classes_), FEATURES + word_features(words),
                      tuple(float(v) for v in scaler.mean_), tuple(float(v) for v in scale),
                      tuple(tuple(float(w) for w in row) for row in clf.coef_),
                      tuple(float(b) for b in clf.intercept_), words)


def predict(model: GenreModel, x: np.ndarray, decisive: list[str | None]) -> list[str]:
    out = []
    for row, rule in zip(x, decisive, strict=True):
        if rule is not None:
            out.append(rule)
        else:
            p = model.probabilities([float(v) for v in row])
            out.append(max(p, key=p.__getitem__))
    return out


def accuracy(pairs: list[tuple[str, str]]) -> float:
    return sum(g == p for g, p in pairs) / max(len(pairs), 1)


def macro_recall(pairs: list[tuple[str, str]]) -> float:
    """Mean over genres of the share of a genre's documents given that genre."""
    labels = sorted({g for g, _ in pairs})
    return sum(accuracy([(g, p) for g, p in pairs if g == label]) for label in labels) / len(labels)


Pairs = list[tuple[str, str]]


def cross_validate(gx: np.ndarray, gy: list[str], gd: list[str | None], sx: np.ndarray,
                   sy: list[str], sd: list[str | None], groups: list[str], c: float,
                   gold_weight: float, balance: float, words: tuple[str, ...],
                   folds: int = 5) -> tuple[Pairs, Pairs]:
    """(gold, predicted) pairs, in input order, of the gold documents and of the silver documents,
    each predicted by a model that did not see it."""
    gold_predicted = [""] * len(gy)
    # Classes with fewer documents than folds cannot be stratified: they share one stratum.
    strata = [y if gy.count(y) >= folds else "rare" for y in gy]
    warnings.filterwarnings("ignore", message="The least populated class")
    kfold = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train, test in kfold.split(gx, strata):
        x = np.vstack([sx, gx[train]])
        y = sy + [gy[i] for i in train]
        w = np.concatenate([np.ones(len(sy)), np.full(len(train), gold_weight)])
        model = fit(x, y, w, c, balance, words)
        for i, label in zip(test, predict(model, gx[test], [gd[i] for i in test]), strict=True):
            gold_predicted[i] = label
    silver_predicted = [""] * len(sy)
    for train, test in GroupKFold(n_splits=folds).split(sx, sy, groups):
        x = np.vstack([sx[train], gx])
        y = [sy[i] for i in train] + gy
        w = np.concatenate([np.ones(len(train)), np.full(len(gy), gold_weight)])
        model = fit(x, y, w, c, balance, words)
        for i, label in zip(test, predict(model, sx[test], [sd[i] for i in test]), strict=True):
            silver_predicted[i] = label
    return (list(zip(gy, gold_predicted, strict=True)),
            list(zip(sy, silver_predicted, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--c", type=float, default=0.1, help="inverse regularisation strength")
    parser.add_argument("--gold-weight", type=float, default=1.0)
    parser.add_argument("--balance", type=float, default=0.5,
                        help="class weights (n / (k * count)) ** BALANCE: 0 none, 1 balanced")
    parser.add_argument("--grid", action="store_true",
                        help="also cross-validate a small grid of C and gold weights")
    parser.add_argument("--words", type=int, default=100,
                        help="also use the frequencies of the N commonest words (0: none)")
    parser.add_argument("--no-write", action="store_true", help="score only; keep the model")
    args = parser.parse_args(argv)

    gold = read_gold(args.shared)
    silver, agreement = read_silver(args.shared, gold, gold_ids(args.shared))
    print(f"silver rules on the {len(agreement)} gold documents found in the corpus "
          f"(agreement {accuracy(agreement):.3f}; '-' = no silver label):")
    print(confusion(agreement))
    print("silver documents per class:", dict(collections.Counter(r["genre"] for r in silver)))

    featurizer = Featurizer()
    gx_rows, gd, gcounts = zip(*(featurizer.features(str(g["id"]), g["text"], g.get("title"))
                                 for g in gold), strict=True)
    sx_rows, sd, scounts = zip(*(featurizer.features(r["id"], r["text"], r.get("title"))
                                 for r in silver), strict=True)
    gy, sy = [g["gold"]["genre"] for g in gold], [r["genre"] for r in silver]
    print("(label, rule's genre) where a crisp rule decides: silver",
          dict(collections.Counter((y, d) for y, d in zip(sy, sd, strict=True) if d)), "gold",
          dict(collections.Counter((y, d) for y, d in zip(gy, gd, strict=True) if d)))
    words = function_words(list(scounts), args.words)
    gx = with_words(np.array(gx_rows), list(gcounts), words)
    sx = with_words(np.array(sx_rows), list(scounts), words)
    groups = [hashlib.sha1(re.sub(r"\W+", "", r["text"])[:80].encode()).hexdigest()
              for r in silver]

    chosen = (args.c, args.gold_weight, args.balance)
    settings = [chosen]
    if args.grid:
        settings += [(c, w, b) for c in (0.1, 0.3) for w in (1.0, 5.0)
                     for b in (0.0, 0.5) if (c, w, b) != chosen]
    for c, w, b in settings:
        gold_pairs, silver_pairs = cross_validate(gx, gy, list(gd), sx, sy, list(sd), groups,
                                                  c, w, b, words)
        print(f"C={c} gold weight={w} balance={b}: 5-fold CV accuracy gold "
              f"{accuracy(gold_pairs):.3f} ({len(gold_pairs)} documents), silver "
              f"{accuracy(silver_pairs):.3f} ({len(silver_pairs)} documents; mean recall over "
              f"genres {macro_recall(silver_pairs):.3f})", flush=True)
        if (c, w, b) == chosen:
            print("gold (dev, held out):\n" + confusion(gold_pairs))
            print("silver (held out):\n" + confusion(silver_pairs))

    if args.no_write:
        return 0
    x = np.vstack([sx, gx])
    y = sy + gy
    weights = np.concatenate([np.ones(len(sy)), np.full(len(gy), args.gold_weight)])
    model = fit(x, y, weights, args.c, args.balance, words)
    data = {
        "about": "rasad genre model: multinomial logistic regression over the features of "
                 "rasad.extract.genre (cue-category densities, text statistics and the "
                 "frequencies of the commonest words listed under 'words'; feature weights and "
                 "that word list only, no text). Built by scripts/train_genre.py.",
        "trained_on": {"gold": dict(collections.Counter(gy)),
                       "silver": dict(collections.Counter(sy)),
                       "c": args.c, "gold_weight": args.gold_weight,
                       "balance": args.balance, "seed": SEED},
        "classes": list(model.classes), "features": list(model.features),
        "mean": [round(v, 6) for v in model.mean], "scale": [round(v, 6) for v in model.scale],
        "coef": [[round(v, 6) for v in row] for row in model.coef],
        "intercept": [round(v, 6) for v in model.intercept],
        "words": list(words),
    }
    MODEL.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {MODEL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
