"""`topictrack.compare` and `topictrack.evaluate` against the command line."""

import json

import pytest

import topictrack
from conftest import run_cli


def test_compare_by_field_equals_the_cli(cli, demo_path, demo_df, tmp_path):
    c = topictrack.compare(demo_df, by="source")
    out = tmp_path / "cmp"
    run_cli(cli, "compare", str(demo_path), "--by", "source", "--out", str(out), "--no-charts",
            "--quiet")
    assert c.raw == json.loads((out / "comparison.json").read_text())
    assert set(c.shares["collection"]) == {"Harbour Gazette", "Valley Courier"}
    assert len(c.tests) == c.analysis.k
    # Shares of one collection add up to 1 over the topics.
    sums = c.shares.groupby("collection")["share"].sum()
    assert ((sums - 1).abs() < 1e-9).all()
    assert c.divergence.loc[0, "jsd"] > c.divergence.loc[0, "expected_if_same"]


def test_compare_needs_collections(demo_df):
    with pytest.raises(ValueError, match="two input files"):
        topictrack.compare(demo_df)
    with pytest.raises(ValueError, match="not both"):
        topictrack.compare(demo_df, by="source", periods=["2025-01-01..2025-03-31"])


def test_evaluate_equals_run_json_scores(demo_df):
    r = topictrack.analyze(demo_df, label="topic", events=False)
    s = topictrack.evaluate(r, demo_df["topic"])
    assert s == r.scores
    assert 0.9 < s["nmi"] <= 1.0
    perfect = topictrack.evaluate([0, 0, 1, 1], ["a", "a", "b", "b"])
    assert perfect["nmi"] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        topictrack.evaluate([0, 1], ["a"])
