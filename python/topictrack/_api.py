"""The public functions and classes of the package (re-exported by `topictrack`)."""

from __future__ import annotations

import json
import os
import tempfile
from functools import cached_property
from typing import Any, Mapping, Optional, Sequence, Union

import pandas as pd

from . import _data, _native, _tables

KLike = Union[int, str]


def _settings(
    fields: Mapping[str, Any],
    *,
    k: KLike,
    seed: int,
    bin: str,
    lang: str,
    dims: Optional[int],
    min_df: Union[int, float, str, None],
    max_df: Union[int, float, str, None],
    ngrams: Optional[int],
    date_format: Optional[str],
    strict: bool,
    topics: Optional[Sequence[str]],
    settings: Optional[Mapping[str, Any]],
) -> dict:
    out: dict = {f"read.fields.{name}": value for name, value in fields.items()}
    out["cluster.k"] = str(k)
    out["seed"] = int(seed)
    out["bin"] = bin
    out["text.lang"] = lang
    out["read.strict"] = bool(strict)
    if date_format is not None:
        out["read.date_format"] = date_format
    if dims is not None:
        out["svd.dims"] = int(dims)
    if min_df is not None:
        out["tfidf.min_df"] = str(min_df)
    if max_df is not None:
        out["tfidf.max_df"] = str(max_df)
    if ngrams is not None:
        out["text.ngrams"] = int(ngrams)
    if topics:
        out["cluster.seed_topics"] = [_seed_topic(t) for t in topics]
    out.update(settings or {})
    return out


def _seed_topic(spec: str) -> dict:
    """A named topic "NAME: word, word" as the library's settings hold it."""
    name, sep, words = spec.partition(":")
    ws = [w.strip() for w in words.split(",") if w.strip()]
    if not sep or not name.strip() or not ws:
        raise ValueError(f"topic {spec!r}: expected 'NAME: word, word, ...'")
    return {"name": name.strip(), "words": ws}


class Model:
    """A fitted topic model: vocabulary, IDF, LSA basis and topic centres.

    Get one from :attr:`Analysis.model` or :meth:`Model.load`; it pickles (as compact binary
    bytes), so Spark can broadcast it.
    """

    def __init__(self, native: "_native.Model") -> None:
        self._native = native

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "Model":
        """Reads a `model.json` written by :meth:`save` or `topictrack analyze --save-model`."""
        return cls(_native.Model.load(os.fspath(path)))

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the model as `model.json` (atomically), readable by `topictrack apply`."""
        self._native.save(os.fspath(path))

    @property
    def k(self) -> int:
        """Number of topics."""
        return self._native.k

    @property
    def min_score(self) -> float:
        """Cosine to the nearest centre below which :meth:`transform` leaves an article
        without topic (a low quantile of the training articles' scores)."""
        return self._native.min_score

    @cached_property
    def topics(self) -> pd.DataFrame:
        """The topics as fitted (one row per topic, as :attr:`Analysis.topics`)."""
        return _tables.topics(self._native.topics_json())

    def transform(
        self,
        data: Any,
        *,
        text: Union[str, Sequence[str], None] = None,
        date: Optional[str] = None,
        id: Optional[str] = None,
        min_score: Optional[float] = None,
    ) -> pd.DataFrame:
        """Assigns new articles to the fitted topics.

        ``data`` is a pandas or polars DataFrame or a list of dicts, with the fields named as in
        :func:`analyze`. Returns one row per article read: ``id``, ``date``, ``topic`` (missing
        when the article has no vocabulary word or fits no topic), ``label``, ``score`` (cosine
        to the nearest topic centre) and ``reason`` (why there is no topic). ``min_score``
        overrides :attr:`min_score`; 0 assigns every article that has a vocabulary word.
        """
        fields = _data.field_settings(text, date, id, None, None)
        read = json.dumps({f"fields.{k}": v for k, v in fields.items()})
        cols = self._native.transform(_data.to_jsonl(data, fields), read, min_score)
        labels = list(self.topics["label"])
        return _tables.assignments(cols, labels)

    def __reduce__(self):
        return (_model_from_bytes, (bytes(self._native.to_bytes()),))

    def __repr__(self) -> str:
        return f"<topictrack.Model k={self.k}>"


def _model_from_bytes(data: bytes) -> Model:
    return Model(_native.Model.from_bytes(data))


class Analysis:
    """What :func:`analyze` found. Tables are pandas DataFrames, built on first access."""

    def __init__(self, native: "_native.Analysis") -> None:
        self._native = native

    @property
    def k(self) -> int:
        """Number of topics."""
        return self._native.k

    @cached_property
    def topics(self) -> pd.DataFrame:
        """One row per topic: ``topic``, ``label``, ``name``, ``size``, ``share``, ``terms``
        (strongest first) and ``term_weights``, ``example_ids`` and ``example_titles``."""
        return _tables.topics(self._native.topics_json())

    @cached_property
    def _labels(self) -> list:
        return list(self.topics["label"])

    @cached_property
    def assignments(self) -> pd.DataFrame:
        """One row per article in input order: ``id``, ``date`` (UTC), ``title``, ``topic``,
        ``label`` and ``score`` (cosine to the topic's centre)."""
        return _tables.assignments(self._native.assignments(), self._labels)

    @cached_property
    def timeline(self) -> pd.DataFrame:
        """Articles per time bin and topic (long format): ``bin`` (start, UTC), ``topic``,
        ``label``, ``count``, ``total`` (dated articles with a topic in the bin) and ``share``.
        ``timeline.attrs["unit"]`` is the bin unit (day, week or month)."""
        return _tables.timeline(self._native.timeline(), self._labels)

    @cached_property
    def events(self) -> pd.DataFrame:
        """Events found from bursts of terms, strongest first: ``rank``, ``peak``, ``start``,
        ``end``, ``score``, ``label``, ``terms``, ``n_articles``, ``topic`` (its main topic),
        ``topic_share``, ``headlines`` and ``articles`` (ids)."""
        return _tables.events(self._native.events_json())

    @cached_property
    def stories(self) -> pd.DataFrame:
        """Stories (chains of similar articles, first-story detection): ``story``, ``start``,
        ``end``, ``size``, ``label``, ``terms``, ``topic``, ``topic_share``, the first article
        (``first_id``, ``first_title``, ``first_date``) and ``articles`` (ids)."""
        return _tables.stories(self._native.stories_json())

    @cached_property
    def surges(self) -> pd.DataFrame:
        """Bursts in a topic's share of the coverage (Kleinberg, robust z-scores)."""
        return _tables.surges(self._native.surges_json())

    @cached_property
    def problems(self) -> pd.DataFrame:
        """What reading skipped or kept with a note: ``file``, ``line``, ``kind``, ``reason``."""
        return _tables.problems(self._native.problems_json())

    @cached_property
    def model(self) -> Model:
        """The fitted model, to save or to assign new articles with."""
        return Model(self._native.model())

    @property
    def params(self) -> dict:
        """The settings used (the library's names)."""
        return json.loads(self._native.params_json())

    @property
    def stage_seconds(self) -> dict:
        """Seconds spent per stage."""
        return dict(self._native.stage_seconds())

    @property
    def run(self) -> dict:
        """``run.json``: counts, skip reasons, settings, k selection, stage times, scores."""
        return json.loads(self._native.run_json())

    @property
    def scores(self) -> Optional[dict]:
        """Scores against the gold labels (NMI, ARI, ...) when ``label`` was given."""
        return self.run.get("scores")

    def write(
        self,
        out_dir: Union[str, "os.PathLike[str]"],
        *,
        format: str = "csv",
        charts: bool = True,
        model: bool = False,
    ) -> list:
        """Writes the output folder of ``topictrack analyze --out out_dir``: the same files,
        byte for byte, written atomically (a failed write leaves the folder as it was).

        ``format="parquet"`` adds ``assignments``, ``timeline``, ``events`` and ``stories``
        as Parquet files (as ``analyze --parquet``); ``charts=False`` skips the charts and
        ``report.html``; ``model=True`` adds ``model.json``. Returns the files written,
        relative to ``out_dir``.
        """
        if format not in ("csv", "parquet"):
            raise ValueError(f"format must be 'csv' or 'parquet', not {format!r}")
        return self._native.write(
            os.fspath(out_dir), parquet=format == "parquet", charts=charts, model=model
        )

    def charts(self, out_dir: Union[str, "os.PathLike[str]"]) -> list:
        """Draws topictrack's charts (volume, share, heatmap, terms; SVG and PNG) into
        ``out_dir``; returns their paths."""
        import shutil
        import tempfile

        os.makedirs(out_dir, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            files = self._native.write(os.path.join(tmp, "run"), parquet=False, charts=True,
                                       model=False)
            out = []
            for f in files:
                if f.startswith("charts/"):
                    dest = os.path.join(os.fspath(out_dir), f[len("charts/"):])
                    shutil.move(os.path.join(tmp, "run", f), dest)
                    out.append(dest)
        return out

    def report(self, path: Union[str, "os.PathLike[str]"]) -> str:
        """Writes the interactive HTML report (one self-contained file) to ``path``."""
        import shutil
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            self._native.write(os.path.join(tmp, "run"), parquet=False, charts=True, model=False)
            shutil.move(os.path.join(tmp, "run", "report.html"), os.fspath(path))
        return os.fspath(path)

    def __repr__(self) -> str:
        n = len(self.assignments)
        return f"<topictrack.Analysis: {self.k} topics, {n} articles>"


def analyze(
    data: Any,
    *,
    text: Union[str, Sequence[str], None] = None,
    date: Optional[str] = None,
    id: Optional[str] = None,
    label: Optional[str] = None,
    group: Optional[str] = None,
    k: KLike = "auto",
    seed: int = 0,
    bin: str = "auto",
    lang: str = "english",
    dims: Optional[int] = None,
    min_df: Union[int, float, str, None] = None,
    max_df: Union[int, float, str, None] = None,
    ngrams: Optional[int] = None,
    date_format: Optional[str] = None,
    strict: bool = False,
    topics: Optional[Sequence[str]] = None,
    vectors: Any = None,
    events: bool = True,
    settings: Optional[Mapping[str, Any]] = None,
    event_settings: Optional[Mapping[str, Any]] = None,
) -> Analysis:
    """Finds the topics of a collection of articles, their timeline, events and stories.

    ``data`` is a pandas or polars DataFrame, a list of dicts (one per article), or a path (or
    list of paths) to JSON Lines, CSV, TSV files or folders of ``.txt`` files, gzip or not.

    ``text`` names the text column(s) (default: ``title`` plus the first of ``text``, ``body``,
    ``content``...), ``date`` and ``id`` the date and id columns (default: the usual names),
    ``label`` a gold label column, ``group`` a grouping column. ``k`` is a number of topics,
    ``"auto"`` (best silhouette in 5..30) or ``"auto:MIN..MAX"``; ``bin`` is ``"day"``,
    ``"week"``, ``"month"`` or ``"auto"``. The other keywords are the command line's options of
    the same name; ``settings`` sets any other setting by its library name (e.g.
    ``{"svd.power_iters": 6}``; ``{"svd.word_vectors": "off"}`` leaves out the word vectors
    learned from the collection that are added by default for headlines and other short texts) and ``event_settings`` those of event
    detection.

    ``vectors`` clusters document vectors you already have (sentence embeddings, say) instead of
    LSA: the name of a column holding one array per row, or a 2-D array (numpy or anything
    ``numpy.asarray`` takes) with one row per article kept, in order. Topic labels, examples,
    timelines and events still come from the words.

    The same data and seed give the same result as ``topictrack analyze`` on the command line.
    The computation runs without holding the GIL.
    """
    fields = _data.field_settings(text, date, id, label, group)
    settings = dict(settings or {})
    npy_dir = None
    if isinstance(vectors, str):
        fields["vector"] = vectors
    elif vectors is not None:
        npy_dir = tempfile.TemporaryDirectory(prefix="topictrack-vectors-")
        settings["read.vectors_file"] = _data.save_npy(vectors, npy_dir.name)
    opts = _settings(
        fields,
        k=k,
        seed=seed,
        bin=bin,
        lang=lang,
        dims=dims,
        min_df=min_df,
        max_df=max_df,
        ngrams=ngrams,
        date_format=date_format,
        strict=strict,
        topics=topics,
        settings=settings,
    )
    ev = json.dumps(dict(event_settings or {})) if events else None
    paths = _data.paths_of(data)
    try:
        if paths is not None:
            native = _native.analyze(json.dumps(opts), ev, paths=paths, score=label is not None)
        else:
            native = _native.analyze(
                json.dumps(opts), ev, data=_data.to_jsonl(data, fields), score=label is not None
            )
    finally:
        if npy_dir is not None:
            npy_dir.cleanup()
    return Analysis(native)
