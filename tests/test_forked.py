"""graph/forked.py: work in a forked child, its answer or exception back in the parent."""
from __future__ import annotations

import os
import signal

import pytest

from ufgraph.errors import RecordError, ReportReadError, StoreError, UfgraphError
from ufgraph.graph.forked import run_forked
from ufgraph.graph.locks import flocked
from ufgraph.graph.refresh import data_lock


def test_the_result_comes_back_and_the_work_ran_in_another_process():
    pid, value = run_forked(lambda: (os.getpid(), {"nodes": [1, 2]}), "testing")
    assert pid != os.getpid() and value == {"nodes": [1, 2]}


def test_an_exception_in_the_child_is_raised_in_the_parent():
    def fail():
        raise RecordError("node 'x': bad")
    with pytest.raises(RecordError, match="node 'x': bad"):
        run_forked(fail, "testing")


def test_an_exception_that_cannot_be_pickled_keeps_its_message():
    def fail():
        raise ReportReadError("/some/report.txt", "unreadable")  # two arguments: does not unpickle
    with pytest.raises(UfgraphError, match="ReportReadError: .*unreadable") as raised:
        run_forked(fail, "testing")
    assert type(raised.value) is UfgraphError


def test_a_child_that_dies_is_a_store_error_naming_the_work():
    with pytest.raises(StoreError, match=r"the process resolving the graph died \(signal 9\)"):
        run_forked(lambda: os.kill(os.getpid(), signal.SIGKILL), "resolving the graph")


def test_a_child_does_not_hold_the_locks_of_its_parent(tmp_path):
    """A flock stays while any copy of its descriptor is open: a child that kept its parent's would
    hold the store's lock after the parent was killed, until it died too."""
    lock = tmp_path / ".lock"
    with flocked(lock) as held:
        assert held
        _only_the_parent_holds(lock)
    with flocked(lock, blocking=False) as again:
        assert again is True


def test_a_child_does_not_hold_the_data_folder_lock_of_its_parent(tmp_path):
    """The data folder's lock (refresh.data_lock) is its own flock, not flocked's: a resolving
    child lets go of it too."""
    with data_lock(tmp_path):
        _only_the_parent_holds(tmp_path / ".lock")
    with flocked(tmp_path / ".lock", blocking=False) as again:
        assert again is True


def _only_the_parent_holds(lock):
    """While this process holds `lock`: a forked child's copy of its descriptor points at
    /dev/null, and the parent's own copy still holds it."""
    lock_fds = [fd for fd in map(int, os.listdir("/proc/self/fd"))
                if os.path.realpath(f"/proc/self/fd/{fd}") == str(lock)]
    assert len(lock_fds) == 1
    in_child = run_forked(lambda: os.path.realpath(f"/proc/self/fd/{lock_fds[0]}"), "testing")
    assert in_child == os.devnull
    with flocked(lock, blocking=False) as again:
        assert again is False  # the parent's copy still holds it
