"""Genre of a document: news, opinion, analysis, statement or other (contract §3).

`classify_genre(...)` reads the genre cues of `data/cues.yaml`:

- an opinion disclaimer or column signature («الآراء الواردة في مقالات الرأي تعبر عن وجهة نظر
  الكاتب», «مقالات أخرى للكاتب», «للتواصل مع الكاتب») is decisive: `opinion`;
- a communiqué («بسم الله الرحمن الرحيم» at the top, «وفيما يلي نص البيان», «بيان رقم») with
  few reporting verbs is a `statement`;
- otherwise the density of first-person, exhortative and rhetorical cues (per 100 tokens) against
  reporting cues decides `opinion`, then analytical cues decide `analysis`; else `news`.

Returns the genre and the cue that decided it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rasad.text.lexicon import LexMatch

OPINION_DENSITY = 1.0
STRONG_OPINION_DENSITY = 2.0
ANALYSIS_DENSITY = 1.2


def classify_genre(cues: Sequence[LexMatch], n_tokens: int, text: str) -> tuple[str, str]:
    """(genre, deciding cue) from the genre cues of a normalised document text."""
    counts: Counter[str] = Counter(str(c.payload) for c in cues)
    decisive = next((c for c in cues if c.payload == "opinion_decisive"), None)
    if decisive is not None:
        return "opinion", f"«{text[decisive.start:decisive.end]}»"
    per100 = 100.0 / max(n_tokens, 50)
    opinion = counts["opinion"] * per100
    news = counts["news"] * per100
    statement_opening = any(c.payload == "statement" and c.start < 40 for c in cues)
    if (statement_opening or counts["statement"] >= 2) and news < 1.0:
        return "statement", "communiqué formulas"
    if (opinion >= OPINION_DENSITY and opinion > 2 * news) or (
            opinion >= STRONG_OPINION_DENSITY and opinion > news):
        return "opinion", f"first-person/exhortative cues {opinion:.1f} per 100 words"
    if counts["analysis"] >= 4 and counts["analysis"] * per100 >= ANALYSIS_DENSITY and news < 1.0:
        return "analysis", "analytical cues"
    return "news", "default"
