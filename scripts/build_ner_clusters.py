"""Learn word clusters for NER experiments from a corpus (PPMI-SVD + k-means); not shipped.

The packaged NER model uses no clusters since 2026-12-05: the clusters learnt from SaudiNewsNet
were under its non-commercial licence, and those learnt from the permissively licensed texts at
hand (ANERcorp train, the Wojood sample) scored lower than none (docs/ner.md).  The script is
kept for experiments; it writes outside the package by default, and a file it writes may only
be shipped (as ``src/rasad/data/ner/clusters.tsv.gz``, read by the tagger when present, with a
model trained on it) when its corpus' licence allows, with a NOTICE line.

Reads ``articles.jsonl.gz`` (30K Saudi news articles, CC BY-NC-SA 4.0: research use only), or
with ``--conll`` the first column of CoNLL files, normalises and tokenises every
title and text with rasad's own `normalize_form` and `tokenize` (so the words are those the
pipeline sees), and builds word vectors the count-based way (Levy, Goldberg & Dagan 2015):

1. co-occurrence counts of every word seen at least ``--min-count`` times with the
   ``--contexts`` most frequent words at each of the offsets -2, -1, +1, +2 (a separate context
   block per offset, so left and right neighbours differ);
2. positive PMI with context-distribution smoothing (alpha 0.75);
3. a truncated SVD to ``--dim`` dimensions, rows U·√S, unit length;
4. spherical k-means at several granularities (``--k``, seeded).

Writes a gzipped TSV ``word<TAB>cluster…`` (one column per granularity, words by descending
frequency) to ``build/ner/clusters.tsv.gz``.  Needs the ``build`` extra (numpy, scipy).

    python scripts/build_ner_clusters.py \
        --corpus ../shared/data/corpora/saudinewsnet/articles.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds

from rasad.ner.conll import read_conll
from rasad.ner.tagger import is_word
from rasad.text.normalize import normalize_form
from rasad.text.segment import tokenize

OFFSETS = (-2, -1, 1, 2)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "build/ner/clusters.tsv.gz"


def read_corpus(path: Path) -> list[list[str]]:
    """Normalised tokens of every article (title, then text), in file order."""
    articles = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            text = (record.get("title") or "") + "\n" + (record.get("text") or "")
            articles.append([t.text for t in tokenize(normalize_form(text))])
    return articles


def read_conll_corpus(paths: list[Path], skip_tenth: int | None) -> list[list[str]]:
    """Normalised word tokens of every sentence of CoNLL files (first column), optionally
    without one contiguous tenth of each file's sentences (the tenth `train_ner.py --mode dev
    --dev-fold K` holds out, so that a dev score never sees clusters built on its own text)."""
    sentences = []
    for path in paths:
        found = read_conll(path)
        if skip_tenth is not None:
            lo, hi = len(found) * skip_tenth // 10, len(found) * (skip_tenth + 1) // 10
            found = found[:lo] + found[hi:]
        for sentence in found:
            words = [normalize_form(w) for w in sentence.tokens]
            sentences.append([w for w in words if is_word(w)])
    return sentences


def cooccurrence(articles: list[list[str]], vocab: dict[str, int],
                 n_contexts: int) -> sp.csr_matrix:
    """Counts of (word, offset-context) pairs; contexts are the first `n_contexts` vocab ids."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for words in articles:
        ids = np.fromiter((vocab.get(w, -1) for w in words), dtype=np.int64, count=len(words))
        for block, offset in enumerate(OFFSETS):
            if offset > 0:
                target, context = ids[:-offset], ids[offset:]
            else:
                target, context = ids[-offset:], ids[:offset]
            keep = (target >= 0) & (context >= 0) & (context < n_contexts)
            rows.append(target[keep])
            cols.append(context[keep] + block * n_contexts)
    row = np.concatenate(rows)
    col = np.concatenate(cols)
    data = np.ones(len(row), dtype=np.float64)
    shape = (len(vocab), n_contexts * len(OFFSETS))
    return sp.coo_matrix((data, (row, col)), shape=shape).tocsr()


def ppmi(counts: sp.csr_matrix, alpha: float = 0.75) -> sp.csr_matrix:
    """Positive PMI with the context distribution raised to `alpha`."""
    total = counts.sum()
    word_p = np.asarray(counts.sum(axis=1)).ravel() / total
    context_counts = np.asarray(counts.sum(axis=0)).ravel() ** alpha
    context_p = context_counts / context_counts.sum()
    coo = counts.tocoo()
    with np.errstate(divide="ignore"):
        pmi = np.log(coo.data / total) - np.log(word_p[coo.row]) - np.log(context_p[coo.col])
    keep = pmi > 0
    return sp.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=counts.shape)


def spherical_kmeans(vectors: np.ndarray, k: int, weights: np.ndarray, seed: int,
                     iterations: int = 25) -> np.ndarray:
    """Cluster ids of unit `vectors` (cosine k-means, seeded; frequent words weigh more)."""
    rng = np.random.default_rng(seed)
    # Seed centroids among the frequent words so that each starts in a dense region.
    pool = min(len(vectors), max(20 * k, 20000))
    centroids = vectors[rng.choice(pool, size=k, replace=False)].copy()
    labels = np.zeros(len(vectors), dtype=np.int64)
    for _ in range(iterations):
        new_labels = np.empty_like(labels)
        for lo in range(0, len(vectors), 20000):
            new_labels[lo:lo + 20000] = np.argmax(vectors[lo:lo + 20000] @ centroids.T, axis=1)
        changed = int(np.sum(new_labels != labels))
        labels = new_labels
        sums = np.zeros_like(centroids)
        np.add.at(sums, labels, vectors * weights[:, None])
        norms = np.linalg.norm(sums, axis=1)
        empty = norms == 0
        if empty.any():  # re-seed an empty cluster on a random word
            sums[empty] = vectors[rng.choice(len(vectors), size=int(empty.sum()), replace=False)]
            norms = np.linalg.norm(sums, axis=1)
        centroids = sums / norms[:, None]
        if changed < len(vectors) // 1000:
            break
    return labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path,
                        default=Path("../shared/data/corpora/saudinewsnet/articles.jsonl.gz"))
    parser.add_argument("--conll", type=Path, action="append", default=[],
                        help="learn from these CoNLL files (first column) instead of --corpus "
                        "(repeatable)")
    parser.add_argument("--skip-tenth", type=int, default=None,
                        help="with --conll, leave out this tenth (0-9) of each file's sentences")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--contexts", type=int, default=10000)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--k", type=int, nargs="+", default=[32, 128, 512, 2048])
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    articles = (read_conll_corpus(args.conll, args.skip_tenth) if args.conll
                else read_corpus(args.corpus))
    frequency = Counter(w for words in articles for w in words)
    words = sorted((w for w, n in frequency.items() if n >= args.min_count),
                   key=lambda w: (-frequency[w], w))
    vocab = {w: i for i, w in enumerate(words)}
    print(f"{len(articles):,} articles, {sum(frequency.values()):,} tokens, "
          f"{len(words):,} words seen ≥ {args.min_count} times "
          f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    matrix = ppmi(cooccurrence(articles, vocab, args.contexts))
    print(f"PPMI {matrix.shape}, {matrix.nnz:,} cells ({time.perf_counter() - started:.0f} s)",
          file=sys.stderr)
    rng = np.random.default_rng(args.seed)
    v0 = rng.standard_normal(min(matrix.shape))
    u, s, _ = svds(matrix, k=args.dim, v0=v0)
    vectors = u * np.sqrt(s)[None, :]
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    vectors /= norms[:, None]
    print(f"SVD to {args.dim} dimensions ({time.perf_counter() - started:.0f} s)",
          file=sys.stderr)

    weights = np.log1p(np.array([frequency[w] for w in words], dtype=np.float64))
    columns = []
    for k in args.k:
        columns.append(spherical_kmeans(vectors, k, weights, seed=args.seed + k))
        print(f"k-means k={k} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the gzip bytes identical across runs.
    with open(args.out, "wb") as raw, \
            gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        header = "# word\t" + "\t".join(f"k{k}" for k in args.k) + "\n"
        gz.write(header.encode("utf-8"))
        for i, w in enumerate(words):
            line = w + "\t" + "\t".join(str(int(c[i])) for c in columns) + "\n"
            gz.write(line.encode("utf-8"))
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes) "
          f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
