"""Where runs execute: a local process pool (default) or Dask.

Both are :class:`concurrent.futures.Executor` objects, so the sweep loop does not care which it talks to.

* ``process``: :class:`~urbanize.experiments.pool.WorkerPool`, a process pool that resubmits the run of a worker
  that died (out of memory, ``kill -9``) instead of failing the sweep, with an explicit ``forkserver`` context
  (never ``fork``: the parent may hold threads, e.g. tqdm's monitor or a Dask client; never a global
  ``set_start_method``).
* ``dask``: a ``distributed.Client``'s executor, on a new :class:`distributed.LocalCluster` (one single-threaded
  worker process per ``--workers``) or on an existing scheduler (``--scheduler tcp://host:8786``); see
  ``docs/cluster.md`` for SLURM/PBS with dask-jobqueue.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
from collections.abc import Iterator
from concurrent.futures import Executor
from typing import Any, Literal

from urbanize.model.errors import UrbanizeError

ExecutorKind = Literal["process", "dask"]


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover (not Linux)
        return max(1, os.cpu_count() or 1)


def start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


# imported once by the forkserver, so every worker it forks starts with the model loaded (a worker's imports
# otherwise cost about a second of CPU each; measured on the 2-core development machine)
PRELOAD = ["urbanize.experiments.runner"]


def pool_context() -> Any:
    """The ``multiprocessing`` context of the process pool (forkserver with the model preloaded, or spawn)."""
    ctx = multiprocessing.get_context(start_method())
    if start_method() == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)  # type: ignore[attr-defined]
    return ctx


@contextlib.contextmanager
def make_executor(
    kind: str = "process", workers: int | None = None, scheduler: str | None = None
) -> Iterator[Executor]:
    """Open an executor and close it (and any cluster it started) on exit.

    Args:
        kind: ``process`` or ``dask``.
        workers: worker processes (default: the CPUs this process may use). Ignored with ``scheduler``.
        scheduler: address of a running Dask scheduler (``kind="dask"`` only).
    """
    n = workers or default_workers()
    match kind:
        case "process":
            if scheduler:
                raise UrbanizeError("--scheduler needs --executor dask")
            from urbanize.experiments.pool import WorkerPool

            pool = WorkerPool(n, pool_context())
            try:
                yield pool
            except BaseException:
                # Ctrl-C or an error in the coordinator: stop now rather than finish the runs in progress
                # (finished runs are on disk; a resume redoes the others)
                pool.terminate()
                raise
            pool.shutdown(wait=True)
        case "dask":
            from urbanize.experiments.extras import require

            require("distributed", "cluster", "--executor dask")
            from distributed import Client, LocalCluster

            if scheduler:
                with Client(scheduler) as client:
                    yield client.get_executor(pure=False)
            else:
                with (
                    LocalCluster(
                        n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
                    ) as cluster,
                    Client(cluster) as client,
                ):
                    yield client.get_executor(pure=False)
        case other:
            raise UrbanizeError(f"unknown executor '{other}'; executors: process, dask")


SCHEDULER_TIMEOUT = 5.0  # seconds to reach a Dask scheduler before giving up (a LAN round trip is ms; assumed)
_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx)://)?(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):\d{1,5}$")


def check_scheduler_address(address: str) -> None:
    """A one-line error unless ``address`` looks like ``tcp://host:port`` (or ``host:port``)."""
    if not _ADDRESS.match(address.strip()):
        raise UrbanizeError(
            f"--scheduler '{address}' is not a scheduler address; give it as tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786"
        )


def probe_scheduler(address: str, timeout: float = SCHEDULER_TIMEOUT) -> None:
    """Connect to the Dask scheduler at ``address`` and disconnect; a one-line error if it does not answer.

    Called before a sweep writes anything, so an unreachable scheduler leaves no manifest behind.
    """
    check_scheduler_address(address)
    from urbanize.experiments.extras import require

    require("distributed", "cluster", "--executor dask")
    from distributed import Client

    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = type(exc).__name__
        raise UrbanizeError(
            f"cannot reach the Dask scheduler at '{address}' within {timeout:g} s ({reason}); start it "
            "('dask scheduler') or check --scheduler"
        ) from None
    client.close()


def capacity(executor: Executor, workers: int) -> int:
    """How many runs the executor can work on at once (Dask: the cluster's threads, which may grow)."""
    client = getattr(executor, "_client", None)
    if client is not None:
        try:
            return max(workers, sum(client.nthreads().values()))
        except Exception:  # noqa: BLE001  (a scheduler that does not answer: fall back to the local guess)
            return workers
    return workers
