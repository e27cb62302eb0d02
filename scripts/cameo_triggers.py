"""Trigger coverage gaps, from the UniversalPETRARCH Arabic verb dictionary and from the corpus.

Two reports, each printed as aggregated counts (no document text):

``verbs``: reads the verb patterns of UniversalPETRARCH's Arabic CAMEO dictionary
(``lexicons/universalpetrarch_arabic/CAMEO.ar.0.5.txt``, MIT, Open Event Data Alliance) and keeps
the verbs, and the verb + object patterns, whose CAMEO code maps onto an ACLED type
(``scripts/cameo_acled.yaml``: 14x protest, 173 arrest, 175 repression, 18x assault, 19x fight,
20x mass violence).  Each verb is inflected as ``triggers.yaml`` inflects its verbs
(`rasad.extract.lexicons.verb_forms`), and each form is run through the project's own
clitic-aware matcher over the packaged triggers: a form a trigger already matches is covered.  The
words of the patterns' objects (``قصف * {هجوم جوي}``: «هجوم») are checked as nouns.  The
uncovered ones are ranked by the number of SaudiNewsNet documents that contain them, leaving out
every document whose id is in a file of ``data/gold/`` and every document that holds a sentence of
a gold file whose ids are not the corpus' (the negatives are SaudiNewsNet sentences).

``tolls``: runs the pipeline (event model off, unreal events kept: what the rules find) over
SaudiNewsNet documents (the same ones left out) and, in each sentence that reports dead or wounded
(«قتلى», «مقتل», «جرحى», «إصابة» …) where no event was produced (no trigger mention of the sentence
and not its toll joined an event), counts the first content words of the sentence and the word
before its toll word, apart for sentences with an armed cue or a registry actor: the words
heading such sentences show the triggers the lexicon misses (and the accidents and crimes it
rightly leaves alone).

    python scripts/cameo_triggers.py verbs --shared ../shared [--top 60] [--docs N]
    python scripts/cameo_triggers.py tolls --shared ../shared [--docs 3000] [--top 60]

The dictionary's verb section reads: a block per verb family, ``--- LEMMA [CODE] ---``; the
family's verbs, one a line, ``VERB [CODE] # gloss`` (``+`` joins a verb to its particle:
``سيطر+على``; a verb's own code overrides the block's); then patterns ``- PRE * POST [CODE] #
verbs``, ``*`` standing for the verb, with ``(…)`` phrases, ``{…}`` compounds and ``&SYNSET``
classes.  A pattern applies to the block's verbs that its comment names (all of them when it names
none of them).  Only the literal words right after ``*`` make a pattern's phrase here.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rasad.extract.lexicons import build_lexicon, definite_forms, verb_forms
from rasad.text.lexicon import Lexicon, phrase_words
from rasad.text.normalize import normalize, normalize_form
from rasad.text.segment import tokenize

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gold_exclusions import GoldExclusions

HERE = Path(__file__).resolve().parent
MAPPING = HERE / "cameo_acled.yaml"
DICTIONARY = Path("data/lexicons/universalpetrarch_arabic/CAMEO.ar.0.5.txt")
CORPUS = Path("data/corpora/saudinewsnet/articles.jsonl.gz")
GOLD = Path("data/gold")
VERB_SECTION = "####### VERB PATTERNS #######"

_HEADER = re.compile(r"^---\s*(.+?)\s*\[([^\]]*)\]\s*---")
_CODE = re.compile(r"\[(\d+)[^\]]*\]")
_ELEMENT = re.compile(r"\{[^}]*\}|\([^)]*\)|[^\s(){}]+")


@dataclass
class Pattern:
    """A verb + context pattern: the words after the verb and its CAMEO code."""

    code: str
    words: tuple[str, ...]
    text: str


@dataclass
class Verb:
    """A verb of the dictionary with the CAMEO codes it carries alone and with patterns."""

    lemma: str
    codes: set[str] = field(default_factory=set)
    patterns: list[Pattern] = field(default_factory=list)


def load_mapping(path: Path = MAPPING) -> dict[str, dict[str, str]]:
    """The CAMEO code → ACLED type/sub-type table of `cameo_acled.yaml`, keyed by code."""
    data: dict[str, dict[str, str]] = yaml.safe_load(path.read_text(encoding="utf-8"))["codes"]
    return {str(code): entry for code, entry in data.items()}


def acled_of(code: str, mapping: dict[str, dict[str, str]]) -> dict[str, str] | None:
    """The ACLED entry of a CAMEO code: that of its longest listed prefix, None when unlisted."""
    for k in range(len(code), 1, -1):
        entry = mapping.get(code[:k])
        if entry is not None:
            return entry
    return None


def _lemma(word: str) -> str:
    return normalize_form(word.replace("+", " ").replace("_", " ")).strip()


def _pattern_words(rest: str) -> tuple[str, ...]:
    """The literal words right after ``*``: up to the first class, slot or empty phrase."""
    words: list[str] = []
    for element in _ELEMENT.findall(rest):
        inner = [w for w in re.split(r"[\s(){}]+", element) if w]
        if not inner or any(w[0] in "&$+%-" for w in inner):
            break
        words.extend(inner)
    return tuple(normalize_form(w) for w in words)


def parse_verbs(lines: Iterable[str]) -> dict[str, Verb]:
    """The verbs of the dictionary's verb section, each with its codes and patterns."""
    verbs: dict[str, Verb] = {}
    block: list[Verb] = []
    block_code = ""
    in_section = False
    for raw in lines:
        line = raw.rstrip("\n")
        if not in_section:
            in_section = line.strip() == VERB_SECTION
            continue
        header = _HEADER.match(line)
        if header:
            block, block_code = [], header.group(2).strip()
            continue
        if not line.strip():
            continue
        body, _, comment = line.partition("#")
        code_match = _CODE.search(body)
        if line.startswith("-"):
            if code_match is None or "*" not in body:
                continue
            rest = body[body.index("*") + 1:code_match.start()]
            pattern = Pattern(code_match.group(1), _pattern_words(rest), body.strip())
            named = {_lemma(v) for v in comment.split(",")}
            targets = [v for v in block if v.lemma in named] or block
            for verb in targets:
                verb.patterns.append(pattern)
            continue
        lemma = _lemma(body[:code_match.start()] if code_match else body)
        if not lemma:
            continue
        verb = verbs.setdefault(lemma, Verb(lemma))
        code = code_match.group(1) if code_match else block_code
        if code.isdigit():
            verb.codes.add(code)
        block.append(verb)
    return verbs


def inflections(lemma: str) -> list[str]:
    """Inflected forms of a dictionary verb (its first word; a particle stays after it).

    The present stem drops a leading alef (``احتل`` → ``يحتل``); lemmas the dictionary writes
    without the alef of their measure (``شتبك``) are also tried with it."""
    head, *tail = lemma.split()
    stems = {head}
    if len(head) >= 4 and (head[1] == "ت" or head.startswith(("ست", "ن"))):
        stems.add("ا" + head)
    forms: set[str] = set()
    for stem in stems:
        present = stem[1:] if stem.startswith("ا") else stem
        forms.update(verb_forms(f"{stem}|{present}"))
    return sorted(" ".join([f, *tail]) for f in forms)


def covered(lexicon: Lexicon, phrase: str, first_only: bool) -> bool:
    """Whether a packaged trigger matches `phrase` (at its first word when `first_only`)."""
    text = normalize_form(phrase)
    tokens = tokenize(text)
    matches = lexicon.match(tokens, text, kinds=frozenset({"trigger"}))
    return any(m.first_token == 0 or not first_only for m in matches)


@dataclass
class Candidate:
    """A verb or verb + pattern phrase whose CAMEO code maps onto ACLED, and its forms."""

    key: str
    kind: str  # verb | pattern | noun (a word of a pattern's object)
    codes: set[str]
    forms: list[str]
    uncovered: list[str]


def _add(found: dict[str, Candidate], key: str, kind: str, code: str, forms: list[str],
         uncovered: list[str]) -> None:
    cand = found.setdefault(key, Candidate(key, kind, set(), forms, uncovered))
    cand.codes.add(code)


def candidates(verbs: dict[str, Verb], mapping: dict[str, dict[str, str]],
               lexicon: Lexicon) -> list[Candidate]:
    """The verbs, verb + object phrases and object words of ACLED-mapped codes, with the forms
    no packaged trigger matches."""
    found: dict[str, Candidate] = {}
    for verb in verbs.values():
        forms = inflections(verb.lemma)
        own = {c for c in verb.codes if acled_of(c, mapping)}
        mapped = [p for p in verb.patterns if acled_of(p.code, mapping) and p.words]
        for p in mapped:
            for word in (w for w in p.words if len(w) >= 3 and w not in FUNCTION_WORDS):
                nouns = definite_forms(word)
                _add(found, f"… {word}", "noun", p.code, nouns,
                     [n for n in nouns if not covered(lexicon, n, first_only=True)])
        if own:
            for code in own:
                _add(found, verb.lemma, "verb", code, forms,
                     [f for f in forms if not covered(lexicon, f, first_only=True)])
            continue
        for p in mapped:
            objects = definite_forms(" ".join(p.words))
            phrases = [f"{f} {o}" for f in forms for o in objects]
            _add(found, f"{verb.lemma} … {' '.join(p.words)}", "pattern", p.code, phrases,
                 [ph for ph in phrases if not covered(lexicon, ph, first_only=False)])
    return [c for c in found.values() if c.uncovered]


def corpus_documents(shared: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """SaudiNewsNet documents, less every gold document and every one holding a gold sentence."""
    records = GoldExclusions.of(shared / GOLD).records(shared / CORPUS)
    yield from records if limit is None else itertools.islice(records, limit)


def rank_in_corpus(cands: list[Candidate], shared: Path, limit: int | None
                   ) -> tuple[Counter[str], dict[str, Counter[str]], int]:
    """Documents holding each candidate (any uncovered form), and per form."""
    lexicon = Lexicon()
    for cand in cands:
        for form in cand.uncovered:
            lexicon.add("cameo", form, (cand.key, " ".join(phrase_words(form))))
    docs: Counter[str] = Counter()
    per_form: dict[str, Counter[str]] = defaultdict(Counter)
    n = 0
    for record in corpus_documents(shared, limit):
        n += 1
        norm = normalize(record.get("text") or "")
        hits = {m.payload for m in lexicon.match(tokenize(norm.text), norm.text)}
        for key in {k for k, _ in hits}:
            docs[key] += 1
        for key, form in hits:
            per_form[key][form] += 1
    return docs, per_form, n


def report_verbs(args: argparse.Namespace) -> None:
    mapping = load_mapping()
    text = (args.shared / DICTIONARY).read_text(encoding="utf-8")
    verbs = parse_verbs(text.splitlines())
    lexicon = build_lexicon()
    cands = candidates(verbs, mapping, lexicon)
    mapped = sum(1 for v in verbs.values() if any(acled_of(c, mapping) for c in v.codes))
    print(f"dictionary: {len(verbs)} verbs, {mapped} with an ACLED-mapped code of their own; "
          f"{len(cands)} verbs or verb + pattern phrases with forms no trigger matches")
    docs, per_form, n = rank_in_corpus(cands, args.shared, args.docs)
    print(f"corpus: {n} SaudiNewsNet documents (gold documents left out)\n")
    ranked = sorted(cands, key=lambda c: (-docs[c.key], c.key))
    print("| docs | kind | verb / pattern | CAMEO | ACLED | uncovered forms (docs) |")
    print("|---:|---|---|---|---|---|")
    for cand in ranked[:args.top]:
        acled = sorted({f"{e['type']} / {e['sub']}" for c in cand.codes
                        if (e := acled_of(c, mapping))})
        forms = ", ".join(f"{f} ({k})" for f, k in per_form[cand.key].most_common(5))
        print(f"| {docs[cand.key]} | {cand.kind} | {cand.key} | {','.join(sorted(cand.codes))} "
              f"| {'; '.join(acled)} | {forms} |")


# Words that report dead or wounded (normalised): a sentence holding one is a toll sentence.
TOLL_WORDS = frozenset(normalize_form(w) for w in (
    "قتلى", "قتيل", "قتيلا", "قتيلان", "قتيلين", "مقتل", "مصرع", "جرحى", "جريح", "إصابة",
    "إصابات", "مصابين", "مصابون", "شهداء", "شهيد", "شهيدا", "استشهاد", "ضحايا", "حتفه", "حتفهم",
    "مصرعه", "مصرعهم"))
# Function words, auxiliaries and reporting verbs skipped when reading a sentence's head.
FUNCTION_WORDS = frozenset(normalize_form(w) for w in (
    "في", "من", "على", "إلى", "عن", "مع", "أن", "إن", "أنه", "انه", "قد", "لقد", "كما", "وقد",
    "فيما", "بينما", "حيث", "التي", "الذي", "الذين", "هذا", "هذه", "ذلك", "تلك", "كان", "كانت",
    "تم", "ما", "لا", "لم", "لن", "و", "أو", "ثم", "بعد", "قبل", "خلال", "أمس", "اليوم", "قال",
    "قالت", "أعلن", "أعلنت", "أفاد", "أفادت", "ذكر", "ذكرت", "أكد", "أكدت", "أضاف", "أضافت",
    "وأضاف", "وأضافت", "أشار", "أشارت", "حسب", "بحسب", "وفق", "وفقا", "نحو", "أكثر", "عدد",
    "منذ", "عند", "حين", "كل", "بين", "أي", "هو", "هي", "هم", "له", "لها", "به", "بها", "أيضا",
    "على", "إلى", "حتى", "أثناء", "داخل", "خارج", "تحت", "فوق", "عبر", "أجل", "لأجل", "ضد",
    "فيه", "فيها", "هناك", "لكن", "رغم", "ومن", "وفي", "أوضح", "صرح", "المتحدث", "الناطق",
    "رابط", "الخبر", "بصحيفة", "سبق", "مصادر", "مصدر", "شاهد", "تشير", "يشار"))
_PROCLITIC = re.compile(r"^(?:و|ف)(?=\w{3,})")


def head_words(words: list[str], n: int) -> list[str]:
    """The first `n` content words: function words, numbers and toll words skipped; a leading
    «و»/«ف» conjunction stripped."""
    out: list[str] = []
    for word in words:
        if word.isdigit() or word in FUNCTION_WORDS or word in TOLL_WORDS:
            continue
        stripped = _PROCLITIC.sub("", word)
        if stripped in FUNCTION_WORDS or len(stripped) < 3:
            continue
        out.append(stripped)
        if len(out) == n:
            break
    return out


def governor_words(words: list[str]) -> set[str]:
    """The content word before each toll word (numbers, «عن», «إلى» and the like skipped):
    «أسفر عن مقتل» → «أسفر»."""
    found: set[str] = set()
    for i, word in enumerate(words):
        if word not in TOLL_WORDS and _PROCLITIC.sub("", word) not in TOLL_WORDS:
            continue
        before = head_words(list(reversed(words[max(0, i - 4):i])), 1)
        found.update(before)
    return found


@dataclass
class HeadCounts:
    """Words heading silent toll sentences: first content word, first three, before a toll."""

    sentences: int = 0
    firsts: Counter[str] = field(default_factory=Counter)
    heads: Counter[str] = field(default_factory=Counter)
    governors: Counter[str] = field(default_factory=Counter)

    def add(self, words: list[str]) -> None:
        self.sentences += 1
        head = head_words(words, 3)
        self.heads.update(head)
        self.firsts.update(head[:1])
        self.governors.update(governor_words(words))

    def print(self, title: str, top: int) -> None:
        print(f"\n{title}: {self.sentences} sentences\n")
        print("| word | first content word | among the first three | just before a toll word |")
        print("|---|---:|---:|---:|")
        for word, _ in (self.heads + self.governors).most_common(top):
            print(f"| {word} | {self.firsts[word]} | {self.heads[word]} "
                  f"| {self.governors[word]} |")


def _armed(match: Any) -> bool:
    """A match that makes a sentence armed: an armed context cue or a registry actor."""
    if match.kind == "actor":
        return True
    return match.kind == "context" and getattr(match.payload, "group", "") == "armed"


def report_tolls(args: argparse.Namespace) -> None:
    from rasad.pipeline import Pipeline
    from rasad.records import RawDocument
    from rasad.settings import Settings

    pipeline = Pipeline(Settings(event_model=False, keep_unreal=True, use_ner=not args.no_ner))
    armed, other = HeadCounts(), HeadCounts()
    sentences = 0
    for n, record in enumerate(corpus_documents(args.shared, args.docs), 1):
        raw = RawDocument(str(record["id"]), record.get("text") or "",
                          published=record.get("published"))
        doc = pipeline.run(raw)
        # A sentence has an event when one of its trigger mentions, or its toll, joined one.
        with_event = {c.sentence for e in doc.events for c in e.mentions}
        tolls = [doc.norm.normalized_index(e.fatalities_text.start) for e in doc.events
                 if e.fatalities_text is not None]
        armed_at = [m.start for m in doc.matches if _armed(m)]
        for i, s in enumerate(doc.sentences):
            words = [t.text for t in doc.tokens[s.first_token:s.last_token]]
            if not any(w in TOLL_WORDS or _PROCLITIC.sub("", w) in TOLL_WORDS for w in words):
                continue
            sentences += 1
            if i in with_event or any(s.start <= p < s.end for p in tolls):
                continue
            is_armed = any(s.start <= p < s.end for p in armed_at)
            (armed if is_armed else other).add(words)
        if n % 1000 == 0:
            print(f"… {n} documents", flush=True)
    print(f"toll sentences: {sentences}; with no event: {armed.sentences + other.sentences}")
    armed.print("Silent toll sentences with an armed cue or a registry actor", args.top)
    other.print("Silent toll sentences without one", args.top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", choices=("verbs", "tolls"))
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--top", type=int, default=60, help="rows to print")
    parser.add_argument("--docs", type=int, default=None,
                        help="corpus documents to read (verbs: all; tolls: 3000)")
    parser.add_argument("--no-ner", action="store_true", help="tolls: run without NER (faster)")
    args = parser.parse_args()
    if args.report == "verbs":
        report_verbs(args)
    else:
        args.docs = args.docs or 3000
        report_tolls(args)


if __name__ == "__main__":
    main()
