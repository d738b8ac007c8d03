"""`topictrack.analyze`: inputs, tables, and identity with the command line."""

import json

import pandas as pd
import pytest

import topictrack
from topictrack import _tables


def test_same_topics_events_and_stories_as_the_cli(demo_result, demo_cli_out):
    out = demo_cli_out
    pd.testing.assert_frame_equal(
        demo_result.topics, _tables.topics((out / "topics.json").read_text())
    )
    pd.testing.assert_frame_equal(
        demo_result.events, _tables.events((out / "events.json").read_text())
    )
    pd.testing.assert_frame_equal(
        demo_result.stories, _tables.stories((out / "stories.json").read_text())
    )
    pd.testing.assert_frame_equal(
        demo_result.surges, _tables.surges((out / "surges.json").read_text())
    )


def _files(root):
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name != ".topictrack.lock"
    )


def _run_without_timings(path):
    run = json.loads(path.read_text())
    for key in ("stage_seconds", "inputs", "outputs"):
        run.pop(key)
    return run


def test_write_gives_the_cli_output_folder_byte_for_byte(demo_result, cli, demo_path, tmp_path):
    from conftest import run_cli

    ours, theirs = tmp_path / "py", tmp_path / "cli"
    written = demo_result.write(ours, model=True)
    run_cli(cli, "analyze", str(demo_path), "--out", str(theirs), "--seed", "0", "--save-model",
            "--quiet")
    assert _files(ours) == _files(theirs)
    assert sorted(written) == _files(ours)
    # run.json differs in stage times and input names (a DataFrame has no file); report.html
    # shows run.json.
    for f in _files(ours):
        if f not in ("run.json", "report.html"):
            assert (ours / f).read_bytes() == (theirs / f).read_bytes(), f
    assert _run_without_timings(ours / "run.json") == _run_without_timings(theirs / "run.json")


def test_same_assignments_and_timeline_as_the_cli(demo_result, demo_cli_out):
    cli = pd.read_csv(demo_cli_out / "assignments.csv", dtype={"id": str})
    ours = demo_result.assignments
    assert list(ours["id"]) == list(cli["id"])
    assert list(ours["topic"].astype("float")) == list(cli["topic"].astype("float"))
    assert (ours["score"].round(4) - cli["score"]).abs().max() < 1e-4
    assert list(ours["date"]) == list(pd.to_datetime(cli["date"], utc=True))
    tl = pd.read_csv(demo_cli_out / "timeline.csv")
    assert list(demo_result.timeline["count"]) == list(tl["count"])
    assert list(demo_result.timeline["topic"]) == list(tl["topic"])
    assert (demo_result.timeline["share"].round(6) - tl["share"]).abs().max() < 1e-6


def test_paths_dicts_and_polars_give_the_same_topics(demo_result, demo_path, demo_df):
    pl = pytest.importorskip("polars")
    expected = list(demo_result.assignments["topic"])
    for data in (
        str(demo_path),
        [demo_path],
        demo_df.to_dict("records"),
        pl.read_ndjson(demo_path),
    ):
        r = topictrack.analyze(data, seed=0, events=False)
        assert list(r.assignments["topic"]) == expected, type(data)
        assert list(r.assignments["id"]) == list(demo_result.assignments["id"])


def test_tables_have_flat_columns_real_dates_and_one_topic_name(demo_result):
    r = demo_result
    assert r.k == len(r.topics) == 9
    for name in ("topics", "assignments", "timeline", "events", "stories", "surges"):
        df = getattr(r, name)
        assert "topic" in df.columns, name
        assert "id" not in df.columns or name == "assignments", name
        assert not any(df[c].map(lambda v: isinstance(v, dict)).any() for c in df.columns), name
    assert str(r.assignments["date"].dtype) == "datetime64[ns, UTC]"
    assert str(r.timeline["bin"].dtype) == "datetime64[ns, UTC]"
    for c in ("peak", "start", "end"):
        assert str(r.events[c].dtype) == "datetime64[ns, UTC]"
    assert str(r.assignments["topic"].dtype) == "Int64"
    # The demo's bridge collapse is event 1, on 2025-04-10.
    first = r.events.iloc[0]
    assert first["peak"] == pd.Timestamp("2025-04-10", tz="UTC")
    assert "Kessel" in first["terms"]
    # Shares of a bin add up to 1.
    sums = r.timeline.groupby("bin")["share"].sum()
    assert ((sums - 1).abs() < 1e-9).all()


def test_named_columns_and_timezones(demo_df):
    df = demo_df.rename(columns={"text": "body_text", "date": "when", "id": "key"})
    df["when"] = pd.to_datetime(df["when"]).dt.tz_localize("Europe/Paris")
    r = topictrack.analyze(df, text=["title", "body_text"], date="when", id="key", k=9,
                           events=False)
    assert list(r.assignments["id"][:3]) == ["d0001", "d0002", "d0003"]
    # Midnight in Paris is 23:00 UTC the day before.
    assert r.assignments["date"][0] == pd.Timestamp("2025-01-05 23:00", tz="UTC")


def test_settings_reach_the_library(demo_df):
    r = topictrack.analyze(demo_df, k=5, dims=20, min_df=3, settings={"svd.power_iters": 2},
                           events=False)
    assert r.k == 5
    p = r.params
    assert p["svd"]["dims"] == 20 and p["svd"]["power_iters"] == 2
    assert p["tfidf"]["min_df"] == {"count": 3}
    assert r.events.empty


def test_bad_settings_and_inputs_raise_with_the_reason(demo_df):
    with pytest.raises(ValueError, match="unknown setting"):
        topictrack.analyze(demo_df, settings={"svd.nope": 1})
    with pytest.raises(ValueError, match="dims"):
        topictrack.analyze(demo_df, dims=0)
    with pytest.raises(ValueError, match="k"):
        topictrack.analyze(demo_df, k="many")
    with pytest.raises(TypeError):
        topictrack.analyze(42)
    with pytest.raises(topictrack.TopictrackError):
        topictrack.analyze([{"id": "a", "date": "2025-01-01"}])


def test_problems_are_reported(demo_df):
    df = demo_df.copy()
    df.loc[3, "date"] = None
    rows = df.to_dict("records")
    rows[5]["date"] = "not a date"
    r = topictrack.analyze(rows, events=False)
    assert len(r.assignments) == len(df)
    assert r.problems["reason"].str.contains("date").any()
    assert r.assignments["date"].isna().sum() == 2
