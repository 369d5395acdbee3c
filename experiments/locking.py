"""One writer per output folder: an exclusive lock file holding the writer's PID and host.

``DIR/.urbanize.lock`` is created atomically (written under a temporary name, then hard-linked into place, which
fails if the lock exists), so two processes can never both believe they hold it. It records the holder's PID,
host, the start time of that process (from ``/proc``, so a PID reused by another program is not mistaken for
the holder) and the command. On exit the holder removes it; a holder killed with ``kill -9`` leaves it behind, and
the next writer on the same host sees that the PID is gone (or belongs to a newer process) and takes the lock
over, saying so. A lock held by a live process, or by a process on another host (whose liveness cannot be
checked from here), is a one-line error naming the holder.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from urbanize.model.errors import UrbanizeError

LOCK = ".urbanize.lock"


class LockedError(UrbanizeError):
    """Another process writes into the folder."""


def _start_time(pid: int) -> str | None:
    """The start time of process ``pid`` in clock ticks since boot (Linux), or None when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces and parentheses: split after its closing parenthesis
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def pid_alive(pid: int, started: str | None = None) -> bool:
    """Whether process ``pid`` exists on this host (and, when given, started at ``started``)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    if started is not None:
        now = _start_time(pid)
        if now is not None and now != started:
            return False  # the PID was reused by a newer process
    return True


class FolderLock:
    """The exclusive lock of one output folder; use as a context manager.

    Args:
        folder: the output folder (must exist).
        command: what the holder does, for the error message of a second writer.
    """

    def __init__(self, folder: Path, command: str = "") -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK
        self.command = command or " ".join(["urbanize", *sys.argv[1:2]])
        self.took_over: dict[str, Any] | None = None
        self._record: dict[str, Any] | None = None

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()

    def acquire(self) -> None:
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": _start_time(os.getpid()),
            "command": self.command,
            "since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        tmp = self.folder / f".urbanize.lock.tmp-{os.getpid()}"
        try:
            tmp.write_text(json.dumps(record))
        except OSError as exc:
            raise LockedError(f"cannot write into '{self.folder}': {exc.strerror}; choose another --out") from None
        try:
            for _ in range(3):
                try:
                    os.link(tmp, self.path)
                except FileExistsError:
                    holder = self._holder()
                    if holder is not None and self._is_live(holder):
                        raise LockedError(self._busy_message(holder)) from None
                    self._set_aside_stale(holder)
                    continue
                self._record = record
                return
            raise LockedError(f"could not take the lock of '{self.folder}' (it keeps changing); try again")
        finally:
            tmp.unlink(missing_ok=True)

    def release(self) -> None:
        if self._record is None:
            return
        holder = self._holder()
        if holder is not None and holder.get("pid") == self._record["pid"] and holder.get(
            "host"
        ) == self._record["host"]:
            self.path.unlink(missing_ok=True)
        self._record = None

    # --- helpers --------------------------------------------------------------------------------------------
    def _holder(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}  # vanished between the link and the read: try again
        except (OSError, ValueError):
            return None  # unreadable (cannot happen with link-creation; a hand-made file): treat as stale
        return data if isinstance(data, dict) else None

    @staticmethod
    def _is_live(holder: dict[str, Any]) -> bool:
        if not holder:
            return False
        if holder.get("host") != socket.gethostname():
            return True  # cannot check another host: assume it is alive
        pid = holder.get("pid")
        return isinstance(pid, int) and pid_alive(pid, holder.get("started"))

    def _busy_message(self, holder: dict[str, Any]) -> str:
        where = f"process {holder.get('pid')} on {holder.get('host')}"
        what = holder.get("command") or "another urbanize command"
        if holder.get("host") != socket.gethostname():
            return (
                f"'{self.folder}' is being written by {where} ('{what}', since {holder.get('since')}); wait for it "
                f"or, if that process is gone, delete {self.path}"
            )
        return (
            f"'{self.folder}' is being written by {where} ('{what}', since {holder.get('since')}); wait for it "
            "to finish or use another --out"
        )

    def _set_aside_stale(self, holder: dict[str, Any] | None) -> None:
        if holder == {}:
            return
        self.took_over = holder or {"pid": "unknown"}
        stale = self.folder / f".urbanize.lock.stale-{os.getpid()}"
        try:
            os.replace(self.path, stale)  # atomic: only one taker moves a given stale lock
        except FileNotFoundError:
            return
        try:
            moved = json.loads(stale.read_text())
        except (OSError, ValueError):
            moved = None
        if holder is not None and moved != holder:
            # another writer took the stale lock over between our read and our move: put its lock back
            try:
                os.link(stale, self.path)
            except FileExistsError:
                pass
            stale.unlink(missing_ok=True)
            return
        stale.unlink(missing_ok=True)
        print(
            f"note: took over the lock of '{self.folder}' left by process {self.took_over.get('pid')} "
            f"on {self.took_over.get('host', 'this host')}, which is gone",
            file=sys.stderr,
        )
