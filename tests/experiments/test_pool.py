"""The process pool that survives worker loss (experiments/pool.py), on small stand-in tasks."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest
from pool_helpers import boom, slow_pid, square

from urbanize.experiments.pool import WorkerLost, WorkerPool


@pytest.fixture
def pool():
    p = WorkerPool(2, multiprocessing.get_context("forkserver"))
    yield p
    p.terminate()


def test_results_and_exceptions_come_back(pool):
    futures = [pool.submit(square, i) for i in range(10)]
    assert [f.result(timeout=60) for f in futures] == [i * i for i in range(10)]
    with pytest.raises(ValueError, match="boom"):
        pool.submit(boom).result(timeout=60)
    with pytest.raises(Exception, match="pickle"):
        pool.submit(lambda: 1).result(timeout=60)  # an unpicklable task fails alone
    assert pool.submit(square, 3).result(timeout=60) == 9


def test_a_worker_killed_from_outside_has_its_task_resubmitted(pool):
    first = pool.submit(slow_pid, 0.0).result(timeout=60)  # the pool is up
    fut = pool.submit(slow_pid, 2.0)
    deadline = time.monotonic() + 30
    while not fut.running() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)
    victims = pool.worker_pids()
    for pid in victims:  # kill every worker: the one holding the task among them
        os.kill(pid, signal.SIGKILL)
    pid = fut.result(timeout=60)
    assert pid not in victims and first in victims
    assert pool.worker_deaths == 1  # only the worker holding a task counts


def test_terminate_cancels_and_resubmits_nothing():
    pool = WorkerPool(1, multiprocessing.get_context("forkserver"))
    futures = [pool.submit(slow_pid, 5.0) for _ in range(3)]
    while not futures[0].running():
        time.sleep(0.01)
    pool.terminate()
    assert all(f.done() for f in futures)
    assert isinstance(futures[0].exception(), WorkerLost), futures[0].exception()
    assert futures[1].cancelled() and futures[2].cancelled()
    assert pool.worker_pids() == []
