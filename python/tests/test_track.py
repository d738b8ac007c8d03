"""`topictrack.Tracker`: the tracker store from Python, against `topictrack track` on the same
data (the demo corpus split by date: init on January to April, add May and June)."""

import json
import subprocess
import sys
import time

import pandas as pd
import pytest

import topictrack

from conftest import run_cli

SPLIT = "2025-05-01"

# Holds a write transaction on the store argv[1] until its standard input closes.
HOLD = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
sys.stdin.read()
c.execute("COMMIT")
"""


def _timeless(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "stage_seconds"}


def _stable_status(status: dict) -> dict:
    """The status without what differs between two equal stores (size, batch times)."""
    out = {k: v for k, v in status.items() if k not in ("bytes", "batches")}
    out["batches"] = [(b["id"], b["kind"], b["added"]) for b in status["batches"]]
    return out


@pytest.fixture(scope="module")
def parts(demo_df):
    first = demo_df[demo_df["date"] < SPLIT].reset_index(drop=True)
    rest = demo_df[demo_df["date"] >= SPLIT].reset_index(drop=True)
    assert len(first) and len(rest)
    return first, rest


@pytest.fixture(scope="module")
def part_files(demo_path, tmp_path_factory):
    """The two parts as JSON Lines files, the demo's lines unchanged."""
    d = tmp_path_factory.mktemp("parts")
    lines = demo_path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = [x for x in lines if json.loads(x)["date"] < SPLIT]
    rest = [x for x in lines if json.loads(x)["date"] >= SPLIT]
    (d / "first.jsonl").write_text("".join(first), encoding="utf-8")
    (d / "rest.jsonl").write_text("".join(rest), encoding="utf-8")
    return d / "first.jsonl", d / "rest.jsonl"


@pytest.fixture(scope="module")
def tracked(parts, tmp_path_factory):
    """A store made from DataFrames: init on the first part, then add the rest. Returns the
    tracker, the init and add reports and the assignments right after init."""
    first, rest = parts
    store = tmp_path_factory.mktemp("py") / "news.db"
    t = topictrack.Tracker.init(store, first, source="source", k=8, seed=0)
    after_init = t.assignments
    topics_at_init = t.topics
    added = t.add(rest)
    yield t, t.init_report, added, after_init, topics_at_init
    t.close()


@pytest.fixture(scope="module")
def cli_store(cli, part_files, tmp_path_factory):
    """The same store made by the command line from the same data."""
    first, rest = part_files
    store = tmp_path_factory.mktemp("cli") / "news.db"
    init = run_cli(cli, "-q", "track", "init", str(store), str(first), "--source-field",
                   "source", "-k", "8", "--seed", "0", "--json")
    add = run_cli(cli, "-q", "track", "add", str(store), str(rest), "--json")
    return store, json.loads(init.stdout), json.loads(add.stdout)


def test_init_and_add_report_counts(tracked, parts):
    t, init, added, _, _ = tracked
    first, rest = parts
    assert init["batch"] == 0 and added["batch"] == 1
    # init stores every article read; add skips the known ones.
    assert init["added"] == init["read"] == len(first)
    assert added["read"] == len(rest)
    assert 0 < added["added"] <= added["read"]
    assert added["added"] + added["duplicate_ids"] + len(added["duplicate_content"]) == len(rest)
    assert added["assigned"] + sum(added["unassigned"].values()) == added["added"]
    for key in ("new_topics", "events", "term_events", "near_duplicates"):
        assert isinstance(added[key], list)
    assert t.check() == []


def test_status_counts_match_the_store(tracked):
    t, init, added, _, _ = tracked
    s = t.status()
    a = t.assignments
    assert s["articles"] == init["added"] + added["added"] == len(a)
    assert s["with_topic"] == int(a["topic"].notna().sum())
    assert s["dated"] == int(a["date"].notna().sum())
    assert s["first"] == "2025-01-06" and s["last"] == "2025-06-29"
    assert [b["kind"] for b in s["batches"]] == ["add", "init"]
    by_topic = a["topic"].value_counts()
    for tid, label, n in s["topics"]:
        assert by_topic.get(tid, 0) == n
        assert t.topics.set_index("topic").loc[tid, "label"] == label


def test_tables(tracked, parts):
    t, _, _, _, _ = tracked
    a = t.assignments
    assert list(a.columns) == ["id", "date", "title", "source", "topic", "label", "score",
                               "reason", "near_dup_of", "batch"]
    assert str(a["date"].dtype) == "datetime64[ns, UTC]"
    assert str(a["topic"].dtype) == "Int64"
    assert set(a["batch"]) == {0, 1}
    assert set(a["source"].dropna()) <= set(parts[0]["source"]) | set(parts[1]["source"])
    assert a["reason"].isna().eq(a["topic"].notna()).all()
    topics = t.topics
    assert list(topics.columns) == ["topic", "label", "articles", "terms", "term_weights", "born",
                                    "born_batch", "retired_batch"]
    assert list(topics.loc[topics["born"] == "init", "topic"]) == list(range(8))
    assert all(len(ts) > 0 for ts in topics["terms"])
    assert t.params["analyze"]["cluster"]["k"] is not None
    assert t.params["track"]["new_topic_min_size"] == 8


def test_topic_ids_of_the_first_part_keep_their_meaning(tracked):
    t, _, _, after_init, topics_at_init = tracked
    now = t.assignments.set_index("id")
    before = after_init.set_index("id")
    assert now.loc[before.index, "topic"].equals(before["topic"])
    init_topics = topics_at_init.set_index("topic")
    cur = t.topics.set_index("topic").loc[init_topics.index]
    assert list(cur["label"]) == list(init_topics["label"])
    assert list(cur["terms"]) == list(init_topics["terms"])


def test_adding_the_same_data_again_changes_nothing(tracked, parts):
    t, _, added, _, _ = tracked
    before = (t.status(), t.assignments, t.topics)
    again = t.add(parts[1])
    assert again["added"] == 0
    assert again["duplicate_ids"] == added["added"] + added["duplicate_ids"]
    assert again["new_topics"] == [] and again["events"] == []
    after = (t.status(), t.assignments, t.topics)
    assert _stable_status(after[0]) == _stable_status(before[0])
    pd.testing.assert_frame_equal(after[1], before[1])
    pd.testing.assert_frame_equal(after[2], before[2])


def test_same_results_as_the_command_line(tracked, cli_store):
    t, init, added, _, _ = tracked
    store, cli_init, cli_add = cli_store
    assert _timeless(init) == _timeless(cli_init)
    assert _timeless(added) == _timeless(cli_add)
    with topictrack.Tracker.open(store) as c:
        assert _stable_status(c.status()) == _stable_status(t.status())
        pd.testing.assert_frame_equal(c.assignments, t.assignments)
        pd.testing.assert_frame_equal(c.topics, t.topics)


def test_paths_give_the_same_store_as_dataframes(tracked, part_files, tmp_path):
    t, init, added, _, _ = tracked
    with topictrack.Tracker.init(tmp_path / "p.db", str(part_files[0]), source="source", k=8,
                                 seed=0) as p:
        assert _timeless(p.init_report) == _timeless(init)
        assert _timeless(p.add(part_files[1])) == _timeless(added)
        pd.testing.assert_frame_equal(p.assignments, t.assignments)


def test_report_writes_the_outputs(tracked, tmp_path):
    t, _, _, _, _ = tracked
    out = tmp_path / "site"
    s = t.report(out)
    assert s["articles"] == t.status()["articles"]
    for f in ("report.html", "topics.json", "assignments.csv", "timeline.csv", "events.json"):
        assert (out / f).is_file(), f
        assert f in s["files"]
    topics = json.loads((out / "topics.json").read_text())
    assert {x["id"] for x in topics} >= set(range(8))
    june = t.report(tmp_path / "june", from_="2025-06-01", to=pd.Timestamp("2025-06-30"),
                    charts=False, events=False)
    assert 0 < june["articles"] < s["articles"]
    assert not (tmp_path / "june" / "report.html").exists()
    n_june = (t.assignments["date"] >= pd.Timestamp("2025-06-01", tz="UTC")).sum()
    assert june["articles"] == n_june


def test_a_second_writer_gets_a_busy_error(parts, tmp_path):
    first, rest = parts
    store = tmp_path / "s.db"
    t = topictrack.Tracker.init(store, first, k=8)
    # The writer holding the store is another process: SQLite's file locks are per process, so
    # Python's own sqlite3 (another copy of SQLite) in this process would not be seen.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        t0 = time.monotonic()
        with pytest.raises(topictrack.StoreBusyError, match="store is busy"):
            t.add(rest)
        assert time.monotonic() - t0 < 10
        # A busy store is a TopictrackError too, and readers are not blocked.
        assert issubclass(topictrack.StoreBusyError, topictrack.TopictrackError)
        assert t.status()["articles"] == len(first)
    finally:
        holder.communicate("")
    assert holder.returncode == 0
    assert t.add(rest)["added"] > 0
    t.close()


def test_refit_keeps_ids(tracked, parts, tmp_path):
    first, rest = parts
    with topictrack.Tracker.init(tmp_path / "r.db", first, k=8) as t:
        t.add(rest)
        r = t.refit()
        assert r["articles"] == t.status()["articles"]
        ids = {m["id"] for m in r["matched"]} | {b["id"] for b in r["births"]}
        active = set(t.topics.loc[t.topics["retired_batch"].isna(), "topic"])
        assert ids == active
        assert t.check() == []


def test_errors(parts, tmp_path):
    first, _ = parts
    with pytest.raises(topictrack.TopictrackError, match="no such store"):
        topictrack.Tracker.open(tmp_path / "missing.db")
    with pytest.raises(ValueError, match="new_topic_min_size"):
        topictrack.Tracker.init(tmp_path / "bad.db", first, new_topic_min_size=1)
    with pytest.raises(ValueError, match="unknown setting"):
        topictrack.Tracker.init(tmp_path / "bad2.db", first, track_settings={"nope": 1})
    t = topictrack.Tracker.init(tmp_path / "s.db", first, k=4)
    with pytest.raises(topictrack.TopictrackError, match="already exists"):
        topictrack.Tracker.init(tmp_path / "s.db", first, k=4)
    with pytest.raises(ValueError, match="from_"):
        t.report(tmp_path / "o", from_="May")
    t.close()
    t.close()
    with pytest.raises(topictrack.TopictrackError, match="closed"):
        t.status()
    assert "closed" in repr(t)


def test_cli_adds_to_a_store_made_in_python(cli, parts, part_files, tmp_path):
    first, _ = parts
    store = tmp_path / "s.db"
    topictrack.Tracker.init(store, first, k=8).close()
    out = subprocess.run([str(cli), "-q", "track", "add", str(store), str(part_files[1]),
                          "--json"], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["added"] > 0
    with topictrack.Tracker.open(store) as t:
        assert t.status()["batches"][0]["kind"] == "add"
        assert t.check() == []
