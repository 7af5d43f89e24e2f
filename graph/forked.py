"""Work done in a forked child process, its result (or exception) sent back pickled.

A full refresh resolves in a child: Python keeps memory it has freed (its
arenas stay while any object in them lives), so the documents and the
resolved graph would otherwise stay resident while Kùzu loads the database,
itself 1.5 GB at 10,000 reports. A child's memory all goes when it exits.
"""
from __future__ import annotations

import ctypes
import os
import pickle
import signal
from typing import Callable, TypeVar

from ..errors import StoreError, UfgraphError
from .locks import let_go_of_inherited_locks

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


def run_forked(work: Callable[[], T], what: str) -> T:
    """work() in a forked child; returns its result, or raises what it raised. `what` names the
    work in the error raised when the child dies without an answer."""
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        die_with(parent)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(_answer(work))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read()
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or not answer:
        how = f"signal {-code}" if code < 0 else f"exit status {code}"
        raise StoreError(f"the process {what} died ({how}); the store keeps its previous graph")
    ok, value = pickle.loads(answer)
    if not ok:
        raise value
    return value


def _answer(work: Callable[[], object]) -> bytes:
    try:
        return pickle.dumps((True, work()))
    except BaseException as exc:  # raised again in the parent
        try:
            pickle.loads(pickle.dumps(exc))
            return pickle.dumps((False, exc))
        except Exception:  # an exception that cannot cross: its message can
            return pickle.dumps((False, UfgraphError(f"{type(exc).__name__}: {exc}")))


def die_with(parent: int) -> None:
    """Linux: the kernel kills this child when the parent dies, so killing a refresh also stops
    its child instead of leaving it running and holding locks."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the request took effect
    let_go_of_inherited_locks()  # and the locks it holds go with it, not with this child
