"""Guess the ACLED inter code of an organisation that the actor registry does not know.

`guess_inter(org_text)` reads the cue words of ``rasad/data/ner/inter_cues.tsv`` (a data file:
adding a cue is a data change): the first row, in file order, whose cue is one of the name's
words decides («كتائب …» → 2 rebels, «ميليشيا …» → 3 political militia, «أبناء العشائر» → 4
identity militia, «الجيش العراقي» → 1 state forces, «قوات التحالف» → 8 external/other).  A cue
marked ``national`` counts only when a nationality adjective follows it (a word in -ي/-ية with
the article that the file does not list as a plain adjective): «الجيش السوري» is the state's army,
«جيش الإسلام» a rebel group.  With no cue the guess is 8 (external/other forces).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rasad.ner.features import split_clitics
from rasad.text.normalize import normalize_form
from rasad.text.segment import tokenize

DEFAULT_INTER = 8


@dataclass(frozen=True, slots=True)
class InterCue:
    """One row of the cue table."""

    cue: str
    inter: int
    condition: str


@lru_cache(maxsize=1)
def _cue_table() -> tuple[tuple[InterCue, ...], frozenset[str]]:
    """(cues in file order, adjectives that are not nationalities)."""
    path = resources.files("rasad") / "data" / "ner" / "inter_cues.tsv"
    cues: list[InterCue] = []
    adjectives: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cue, inter, condition, *_ = [*line.split("\t"), ""]
        cue = normalize_form(cue.strip())
        if condition == "adjective":
            adjectives.add(cue)
        else:
            cues.append(InterCue(cue, int(inter), condition))
    return tuple(cues), frozenset(adjectives)


def word_stem(word: str) -> str:
    """The word without proclitics and article («والجيش» → «جيش», «الحر» → «حر»)."""
    stem = split_clitics(word).stem
    if stem.startswith("ال") and len(stem) > 3:
        stem = stem[2:]
    return stem


def _is_nationality(word: str, adjectives: frozenset[str]) -> bool:
    split = split_clitics(word)
    stem = word_stem(word)
    return bool(split.article or word.startswith("ال")) and stem.endswith(("ي", "يه")) \
        and stem not in adjectives


def guess_inter(org_text: str) -> int:
    """ACLED inter code guessed from the cue words of an organisation's name (see module doc)."""
    inter = cue_inter(org_text)
    return DEFAULT_INTER if inter is None else inter


def is_cue_word(word: str) -> bool:
    """Whether a (normalised) word is a cue of the table standing alone («جماعة», «كتائب»)."""
    stem = word_stem(word)
    cues, _ = _cue_table()
    return any(row.cue == stem and row.condition == "any" for row in cues)


def cue_inter(org_text: str) -> int | None:
    """The inter code a cue word of the name gives, or None when no cue matches."""
    words = [t.text for t in tokenize(normalize_form(org_text))]
    stems = [word_stem(w) for w in words]
    cues, adjectives = _cue_table()
    for row in cues:
        for i, stem in enumerate(stems):
            if stem != row.cue:
                continue
            if row.condition == "national" and not any(
                    _is_nationality(w, adjectives) for w in words[i + 1:]):
                continue
            return row.inter
    return None
