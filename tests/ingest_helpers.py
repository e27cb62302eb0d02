"""A web server on 127.0.0.1 for the ingest tests: serves a copy of `fixtures/ingest/site`.

Feeds (``*.xml``) have ``{BASE}`` replaced by the server's address and an ETag (a conditional
GET with it answers 304); ``/broken.xml`` answers 500; HTML pages are served by the standard
library's handler (Last-Modified, and 304 for ``If-Modified-Since``).  Every request is logged
as ``(path, status, headers)``; nothing leaves the machine.
"""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from rasad.ingest.ledger import Ledger
from rasad.io.store import Store
from rasad.settings import Settings
from store_helpers import query

SITE = Path(__file__).resolve().parent / "fixtures" / "ingest" / "site"
FEEDS_YAML = SITE.parent / "feeds.yaml"
SETTINGS = Settings(use_ner=False)


@dataclass
class FixtureSite:
    root: Path
    base: str
    log: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def requests(self, path: str) -> list[tuple[int, dict[str, str]]]:
        """Status and headers of every request for `path` (query and fragment ignored)."""
        return [(status, headers) for logged, status, headers in self.log
                if urlsplit(logged).path == path]


class _Handler(SimpleHTTPRequestHandler):
    site: FixtureSite

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        self.site.log.append((self.path, code, dict(self.headers)))
        super().send_response(code, message)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/broken.xml":
            self.send_error(500, "Internal Server Error")
            return
        if not path.endswith(".xml"):
            super().do_GET()
            return
        file = self.site.root / path.lstrip("/")
        if not file.is_file():
            self.send_error(404)
            return
        body = file.read_bytes().replace(b"{BASE}", self.site.base.encode())
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[FixtureSite]:
    """The fixture site, copied to `tmp_path` (tests may change it), served on 127.0.0.1."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    # The same article under another URL (a syndicated copy): one document by its text.
    (root / "mirror").mkdir()
    shutil.copy(root / "2015" / "07" / "22" / "marib.html", root / "mirror" / "marib-copy.html")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    fixture = FixtureSite(root, f"http://127.0.0.1:{server.server_address[1]}")
    handler = type("Handler", (_Handler,), {"site": fixture})

    def serve() -> None:
        server.serve_forever(poll_interval=0.05)

    def make(request: Any, address: Any, srv: Any) -> _Handler:
        return handler(request, address, srv, directory=str(root))

    server.RequestHandlerClass = make  # type: ignore[assignment]
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield fixture
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def documents(db: str | Path) -> dict[str, dict[str, Any]]:
    """The stored documents by id (SQLite or PostgreSQL)."""
    return {row["doc_id"]: row for row in query(db, "select * from documents")}


def ledger_rows(db: str | Path) -> list[dict[str, Any]]:
    return query(db, "select * from ledger order by key")


def health(db: str | Path) -> dict[str, dict[str, Any]]:
    store = Store(db)
    rows = {row["name"]: row for row in Ledger(store).health()}
    store.close()
    return rows
