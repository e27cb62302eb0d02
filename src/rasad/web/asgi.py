"""The app's own ASGI middleware: the write guard and page policy, and the quick way to the
event lists.

`Guard` answers a write request without the right token (401/403) before anything reads it, and
gives the page and its static files their Content-Security-Policy: what a FastAPI ``http``
middleware did, without its cost (it runs every request through a task and a stream).

`EventsFastPath` answers a plain ``GET /api/events`` (JSON, parameters that are clearly valid) in
the event loop, straight from the mirror, without FastAPI's routing, parameter solving and thread
pool: those cost about as much CPU as the query itself.  Whatever it does not take for certain
goes on to the FastAPI route, which answers it as before: an unknown or repeated parameter, a
value FastAPI would have to convert or refuse (``limit=abc``, ``modality=maybe``, an empty value),
a filter `Query.build` refuses (the route's 422 says why), a query SQLite refuses, a mirror that
is busy or must copy the database again (the route waits for it in its thread pool, not the event
loop), and every PostgreSQL database (its reads are network calls).  The answer is the route's,
byte for byte (`tests/test_web_api.py` compares them).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import MutableHeaders, QueryParams
from starlette.requests import Request

from rasad.errors import RasadError
from rasad.web import queries
from rasad.web.mirror import Mirror

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PAGE_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
               "script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
"""The page's Content-Security-Policy: nothing is loaded from outside this server."""

LISTS = ("type", "sub_type", "actor", "country", "admin1", "modality")
"""The repeatable parameters of ``/api/events``."""
SCALARS = ("date_from", "date_to", "bbox", "q", "q_in", "no_background", "sort", "limit",
           "offset", "format")
"""Its parameters given once (a repeated one goes to the route)."""
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
DIGITS = re.compile(r"0|[1-9][0-9]{0,8}")


class Guard:
    """Refuses a write request without the token (`refusal`), and sets the page's policy on
    ``/`` and ``/static/…``."""

    def __init__(self, app: ASGIApp, refusal: Callable[[Request], Any]) -> None:
        self.app = app
        self.refusal = refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] in WRITE_METHODS:
            refused = self.refusal(Request(scope))
            if refused is not None:
                await refused(scope, receive, send)
                return
        path = scope["path"]
        if path != "/" and not path.startswith("/static/"):
            await self.app(scope, receive, send)
            return

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["Content-Security-Policy"] = PAGE_POLICY
            await send(message)

        await self.app(scope, receive, with_policy)


def plain_events_request(query_string: bytes) -> dict[str, Any] | None:
    """The arguments of `queries.events_page` for a ``/api/events`` query string whose every
    parameter is one the route would take as it is; None for anything else."""
    params = QueryParams(query_string)
    given: dict[str, Any] = {name: [] for name in LISTS}
    for key, value in params.multi_items():
        if not value:
            return None
        if key in LISTS:
            given[key].append(value)
        elif key in SCALARS and key not in given:
            given[key] = value
        else:
            return None
    if given.get("format", "json") != "json" or given.get("q_in", "evidence") not in (
            "evidence", "document") or len(given.get("q", "")) > queries.MAX_QUERY_LENGTH:
        return None
    if any(m not in queries.MODALITIES for m in given["modality"]):
        return None
    numbers = {}
    for name, default, low, high in (("limit", queries.DEFAULT_LIMIT, 1, queries.MAX_LIMIT),
                                     ("offset", 0, 0, queries.MAX_OFFSET)):
        text = given.get(name)
        if text is not None and not DIGITS.fullmatch(text):
            return None
        numbers[name] = default if text is None else int(text)
        if not low <= numbers[name] <= high:
            return None
    background = given.get("no_background", "false")
    if background not in BOOLEANS:
        return None
    try:
        query = queries.Query.build(
            given["type"], given["sub_type"], given["actor"], given["country"],
            given["admin1"], given.get("date_from"), given.get("date_to"), given.get("bbox"),
            given["modality"], given.get("q"), given.get("q_in", "evidence"),
            BOOLEANS[background])
    except RasadError:
        return None
    return {"query": query, "sort": given.get("sort", queries.DEFAULT_SORT), **numbers}


class EventsFastPath:
    """``GET /api/events`` for the plain requests (see the module's docstring), over `mirror`."""

    def __init__(self, app: ASGIApp, mirror: Mirror) -> None:
        self.app = app
        self.mirror = mirror

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = None
        if (scope["type"] == "http" and scope["method"] == "GET"
                and scope["path"] == "/api/events" and self.mirror.store is None):
            body = self.answer(scope.get("query_string", b""))
        if body is None:
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})

    def answer(self, query_string: bytes) -> bytes | None:
        """The page's JSON, or None to leave the request to the route."""
        request = plain_events_request(query_string)
        if request is None:
            return None
        with self.mirror.current() as conn:
            if conn is None:
                return None
            try:
                return queries.events_page(conn, request["query"], request["sort"],
                                           request["limit"], request["offset"])
            except (RasadError, sqlite3.Error):
                return None
