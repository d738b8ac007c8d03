"""`topictrack.spark` on PySpark in local mode: the assignments equal the single-machine ones."""

import os
import shutil
import sys
import time

import pandas as pd
import pytest

import topictrack

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.fail("the Spark test needs Java (apt-get install default-jre-headless)")

from topictrack import spark as tts  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The Python workers run this interpreter (with pandas and topictrack), not `python3`.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2]")
        .appName("topictrack-test")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    yield s
    s.stop()


def test_spark_assignments_equal_the_single_machine_ones(spark, demo_path, demo_df):
    t0 = time.monotonic()
    # Four partitions, so the model really is broadcast to and applied by several tasks.
    sdf = spark.read.json(str(demo_path)).repartition(4)
    model = tts.fit(sdf, id="id", date="date")
    assert model.k >= 5
    assigned = tts.assign(sdf, model, id="id", date="date")
    got = assigned.toPandas().sort_values("id").reset_index(drop=True)

    local = model.transform(demo_df, id="id", date="date")
    local = local.sort_values("id").reset_index(drop=True)
    assert list(got["id"]) == list(local["id"])
    assert list(got["topic"].astype("float").fillna(-1)) == list(local["topic"].astype("float").fillna(-1))
    assert (got["score"] - local["score"]).abs().max() == 0
    assert list(got["reason"].fillna("")) == list(local["reason"].fillna(""))

    # The whole demo fits in the sample, so the model is the one `analyze` fits, and with every
    # article assigned (min_score 0) its topics are `analyze`'s.
    single = topictrack.analyze(demo_df, events=False)
    all_assigned = tts.assign(sdf, model, id="id", date="date", min_score=0.0).toPandas()
    merged = all_assigned.merge(single.assignments, on="id", suffixes=("_spark", ""))
    assert (merged["topic_spark"] == merged["topic"]).all()

    daily = tts.timeline(all_assigned_df := tts.assign(sdf, model, min_score=0.0))
    assert daily["count"].sum() == len(demo_df)
    expected = (
        single.assignments.assign(day=single.assignments["date"].dt.floor("D"))
        .groupby(["day", "topic"]).size()
    )
    got_daily = daily.set_index(["day", "topic"])["count"]
    assert dict(got_daily) == {(d, int(t)): n for (d, t), n in expected.items()}
    del all_assigned_df

    bursts = tts.surges(daily, model)
    single_full = topictrack.analyze(demo_df)
    # Same detectors on the same daily counts: the same surges (without headlines and terms).
    cols = ["method", "topic", "start", "end", "peak", "peak_count", "total_count", "score"]
    pd.testing.assert_frame_equal(
        bursts[cols].reset_index(drop=True), single_full.surges[cols].reset_index(drop=True)
    )
    print(f"spark test: {time.monotonic() - t0:.1f} s, {len(got)} articles, assignments equal")
