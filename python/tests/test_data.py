"""DataFrames to JSON Lines: the native writer of plain columns reads back as pandas' own."""

import json
import math

import numpy as np
import pandas as pd

from topictrack import _data


def _rows(b: bytes):
    return [json.loads(line) for line in b.decode("utf-8").splitlines()]


def _pandas_rows(df):
    return _rows(df.to_json(orient="records", lines=True, force_ascii=False).encode("utf-8"))


def test_plain_columns_read_back_as_pandas_writes_them():
    df = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "title": ['Quote " and \\ back', "ünïcode ✓\nnew line", None],
            "n": [1, 2, 3],
            "x": [0.5, math.nan, 2.0],
            "flag": [True, False, True],
            "s": pd.array(["p", pd.NA, "r"], dtype="string"),
        }
    )
    assert _data._scalar_columns(df) is not None
    assert _rows(_data.to_jsonl(df, {})) == _pandas_rows(df)


def test_columns_of_lists_fall_back_to_pandas():
    df = pd.DataFrame({"id": ["a", "b"], "labels": [["x", "y"], ["z"]], "v": [np.ones(2), np.zeros(2)]})
    assert _data._scalar_columns(df) is None
    rows = _rows(_data.to_jsonl(df, {}))
    assert rows[0]["labels"] == ["x", "y"] and rows[1]["v"] == [0.0, 0.0]
