"""`topictrack.compare` and `topictrack.evaluate`."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any, Mapping, Optional, Sequence

import pandas as pd

from . import _data, _native
from ._api import Analysis, analyze


class Comparison:
    """Collections compared on one fitted model (``comparison.json`` as DataFrames)."""

    def __init__(self, raw: dict, analysis: Analysis) -> None:
        self.raw = raw
        """The comparison as the library writes it (``comparison.json``)."""
        self.analysis = analysis
        """The analysis of all collections together (one model)."""

    @cached_property
    def collections(self) -> pd.DataFrame:
        """One row per collection: ``collection``, ``articles``, ``with_topic``, ``dated``..."""
        df = pd.DataFrame(self.raw["collections"])
        return df.rename(columns={"name": "collection"})

    @cached_property
    def shares(self) -> pd.DataFrame:
        """Each topic's share per collection with its interval: ``topic``, ``label``,
        ``collection``, ``count``, ``total``, ``share``, ``ci_low``, ``ci_high``."""
        rows = [
            {"topic": t["topic"], "label": t["label"], **cell}
            for t in self.raw["topics"]
            for cell in t["cells"]
        ]
        return pd.DataFrame(rows)

    @cached_property
    def tests(self) -> pd.DataFrame:
        """One row per topic: the test of equal shares (``test``, ``statistic``, ``df``, ``p``,
        ``q`` (Benjamini–Hochberg), ``significant``) and, for two collections, the difference
        ``diff`` with its interval."""
        rows = [{k: v for k, v in t.items() if k != "cells"} for t in self.raw["topics"]]
        return pd.DataFrame(rows)

    @cached_property
    def divergence(self) -> pd.DataFrame:
        """Jensen–Shannon divergence of the topic mixes per pair of collections, with the
        value expected if they were the same."""
        return pd.DataFrame(self.raw["divergence"])

    @cached_property
    def distinctive(self) -> pd.DataFrame:
        """Each collection's distinctive terms (log-odds with an informative prior, z-scores):
        ``scope``, ``topic``, ``collection``, ``term``, ``log_odds``, ``z``, ``count``..."""
        rows = [
            {"scope": lst["scope"], "topic": lst["topic"], "collection": lst["collection"], **t}
            for lst in self.raw["distinctive"]
            for t in lst["terms"]
        ]
        df = pd.DataFrame(rows)
        if "topic" in df:
            df["topic"] = df["topic"].astype("Int64")
        return df

    def __repr__(self) -> str:
        names = ", ".join(c["name"] for c in self.raw["collections"])
        return f"<topictrack.Comparison of {names}: {len(self.raw['topics'])} topics>"


def compare(
    data: Any,
    *,
    by: Optional[str] = None,
    periods: Optional[Sequence[str]] = None,
    names: Optional[Sequence[str]] = None,
    alpha: float = 0.05,
    level: float = 0.95,
    seed: int = 0,
    settings: Optional[Mapping[str, Any]] = None,
    **analyze_kwargs: Any,
) -> Comparison:
    """Compares collections on one topic model, as ``topictrack compare``.

    ``data`` is what :func:`analyze` takes. The collections are the values of column ``by``
    (e.g. ``"source"``), or ``periods`` (``["2025-01-01..2025-03-31", ...]``), or else one per
    input file when ``data`` is several paths. ``names`` renames them; ``alpha`` is the false
    discovery rate, ``level`` the interval level; ``settings`` sets the comparison's other
    settings (``prior_size``, ``n_terms``, ``max_lag``, ``permutations``). Other keywords go to
    :func:`analyze`.
    """
    if by is not None and periods is not None:
        raise ValueError("give by or periods, not both")
    paths = _data.paths_of(data)
    if by is not None:
        grouping = {"kind": "field", "field": by}
    elif periods is not None:
        grouping = {"kind": "periods", "periods": list(periods)}
    else:
        if not paths or len(paths) < 2:
            raise ValueError(
                "compare needs two input files or more, or one collection split with by= or periods="
            )
        grouping = {"kind": "inputs"}
    analysis = analyze(data, group=by, seed=seed, events=False, **analyze_kwargs)
    params = {"alpha": alpha, "level": level, "seed": seed, **(settings or {})}
    raw = _native.compare(
        analysis._native,
        json.dumps(grouping),
        json.dumps(params),
        _native.input_names(paths or []),
        list(names) if names is not None else None,
    )
    return Comparison(json.loads(raw), analysis)


def evaluate(topics: Any, labels: Any) -> dict:
    """Scores topic assignments against gold labels: NMI, AMI, ARI, V-measure, B-cubed and the
    rest of ``topictrack evaluate``.

    ``topics`` is a sequence of topic ids (``None`` / missing for an article without topic,
    which is left out), or an :class:`Analysis`; ``labels`` a sequence of the same length of
    labels (a string, or a list of strings for multi-label articles).
    """
    if isinstance(topics, Analysis):
        topics = topics.assignments["topic"]
    topics = list(topics)
    labels = list(labels)
    if len(topics) != len(labels):
        raise ValueError(f"{len(topics)} topics but {len(labels)} labels")
    pred, gold = [], []
    for t, g in zip(topics, labels):
        if t is None or pd.isna(t):
            continue
        pred.append(int(t))
        gold.append([str(x) for x in g] if isinstance(g, (list, tuple)) else [str(g)])
    return json.loads(_native.evaluate(pred, gold))
