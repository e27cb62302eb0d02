"""Gold and prediction files of the JSON Lines kinds (articles, gsr, negatives), checked.

`read_gold(path)` reads a gold file (one input document a line, with its `gold` object) and raises
`EvalError` E401 when it is missing or malformed.  `predictions_for(gold, pred, settings)` gives
the contract object of every gold document: read from the prediction file `pred` (one contract
object a line, contract §3), or, without one, made by running the extractor on the gold documents
themselves (the `gold` key stripped).  A prediction file that is not JSON Lines, a line without a
`doc_id`, an id that is not in the gold file, a repeated id or a field of the wrong type raises
E402 with the line and the field; a gold document with no line in the prediction file is scored as
a document in which nothing was found, and said so in the result's notes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rasad.errors import EvalError
from rasad.eval.spans import SpanTally
from rasad.io.readers import Failure, document_from_object
from rasad.pipeline import get_pipeline
from rasad.records import error_record
from rasad.settings import Settings

_NONE = type(None)
_NUMBER = (int, float)
_EVENT_FIELDS: dict[str, tuple[type, ...]] = {
    "event_type": (str,), "sub_event_type": (str, _NONE), "event_date": (str, _NONE),
    "fatalities": (int, _NONE), "modality": (str, _NONE), "location": (dict, _NONE),
    "actor1": (dict, _NONE), "actor2": (dict, _NONE), "evidence": (dict, _NONE),
}
_LOCATION_FIELDS: dict[str, tuple[type, ...]] = {
    "text": (str, _NONE), "name": (str, _NONE), "name_ar": (str, _NONE),
    "country": (str, _NONE), "admin1": (str, _NONE), "latitude": (*_NUMBER, _NONE),
    "longitude": (*_NUMBER, _NONE), "geo_precision": (int, _NONE),
}
_ACTOR_FIELDS: dict[str, tuple[type, ...]] = {
    "name": (str, _NONE), "text": (str, _NONE), "start": (int, _NONE), "end": (int, _NONE),
}
_SPAN_FIELDS: dict[str, tuple[type, ...]] = {
    "text": (str, _NONE), "start": (int, _NONE), "end": (int, _NONE),
}


@dataclass(slots=True)
class GoldSet:
    """The documents of a gold file, in file order, each with its `gold` object."""

    path: Path
    docs: list[dict[str, Any]]

    @property
    def ids(self) -> list[str]:
        return [str(doc["id"]) for doc in self.docs]


@dataclass(slots=True)
class Predictions:
    """The contract object of every gold document, and what is worth saying about them."""

    records: dict[str, dict[str, Any]]
    notes: list[str] = field(default_factory=list)


def read_jsonl(path: Path, error: Callable[[str], EvalError], what: str
               ) -> list[tuple[int, dict[str, Any]]]:
    """(line number, object) of every non-blank line; any problem raises `error(message)`."""
    if not path.is_file():
        raise error(f"{what} file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read {what} file {path}: {exc}") from exc
    objects = []
    # "\n" alone ends a line: str.splitlines() would also cut inside a string at U+2028 or U+0085
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise error(f"{what} file {path}, line {lineno}: not valid JSON ({exc})") from exc
        if not isinstance(obj, dict):
            raise error(f"{what} file {path}, line {lineno}: expected a JSON object, "
                        f"got {type(obj).__name__}")
        objects.append((lineno, obj))
    if not objects:
        raise error(f"{what} file {path} holds no documents")
    return objects


def gold_error(message: str) -> EvalError:
    return EvalError(message, code="E401")


def prediction_error(message: str) -> EvalError:
    return EvalError(message, code="E402")


def read_gold(path: Path, check: Callable[[dict[str, Any]], str | None] | None = None
              ) -> GoldSet:
    """The gold documents of `path`; `check(gold)` may name what is wrong with one `gold`."""
    docs = []
    seen: set[str] = set()
    for lineno, obj in read_jsonl(Path(path), gold_error, "gold"):
        doc_id = obj.get("id")
        where = f"gold file {path}, line {lineno}"
        if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) or not str(doc_id):
            raise gold_error(f"{where}: missing or empty 'id'")
        if str(doc_id) in seen:
            raise gold_error(f"{where}: id {doc_id!r} appears twice")
        seen.add(str(doc_id))
        if not isinstance(obj.get("text"), str):
            raise gold_error(f"{where}: 'text' is missing or not a string")
        if not isinstance(obj.get("gold"), dict):
            raise gold_error(f"{where}: no 'gold' object (is this a gold file?)")
        problem = check(obj["gold"]) if check else None
        if problem:
            raise gold_error(f"{where} ({doc_id}): {problem}")
        docs.append(obj)
    return GoldSet(Path(path), docs)


def span_metrics(gold: GoldSet, predictions: Predictions) -> dict[str, float | int | None]:
    """How many spans the predictions hold and the share that slice their text exactly."""
    tally = SpanTally()
    for doc in gold.docs:
        doc_id = str(doc["id"])
        tally.add(doc_id, predictions.records.get(doc_id, {}), str(doc.get("text", "")))
    for doc_id, problem in tally.problems[:5]:
        predictions.notes.append(f"inexact span in {doc_id}: {problem}")
    return {"spans": tally.spans, "span_exactness": tally.exactness}


def predictions_for(gold: GoldSet, pred: Path | None, settings: Settings) -> Predictions:
    """Read `pred`, or run the extractor on the gold documents when it is None."""
    if pred is None:
        return extract_predictions(gold, settings)
    return read_predictions(gold, Path(pred))


def extract_predictions(gold: GoldSet, settings: Settings) -> Predictions:
    """Run the pipeline on every gold document (its `gold` key removed)."""
    pipeline = get_pipeline(settings)
    records: dict[str, dict[str, Any]] = {}
    for doc in gold.docs:
        doc_id = str(doc["id"])
        source = {k: v for k, v in doc.items() if k != "gold"}
        raw = document_from_object(source, doc_id, settings, str(gold.path))
        if isinstance(raw, Failure):
            records[doc_id] = error_record(doc_id, raw.code, raw.message)
        else:
            records[doc_id] = pipeline.process(raw)
    return Predictions(records, failure_notes(records))


def read_predictions(gold: GoldSet, path: Path) -> Predictions:
    """The contract objects of a prediction file, checked against the gold ids."""
    wanted = set(gold.ids)
    records: dict[str, dict[str, Any]] = {}
    for lineno, obj in read_jsonl(path, prediction_error, "prediction"):
        where = f"prediction file {path}, line {lineno}"
        doc_id = obj.get("doc_id")
        if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool) or not str(doc_id):
            raise prediction_error(f"{where}: missing or empty 'doc_id' (each line must be one "
                                   "contract object, as `rasad extract` writes)")
        doc_id = str(doc_id)
        if doc_id not in wanted:
            raise prediction_error(f"{where}: doc_id {doc_id!r} is not in the gold file "
                                   f"{gold.path} (a prediction file for another gold set?)")
        if doc_id in records:
            raise prediction_error(f"{where}: doc_id {doc_id!r} appears twice")
        problem = record_problem(obj)
        if problem:
            raise prediction_error(f"{where} ({doc_id}): {problem}")
        records[doc_id] = obj
    missing = [doc_id for doc_id in gold.ids if doc_id not in records]
    notes = failure_notes(records)
    if missing:
        notes.append(f"{len(missing)} gold document(s) have no line in {path} and are scored as "
                     f"documents with no events (first: {missing[0]})")
        for doc_id in missing:
            records[doc_id] = {"doc_id": doc_id, "genre": None, "events": []}
    return Predictions(records, notes)


def failure_notes(records: dict[str, dict[str, Any]]) -> list[str]:
    failed = [r for r in records.values() if "error" in r]
    if not failed:
        return []
    first = failed[0]["error"]
    return [f"{len(failed)} document(s) are error records, scored as documents with no events "
            f"(first: {failed[0]['doc_id']}: {first.get('code')} {first.get('message')})"]


def record_problem(record: dict[str, Any]) -> str | None:
    """What is wrong with a contract object, as far as scoring reads it; None when usable."""
    if "error" in record and "events" not in record:
        error = record["error"]
        if not isinstance(error, dict):
            return "'error' must be an object {code, message}"
        return None
    if not isinstance(record.get("genre"), (str, _NONE)):
        return f"'genre' must be a string or null, not {type(record['genre']).__name__}"
    events = record.get("events")
    if not isinstance(events, list):
        return "'events' is missing or not a list"
    for i, event in enumerate(events):
        problem = _event_problem(event)
        if problem:
            return f"events[{i}]{problem}"
    return None


def _event_problem(event: Any) -> str | None:
    if not isinstance(event, dict):
        return f" must be an object, not {type(event).__name__}"
    if "event_type" not in event:
        return ": 'event_type' is missing"
    problem = _fields_problem(event, _EVENT_FIELDS)
    if problem:
        return problem
    for key, fields in (("location", _LOCATION_FIELDS), ("actor1", _ACTOR_FIELDS),
                        ("actor2", _ACTOR_FIELDS), ("evidence", _SPAN_FIELDS)):
        if isinstance(event.get(key), dict):
            problem = _fields_problem(event[key], fields)
            if problem:
                return f".{key}{problem}"
    return None


def _fields_problem(obj: dict[str, Any], fields: dict[str, tuple[type, ...]]) -> str | None:
    for key, types in fields.items():
        value = obj.get(key)
        if isinstance(value, bool) or not isinstance(value, types):
            shown = [t for t in types if not (t is int and float in types)]  # a number
            allowed = " or ".join("null" if t is _NONE else _TYPE_NAMES.get(t, t.__name__)
                                  for t in shown)
            return f".{key} must be {allowed}, not {_json_type(value)} ({value!r:.40})"
    return None


_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", dict: "an object",
               list: "a list"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return _TYPE_NAMES.get(type(value), type(value).__name__)
