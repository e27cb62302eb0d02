"""CoNLL files for NER: one token per line with its tags as the last columns, a blank line
between sentences.

`read_conll(path)` returns `ConllSentence`s that keep each line as written (so a tagged copy can
append a column to it), the token (first column; empty when the line starts with white space)
and the other columns.  `entity_spans(tags)` reads BIO tags into entities by conlleval's rules:
an entity starts at ``B-X``, and also at ``I-X`` after ``O`` or after a tag of another type.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rasad.errors import EvalError


@dataclass(slots=True)
class ConllSentence:
    """The lines of one sentence, their tokens and their tag columns."""

    lines: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    columns: list[list[str]] = field(default_factory=list)

    def column(self, index: int) -> list[str]:
        """The tags in column `index` of the tag columns (-1: last, -2: the one before)."""
        try:
            return [cols[index] for cols in self.columns]
        except IndexError:
            raise EvalError(f"a line has no tag column {index}: {self.lines}",
                            code="E401") from None


def parse_line(line: str) -> tuple[str, list[str]]:
    """(token, tag columns) of one non-blank line."""
    fields = line.split()
    if line[:1].isspace():
        return "", fields
    return fields[0], fields[1:]


def read_conll_lines(lines: Iterable[str]) -> Iterator[ConllSentence]:
    sentence = ConllSentence()
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line.strip():
            if sentence.lines:
                yield sentence
                sentence = ConllSentence()
            continue
        token, columns = parse_line(line)
        sentence.lines.append(line)
        sentence.tokens.append(token)
        sentence.columns.append(columns)
    if sentence.lines:
        yield sentence


def read_conll(path: Path) -> list[ConllSentence]:
    """The sentences of a CoNLL file (UTF-8)."""
    try:
        with open(path, encoding="utf-8") as f:
            return list(read_conll_lines(f))
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"cannot read CoNLL file {path}: {exc}", code="E401") from exc


def append_column(sentence: ConllSentence, tags: Sequence[str]) -> list[str]:
    """The sentence's lines with one more column (tab-separated if the file uses tabs)."""
    return [line + ("\t" if "\t" in line else " ") + tag
            for line, tag in zip(sentence.lines, tags, strict=True)]


def entity_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entities (type, first token, end token exclusive) of a BIO tag sequence, as conlleval."""
    spans: list[tuple[str, int, int]] = []
    current: str | None = None
    start = 0
    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        if prefix == "B" or (prefix == "I" and kind != current):
            if current is not None:
                spans.append((current, start, i))
            current, start = kind, i
        elif prefix != "I":  # "O" or anything unreadable ends an entity
            if current is not None:
                spans.append((current, start, i))
            current = None
    if current is not None:
        spans.append((current, start, len(tags)))
    return spans
