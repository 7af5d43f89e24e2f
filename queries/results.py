"""Query rows → pandas DataFrame, the same whichever store answered.

The stores hand back plain dicts; here the module's declared columns are
enforced, stored evidence JSON becomes sentences, set-like lists are sorted,
UNION results are sorted, and integer columns with gaps become nullable
integers instead of floats.
"""
from __future__ import annotations

import json
from typing import Any

import pandas as pd

from ..errors import QueryError
from .catalog import QueryModule


def module_frame(module: QueryModule, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The DataFrame of a module's rows, columns exactly as its header declares."""
    for row in rows[:1]:
        if tuple(row) != module.columns:
            raise QueryError(f"{module.path}: returned columns {list(row)}, "
                             f"but its header declares {list(module.columns)}")
    rows = [_shaped(module, row) for row in rows]
    if module.sort:
        # The declared columns first, then every other one, so ties cannot differ between stores.
        keys = list(module.sort) + [c for c in module.columns if c not in module.sort]
        rows.sort(key=lambda row: tuple(_sort_key(row[c]) for c in keys))
    return frame(rows, module.columns)


def frame(rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str] | None = None) -> pd.DataFrame:
    """A DataFrame of rows; with no rows, an empty one that still has the columns."""
    columns = list(columns if columns is not None else (rows[0] if rows else []))
    if not rows:
        return pd.DataFrame(columns=columns)
    df = pd.DataFrame.from_records(rows, columns=columns)
    for col in columns:
        values = [v for v in df[col] if v is not None and not _is_nan(v)]
        if df[col].dtype == float and values and all(float(v).is_integer() for v in values) \
                and any(isinstance(r[col], int) for r in rows):
            df[col] = df[col].astype("Int64")  # an int column with nulls, not floats
    return df


def _shaped(module: QueryModule, row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    if module.sentences:
        report = row.get("report") if module.sentences_per_report else None
        row[module.sentences] = _sentences(row[module.sentences], report, module.path)
    for col in module.sets:
        # Kùzu collects nothing as null where Neo4j gives []; a set column reads both as [].
        row[col] = sorted(row[col] or [], key=_sort_key)
    return row


def _sentences(value: Any, report: str | None, path: str) -> Any:
    """Stored evidence JSON (or a list of it, one per hop) → its distinct sentences, in order."""
    if value is None:
        return None
    if isinstance(value, list):
        return [_sentences(item, report, path) for item in value]
    try:
        items = json.loads(value)
    except (TypeError, ValueError):
        raise QueryError(f"{path}: the sentences column holds {value!r}, not stored evidence JSON") from None
    out: list[str] = []
    for item in items:
        if (report is None or item.get("report") == report) and item.get("sentence") not in out:
            out.append(item.get("sentence"))
    return out


def _sort_key(value: Any) -> tuple:
    """Nulls last; otherwise by value (lists element by element)."""
    if value is None or _is_nan(value):
        return (1, "")
    if isinstance(value, list):
        return (0, tuple(_sort_key(v) for v in value))
    if isinstance(value, bool):
        return (0, int(value))
    return (0, value)


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and value != value
