"""Give a closed browser session's memory back to the operating system.

When Solara closes a session (a closed tab at once, a lost connection after the cull delay) its models become
garbage, but the freed memory stays in the process: the server's resident memory stays near its peak (issue 13:
487 MB after 8 closed tabs). Two things keep it, and the app handles both:

- **Python's small-object allocator** (pymalloc) carves objects out of 1 MiB arenas and returns an arena to the
  system only when every object in it is gone. A session's objects share arenas with objects that outlive it
  (caches filled while it ran, the next session's objects), so after 8 sessions closed most of their arenas
  stayed: 61 more arenas than after one session, 52 MB of them empty pools, with the same 101 MB of live
  objects (measured with ``sys._debugmallocstats``). The server therefore runs with ``PYTHONMALLOC=malloc``
  (``viz/server.py``): objects come from glibc's heap, whose free pages ``malloc_trim`` can return. For the same
  reason it runs with ``ARROW_DEFAULT_MEMORY_POOL=system`` (pandas' strings are Arrow buffers, whose default
  mimalloc pool keeps freed pages) and one malloc arena (``MALLOC_ARENA_MAX=1``).
- **glibc's heap** keeps freed pages for reuse; ``malloc_trim(0)`` returns every free page. It must run after
  the session is torn down: Solara calls a session's close callbacks at the start of its close, before the
  session's render tree and widgets are released, so a trim timed from the callback ran while the models were
  still alive (measured: a trim 2 s after the callbacks returned 26 MB of a session burst's 130 MB, one 4 s
  later the rest). :func:`release_on_session_close` therefore waits for the session's ``closed_event`` (set
  when its close has finished), then :data:`TRIM_DELAY` seconds more, then collects garbage and trims.

Closes in a burst (8 tabs at once) are released together, once, after the last of them, and the server prints
one line (:data:`RELEASE_LINE`) with its resident memory before and after. Measured: 276 MB after one session,
422 MB with 8 open, 301 MB after they closed (+9 %; +26 % before, see docs/app.md). ``malloc_trim`` is a no-op
where there is no glibc (macOS, musl).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
import threading
import time

#: Seconds after a session's close has finished before trimming: after Solara's own deferred collection (1 s)
#: has run, and long enough that the other closes of a burst join the same release.
TRIM_DELAY = 2.0
#: Longest wait for a session's close to finish (a close that fails never sets its event; trim anyway).
CLOSE_TIMEOUT = 60.0

_lock = threading.Lock()
_due = 0.0  # when the pending release runs (monotonic seconds), unless a close is still being waited for
_closing: list[threading.Event] = []  # events of sessions whose close has begun and may not have finished
_running = False
_open = 0  # live-page sessions started and not yet closed
#: Start of the line the server prints after each release (the reliability test waits for it).
RELEASE_LINE = "urbanize: memory of closed sessions released"


def _rss_mb() -> float | None:
    """The process's resident memory in MB (Linux; None elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    import resource

    return pages * resource.getpagesize() / 2**20


def _libc_trim() -> bool:
    """``malloc_trim(0)`` of glibc; False where there is no glibc (macOS, musl)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.malloc_trim(0))
    except (OSError, AttributeError):
        return False


def release_soon(delay: float = TRIM_DELAY, closed: threading.Event | None = None) -> None:
    """Collect garbage and trim the heap in a background thread, ``delay`` seconds after the last of a burst
    of calls and after every ``closed`` event given so far is set (or :data:`CLOSE_TIMEOUT` has passed).

    A call while a release is pending postpones it: eight tabs closing at once are released together.
    """
    global _due, _running
    with _lock:
        _due = max(_due, time.monotonic() + delay)
        if closed is not None:
            _closing.append(closed)
        if _running:
            return
        _running = True

    def work() -> None:
        global _due, _running
        while True:
            with _lock:
                events = list(_closing)
                _closing.clear()
                wait = _due - time.monotonic()
                if not events and wait <= 0:
                    _running = False
                    _due = 0.0
                    still_open = _open  # a close after this starts its own release
                    break
            if events:
                for event in events:
                    event.wait(CLOSE_TIMEOUT)
                with _lock:  # the delay counts from the end of the last close
                    _due = max(_due, time.monotonic() + delay)
            else:
                time.sleep(wait)
        before = _rss_mb()
        gc.collect()
        _libc_trim()
        after = _rss_mb()
        sizes = f"resident {before:.0f} -> {after:.0f} MB" if before is not None and after is not None else ""
        print(f"{RELEASE_LINE} ({sizes}; {still_open} live-page sessions open)", file=sys.stderr, flush=True)

    thread = threading.Thread(target=work, daemon=True, name="urbanize-release-memory")
    thread.current_context = None  # type: ignore[attr-defined]  # solara patches Thread: no session context
    thread.start()


def release_on_session_close() -> None:
    """Release the current browser session's memory once it has closed (:func:`release_soon`, waiting for the
    session's close to finish). Outside a Solara server, e.g. in tests rendering a page in-process, there is no
    session and nothing is registered."""
    global _open
    try:
        from solara.server import kernel_context

        context = kernel_context.get_current_context()
    except Exception:  # no session
        return
    closed = context.closed_event  # only the event: a callback holding the context would keep it alive
    with _lock:
        _open += 1

    def on_close() -> None:
        global _open
        with _lock:
            _open -= 1
        release_soon(closed=closed)

    context.on_close(on_close)
