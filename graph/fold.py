"""Folding the embedded store's log of changes in the background.

An incremental refresh changes the embedded database in place, in Kùzu's log of changes,
which every open replays (graph/embedded.py), so every change and query pays for a long log.
Past embedded.WAL_LIMIT the store asks for a rebuild, as long as a full write. So once a change
leaves the log past FOLD_AT, the refresh starts a fold in a detached process and returns. The
fold copies the live graph into a new database without a log:

1. under the store's write lock, for a moment: opens a journal in which the store records every
   change made from then on (graph/journal.py), and copies the log of changes
   (EmbeddedStore.stage_live);
2. under no lock: copies the database file (a change never writes to it), reads each table
   of the copy into a Parquet file, and loads them into a new database inside a staging
   folder, which no other process removes while the fold lives (12-16 s at 10,000 reports);
   then applies to it the changes the journal recorded meanwhile, composed into one;
3. under the store's write lock: applies the few changes made during that last step, and
   switches. If the journal cannot lead from the copied graph to the live one (a rebuild came
   in between), the work is dropped; the next change finds the log still long and starts
   another fold.

The fold reads the live graph rather than resolving the reports again: it takes a tenth of the
time, so fewer changes come in while it runs, and none of the resolution's CPU and memory.

One fold at a time per data folder (<data-dir>/.fold.lock); what each fold did is appended
to <data-dir>/fold.log (older lines move to fold.log.1). Run as
`python -m ufgraph.graph.fold DATA_DIR`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from ..errors import UfgraphError
from . import config
from .embedded import EmbeddedStore
from .journal import journals
from .locks import flocked
from .store import GraphStore

FOLD_AT = 4 << 20  # bytes of log; early, so that the log stays short in a stream of changes
FOLD_LOG = "fold.log"
FOLD_LOG_KEEP = 1 << 20  # bytes; past this the log is renamed fold.log.1 (replacing the one before)
FOLD_NICENESS = 10  # the fold yields the CPU to the refreshes it runs beside; it catches up with them anyway


def fold_due(store: GraphStore) -> bool:
    """The log is long enough to fold, and no fold runs (one that does journals the changes)."""
    return isinstance(store, EmbeddedStore) and store.log_bytes() > FOLD_AT and not journals(store.folder)


def start_fold(data: Path) -> None:
    """Start a fold of `data`'s store in a process of its own, and return at once."""
    with open(_fold_log(Path(data)), "a", encoding="utf-8") as log:
        subprocess.Popen([*_IDLE_IO, sys.executable, "-m", f"{__package__}.fold", str(data)], stdin=subprocess.DEVNULL,
                         stdout=log, stderr=log, start_new_session=True)


# The fold reads and writes a whole database beside the changes it catches up with: in the idle
# I/O class their reads go first (in a 60-change stream the slowest change went from 2.6 to 2.0 s).
_IDLE_IO = ["ionice", "-c", "3"] if shutil.which("ionice") else []


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
    data = Path(data)
    with _fold_lock(data) as held:
        if not held:
            return "another fold is running"
        with EmbeddedStore(config.embedded_store_dir(data)) as store:
            if store.current_dir() is None:
                return "nothing to fold: the store holds no graph"
            staged, stamp, journal_dir = store.stage_live(os.getpid())
            try:
                before_switch()
                caught_up = store.replace_staged_if_still(staged, stamp, journal_dir)
            finally:  # switched, dropped or failed: stop recording
                shutil.rmtree(journal_dir, ignore_errors=True)
            if caught_up is None:
                return ("dropped: the graph was rebuilt, or changed without a record, while the fold ran; "
                        "a later change folds again")
            return (f"folded the log of changes into a new database (changes made meanwhile: {caught_up}; "
                    f"log now {store.log_bytes() >> 10} KB)")


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
