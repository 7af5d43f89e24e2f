"""Where a view's graph comes from when no store is used: graph-document JSON
files such as `ufgraph extract` writes, one per report, or folders of them."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from ..errors import ConfigError, RecordError
from .model import GraphDocument, document_from_data


def read_documents(paths: Iterable[str | Path]) -> GraphDocument:
    """One graph from graph-document JSON files (e.g. `ufgraph extract` output), or folders of
    them; several documents are joined by cross-report resolution (graph/resolve.py)."""
    files = [f for p in paths for f in _json_files(Path(p))]
    if not files:
        raise ConfigError("no graph document given")
    docs = [read_document(f) for f in files]
    if len(docs) == 1:
        return docs[0]
    from .resolve import resolve  # only needed when several reports are joined
    return resolve(docs)


def read_document(path: str | Path) -> GraphDocument:
    """A GraphDocument from one JSON file; errors name the file and the problem."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(f"{path}: cannot read the graph document: {getattr(exc, 'strerror', None) or exc}") from None
    except json.JSONDecodeError as exc:
        raise RecordError(f"{path}: not JSON ({exc})") from None
    return document_from_data(data, str(path))


def _json_files(path: Path) -> list[Path]:
    if path.is_dir():
        found = sorted(path.glob("*.json"))
        if not found:
            raise ConfigError(f"{path}: no .json graph documents in this folder")
        return found
    if not path.exists():
        raise ConfigError(f"{path}: no such file or folder")
    return [path]
