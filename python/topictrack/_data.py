"""Turning the inputs Python users hold into what the library reads.

In-memory articles (pandas or polars DataFrames, lists of dicts) become JSON Lines bytes, which
the library reads with the same reader as the command line's standard input (`topictrack analyze
-`): same field names tried, same date parsing, same problems reported. Date-time columns are
written as ISO 8601 in UTC (a time zone-naive column is taken as UTC, as the CLI takes a date
without zone).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

PathLike = Union[str, "os.PathLike[str]"]


def _is_pandas(data: Any) -> bool:
    mod = type(data).__module__
    return mod.startswith("pandas") and hasattr(data, "to_json")


def _is_polars(data: Any) -> bool:
    return type(data).__module__.startswith("polars") and hasattr(data, "write_ndjson")


def _is_paths(data: Any) -> bool:
    if isinstance(data, (str, os.PathLike)):
        return True
    return (
        isinstance(data, (list, tuple))
        and len(data) > 0
        and all(isinstance(p, (str, os.PathLike)) for p in data)
    )


def paths_of(data: Any) -> Optional[list]:
    """The input paths, when `data` names files or folders; else None."""
    if not _is_paths(data):
        return None
    items = [data] if isinstance(data, (str, os.PathLike)) else list(data)
    return [os.fspath(p) for p in items]


def _iso(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat() + "Z"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if hasattr(value, "isoformat"):  # numpy / pandas scalars
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _columns(fields: Mapping[str, Any]) -> Optional[list]:
    """The columns to send when every field the reader needs was named; else None (all)."""
    text, date, id_ = fields.get("text"), fields.get("date"), fields.get("id")
    if not text or not date or not id_:
        return None
    cols = list(text) + [date, id_]
    for extra in ("label", "group", "vector"):
        if fields.get(extra):
            cols.append(fields[extra])
    return list(dict.fromkeys(cols))


def _pandas_jsonl(df: Any, columns: Optional[list]) -> bytes:
    import pandas as pd

    if columns is not None:
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise KeyError(f"columns not in the DataFrame: {missing}")
        df = df[columns]
    converted = {}
    for name in df.columns:
        col = df[name]
        if isinstance(col.dtype, pd.DatetimeTZDtype):
            col = col.dt.tz_convert("UTC").dt.tz_localize(None)
        if pd.api.types.is_datetime64_any_dtype(col.dtype):
            text = col.dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            converted[name] = text.where(col.notna(), None)
    if converted:
        df = df.assign(**converted)
    # Column names must be strings for the reader's field lookup.
    df = df.rename(columns=str)
    fast = _scalar_columns(df)
    if fast is not None:
        from . import _native

        try:
            return bytes(_native.columns_jsonl(list(df.columns), fast))
        except (OverflowError, TypeError):  # e.g. an integer beyond 64 bits
            pass
    out = df.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
    return out.encode("utf-8")


def _scalar_columns(df: Any) -> Optional[list]:
    """The columns of `df` as lists of plain scalars (str, int, float, bool, None) for the
    native JSON writer; None when a column holds anything else (lists, arrays, objects), which
    pandas' `to_json` then writes."""
    import pandas as pd

    if len(set(df.columns)) != len(df.columns):
        return None
    plain = (str, int, float, bool, type(None))
    cols = []
    for name in df.columns:
        col = df[name]
        kind = col.dtype.kind
        if kind in "biuf":
            values = col.tolist()
        elif kind == "O" or isinstance(col.dtype, pd.StringDtype):
            values = col.astype(object).where(col.notna(), None).tolist()
            if not all(isinstance(v, plain) for v in values):
                return None
        else:
            return None
        cols.append(values)
    return cols


def _polars_jsonl(df: Any, columns: Optional[list]) -> bytes:
    import polars as pl

    if columns is not None:
        df = df.select(columns)
    exprs = []
    for name, dtype in df.schema.items():
        if dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
            tz = getattr(dtype, "time_zone", None)
            col = pl.col(name)
            if tz:
                col = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
            exprs.append(col.dt.strftime("%Y-%m-%dT%H:%M:%S%.fZ").alias(name))
        elif dtype == pl.Date:
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d").alias(name))
    if exprs:
        df = df.with_columns(exprs)
    return df.write_ndjson().encode("utf-8")


def _records_jsonl(records: Iterable[Mapping[str, Any]], columns: Optional[list]) -> bytes:
    lines = []
    for r in records:
        if not isinstance(r, Mapping):
            raise TypeError(f"expected dicts, got {type(r).__name__}")
        if columns is not None:
            r = {c: r.get(c) for c in columns}
        lines.append(json.dumps(r, ensure_ascii=False, default=_iso))
    return ("\n".join(lines) + "\n").encode("utf-8")


def to_jsonl(data: Any, fields: Mapping[str, Any]) -> bytes:
    """`data` (pandas or polars DataFrame, list of dicts) as JSON Lines bytes."""
    columns = _columns(fields)
    if _is_pandas(data):
        return _pandas_jsonl(data, columns)
    if _is_polars(data):
        return _polars_jsonl(data, columns)
    if isinstance(data, (list, tuple)):
        return _records_jsonl(data, columns)
    if isinstance(data, Mapping):
        raise TypeError("give a list of dicts (one per article), not one dict")
    raise TypeError(
        "data must be a pandas or polars DataFrame, a list of dicts, or file paths; "
        f"got {type(data).__name__}"
    )


def field_settings(
    text: Union[str, Sequence[str], None],
    date: Optional[str],
    id: Optional[str],
    label: Optional[str],
    group: Optional[str],
) -> dict:
    """The reader's field mapping (`read.fields.*`) from the keyword arguments."""
    if isinstance(text, str):
        text = [text]
    fields = {
        "text": list(text) if text else [],
        "date": date,
        "id": id,
        "label": label,
        "group": group,
    }
    return fields


def save_npy(vectors: Any, folder: str) -> str:
    """`vectors` (a 2-D array-like, one row per article) as a float32 `.npy` file in `folder`."""
    import numpy as np

    arr = np.asarray(vectors, dtype=np.float32)
    if arr.ndim != 2:
        raise ValueError(f"vectors must be 2-D (one row per article), got shape {arr.shape}")
    path = os.path.join(folder, "vectors.npy")
    np.save(path, np.ascontiguousarray(arr))
    return path
