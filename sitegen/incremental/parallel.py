"""Work spread over all cores in forked processes: conversions, hints, rendering.

Forked, not spawned: a worker starts with everything the build has modelled so far (the site, the
templates), so a task is only an index and a result only the bytes it made. That is also why a pool is
started only for enough work (`minimum`): starting one costs tens of milliseconds, which the small
real site would otherwise pay on every build.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

RENDER_MINIMUM = 96  # rendering takes ~0.5 ms a page: below this a pool costs more than it saves

# What the workers of fork_map run: set just before the pool forks, so they find it in their own memory.
_job: tuple[Callable, list] | None = None


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


def pool(workers: int, initializer: Callable | None = None, initargs: tuple | None = None) -> ProcessPoolExecutor:
    """A pool of forked workers that end with the build. initializer(*initargs) must call die_with_parent
    with the build's process id (the default initializer does just that)."""
    if initializer is None:
        initializer, initargs = die_with_parent, (os.getpid(),)
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=initializer, initargs=initargs or ())


def chunks(items: list, count: int) -> list[list]:
    size = max(1, -(-len(items) // count))
    return [items[i:i + size] for i in range(0, len(items), size)]


def fork_map(function: Callable[[T], R], items: list[T], workers: int, minimum: int = RENDER_MINIMUM) -> list[R]:
    """[function(item) for item in items], in `workers` forked processes when there are at least
    `minimum` items. function may be any callable (a closure too): the workers inherit it by the fork.
    Its results travel back pickled. An item that fails in a worker is done again here, so that its
    error is raised as it is (say a template error, with the editor's file and line), not as whatever
    survives the trip between processes."""
    global _job
    if workers <= 1 or len(items) < minimum or _job is not None:  # not from inside a worker either
        return [function(item) for item in items]
    _job = (function, items)
    try:
        with pool(workers) as executor:
            bounds = [(part[0], part[-1] + 1) for part in chunks(range(len(items)), workers * 4)]
            done = [result for part in executor.map(_run, bounds) for result in part]
    finally:
        _job = None
    return [result if result is not _FAILED else function(item) for item, result in zip(items, done)]


class _Failed:
    def __reduce__(self):
        return "_FAILED"  # the module's one instance, also after the trip back


_FAILED = _Failed()


def _run(bounds: tuple[int, int]) -> list:
    function, items = _job
    results = []
    for index in range(*bounds):
        try:
            results.append(function(items[index]))
        except Exception:
            results.append(_FAILED)
    return results
