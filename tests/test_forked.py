"""graph/forked.py: work in a forked child, its answer or exception back in the parent."""
from __future__ import annotations

import os
import signal

import pytest

from ufgraph.errors import RecordError, ReportReadError, StoreError, UfgraphError
from ufgraph.graph.forked import run_forked


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
