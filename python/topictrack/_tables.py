"""The library's records as flat pandas DataFrames.

One convention for every table: the topic id is the column `topic` (nullable integer, missing
for an article without topic), dates are `datetime64[ns, UTC]` (day-valued ones at midnight UTC),
lists (terms, article ids) stay Python lists in one cell, and nothing needs `json_normalize`.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import pandas as pd


def _days(values: Any) -> pd.Series:
    days = pd.to_datetime(pd.Series(values, dtype="object"), utc=True, format="%Y-%m-%d")
    return days.astype("datetime64[ns, UTC]")


def _micros(values: Any) -> pd.Series:
    s = pd.Series(values, dtype="Float64")
    return pd.to_datetime(s.astype("Int64"), unit="us", utc=True).astype("datetime64[ns, UTC]")


def _topic(values: Any) -> pd.Series:
    return pd.Series(values, dtype="Int64")


def topics(records_json: str) -> pd.DataFrame:
    """topics.json as one row per topic."""
    rows = json.loads(records_json)
    return pd.DataFrame(
        {
            "topic": pd.Series([r["id"] for r in rows], dtype="int64"),
            "label": [r["label"] for r in rows],
            "name": [r.get("name") for r in rows],
            "size": pd.Series([r["size"] for r in rows], dtype="int64"),
            "share": pd.Series([r["share"] for r in rows], dtype="float64"),
            "terms": [[t["term"] for t in r["terms"]] for r in rows],
            "term_weights": [[t["weight"] for t in r["terms"]] for r in rows],
            "example_ids": [[e["id"] for e in r["examples"]] for r in rows],
            "example_titles": [[e["title"] for e in r["examples"]] for r in rows],
        }
    )


def assignments(cols: dict, topic_labels: Optional[list] = None) -> pd.DataFrame:
    """One row per article: id, date, title, topic, label, score (and reason when given)."""
    df = pd.DataFrame(
        {
            "id": pd.Series(cols["id"], dtype="object"),
            "date": _micros(cols["date"]),
        }
    )
    if "title" in cols:
        df["title"] = pd.Series(cols["title"], dtype="object")
    df["topic"] = _topic(cols["topic"])
    if topic_labels is not None:
        df["label"] = [
            topic_labels[t] if t is not None and t < len(topic_labels) else None
            for t in cols["topic"]
        ]
    df["score"] = pd.Series(cols["score"], dtype="float32")
    if "reason" in cols:
        df["reason"] = pd.Series(cols["reason"], dtype="object")
    return df


def timeline(cols: dict, topic_labels: list) -> pd.DataFrame:
    """Long format: one row per bin and topic with count, the bin's total and the share."""
    df = pd.DataFrame(
        {
            "bin": _days(cols["bin"]),
            "topic": pd.Series(cols["topic"], dtype="int64"),
            "count": pd.Series(cols["count"], dtype="int64"),
            "total": pd.Series(cols["total"], dtype="int64"),
        }
    )
    df.insert(2, "label", [topic_labels[t] for t in df["topic"]])
    total = df["total"].where(df["total"] > 0)
    df["share"] = (df["count"] / total).fillna(0.0)
    df.attrs["unit"] = cols["unit"]
    return df


def _empty(columns: list) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


EVENT_COLUMNS = [
    "rank", "peak", "start", "end", "score", "label", "terms", "term_scores", "n_articles",
    "topic", "topic_share", "topics", "headlines", "headline_ids", "articles",
]


def events(records_json: Optional[str]) -> pd.DataFrame:
    """events.json as one row per event, strongest first; `topic` is its main topic."""
    rows = json.loads(records_json) if records_json else []
    if not rows:
        return _empty(EVENT_COLUMNS)
    return pd.DataFrame(
        {
            "rank": pd.Series([r["rank"] for r in rows], dtype="int64"),
            "peak": _days([r["peak"] for r in rows]),
            "start": _days([r["start"] for r in rows]),
            "end": _days([r["end"] for r in rows]),
            "score": pd.Series([r["score"] for r in rows], dtype="float64"),
            "label": [r["label"] for r in rows],
            "terms": [[t["term"] for t in r["terms"]] for r in rows],
            "term_scores": [[t["score"] for t in r["terms"]] for r in rows],
            "n_articles": pd.Series([r["n_articles"] for r in rows], dtype="int64"),
            "topic": _topic([r["topics"][0]["topic"] if r["topics"] else None for r in rows]),
            "topic_share": pd.Series(
                [r["topics"][0]["share"] if r["topics"] else None for r in rows],
                dtype="Float64",
            ),
            "topics": [[t["topic"] for t in r["topics"]] for r in rows],
            "headlines": [[h["title"] for h in r["headlines"]] for r in rows],
            "headline_ids": [[h["id"] for h in r["headlines"]] for r in rows],
            "articles": [r["articles"] for r in rows],
        }
    )


STORY_COLUMNS = [
    "story", "start", "end", "size", "label", "terms", "topic", "topic_share", "first_id",
    "first_title", "first_date", "articles",
]


def stories(records_json: Optional[str]) -> pd.DataFrame:
    """stories.json as one row per story."""
    rows = json.loads(records_json) if records_json else []
    if not rows:
        return _empty(STORY_COLUMNS)
    return pd.DataFrame(
        {
            "story": pd.Series([r["id"] for r in rows], dtype="int64"),
            "start": _days([r["start"] for r in rows]),
            "end": _days([r["end"] for r in rows]),
            "size": pd.Series([r["size"] for r in rows], dtype="int64"),
            "label": [r["label"] for r in rows],
            "terms": [[t["term"] for t in r["terms"]] for r in rows],
            "topic": _topic([r["topic"] for r in rows]),
            "topic_share": pd.Series([r["topic_share"] for r in rows], dtype="Float64"),
            "first_id": [r["first"]["id"] for r in rows],
            "first_title": [r["first"]["title"] for r in rows],
            "first_date": _days([r["first"]["date"] for r in rows]),
            "articles": [r["articles"] for r in rows],
        }
    )


SURGE_COLUMNS = [
    "method", "topic", "label", "start", "end", "peak", "peak_count", "total_count", "score",
    "level", "terms", "headlines", "articles",
]


def surges(records_json: Optional[str]) -> pd.DataFrame:
    """surges.json (bursts of a topic's share) as one row per surge."""
    rows = json.loads(records_json) if records_json else []
    if not rows:
        return _empty(SURGE_COLUMNS)
    return pd.DataFrame(
        {
            "method": [r["method"] for r in rows],
            "topic": pd.Series([r["topic"] for r in rows], dtype="int64"),
            "label": [r["topic_label"] for r in rows],
            "start": _days([r["start"] for r in rows]),
            "end": _days([r["end"] for r in rows]),
            "peak": _days([r["peak"] for r in rows]),
            "peak_count": pd.Series([r["peak_count"] for r in rows], dtype="int64"),
            "total_count": pd.Series([r["total_count"] for r in rows], dtype="int64"),
            "score": pd.Series([r["score"] for r in rows], dtype="float64"),
            "level": pd.Series([r["level"] for r in rows], dtype="int64"),
            "terms": [[t["term"] for t in r["terms"]] for r in rows],
            "headlines": [[h["title"] for h in r["headlines"]] for r in rows],
            "articles": [r["articles"] for r in rows],
        }
    )


def problems(records_json: str) -> pd.DataFrame:
    """What reading skipped or kept with a note: file, line, kind, reason."""
    rows = json.loads(records_json)
    return pd.DataFrame(rows, columns=["file", "line", "kind", "reason"])


def store_topics(records_json: str) -> pd.DataFrame:
    """A tracker store's topic ids (retired ones too) as one row per id."""
    rows = json.loads(records_json)
    return pd.DataFrame(
        {
            "topic": pd.Series([r["id"] for r in rows], dtype="int64"),
            "label": pd.Series([r["label"] for r in rows], dtype="object"),
            "articles": pd.Series([r["articles"] for r in rows], dtype="int64"),
            "terms": pd.Series([[t["term"] for t in r["terms"]] for r in rows], dtype="object"),
            "term_weights": pd.Series(
                [[t["weight"] for t in r["terms"]] for r in rows], dtype="object"
            ),
            "born": pd.Series([r["born"] for r in rows], dtype="object"),
            "born_batch": pd.Series([r["born_batch"] for r in rows], dtype="int64"),
            "retired_batch": pd.Series([r["retired_batch"] for r in rows], dtype="Int64"),
        }
    )


def store_articles(cols: dict, labels: dict) -> pd.DataFrame:
    """A tracker store's articles: one row each, with the label of its topic id."""
    return pd.DataFrame(
        {
            "id": pd.Series(cols["id"], dtype="object"),
            "date": _micros(cols["date"]),
            "title": pd.Series(cols["title"], dtype="object"),
            "source": pd.Series(cols["source"], dtype="object"),
            "topic": _topic(cols["topic"]),
            "label": pd.Series([labels.get(t) for t in cols["topic"]], dtype="object"),
            "score": pd.Series(cols["score"], dtype="float32"),
            "reason": pd.Series(cols["reason"], dtype="object"),
            "near_dup_of": pd.Series(cols["near_dup_of"], dtype="object"),
            "batch": pd.Series(cols["batch"], dtype="int64"),
        }
    )
