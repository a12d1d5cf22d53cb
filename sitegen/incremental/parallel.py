"""Work spread over all cores in forked processes: conversions, hints, rendering.

Forked, not spawned: a worker starts with everything the build has modelled so far (the site, the
templates), so a task is only an index and a result only the bytes it made. That is also why a pool is
started only for enough work (`minimum`): starting one costs tens of milliseconds, which the small
real site would otherwise pay on every build.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
from typing import Callable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

RENDER_MINIMUM = 96  # rendering takes ~0.5 ms a page: below this a pool costs more than it saves
WRITE_MINIMUM = 1000  # files: below this, starting a pool costs about what writing in two processes saves


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def die_with_parent(parent: int | None = None) -> None:
    """Ask Linux to end this worker when the build that forked it ends, also when that build was killed:
    otherwise an interrupted build leaves its workers waiting for work for ever.

    parent: the build's process id, taken before the fork. A build killed between the fork and this call
    would not send the signal (it is asked for too late): the worker then finds it has another parent
    already, and ends itself."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the worker ends with its pool as usual
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def fork_map(function: Callable[[T], R], items: list[T], workers: int, minimum: int = RENDER_MINIMUM) -> list[R]:
    """[function(item) for item in items], in `workers` forked processes when there are at least
    `minimum` items. function may be any callable (a closure too): the workers inherit it by the fork,
    so nothing is kept in a module between a pool and its tasks. Worker w does items w, w + workers, ...
    and sends its results back pickled through a pipe. An item that fails in a worker is done again
    here, so that its error is raised as it is (say a template error, with the editor's file and line),
    not as whatever survives the trip between processes."""
    if workers <= 1 or len(items) < minimum:
        return [function(item) for item in items]
    count = min(workers, len(items))
    parent = os.getpid()
    children: list[tuple[int, int]] = []
    try:
        for worker in range(count):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                os.close(read)
                _work(parent, function, items[worker::count], write)
            os.close(write)
            children.append((pid, read))
        parts = _collect(children)
    except BaseException:
        # Interrupted (Ctrl-C sent to the build alone: a `kill -INT`, a CI runner cancelling the job): the
        # results will not be read, and a worker blocked writing them would be waited for for ever.
        for pid, _ in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        raise
    finally:
        for pid, _ in children:
            os.waitpid(pid, 0)
    done: list = [_FAILED] * len(items)
    for worker, part in enumerate(parts):
        if part is not None and len(part) == len(items[worker::count]):
            done[worker::count] = part
    return [result if result is not _FAILED else function(item) for item, result in zip(items, done)]


def _work(parent: int, function: Callable, items: list, write: int) -> None:
    """In a worker: function of each item (a failed one as _FAILED), pickled down the pipe; then exit."""
    code = 0
    try:
        die_with_parent(parent)
        results = []
        for item in items:
            try:
                results.append(function(item))
            except Exception:
                results.append(_FAILED)
        data = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # nothing sent: the parent does this worker's items itself
        code = 1
    finally:
        os._exit(code)


def _collect(children: list[tuple[int, int]]) -> list:
    """What each worker sent (None for one that sent nothing readable), read from all pipes at once so
    that no worker waits on a full pipe."""
    buffers = {read: bytearray() for _, read in children}
    open_pipes = set(buffers)
    try:
        with selectors.DefaultSelector() as selector:
            for read in buffers:
                selector.register(read, selectors.EVENT_READ)
            while open_pipes:
                for key, _ in selector.select():
                    chunk = os.read(key.fd, 1 << 20)
                    if chunk:
                        buffers[key.fd] += chunk
                    else:
                        selector.unregister(key.fd)
                        open_pipes.discard(key.fd)
                        os.close(key.fd)
    finally:
        for read in open_pipes:  # interrupted: no pipe left open in a build that goes on (the dev server)
            os.close(read)
    parts = []
    for _, read in children:
        try:
            parts.append(pickle.loads(bytes(buffers[read])) if buffers[read] else None)
        except Exception:
            parts.append(None)
    return parts


class _Failed:
    def __reduce__(self):
        return "_FAILED"  # the module's one instance, also after the trip back


_FAILED = _Failed()
