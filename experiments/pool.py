"""A process pool that survives the loss of a worker: :class:`WorkerPool`.

The standard :class:`~concurrent.futures.ProcessPoolExecutor` marks the whole pool broken when one worker dies
(the kernel's out-of-memory killer, a ``kill -9``) and fails every task in flight, because it cannot tell which
task the dead worker held. Here every worker has its own pipe and runs one task at a time, so the coordinator
knows exactly which task each worker holds:

* a worker that dies has its task resubmitted (to a fresh worker that replaces it), never failed;
* a task that has killed ``max_deaths`` workers (default 2) fails with :class:`WorkerLost`, which names the exit
  code or signal, so one poisonous run cannot stall a sweep.

A resubmitted run gives the same result: a run's seed depends only on the sweep's root seed and its id
(``experiments/seeds.py``), never on the worker or the order. Loky (joblib's executor) was considered: it also
declares the pool broken and fails all pending futures when a worker is killed, so it would not remove this
bookkeeping and would add a dependency.

Workers are started with an explicit ``forkserver`` (or ``spawn``) context, never ``fork``; they ignore SIGINT
(the coordinator decides what to do on Ctrl-C) and exit when the coordinator's end of their pipe closes, so a
coordinator killed with ``kill -9`` leaves no worker behind once the task in hand is done.
"""

from __future__ import annotations

import collections
import itertools
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any


class WorkerLost(RuntimeError):
    """A task whose worker process died ``max_deaths`` times while running it."""


@dataclass
class _Task:
    future: Future
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    deaths: int = 0
    started: bool = False


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: _Task | None = None


def _worker_main(conn: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):  # the coordinator is gone
            return
        except Exception as exc:  # noqa: BLE001  (the task cannot be unpickled here: an import error, ...)
            conn.send((False, RuntimeError(f"the worker cannot load the task: {type(exc).__name__}: {exc}")))
            continue
        if msg is None:
            return
        fn, args, kwargs = msg
        try:
            reply: tuple[bool, Any] = (True, fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001  (sent back to the coordinator's future)
            reply = (False, exc)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001  (an unpicklable result or exception)
            conn.send((False, RuntimeError(f"cannot send the result back: {type(exc).__name__}: {exc}")))


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "unknown exit"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


class WorkerPool(Executor):
    """``max_workers`` processes, one task each at a time; a dead worker's task is resubmitted.

    Args:
        max_workers: worker processes.
        mp_context: a ``multiprocessing`` context (``forkserver`` or ``spawn``).
        max_deaths: a task that has killed this many workers fails with :class:`WorkerLost`.
    """

    def __init__(self, max_workers: int, mp_context: Any, max_deaths: int = 2) -> None:
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self._n = max_workers
        self._ctx = mp_context
        self._max_deaths = max_deaths
        self._queue: collections.deque[_Task] = collections.deque()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._shutdown = False
        self._terminated = False
        self._thread: threading.Thread | None = None
        self._ids = itertools.count()
        self.worker_deaths = 0  # workers lost while holding a task (for reports and tests)

    # --- Executor interface ---------------------------------------------------------------------------------
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        with self._lock:
            if self._shutdown:
                raise RuntimeError("cannot submit to a pool that is shut down")
            fut: Future = Future()
            self._queue.append(_Task(fut, fn, args, kwargs))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="WorkerPool", daemon=True)
                self._thread.start()
        self._wake()
        return fut

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._shutdown = True
            if cancel_futures:
                while self._queue:
                    self._queue.popleft().future.cancel()
        self._wake()
        if wait and self._thread is not None:
            self._thread.join()

    def terminate(self) -> None:
        """Stop now: cancel queued tasks and kill every worker (their tasks are lost, not failed)."""
        self._terminated = True
        self.shutdown(wait=False, cancel_futures=True)
        for w in list(self._workers):
            if w.process.is_alive():
                w.process.kill()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def worker_pids(self) -> list[int]:
        return [w.process.pid for w in list(self._workers) if w.process.pid is not None]

    # --- the coordinator thread -----------------------------------------------------------------------------
    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")  # the pipe is closed only by the garbage collector (__del__)
        except BlockingIOError:  # full of wake-ups already: the thread will wake anyway
            pass

    def __del__(self) -> None:
        for fd in (self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass

    def _start_worker(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=_worker_main, args=(child,), daemon=True, name="urbanize-worker")
        proc.start()
        child.close()
        w = _Worker(proc, parent)
        self._workers.append(w)
        return w

    def _assign(self) -> None:
        """Give queued tasks to idle workers (starting workers up to ``max_workers``)."""
        while True:
            with self._lock:
                if not self._queue or self._terminated:
                    return
                idle = next((w for w in self._workers if w.task is None), None)
                if idle is None and len(self._workers) >= self._n:
                    return
                task = self._queue.popleft()
            if not task.started:
                if not task.future.set_running_or_notify_cancel():
                    continue  # cancelled while queued
                task.started = True
            worker = idle or self._start_worker()
            try:
                worker.conn.send((task.fn, task.args, task.kwargs))
            except (OSError, EOFError):  # the worker died between tasks: requeue, its sentinel reports it
                with self._lock:
                    self._queue.appendleft(task)
                return
            except Exception as exc:  # noqa: BLE001  (unpicklable function or arguments)
                task.future.set_exception(exc)
                continue
            worker.task = task

    def _run(self) -> None:
        try:
            while True:
                self._assign()
                if self._terminated:  # (also a worker started while terminate() was looking)
                    for w in self._workers:
                        if w.process.is_alive():
                            w.process.kill()
                with self._lock:
                    busy = any(w.task is not None for w in self._workers)
                    if self._shutdown and not busy and not self._queue:
                        break
                objs: list[Any] = [self._wake_r]
                for w in self._workers:
                    objs += [w.conn, w.process.sentinel]
                for ready in wait(objs):
                    if ready == self._wake_r:
                        os.read(self._wake_r, 4096)
                        continue
                    self._handle(ready)
        finally:
            self._close_workers()

    def _handle(self, ready: Any) -> None:
        for w in list(self._workers):
            if ready is w.conn:
                try:
                    ok, value = w.conn.recv()
                except (EOFError, OSError):
                    return  # the worker died; its sentinel becomes ready too
                task, w.task = w.task, None
                if task is not None:
                    (task.future.set_result if ok else task.future.set_exception)(value)
                return
            if ready == w.process.sentinel:
                self._lost(w)
                return

    def _lost(self, w: _Worker) -> None:
        """Worker ``w`` died: resubmit (or fail) its task and replace it when work remains."""
        if w.conn.poll():  # it replied before dying: deliver that first
            self._handle(w.conn)
        w.process.join(timeout=5)
        code = w.process.exitcode
        w.conn.close()
        self._workers.remove(w)
        task = w.task
        if task is None:
            return
        if self._terminated:  # killed by terminate(): nothing is resubmitted
            task.future.set_exception(WorkerLost("the pool was terminated"))
            return
        self.worker_deaths += 1
        task.deaths += 1
        if task.deaths >= self._max_deaths:
            task.future.set_exception(
                WorkerLost(
                    f"the run killed its worker process {task.deaths} times ({_describe_exit(code)}; "
                    "out of memory?)"
                )
            )
            return
        with self._lock:
            self._queue.appendleft(task)  # first in line: it was started before everything queued

    def _close_workers(self) -> None:
        for w in self._workers:
            try:
                w.conn.send(None)
            except (OSError, EOFError):
                pass
        for w in self._workers:
            w.process.join(timeout=10)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.conn.close()
        self._workers.clear()
