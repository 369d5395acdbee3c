"""The fenced code blocks of README.md and docs/*.md, and how the docs tests run them (docs/contributing.md).

* ```` ```bash ```` blocks run with ``bash -e`` in a scratch folder that links the repository's top-level entries
  (so ``experiments/specs/...`` and ``docs/examples/...`` resolve while outputs land in the scratch folder);
  ``make`` commands are dry-run (``make -n``: they set up environments and run the whole suite);
  ``urbanize viz`` commands are servers: started on a free local port, probed on ``/readyz`` and stopped.
* ```` ```python ```` blocks of one file run in order in one Python process with one namespace, as a reader
  runs them in one session; ``docs/examples`` is on the path.
* A ```` ```toml ```` block whose first line is ``# docs/examples/NAME.toml`` must equal that file.
* Everything runs with ``URBANIZE_DOCS_SCALE`` set, which shrinks households, months and replicates.
* A block preceded by ``<!-- not-run: reason -->`` is skipped (illustrative only, or it needs a cluster).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS_SCALE = "0.001"
SHELL = {"bash", "sh", "shell"}
_FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
_NOT_RUN = re.compile(r"^\s*<!--\s*not-run:(.*?)-->\s*$")
_SERVER = re.compile(r"^urbanize\s+viz\b")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence, 1-based
    lang: str
    text: str
    not_run: str | None  # the reason, when marked not-run

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}"


def doc_files() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file (fences may be indented inside lists)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang, start = m.group(1), m.group(2), i
        body = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
            i += 1
        prev = next((lines[j] for j in range(start - 1, -1, -1) if lines[j].strip()), "")
        marker = _NOT_RUN.match(prev)
        out.append(
            Block(path, start + 1, lang, "\n".join(body) + "\n", marker.group(1).strip() if marker else None)
        )
        i += 1
    return out


def commands(script: str) -> list[str]:
    """Shell commands of a block: continuation lines joined, blank and comment-only lines dropped."""
    out, current = [], ""
    for line in script.splitlines():
        current += line
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        if current.strip() and not current.strip().startswith("#"):
            out.append(current.strip())
        current = ""
    return out


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["URBANIZE_DOCS_SCALE"] = DOCS_SCALE
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(REPO / "docs" / "examples")
    env["MPLBACKEND"] = "Agg"
    return env


def scratch(folder: Path) -> Path:
    """A working folder that sees the repository's top-level entries (outputs stay in the folder)."""
    for entry in REPO.iterdir():
        if entry.name not in {".git", "out", "runs"} and not (folder / entry.name).exists():
            (folder / entry.name).symlink_to(entry)
    return folder


def run_shell(block: Block, cwd: Path, servers: bool = True) -> None:
    """Run a shell block: servers (skipped when not ``servers``) and make targets apart, everything else as one
    ``bash -e`` script."""
    chunk: list[str] = []

    def flush() -> None:
        if chunk:
            _check(
                block,
                subprocess.run(
                    ["bash", "-e", "-o", "pipefail", "-c", "\n".join(chunk)],
                    cwd=cwd,
                    env=environment(),
                    capture_output=True,
                    text=True,
                    timeout=600,
                ),
            )
            chunk.clear()

    for cmd in commands(block.text):
        if _SERVER.match(cmd):
            flush()
            if servers:
                serve_and_probe(block, cmd, cwd)
        elif cmd.startswith("make "):
            flush()
            _check(
                block,
                subprocess.run(
                    ["make", "-n", *shlex.split(cmd, comments=True)[1:]],
                    cwd=REPO,
                    env=environment(),
                    capture_output=True,
                    text=True,
                    timeout=60,
                ),
            )
        else:
            chunk.append(cmd)
    flush()


def serve_and_probe(block: Block, cmd: str, cwd: Path, timeout: float = 180.0) -> None:
    """Start an ``urbanize viz`` command on a free local port, wait for ``/readyz`` to answer 200, stop it."""
    args = shlex.split(cmd, comments=True)
    for flag in ("--port", "--host"):  # a free local port, whatever the example says
        if flag in args:
            k = args.index(flag)
            del args[k : k + 2]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args += ["--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        args,
        cwd=cwd,
        env=environment(),
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            assert proc.poll() is None, (
                f"{block.where}: '{cmd}' exited early:\n{proc.stdout.read() if proc.stdout else ''}"
            )
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            assert time.monotonic() < deadline, f"{block.where}: '{cmd}' not ready after {timeout:.0f} s"
            time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


_DRIVER = r"""
import json, sys, traceback
namespace = {"__name__": "__main__"}
for line in sys.stdin:
    job = json.loads(line)
    try:
        exec(compile(job["code"], job["where"], "exec"), namespace)
        status = "ok"
    except BaseException:
        status = traceback.format_exc()
    sys.stdout.flush()
    sys.__stderr__.write("\0" + json.dumps(status) + "\n")
    sys.__stderr__.flush()
"""


class PythonSession:
    """One Python process that runs the blocks of a file in order, in one namespace."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _DRIVER],
            cwd=cwd,
            env=environment(),
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def run(self, block: Block) -> None:
        assert self.proc.stdin is not None and self.proc.stderr is not None
        self.proc.stdin.write(json.dumps({"code": block.text, "where": block.where}) + "\n")
        self.proc.stdin.flush()
        log = []
        for line in self.proc.stderr:
            if line.startswith("\0"):
                status = json.loads(line[1:])
                assert status == "ok", (
                    f"{block.where}: the python block fails:\n{status}\n{''.join(log)[-3000:]}"
                )
                return
            log.append(line)
        raise AssertionError(f"{block.where}: python exited:\n{''.join(log)[-3000:]}")

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


def _check(block: Block, done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, (
        f"{block.where}: the {block.lang} block fails (exit {done.returncode}):\n"
        f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    )
