"""`Tracker`: the SQLite store of a growing collection (`topictrack track`), from Python.

A thin layer over the library's `track::Tracker`: the same store file, the same computation and
the same reports as the command line (`topictrack track init/add/refit/report/status`), so a
store made in Python can be added to from cron with the CLI and the other way round.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from typing import Any, Mapping, Optional, Sequence, Union

import pandas as pd

from . import _data, _native, _tables
from ._api import KLike, _settings

PathLike = Union[str, "os.PathLike[str]"]
DayLike = Union[str, _dt.date, None]


def _day(name: str, value: DayLike) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if hasattr(value, "date"):  # pandas Timestamp
        return value.date().isoformat()
    raise TypeError(f"{name}: expected a date or 'YYYY-MM-DD', got {type(value).__name__}")


def _inputs(data: Any, fields: Mapping[str, Any]) -> dict:
    """`data` as the native call's `paths` or `data` keyword."""
    paths = _data.paths_of(data)
    if paths is not None:
        return {"paths": paths}
    return {"data": _data.to_jsonl(data, fields)}


class Tracker:
    """A tracker store: a SQLite file of articles, their topics, per-day counts and events,
    updated batch by batch with stable topic ids (``topictrack track`` on the command line).

    Create one with :meth:`init`, open an existing one with :meth:`open`; use it as a context
    manager (or call :meth:`close`) to release the file. Every write (:meth:`init`,
    :meth:`add`, :meth:`refit`) is one transaction: another process (or another ``Tracker`` on
    the same file) writing at the same time makes it wait about a second and then raise
    :class:`StoreBusyError`. Reads (:meth:`status`, :meth:`report`, the tables) are not blocked
    by a writer. The work runs without holding the GIL.
    """

    def __init__(self, native: "_native.Tracker", init_report: Optional[dict] = None) -> None:
        self._native = native
        #: The report of the :meth:`init` that created the store (``None`` after :meth:`open`).
        self.init_report = init_report

    @classmethod
    def init(
        cls,
        store: PathLike,
        data: Any,
        *,
        text: Union[str, Sequence[str], None] = None,
        date: Optional[str] = None,
        id: Optional[str] = None,
        source: Optional[str] = None,
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
        settings: Optional[Mapping[str, Any]] = None,
        event_settings: Optional[Mapping[str, Any]] = None,
        new_topic_min_size: Optional[int] = None,
        new_topic_cohesion: Optional[float] = None,
        pool_days: Optional[int] = None,
        history_days: Optional[int] = None,
        track_settings: Optional[Mapping[str, Any]] = None,
    ) -> "Tracker":
        """Creates the store ``store`` (which must not exist) from a first collection, fitting
        the topics as :func:`analyze` does (``topictrack track init``).

        ``data`` and the keywords up to ``event_settings`` are those of :func:`analyze`
        (``source`` names the field holding the article's outlet, stored with each article).
        ``new_topic_min_size``, ``new_topic_cohesion``, ``pool_days`` and ``history_days`` are
        the command line's tracking options; ``track_settings`` sets any tracking setting by its
        library name (e.g. ``{"link": 0.35}``). The settings are stored: :meth:`add` reads and
        assigns new articles with them.

        Articles should have ids: in-memory data without an id field gets ids from its row
        numbers, which the next batch repeats (and so would be skipped as known ids).
        The report of the init is :attr:`init_report`.
        """
        fields = _data.field_settings(text, date, id, None, source)
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
        track = {
            name: value
            for name, value in (
                ("new_topic_min_size", new_topic_min_size),
                ("new_topic_cohesion", new_topic_cohesion),
                ("pool_days", pool_days),
                ("history_days", history_days),
            )
            if value is not None
        }
        track.update(track_settings or {})
        native, report = _native.Tracker.init(
            os.fspath(store),
            json.dumps(opts),
            json.dumps(dict(event_settings or {})),
            json.dumps(track),
            **_inputs(data, fields),
        )
        return cls(native, json.loads(report))

    @classmethod
    def open(cls, store: PathLike) -> "Tracker":
        """Opens an existing store (made by :meth:`init` or ``topictrack track init``)."""
        return cls(_native.Tracker.open(os.fspath(store)))

    def add(
        self,
        data: Any,
        *,
        text: Union[str, Sequence[str], None] = None,
        date: Optional[str] = None,
        id: Optional[str] = None,
        date_format: Optional[str] = None,
        strict: Optional[bool] = None,
    ) -> dict:
        """Adds articles (``topictrack track add``): drops those already stored (same id or
        same content), assigns the rest to the stored topics (ids never change meaning), updates
        the per-day counts, makes new topics of coherent groups of poorly fitting articles and
        finds the events of the new days against the stored history. Adding the same articles
        again changes nothing.

        ``data`` is what :func:`analyze` accepts. The fields are read as given to :meth:`init`;
        ``text``, ``date``, ``id``, ``date_format`` and ``strict`` change them for this batch.

        Returns the report as ``topictrack track add --json`` prints it: ``batch``, ``read``,
        ``added``, ``duplicate_ids``, ``duplicate_content`` (``[new id, stored id]`` pairs),
        ``near_duplicates``, ``assigned``, ``unassigned`` (counts by reason), ``new_topics``,
        ``events`` (topic bursts touching the new days), ``term_events``, ``skipped`` and
        ``stage_seconds``.
        """
        fields = _data.field_settings(text, date, id, None, None)
        read: dict = {f"fields.{name}": fields[name] for name in ("date", "id") if fields[name]}
        if fields["text"]:
            read["fields.text"] = fields["text"]
        if date_format is not None:
            read["date_format"] = date_format
        if strict is not None:
            read["strict"] = bool(strict)
        report = self._native.add(
            read_settings=json.dumps(read) if read else None, **_inputs(data, fields)
        )
        return json.loads(report)

    def refit(self) -> dict:
        """Refits the topics on every stored article (``topictrack track refit``). New topics
        keep the ids of the old topics they match; the report lists them (``matched``), the
        ``births``, ``deaths``, ``splits`` and ``merges``, and the articles whose topic
        ``changed``."""
        return json.loads(self._native.refit())

    def report(
        self,
        out_dir: PathLike,
        from_: DayLike = None,
        to: DayLike = None,
        *,
        bin: Optional[str] = None,
        events: bool = True,
        charts: bool = True,
    ) -> dict:
        """Writes every output of :func:`analyze` from the store into ``out_dir``
        (``topictrack track report``): ``topics.json``, ``assignments.csv``, ``timeline.csv``,
        ``events.json``, ``stories.json``, the charts and ``report.html``.

        ``from_`` and ``to`` (dates or ``"YYYY-MM-DD"``) limit it to the articles dated within;
        ``bin`` overrides the stored timeline bin; ``events=False`` skips event and story
        detection, ``charts=False`` the charts and ``report.html``. Returns a summary:
        ``articles``, ``topics`` (with articles), ``bursts``, ``stories`` and ``files``
        (relative to ``out_dir``).
        """
        return json.loads(
            self._native.report(
                os.fspath(out_dir),
                from_=_day("from_", from_),
                to=_day("to", to),
                bin=bin,
                events=events,
                charts=charts,
            )
        )

    def status(self) -> dict:
        """A summary of the store, as ``topictrack track status --json`` prints it:
        ``articles``, ``dated``, ``with_topic``, ``first`` and ``last`` day, active ``topics``
        (``[id, label, articles]``), ``retired`` ids, ``terms``, the last ``batches`` and
        ``recent_events``."""
        return json.loads(self._native.status())

    def check(self) -> list:
        """The store's consistency problems (SQLite's integrity check, per-day counts against
        the articles); empty when consistent."""
        return list(self._native.check())

    @property
    def topics(self) -> pd.DataFrame:
        """Every topic id given, retired ones too: ``topic``, ``label``, ``articles``, ``terms``
        and ``term_weights`` (strongest first), ``born`` (``init``, ``add`` or ``refit``),
        ``born_batch`` and ``retired_batch`` (missing while active). Read from the store on
        each access."""
        return _tables.store_topics(self._native.topics_json())

    @property
    def assignments(self) -> pd.DataFrame:
        """One row per stored article, in the order stored: ``id``, ``date`` (UTC),
        ``title``, ``source``, ``topic``, ``label``, ``score``, ``reason`` (why there is no
        topic), ``near_dup_of`` and ``batch``. Read from the store on each access."""
        cols = self._native.articles()
        topics = self.topics
        labels = dict(zip(topics["topic"], topics["label"]))
        return _tables.store_articles(cols, labels)

    @property
    def params(self) -> dict:
        """The stored settings: ``analyze`` (the library's names), ``track`` and ``events``."""
        return json.loads(self._native.params_json())

    @property
    def path(self) -> str:
        """The store file."""
        return os.fspath(self._native.path)

    def close(self) -> None:
        """Closes the store; the tracker cannot be used afterwards."""
        self._native.close()

    def __enter__(self) -> "Tracker":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        try:
            return f"<topictrack.Tracker {self.path}>"
        except _native.TopictrackError:
            return "<topictrack.Tracker (closed)>"
