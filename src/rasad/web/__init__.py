"""The monitor: a read-only HTTP API over a rasad database and the page analysts open.

`rasad.web.queries` reads the store (events, incidents, documents, counts per day) through an
in-memory copy (`rasad.web.mirror`) of a SQLite file or a PostgreSQL database; `rasad.web.api`
is the FastAPI app (`create_app`) that serves them as JSON, GeoJSON and ACLED CSV under
``/api/``, the OpenAPI docs from packaged assets, and the page in ``static/`` (plain HTML, CSS
and JavaScript with vendored Leaflet; no build step).
FastAPI and uvicorn are dependencies of the package; `rasad serve` starts it.
"""
