"""Parquet outputs (`analyze --parquet`, `write(format="parquet")`) read by pandas, polars and
DuckDB."""

import pandas as pd
import pytest

TABLES = ("assignments", "timeline", "events", "stories")


@pytest.fixture(scope="module")
def parquet_dir(demo_result, tmp_path_factory):
    out = tmp_path_factory.mktemp("pq") / "out"
    written = demo_result.write(out, format="parquet", charts=False)
    for t in TABLES:
        assert f"{t}.parquet" in written
    return out


def test_pandas_reads_the_same_rows_as_the_csv_files(parquet_dir, demo_result):
    a = pd.read_parquet(parquet_dir / "assignments.parquet")
    csv = pd.read_csv(parquet_dir / "assignments.csv", dtype={"id": str})
    assert list(a["id"]) == list(csv["id"])
    assert list(a["topic"]) == list(csv["topic"])
    assert str(a["date"].dtype).startswith("datetime64") and str(a["date"].dt.tz) == "UTC"
    assert list(a["date"]) == list(pd.to_datetime(csv["date"], utc=True))
    assert (a["score"].round(4) - csv["score"]).abs().max() < 1e-4
    tl = pd.read_parquet(parquet_dir / "timeline.parquet")
    tl_csv = pd.read_csv(parquet_dir / "timeline.csv")
    assert list(tl["count"]) == list(tl_csv["count"])
    assert [str(d) for d in tl["bin_start"]] == list(tl_csv["bin_start"])
    ev = pd.read_parquet(parquet_dir / "events.parquet")
    assert list(ev["label"]) == list(demo_result.events["label"])
    assert [list(t) for t in ev["terms"]] == list(demo_result.events["terms"])
    st = pd.read_parquet(parquet_dir / "stories.parquet")
    assert [list(x) for x in st["articles"]] == list(demo_result.stories["articles"])


def test_polars_reads_typed_columns(parquet_dir):
    pl = pytest.importorskip("polars")
    ev = pl.read_parquet(parquet_dir / "events.parquet")
    assert ev.schema["peak"] == pl.Date
    assert ev.schema["terms"] == pl.List(pl.String)
    assert ev["peak"][0].isoformat() == "2025-04-10"
    a = pl.read_parquet(parquet_dir / "assignments.parquet")
    assert a.schema["topic"] == pl.Int32
    assert isinstance(a.schema["date"], pl.Datetime) and a.schema["date"].time_zone == "UTC"


def test_duckdb_queries_the_files(parquet_dir, demo_result):
    duckdb = pytest.importorskip("duckdb")
    rows = duckdb.sql(
        f"SELECT topic, count(*) FROM '{parquet_dir / 'assignments.parquet'}' "
        "GROUP BY topic ORDER BY topic"
    ).fetchall()
    assert [n for _, n in rows] == list(demo_result.topics["size"])
    [(n,)] = duckdb.sql(
        f"SELECT sum(len(articles)) FROM '{parquet_dir / 'stories.parquet'}'"
    ).fetchall()
    assert n == demo_result.stories["size"].sum()


def test_cli_parquet_flag_writes_the_same_files(cli, demo_path, parquet_dir, tmp_path):
    from conftest import run_cli

    out = tmp_path / "cli"
    run_cli(cli, "analyze", str(demo_path), "--out", str(out), "--parquet", "--no-charts",
            "--quiet")
    for t in TABLES:
        ours = pd.read_parquet(parquet_dir / f"{t}.parquet")
        theirs = pd.read_parquet(out / f"{t}.parquet")
        pd.testing.assert_frame_equal(ours, theirs)
