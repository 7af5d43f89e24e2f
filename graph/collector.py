"""Python's cycle collector, paused around work that makes many objects and no cycles.

Extracting a report or building a store's write plan makes millions of small
acyclic records. They set the collector off again and again, and each full
pass walks every long-lived object (lexicons, the word dictionary, caches, the
graph being written): a sixth of extraction time, half of a write plan's.
Without cycles, nothing waits for the collector: records are freed at once.

The lexicons, gazetteer and word tables the first extraction loads live as long
as the process; each full pass of the collector walked them again (about 4 % of
a corpus's extraction time). `freeze_once` moves what is alive then out of the
collector's sight (gc.freeze): still freed when its last reference goes, just
never examined for cycles again.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

_frozen = False


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """The collector off for the block, then as it was (a caller may have turned it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze_once() -> None:
    """gc.freeze() the first time it is called in a process (it costs no time: it moves lists)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
