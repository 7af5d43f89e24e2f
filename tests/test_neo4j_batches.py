"""The Neo4j store's batch runner: work handed to the writing sessions as soon as it is built.

No server is needed: the runner only orders and stops work; what a batch writes is tested
against the real server in test_neo4j_write.py.
"""
from __future__ import annotations

import threading
import time

import pytest

from ufgraph.errors import RecordError, StoreError
from ufgraph.graph.neo4j_store import _BatchRunner


def test_answers_come_back_in_the_order_the_work_was_handed_over():
    def later_ones_first(i: int) -> int:
        time.sleep(0.01 * (5 - i))
        return i * 10
    with _BatchRunner(2) as runner:
        futures = [runner.submit(later_ones_first, i) for i in range(5)]
        assert runner.answers(futures) == [0, 10, 20, 30, 40]


def test_no_work_starts_after_a_failure_and_the_failure_is_raised():
    started = []

    def work(i: int) -> int:
        started.append(i)
        if i == 1:
            raise StoreError("batch 1 failed")
        return i
    with pytest.raises(StoreError, match="batch 1 failed"):
        with _BatchRunner(1) as runner:
            futures = [runner.submit(work, i) for i in range(6)]  # may meet the failure already
            runner.answers(futures)
    assert started == [0, 1]


def test_a_failure_stops_further_handing_over():
    failed = threading.Event()

    def fail() -> None:
        failed.set()
        raise StoreError("the server went away")
    with _BatchRunner(2) as runner:
        runner.submit(fail)
        failed.wait(5)
        time.sleep(0.05)  # the future is marked done just after the work returns
        with pytest.raises(StoreError, match="went away"):
            runner.submit(lambda: None)


def test_leaving_by_an_error_waits_for_work_under_way_and_starts_nothing_queued():
    started, finished = [], []

    def slow(i: int) -> None:
        started.append(i)
        time.sleep(0.2)
        finished.append(i)
    with pytest.raises(RecordError, match="bad part"):
        with _BatchRunner(1) as runner:
            runner.submit(slow, 0)
            time.sleep(0.05)  # 0 is under way
            runner.submit(slow, 1)
            raise RecordError("bad part")  # as a relationship batch that cannot be built
    assert started == finished == [0]


def test_an_interruption_in_a_session_reaches_the_caller():
    class Interrupted(BaseException):
        """Stands for the process being stopped: not an Exception."""

    def stop() -> None:
        raise Interrupted()
    with pytest.raises(Interrupted):
        with _BatchRunner(2) as runner:
            runner.answers([runner.submit(stop)])
