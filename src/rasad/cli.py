"""The `rasad` command line (Typer): extract, and the tools around it.

Every command is documented in the README ("Commands"); `tests/test_docs.py` checks that.
Progress bars and summaries go to standard error, so standard output stays clean JSON Lines.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from rasad import __version__
from rasad.errors import ConfigError, EvalError, RasadError
from rasad.eval.common import format_metric
from rasad.eval.gate import BASELINE, CHANGELOG, FIXTURES, run_gate
from rasad.eval.kinds import EVALUATORS, KIND_HELP, evaluate
from rasad.io.batch import Batch, RunSummary, empty_input_message
from rasad.io.readers import FORMATS as READ_FORMATS
from rasad.io.readers import Failure, InputReader, ReadOptions, is_iso_date
from rasad.settings import Settings

if TYPE_CHECKING:
    from rasad.io.store import Store

app = typer.Typer(name="rasad", no_args_is_help=True, add_completion=False,
                  help="Arabic news in, geocoded, source-attributed conflict events out.")
stderr = Console(stderr=True, soft_wrap=True)

ConfigOption = Annotated[Path | None, typer.Option(
    "--config", help="TOML settings file (overlays the defaults; see README, Settings).",
    exists=True, dir_okay=False)]


def fail(error: RasadError, exit_code: int = 2) -> None:
    """Print a coded error on stderr and exit; no traceback for expected failures."""
    stderr.print(f"[bold red]error[/] {error.code}: {escape(error.message)}")
    raise typer.Exit(exit_code)


def progress_bar(enabled: bool) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                    console=stderr, disable=not enabled, transient=False)


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def _check_read_options(fmt: str, published: str | None, source: str | None) -> ReadOptions:
    """`--format`, `--published` and `--source` as `ReadOptions`; a bad value is E504."""
    published = published.strip() if published is not None else None
    if fmt not in READ_FORMATS:
        raise ConfigError(f"--format must be one of {', '.join(READ_FORMATS)}, not {fmt!r}",
                          code="E504")
    if published is not None and not is_iso_date(published):
        raise ConfigError(f"--published must be a date such as 2015-07-21 (or an ISO "
                          f"datetime), not {published!r}", code="E504")
    if source is not None and not source.strip():
        raise ConfigError("--source must not be empty", code="E504")
    return ReadOptions(fmt, published, source)


def _store_record(store: Store, item: Any, record: dict[str, Any]) -> None:
    """Upsert a processed document, or record a failed one; a database that cannot be written
    (E301: a full disk, a PostgreSQL server gone) ends the run with its coded error."""
    try:
        if "error" in record:
            store.add_failure(record, stage=getattr(item, "stage", "extract"),
                              origin=getattr(item, "origin", None))
        elif not isinstance(item, Failure):
            store.add_document(item, record)
    except RasadError as exc:
        fail(exc)


NoIncidentsOption = Annotated[bool, typer.Option(
    "--no-incidents", help="Do not attach the new events to the stored incidents (done at the "
    "end of the run when the database has them; see README, Incidents).")]


def _attach_arrivals(store: Store, no_incidents: bool, quiet: bool) -> None:
    """Attach the events just stored to the incidents, once for the run, when the database
    has an `incidents` table (`rasad incidents` made it) and --no-incidents is not given."""
    from rasad.incidents.storage import attach_arrivals

    attached = None if no_incidents else attach_arrivals(store)
    if attached is not None and not quiet:
        stderr.print(attached.summary(), markup=False)


@app.command()
def extract(
    input_path: Annotated[str, typer.Argument(
        metavar="INPUT", help="A .jsonl/.jsonl.gz/.json/.txt/.html file, a folder of them, "
        "or - for standard input (JSON Lines, JSON, HTML or plain text).")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write JSON Lines here (default: standard output).")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="FILE.db|postgresql://…", help="Also upsert documents, places, events "
        "and failures into this SQLite file (created if missing) or PostgreSQL database "
        "(needs the postgres extra).")] = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", metavar="auto|text|jsonl|json|html",
        help="Read INPUT as text, jsonl, json or html (default auto: by file suffix; on "
        "standard input by its first line).")] = "auto",
    published: Annotated[str | None, typer.Option(
        "--published", metavar="DATE", help="Publication date (YYYY-MM-DD) of documents "
        "that carry none; relative dates resolve against it.")] = None,
    source: Annotated[str | None, typer.Option(
        "--source", metavar="NAME", help="Outlet name of documents that carry none.")] = None,
    no_ner: Annotated[bool, typer.Option(
        "--no-ner", help="Do not run the packaged NER model.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar or summary.")] = False,
    workers: Annotated[int, typer.Option(
        "--workers", "-w", min=1, help="Processes to use (each loads the resources once); "
        "output order is kept.")] = 1,
    no_incidents: NoIncidentsOption = False,
    config: ConfigOption = None,
) -> None:
    """Extract events from INPUT: one contract JSON object per document, in input order."""
    try:
        options = _check_read_options(fmt, published, source)
        settings = Settings.load(config, **({"use_ner": False} if no_ner else {}))
        reader = InputReader(input_path, settings, options)
        total = reader.count()
    except RasadError as exc:
        fail(exc)
    store = None
    if db is not None:
        from rasad.io.store import open_store

        try:
            store = open_store(db)
        except RasadError as exc:
            fail(exc)
    summary = RunSummary()
    started = time.perf_counter()
    show = not quiet and (total is None or total > 1)
    sink: IO[str]
    # The workers start before the progress bar's thread does (see `rasad.io.batch`).
    with Batch(settings, workers) as batch, \
            (out.open("w", encoding="utf-8") if out else nullcontext(sys.stdout)) as sink, \
            progress_bar(show) as progress:
        task = progress.add_task("extracting", total=total, rate="")
        for item, record in batch.process(reader):
            summary.add(record)
            if store is not None:
                _store_record(store, item, record)
            sink.write(dumps(record) + "\n")
            elapsed = time.perf_counter() - started
            rate = f"{summary.documents / elapsed:,.0f} docs/s" if elapsed else ""
            progress.update(task, advance=1, rate=rate)
    if store is not None:
        try:
            _attach_arrivals(store, no_incidents, quiet)
            store.close()
        except RasadError as exc:
            fail(exc)
    elapsed = time.perf_counter() - started
    lines = summary.lines(reader.scan, reader.ids.renamed)
    if summary.documents == 0:
        stderr.print(f"[bold red]error[/] E112: "
                     f"{escape(empty_input_message(input_path, reader.scan))}")
        for line in lines[1:]:
            stderr.print(line, markup=False)
        raise typer.Exit(1)
    if not quiet:
        lines[0] += f"; in {elapsed:.1f} s" + (f" → {store.name}" if store else "")
        for line in lines:
            stderr.print(line, markup=False)
    if summary.ok == 0:
        raise typer.Exit(1)


@app.command()
def spark(
    input_path: Annotated[str, typer.Argument(
        metavar="INPUT", help="A file or folder: JSON Lines (.jsonl/.jsonl.gz), Parquet, WARC "
        "(.warc/.warc.gz), or any file rasad extract reads.")],
    output: Annotated[str, typer.Argument(
        metavar="OUTPUT", help="Folder for the Parquet tables documents/, events/ (by "
        "country_code and month) and failures/.")],
    master: Annotated[str, typer.Option(
        "--master", help="Spark master: local[*] (every core), local[2], spark://host:7077 …"
        )] = "local[*]",
    partitions: Annotated[int | None, typer.Option(
        "--partitions", min=1, help="Extraction partitions (default: about 500 documents "
        "each, at least four per core).")] = None,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="Replace the tables of an existing OUTPUT.")] = False,
    no_ner: Annotated[bool, typer.Option(
        "--no-ner", help="Do not run the packaged NER model.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress or summary.")] = False,
    config: ConfigOption = None,
) -> None:
    """Run the extraction on Apache Spark (the spark extra): Parquet tables of documents,
    events and failures under OUTPUT."""
    from rasad.spark.job import check_output, input_files, run_job, session, task_progress

    started = time.perf_counter()
    try:
        settings = Settings.load(config, **({"use_ner": False} if no_ner else {}))
        input_files(Path(input_path))  # E109, E502 and E504 before Spark starts
        check_output(output, overwrite)
        spark_session = session(master)
        with progress_bar(not quiet) as progress:
            task = progress.add_task("starting", total=None, rate="")

            def on_phase(name: str) -> None:
                progress.update(task, description=name, completed=0, total=None)

            def on_tasks(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total or None, rate="tasks")

            with task_progress(spark_session, on_tasks):
                result = run_job(spark_session, input_path, output, settings, partitions,
                                 overwrite, on_phase)
        spark_session.stop()
    except RasadError as exc:
        fail(exc, 1 if exc.code == "E112" else 2)
    lines = result.lines()
    if not quiet:
        lines[0] += (f"; in {time.perf_counter() - started:.1f} s on {master} "
                     f"({result.partitions} partitions) → {output}")
        for line in lines:
            stderr.print(line, markup=False)
    if result.summary.ok == 0:
        raise typer.Exit(1)


ner_app = typer.Typer(name="ner", no_args_is_help=True,
                      help="The packaged Arabic NER model (PERS, LOC, ORG, MISC).")
app.add_typer(ner_app)


@ner_app.command("tag")
def ner_tag(
    conll: Annotated[Path, typer.Option(
        "--conll", help="CoNLL file: a token and its gold tag per line, a blank line between "
        "sentences.", exists=True, dir_okay=False)],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write here (default: standard output).")] = None,
) -> None:
    """Tag a CoNLL file: each line as read, with the predicted BIO tag as a last column."""
    from rasad.ner import load_tagger
    from rasad.ner.conll import append_column, read_conll

    try:
        sentences = read_conll(conll)
    except RasadError as exc:
        fail(exc)
    tagger = load_tagger()
    if tagger is None:
        fail(ConfigError("the NER model is not installed (rasad/data/ner/model.crfsuite)"))
    assert tagger is not None
    sink: IO[str]
    with out.open("w", encoding="utf-8") if out else nullcontext(sys.stdout) as sink:
        for sentence in sentences:
            sink.write("\n".join(append_column(sentence, tagger.tag(sentence.tokens))) + "\n\n")


DbOption = Annotated[str, typer.Option(
    "--db", metavar="FILE.db|postgresql://…",
    help="The database `rasad extract --db` wrote: a SQLite file or a PostgreSQL URL.")]
CountryOption = Annotated[list[str] | None, typer.Option(
    "--country", metavar="COUNTRY", help="Only events in this country: ISO code (SY, SYR) or "
    "English name; repeat for several.")]
TypeOption = Annotated[list[str] | None, typer.Option(
    "--type", metavar="TYPE", help="Only events of this ACLED event type or sub-event type; "
    "repeat for several.")]
SinceOption = Annotated[str | None, typer.Option(
    "--since", metavar="YYYY-MM-DD", help="Only events on or after this date.")]
UntilOption = Annotated[str | None, typer.Option(
    "--until", metavar="YYYY-MM-DD", help="Only events on or before this date.")]


def _sink(out: Path | None, binary: bool) -> AbstractContextManager[IO[Any]]:
    """The file `out`, or standard output, opened for a text or a binary export."""
    if binary:
        return out.open("wb") if out else nullcontext(sys.stdout.buffer)
    return out.open("w", encoding="utf-8", newline="") if out else nullcontext(sys.stdout)


@app.command()
def export(
    db: DbOption,
    fmt: Annotated[str, typer.Option(
        "--format", "-f", help="jsonl (contract records), acled-csv (ACLED's columns and "
        "order), hxl-csv (the same with HDX's HXL hashtag row), geojson (events with "
        "coordinates) or parquet (typed columns; needs pyarrow, the parquet extra).")] = "jsonl",
    what: Annotated[str, typer.Option(
        "--what", metavar="events|incidents", help="Export the stored events (one per report), "
        "or the incidents `rasad incidents` built (one per real-world event).")] = "events",
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write here (default: standard output).")] = None,
    country: CountryOption = None,
    admin1: Annotated[list[str] | None, typer.Option(
        "--admin1", metavar="NAME", help="Only events in this first-level division (Idlib, "
        "Aleppo …); repeat for several.")] = None,
    event_type: TypeOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    no_background: Annotated[bool, typer.Option(
        "--no-background", help="Leave out background events (dated well before "
        "publication).")] = False,
    asserted_only: Annotated[bool, typer.Option(
        "--asserted-only", help="Only events whose modality is asserted.")] = False,
) -> None:
    """Export a rasad database's events or incidents as JSON Lines, ACLED-style CSV (plain or
    HXL), GeoJSON or Parquet, filtered."""
    from rasad.incidents.storage import stored_incidents
    from rasad.io.export import (
        BINARY_FORMATS,
        check_format,
        incident_event,
        write_export,
        write_incident_export,
    )
    from rasad.io.filters import EventFilter, filter_records
    from rasad.io.store import open_store

    try:
        check_format(fmt)
        if what not in ("events", "incidents"):
            raise ConfigError(f"--what must be events or incidents, not {what!r}", code="E504")
        event_filter = EventFilter.build(country or (), admin1 or (), event_type or (), since,
                                         until, no_background, asserted_only)
        store = open_store(db, create=False)
        with _sink(out, binary=fmt in BINARY_FORMATS) as sink:
            if what == "incidents":
                n = write_incident_export(
                    (i for i in stored_incidents(store)
                     if event_filter.matches(incident_event(i))), fmt, sink)
            else:
                n = write_export(filter_records(store.records(), event_filter), fmt, sink)
        store.close()
    except RasadError as exc:
        fail(exc)
    if out is not None:
        unit = what if what == "incidents" or fmt != "jsonl" else "documents"
        stderr.print(f"{n:,} {unit} → {out}")


def _event_line(doc_id: str, event: dict[str, Any], evidence: str) -> str:
    """One tab-separated line of `rasad search --events`."""
    loc = event.get("location") or {}
    actors = " vs ".join((event.get(slot) or {}).get("name") or "?"
                         for slot in ("actor1", "actor2") if event.get(slot))
    fatalities = event.get("fatalities")
    fields = [doc_id, event.get("event_date") or "-",
              f"{event['event_type']} / {event['sub_event_type']}",
              ", ".join(str(x) for x in (loc.get("name") or loc.get("text"), loc.get("admin1"),
                                         loc.get("country")) if x) or "-",
              actors or "-", f"fatalities {'-' if fatalities is None else fatalities}",
              event.get("modality") or "-", evidence]
    return "\t".join(fields)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (Arabic is normalised like the "
                                              "stored text; FTS5 syntax: AND, OR, NOT, "
                                              "\"phrase\", NEAR(…), prefix*; on PostgreSQL "
                                              "mapped to its text search).")],
    db: DbOption,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many results.")] = 20,
    events: Annotated[bool, typer.Option(
        "--events", help="Search the events' evidence sentences instead of whole documents; "
        "one line per event with its fields.")] = False,
    country: CountryOption = None,
    event_type: TypeOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """Full-text search over the stored documents, or with --events over event evidence."""
    from rasad.io.filters import EventFilter
    from rasad.io.store import open_store

    try:
        event_filter = EventFilter.build(country or (), (), event_type or (), since, until)
        if event_filter.active and not events:
            raise RasadError("--country, --type, --since and --until filter events: add "
                             "--events", code="E304")
        store = open_store(db, create=False)
        try:
            if events:
                hits = store.search_events(query, event_filter, limit)
                lines = [_event_line(h["doc_id"], h["event"], h["snippet"]) for h in hits]
            else:
                rows = store.search(query, limit)
                lines = [f"{row['doc_id']}\t{row['n_events']} events\t{row['title'] or ''}\t"
                         f"{row['snippet']}" for row in rows]
        finally:
            store.close()  # a bad query (E303) too: a PostgreSQL connection is not left open
    except RasadError as exc:
        fail(exc)
    for line in lines:
        typer.echo(line)
    if not lines:
        stderr.print(f"no {'events' if events else 'documents'} match")


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
                                  "score": round(c.total, 2),
                                  "parts": {k: round(v, 2) for k, v in c.parts.items()}}
                                 for c in r.candidates[:5]],
                  "considered": len(r.candidates)}
        if r.namesake is not None:
            record["set_aside"] = {"name": r.namesake.name, "country": r.namesake.country,
                                   "id": r.namesake.gid, "why": r.namesake_reason}
        if r.toponym.judged:
            record["toponym_model"] = r.toponym.notes[-1]
        if as_json:
            typer.echo(dumps(record))
            continue
        phrase = doc.span(mention.start, mention.end).text
        place = mention.place
        where = ", ".join(x for x in (place.admin1, place.country) if x) or "no container"
        name = place.name or "not in the gazetteer"
        coords = (f"{place.latitude}, {place.longitude}" if place.latitude is not None
                  else "no coordinates")
        typer.echo(f"«{phrase}» [{place.start}:{place.end}] → {name} ({place.feature}; {where}) "
                   f"{coords}  id={place.gazetteer_id or '-'} score={place.score:.2f} "
                   f"geo_precision={mention.geo_precision}"
                   + (f" relation={mention.relation}" if mention.relation else "")
                   + (" dateline" if mention.dateline else ""))
        typer.echo(f"    because: {r.cue}")
        if r.toponym.judged:
            typer.echo(f"    a place by: {r.toponym.notes[-1]} (listed, locates no event)")
        if len(r.candidates) > 1:
            typer.echo(f"    candidates ({len(r.candidates)} considered, best 5):")
            for k, c in enumerate(r.candidates[:5]):
                parts = " ".join(f"{v:+.2f} {label}" for label, v in c.parts.items())
                typer.echo(f"      {'*' if k == 0 else ' '} {c.place.name} ({c.place.feature}, "
                           f"{c.place.country}, {c.place.gid}) {c.total:.2f} = {parts}")
        if r.namesake is not None:
            typer.echo(f"    set aside: {r.namesake.name} ({r.namesake.country}, "
                       f"{r.namesake.gid}): {r.namesake_reason}")


IngestDbOption = Annotated[str, typer.Option(
    "--db", metavar="FILE.db|postgresql://…", help="The database documents, the ledger and "
    "outlet health go to: a SQLite file (created if missing) or a PostgreSQL URL.")]
DelayOption = Annotated[str, typer.Option(
    "--delay", metavar="DURATION", help="Wait between two requests to the same host (2s, "
    "500ms).")]
TimeoutOption = Annotated[str, typer.Option(
    "--timeout", metavar="DURATION", help="Give up on a request after this long.")]


def _ingester(db: str, settings: Settings, delay: str, timeout: str, quiet: bool,
              fetch_pages: bool = True) -> Any:
    """The store, fetcher and ingester of `rasad ingest` and `rasad watch`."""
    from rasad.ingest.fetch import HttpFetcher
    from rasad.ingest.run import Ingester
    from rasad.ingest.watch import parse_duration
    from rasad.io.store import open_store

    fetcher = HttpFetcher(timeout=parse_duration(timeout, "--timeout"),
                          delay=parse_duration(delay, "--delay"))
    note = None if quiet else (lambda message: stderr.print(message, markup=False))
    return Ingester(open_store(db), settings, fetcher, fetch_pages=fetch_pages, note=note)


def _print_health(db: str, as_json: bool) -> None:
    from rasad.ingest.ledger import Ledger
    from rasad.io.store import open_store

    store = open_store(db, create=False)
    rows = Ledger(store).health()
    store.close()
    if as_json:
        for row in rows:
            typer.echo(dumps(row))
        return
    typer.echo("outlet\tlast success\tconsecutive errors\tlast error\tdocuments\tper day (7 d)"
               "\tretry after")
    for row in rows:
        error = (f"{row['last_error_code']} at {row['last_error_at']}: {row['last_error']}"
                 if row["last_error_code"] else "-")
        typer.echo("\t".join(str(x) for x in (
            row["name"], row["last_success"] or "never", row["consecutive_errors"] or 0, error,
            row["documents"] or 0, row["per_day"], row["retry_after"] or "-")))


@app.command()
def ingest(
    sources: Annotated[list[str] | None, typer.Argument(
        metavar="SOURCE...", help="RSS/Atom feeds (URL or file), web page URLs, saved HTML "
        "pages, folders, WARC files (.warc, .warc.gz), or any file rasad extract reads.")] = None,
    db: IngestDbOption = "rasad.db",
    health: Annotated[bool, typer.Option(
        "--health", help="Print each outlet's health (last success, errors, documents per "
        "day) and exit.")] = False,
    as_json: Annotated[bool, typer.Option(
        "--json", help="With --health: one JSON object per outlet.")] = False,
    no_pages: Annotated[bool, typer.Option(
        "--no-pages", help="Read feed entries' own text; do not fetch their pages.")] = False,
    source: Annotated[str | None, typer.Option(
        "--source", metavar="NAME", help="Outlet name of documents that carry none.")] = None,
    delay: DelayOption = "1s",
    timeout: TimeoutOption = "20s",
    no_ner: Annotated[bool, typer.Option("--no-ner", help="Do not run the NER model.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines.")] = False,
    no_incidents: NoIncidentsOption = False,
    config: ConfigOption = None,
) -> None:
    """Ingest feeds, pages, folders and WARC files: only new or changed documents are processed
    (a ledger of canonical URLs and content hashes in the database)."""
    if health:
        try:
            _print_health(db, as_json)
        except RasadError as exc:
            fail(exc)
        return
    if not sources:
        fail(ConfigError("give at least one SOURCE (or --health)", code="E504"))
    assert sources is not None
    try:
        settings = Settings.load(config, **({"use_ner": False} if no_ner else {}))
        ingester = _ingester(db, settings, delay, timeout, quiet, fetch_pages=not no_pages)
        started = time.perf_counter()
        results = [ingester.ingest(s, source_name=source) for s in sources]
        _attach_arrivals(ingester.store, no_incidents, quiet=False)
        ingester.store.close()
    except RasadError as exc:
        fail(exc)
    lines = ingester.summary.lines()
    lines[0] += f"; in {time.perf_counter() - started:.1f} s → {db}"
    for line in lines:
        stderr.print(line, markup=False)
    for s, result in zip(sources, results, strict=True):
        if result.error is not None:
            stderr.print(f"error {result.error.code}: {s}: {result.error.message}", markup=False)
    if not any(r.ok for r in results):
        raise typer.Exit(1)


@app.command()
def watch(
    feeds: Annotated[Path, typer.Argument(
        metavar="FEEDS.yaml", help="The outlets and their feeds (see README, Feeding rasad).",
        exists=True, dir_okay=False)],
    db: IngestDbOption = "rasad.db",
    every: Annotated[str | None, typer.Option(
        "--every", metavar="DURATION", help="Start a round this often (15m, 1h; default: the "
        "file's every:, else 15m).")] = None,
    once: Annotated[bool, typer.Option("--once", help="Run one round and exit.")] = False,
    delay: Annotated[str | None, typer.Option(
        "--delay", metavar="DURATION", help="Wait between two requests to the same host "
        "(default: the file's delay:, else 1s).")] = None,
    timeout: TimeoutOption = "20s",
    no_ner: Annotated[bool, typer.Option("--no-ner", help="Do not run the NER model.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines.")] = False,
    config: ConfigOption = None,
    no_incidents: NoIncidentsOption = False,
) -> None:
    """Poll the outlets of FEEDS.yaml politely (conditional GET, per-host delay, backoff on
    errors), ingesting what is new into --db; --once for one round."""
    from rasad.ingest.watch import load_feeds, parse_duration
    from rasad.ingest.watch import watch as watch_feeds

    try:
        feeds_file = load_feeds(feeds)
        period = (parse_duration(every, "--every") if every is not None
                  else feeds_file.every or 900.0)
        pause = delay or f"{1.0 if feeds_file.delay is None else feeds_file.delay}s"
        settings = Settings.load(config, **({"use_ner": False} if no_ner else {}))
        ingester = _ingester(db, settings, pause, timeout, quiet)
        try:
            watch_feeds(ingester, feeds_file, period, once, after_round=lambda: (
                _attach_arrivals(ingester.store, no_incidents, quiet)))
        except KeyboardInterrupt:
            stderr.print("stopped")
        finally:
            ingester.store.close()
    except RasadError as exc:
        fail(exc)


@app.command()
def incidents(
    db: DbOption,
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="Re-resolve every stored event from scratch (default: attach the "
        "events without an incident).")] = False,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the incidents written as JSON Lines.")] = False,
) -> None:
    """Group the stored events into incidents (one real-world event, every report of it)."""
    from rasad.incidents.storage import attach
    from rasad.incidents.storage import rebuild as rebuild_all
    from rasad.io.store import open_store

    try:
        open_store(db, create=False).close()  # E301 unless rasad wrote it
        store = open_store(db)
        attached = None if rebuild else attach(store)
        written = rebuild_all(store) if attached is None else attached.incidents
        store.close()
    except RasadError as exc:
        fail(exc)
    for incident in written:
        if as_json:
            typer.echo(dumps(incident.to_dict()))
    reports = sum(incident.reports for incident in written)
    stderr.print(f"{len(written)} incident(s) written from {reports} event(s)"
                 + ("" if attached is None else
                    f" (new events and the incidents they may join); {attached.summary()}"))


def _day_option(value: str | None, option: str) -> Any:
    """A `--since`/`--until`/`--as-of` value as a date; E304 when it is not YYYY-MM-DD."""
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RasadError(f"{option} {value!r} is not a date (YYYY-MM-DD)", code="E304") from None


PeriodOption = Annotated[str, typer.Option(
    "--period", metavar="day|week", help="Count per day, or per 7 days ending on --until.")]


@app.command()
def trends(
    db: DbOption,
    by: Annotated[str, typer.Option("--by", metavar="country|admin1",
                                    help="Count per country or per first-level division.")]
        = "country",
    period: PeriodOption = "week",
    event_type: TypeOption = None,
    country: CountryOption = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="YYYY-MM-DD", help="First day (default: the day of the first "
        "report in the database).")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", metavar="YYYY-MM-DD", help="Last day, where the last period ends (default: "
        "the day of the last report).")] = None,
    baseline: Annotated[int, typer.Option(
        "--baseline", min=1, metavar="N", help="The trailing baseline: the mean of the N "
        "periods before a period.")] = 4,
    top: Annotated[int, typer.Option(
        "--top", min=0, metavar="N", help="Areas in the table (0: all); the chart draws "
        "at most 8.")] = 20,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print every area's series as one JSON object.")] = False,
    plot: Annotated[Path | None, typer.Option(
        "--plot", metavar="FILE.png|svg", help="Also draw a chart of the areas with most "
        "incidents (needs the plot extra).", dir_okay=False)] = None,
) -> None:
    """Incidents and fatalities per area and period, with the change against a trailing
    baseline."""
    from rasad.incidents.trends import load_incidents, publication_days, render_table, series
    from rasad.io.filters import EventFilter
    from rasad.io.store import open_store

    try:
        if plot is not None:
            from rasad.incidents.plot import check_plot_path

            check_plot_path(plot)
        event_filter = EventFilter.build(country or (), (), event_type or ())
        store = open_store(db, create=False)
        result = series(load_incidents(store), by, period, _day_option(since, "--since"),
                        _day_option(until, "--until"), baseline, event_filter,
                        publication_days(store))
        store.close()
        if plot is not None:
            from rasad.countries import country_name
            from rasad.incidents.plot import plot_trends

            scope = " and ".join(country_name(c) or c for c in sorted(event_filter.countries))
            source = store.name.rsplit("/", 1)[-1]
            drawn = plot_trends(result, plot, top=min(top or 8, 8), source=source,
                                scope=f"in {scope}" if scope else "")
            stderr.print(f"chart of {drawn} areas → {plot}")
    except RasadError as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        typer.echo(render_table(result, top))


@app.command()
def alerts(
    db: DbOption,
    rules: Annotated[Path | None, typer.Option(
        "--rules", metavar="FILE.yaml", help="Alert rules (default: the packaged "
        "rasad/data/alerts.yaml).", exists=True, dir_okay=False)] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD", help="The last day of the period the rules look at "
        "(default: the day of the last report).")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the alerts as JSON Lines.")] = False,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Also write the alerts as JSON Lines to this file.",
        dir_okay=False)] = None,
) -> None:
    """Evaluate alert rules (surges, Poisson tails, mass casualties, new actors, keywords) on
    the stored incidents of the last period; replace the alerts table."""
    from rasad.incidents.alerts import AlertRules, evaluate, incident_evidence, write_alerts
    from rasad.incidents.trends import load_incidents
    from rasad.io.store import open_store

    try:
        alert_rules = AlertRules.load(rules)
        day = _day_option(as_of, "--as-of")
        store = open_store(db, create=False)  # E301 unless rasad wrote it
        incidents = load_incidents(store)
        evidence = incident_evidence(store, (i.incident_id for i in incidents))
        found = evaluate(incidents, alert_rules, day, evidence)
        write_alerts(store, found)
        store.close()
    except RasadError as exc:
        fail(exc)
    records = [alert.to_dict() for alert in found]
    if out is not None:
        with out.open("w", encoding="utf-8") as sink:
            sink.writelines(dumps(record) + "\n" for record in records)
    for alert in found:
        typer.echo(dumps(alert.to_dict()) if as_json else f"[{alert.rule}] {alert.message}")
    stderr.print(f"{len(found)} alert(s) → the alerts table of {store.name}"
                 + (f" and {out}" if out else ""))


@app.command()
def serve(
    db: DbOption,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="RASAD_TOKEN", show_envvar=True,
        help="Allow the write endpoints to requests that give this token (default: "
        "read-only).")] = None,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, help="Server processes (each keeps its own in-memory copy of the "
        "database).")] = 1,
) -> None:
    """Serve the monitor: the page at /, the JSON API under /api/, its docs at /docs."""
    import os

    import uvicorn

    from rasad.io.store import display_name, is_postgres_url, open_store
    from rasad.web.api import SERVE_DB, create_app
    from rasad.web.workers import APP, LOOP, reuse_port_available, run_workers

    database: str | Path = db if is_postgres_url(db) else Path(db).resolve()
    try:
        open_store(database, create=False).close()  # E301 unless rasad wrote it
        if workers == 1:
            application = create_app(database, token=token or None)
    except RasadError as exc:
        fail(exc)
    stderr.print(f"rasad serve: http://{host}:{port}/ ({display_name(db)}; "
                 f"{'writes need the token' if token else 'read-only'}"
                 f"{f'; {workers} workers' if workers > 1 else ''}) — Ctrl+C to stop")
    if workers == 1:
        uvicorn.run(application, host=host, port=port, log_level="warning", loop=LOOP)
        return
    # Worker processes import the app: they find the database and token in the environment.
    os.environ[SERVE_DB] = str(database)
    os.environ["RASAD_TOKEN"] = token or ""
    if not reuse_port_available():
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers,
                    log_level="warning", loop=LOOP)
        return
    try:
        status = run_workers(host, port, workers)  # a socket per worker (rasad.web.workers)
    except RasadError as exc:
        fail(exc)
    if status:
        raise typer.Exit(status)


@app.command()
def version() -> None:
    """Print the rasad version."""
    typer.echo(__version__)


# ── rasad eval: scoring against gold data (contract §5) ─────────────────────────────────────────

eval_app = typer.Typer(no_args_is_help=True, help="Score rasad on gold data (contract §5): one "
                       "gold set, all dev sets (all), or the quality gate (gate).")
app.add_typer(eval_app, name="eval")
NoNerOption = Annotated[bool, typer.Option("--no-ner", help="Do not run the packaged NER model.")]
SharedOption = Annotated[Path | None, typer.Option(
    "--shared", help="The shared data folder (default: setting shared_dir, ../shared).")]


def _eval_kind_command(kind: str) -> Callable[..., None]:
    def command(
        gold: Annotated[Path, typer.Option("--gold", help="The gold file.")],
        pred: Annotated[Path | None, typer.Option(
            "--pred", help="Predictions to score (contract JSON Lines; CoNLL for ner). "
            "Default: run the extractor on the gold documents.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
        errors: Annotated[int, typer.Option(
            "--errors", metavar="N", min=0,
            help="Also print the N worst misses (articles: each with its cause).")] = 0,
        no_ner: NoNerOption = False,
        config: ConfigOption = None,
    ) -> None:
        try:
            settings = Settings.load(config, **({"use_ner": False} if no_ner else {}))
            result = evaluate(kind, gold, pred, settings)
        except RasadError as exc:
            fail(exc)
        if as_json:
            typer.echo(json.dumps(result.to_dict(errors), ensure_ascii=False, indent=2))
            return
        typer.echo(result.render_table())
        for miss in result.worst_misses(errors):
            typer.echo("\n" + miss.render())

    command.__doc__ = KIND_HELP[kind]
    return command


for _kind in EVALUATORS:
    eval_app.command(_kind)(_eval_kind_command(_kind))


@eval_app.command("all")
def eval_all(
    shared: SharedOption = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the Markdown report here (default: standard output).")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the results as one JSON object instead of Markdown.")] = False,
    no_ner: NoNerOption = False,
    config: ConfigOption = None,
) -> None:
    """Every gold set under the shared folder (dev sets, incidents, the check set): one
    Markdown table."""
    from rasad.eval.report import render_markdown, report_json, run_dev_sets

    try:
        settings = Settings.load(config, **({"use_ner": False} if no_ner else {}))
        shared_dir = shared or settings.shared_dir
        entries = run_dev_sets(shared_dir, settings)
    except RasadError as exc:
        fail(exc)
    markdown = render_markdown(entries, settings, shared_dir)
    if out is not None:
        out.write_text(markdown, encoding="utf-8")
        stderr.print(f"report written to {out}")
    if as_json:
        typer.echo(json.dumps(report_json(entries), ensure_ascii=False, indent=2))
    elif out is None:
        typer.echo(markdown, nl=False)


@eval_app.command("gate")
def eval_gate(
    update: Annotated[bool, typer.Option(
        "--update", help="Raise the floors to the current measurement.")] = False,
    allow_lower: Annotated[bool, typer.Option(
        "--allow-lower", help="With --update, also lower floors (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why floors are lowered; written to CHANGELOG.md.")] = None,
    baseline: Annotated[Path, typer.Option("--baseline", help="The floors file.")] =
        BASELINE,
    fixtures: Annotated[Path, typer.Option("--fixtures", help="The fixture gold folder.")] =
        FIXTURES,
    changelog: Annotated[Path, typer.Option("--changelog", help="Where lowered floors are "
                                            "logged.")] = CHANGELOG,
    shared: SharedOption = None,
    config: ConfigOption = None,
) -> None:
    """Check the scores against the pinned floors; --update raises them."""
    try:
        settings = Settings.load(config)
        outcome = run_gate(settings, baseline, fixtures, shared, update, allow_lower, reason,
                           changelog)
    except RasadError as exc:
        fail(exc)
    for line in outcome.skipped:
        stderr.print(line)
    for change in outcome.changes:
        typer.echo(("lowered " if change.lowered else "set ") + change.describe())
    for change in outcome.refused:
        typer.echo(f"kept {change.describe()} (lower: needs --allow-lower --reason)")
    for line in outcome.failures:
        typer.echo(line)
    for (suite, gold_set), result in outcome.results.items():
        stderr.print(f"{suite}/{gold_set}: " + ", ".join(
            f"{name} {format_metric(value)}" for name, value in result.scores().items()))
    if not outcome.passed:
        error = EvalError(f"{len(outcome.failures) + len(outcome.refused)} quality bound(s) "
                          "missed", code="E404")
        stderr.print(f"[bold red]error[/] {error.code}: {error.message}")
    typer.echo(outcome.verdict())  # the last line, whatever happened
    if not outcome.passed:
        raise typer.Exit(1)


def main() -> None:
    app()
