"""Experiment: a small neural NER tagger (char-CNN + word vectors + BiLSTM + CRF) against the CRF.

Not part of the package (torch is no dependency of rasad, and nothing here is wired into the
pipeline); the results are in ``docs/ner_neural_results.md``.  Everything runs on one CPU thread
(torch.set_num_threads(1), OMP/MKL_NUM_THREADS=1) and is seeded (seed 13).

Data and licences:

- ANERcorp, CAMeL split (``../shared/data/ner/anercorp/train.conll``; CC BY-SA 4.0, so a model
  trained on it is CC BY-SA 4.0 too).  Tokens are normalised with `normalize_form`; punctuation
  tokens are left out, as the pipeline's tokenizer drops them (as ``scripts/train_ner.py`` does).
  ``dev`` holds out one contiguous tenth of the training sentences (the same tenths as
  ``train_ner.py --mode dev``); every choice was made on tenths 9, 5 and 0, never on a test file.
- SaudiNewsNet (``../shared/data/corpora/saudinewsnet/articles.jsonl.gz``, CC BY-NC-SA 4.0) for
  the word vectors: PPMI-SVD of the 50,000 most frequent words to 64 dimensions (the code path of
  ``scripts/build_ner_clusters.py``: offsets -2, -1, +1, +2, 10,000 contexts), unit rows.
- The CRF's packaged ``src/rasad/data/ner/clusters.tsv.gz`` (cluster ids at k = 128, 512, 2048)
  and ``wordlists.tsv.gz`` (place / person / organisation lists).
- ``--wojood DIR`` adds the Wojood sample's train.txt and val.txt (MIT), mapped as in
  ``train_ner.py``; tried on the tenths and left out (see the results file).

Model, per word: its vector (form, else the form without و/ف/ب/ل/ك, else the stem without the
article, else UNK), fine-tuned (SparseAdam) and shipped as float16; word dropout 0.05 (to UNK);
a char-CNN over its letters (32-d chars, width 3, 64 filters, max-pooled); three 16-d cluster-id
embeddings; 13 bits (six word lists, proclitics و/ف, ب/ل/ك, ال, shape).  Dropout 0.5, one BiLSTM
layer (2 × 128), a linear layer to the nine BIO tags and a linear-chain CRF (Viterbi in numpy
after the ONNX model).  Adam (lr 2e-3, linear decay to 2e-4), 15 epochs, batches of 16 sentences
(split at 120 words), gradient norm clipped at 5.

From the repository root, with the data in ``../shared`` (on one core of the 2-core
development machine):

    export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
    python scripts/train_ner_neural.py vectors                  # 35 s
    python scripts/train_ner_neural.py dev --fold 9             # 3.6 min (15 epochs of ~14 s)
    python scripts/train_ner_neural.py final \\
        --score ../shared/data/ner/anercorp/test.conll          # 3.3 min: train, ONNX, score
    python scripts/train_ner_neural.py bench                    # 1.5 min: onnxruntime speed

Outputs go to ``--work`` (default ``build/ner_neural``, not committed): vectors.npz, model.pt,
ner.onnx, vocab.txt.gz, crf.npz.  Needs torch, numpy, scipy, onnx and onnxruntime (none of them
rasad dependencies; ``pip install -e '.[build]' torch onnx onnxruntime``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np
import torch
from torch import nn

from rasad.eval.ner import EntityScore
from rasad.ner.conll import ConllSentence, read_conll
from rasad.ner.features import NerResources, split_clitics, word_shape
from rasad.ner.tagger import data_dir, is_word
from rasad.text.normalize import normalize_form
from rasad.text.segment import segment, tokenize

torch.set_num_threads(1)

SHARED = Path("../shared/data")
TAGS = ("O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
LISTS = ("LOC", "LOC_part", "PERS_first", "PERS_part", "ORG_head", "ORG_part")
SHAPES = ("arabic", "latin", "digits", "mixed")
N_BITS = len(LISTS) + 3 + len(SHAPES)
INPUTS = ("wids", "cids", "bits", "clus")
MAX_CHARS = 20
CHUNK = 120
SEED = 13


# ----------------------------------------------------------------------------- word vectors

def build_vectors(corpus: Path, out: Path, n_vocab: int, dim: int, n_contexts: int) -> None:
    """PPMI-SVD vectors of the `n_vocab` most frequent corpus words → ``vectors.npz``."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from scipy.sparse.linalg import svds

    from build_ner_clusters import cooccurrence, ppmi, read_corpus

    started = time.perf_counter()
    articles = read_corpus(corpus)
    frequency = Counter(w for words in articles for w in words)
    words = sorted(frequency, key=lambda w: (-frequency[w], w))[:n_vocab]
    vocab = {w: i for i, w in enumerate(words)}
    print(f"{len(articles):,} articles, {sum(frequency.values()):,} tokens, vocab {len(words):,} "
          f"(min count {frequency[words[-1]]}) ({time.perf_counter() - started:.0f} s)",
          file=sys.stderr)
    matrix = ppmi(cooccurrence(articles, vocab, n_contexts))
    rng = np.random.default_rng(SEED)
    u, s, _ = svds(matrix, k=dim, v0=rng.standard_normal(min(matrix.shape)))
    order = np.argsort(-s)
    vectors = u[:, order] * np.sqrt(s[order])[None, :]
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    vectors /= norms[:, None]
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, words=np.array(words), vectors=vectors.astype(np.float16))
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)


# ----------------------------------------------------------------------------- word encoding

class Encoder:
    """Word → (vector id, char ids, bits); the ids the ONNX model takes."""

    def __init__(self, words: list[str], wordlists: dict[str, str],
                 clusters: dict[str, str] | None = None) -> None:
        self.clusters = clusters or {}  # word → ids at k = 32, 128, 512, 2048 (CRF's file)
        self.word_id = {w: i + 2 for i, w in enumerate(words)}  # 0 pad, 1 unknown
        self.rank = {w: i for i, w in enumerate(words)}
        chars = Counter(c for w in words for c in w)
        self.chars = [c for c, n in sorted(chars.items(), key=lambda x: (-x[1], x[0])) if n >= 5]
        self.char_id = {c: i + 2 for i, c in enumerate(self.chars)}  # 0 pad, 1 unknown
        self.wordlists = wordlists
        self._cache: dict[str, tuple[int, list[int], list[float], list[int]]] = {}

    def encode(self, raw: str) -> tuple[int, list[int], list[float], list[int]]:
        cached = self._cache.get(raw)
        if cached is not None:
            return cached
        word = normalize_form(raw)
        split = split_clitics(word, self.rank)
        wid = (self.word_id.get(word) or self.word_id.get(split.article + split.stem)
               or self.word_id.get(split.stem) or 1)
        cids = [self.char_id.get(c, 1) for c in word[:MAX_CHARS]] or [1]
        found = (self.wordlists.get(word) or self.wordlists.get(split.article + split.stem)
                 or self.wordlists.get(split.stem) or "").split(",")
        bits = [float(name in found) for name in LISTS]
        bits += [float(bool(split.conjunction)), float(bool(split.preposition)),
                 float(bool(split.article))]
        shape = word_shape(word)
        bits += [float(shape == s) for s in SHAPES]
        found_ids = (self.clusters.get(word) or self.clusters.get(split.article + split.stem)
                     or self.clusters.get(split.stem))
        # cluster ids + 1 (0: the word has none), at k = 128, 512, 2048
        clus = [int(c) + 1 for c in found_ids.split("\t")[1:]] if found_ids else [0, 0, 0]
        result = (wid, cids, bits, clus)
        self._cache[raw] = result
        return result

    def batch(self, sentences: list[list[str]]) -> tuple[np.ndarray, ...]:
        """Padded arrays (batch, time) word ids, (batch, time, chars) char ids, bits, cluster
        ids (batch, time, 3), lengths."""
        lengths = np.array([len(s) for s in sentences], dtype=np.int64)
        t = int(lengths.max())
        encoded = [[self.encode(w) for w in s] for s in sentences]
        c = max(len(e[1]) for s in encoded for e in s)
        c = max(c, 3)
        wids = np.zeros((len(sentences), t), dtype=np.int64)
        cids = np.zeros((len(sentences), t, c), dtype=np.int64)
        bits = np.zeros((len(sentences), t, N_BITS), dtype=np.float32)
        clus = np.zeros((len(sentences), t, 3), dtype=np.int64)
        for b, sentence in enumerate(encoded):
            for i, (wid, chars, bit, cl) in enumerate(sentence):
                wids[b, i] = wid
                cids[b, i, :len(chars)] = chars
                bits[b, i] = bit
                clus[b, i] = cl
        return wids, cids, bits, clus, lengths


# ----------------------------------------------------------------------------- model

class Tagger(nn.Module):
    def __init__(self, vectors: np.ndarray, n_chars: int, char_dim: int = 32, filters: int = 64,
                 hidden: int = 128, dropout: float = 0.5, tune_words: bool = False,
                 word_dropout: float = 0.0, crf: bool = False, cluster_dim: int = 0,
                 layers: int = 1) -> None:
        super().__init__()
        table = np.zeros((vectors.shape[0] + 2, vectors.shape[1]), dtype=np.float16)
        table[2:] = vectors
        self.word_dropout = word_dropout
        if tune_words:
            self.table = nn.Parameter(torch.from_numpy(table).float())
        else:
            # float16 in the exported graph (Gather, then Cast): half the shipped size.
            self.register_buffer("table", torch.from_numpy(table))
        self.char_emb = nn.Embedding(n_chars + 2, char_dim, padding_idx=0)
        self.conv = nn.Conv1d(char_dim, filters, kernel_size=3, padding=1)
        self.dropout = nn.Dropout(dropout)
        self.lstm = nn.LSTM(vectors.shape[1] + filters + N_BITS + 3 * cluster_dim, hidden,
                            batch_first=True, bidirectional=True, num_layers=layers,
                            dropout=dropout if layers > 1 else 0.0)
        self.out = nn.Linear(2 * hidden, len(TAGS))
        self.crf = CrfHead(len(TAGS)) if crf else None
        self.cluster_emb = nn.ModuleList(nn.Embedding(k + 1, cluster_dim)
                                         for k in (128, 512, 2048)) if cluster_dim else None

    def features(self, wids: torch.Tensor, cids: torch.Tensor, bits: torch.Tensor,
                 clus: torch.Tensor) -> torch.Tensor:
        b, t, c = cids.shape
        if self.training and self.word_dropout > 0:
            drop = torch.rand(wids.shape) < self.word_dropout
            wids = wids.masked_fill(drop & (wids > 0), 1)
        if self.table.dtype == torch.float16:
            words = self.table[wids].float()
        else:  # fine-tuned: sparse gradients (SparseAdam)
            words = nn.functional.embedding(wids, self.table, sparse=True)
        chars = self.char_emb(cids.reshape(b * t, c)).transpose(1, 2)
        chars = torch.relu(self.conv(chars))
        chars = chars.masked_fill((cids.reshape(b * t, 1, c) == 0), 0.0).amax(dim=2)
        parts = [words, chars.reshape(b, t, -1), bits]
        if self.cluster_emb is not None:
            parts += [emb(clus[:, :, k]) for k, emb in enumerate(self.cluster_emb)]
        return torch.cat(parts, dim=2)

    def forward(self, wids: torch.Tensor, cids: torch.Tensor, bits: torch.Tensor,
                clus: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        x = self.dropout(self.features(wids, cids, bits, clus))
        if lengths is not None:
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True,
                                                       enforce_sorted=False)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
        else:
            h, _ = self.lstm(x)
        return self.out(self.dropout(h))


class CrfHead(nn.Module):
    """A linear-chain CRF over the tagger's emissions (negative log-likelihood, Viterbi)."""

    def __init__(self, n_tags: int) -> None:
        super().__init__()
        self.trans = nn.Parameter(torch.zeros(n_tags, n_tags))  # from → to
        self.start = nn.Parameter(torch.zeros(n_tags))
        self.end = nn.Parameter(torch.zeros(n_tags))

    def nll(self, emissions: torch.Tensor, gold: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        t = emissions.shape[1]
        tags = gold.clamp(min=0)
        maskf = mask.float()
        score = self.start[tags[:, 0]] + emissions[:, 0].gather(1, tags[:, :1]).squeeze(1)
        for i in range(1, t):
            step = self.trans[tags[:, i - 1], tags[:, i]] + \
                emissions[:, i].gather(1, tags[:, i:i + 1]).squeeze(1)
            score = score + step * maskf[:, i]
        last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
        score = score + self.end[last]
        alpha = self.start + emissions[:, 0]
        for i in range(1, t):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans.unsqueeze(0), dim=1) + \
                emissions[:, i]
            alpha = torch.where(mask[:, i:i + 1], nxt, alpha)
        log_z = torch.logsumexp(alpha + self.end, dim=1)
        return (log_z - score).sum() / mask.sum()


def viterbi(emissions: np.ndarray, length: int, trans: np.ndarray, start: np.ndarray,
            end: np.ndarray) -> list[int]:
    """Best tag ids of one sentence's emissions (numpy; used after the ONNX model too)."""
    score = start + emissions[0]
    back = []
    for i in range(1, length):
        total = score[:, None] + trans
        back.append(total.argmax(axis=0))
        score = total.max(axis=0) + emissions[i]
    best = [int((score + end).argmax())]
    for pointers in reversed(back):
        best.append(int(pointers[best[-1]]))
    return best[::-1]


# ----------------------------------------------------------------------------- data

def word_pairs(sentences: list[ConllSentence]) -> list[tuple[list[str], list[str]]]:
    pairs = []
    for sentence in sentences:
        kept = [(w, t) for w, t in zip(sentence.tokens, sentence.column(-1), strict=True)
                if is_word(w)]
        if kept:
            words, tags = zip(*kept, strict=True)
            pairs.append((list(words), list(tags)))
    return pairs


def chunks(pairs: list[tuple[list[str], list[str]]]) -> list[tuple[list[str], list[str]]]:
    out = []
    for words, tags in pairs:
        for lo in range(0, len(words), CHUNK):
            out.append((words[lo:lo + CHUNK], tags[lo:lo + CHUNK]))
    return out


def load_encoder(work: Path) -> tuple[Encoder, np.ndarray]:
    data = np.load(work / "vectors.npz")
    words = [str(w) for w in data["words"]]
    resources = NerResources.from_files(data_dir() / "clusters.tsv.gz",
                                        data_dir() / "wordlists.tsv.gz")
    return Encoder(words, resources.wordlists, resources.clusters), data["vectors"]


def tag_sentences(model: Tagger, encoder: Encoder, sentences: list[list[str]],
                  batch_size: int = 64) -> list[list[str]]:
    """Tags of sentences of words (no punctuation), in batches of similar length."""
    model.eval()
    out: list[list[str]] = [[] for _ in sentences]
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    with torch.no_grad():
        for lo in range(0, len(order), batch_size):
            idx = order[lo:lo + batch_size]
            arrays = [torch.from_numpy(a) for a in encoder.batch([sentences[i] for i in idx])]
            lengths = arrays[-1]
            logits = model(*arrays)
            if model.crf is None:
                best = logits.argmax(dim=2).numpy()
                for row, i in enumerate(idx):
                    out[i] = [TAGS[k] for k in best[row, :lengths[row]]]
            else:
                crf = [x.detach().numpy() for x in (model.crf.trans, model.crf.start,
                                                    model.crf.end)]
                emissions = logits.numpy()
                for row, i in enumerate(idx):
                    out[i] = [TAGS[k] for k in viterbi(emissions[row], int(lengths[row]), *crf)]
    return out


def score(model: Tagger, encoder: Encoder, sentences: list[ConllSentence]
          ) -> tuple[EntityScore, EntityScore]:
    """Entity scores with punctuation (tagged O, as in the file) and without it."""
    kept = [[i for i, w in enumerate(s.tokens) if is_word(w)] for s in sentences]
    inputs = [[s.tokens[i] for i in k] for s, k in zip(sentences, kept, strict=True)]
    nonempty = [j for j, x in enumerate(inputs) if x]
    tagged = tag_sentences(model, encoder, [inputs[j] for j in nonempty])
    predicted_words: list[list[str]] = [[] for _ in sentences]
    for j, tags in zip(nonempty, tagged, strict=True):
        predicted_words[j] = tags
    with_punct, without_punct = EntityScore(), EntityScore()
    for sentence, k, tags in zip(sentences, kept, predicted_words, strict=True):
        gold = sentence.column(-1)
        full = ["O"] * len(gold)
        for i, tag in zip(k, tags, strict=True):
            full[i] = tag
        with_punct.add(gold, full)
        without_punct.add([gold[i] for i in k], tags)
    return with_punct, without_punct


def train(pairs: list[tuple[list[str], list[str]]], encoder: Encoder, vectors: np.ndarray,
          epochs: int, dev: list[ConllSentence] | None = None, lr: float = 2e-3,
          batch_size: int = 16, hidden: int = 128, dropout: float = 0.5,
          tune_words: bool = False, word_dropout: float = 0.0, crf: bool = False,
          cluster_dim: int = 0, decay: bool = False, layers: int = 1) -> Tagger:
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    model = Tagger(vectors, len(encoder.chars), hidden=hidden, dropout=dropout,
                   tune_words=tune_words, word_dropout=word_dropout, crf=crf,
                   cluster_dim=cluster_dim, layers=layers)
    dense = [p for name, p in model.named_parameters() if name != "table"]
    optimisers = [torch.optim.Adam(dense, lr=lr)]
    if tune_words:
        optimisers.append(torch.optim.SparseAdam([model.table], lr=lr))
    tag_id = {t: i for i, t in enumerate(TAGS)}
    data = chunks(pairs)
    # Precomputed padded batches of similar length, shuffled each epoch.
    data.sort(key=lambda p: len(p[0]))
    batches = []
    for lo in range(0, len(data), batch_size):
        part = data[lo:lo + batch_size]
        arrays = encoder.batch([w for w, _ in part])
        gold = np.full(arrays[0].shape, -100, dtype=np.int64)
        for b, (_, tags) in enumerate(part):
            gold[b, :len(tags)] = [tag_id[t] for t in tags]
        batches.append(tuple(torch.from_numpy(a) for a in (*arrays, gold)))
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        if decay:  # linear decay of the learning rate to a tenth over the epochs
            for optimiser in optimisers:
                for group in optimiser.param_groups:
                    group["lr"] = lr * (1 - 0.9 * (epoch - 1) / max(1, epochs - 1))
        model.train()
        random.shuffle(batches)
        total = 0.0
        for *arrays, gold in batches:
            for optimiser in optimisers:
                optimiser.zero_grad()
            logits = model(*arrays)
            if model.crf is None:
                loss = loss_fn(logits.reshape(-1, len(TAGS)), gold.reshape(-1))
            else:
                loss = model.crf.nll(logits, gold, gold >= 0)
            loss.backward()
            nn.utils.clip_grad_norm_(dense, 5.0)
            for optimiser in optimisers:
                optimiser.step()
            total += float(loss.detach())
        line = (f"epoch {epoch}: loss {total / len(batches):.4f} "
                f"({time.perf_counter() - started:.0f} s)")
        if dev is not None:
            with_p, without_p = score(model, encoder, dev)
            line += (f"  dev F1 {with_p.overall()[2]:.4f} "
                     f"(without punct {without_p.overall()[2]:.4f})")
        print(line, file=sys.stderr, flush=True)
    return model


def report(name: str, scores: tuple[EntityScore, EntityScore]) -> None:
    for condition, entity_score in zip(("with punctuation", "without punctuation"), scores,
                                       strict=True):
        print(f"\n{name}, {condition}:")
        print("\n".join(entity_score.table()))


# ----------------------------------------------------------------------------- ONNX + speed

class Exported(nn.Module):
    """The model for one sentence (batch 1, no packing), returning tag ids."""

    def __init__(self, model: Tagger) -> None:
        super().__init__()
        self.model = model

    def forward(self, wids: torch.Tensor, cids: torch.Tensor, bits: torch.Tensor,
                clus: torch.Tensor) -> torch.Tensor:
        emissions = self.model(wids, cids, bits, clus)
        return emissions if self.model.crf is not None else emissions.argmax(dim=2)


def export_onnx(model: Tagger, encoder: Encoder, path: Path) -> None:
    model.eval()
    if model.table.dtype != torch.float16:  # ship the (tuned) table as float16
        table = model.table.detach().half()
        del model.table
        model.register_buffer("table", table)
    *arrays, _ = encoder.batch([["في", "بغداد", "اليوم"]])
    torch.onnx.export(
        Exported(model), tuple(torch.from_numpy(a) for a in arrays),
        str(path), input_names=list(INPUTS), output_names=["out"],
        dynamic_axes={"wids": {0: "b", 1: "t"}, "cids": {0: "b", 1: "t", 2: "c"},
                      "bits": {0: "b", 1: "t"}, "clus": {0: "b", 1: "t"},
                      "out": {0: "b", 1: "t"}},
        opset_version=17, dynamo=False)
    if model.crf is not None:  # transitions for the Viterbi decoding after the ONNX model
        np.savez(path.with_name("crf.npz"),
                 **{k: getattr(model.crf, k).detach().numpy() for k in ("trans", "start", "end")})


def corpus_sentences(corpus: Path, n_articles: int) -> list[list[str]]:
    """Sentences (word tokens) of the first `n_articles` SaudiNewsNet articles (as
    ``benchmarks/ner_speed.py``)."""
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        lines = [line for _, line in zip(range(n_articles), f, strict=False)]
    out = []
    for line in lines:
        text = normalize_form(json.loads(line).get("text") or "")
        tokens = tokenize(text)
        for s in segment(text, tokens):
            words = [t.text for t in tokens[s.first_token:s.last_token]]
            if words:
                out.append(words)
    return out


class OnnxTagger:
    """What would ship: ``ner.onnx`` (float16 word table inside), ``vocab.txt.gz`` (the table's
    words), ``crf.npz`` (transitions, with a CRF head) and the CRF's existing cluster and
    word-list files."""

    def __init__(self, work: Path) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(work / "ner.onnx"), options,
                                            providers=["CPUExecutionProvider"])
        words = gzip.decompress((work / "vocab.txt.gz").read_bytes()).decode("utf-8").split("\n")
        resources = NerResources.from_files(data_dir() / "clusters.tsv.gz",
                                            data_dir() / "wordlists.tsv.gz")
        self.encoder = Encoder(words, resources.wordlists, resources.clusters)
        crf_path = work / "crf.npz"
        self.crf = None
        if crf_path.exists():
            data = np.load(crf_path)
            self.crf = (data["trans"], data["start"], data["end"])

    def tag_batch(self, sentences: list[list[str]]) -> list[list[str]]:
        """Tags of sentences of equal length (padding would change the backward LSTM)."""
        *arrays, lengths = self.encoder.batch(sentences)
        out = self.session.run(None, dict(zip(INPUTS, arrays, strict=True)))[0]
        if self.crf is None:
            return [[TAGS[k] for k in row[:n]] for row, n in zip(out, lengths, strict=True)]
        return [[TAGS[k] for k in viterbi(row, int(n), *self.crf)]
                for row, n in zip(out, lengths, strict=True)]


def write_vocab(work: Path) -> None:
    words = [str(w) for w in np.load(work / "vectors.npz")["words"]]
    with open(work / "vocab.txt.gz", "wb") as raw, \
            gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("\n".join(words).encode("utf-8"))


_COLD_LOAD = """
import gzip, sys, time
t = time.perf_counter()
import numpy as np
import onnxruntime as ort
from rasad.ner.features import NerResources
from rasad.ner.tagger import data_dir
o = ort.SessionOptions(); o.intra_op_num_threads = 1; o.inter_op_num_threads = 1
s = ort.InferenceSession(sys.argv[1] + "/ner.onnx", o, providers=["CPUExecutionProvider"])
words = gzip.decompress(open(sys.argv[1] + "/vocab.txt.gz", "rb").read()).decode().split("\\n")
ids = {w: i + 2 for i, w in enumerate(words)}
r = NerResources.from_files(data_dir() / "clusters.tsv.gz", data_dir() / "wordlists.tsv.gz")
c = np.load(sys.argv[1] + "/crf.npz"); c = (c["trans"], c["start"], c["end"])
print(time.perf_counter() - t)
"""


def bench(work: Path, corpus: Path, n_articles: int) -> None:
    import subprocess

    from rasad.ner.tagger import CrfTagger

    cold = min(float(subprocess.run([sys.executable, "-c", _COLD_LOAD, str(work)], check=True,
                                    capture_output=True, text=True).stdout) for _ in range(3))
    print(f"cold load in a fresh interpreter (import onnxruntime, ONNX session, vocab, clusters, "
          f"word lists; best of 3): {cold:.3f} s")
    started = time.perf_counter()
    tagger = OnnxTagger(work)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    session_only = OnnxTagger.__new__(OnnxTagger)
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session_only.session = ort.InferenceSession(str(work / "ner.onnx"), options,
                                                providers=["CPUExecutionProvider"])
    session_s = time.perf_counter() - started
    sentences = corpus_sentences(corpus, n_articles)
    n_tokens = sum(len(s) for s in sentences)
    print(f"in-process load: ONNX session alone {session_s:.3f} s, with vocab, clusters and word "
          f"lists {load_s:.3f} s; {len(sentences):,} sentences, {n_tokens:,} tokens from "
          f"{n_articles} articles")
    crf = CrfTagger.from_dir(data_dir())
    for run in ("cold", "warm"):
        started = time.perf_counter()
        for sentence in sentences:
            crf.tag(sentence)
        elapsed = time.perf_counter() - started
        print(f"reference, the packaged CRF, {run} feature cache: "
              f"{n_tokens / elapsed:,.0f} tokens/s ({elapsed:.1f} s)")
    by_length: dict[int, list[list[str]]] = {}
    for sentence in sentences:
        by_length.setdefault(len(sentence), []).append(sentence)
    for batch_size in (1, 32):
        for run in ("cold", "warm"):
            if run == "cold":
                tagger.encoder._cache.clear()
            started = time.perf_counter()
            if batch_size == 1:
                for sentence in sentences:
                    tagger.tag_batch([sentence])
            else:
                for group in by_length.values():
                    for lo in range(0, len(group), batch_size):
                        tagger.tag_batch(group[lo:lo + batch_size])
            elapsed = time.perf_counter() - started
            print(f"batch {batch_size:>2} (equal lengths), {run} word cache: "
                  f"{n_tokens / elapsed:,.0f} tokens/s ({elapsed:.1f} s)")
    shipped = [work / name for name in ("ner.onnx", "vocab.txt.gz", "crf.npz")
               if (work / name).exists()]
    print("shipped: " + ", ".join(f"{p.name} {p.stat().st_size / 1e6:.2f} MB" for p in shipped)
          + f"; total {sum(p.stat().st_size for p in shipped) / 1e6:.2f} MB (plus the CRF's "
          "clusters.tsv.gz and wordlists.tsv.gz, already shipped)")


# ----------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("vectors", "dev", "final", "bench"))
    parser.add_argument("--work", type=Path, default=Path("build/ner_neural"))
    parser.add_argument("--corpus", type=Path,
                        default=SHARED / "corpora/saudinewsnet/articles.jsonl.gz")
    parser.add_argument("--train", type=Path, default=SHARED / "ner/anercorp/train.conll")
    parser.add_argument("--vocab", type=int, default=50_000)
    parser.add_argument("--dim", type=int, default=64)
    parser.add_argument("--fold", type=int, default=9)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--tune-words", action=argparse.BooleanOptionalAction, default=True,
                        help="fine-tune the word vectors (the shipped table is then the tuned one)")
    parser.add_argument("--word-dropout", type=float, default=0.05)
    parser.add_argument("--crf", action=argparse.BooleanOptionalAction, default=True,
                        help="a CRF output layer (Viterbi), else softmax")
    parser.add_argument("--cluster-dim", type=int, default=16,
                        help="embed the CRF's cluster ids (k = 128, 512, 2048) in this many dims")
    parser.add_argument("--wojood", type=Path, default=None,
                        help="also train on the Wojood sample's train.txt and val.txt here")
    parser.add_argument("--decay", action=argparse.BooleanOptionalAction, default=True,
                        help="linear learning-rate decay")
    parser.add_argument("--layers", type=int, default=1, help="BiLSTM layers")
    parser.add_argument("--score", type=Path, action="append", default=[])
    parser.add_argument("--bench-articles", type=int, default=1000)
    args = parser.parse_args(argv)
    started = time.perf_counter()

    if args.command == "vectors":
        build_vectors(args.corpus, args.work / "vectors.npz", args.vocab, args.dim, 10_000)
        return 0
    if args.command == "bench":
        bench(args.work, args.corpus, args.bench_articles)
        return 0

    encoder, vectors = load_encoder(args.work)
    sentences = read_conll(args.train)
    if args.command == "dev":
        lo = len(sentences) * args.fold // 10
        hi = len(sentences) * (args.fold + 1) // 10
        train_sentences, dev = sentences[:lo] + sentences[hi:], sentences[lo:hi]
    else:
        train_sentences, dev = sentences, None
    pairs = word_pairs(train_sentences)
    if args.wojood is not None:  # train and val only, types mapped as in train_ner.py
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from train_ner import wojood_pairs
        pairs += wojood_pairs(args.wojood)
    model = train(pairs, encoder, vectors, args.epochs, dev,
                  lr=args.lr, hidden=args.hidden, dropout=args.dropout,
                  tune_words=args.tune_words, word_dropout=args.word_dropout, crf=args.crf,
                  cluster_dim=args.cluster_dim, decay=args.decay, layers=args.layers)
    if dev is not None:
        report(f"dev (tenth {args.fold}, {len(dev)} sentences), after {args.epochs} epochs",
               score(model, encoder, dev))
    else:
        torch.save(model.state_dict(), args.work / "model.pt")
        export_onnx(model, encoder, args.work / "ner.onnx")
        write_vocab(args.work)
        print(f"wrote {args.work / 'ner.onnx'}", file=sys.stderr)
        # The ONNX model (one sentence at a time) must tag as the torch model did.
        check = [w for w, _ in word_pairs(sentences[:300])]
        onnx_tagger = OnnxTagger(args.work)
        same = sum(onnx_tagger.tag_batch([w])[0] == t
                   for w, t in zip(check, tag_sentences(model, encoder, check), strict=True))
        print(f"ONNX and torch agree on {same} of {len(check)} training sentences",
              file=sys.stderr)
        for path in args.score:
            report(str(path), score(model, encoder, read_conll(path)))
    print(f"\ntotal {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
