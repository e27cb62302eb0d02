"""Fuzzing the readers, the pipeline and the batch on hostile input (issue 11, item 8).

The strategies build what the wild sends: Arabic mixed with Latin, three digit systems, huge
numbers, bidi and other format characters, stacked combining marks, tatweel runs, NUL bytes, lone
surrogates and invalid UTF-8 where a reader gets bytes, broken HTML, broken JSON lines, truncated
and corrupted ``.jsonl.gz``.  The properties:

- the readers yield documents or coded failures (``E\\d{3}``), never raise, and every value they
  hand on can be written as UTF-8;
- `process_document` returns a record (or a coded error record that is not E201, the code of an
  extractor bug) whose every ``start``/``end`` slices the document's text to exactly its ``text``;
- `rasad extract` on a file or folder of good and bad documents writes one record per document,
  in order, and the good documents after the bad ones are processed.

The default run is bounded and derandomised (same examples every run, under 30 s).  A deep run:
``RASAD_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py`` (random examples, a new seed each
run; hypothesis prints the failing example and a ``@reproduce_failure`` line to replay it).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rasad.cli import app
from rasad.io.readers import Failure, read_documents
from rasad.pipeline import process_document
from rasad.records import RawDocument
from rasad.settings import Settings

DEEP = int(os.environ.get("RASAD_FUZZ_EXAMPLES", "0"))


def fuzz_settings(examples: int) -> settings:
    """`examples` per property by default (derandomised); RASAD_FUZZ_EXAMPLES for deep runs."""
    return settings(max_examples=DEEP or examples, deadline=None, derandomize=not DEEP,
                    print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


CODE = re.compile(r"E\d{3}")
READ = Settings(max_document_chars=5000)
PIPELINES = [Settings(), Settings(use_ner=False, keep_unreal=True, min_confidence=0.0)]

# --- strategies -------------------------------------------------------------------------------

ARABIC_PHRASES = [
    "قتل", "قُتِلَ", "مقتل", "أسفر عن سقوط", "قتيلا", "جريحا", "شخصا", "مدنيين", "عشرات", "مئات",
    "اشتباكات عنيفة", "غارة جوية", "قصفت الطائرات", "انفجار سيارة مفخخة", "عبوة ناسفة",
    "هجوم انتحاري", "تظاهر المئات", "اعتقال", "اختطاف", "أحبطت", "لا صحة لانفجار", "قد",
    "يعتقد أن", "هدد", "الجيش السوري", "قوات النظام", "تنظيم داعش", "التنظيم", "الحوثيون",
    "التحالف الذي تقوده السعودية", "قوات سوريا الديمقراطية", "هيئة تحرير الشام", "حزب الله",
    "في بغداد", "ريف حلب الشمالي", "بمحافظة حماة", "قرية عين زحلوق", "الرمادي", "صنعاء", "تعز",
    "غزة", "دير الزور", "شمال إدلب", "الموصل", "أمس", "فجر اليوم", "الخميس الماضي",
    "15 يناير 2020", "١٥ كانون الثاني ٢٠١٥", "۱۵ ژانویه", "3 رمضان 1436", "وقال", "وأفاد",
    "المرصد السوري لحقوق الإنسان", "مصادر محلية", "وكالة الأنباء", "الآراء الواردة في مقالات الرأي "
    "تعبر عن وجهة نظر الكاتب", "بيان", "#انفجار_بيروت", "#سيول_حفر_الباطن", "الله", "ﷲ", "ﻻ",
    "ﷺ", "ﷻ", "ﯾ", "ی", "ک", "ە",
]
LATIN_PHRASES = [
    "ISIS", "Baghdad", "AK-47", "http://example.com/a?b=1&c=٢", "@user_1", "Reuters", "AFP",
    "e.g.", "C++", "1e308", "NaN", "-0", "<b>", "&amp;", "&#x202E;", "Ω", "ß", "İ", "ﬁ", "😀",
    "🇸🇾", "👨‍👩‍👧", "ℌ", "Ⅻ",
]
FORMAT_CHARS = [
    "\u200f", "\u200e", "\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u061c", "\u200d",
    "\u200c", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u00ad", "\u200b", "\u2028",
    "\u2029", "\u00a0", "\u3000", "\x85", "\x0b", "\x0c", "\r", "\t",
]
COMBINING = [chr(c) for c in (*range(0x064B, 0x0653), 0x0670, 0x0654, 0x0655, 0x0300, 0x0301,
                              0x0327, 0x036F, 0x20DD, 0x0610, 0x06D6)]
DIGITS = {"ascii": "0123456789", "arabic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹"}
PUNCTUATION = ["،", "؛", "؟", ".", "!", ":", "«", "»", "(", ")", "-", "–", "/", "\n", "\n\n", "…"]


@st.composite
def numbers(draw: st.DrawFn) -> str:
    """A figure in one of three digit systems, from 0 to far beyond any real toll."""
    value = draw(st.one_of(st.integers(0, 100), st.integers(0, 10**6),
                           st.integers(10**15, 10**80)).map(str)
                 | st.integers(4290, 4400).map(lambda n: "9" * n))  # past int()'s digit limit
    digits = DIGITS[draw(st.sampled_from(sorted(DIGITS)))]
    text = "".join(digits[int(c)] for c in value)
    if draw(st.booleans()):
        text += draw(st.sampled_from(["", ".5", "٫٥", ",000", "٬٠٠٠", "%", "٪"]))
    return text


# Presentation forms (as PDF extraction leaves them): each maps back to one letter under NFKC.
PRESENTATION: dict[str, list[str]] = {}
for _code in range(0xFB50, 0xFF00):
    _base = unicodedata.normalize("NFKC", chr(_code))
    if len(_base) == 1 and "\u0621" <= _base <= "\u064A" and _base != chr(_code):
        PRESENTATION.setdefault(_base, []).append(chr(_code))


@st.composite
def presentation_forms(draw: st.DrawFn) -> str:
    """An Arabic phrase with some letters in their presentation forms («ﺑﻐﺪﺍﺩ»)."""
    phrase = draw(st.sampled_from(ARABIC_PHRASES))
    return "".join(draw(st.sampled_from([c, *PRESENTATION[c]])) if c in PRESENTATION else c
                   for c in phrase)


FRAGMENTS = st.one_of(
    st.sampled_from(ARABIC_PHRASES), st.sampled_from(ARABIC_PHRASES), presentation_forms(),
    st.sampled_from(LATIN_PHRASES), numbers(), st.sampled_from(PUNCTUATION),
    st.text(max_size=12),
    st.text(st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=12),
    st.integers(1, 40).map(lambda n: "ـ" * n),
)
SEPARATORS = st.sampled_from([" ", " ", " ", "", "\n", "  ", "\u00a0", "\t", "، "])


INSERTIONS = st.one_of(
    st.sampled_from(FORMAT_CHARS),
    st.lists(st.sampled_from(COMBINING), min_size=1, max_size=12).map("".join),
    st.integers(1, 30).map(lambda n: "ـ" * n))


@st.composite
def insert_noise(draw: st.DrawFn, text: str, most: int = 12) -> str:
    """`text` with format characters, mark stacks and tatweel runs inserted anywhere."""
    chars = list(text)
    edits = draw(st.lists(st.tuples(st.integers(0, len(chars)), INSERTIONS), max_size=most))
    for pos, insert in sorted(edits, key=lambda edit: edit[0], reverse=True):
        chars[pos:pos] = [insert]
    return "".join(chars)


@st.composite
def hostile_text(draw: st.DrawFn, max_fragments: int = 30) -> str:
    """Fragments of news, Latin, figures and random Unicode, with noise inserted anywhere."""
    parts = draw(st.lists(st.tuples(FRAGMENTS, SEPARATORS), max_size=max_fragments))
    return draw(insert_noise("".join(f + s for f, s in parts)))


NEWS_SLOTS = [
    ["", "قال مصدر أمني إن", "أفاد المرصد السوري لحقوق الإنسان بأن", "ذكرت مصادر محلية أن",
     "نفت وزارة الدفاع أن", "يعتقد أن"],
    ["الجيش السوري", "تنظيم داعش", "مسلحين مجهولين", "الحوثيين", "قوات التحالف", "متظاهرين",
     "طائرات حربية", ""],
    ["قتل", "قصفت", "اشتبك مع", "فجر سيارة مفخخة في", "اختطف", "اعتقل", "هاجم", "تظاهر في"],
    ["", "5", "٥", "۵", "عشرات", "99999999999999999999", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩", "ثلاثة"],
    ["مدنيين", "أشخاص", "عناصر من الشرطة", "قتيلا", ""],
    ["في بغداد", "في ريف حلب الشمالي", "قرب الرمادي", "بمحافظة حماة", "في قرية عين زحلوق",
     "في مدينة تعز", "شمال إدلب", ""],
    ["أمس", "فجر اليوم", "يوم الخميس الماضي", "في 15 يناير 2020", "في ٣ رمضان ١٤٣٦", "",
     "الشهر المقبل", "قبل 9999999 شهر", "منذ ٣٠٠٠٠٠٠ أسبوع", "في 1 يناير 0001",
     "في 31/12/9999", "مطلع العام الهجري المقبل"],
    [".", "،", "\n", " و", "؟"],
]


@st.composite
def news_text(draw: st.DrawFn) -> str:
    """Sentences built from event slots (actor, trigger, toll, place, date), then noised."""
    sentences = draw(st.lists(st.tuples(*(st.sampled_from(slot) for slot in NEWS_SLOTS)),
                              min_size=1, max_size=6))
    text = " ".join(" ".join(word for word in sentence if word) for sentence in sentences)
    return draw(insert_noise(text))


# Paragraphs of event sentences and of noise: places, actors and dates carry across them.
ARTICLES = st.lists(news_text() | hostile_text(), min_size=1, max_size=4).map("\n\n".join)
PUBLISHED = st.one_of(
    st.none(), st.dates().map(str), st.datetimes().map(lambda d: d.isoformat() + "Z"),
    st.sampled_from(["0001-01-01", "9999-12-31", "2015-02-30", "2015-13-01", "yesterday",
                     "٢٠١٥-٠٧-٢١", "", "2015", "+2015-01-01"]),
    st.text(max_size=12))
IDS = st.one_of(st.text(min_size=1, max_size=10).filter(str.strip),
                st.integers(-(10**30), 10**30).map(str))


@st.composite
def broken_bytes(draw: st.DrawFn, good: bytes) -> bytes:
    """`good` with the damage readers meet: cut short, NUL bytes, invalid UTF-8, a CR."""
    damage = draw(st.sampled_from(["cut", "nul", "latin1", "surrogate", "overlong", "bom",
                                   "cr", "random"]))
    pos = draw(st.integers(0, len(good)))
    if damage == "cut":
        return good[:pos]
    if damage == "random":
        return draw(st.binary(max_size=60))
    if damage == "bom":
        return b"\xef\xbb\xbf" + good
    insert = {"nul": b"\x00", "latin1": b"\xe9", "cr": b"\r", "overlong": b"\xc0\xaf",
              "surrogate": "\ud800".encode("utf-8", "surrogatepass")}[damage]
    return good[:pos] + insert + good[pos:]


@st.composite
def jsonl_line(draw: st.DrawFn, index: int = 0) -> tuple[bytes, dict[str, Any] | None]:
    """A JSON Lines line and, when it is a valid document, the object it holds.

    Ids end in the line's `index` (or are a number made from it), so they never repeat.
    """
    kind = draw(st.sampled_from(["good", "good", "good", "surrogate", "broken", "not_object",
                                 "wrong_type", "no_id", "empty", "too_big", "nul_text",
                                 "not_json_number"]))
    doc_id = draw(st.one_of(IDS.map(lambda i: f"{i}~{index}"),
                            st.just(index * 1_000_003 + 10**25)))
    doc: dict[str, Any] = {"id": doc_id, "text": draw(hostile_text(12))}
    if draw(st.booleans()):
        doc["published"] = draw(PUBLISHED)
    if draw(st.booleans()):
        doc["extra"] = {"nested": [draw(st.integers(-(10**40), 10**40)), draw(hostile_text(3))]}
    if kind == "good" and doc["text"].strip() and "\x00" not in doc["text"]:
        return json.dumps(doc, ensure_ascii=draw(st.booleans())).encode(), doc
    if kind == "surrogate":
        where = draw(st.sampled_from(["id", "text", "title", "extra"]))
        doc[where] = draw(st.sampled_from(["\ud800", "a\udfff", "\udc00نص"]))
        return json.dumps(doc).encode(), None
    if kind == "not_object":
        value = draw(st.one_of(st.integers(), st.text(), st.lists(st.integers()), st.none()))
        return json.dumps(value).encode(), None
    if kind == "wrong_type":
        doc[draw(st.sampled_from(["id", "text"]))] = draw(st.sampled_from(
            [12, 1.5, True, None, ["نص"], {"a": 1}]))
        return json.dumps(doc).encode(), None
    if kind == "no_id":
        del doc["id"]
        return json.dumps(doc).encode(), None
    if kind == "empty":
        doc["text"] = draw(st.sampled_from(["", " ", "\n\t", "\u00a0"]))
        return json.dumps(doc).encode(), None
    if kind == "too_big":
        doc["text"] = "قتل " * (READ.max_document_chars // 4 + 1)
        return json.dumps(doc).encode(), None
    if kind == "not_json_number":  # Python's json reads NaN, Infinity and 1e999 (= inf)
        constant = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999"]))
        return json.dumps(doc).encode()[:-1] + b', "score": ' + constant.encode() + b"}", None
    if kind == "nul_text":
        doc["text"] = doc["text"] + "\x00"
        return json.dumps(doc).encode(), None
    return draw(broken_bytes(json.dumps(doc, ensure_ascii=False).encode())), None


def jsonl_lines(min_size: int = 0, max_size: int = 12
                ) -> st.SearchStrategy[list[tuple[bytes, dict[str, Any] | None]]]:
    """Lines of a JSON Lines file, good and bad mixed, no id repeated."""
    return st.integers(min_size, max_size).flatmap(
        lambda n: st.tuples(*(jsonl_line(i) for i in range(n))).map(list))


HTML_TAGS = ["<html>", "<head>", "<title>", "</title>", "<body>", "<article>", "<p>", "</p>",
             "<div class='x'>", "</div>", "<script>", "</script>", "<style>", "<!--", "-->",
             "<![CDATA[", "]]>", "<br>", "<table><tr><td>", "<meta charset='windows-1256'>",
             "<meta name='date' content='2015-07-21'>", "&nbsp;", "&#1602;", "&#xD800;", "<",
             ">", "</", "<p dir='rtl'>", "<bdo dir='rtl'>", "<a href='x", "\"", "</body></html>"]


@st.composite
def broken_html(draw: st.DrawFn) -> bytes:
    """Tag soup with hostile text in between: unclosed, misnested, cut, odd charsets."""
    parts = draw(st.lists(st.one_of(st.sampled_from(HTML_TAGS), hostile_text(6)), max_size=30))
    data = "".join(parts).encode("utf-8")
    return draw(st.one_of(st.just(data), broken_bytes(data)))


# --- checks -----------------------------------------------------------------------------------


def spans(value: Any, path: str = "record") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every dict in `value` that carries a `start` or an `end`, with where it sits."""
    if isinstance(value, dict):
        if "start" in value or "end" in value:
            yield path, value
        for key, item in value.items():
            yield from spans(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from spans(item, f"{path}[{i}]")


def check_record(record: dict[str, Any], text: str, doc_id: str) -> None:
    """A contract record or a coded error record, writable as UTF-8, every span exact."""
    assert isinstance(record, dict)
    assert record["doc_id"] == doc_id
    json.dumps(record, ensure_ascii=False, allow_nan=False).encode("utf-8")  # strict JSON
    if "error" in record:
        assert CODE.fullmatch(record["error"]["code"]), record
        assert record["error"]["code"] != "E201", record["error"]["message"]
        return
    assert {"genre", "published", "places", "events", "warnings"} <= record.keys()
    for where, span in spans(record):
        start, end = span.get("start"), span.get("end")
        assert isinstance(start, int) and isinstance(end, int), (where, span)
        assert 0 <= start <= end <= len(text), (where, span, len(text))
        assert text[start:end] == span.get("text"), (where, span, text[start:end])


def check_item(item: RawDocument | Failure) -> None:
    """What a reader yields: a document with usable text, or a coded failure; all UTF-8."""
    if isinstance(item, Failure):
        assert CODE.fullmatch(item.code), item
        assert item.doc_id
        json.dumps([item.doc_id, item.message], ensure_ascii=False,
                   allow_nan=False).encode("utf-8")
        return
    assert isinstance(item, RawDocument)
    assert isinstance(item.id, str) and item.id.strip()
    assert isinstance(item.text, str) and item.text.strip() and "\x00" not in item.text
    assert len(item.text) <= READ.max_document_chars
    json.dumps([item.id, item.text, item.title, item.published, item.source, item.url,
                item.extra], ensure_ascii=False, allow_nan=False).encode("utf-8")


def read_all(path: Path) -> list[RawDocument | Failure]:
    items = list(read_documents(path, READ))
    for item in items:
        check_item(item)
    return items


def nonblank_lines(data: bytes) -> int:
    return sum(1 for line in data.split(b"\n") if line.strip())


# --- readers ----------------------------------------------------------------------------------


@fuzz_settings(100)
@given(lines=jsonl_lines(), newline=st.sampled_from([b"\n", b"\r\n"]))
def test_fuzz_jsonl_reader_one_item_per_line_good_lines_intact(
        lines: list[tuple[bytes, dict[str, Any] | None]], newline: bytes) -> None:
    data = newline.join(line for line, _ in lines)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_bytes(data)
        items = read_all(path)
    assert len(items) == nonblank_lines(data)
    kept = iter(items)
    for line, doc in lines:
        if not line.strip():
            continue
        item = next(kept)
        if doc is not None and len(doc["text"]) <= READ.max_document_chars:
            assert isinstance(item, RawDocument), item
            assert (item.id, item.text) == (str(doc["id"]), doc["text"])


@fuzz_settings(60)
@given(docs=st.lists(st.fixed_dictionaries({"id": IDS, "text": hostile_text(8)}), min_size=1,
                     max_size=8, unique_by=lambda doc: doc["id"]),
       damage=st.sampled_from(["truncate", "corrupt", "garbage_tail", "not_gzip"]),
       data=st.data())
def test_fuzz_gzip_reader_truncated_or_corrupt_never_raises(
        docs: list[dict[str, str]], damage: str, data: st.DataObject) -> None:
    good = [d for d in docs if d["text"].strip() and "\x00" not in d["text"]
            and len(d["text"]) <= READ.max_document_chars]
    plain = b"".join(json.dumps(d).encode() + b"\n" for d in good or docs)
    packed = gzip.compress(plain, mtime=0)
    if damage == "truncate":
        packed = packed[:data.draw(st.integers(1, len(packed) - 1))]
    elif damage == "corrupt":
        spots = data.draw(st.lists(st.integers(0, len(packed) - 1), min_size=1, max_size=4))
        flipped = bytearray(packed)
        for spot in spots:
            flipped[spot] ^= data.draw(st.integers(1, 255))
        packed = bytes(flipped)
    elif damage == "garbage_tail":
        packed += data.draw(st.binary(min_size=1, max_size=20))
    else:
        packed = plain
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl.gz"
        path.write_bytes(packed)
        items = read_all(path)
    if damage == "truncate":
        # what was read before the cut, in order, then one failure for the file
        read = [i for i in items if isinstance(i, RawDocument)]
        assert [(i.id, i.text) for i in read] == [(d["id"], d["text"]) for d in good[:len(read)]]
        assert isinstance(items[-1], Failure)


@fuzz_settings(60)
@given(data=st.one_of(hostile_text().map(lambda t: t.encode("utf-8")), hostile_text().flatmap(
    lambda t: broken_bytes(t.encode("utf-8")))))
def test_fuzz_text_reader_one_document_or_failure(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.txt"
        path.write_bytes(data)
        items = read_all(path)
    assert len(items) == 1
    if isinstance(items[0], RawDocument):
        assert items[0].text == data.decode("utf-8-sig")


@fuzz_settings(60)
@given(data=broken_html())
def test_fuzz_html_reader_one_document_or_failure(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.html"
        path.write_bytes(data)
        assert len(read_all(path)) == 1


@fuzz_settings(60)
@given(value=st.one_of(
    jsonl_line().map(lambda pair: pair[0]),
    jsonl_lines(max_size=5).map(lambda lines: [line for line, _ in lines]).map(
        lambda lines: b"[" + b",".join(lines) + b"]")))
def test_fuzz_json_reader_never_raises(value: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.json"
        path.write_bytes(value)
        read_all(path)


# --- pipeline ---------------------------------------------------------------------------------


@fuzz_settings(100)
@given(doc_id=IDS, text=ARTICLES, title=st.none() | hostile_text(4), published=PUBLISHED,
       pipeline=st.sampled_from(PIPELINES))
def test_fuzz_process_document_record_and_exact_spans(
        doc_id: str, text: str, title: str | None, published: str | None,
        pipeline: Settings) -> None:
    raw = RawDocument(doc_id, text, title=title, published=published)
    check_record(process_document(raw, pipeline), text, doc_id)


@fuzz_settings(60)
@given(text=hostile_text(), published=PUBLISHED)
def test_fuzz_process_document_on_news_with_marks_keeps_spans(text: str,
                                                              published: str | None) -> None:
    """Real events around the noise, so there are spans to check."""
    text = f"قتل 5 مدنيين في غارة جوية على بلدة مارع في ريف حلب الشمالي أمس. {text} " \
           "وقال المرصد السوري لحقوق الإنسان إن اشتباكات عنيفة دارت بين الجيش السوري " \
           "وتنظيم داعش في دير الزور."
    check_record(process_document(RawDocument("n", text, published=published)), text, "n")


# --- batch ------------------------------------------------------------------------------------

runner = CliRunner()


def extract(path: Path, out: Path) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["extract", str(path), "--out", str(out), "--quiet",
                                 "--no-ner"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output
    # JSON Lines are separated by "\n" alone: str.splitlines() would also cut at U+2028
    return [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]


@fuzz_settings(40)
@given(lines=jsonl_lines(1, 8))
def test_fuzz_extract_jsonl_one_record_per_line_in_order(
        lines: list[tuple[bytes, dict[str, Any] | None]]) -> None:
    lines.append((json.dumps({"id": "last", "text": "قتل 3 مدنيين في بغداد"}).encode(),
                  {"id": "last", "text": "قتل 3 مدنيين في بغداد"}))
    data = b"\n".join(line for line, _ in lines)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_bytes(data)
        records = extract(path, Path(tmp) / "out.jsonl")
    written = [(line, doc) for line, doc in lines if line.strip()]
    assert len(records) == len(written)
    for record, (_, doc) in zip(records, written, strict=True):
        if doc is not None and len(doc["text"]) <= Settings().max_document_chars:
            check_record(record, doc["text"], str(doc["id"]))
            assert "error" not in record
        elif "error" in record:
            check_record(record, "", record["doc_id"])
        else:  # damage that left a readable document (a BOM, a cut at the very end)
            assert {"doc_id", "events", "places"} <= record.keys()


@fuzz_settings(30)
@given(good=st.lists(hostile_text(8).filter(lambda t: t.strip() and "\x00" not in t),
                     min_size=1, max_size=3),
       html=broken_html(), txt=hostile_text(6).flatmap(lambda t: broken_bytes(t.encode())),
       cut=st.floats(0.01, 0.99))
def test_fuzz_extract_folder_goes_on_after_bad_files(good: list[str], html: bytes, txt: bytes,
                                                     cut: float) -> None:
    docs = [{"id": f"g{i}", "text": t} for i, t in enumerate(good)]
    plain = b"".join(json.dumps(d).encode() + b"\n" for d in docs)
    zipped = [{"id": f"z{i}", "text": t} for i, t in enumerate(good)]
    packed = gzip.compress(b"".join(json.dumps(d).encode() + b"\n" for d in zipped), mtime=0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        (folder / "a_cut.jsonl.gz").write_bytes(packed[:max(1, int(len(packed) * cut))])
        (folder / "b_page.html").write_bytes(html)
        (folder / "c_note.txt").write_bytes(txt)
        (folder / "d_good.jsonl").write_bytes(plain)
        records = extract(folder, Path(tmp) / "out.jsonl")
        page_and_note = [item for name in ("b_page.html", "c_note.txt")
                         for item in read_documents(folder / name, Settings())]
    # files in sorted order: what the cut file held before the cut, then a failure for it; one
    # record each for the page and the note; then every good document, processed
    n = len(docs)
    assert len(records) >= n + 3
    for record, doc in zip(records[-n:], docs, strict=True):
        check_record(record, doc["text"], doc["id"])
        assert "error" not in record
    assert [r["doc_id"] for r in records[-n - 2:-n]] == ["b_page.html", "c_note.txt"]
    for record, item in zip(records[-n - 2:-n], page_and_note, strict=True):
        check_record(record, getattr(item, "text", ""), record["doc_id"])
        assert ("error" in record) == isinstance(item, Failure)
    assert "error" in records[-n - 3]
    read = records[:-n - 3]
    assert [r["doc_id"] for r in read] == [d["id"] for d in zipped[:len(read)]]
    assert not any("error" in r for r in read)
