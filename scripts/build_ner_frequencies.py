"""Write the word-frequency ranks of the NER model from wordfreq's Arabic list (CC BY-SA 4.0).

The NER features use a word's frequency rank twice: to split a proclitic off only when the rest
is the commoner word («وقصف» → و + «قصف», but «وزير» stays whole) and as a frequency band (rare
words are more often names).  The ranks came from SaudiNewsNet (non-commercial) with the word
clusters; they now come from the ``large`` Arabic list of the wordfreq package (Speer, 2022;
Wikipedia, subtitles, news, web text; its data is CC BY-SA 4.0).  Each word is normalised with
rasad's `normalize_form` and kept at its first (commonest) rank; words without an Arabic letter
are dropped.

Writes a gzipped list ``word`` per line, commonest first, to
``src/rasad/data/ner/frequencies.tsv.gz``.  Needs the ``build`` extra (wordfreq).

    python scripts/build_ner_frequencies.py --top 100000
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

from rasad.text.normalize import normalize_form

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/rasad/data/ner/frequencies.tsv.gz"
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a\u0671-\u06d3]+$")


def ranked_words(top: int, source: list[str]) -> list[str]:
    """The first `top` distinct normalised Arabic words of `source` (commonest first)."""
    seen: dict[str, None] = {}
    for raw in source:
        word = normalize_form(raw)
        if _ARABIC_WORD.match(word) and word not in seen:
            seen[word] = None
            if len(seen) >= top:
                break
    return list(seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    from importlib.metadata import version

    import wordfreq

    words = ranked_words(args.top, wordfreq.top_n_list("ar", 4 * args.top, wordlist="large"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the gzip bytes identical across runs.
    with open(args.out, "wb") as raw, \
            gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(("# word (commonest first; wordfreq large_ar, CC BY-SA 4.0; "
                  f"wordfreq {version('wordfreq')})\n").encode())
        gz.write("".join(w + "\n" for w in words).encode("utf-8"))
    print(f"wrote {len(words):,} words to {args.out} ({args.out.stat().st_size:,} bytes)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
