"""Where things live and which store to use: the data folder, the reports
folder, the overrides files, and the store choice.

Each function takes the value given on the command line first and falls back
to the environment (the CLI also passes environment values through click's
`envvar=`), then to a default.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from ..errors import ConfigError
from .store import GraphStore

STORES = ("embedded", "neo4j")
OVERRIDES_IN_DATA_DIR = "overrides.json"
OVERRIDES_IN_REPORTS = "ufgraph-overrides.json"


def default_data_dir(env: Mapping[str, str] = os.environ) -> Path:
    """$XDG_DATA_HOME/ufgraph, else ~/.local/share/ufgraph."""
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ufgraph"


def data_dir(explicit: str | Path | None = None, env: Mapping[str, str] = os.environ) -> Path:
    """The data folder: --data-dir, else UFGRAPH_DATA_DIR, else the user's data directory."""
    chosen = Path(explicit or env.get("UFGRAPH_DATA_DIR") or default_data_dir(env)).expanduser()
    if chosen.exists() and not chosen.is_dir():
        raise ConfigError(f"{chosen}: the data folder is a file, not a folder")
    return chosen


def reports_dir(data: Path, env: Mapping[str, str] = os.environ) -> Path:
    """The default reports folder: UFGRAPH_REPORTS, else <data-dir>/reports."""
    return Path(env.get("UFGRAPH_REPORTS") or Path(data) / "reports").expanduser()


def embedded_store_dir(data: Path) -> Path:
    return Path(data) / "store"


def overrides_paths(data: Path, report_paths) -> list[Path]:
    """The overrides files that exist: <data-dir>/overrides.json and each reports folder's
    ufgraph-overrides.json."""
    candidates = [Path(data) / OVERRIDES_IN_DATA_DIR]
    candidates += [Path(p) / OVERRIDES_IN_REPORTS for p in report_paths if os.path.isdir(p)]
    seen, out = set(), []
    for path in candidates:
        key = path.resolve()
        if path.is_file() and key not in seen:
            seen.add(key)
            out.append(path)
    return out


def store_choice(explicit: str | None, neo4j_uri: str | None) -> str:
    """--store when given; else Neo4j when NEO4J_URI is set; else the embedded store."""
    if explicit:
        if explicit not in STORES:
            raise ConfigError(f"unknown store {explicit!r}; choose one of {', '.join(STORES)}")
        return explicit
    return "neo4j" if neo4j_uri else "embedded"


def open_store(kind: str, data: Path, neo4j: Mapping[str, str | None] | None = None) -> GraphStore:
    """Open the chosen store. `neo4j` holds uri, user, password, database (from the environment)."""
    if store_choice(kind, None) == "embedded":
        from .embedded import EmbeddedStore
        return EmbeddedStore(embedded_store_dir(data))
    settings = dict(neo4j or {})
    if not settings.get("uri"):
        raise ConfigError("the Neo4j store needs NEO4J_URI (and NEO4J_USERNAME, NEO4J_PASSWORD)")
    try:
        from .neo4j_store import connect
    except ImportError as exc:
        raise ConfigError(f"the Neo4j store is not available: {exc}") from None
    return connect(settings["uri"], settings.get("user") or "neo4j",
                   settings.get("password") or "", settings.get("database") or None)
