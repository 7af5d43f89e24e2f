"""Folding the embedded store's log of changes in the background.

An incremental refresh changes the embedded database in place, in Kùzu's log of changes,
which every open replays (graph/embedded.py). Past embedded.WAL_LIMIT the store asks for a
rebuild, and the refresh that meets it takes as long as a full write: about one change in
sixty, some 80 s at 10,000 reports. So once a change leaves the log past FOLD_AT (4 MB), the
refresh starts a fold in a detached process and returns. The fold:

1. under the data folder's lock, for a moment: reads the manifest and the index's stamp,
   hard-links the cached documents the manifest names into a snapshot folder (a later
   refresh may prune them), and opens a journal in which the store records every change
   made from then on (graph/journal.py);
2. under no lock: resolves them as a full refresh would (in a forked child), applies to that
   graph in memory the changes the journal recorded while it resolved (most of those a fold
   meets in a stream of changes: changes applied in place would lengthen the new database's
   log), and loads it into a new database inside a staging folder, which no other process
   removes while the fold lives; then applies to the database the changes recorded during the
   load, composed into one;
3. under the store's write lock: applies the few changes made during that last step, and
   switches. If the journal cannot lead from the snapshot to the live graph (a rebuild came
   in between), the work is dropped; the next change finds the log still long and starts
   another fold.

One fold at a time per data folder (<data-dir>/.fold.lock); what each fold did is appended
to <data-dir>/fold.log (older lines move to fold.log.1). Run as
`python -m ufgraph.graph.fold DATA_DIR`.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import Callable

from ..errors import UfgraphError
from . import config
from .contrib import ContribIndex
from .delta import applied, composed
from .embedded import EmbeddedStore, StagedTables
from .forked import run_forked
from .journal import changes_since, journals
from .locks import flocked
from .model import GraphDocument
from .store import GraphStore

FOLD_AT = 4 << 20  # bytes of log; early, so that the fold (85-110 s at 10,000 reports) ends, and catches
# up, before the changes made meanwhile reach embedded.WAL_LIMIT
FOLD_LOG = "fold.log"
FOLD_LOG_KEEP = 1 << 20  # bytes; past this the log is renamed fold.log.1 (replacing the one before)
SNAPSHOT_PREFIX = "fold-"
FOLD_NICENESS = 10  # the fold yields the CPU to the refreshes it runs beside; it catches up with them anyway
LOCK_WAIT = 600.0  # seconds to wait for the refresh that started the fold to let go of the data folder


def fold_due(store: GraphStore) -> bool:
    """The log is long enough to fold, and no fold runs (one that does journals the changes)."""
    return isinstance(store, EmbeddedStore) and store.log_bytes() > FOLD_AT and not journals(store.folder)


def start_fold(data: Path) -> None:
    """Start a fold of `data`'s store in a process of its own, and return at once."""
    with open(_fold_log(Path(data)), "a", encoding="utf-8") as log:
        subprocess.Popen([sys.executable, "-m", f"{__package__}.fold", str(data)], stdin=subprocess.DEVNULL,
                         stdout=log, stderr=log, start_new_session=True)


def _fold_log(data: Path) -> Path:
    """The fold log, first set aside as fold.log.1 once it passes FOLD_LOG_KEEP: it gets a line
    per fold, one every minute or two while changes stream in, and would grow without end."""
    log = data / FOLD_LOG
    try:
        if log.stat().st_size > FOLD_LOG_KEEP:
            os.replace(log, log.with_name(FOLD_LOG + ".1"))
    except FileNotFoundError:
        pass
    return log


def fold(data: Path, before_switch: Callable[[], None] = lambda: None) -> str:
    """Fold the log of `data`'s embedded store; what happened, in words. `before_switch` runs
    between the load and the switch (tests use it to change the graph meanwhile)."""
    from .refresh import data_lock  # refresh starts folds, so it cannot be imported up here

    data = Path(data)
    with _fold_lock(data) as held:
        if not held:
            return "another fold is running"
        for leftover in data.glob(f"{SNAPSHOT_PREFIX}*"):  # of a fold killed half-way (we hold the lock)
            shutil.rmtree(leftover, ignore_errors=True)
        snapshot = data / f"{SNAPSHOT_PREFIX}{os.getpid()}"
        journal_dir = None
        with EmbeddedStore(config.embedded_store_dir(data)) as store:
            try:
                with data_lock(data, LOCK_WAIT, holder="fold"):
                    current, stamp = _snapshot(data, snapshot)
                    if not stamp:
                        return "nothing to fold: the index records no graph"
                    journal_dir = store.open_journal(os.getpid())
                staged, stamp, in_memory = run_forked(
                    partial(_resolve_and_stage, current, snapshot, store, journal_dir, stamp), "resolving the graph")
                before_switch()
                in_place = store.replace_staged_if_still(staged, stamp, journal_dir)
                if in_place is None:
                    return ("dropped: the graph was rebuilt, or changed without a record, while the fold ran; "
                            "a later change folds again")
                return (f"folded the log of changes into a new database ({len(current)} reports; changes made "
                        f"meanwhile: {in_memory} applied before loading, {in_place} after; "
                        f"log now {store.log_bytes() >> 10} KB)")
            finally:
                shutil.rmtree(snapshot, ignore_errors=True)
                if journal_dir is not None:  # switched, dropped or failed: stop recording
                    shutil.rmtree(journal_dir, ignore_errors=True)


def _snapshot(data: Path, folder: Path) -> tuple[dict[str, dict], str]:
    """The manifest's reports and the index's stamp, with the cached documents hard-linked."""
    from .refresh import CONTRIB_FILE, MANIFEST, _cache_file

    current = json.loads((data / MANIFEST).read_text("utf-8")).get("reports", {})
    index = ContribIndex(data / CONTRIB_FILE)
    try:
        stamp = index.meta("stamp") or ""
    finally:
        index.close()
    (folder / "cache").mkdir(parents=True)
    for report_id in {entry["id"] for entry in current.values()}:
        os.link(_cache_file(data / "cache", report_id), _cache_file(folder / "cache", report_id))
    return current, stamp


def _resolve_and_stage(current: dict[str, dict], snapshot: Path, store: EmbeddedStore, journal_dir: Path,
                       stamp: str) -> tuple[StagedTables, str, int]:
    """In the child: the documents as a full refresh reads them, resolved, brought up to date with
    the changes journaled meanwhile, and staged for the fold; with the stamp of the graph staged
    and the number of changes applied."""
    from .refresh import RefreshSummary, _documents
    from .resolve import resolve

    resolved = resolve(_documents(current, snapshot / "cache", RefreshSummary()))
    doc, stamp, applied_changes = _caught_up(resolved, journal_dir, stamp)
    return store.stage(doc, owner=os.getppid()), stamp, applied_changes


def _caught_up(doc: GraphDocument, journal_dir: Path, stamp: str) -> tuple[GraphDocument, str, int]:
    """`doc`, the graph stamped `stamp`, with the changes the journal recorded since applied, as
    the store applies them; the stamp it then has, and the number of changes. Unchanged when
    the journal holds none, or no chain from `stamp` (the fold gives way later, at its switch)."""
    changes = changes_since(journal_dir, stamp)
    if not changes:
        return doc, stamp, 0
    return applied(doc, composed([delta for delta, _ in changes])), changes[-1][1], len(changes)


def _fold_lock(data: Path):
    return flocked(data / ".fold.lock", blocking=False)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m ufgraph.graph.fold DATA_DIR", file=sys.stderr)
        return 2
    os.nice(FOLD_NICENESS)
    try:
        print(f"fold of {argv[0]}: {fold(Path(argv[0]))}", flush=True)
        return 0
    except UfgraphError as exc:
        print(f"fold of {argv[0]} failed: {exc}", flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
