"""``--engine spark``: the same audit function mapped over Spark partitions.

The fact snapshot is pickled and broadcast once; each Python worker unpickles
it once and calls :func:`redline.batch.rows.audit_record` on every article of
its partitions (``mapInPandas``), exactly as the local engine does, so both
write the same rows. JSONL and Parquet inputs are read by Spark itself (on a
cluster, from wherever its executors can read them); folders and WARC files
are read on the driver. Articles already in the results folder are skipped,
and within the input the first record of an id wins, as in the local engine.

On this machine ``--workers N`` runs Spark as ``local[N]``. On a cluster, pass
the master with spark-submit and the driver uses it::

    spark-submit --master spark://HOST:7077 .../site-packages/redline/__main__.py \\
        audit-batch /shared/articles.parquet --engine spark --out /shared/results

Needs PySpark (``pip install 'redline[spark]'``) and Java 17 or later.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import time
from datetime import date as Date
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError
from ..store.snapshot import Snapshot
from .inputs import ARTICLE_FIELDS, input_kind, parse_line, read_articles
from .output import ResultsDir
from .rows import ARTICLE_COLUMNS, CLAIM_COLUMNS, audit_record

__all__ = ["audit_batch_spark", "spark_available"]

_ROW = "row_type"  # 'claim' or 'article': both kinds of rows leave the map in one frame


def spark_available() -> str | None:
    """None when Spark can run here, else the reason it cannot (for messages and test skips)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "PySpark is not installed (pip install 'redline[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed (Debian: apt-get install default-jre-headless)"
    return None


def _spark_type(sqltype: str) -> Any:
    from pyspark.sql import types as T

    if sqltype.endswith("[]"):
        return T.ArrayType(_spark_type(sqltype[:-2]))
    return {"VARCHAR": T.StringType(), "BIGINT": T.LongType(), "DOUBLE": T.DoubleType(), "DATE": T.DateType()}[sqltype]


def _schema(columns: tuple[tuple[str, str], ...]) -> Any:
    from pyspark.sql import types as T

    return T.StructType([T.StructField(n, _spark_type(t), True) for n, t in columns])


_RECORD_COLUMNS = tuple((f, "VARCHAR") for f in ARTICLE_FIELDS) + (("error", "VARCHAR"), ("input_no", "BIGINT"),
                                                                   ("row_no", "BIGINT"))
_OUT_COLUMNS = ((_ROW, "VARCHAR"),) + CLAIM_COLUMNS + tuple(c for c in ARTICLE_COLUMNS if c not in CLAIM_COLUMNS)

_WORKER_SNAPSHOT: dict[str, Snapshot] = {}


def _snapshot_of(key: str, broadcast: Any) -> Snapshot:
    if key not in _WORKER_SNAPSHOT:  # once per Python worker (and batch), not per partition
        _WORKER_SNAPSHOT.clear()
        _WORKER_SNAPSHOT[key] = pickle.loads(broadcast.value)
    return _WORKER_SNAPSHOT[key]


def _audit_frames(key: str, broadcast: Any, as_of: Date | None) -> Any:
    import pandas as pd

    names = [n for n, _ in _OUT_COLUMNS]

    def run(frames: Iterator[Any]) -> Iterator[Any]:
        snapshot = _snapshot_of(key, broadcast)
        for frame in frames:
            out: list[dict[str, Any]] = []
            for rec in frame.to_dict("records"):
                rec = {k: (None if isinstance(v, float) and v != v else v) for k, v in rec.items()}  # NaN → None
                claims, article = audit_record(rec, snapshot, as_of=as_of)
                out += [{_ROW: "claim", **c} for c in claims]
                out.append({_ROW: "article", **article})
            # column by column, as objects: None stays None (not NaN) in number and list columns
            yield pd.DataFrame({n: pd.Series([r.get(n) for r in out], dtype=object) for n in names})

    return run


def _parse_lines(name: str) -> Any:
    import pandas as pd

    names = [n for n, _ in _RECORD_COLUMNS]

    def run(frames: Iterator[Any]) -> Iterator[Any]:
        for frame in frames:
            out = []
            for line, idx, input_no in zip(frame["value"], frame["idx"], frame["input_no"]):
                rec = parse_line(name, int(idx) + 1, line)
                if rec is not None:
                    out.append({**{k: None for k in names}, **rec, "input_no": int(input_no), "row_no": int(idx)})
            yield pd.DataFrame({n: pd.Series([r.get(n) for r in out], dtype=object) for n in names})

    return run


def _records(spark: Any, inputs: list[str]) -> Any:
    """One DataFrame of article records from every input, with (input_no, row_no) for input order."""
    from pyspark.sql import functions as F

    schema = _schema(_RECORD_COLUMNS)
    frames = []
    for input_no, p in enumerate(inputs):
        path = Path(p)
        kind = input_kind(path)
        if kind == "jsonl":
            lines = spark.read.text(str(path)).rdd.zipWithIndex().map(lambda t: (t[0][0], t[1], input_no))
            df = spark.createDataFrame(lines, "value string, idx long, input_no long")
            frames.append(df.mapInPandas(_parse_lines(path.name), schema))
        elif kind == "parquet":
            df = spark.read.parquet(str(path))
            have = set(df.columns)
            if "id" not in have or not ({"text", "html"} & have):
                raise InputError(f"{path}: a batch Parquet file needs columns id and text or html (it has {', '.join(df.columns)})")
            cols = [F.col(f).cast("string").alias(f) if f in have else F.lit(None).cast("string").alias(f)
                    for f in ARTICLE_FIELDS]
            frames.append(df.select(*cols, F.lit(None).cast("string").alias("error"), F.lit(input_no).cast("long").alias("input_no"),
                                    F.monotonically_increasing_id().alias("row_no")))
        else:  # folders and WARC files are read here, on the driver
            rows = [{**{k: None for k, _ in _RECORD_COLUMNS}, **rec, "input_no": input_no, "row_no": i}
                    for i, rec in enumerate(read_articles([p]))]
            frames.append(spark.createDataFrame([tuple(r[k] for k, _ in _RECORD_COLUMNS) for r in rows], schema))
    out = frames[0]
    for f in frames[1:]:
        out = out.unionByName(f)
    return out


def _session(workers: int) -> Any:
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("redline audit-batch")
    if not SparkConf().contains("spark.master"):  # spark-submit --master sets it; else this machine
        builder = builder.master(f"local[{workers}]")
    spark = (builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def audit_batch_spark(inputs: list[str], results: ResultsDir, /, *, snapshot: Snapshot, workers: int,
                      as_of: Date | None) -> Any:
    """Run the batch on Spark; same results folder layout, resumable, as the local engine."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from . import BatchResult

    reason = spark_available()
    if reason:
        raise InputError(f"--engine spark: {reason}")
    if results.format != "parquet":
        raise InputError("--engine spark writes Parquet; drop --format jsonl (or use --engine local)")
    results.prepare()
    done = results.done_ids()
    started = time.perf_counter()
    spark = _session(workers)
    try:
        records = _records(spark, inputs)
        total = records.count()
        first = Window.partitionBy("id").orderBy("input_no", "row_no")
        keyed = records.where(F.col("id").isNotNull() & (F.col("id") != ""))
        keyed = keyed.withColumn("_n", F.row_number().over(first)).where("_n = 1").drop("_n")
        todo = keyed.unionByName(records.where(F.col("id").isNull() | (F.col("id") == "")))
        if done:
            todo = todo.where(~F.col("id").isin(sorted(done)))
        todo = todo.drop("input_no", "row_no").repartition(max(1, workers * 2))
        token = f"{int(time.time() * 1000):x}-{os.getpid()}-spark"
        bc = spark.sparkContext.broadcast(pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL))
        rows = todo.mapInPandas(_audit_frames(token, bc, as_of), _schema(_OUT_COLUMNS)).persist()
        stage = results.partial / token
        for table, columns in (("claims", CLAIM_COLUMNS), ("articles", ARTICLE_COLUMNS)):
            kind = "claim" if table == "claims" else "article"
            (rows.where(F.col(_ROW) == kind).select(*[n for n, _ in columns]).orderBy("article_id")
             .write.partitionBy("month").parquet(str(stage / table)))
        counts = rows.groupBy(_ROW).agg(F.count("*").alias("n"), F.count("error").alias("errors")).collect()
        bc.unpersist()
    finally:
        spark.stop()
    # move into place: claims first, then the article rows that mark the articles done
    for table in ("claims", "articles"):
        for i, src in enumerate(sorted((stage / table).rglob("*.parquet"))):
            dst = results.path / table / src.parent.name / f"{table}-{token}-{i}.parquet"
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
    results.finish()
    by = {r[_ROW]: r for r in counts}
    articles = by["article"]["n"] if "article" in by else 0
    return BatchResult(str(results.path), articles, total - articles, by["article"]["errors"] if "article" in by else 0,
                       by["claim"]["n"] if "claim" in by else 0, time.perf_counter() - started)
