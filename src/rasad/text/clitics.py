"""The Arabic proclitics a noun may carry, and the token forms a word list takes with them.

`NOUN_PROCLITICS` are و ف ب ل ك, alone or stacked (وب، فل …; no «س», which only verbs take).
`with_proclitics(words)` lists every form a token holding one of `words` may have: the word, each
proclitic + the word and, for a word with the article, ل + ال contracted to لل («للجيش»).  The
date, number and fatality finders, the toponym and numbered-place look-ups and the metonymy cues
all build their trigger sets with it, each with its own proclitics where they differ.
"""

from __future__ import annotations

from collections.abc import Iterable

NOUN_PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})


def with_proclitics(words: Iterable[str], proclitics: Iterable[str] = NOUN_PROCLITICS,
                    article: bool = True) -> frozenset[str]:
    """Every form of `words` bare or after one of `proclitics`; with `article`, a word starting
    with «ال» also after a proclitic ending in «ل» with the article's alef dropped («للكويت»)."""
    proclitics = tuple(proclitics)
    forms: set[str] = set()
    for word in words:
        forms.add(word)
        forms.update(p + word for p in proclitics)
        if article and word.startswith("ال"):
            forms.update(p + word[1:] for p in proclitics if p.endswith("ل"))
    return frozenset(forms)
