"""Count, per kind of summary, the gold events and the predictions its sentences hold, and score
the dev files with each kind dropped alone.

`rasad.extract.summaries` drops the trigger mentions that report no new event: acts summed over
a recent period, counted acts, acts only referred to by a reaction.  A rule of it is worth
keeping only where the development gold codes no event (or nearly none) from the sentences it
fires in.  This script runs the extractor with `drop_summaries` off on development gold files
(never a file named test or check), finds the trigger mentions each rule calls a summary, and
prints, per file and per kind: the scored gold events whose evidence holds such a sentence
(matched by a prediction or not) and the predictions read from one (matched to a gold event, or
false alarms); then the file's event P/R/F1 with no kind dropped (the default of
`drop_summaries`), each kind alone, and the suggested set (``tally`` and ``referenced``).  The
counts see only evidence sentences: a summary that stands in for a gold event told in another
sentence (a campaign's period sentence) shows in the scores.

    python scripts/summary_counts.py --shared ../shared [articles_dev.jsonl incidents_dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from rasad.eval.articles import evaluate_articles, scored_document
from rasad.eval.causes import overlap
from rasad.extract.summaries import KINDS, SUGGESTED, Tellings, summary_of
from rasad.io.readers import Failure, document_from_object
from rasad.pipeline import Pipeline
from rasad.settings import Settings

GOLD_FILES = ("articles_dev.jsonl", "incidents_dev.jsonl")
COLUMNS = ("gold matched", "gold missed", "predicted matched", "false alarms")


def count_file(path: Path, pipeline: Pipeline, settings: Settings) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        if obj["gold"]["genre"] == "opinion":
            continue
        doc_id = str(obj["id"])
        raw = document_from_object({k: v for k, v in obj.items() if k != "gold"}, doc_id,
                                   settings, "gold")
        if isinstance(raw, Failure):
            continue
        doc = pipeline.run(raw)
        flagged: dict[str, list[tuple[int, int]]] = {kind: [] for kind in KINDS}
        tellings = Tellings(doc)
        for m in doc.matches:
            if m.kind != "trigger":
                continue
            sentence = doc.sentence_at(m.start)
            kind = summary_of(doc, sentence, m, tellings.cues(sentence), tellings=tellings)
            if kind is not None:
                s = doc.sentences[sentence]
                span = doc.span(s.start, s.end)
                flagged[kind].append((span.start, span.end))
        records = [e.to_dict(doc_id) for e in doc.events]
        scored, _ = scored_document(obj, {"events": records, "published": obj.get("published")
                                          or (doc.published.isoformat() if doc.published
                                              else None)})
        for kind, spans in flagged.items():
            for i, passage in enumerate(scored.gold_passages):
                if passage and any(overlap(passage, s) for s in spans):
                    counts[kind, COLUMNS[0 if i in scored.predicted_of else 1]] += 1
            for j, passage in enumerate(scored.predicted_passages):
                if passage and any(overlap(passage, s) for s in spans):
                    counts[kind, COLUMNS[2 if j in scored.gold_of else 3]] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("files", nargs="*", default=list(GOLD_FILES))
    args = parser.parse_args()
    settings = Settings(drop_summaries=())
    pipeline = Pipeline(settings)
    variants = {"none": (), **{kind: (kind,) for kind in KINDS}, "suggested": SUGGESTED}
    for name in args.files:
        if "test" in name or "check" in name:
            parser.error(f"{name}: development gold only")
        counts = count_file(args.shared / "data" / "gold" / name, pipeline, settings)
        print(f"{name}\n{'kind':<12}" + "".join(f"{c:>19}" for c in COLUMNS))
        for kind in KINDS:
            print(f"{kind:<12}" + "".join(f"{counts[kind, c]:>19}" for c in COLUMNS))
        print(f"{'dropped':<12}{'P':>8}{'R':>8}{'F1':>8}{'predicted':>11}{'matched':>9}")
        for label, kinds in variants.items():
            m = evaluate_articles(args.shared / "data" / "gold" / name, None,
                                  Settings(drop_summaries=kinds)).metrics
            print(f"{label:<12}{m['precision']:>8.4f}{m['recall']:>8.4f}{m['f1']:>8.4f}"
                  f"{m['predicted_events']:>11}{m['matched']:>9}")


if __name__ == "__main__":
    main()
