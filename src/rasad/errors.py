"""Every error rasad raises or records, with a stable code.

    RasadError                     base; `code` (E###) and `message`
    ├── InputError                 one document cannot be read; the batch goes on
    │     E101 not UTF-8, E102 malformed JSON line, E103 missing or empty id, E104 empty text,
    │     E105 document too large, E106 binary content, E107 not a JSON object,
    │     E108 a field has the wrong type, E109 file unreadable, E110 HTML without text,
    │     E111 unsupported file type, E112 the input holds no document at all
    ├── ProcessingError            E201 the extractor failed on a document (a bug: report it)
    ├── StoreError                 E301 database cannot be opened or written, or is not one rasad
    │                              wrote, E302 unknown export format, E303 bad search query,
    │                              E304 bad filter (unknown country or event type, bad date)
    ├── EvalError                  E401 gold file malformed, E402 prediction file malformed,
    │                              E403 unknown evaluation kind, E404 quality floor missed
    ├── ConfigError                E501 bad setting or settings file, E502 optional extra missing,
    │                              E503 a packaged data file is inconsistent, E504 bad value of
    │                              a command-line option (`extract --published`, `--format` …),
    │                              E606 bad feeds file (`rasad watch FEEDS.yaml`)
    └── FetchError                 a source of `rasad ingest`/`watch` cannot be read; the run goes
                                   on (recorded in the outlet's health and `failures`):
                                   E601 unreachable (refused, timeout, DNS), E602 HTTP error
                                   status, E603 response over the size limit, E604 not an RSS or
                                   Atom feed (garbage), E605 unreadable WARC file, E607 neither a
                                   feed nor an HTML page

A failed document is written to the output as ``{"doc_id": …, "error": {"code", "message"}}``
and, with ``--db``, as a row of the ``failures`` table; it never stops a batch.
"""

from __future__ import annotations


class RasadError(Exception):
    """Base of all rasad errors: a stable `code` and a human-readable `message`."""

    code = "E000"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class InputError(RasadError):
    """A document that cannot be read; reported per document, the batch goes on."""

    code = "E101"


class ProcessingError(RasadError):
    """The extractor failed on one document."""

    code = "E201"


class StoreError(RasadError):
    """The store (SQLite or PostgreSQL) or an export failed."""

    code = "E301"


class EvalError(RasadError):
    """Gold or prediction files are malformed, or a quality floor is missed."""

    code = "E401"


class ConfigError(RasadError):
    """A setting, settings file or optional extra is missing or wrong."""

    code = "E501"


class FetchError(RasadError):
    """A feed, page or archive cannot be fetched or read (`rasad.ingest`)."""

    code = "E601"
