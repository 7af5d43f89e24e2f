"""Graph documents from files instead of a store, for `export --from-json` and `stats --from-json`.

Takes what the other commands write: graph-document JSON files and folders
of them (`ufgraph extract --out DIR`), JSON Lines of whole documents
(`ufgraph extract --out -`), and the JSON Lines records of `export --format
jsonl`. "-" reads any of these from stdin. Several documents are joined by
cross-report resolution, as `viz --from-json` does.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Iterable

from ..errors import ConfigError, RecordError
from .model import GraphDocument, document_from_data
from .view_source import read_documents

STDIN = "-"
_DERIVED = ("kind", "dates")  # fields export adds to records; graph-document JSON does not have them


def load_documents(paths: Iterable[str | Path], stdin: IO[str] | None = None) -> GraphDocument:
    """One graph from `paths` (files, folders, or "-" for stdin); errors name the file."""
    paths = [str(p) for p in paths]
    if not paths:
        raise ConfigError("no graph document given")
    docs = []
    files = [p for p in paths if p != STDIN and not p.endswith(".jsonl")]
    if files:
        docs.append(read_documents(files))
    for path in paths:
        if path == STDIN:
            docs += parse_text((stdin or sys.stdin).read(), "<stdin>")
        elif path.endswith(".jsonl"):
            docs += parse_text(_read(Path(path)), path)
    return _join(docs)


def parse_text(text: str, name: str) -> list[GraphDocument]:
    """The documents in `text`: one JSON graph document, or JSON Lines of documents or records."""
    if not text.strip():
        raise RecordError(f"{name}: empty; expected a graph document or JSON Lines")
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        return _from_lines(text.splitlines(), name)
    if isinstance(whole, dict) and "kind" in whole:  # JSON Lines of a single record
        return _from_lines(text.splitlines(), name)
    if not isinstance(whole, dict):
        raise RecordError(f"{name}: not a graph document (expected an object with reports, nodes, edges)")
    return [document_from_data(whole, name)]


def _from_lines(lines: list[str], name: str) -> list[GraphDocument]:
    docs, records = [], {"report": [], "node": [], "edge": []}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordError(f"{name}, line {number}: not JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise RecordError(f"{name}, line {number}: expected a JSON object")
        kind = data.get("kind")
        if kind is None:
            docs.append(document_from_data(data, f"{name}, line {number}"))
        elif kind in records:
            records[kind].append({k: v for k, v in data.items() if k not in _DERIVED})
        else:
            raise RecordError(f"{name}, line {number}: unknown kind {kind!r} (report, node or edge)")
    if any(records.values()):
        docs.append(document_from_data({"reports": records["report"], "nodes": records["node"],
                               "edges": records["edge"]}, name))
    if not docs:
        raise RecordError(f"{name}: no graph document in it")
    return docs


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None


def _join(docs: list[GraphDocument]) -> GraphDocument:
    if len(docs) == 1:
        return docs[0]
    from .resolve import resolve  # only needed when several reports are joined
    return resolve(docs)
