"""Train the packaged Arabic NER model (python-crfsuite) on ANERcorp, and score it.

Reads the ANERcorp training file (CAMeL split, CC BY-SA 4.0), normalises every token with
rasad's `normalize_form`, leaves punctuation tokens out (the pipeline's tokenizer drops them, so
the model never sees them), builds features with `rasad.ner.features` (the word lists of
``src/rasad/data/ner/``, and word clusters only where a ``clusters.tsv.gz`` is there or
``--clusters`` names one: the shipped model uses none) and trains a first-order CRF with L-BFGS
and elastic-net regularisation.

``--mode dev`` holds out a tenth of the training sentences and scores it (all model choices were
made on the last tenth); ``--mode final`` trains on all of them and writes
``src/rasad/data/ner/model.crfsuite``.  ``--score FILE`` scores the model it trained on another
CoNLL file (for the record only: the test file was never used for any choice).  Scores are
entity-level micro P/R/F1 (conlleval rules), with punctuation tokens as the CoNLL file has them
(punctuation tagged "O") and without them (as the pipeline sees sentences).

    python scripts/train_ner.py --mode final --score ../shared/data/ner/anercorp/test.conll
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pycrfsuite

from rasad.eval.ner import EntityScore
from rasad.ner.conll import ConllSentence, read_conll
from rasad.ner.features import FeatureExtractor, NerResources
from rasad.ner.tagger import CrfTagger, data_dir, is_word

SHARED = Path("../shared/data/ner")
DEFAULT_PARAMS = {"c1": 0.05, "c2": 0.02, "max_iterations": 300}


def training_pairs(sentences: list[ConllSentence]) -> list[tuple[list[str], list[str]]]:
    """(words, tags) per sentence, punctuation tokens left out (an entity they split is rejoined
    by the I- tags around them)."""
    pairs = []
    for sentence in sentences:
        tags = sentence.column(-1)
        kept = [(w, t) for w, t in zip(sentence.tokens, tags, strict=True) if is_word(w)]
        if kept:
            words, kept_tags = zip(*kept, strict=True)
            pairs.append((list(words), list(kept_tags)))
    return pairs


WOJOOD_TYPES = {"PERS": "PERS", "GPE": "LOC", "LOC": "LOC", "ORG": "ORG"}


def wojood_pairs(folder: Path) -> list[tuple[list[str], list[str]]]:
    """(words, tags) of the Wojood sample (MIT): outermost entities, mapped to ANERcorp's types
    (PERS; GPE and LOC → LOC; ORG); every other type becomes O.  Only its train and val files:
    a file whose name says test is never trained on."""
    pairs = []
    for name in ("train.txt", "val.txt"):
        for sentence in read_conll(folder / name):
            tags = []
            for columns in sentence.columns:
                prefix, _, kind = columns[0].partition("-")
                mapped = WOJOOD_TYPES.get(kind)
                tags.append(f"{prefix}-{mapped}" if mapped else "O")
            pairs += training_pairs([ConllSentence(sentence.lines, sentence.tokens,
                                                   [[t] for t in tags])])
    return pairs


def train(pairs: list[tuple[list[str], list[str]]], features: FeatureExtractor, model_path: Path,
          params: dict[str, float], seed_note: str = "") -> float:
    """Train a CRF on (words, tags) pairs and write it to `model_path`; returns seconds taken."""
    started = time.perf_counter()
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for words, tags in pairs:
        trainer.append(features.sentence_features(words), tags)
    trainer.set_params({
        "c1": params["c1"], "c2": params["c2"], "max_iterations": int(params["max_iterations"]),
        "feature.possible_transitions": True,
        "feature.minfreq": params.get("minfreq", 0),
    })
    trainer.train(str(model_path))
    elapsed = time.perf_counter() - started
    print(f"trained on {len(pairs):,} sentences in {elapsed:.0f} s{seed_note}", file=sys.stderr)
    return elapsed


def score(tagger: CrfTagger, sentences: list[ConllSentence]) -> tuple[EntityScore, EntityScore]:
    """Scores with punctuation tokens (as in the file) and without them (as the pipeline)."""
    with_punct = EntityScore()
    without_punct = EntityScore()
    for sentence in sentences:
        gold = sentence.column(-1)
        predicted = tagger.tag(sentence.tokens)
        with_punct.add(gold, predicted)
        kept = [i for i, w in enumerate(sentence.tokens) if is_word(w)]
        without_punct.add([gold[i] for i in kept], [predicted[i] for i in kept])
    return with_punct, without_punct


def report(name: str, scores: tuple[EntityScore, EntityScore]) -> None:
    for condition, entity_score in zip(("with punctuation", "without punctuation"), scores,
                                       strict=True):
        print(f"\n{name}, {condition}:")
        print("\n".join(entity_score.table()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=Path, default=SHARED / "anercorp/train.conll")
    parser.add_argument("--mode", choices=("dev", "final"), default="dev")
    parser.add_argument("--dev-fold", type=int, default=9,
                        help="in dev mode, which tenth of the training sentences (0-9, as "
                        "contiguous blocks) is held out; 9, the last, made every choice")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where clusters.tsv.gz (if any), wordlists.tsv.gz and "
                        "frequencies.tsv.gz are read and, in final mode, model.crfsuite is "
                        "written (default: the package's data/ner)")
    parser.add_argument("--clusters", type=Path, default=None)
    parser.add_argument("--model", type=Path, default=None, help="where to write the model")
    parser.add_argument("--wojood", type=Path, default=None,
                        help="also train on the Wojood sample in this folder (mapped types)")
    parser.add_argument("--c1", type=float, default=DEFAULT_PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=DEFAULT_PARAMS["c2"])
    parser.add_argument("--max-iterations", type=int, default=DEFAULT_PARAMS["max_iterations"])
    parser.add_argument("--score", type=Path, action="append", default=[],
                        help="also score the trained model on this CoNLL file (repeatable)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    folder = args.data_dir or data_dir()
    resources = NerResources.from_files(args.clusters or folder / "clusters.tsv.gz",
                                        folder / "wordlists.tsv.gz",
                                        folder / "frequencies.tsv.gz")
    features = FeatureExtractor(resources)
    sentences = read_conll(args.train)
    if args.mode == "dev":
        lo = len(sentences) * args.dev_fold // 10
        hi = len(sentences) * (args.dev_fold + 1) // 10
        train_sentences = sentences[:lo] + sentences[hi:]
        dev_sentences = sentences[lo:hi]
    else:
        train_sentences, dev_sentences = sentences, []
    params = {"c1": args.c1, "c2": args.c2, "max_iterations": args.max_iterations}
    with tempfile.TemporaryDirectory() as tmp:
        model_path = args.model or (folder / "model.crfsuite" if args.mode == "final"
                                    else Path(tmp) / "model.crfsuite")
        pairs = training_pairs(train_sentences)
        if args.wojood is not None:
            pairs += wojood_pairs(args.wojood)
        train(pairs, features, model_path, params)
        print(f"model {model_path} ({model_path.stat().st_size / 1e6:.2f} MB)", file=sys.stderr)
        tagger = CrfTagger(model_path, FeatureExtractor(resources))
        if dev_sentences:
            report(f"dev (tenth {args.dev_fold} of the training sentences, "
                   f"{len(dev_sentences)} sentences)",
                   score(tagger, dev_sentences))
        for path in args.score:
            report(str(path), score(tagger, read_conll(path)))
    print(f"\ntotal {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
