"""URLs as the ledger keys them: canonical form, a document id, and a date written in the path.

`canonical_url` makes the many spellings of one article's address one key: scheme and host in
lower case (``http`` and ``https`` alike: an outlet serves both), no ``www.``, no default port,
no fragment, no tracking parameters (``utm_*``, ``fbclid`` …), the remaining query parameters
sorted, and no trailing slash on the path.  A page's ``<link rel="canonical">`` is preferred to
the address it was fetched from (`rasad.ingest.pages`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote,
    unquote,
    urlencode,
    urlsplit,
    urlunsplit,
)

from rasad.records import stable_id

TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_")
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mkt_tok", "_ga",
    "ref_src", "cmpid", "ocid", "at_medium", "at_campaign", "at_custom1", "xtor", "ito",
})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SAFE = "/:@!$&'()*+,;=-._~"
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])"
                       r"(?!\d)")


def _text(url: str) -> str:
    """`url` stripped, lone surrogates (undecodable bytes of a command line) as «?»."""
    return url.encode("utf-8", "replace").decode("utf-8").strip()


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(_text(url))
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:  # «http://[bad», a port out of range: not an address
        return None
    return parts


def is_url(value: str) -> bool:
    """An http(s) address with a host (anything else is a path)."""
    parts = _split(value)
    return parts is not None and parts.scheme.lower() in _DEFAULT_PORTS and bool(parts.hostname)


def request_url(url: str) -> str:
    """`url` as an HTTP request can carry it: an Arabic host in IDNA, an Arabic path or query
    percent-encoded (what is already encoded is kept)."""
    parts = _split(url)
    if parts is None:
        return _text(url)
    host = parts.hostname or ""
    with contextlib.suppress(UnicodeError):  # else left as written: the request fails, coded
        host = host.encode("idna").decode("ascii")
    host = f"[{host}]" if ":" in host else host  # IPv6
    netloc = host if parts.port is None else f"{host}:{parts.port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=_SAFE + "%"),
                       quote(parts.query, safe=_SAFE + "%?"), ""))


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMETERS


def canonical_url(url: str) -> str:
    """The ledger's key for `url` (see the module docstring); https is written for http.  A
    string that is no URL at all is its own key, stripped."""
    parts = _split(url)
    if parts is None:
        return _text(url)
    scheme = parts.scheme.lower()
    if scheme in _DEFAULT_PORTS:
        scheme = "https"
    host = (parts.hostname or "").lower().rstrip(".")
    host = host.removeprefix("www.")
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    # Percent-encode one way whatever the link wrote: «/أخبار/» and «/%D8%A3…/» are one path.
    path = quote(unquote(parts.path), safe=_SAFE) or "/"
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not _is_tracking(k))
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def url_doc_id(canonical: str) -> str:
    """A document id for a canonical URL: its host and 12 hex digits of its hash (no ``/``, so it
    can stand in a path)."""
    parts = _split(canonical)
    host = (parts.netloc if parts else "") or "page"
    return f"{host}-{stable_id(canonical, length=12)}"


def url_date(url: str) -> str | None:
    """A calendar day written in a URL's path (``/2015/07/21/``, ``/20150721-``), as YYYY-MM-DD,
    when it is a real day no later than today."""
    parts = _split(url)
    for m in _URL_DATE.finditer(parts.path if parts else ""):
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        if day <= dt.date.today():
            return day.isoformat()
    return None
