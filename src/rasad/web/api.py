"""The HTTP API and the page: `create_app(db_path, token=None)`, a FastAPI app.

The database is a SQLite file or a ``postgresql://`` URL (`rasad.io.store.open_store`).
Read endpoints (GET, JSON under ``/api/``) answer from `rasad.web.queries` over the app's
`rasad.web.mirror.Mirror` (an in-memory copy of the flat columns; a SQLite file is attached
read-only, a PostgreSQL database read through its store);
every list takes the same filter parameters (`filters`), ``sort``, ``limit`` and ``offset``, and
says its ``total``.  A bad parameter is a 422
whose ``detail`` says which value is wrong and what would be right.  The two write endpoints
(``POST /api/incidents/{id}/verify``, ``POST /api/documents``) need the token given at start-up,
as ``Authorization: Bearer T`` or ``X-Rasad-Token: T``; every write request without it is answered
401 (no token) or 403 (a wrong one, or a server started without a token) before anything else
is read, so nothing changes.  ``/docs`` is Swagger UI from the packaged ``static/vendor`` files
(no CDN), ``/`` the page (``static/index.html``), served with a Content-Security-Policy that lets
it load nothing from anywhere but this server.
"""

from __future__ import annotations

import hmac
import io
import json
import os
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi import Query as Param
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from rasad import __version__
from rasad.errors import RasadError, StoreError
from rasad.io.export import write_export
from rasad.io.store import is_postgres_url, open_store
from rasad.records import RawDocument
from rasad.settings import Settings
from rasad.web import queries
from rasad.web.asgi import EventsFastPath, Guard
from rasad.web.mirror import Mirror
from rasad.web.monitor import monitor_router
from rasad.web.queries import Query

STATIC = Path(str(resources.files("rasad.web") / "static"))
SERVE_DB = "RASAD_SERVE_DB"
"""The variable that gives `app_from_environment` its database."""

Modality = Literal["asserted", "attempted", "negated", "hedged", "future"]
T = TypeVar("T")
V = TypeVar("V")


class VerifyIn(BaseModel):
    """An analyst's verdict on an incident."""

    verified: bool = True
    note: str | None = Field(default=None, max_length=2000)


class DocumentIn(BaseModel):
    """One document to process and store (the fields of a JSON Lines input line)."""

    id: str = Field(min_length=1, max_length=500)
    text: str = Field(min_length=1)
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None


def unprocessable(message: str, code: str = "E304") -> HTTPException:
    """A 422 in FastAPI's shape, with rasad's error code."""
    return HTTPException(422, detail=[{"loc": ["query"], "msg": message, "type": "value_error",
                                       "code": code}])


def filters(
    type: Annotated[list[str] | None, Param(
        description="Event type or sub-event type (ACLED); repeat for any of several.")] = None,
    sub_type: Annotated[list[str] | None, Param(description="Sub-event type.")] = None,
    actor: Annotated[list[str] | None, Param(
        description="Words of an actor's name (English registry name or the Arabic text).")
    ] = None,
    country: Annotated[list[str] | None, Param(
        description="ISO alpha-2/alpha-3 code or English name.")] = None,
    admin1: Annotated[list[str] | None, Param(description="First-level division.")] = None,
    date_from: Annotated[str | None, Param(description="YYYY-MM-DD (included).")] = None,
    date_to: Annotated[str | None, Param(description="YYYY-MM-DD (included).")] = None,
    bbox: Annotated[str | None, Param(description="min_lon,min_lat,max_lon,max_lat")] = None,
    modality: Annotated[list[Modality] | None, Param()] = None,
    q: Annotated[str | None, Param(
        max_length=queries.MAX_QUERY_LENGTH,
        description="Full-text query (FTS5 syntax; Arabic normalised).")
    ] = None,
    q_in: Annotated[Literal["evidence", "document"], Param(
        description="evidence: the event's sentence matches; document: its article does.")
    ] = "evidence",
    no_background: Annotated[bool, Param(
        description="Leave out background events (dated well before publication).")] = False,
) -> Query:
    """The filter of a request (422 for a bad value)."""
    try:
        return Query.build(type or (), sub_type or (), actor or (), country or (), admin1 or (),
                           date_from, date_to, bbox, modality or (), q, q_in, no_background)
    except RasadError as exc:
        raise unprocessable(exc.message, exc.code) from None


def mirror(request: Request) -> Mirror:
    """The app's in-memory copy of the database (`rasad.web.mirror`)."""
    found: Mirror = request.app.state.mirror
    return found


Reader = Annotated[Mirror, Depends(mirror)]
Filter = Annotated[Query, Depends(filters)]
Limit = Annotated[int, Param(ge=1, le=queries.MAX_LIMIT)]
Offset = Annotated[int, Param(ge=0, le=queries.MAX_OFFSET)]


def app_from_environment() -> FastAPI:
    """The app of one worker of ``rasad serve --workers N``: the database named by
    ``RASAD_SERVE_DB``, the token by ``RASAD_TOKEN`` (empty: read-only)."""
    return create_app(os.environ[SERVE_DB], token=os.environ.get("RASAD_TOKEN") or None)


def create_app(db_path: str | Path, token: str | None = None) -> FastAPI:
    """The API and page over the rasad database `db_path`, a SQLite file or a PostgreSQL URL
    (E301 unless rasad wrote it); writes need `token` (none: the server is read-only)."""
    open_store(db_path, create=False).close()
    mirror = Mirror(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        mirror.close()  # a PostgreSQL store's connection

    app = FastAPI(title="rasad", version=__version__, docs_url=None, redoc_url=None,
                  lifespan=lifespan,
                  description="Conflict events read from Arabic news: events, incidents, "
                  "documents with evidence spans. Read-only unless started with a token.")
    bearer = HTTPBearer(auto_error=False, description="The token rasad serve was started with.")
    app.state.mirror = mirror

    app.add_middleware(EventsFastPath, mirror=mirror)
    app.add_middleware(Guard, refusal=lambda request: _refusal(request, token))

    @app.exception_handler(sqlite3.OperationalError)
    async def busy(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": f"database error: {exc}"}, status_code=503)

    if is_postgres_url(db_path):  # a server that went away, a dropped connection
        import psycopg

        app.add_exception_handler(psycopg.OperationalError, busy)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="rasad API",
            swagger_js_url="/static/vendor/swagger-ui-dist/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui-dist/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg")

    @app.get("/api/facets", summary="What the filters can take: countries, types, date range")
    def facets(db: Reader) -> dict[str, Any]:
        return _answer(db, lambda conn: queries.facets(conn, db.store))

    @app.get("/api/events", summary="Events (json, geojson or ACLED csv)")
    def events(db: Reader, query: Filter,
               sort: Annotated[str, Param(
                   description="date, fatalities, type, country, confidence; -key for "
                               "descending")] = queries.DEFAULT_SORT,
               limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0,
               format: Literal["json", "geojson", "csv"] = "json") -> Any:
        if format != "json":
            return _export(db, query, format)
        return Response(_answer(db, lambda conn: queries.events_page(
            conn, query, sort, limit, offset, db.store)), media_type="application/json")

    @app.get("/api/events.geojson", summary="The filtered events as a GeoJSON FeatureCollection")
    def events_geojson(db: Reader, query: Filter) -> Response:
        return _export(db, query, "geojson")

    @app.get("/api/events.csv", summary="The filtered events as ACLED-style CSV")
    def events_csv(db: Reader, query: Filter) -> Response:
        return _export(db, query, "csv")

    @app.get("/api/incidents", summary="Incidents: one of their events passes the filter")
    def incidents(db: Reader, query: Filter,
                  sort: Annotated[str, Param(
                      description="date, fatalities, type, country, reports; -key for "
                                  "descending")] = queries.DEFAULT_SORT,
                  limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0,
                  format: Annotated[Literal["json", "table"], Param(
                      description="json: items; table: columns and rows (compact)")] = "json",
                  ) -> Response:
        return _json(_answer(db, lambda conn: queries.list_incidents(
            conn, query, sort, limit, offset, table=format == "table", store=db.store)))

    @app.get("/api/incidents/{incident_id}", summary="One incident and its reports, with spans")
    def incident(db: Reader, incident_id: str) -> dict[str, Any]:
        return _found(_answer(db, lambda conn: queries.incident_detail(conn, incident_id,
                                                                       db.store)),
                      "incident", incident_id)

    @app.get("/api/documents/{doc_id:path}", summary="A document: text, events, every span")
    def document(db: Reader, doc_id: str) -> dict[str, Any]:
        return _found(_answer(db, lambda conn: queries.document_detail(conn, doc_id, db.store)),
                      "document", doc_id)

    @app.get("/api/stats", summary="Incidents per day and type (the timeline)")
    def stats(db: Reader, query: Filter) -> Response:
        return _json(_answer(db, lambda conn: queries.daily_counts(conn, query, db.store)))

    app.include_router(monitor_router(db_path, mirror.generation))  # /api/trends, /api/alerts

    @app.post("/api/incidents/{incident_id}/verify", dependencies=[Depends(bearer)],
              summary="Mark an incident verified (or not): needs the token")
    def verify(db: Reader, incident_id: str, body: VerifyIn) -> dict[str, Any]:
        from rasad.web.writes import mark_verified

        _found(_answer(db, lambda conn: queries.incident_row(conn, incident_id)), "incident",
               incident_id)
        return mark_verified(db_path, incident_id, body.verified, body.note)

    @app.post("/api/documents", dependencies=[Depends(bearer)], status_code=201,
              summary="Process one document and store it: needs the token")
    def ingest(body: DocumentIn) -> dict[str, Any]:
        from rasad.web.writes import ingest_document

        raw = RawDocument(id=body.id, text=body.text, title=body.title,
                          published=body.published, source=body.source, url=body.url)
        record = ingest_document(db_path, raw, Settings.load())
        if "error" in record:
            raise unprocessable(record["error"]["message"], record["error"]["code"])
        return {"doc_id": record["doc_id"], "genre": record.get("genre"),
                "events": len(record["events"]), "warnings": record.get("warnings") or []}

    return app


def _refusal(request: Request, token: str | None) -> JSONResponse | None:
    """401 or 403 for a write request without the right token; None when it has it."""
    if token is None:
        return JSONResponse({"detail": "read-only server: start rasad serve with --token "
                             "(or RASAD_TOKEN) to allow writes"}, status_code=403)
    given = request.headers.get("x-rasad-token")
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if given is None and scheme.lower() == "bearer":
        given = credentials.strip()
    if not given:
        return JSONResponse({"detail": "this endpoint needs the token: Authorization: Bearer "
                             "TOKEN or X-Rasad-Token: TOKEN"}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode(), token.encode()):
        return JSONResponse({"detail": "wrong token"}, status_code=403)
    return None


def _found(value: V | None, what: str, key: str) -> V:
    """`value`, or a 404 that names what was not found."""
    if value is None:
        raise HTTPException(404, detail=f"no {what} {key!r}")
    return value


def _json(value: Any) -> Response:
    """`value` as JSON, written directly (the lists are plain dicts: nothing to validate)."""
    return Response(json.dumps(value, ensure_ascii=False, separators=(",", ":")),
                    media_type="application/json")


def _answer(db: Mirror, compute: Callable[[sqlite3.Connection], T]) -> T:
    """`compute` over the mirror's connection; a bad sort or query (a coded StoreError) is a
    422."""
    try:
        with db.read() as conn:
            return compute(conn)
    except StoreError as exc:
        raise unprocessable(exc.message, exc.code) from None


def _export(db: Mirror, query: Query, fmt: str) -> Response:
    """The events `query` keeps as GeoJSON or ACLED CSV (`rasad.io.export`), all of them."""
    out = io.StringIO()

    def write(conn: sqlite3.Connection) -> int:
        return write_export(queries.event_records(conn, query, db.store),
                            "geojson" if fmt == "geojson" else "acled-csv", out)

    _answer(db, write)
    if fmt == "geojson":
        return Response(out.getvalue(), media_type="application/geo+json")
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="rasad-events.csv"'})
