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
def export(
    db: Annotated[Path, typer.Option("--db", help="The SQLite file `rasad extract --db` wrote.",
                                     exists=True, dir_okay=False)],
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="jsonl (contract records), acled-csv (ACLED's columns and "
        "order) or geojson (events with coordinates).")] = "jsonl",
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write here (default: standard output).")] = None,
) -> None:
    """Export a rasad database as JSON Lines, ACLED-style CSV or GeoJSON."""
    from rasad.io.export import FORMATS, write_export
    from rasad.io.store import Store

    if fmt not in FORMATS:
        fail(RasadError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", "E302"))
    try:
        store = Store(db)
        with (out.open("w", encoding="utf-8", newline="") if out
              else nullcontext(sys.stdout)) as sink:
            n = write_export(store.records(), fmt, sink)
        store.close()
    except RasadError as exc:
        fail(exc)
    if out is not None:
        stderr.print(f"{n:,} {'documents' if fmt == 'jsonl' else 'events'} → {out}")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (Arabic is normalised like the "
                                              "stored text; FTS5 syntax: AND, OR, \"phrase\").")],
    db: Annotated[Path, typer.Option("--db", help="The SQLite file `rasad extract --db` wrote.",
                                     exists=True, dir_okay=False)],
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many documents.")] = 20,
) -> None:
    """Full-text search over the stored documents (normalised Arabic)."""
    from rasad.io.store import Store

    try:
        rows = Store(db).search(query, limit)
    except RasadError as exc:
        fail(exc)
    for row in rows:
        typer.echo(f"{row['doc_id']}\t{row['n_events']} events\t{row['title'] or ''}\t"
                   f"{row['snippet']}")
    if not rows:
        stderr.print("no documents match")


@app.command()
def version() -> None:
    """Print the rasad version."""
    typer.echo(__version__)


def main() -> None:
    app()
