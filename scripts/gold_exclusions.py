"""Which corpus documents a corpus-mining script must leave out: every document a gold file
names, and every one that holds a sentence of the negatives set.

The scripts that mine SaudiNewsNet for what the rules miss (`mine_place_gaps.py`,
`cameo_triggers.py`) may read the unlabelled corpus, but never a gold document through it.
From every gold file the ids are read (`id`, `doc_id`, and the `docs` of an incident list),
and each document's text is hashed, whole and spacing aside, so that a copy of a gold document
the corpus holds under another id is left out too; no text is kept, printed or compared but
whole (the check set's texts are never looked at, only kept out of what is mined).  The
negatives set holds SaudiNewsNet sentences under ids of their own, so a corpus document that
contains one of its sentences (its first 120 characters, spacing aside, from the same outlet) is
left out as well.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ID_KEYS = ("id", "doc_id")
LIST_ID_KEYS = ("docs",)
NEGATIVES = "negatives_dev.jsonl"
SENTENCE_CHARS = 120


def _spaced(text: str) -> str:
    return " ".join(text.split())


def _hash(text: str) -> str:
    return hashlib.sha1(_spaced(text).encode("utf-8")).hexdigest()


@dataclass
class GoldExclusions:
    """The ids and text hashes of the gold documents and, by outlet, the negatives'
    sentences."""

    ids: set[str] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)
    sentences: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    skipped: int = 0  # corpus documents `records` left out so far

    @classmethod
    def of(cls, gold: Path) -> GoldExclusions:
        """Read the gold folder `gold` (ids and text hashes from every file, sentences from the
        negatives)."""
        found = cls()
        for path in sorted(gold.glob("*.jsonl")):
            with path.open(encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    record = json.loads(line)
                    found.ids.update(str(record[k]) for k in ID_KEYS if k in record)
                    for key in LIST_ID_KEYS:
                        found.ids.update(str(i) for i in record.get(key) or ())
                    if not isinstance(record.get("text"), str):
                        continue
                    found.hashes.add(_hash(record["text"]))
                    if path.name == NEGATIVES:
                        found.sentences[str(record.get("source") or "")].append(
                            _spaced(record["text"])[:SENTENCE_CHARS])
        return found

    def excludes(self, record: dict[str, object]) -> bool:
        """Whether the corpus document `record` is one to leave out."""
        if str(record.get("id")) in self.ids:
            return True
        text = record.get("text")
        if not isinstance(text, str):
            return False
        if _hash(text) in self.hashes:
            return True
        own = self.sentences.get(str(record.get("source") or ""), [])
        if not own:
            return False
        spaced = _spaced(text)
        return any(s in spaced for s in own)

    def records(self, corpus: Path) -> Iterator[dict[str, Any]]:
        """The records of the corpus file `corpus` (JSON lines, gzip) that are not to be left
        out, in file order; each one left out adds to `skipped`."""
        with gzip.open(corpus, "rt", encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                if self.excludes(record):
                    self.skipped += 1
                    continue
                yield record
