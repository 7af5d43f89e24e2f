"""The journal a fold keeps of the changes made while it runs (graph/fold.py).

A fold copies the live graph into a new database, which takes a while (some 15 s at 10,000
reports). Changes go on meanwhile, in place, on the live database. So that the fold need not
throw its work away when one comes in, it opens a journal in the store folder as it takes its
copy (EmbeddedStore.stage_live):

    journal-<pid of the fold>/
        LIVE                                  the live database folder when the journal opened
        000001-<before>-<after>.json          one change (graph/delta.py), in the order made

EmbeddedStore.apply records every change it commits in each journal whose fold still runs,
under the store's write lock, after the commit. The fold follows the stamps from the graph of
its snapshot to the live one and applies those changes, composed into one, to its own
database before it switches. A change that is not recorded (a failed write, a process killed
between the commit and the record) breaks the chain, and the fold gives way, as it would
without a journal. Journals of folds that are gone are removed.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from .delta import GraphDelta, delta_from_dict, delta_to_dict
from .locks import process_alive

PREFIX = "journal-"
LIVE = "LIVE"


def open_journal(store_folder: Path, owner: int, live: Path) -> Path:
    """A new, empty journal of `owner` (a fold's pid); `live` is the database it starts from."""
    journal = Path(store_folder) / f"{PREFIX}{owner}"
    shutil.rmtree(journal, ignore_errors=True)
    journal.mkdir()
    (journal / LIVE).write_text(live.name, "utf-8")
    return journal


def journals(store_folder: Path) -> list[Path]:
    """The journals of folds that run; those of folds that are gone are removed."""
    out = []
    for path in sorted(Path(store_folder).glob(f"{PREFIX}*")):
        if process_alive(path.name[len(PREFIX):]):
            out.append(path)
        else:
            shutil.rmtree(path, ignore_errors=True)
    return out


def record(store_folder: Path, delta: GraphDelta, before: str, after: str) -> None:
    """Add a committed change to every running fold's journal. It never raises: the change is
    made, and a journal that cannot take it is removed (its fold then gives way)."""
    text = None
    for journal in journals(store_folder):
        try:
            text = text or json.dumps({"before": before, "after": after, "delta": delta_to_dict(delta)},
                                      ensure_ascii=False)
            name = f"{len(_entries(journal)) + 1:06d}-{before}-{after}.json"
            tmp = journal / f".{name}.tmp"
            tmp.write_text(text, "utf-8")
            os.replace(tmp, journal / name)  # a fold reading the journal sees whole entries only
        except (OSError, ValueError):
            shutil.rmtree(journal, ignore_errors=True)


def started_on(journal: Path) -> str:
    """The name of the live database folder when the journal opened ("" when unreadable)."""
    try:
        return (journal / LIVE).read_text("utf-8").strip()
    except OSError:
        return ""


def changes_since(journal: Path, stamp: str, until: str | None = None) -> list[tuple[GraphDelta, str]] | None:
    """The recorded changes that lead from the graph `stamp` to `until` (to the last recorded
    change when None), in order, each with the stamp of the graph it leads to; None when the
    journal holds no such chain."""
    try:
        entries = _entries(journal)
    except (OSError, ValueError):
        return None
    chain, at = [], stamp
    for path, before, after in entries:
        if before == at:
            chain.append((path, after))
            at = after
        elif chain:
            return None  # a change in between is missing
    if until is not None and at != until:
        return None
    try:
        return [(delta_from_dict(json.loads(path.read_text("utf-8"))["delta"]), after) for path, after in chain]
    except (OSError, ValueError, KeyError):
        return None


def _entries(journal: Path) -> list[tuple[Path, str, str]]:
    """(file, before, after) of each recorded change, in the order recorded."""
    out = []
    for path in sorted(journal.glob("[0-9]*.json")):
        _, before, after = path.stem.split("-")
        out.append((path, before, after))
    return out
