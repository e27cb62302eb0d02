"""Ingest: feeds, pages and archives in, incrementally (the layer above `rasad.io`).

    urls     canonical URLs (the ledger's keys), document ids from URLs, dates in URLs
    fetch    the `Fetcher` protocol: `HttpFetcher` (standard library, polite) and `StaticFetcher`
    pages    HTML pages and RSS/Atom feeds as documents, with the source of each date
    ledger   what was ingested (canonical URL + content hash → doc_id), conditional-GET state,
             and each outlet's health
    run      `Ingester`: one run over SOURCEs, every new or changed document through
             `rasad.pipeline.process_document` into the `Store`
    watch    FEEDS.yaml and the polling loop of `rasad watch`
"""
