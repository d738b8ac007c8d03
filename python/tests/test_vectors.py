"""`vectors=`: document vectors the caller already has, clustered instead of LSA."""

import numpy as np
import pandas as pd
import pytest

import topictrack


def _crossed():
    """40 articles whose words split them by index < 20 and whose vectors split them by
    parity: topics must follow the vectors."""
    words = [
        "harbour ferry crossing storm delays passengers island",
        "orchard harvest apples cider farmers valley frost",
    ]
    rows, vecs = [], []
    for i in range(40):
        v = [1.0, 0.1 * (i % 5), 0.0, 0.05] if i % 2 == 0 else [0.0, 0.05, 1.0, 0.1 * (i % 3)]
        vecs.append(v)
        rows.append(
            {
                "id": f"a{i:02}",
                "date": f"2024-03-{1 + i % 28:02}",
                "title": f"{words[int(i >= 20)]} {i}",
                "emb": np.array(v),
            }
        )
    return pd.DataFrame(rows), np.array(vecs)


def test_a_vector_column_and_an_array_give_the_same_topics():
    df, vecs = _crossed()
    by_column = topictrack.analyze(df, vectors="emb", k=2, events=False)
    topic = by_column.assignments.set_index("id")["topic"]
    for i in range(40):
        assert (topic[f"a{i:02}"] == topic["a00"]) == (i % 2 == 0)
    by_array = topictrack.analyze(df.drop(columns="emb"), vectors=vecs, k=2, events=False)
    pd.testing.assert_frame_equal(by_column.assignments, by_array.assignments)


def test_an_array_of_the_wrong_length_is_an_error():
    df, vecs = _crossed()
    with pytest.raises(Exception, match="39 rows, but 40 articles were kept"):
        topictrack.analyze(df.drop(columns="emb"), vectors=vecs[:39], k=2, events=False)
