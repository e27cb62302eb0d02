"""The `rasad` command line (Typer): extract, and the tools around it.

Every command is documented in the README ("Commands"); `tests/test_docs.py` checks that.
Progress bars and summaries go to standard error, so standard output stays clean JSON Lines.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from rasad import __version__
from rasad.errors import RasadError
from rasad.io.readers import Failure, count_documents, input_files, read_documents
from rasad.pipeline import get_pipeline
from rasad.records import error_record
from rasad.settings import Settings

app = typer.Typer(name="rasad", no_args_is_help=True, add_completion=False,
                  help="Arabic news in, geocoded, source-attributed conflict events out.")
stderr = Console(stderr=True)

ConfigOption = Annotated[Path | None, typer.Option(
    "--config", help="TOML settings file (overlays the defaults; see README, Settings).",
    exists=True, dir_okay=False)]


def fail(error: RasadError, exit_code: int = 2) -> None:
    """Print a coded error on stderr and exit; no traceback for expected failures."""
    stderr.print(f"[bold red]error[/] {error.code}: {error.message}")
    raise typer.Exit(exit_code)


def progress_bar(enabled: bool) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                    console=stderr, disable=not enabled, transient=False)


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


@app.command()
def extract(
    input_path: Annotated[str, typer.Argument(
        metavar="INPUT", help="A .jsonl/.jsonl.gz/.json/.txt/.html file, a folder of them, "
        "or - for JSON Lines on stdin.")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write JSON Lines here (default: standard output).")] = None,
    db: Annotated[Path | None, typer.Option(
        "--db", help="Also upsert documents, places, events and failures into this SQLite "
        "file (created if missing).")] = None,
    no_ner: Annotated[bool, typer.Option(
        "--no-ner", help="Do not run the packaged NER model.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar or summary.")] = False,
    config: ConfigOption = None,
) -> None:
    """Extract events from INPUT: one contract JSON object per document, in input order."""
    try:
        settings = Settings.load(config, **({"use_ner": False} if no_ner else {}))
        path = Path(input_path)
        if input_path != "-" and not path.exists():
            raise RasadError(f"input not found: {input_path}", code="E109")
        total = None if input_path == "-" else count_documents(input_files(path))
    except RasadError as exc:
        fail(exc)
    pipeline = get_pipeline(settings)
    store = None
    if db is not None:
        from rasad.io.store import Store

        try:
            store = Store(db)
        except RasadError as exc:
            fail(exc)
    stats = {"documents": 0, "events": 0, "failures": 0}
    started = time.perf_counter()
    show = not quiet and (total is None or total > 1)
    sink: IO[str]
    with (out.open("w", encoding="utf-8") if out else nullcontext(sys.stdout)) as sink, \
            progress_bar(show) as progress:
        task = progress.add_task("extracting", total=total, rate="")
        for item in read_documents(input_path, settings):
            if isinstance(item, Failure):
                record = error_record(item.doc_id, item.code, item.message)
            else:
                record = pipeline.process(item)
            if "error" in record:
                stats["failures"] += 1
                if store is not None:
                    store.add_failure(record, stage=getattr(item, "stage", "extract"),
                                      origin=getattr(item, "origin", None))
            else:
                stats["documents"] += 1
                stats["events"] += len(record["events"])
                if store is not None and not isinstance(item, Failure):
                    store.add_document(item, record)
            sink.write(dumps(record) + "\n")
            elapsed = time.perf_counter() - started
            done = stats["documents"] + stats["failures"]
            rate = f"{done / elapsed:,.0f} docs/s" if elapsed else ""
            progress.update(task, advance=1, rate=rate)
    if store is not None:
        store.close()
    elapsed = time.perf_counter() - started
    if not quiet:
        stderr.print(f"{stats['documents']:,} documents, {stats['events']:,} events, "
                     f"{stats['failures']:,} failed, in {elapsed:.1f} s"
                     + (f" → {db}" if db else ""))
    if stats["documents"] == 0:
        raise typer.Exit(1)


@app.command()
def geocode(
    text: Annotated[str, typer.Argument(help="Arabic text (or - to read standard input).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON Lines instead.")] = False,
) -> None:
    """Print the places found in TEXT, their resolution and the cue that decided it."""
    from rasad.geo.geocoder import geocode_text, mention_of

    if text == "-":
        text = sys.stdin.read()
    doc, resolutions = geocode_text(text)
    if not resolutions:
        stderr.print("no places found")
    for r in resolutions:
        mention = mention_of(doc, r)
        record = {**mention.place.to_dict(), "geo_precision": mention.geo_precision,
                  "relation": mention.relation, "dateline": mention.dateline, "cue": r.cue,
                  "candidates": [{"name": c.place.name, "feature": c.place.feature,
                                  "country": c.place.country, "id": c.place.gid,
                                  "score": round(c.total, 2)} for c in r.candidates[:5]]}
        if as_json:
            typer.echo(dumps(record))
            continue
        phrase = doc.span(mention.start, mention.end).text
        where = ", ".join(x for x in (mention.place.admin1, mention.place.country) if x)
        typer.echo(f"«{phrase}» [{mention.place.start}:{mention.place.end}] → "
                   f"{mention.place.name} ({mention.place.feature}; {where}) "
                   f"{mention.place.latitude}, {mention.place.longitude}  "
                   f"id={mention.place.gazetteer_id} score={mention.place.score:.2f} "
                   f"geo_precision={mention.geo_precision}"
                   + (f" relation={mention.relation}" if mention.relation else "")
                   + (" dateline" if mention.dateline else ""))
        typer.echo(f"    because: {r.cue}")
        for c in r.candidates[1:4]:
            typer.echo(f"    also: {c.place.name} ({c.place.feature}, {c.place.country}) "
                       f"{c.total:.2f}")


@app.command()
def version() -> None:
    """Print the rasad version."""
    typer.echo(__version__)


def main() -> None:
    app()
