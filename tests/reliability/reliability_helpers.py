"""Helpers of the reliability tests and the soak benchmark: a small sweep, run functions that kill their own worker
process (as the kernel's out-of-memory killer would), and a coordinator started as a separate process.

Run functions are module-level (or ``functools.partial`` of one) so worker processes can unpickle them by name.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from urbanize.experiments.runner import RunConfig, run_one

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def small_spec(**changes: Any) -> dict[str, Any]:
    """12 runs of the real model at 200 households and 4 months: 4 design points x 3 replicates."""
    data: dict[str, Any] = {
        "name": "reliability",
        "city": "changshu",
        "policies": ["status_quo"],
        "households": 200,
        "months": 4,
        "replicates": 3,
        "seed": 4242,
        "sampler": "grid",
        "outcomes": ["registration_rate", "hukou_conversions"],
        "parameters": {"arrival_rate": [0.005, 0.01, 0.015, 0.02]},
    }
    data.update(changes)
    return data


def write_toml(path: Path, data: dict[str, Any]) -> Path:
    lines = []
    for k, v in data.items():
        if k != "parameters":
            lines.append(f"{k} = {json.dumps(v)}")
    lines.append("[parameters]")
    lines += [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in data.get("parameters", {}).items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def die_once(marker_dir: str, victims: tuple[tuple[int, int], ...], cfg: RunConfig) -> pd.DataFrame:
    """The real model, except that each victim run kills its worker process the first time it is tried."""
    if (cfg.point, cfg.replicate) in victims:
        marker = Path(marker_dir) / f"{cfg.run_id}.died"
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
    return run_one(cfg)


def always_die(victim: tuple[int, int], cfg: RunConfig) -> pd.DataFrame:
    """The real model, except that the victim run kills its worker process every time it is tried."""
    if (cfg.point, cfg.replicate) == victim:
        os.kill(os.getpid(), signal.SIGKILL)
    return run_one(cfg)


def hang(gate: str, cfg: RunConfig) -> pd.DataFrame:
    """The real model, but runs of design points >= 1 wait until the file ``gate`` exists."""
    while cfg.point >= 1 and not os.path.exists(gate):
        time.sleep(0.05)
    return run_one(cfg)


def coordinator(spec: Path, out: Path, workers: int = 2, hang_gate: str | None = None,
                extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """``run_sweep`` in a new process (its own session, so the test can kill it and everything it started)."""
    run_fn = f"functools.partial(reliability_helpers.hang, {hang_gate!r})" if hang_gate else "None"
    code = (
        "import functools, reliability_helpers\n"
        "from urbanize.experiments.spec import load_spec\n"
        "from urbanize.experiments.sweep import run_sweep\n"
        f"run_sweep(load_spec({str(spec)!r}), {str(out)!r}, workers={workers}, progress=False, run_fn={run_fn})\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(HERE)]), **(extra_env or {}))
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_session(proc: subprocess.Popen) -> None:
    """SIGKILL the coordinator, then whatever it left in its session (forkserver, workers)."""
    try:
        os.kill(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc), children first."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def wait_for(cond: Callable[[], bool], what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
