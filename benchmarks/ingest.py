"""`rasad ingest` on a WARC of news pages: the first run, the second (incremental) run, and the
extraction alone on the same texts.

    python benchmarks/ingest.py ../shared/data/corpora/saudinewsnet/articles.jsonl.gz -n 300

Wraps the first N articles of a JSON Lines corpus in HTML pages (title, a published-time meta
tag, a canonical link, the text in paragraphs) and writes them as the response records of a
WARC file.  Then, in one process with the resources loaded once beforehand, it times:

- extract: `process_document` on each article's text (what `rasad extract` costs per document);
- ingest 1: `Ingester.ingest(WARC)` into a fresh database (reading the WARC, trafilatura,
  htmldate, the ledger, extraction and storage);
- ingest 2: the same again (every document unchanged: nothing is processed).

It prints seconds and documents per second of each, ingest 1 over extract (the cost of reading
pages and keeping the ledger, on top of extraction) and ingest 2 over ingest 1.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from rasad.ingest.fetch import StaticFetcher
from rasad.ingest.run import Ingester
from rasad.io.store import Store
from rasad.pipeline import get_pipeline, process_document
from rasad.records import RawDocument
from rasad.settings import Settings
from throughput import corpus_lines


def page(article: dict[str, str]) -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article["text"].split("\n")
                         if p.strip())
    title = html.escape(article.get("title") or "")
    return (f'<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="{article.get("published", "")}">'
            f'<link rel="canonical" href="https://news.test/{article["id"]}"></head><body>'
            f"<article><h1>{title}</h1>{paragraphs}</article></body></html>").encode()


def write_warc(path: Path, articles: list[dict[str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for article in articles:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://news.test/{article['id']}", "response",
                payload=io.BytesIO(page(article)), http_headers=headers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--no-ner", action="store_true")
    args = parser.parse_args()
    articles = [a for a in (json.loads(line) for line in corpus_lines(args.corpus, args.n))
                if str(a.get("text") or "").strip()]
    settings = Settings(use_ner=not args.no_ner)
    get_pipeline(settings).load()
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "pages.warc.gz"
        write_warc(warc, articles)
        started = time.perf_counter()
        for a in articles:
            process_document(RawDocument(a["id"], a["text"], published=a.get("published")),
                             settings)
        extract = time.perf_counter() - started
        runs = []
        for _ in range(2):
            store = Store(Path(tmp) / "ingest.db")
            ingester = Ingester(store, settings, StaticFetcher({}))
            started = time.perf_counter()
            ingester.ingest(str(warc))
            store.close()
            runs.append((time.perf_counter() - started, ingester.summary))
    n = len(articles)
    print(f"{n} articles ({warc.name}), NER {'off' if args.no_ner else 'on'}")
    print(f"extract   {extract:7.2f} s  {n / extract:7.1f} docs/s")
    for i, (seconds, summary) in enumerate(runs, start=1):
        print(f"ingest {i}  {seconds:7.2f} s  {n / seconds:7.1f} docs/s  "
              f"processed {summary.processed}, unchanged {summary.unchanged}, "
              f"duplicates {summary.duplicates}, failed {sum(summary.failed.values())}")
    print(f"ingest 1 / extract {runs[0][0] / extract:.2f}; "
          f"ingest 2 / ingest 1 {runs[1][0] / runs[0][0]:.3f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
