"""Soak benchmark of the batch layer: a sweep killed again and again must end identical to an uninterrupted one.

Runs N small Changshu runs (default 1,000 at 100 households over 3 months) twice:

1. uninterrupted, in this process (the reference);
2. as a separate coordinator process, killed with SIGKILL at 20 random moments (default; ``--kills``) and
   restarted each time (each restart resumes: it takes the dead coordinator's lock over, checks every run file
   and runs what is missing), while 5 pool workers (default; ``--worker-kills``) are killed with SIGKILL at
   random moments, as the kernel's out-of-memory killer would.

It then compares every run file's indicators with the reference (exact equality) and reports wall times, the
number of restarts, runs recorded failed (expected 0) and run files set aside (expected 0: writes are atomic).
Not a test (it takes minutes); figures go in docs/experiments.md.

Usage::

    .venv/bin/python benchmarks/bench_soak.py --runs 200        # a few minutes on 2 cores
    .venv/bin/python benchmarks/bench_soak.py                   # 1,000 runs
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from urbanize.experiments.spec import load_spec  # noqa: E402
from urbanize.experiments.storage import open_runs  # noqa: E402
from urbanize.experiments.sweep import run_sweep  # noqa: E402


def write_spec(path: Path, runs: int, households: int, months: int) -> Path:
    points = 4 if runs % 4 == 0 else 1
    rates = [0.005, 0.01, 0.015, 0.02][:points]
    path.write_text(
        "\n".join(
            [
                'name = "soak"',
                'city = "changshu"',
                'policies = ["status_quo"]',
                f"households = {households}",
                f"months = {months}",
                f"replicates = {runs // points}",
                "seed = 777",
                'outcomes = ["registration_rate", "hukou_conversions"]',
                "[parameters]",
                f"arrival_rate = {json.dumps(rates)}",
            ]
        )
        + "\n"
    )
    return path


def start(spec: Path, out: Path, workers: int) -> subprocess.Popen:
    code = (
        "from urbanize.experiments.spec import load_spec\n"
        "from urbanize.experiments.sweep import run_sweep\n"
        f"r = run_sweep(load_spec({str(spec)!r}), {str(out)!r}, workers={workers}, progress=False)\n"
        "import sys; sys.exit(1 if r.failed else 0)\n"
    )
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def n_done(out: Path) -> int:
    return len(list((out / "runs").glob("p*.parquet")))


def workers_of(pid: int) -> list[int]:
    """Grandchildren of the coordinator: the pool's workers (children of its forkserver)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        ppid = int(text[text.rfind(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(stat.parent.name))
    return [g for c in children.get(pid, []) for g in children.get(c, [])]


def kill_session(proc: subprocess.Popen) -> None:
    for target in (lambda: os.kill(proc.pid, signal.SIGKILL), lambda: os.killpg(proc.pid, signal.SIGKILL)):
        try:
            target()
        except ProcessLookupError:
            pass
        if proc.poll() is None:
            proc.wait()


def soak(spec: Path, out: Path, total: int, kills: int, worker_kills: int, workers: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    # the rounds in which a worker is killed (a missed one is carried to the next round; the last round, which
    # runs to the end, kills whatever is still owed)
    worker_rounds = sorted(rng.choice(kills + 1, size=min(worker_kills, kills + 1), replace=False).tolist())
    restarts = done_kills = done_worker_kills = 0
    round_ = 0
    while True:
        proc = start(spec, out, workers)
        restarts += 1
        killing = done_kills < kills
        owed = (worker_kills if not killing else sum(r <= round_ for r in worker_rounds)) - done_worker_kills
        before = n_done(out)
        t0 = time.monotonic()
        kill_worker_at = before + int(rng.integers(0, 3)) if owed > 0 else None
        # a random moment, spread over the whole sweep: after 0 to 2 x total / (kills + 1) more run files (a kill
        # may land during start-up, while run files are checked, or mid-run), and after this round's worker kill
        target = max(before + int(rng.integers(0, max(2, 2 * total // (kills + 1)))), (kill_worker_at or 0) + 1)
        while proc.poll() is None:
            done = n_done(out)
            if kill_worker_at is not None and done >= kill_worker_at:
                victims = workers_of(proc.pid)
                if victims:
                    os.kill(int(rng.choice(victims)), signal.SIGKILL)
                    done_worker_kills += 1
                    owed -= 1
                    kill_worker_at = done + 2 if owed > 0 else None
            if killing and (done >= target or done >= total) and time.monotonic() - t0 > 0.3:
                kill_session(proc)
                done_kills += 1
                break
            time.sleep(0.02)
        round_ += 1
        if not killing and proc.poll() is not None:
            code = proc.returncode
            kill_session(proc)
            if n_done(out) >= total or code != 0:
                return {"restarts": restarts, "coordinator_kills": done_kills, "worker_kills": done_worker_kills,
                        "last_exit": code}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000, help="runs in the sweep (default 1,000)")
    ap.add_argument("--households", type=int, default=100, help="households per run (default 100)")
    ap.add_argument("--months", type=int, default=3, help="months per run (default 3)")
    ap.add_argument("--workers", type=int, default=2, help="pool workers (default 2)")
    ap.add_argument("--kills", type=int, default=20, help="coordinator kills (default 20)")
    ap.add_argument("--worker-kills", type=int, default=5, help="worker kills (default 5)")
    ap.add_argument("--seed", type=int, default=1, help="seed of the kill schedule (default 1)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench_soak_"))
    try:
        spec = write_spec(tmp / "soak.toml", args.runs, args.households, args.months)
        t0 = time.perf_counter()
        ref = run_sweep(load_spec(spec), tmp / "reference", workers=args.workers, progress=False)
        t_ref = time.perf_counter() - t0
        t0 = time.perf_counter()
        stats = soak(spec, tmp / "soak", args.runs, args.kills, args.worker_kills, args.workers, args.seed)
        t_soak = time.perf_counter() - t0
        failed = len(list((tmp / "soak" / "runs").glob("*.failed.json")))
        set_aside = len(list((tmp / "soak" / "set_aside").glob("*"))) if (tmp / "soak" / "set_aside").exists() else 0
        a, b = open_runs(tmp / "reference"), open_runs(tmp / "soak")
        try:
            pd.testing.assert_frame_equal(a, b)
            identical = True
        except AssertionError:
            identical = False
        report = {
            "runs": args.runs, "households": args.households, "months": args.months, "workers": args.workers,
            "reference_failed": ref.failed, "reference_seconds": round(t_ref, 1), "soak_seconds": round(t_soak, 1),
            **stats, "runs_failed": failed, "files_set_aside": set_aside, "identical": identical,
        }
        print(json.dumps(report))
        print(
            f"{args.runs} runs: reference {t_ref:.0f} s; soak {t_soak:.0f} s with {stats['coordinator_kills']} "
            f"coordinator kills ({stats['restarts']} starts) and {stats['worker_kills']} worker kills; "
            f"{failed} runs failed, {set_aside} files set aside; identical to the reference: {identical}"
        )
        return 0 if identical and failed == 0 else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
