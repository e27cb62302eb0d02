"""Fetching over HTTP, politely: one `Fetcher` protocol, a standard-library implementation and a
fake for tests.

`HttpFetcher.get(url, etag, last_modified)` sends a clear User-Agent, the conditional headers
(``If-None-Match``, ``If-Modified-Since``) when the caller knows them, waits `delay` seconds
between two requests to the same host, gives up after `timeout` seconds and reads at most
`max_bytes` (gzip-encoded bodies are decoded within the same limit).  It never raises for the
network: a refused connection, a timeout, an HTTP error status or a body over the limit comes
back as a `Response` with an error code (E601 unreachable, E602 HTTP error status, E603 too
large); 304 Not Modified is a response like any other (`not_modified`).  `StaticFetcher` answers
from a dictionary and records what was asked, for tests that need no server.
"""

from __future__ import annotations

import gzip
import io
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import HTTPException, HTTPResponse
from typing import Protocol
from urllib.parse import urlsplit

from rasad import __version__
from rasad.ingest.urls import request_url

USER_AGENT = (f"rasad/{__version__} (Arabic conflict-event monitor; "
              "+https://github.com/rasad-project/rasad)")
TIMEOUT = 20.0
MAX_BYTES = 10_000_000
DELAY = 1.0


@dataclass(slots=True)
class Response:
    """What a GET gave: the final URL, status, headers that matter and the body, or an error."""

    url: str
    status: int = 0
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error_code: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error_code is None and self.status == 200

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher(Protocol):
    """Anything that GETs a URL, with optional validators from an earlier response."""

    def get(self, url: str, etag: str | None = None,
            last_modified: str | None = None) -> Response: ...


class _NoRedirectOn304(urllib.request.HTTPErrorProcessor):
    """urllib reports 304 as an error; it is an answer."""

    def http_response(self, request: urllib.request.Request,
                      response: HTTPResponse) -> HTTPResponse:
        if response.status == 304:
            return response
        return super().http_response(request, response)  # type: ignore[no-any-return]

    https_response = http_response


def _read_limited(response: HTTPResponse, max_bytes: int) -> bytes | None:
    """The body, decoded from gzip or deflate; None when it is longer than `max_bytes`."""
    data = response.read(max_bytes + 1)
    if len(data) > max_bytes:
        return None
    encoding = (response.headers.get("Content-Encoding") or "").lower()
    if encoding in ("gzip", "x-gzip"):
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            data = stream.read(max_bytes + 1)
    elif encoding == "deflate":
        data = zlib.decompressobj().decompress(data, max_bytes + 1)
    return None if len(data) > max_bytes else data


class HttpFetcher:
    """GET with the standard library (see the module docstring)."""

    def __init__(self, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES,
                 delay: float = DELAY, user_agent: str = USER_AGENT,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.delay = delay
        self.user_agent = user_agent
        self.sleep = sleep
        self._last: dict[str, float] = {}
        self._opener = urllib.request.build_opener(_NoRedirectOn304())

    def _wait_for(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None and self.delay > 0:
            wait = last + self.delay - time.monotonic()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = time.monotonic()

    def get(self, url: str, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate",
                   "Accept": "application/rss+xml, application/atom+xml, application/xml, "
                             "text/xml, text/html;q=0.9, */*;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        address = request_url(url)
        self._wait_for(urlsplit(address).netloc.lower())
        try:
            request = urllib.request.Request(address, headers=headers)
            with self._opener.open(request, timeout=self.timeout) as response:
                out = Response(response.geturl(), response.status,
                               content_type=response.headers.get("Content-Type") or "",
                               etag=response.headers.get("ETag"),
                               last_modified=response.headers.get("Last-Modified"))
                if response.status == 304:
                    return out
                body = _read_limited(response, self.max_bytes)
        except urllib.error.HTTPError as exc:
            return Response(url, exc.code, error_code="E602",
                            error=f"HTTP {exc.code} {exc.reason} from {url}")
        except (urllib.error.URLError, HTTPException, OSError, TimeoutError, ValueError,
                EOFError, zlib.error) as exc:
            reason = getattr(exc, "reason", None) or exc
            return Response(url, error_code="E601", error=f"cannot fetch {url}: {reason}")
        if body is None:
            return Response(out.url, out.status, error_code="E603",
                            error=f"{url} is larger than {self.max_bytes:,} bytes")
        out.body = body
        return out


@dataclass
class StaticFetcher:
    """A fake `Fetcher`: URL → `Response` (a missing URL is a 404); `requests` lists every call
    as ``(url, etag, last_modified)``."""

    pages: dict[str, Response]
    requests: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    def get(self, url: str, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        self.requests.append((url, etag, last_modified))
        response = self.pages.get(url)
        if response is None:
            return Response(url, 404, error_code="E602", error=f"HTTP 404 Not Found from {url}")
        if response.etag and etag == response.etag:
            return Response(url, 304, etag=etag)
        return response
