"""Task functions of the WorkerPool tests (module-level, so workers can unpickle them by name)."""

from __future__ import annotations

import os
import time


def square(x: int) -> int:
    return x * x


def slow_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def boom() -> None:
    raise ValueError("boom")
