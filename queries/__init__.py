"""Named Cypher query modules, one .cypher file each, answered as pandas DataFrames.

    from ufgraph.graph import config
    from ufgraph.graph.embedded import EmbeddedStore
    from ufgraph.queries import run_query
    with EmbeddedStore(config.embedded_store_dir(config.data_dir())) as store:
        df = run_query(store, "people-of", org="某市工商联")

The same module text runs on the embedded store and on Neo4j (a per-store
variant exists only where the dialects differ); values always travel as
parameters. See catalog.py for the header format and params.py for the
parameter rules.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

import pandas as pd

from ..errors import QueryError
from .catalog import Param, QueryModule, catalog
from .params import check_params, fill_placeholders, from_text, parse_pairs, used_params
from .results import frame, module_frame
from .steps import steps_for

__all__ = ["Param", "QueryModule", "list_queries", "get_query", "read_query", "prepare",
           "run_query", "run_cypher", "query_params", "cypher_params"]

STORE_KINDS = ("embedded", "neo4j")


def list_queries() -> list[QueryModule]:
    """Every query module, by name."""
    return [catalog()[name] for name in sorted(catalog())]


def get_query(name: str) -> QueryModule:
    """The module called `name`; QueryError listing the known ones otherwise."""
    module = catalog().get(name)
    if module is None:
        raise QueryError(f"unknown query {name!r}; known queries: {', '.join(sorted(catalog()))}")
    return module


def read_query(name: str, store_kind: str = "embedded") -> str:
    """The Cypher text of module `name` for a store kind (embedded or neo4j), placeholders unfilled.
    Where the store answers the module in steps (queries/steps.py), this is the text of its main step."""
    if store_kind not in STORE_KINDS:
        raise QueryError(f"unknown store kind {store_kind!r}; use one of {', '.join(STORE_KINDS)}")
    return get_query(name).text_for("kuzu" if store_kind == "embedded" else store_kind)


def prepare(name: str, store_kind: str, params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The Cypher text ready to run on `store_kind`, and its checked parameters."""
    module = get_query(name)
    values = check_params(module, params)
    return fill_placeholders(module, read_query(name, store_kind), values, store_kind), values


def run_query(store, query: str, /, **params: Any) -> pd.DataFrame:
    """Run module `query` on `store` (EmbeddedStore or Neo4jStore) with its parameters as
    keywords; one row per result, the module's columns always present (an empty result is an
    empty DataFrame with them)."""
    module = get_query(query)
    in_steps = steps_for(store.name, module.name)
    if in_steps is not None:
        return module_frame(module, in_steps(store, module, check_params(module, params)))
    cypher, values = prepare(query, store.name, params)
    return module_frame(module, store.run_columns(cypher, used_params(cypher, values), module.returned_columns))


def run_cypher(store, cypher: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run an ad-hoc read-only query; a write is refused by the store with QueryError."""
    if not cypher or not cypher.strip():
        raise QueryError("the query is empty")
    rows = store.run(cypher, dict(params or {}))
    return frame(rows)


def query_params(name: str, pairs: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Parameters of module `name` from `key=value` text (the CLI's -p), converted and checked."""
    module = get_query(name)
    return check_params(module, from_text(module, parse_pairs(pairs)))


def cypher_params(pairs: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Parameters of an ad-hoc query from `key=value` text: a value that reads as JSON
    (42, 1.5, true, null, ["a", "b"]) is that value, anything else is the text itself."""
    out = {}
    for key, text in parse_pairs(pairs).items():
        try:
            out[key] = json.loads(text)
        except ValueError:
            out[key] = text
    return out
