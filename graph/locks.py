"""An exclusive advisory lock on a file, held for a block (the store's writers, the fold), and
whether the owner of a folder named after its process still runs."""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


_HELD: set[int] = set()  # descriptors of the locks this process holds


@contextmanager
def flocked(path: Path, blocking: bool = True) -> Iterator[bool]:
    """Hold an exclusive flock on `path` (created if missing) for the block: True; False at once,
    holding nothing, when another process holds it and `blocking` is off."""
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            with let_go_of_in_children(handle):
                yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def let_go_of_in_children(handle) -> Iterator[None]:
    """For the block, a forked child (graph/forked.py) lets go of the flock `handle` holds: for a
    lock taken otherwise than by flocked (the data folder's, which waits with a deadline)."""
    _HELD.add(handle.fileno())
    try:
        yield
    finally:
        _HELD.discard(handle.fileno())


def let_go_of_inherited_locks() -> None:
    """In a forked child: point its copies of the parent's lock descriptors at /dev/null. A flock
    is held while any copy is open, so a child that kept them would hold the parent's locks
    after the parent was killed, until it died too. The parent's own copies still hold them."""
    if not _HELD:
        return
    null = os.open(os.devnull, os.O_RDONLY)
    try:
        for fd in _HELD:
            os.dup2(null, fd)  # not close: the number stays taken, so nothing else reuses it
    finally:
        os.close(null)
    _HELD.clear()


def process_alive(pid: str | int) -> bool:
    """Whether the process `pid` runs (a folder named after its owner is not a leftover)."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        pass  # someone else's process, alive
    return True
