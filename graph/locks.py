"""An exclusive advisory lock on a file, held for a block (the store's writers, the fold), and
whether the owner of a folder named after its process still runs."""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


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
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def process_alive(pid: str | int) -> bool:
    """Whether the process `pid` runs (a folder named after its owner is not a leftover)."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        pass  # someone else's process, alive
    return True
