"""topictrack: topics, timelines, events and stories of news collections, from Python.

The computation is topictrack's Rust library, compiled into this package; the results are
pandas DataFrames::

    import topictrack
    result = topictrack.analyze(df, text="text", date="published", id="url", k="auto")
    result.topics, result.assignments, result.timeline, result.events, result.stories
    new = result.model.transform(more_articles)

    tracker = topictrack.Tracker.init("news.db", df, text="text", date="published", id="url")
    tracker.add(todays_articles)   # stable topic ids, new topics, events of the new days

The same data and seed give the same results as the ``topictrack analyze`` command line.
"""

from ._native import StoreBusyError, TopictrackError, __version__
from ._api import Analysis, Model, analyze
from ._compare import Comparison, compare, evaluate
from ._track import Tracker

__all__ = [
    "Analysis",
    "Comparison",
    "Model",
    "StoreBusyError",
    "TopictrackError",
    "Tracker",
    "__version__",
    "analyze",
    "compare",
    "evaluate",
]
