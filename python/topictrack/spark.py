"""topictrack on Apache Spark: collections larger than one machine.

The split of the work (see ARCHITECTURE.md, "Python and Spark"):

1. **Fit on the driver, on a sample** (:func:`fit`): a random sample of the Spark DataFrame
   (``sample`` rows, 20,000 by default: the size at which the library itself stops fitting on
   more rows, ``fit_rows``) is collected to the driver and analysed there with
   :func:`topictrack.analyze`. Only the sample crosses the network.
2. **Assign on the executors** (:func:`assign`): the fitted :class:`topictrack.Model` (a few MB
   of postcard bytes: vocabulary, IDF, LSA basis, centres) is broadcast once; each executor
   assigns its partitions with ``mapInPandas`` → :meth:`Model.transform`, the same code as on
   one machine, so each article gets the same topic and score it gets there. The articles'
   text never leaves its executor; out come ``id, date, topic, score, reason``.
3. **Aggregate with Spark** (:func:`timeline`): a ``groupBy`` of day and topic; only the
   counts (days × topics) reach the driver.
4. **Events on the driver** (:func:`surges`): topic surges (Kleinberg, robust z-scores) from the
   aggregated daily counts alone.

Example (a cluster; the same code runs in ``local[2]`` in the tests)::

    from pyspark.sql import SparkSession
    from topictrack import spark as tts

    spark = SparkSession.builder.appName("news").getOrCreate()
    news = spark.read.json("s3://archive/news/*.jsonl.gz")
    model = tts.fit(news, text=["title", "body"], date="published", id="url", k=40)
    assigned = tts.assign(news, model, text=["title", "body"], date="published", id="url")
    assigned.write.parquet("s3://archive/topics/")
    daily = tts.timeline(assigned)            # pandas: day, topic, count
    bursts = tts.surges(daily, model)         # pandas: one row per surge
"""

from __future__ import annotations

import json
from typing import Any, Optional, Sequence, Union

import pandas as pd

from . import _native, _tables
from ._api import Model, analyze

#: Rows fitted on by default: the library's own `fit_rows` (LSA and k-means are fitted on at
#: most this many articles of a larger collection and applied to the rest).
DEFAULT_SAMPLE = 20_000

ASSIGNED_SCHEMA = "id string, date timestamp, topic int, score float, reason string"


def sample(sdf: Any, n: int = DEFAULT_SAMPLE, seed: int = 0) -> pd.DataFrame:
    """About ``n`` rows of ``sdf`` drawn at random (seeded), collected as pandas; all of it
    when it has at most ``n`` rows."""
    total = sdf.count()
    if total <= n:
        return sdf.toPandas()
    # Oversampled a little so that the Bernoulli sample rarely falls short, then cut.
    frac = min(1.0, 1.1 * n / total)
    return sdf.sample(withReplacement=False, fraction=frac, seed=seed).limit(n).toPandas()


def fit(
    sdf: Any,
    *,
    sample_rows: int = DEFAULT_SAMPLE,
    seed: int = 0,
    text: Union[str, Sequence[str], None] = None,
    date: Optional[str] = None,
    id: Optional[str] = None,
    **analyze_kwargs: Any,
) -> Model:
    """Fits a topic model on a sample of ``sdf`` (on the driver); returns the model to
    broadcast. Keywords are those of :func:`topictrack.analyze`."""
    pdf = sample(sdf, sample_rows, seed)
    result = analyze(pdf, text=text, date=date, id=id, seed=seed, events=False, **analyze_kwargs)
    return result.model


def assign(
    sdf: Any,
    model: Model,
    *,
    text: Union[str, Sequence[str], None] = None,
    date: Optional[str] = None,
    id: Optional[str] = None,
    min_score: Optional[float] = None,
) -> Any:
    """Assigns every row of ``sdf`` to the model's topics on the executors (``mapInPandas``
    with the model broadcast). Returns a Spark DataFrame ``id, date, topic, score, reason`` as
    :meth:`Model.transform` gives on one machine."""
    bc = sdf.sparkSession.sparkContext.broadcast(model)

    def run(batches):
        m = bc.value
        for pdf in batches:
            if len(pdf) == 0:
                continue
            out = m.transform(pdf, text=text, date=date, id=id, min_score=min_score)
            yield pd.DataFrame(
                {
                    "id": out["id"].astype(object),
                    "date": out["date"],
                    "topic": out["topic"].astype("Int32"),
                    "score": out["score"].astype("float32"),
                    "reason": out["reason"].astype(object),
                }
            )

    return sdf.mapInPandas(run, ASSIGNED_SCHEMA)


def timeline(assigned: Any) -> pd.DataFrame:
    """Articles per day and topic (a Spark ``groupBy``; only the counts are collected): columns
    ``day``, ``topic``, ``count``. Undated articles and those without topic are left out."""
    from pyspark.sql import functions as F

    counts = (
        assigned.where(F.col("topic").isNotNull() & F.col("date").isNotNull())
        .groupBy(F.to_date(F.col("date")).alias("day"), F.col("topic"))
        .count()
        .orderBy("day", "topic")
        .toPandas()
    )
    counts["day"] = pd.to_datetime(counts["day"]).dt.tz_localize("UTC")
    return counts


def surges(
    daily: pd.DataFrame, model: Model, settings: Optional[dict] = None
) -> pd.DataFrame:
    """Topic surges from the daily counts of :func:`timeline`, computed on the driver (the
    same detectors as ``surges.json``; without the articles there are no headlines or terms)."""
    k = model.k
    labels = list(model.topics["label"])
    if daily.empty:
        return _tables.surges(None)
    days = pd.date_range(daily["day"].min(), daily["day"].max(), freq="D")
    grid = (
        daily.pivot_table(index="day", columns="topic", values="count", aggfunc="sum")
        .reindex(index=days, columns=range(k))
        .fillna(0)
        .astype("int64")
    )
    counts = [grid[t].tolist() for t in range(k)]
    totals = grid.sum(axis=1).tolist()
    raw = _native.surges(
        [d.strftime("%Y-%m-%d") for d in days], counts, totals, labels,
        json.dumps(settings or {}),
    )
    return _tables.surges(raw)
