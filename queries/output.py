"""Query results as text: an aligned table, CSV, JSON or Markdown.

Lists print as `a; b` in tables and Markdown, as JSON in CSV cells, and
stay lists in JSON. Chinese characters count as two columns when aligning.
"""
from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

import pandas as pd

from ..errors import QueryError
from .catalog import QueryModule

FORMATS = ("table", "csv", "json", "markdown")


def format_frame(df: pd.DataFrame, fmt: str = "table") -> str:
    """`df` written in one of FORMATS."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")
    return {"table": _table, "csv": _csv, "json": _json, "markdown": _markdown}[fmt](df)


def describe_modules(modules: list[QueryModule]) -> str:
    """What `ufgraph query --list` prints: each module, what it answers, its parameters."""
    blocks = []
    for module in modules:
        lines = [f"{module.name}: {module.answers}"]
        lines += [f"    -p {p.describe()}" for p in module.params]
        lines.append(f"    columns: {', '.join(module.columns)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _table(df: pd.DataFrame) -> str:
    if df.empty:
        return "  ".join(map(str, df.columns)) + "\n(no rows)"
    with pd.option_context("display.unicode.east_asian_width", True, "display.max_colwidth", 80,
                           "display.width", 10_000, "display.max_rows", None, "display.max_columns", None):
        return _joined(df).to_string(index=False)


def _csv(df: pd.DataFrame) -> str:
    # The csv module, not DataFrame.to_csv: an int column with gaps must not print as 1.0.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(df.columns)
    writer.writerows([_csv_cell(v) for v in row] for row in df.astype(object).itertuples(index=False))
    return out.getvalue().rstrip("\n")


def _json(df: pd.DataFrame) -> str:
    rows = [{k: _plain(v) for k, v in row.items()} for row in df.astype(object).to_dict("records")]
    return json.dumps(rows, ensure_ascii=False, indent=1)


def _markdown(df: pd.DataFrame) -> str:
    header = "| " + " | ".join(_md_cell(c) for c in df.columns) + " |"
    rule = "|" + "|".join("---" for _ in df.columns) + "|"
    body = ["| " + " | ".join(_md_cell(_text(v)) for v in row) + " |"
            for row in df.astype(object).itertuples(index=False)]
    return "\n".join([header, rule, *body])


def _joined(df: pd.DataFrame) -> pd.DataFrame:
    return df.astype(object).apply(lambda col: col.map(_text))


def _text(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _csv_cell(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _md_cell(text: Any) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _plain(value: Any) -> Any:
    """Missing values as None, numpy scalars as Python ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        return value.item()
    return value
