"""rasad on Apache Spark (the optional extra ``rasad[spark]``): the per-document function of
`rasad extract` applied with ``mapInPandas`` to JSON Lines, Parquet or WARC input, written as
Parquet tables of documents, events (partitioned by country and month) and failures.

`rasad.spark.rows` holds the row functions (plain Python and pandas), `rasad.spark.job` the Spark
plan (`run_job`, `session`, and the ``spark-submit`` entry point); WARC files are read by
`rasad.io.warc`, as `rasad ingest` reads them.  Nothing here imports pyspark until a job runs.
"""
