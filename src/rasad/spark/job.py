"""The Spark job: input files in, Parquet tables of documents, events and failures out.

`run_job(spark, input, output, settings)` plans and runs it on a `SparkSession` (`session` builds
one, local or from ``spark-submit``):

1. **read**: INPUT's files, listed and ordered as `rasad extract` lists them (sorted paths, hidden
   and unknown files left out, ids relative to INPUT), plus Parquet and WARC files, are read one
   task per file (`rows.read_files`); each document or read failure keeps its place in the input
   (file, position).  Repeated ids are renamed as the CLI renames them (`rows.rename_duplicates`).
2. **extract**: the documents, spread evenly over `partitions`, go through
   `rows.extract_batches` with `mapInPandas`: `rasad.pipeline.get_pipeline(settings).process`, the
   per-document function of `rasad extract`, the pipeline built once per Python worker (Spark
   reuses its workers, so the resources load once per worker, not per batch or task).  A document
   that fails is a failure row with its code; the job goes on.
3. **write** under OUTPUT: ``documents/`` (one row per processed document, `rows.DOCUMENT_COLUMNS`),
   ``events/`` (the typed columns of `rasad export --format parquet`, partitioned by
   ``country_code`` and ``month``: ``events/country_code=SY/month=2015-07/``, a date-less or
   country-less event under ``__HIVE_DEFAULT_PARTITION__``) and ``failures/``
   (`rows.FAILURE_COLUMNS`, the store's failures table).

INPUT is read by path by the tasks, so on a cluster it must be on a file system every executor
mounts at the same path (as cc-pyspark reads WARC files); OUTPUT can be any path Spark writes to.
``python -m rasad.spark.job INPUT OUTPUT`` (or ``spark-submit …/rasad/spark/job.py``) runs it
without the ``rasad`` command.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from rasad.errors import ConfigError, InputError, RasadError
from rasad.io.batch import RunSummary
from rasad.io.readers import InputScan, scan_input
from rasad.io.warc import require_warcio
from rasad.settings import Settings
from rasad.spark.rows import (
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    FAILURE_COLUMNS,
    FILE_COLUMNS,
    INPUT_COLUMNS,
    RESULT_COLUMNS,
    SPARK_SUFFIXES,
    WARC_SUFFIXES,
    Columns,
    event_batches,
    extract_batches,
    read_files,
    rename_duplicates,
    suffix_of,
)

PARTITION_COLUMNS = ("country_code", "month")
DOCUMENTS_PER_PARTITION = 500
"""The default number of extraction partitions gives each about this many documents, and at least
four per core, so that cores finish together and progress moves."""
_SPARK_TYPES = {"string": "StringType", "date32": "DateType", "int8": "ByteType",
                "int16": "ShortType", "int32": "IntegerType", "int64": "LongType",
                "float64": "DoubleType", "bool": "BooleanType"}


def require_pyspark() -> None:
    """E502 naming the pip command when pyspark is not installed."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise ConfigError("the Spark job needs pyspark, which is not installed: "
                          "pip install 'rasad[spark]'", code="E502") from None


def spark_schema(columns: Columns) -> Any:
    """The Spark `StructType` of `(name, type)` columns (all nullable)."""
    from pyspark.sql import types

    return types.StructType([types.StructField(name, getattr(types, _SPARK_TYPES[kind])())
                             for name, kind in columns])


def _names(columns: Columns) -> list[str]:
    return [name for name, _ in columns]


def session(master: str | None = None, app_name: str = "rasad") -> Any:
    """A `SparkSession`: on `master` (``local[*]``, ``local[2]`` …), or the one ``spark-submit``
    configured when None.  A local master runs its Python workers with this interpreter.  E502
    when pyspark is missing or Spark cannot start (it needs Java 17)."""
    require_pyspark()
    from pyspark.sql import SparkSession

    # pyspark 4 warns on every mapInPandas that it is not yet tested with pandas 3; the job's
    # pandas use (object columns in and out) is covered by tests/test_spark.py.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas",
                            category=FutureWarning)

    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder = builder.config("spark.ui.enabled", "false").config(
                "spark.sql.shuffle.partitions", "8")
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # pyspark's Java gateway errors have no common public base
        raise ConfigError(f"cannot start Spark ({type(exc).__name__}: {exc}); it needs Java 17 "
                          "(java on PATH, or JAVA_HOME)", code="E502") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def input_files(path: Path) -> InputScan:
    """INPUT's files in the order `rasad extract` reads them, with Parquet and WARC files among
    them; E109 when INPUT does not exist, E502 for WARC files without warcio."""
    if not path.exists():
        raise InputError(f"input not found: {path}", code="E109")
    scan = scan_input(path)
    extra = [p for p in scan.skipped if suffix_of(p) in SPARK_SUFFIXES]
    if extra:
        def order(p: Path) -> tuple[str, ...]:
            return p.relative_to(scan.root).parts

        scan.files = sorted([*scan.files, *extra], key=order)
        scan.skipped = [p for p in scan.skipped if p not in extra]
    if any(suffix_of(p) in WARC_SUFFIXES for p in scan.files):
        require_warcio()
    return scan


def check_output(output: str, overwrite: bool) -> None:
    """E504 before any work when OUTPUT (a local folder) already holds files and `overwrite`
    is not given; Spark checks other file systems when it writes."""
    if overwrite or "://" in output:
        return
    folder = Path(output)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ConfigError(f"output {output} already exists: give --overwrite to replace its "
                          "tables, or another folder", code="E504")


def default_partitions(documents: int, cores: int) -> int:
    """Extraction partitions: about `DOCUMENTS_PER_PARTITION` documents each, at least four per
    core."""
    return max(4 * cores, math.ceil(documents / DOCUMENTS_PER_PARTITION))


@dataclass
class JobResult:
    """What a run did: `summary` (documents ok and failed by code, events), the input `scan`,
    the ids it renamed, the extraction partitions and the wall seconds of each phase."""

    summary: RunSummary
    scan: InputScan
    renamed: list[tuple[str, str]]
    partitions: int
    seconds: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The summary `rasad extract` prints, for this run."""
        return self.summary.lines(self.scan, self.renamed)


class Phases:
    """Names each phase of a run as the Spark jobs' description and times it; `on_phase` hears
    of each phase as it starts."""

    def __init__(self, spark: Any, on_phase: Callable[[str], None] | None) -> None:
        self.context = spark.sparkContext
        self.on_phase = on_phase
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        self.context.setJobDescription(f"rasad: {name}")
        if self.on_phase is not None:
            self.on_phase(name)
        started = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - started


def run_job(spark: Any, input_path: str | Path, output: str, settings: Settings,
            partitions: int | None = None, overwrite: bool = False,
            on_phase: Callable[[str], None] | None = None) -> JobResult:
    """Read INPUT, extract every document and write OUTPUT's three tables (module docstring)."""
    from pyspark import StorageLevel
    from pyspark.sql import Observation
    from pyspark.sql import functions as F

    scan = input_files(Path(input_path))
    check_output(output, overwrite)
    mode = "overwrite" if overwrite else "errorifexists"
    phase = Phases(spark, on_phase)
    cores = spark.sparkContext.defaultParallelism
    files = [(i, str(path), scan.doc_id(path)) for i, path in enumerate(scan.files)]

    with phase("read"):
        listed = spark.createDataFrame(
            spark.sparkContext.parallelize(files, max(1, min(len(files), cores))),
            spark_schema(FILE_COLUMNS))
        documents = (listed.mapInPandas(partial(read_files, settings=settings),
                                        spark_schema(INPUT_COLUMNS))
                     .persist(StorageLevel.MEMORY_AND_DISK))
        # One job reads the files (into the cache), counts the documents and finds the ids a
        # renaming can touch: repeated ones and those holding a "#".
        read = Observation("read")
        places = (documents.observe(read, F.count(F.lit(1)).alias("documents"))
                  .groupBy("doc_id")
                  .agg(F.collect_list(F.struct("file_index", "position")).alias("places"))
                  .where((F.size("places") > 1) | F.col("doc_id").contains("#"))
                  .collect())
        total = int(read.get["documents"])
        if total == 0:
            raise InputError(f"no documents: {input_path} holds none", code="E112")
        old_ids = {(p.file_index, p.position): row.doc_id for row in places for p in row.places}
        renames = rename_duplicates((*key, doc_id) for key, doc_id in old_ids.items())

    n = partitions or default_partitions(total, cores)
    with phase("extract"):
        results = (documents.repartition(n)
                   .mapInPandas(partial(extract_batches, settings=settings, renames=renames),
                                spark_schema(RESULT_COLUMNS))
                   .persist(StorageLevel.MEMORY_AND_DISK))
        counts = (results.groupBy("code")  # runs the extraction, whose rows stay cached
                  .agg(F.count(F.lit(1)).alias("documents"), F.sum("n_events").alias("events"))
                  .collect())
        documents.unpersist()

    ok = results.where(F.col("code").isNull())
    files_out = max(1, math.ceil(total / 100_000))
    with phase("write"):
        (ok.select(_names(DOCUMENT_COLUMNS)).coalesce(files_out)
         .write.mode(mode).parquet(f"{output}/documents"))
        events = ok.select("record").mapInPandas(event_batches, spark_schema(EVENT_COLUMNS))
        (events.coalesce(files_out).write.mode(mode)
         .partitionBy(*PARTITION_COLUMNS).parquet(f"{output}/events"))
        (results.where(F.col("code").isNotNull()).select(_names(FAILURE_COLUMNS))
         .coalesce(files_out).write.mode(mode).parquet(f"{output}/failures"))
        results.unpersist()

    summary = RunSummary()
    for row in counts:
        if row.code is None:
            summary.ok, summary.events = row.documents, row.events or 0
        else:
            summary.failed[row.code] = row.documents
    renamed = [(old_ids[key], renames[key][0]) for key in sorted(renames)]
    return JobResult(summary, scan, renamed, n, phase.seconds)


@contextmanager
def task_progress(spark: Any, report: Callable[[int, int], None], every: float = 0.5
                  ) -> Iterator[None]:
    """Calls ``report(completed, total)`` with the tasks of Spark's active stages, every `every`
    seconds, while the block runs (a daemon thread polling Spark's status tracker)."""
    tracker = spark.sparkContext.statusTracker()
    stop = threading.Event()

    def poll() -> None:
        while not stop.wait(every):
            stages = [tracker.getStageInfo(i) for i in tracker.getActiveStageIds()]
            stages = [s for s in stages if s is not None]
            report(sum(s.numCompletedTasks for s in stages), sum(s.numTasks for s in stages))

    thread = threading.Thread(target=poll, name="rasad-spark-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def main(argv: Sequence[str] | None = None) -> int:
    """``spark-submit rasad/spark/job.py INPUT OUTPUT [--partitions N] [--no-ner] [--config F]
    [--overwrite]``: the job on the cluster spark-submit names (or on ``--master``); the summary
    on standard error."""
    parser = argparse.ArgumentParser(prog="rasad.spark.job", description=__doc__.split("\n")[0])
    parser.add_argument("input", help="input file or folder (JSON Lines, Parquet, WARC …)")
    parser.add_argument("output", help="output folder: documents/, events/, failures/")
    parser.add_argument("--master", help="Spark master (default: the one spark-submit sets)")
    parser.add_argument("--partitions", type=int, help="extraction partitions")
    parser.add_argument("--no-ner", action="store_true", help="do not run the NER model")
    parser.add_argument("--config", type=Path, help="TOML settings file")
    parser.add_argument("--overwrite", action="store_true", help="replace OUTPUT's tables")
    args = parser.parse_args(argv)
    try:
        settings = Settings.load(args.config, **({"use_ner": False} if args.no_ner else {}))
        input_files(Path(args.input))  # E109, E502 and E504 before Spark starts
        check_output(args.output, args.overwrite)
        result = run_job(session(args.master), args.input, args.output, settings,
                         args.partitions, args.overwrite)
    except RasadError as exc:
        print(f"error {exc}", file=sys.stderr)
        return 2
    for line in result.lines():
        print(line, file=sys.stderr)
    return 0 if result.summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
