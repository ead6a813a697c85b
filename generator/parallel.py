"""Use every CPU: run work in forked processes that inherit the data instead of receiving it.

A forked process starts with a copy of this one's memory, so the papers, the plan and its
render functions reach it for free, where pickling them would cost as much as the work. Only
results travel back, pickled. Where fork is not available, or there is one CPU, everything runs
in this process, in the same order, with the same results.

A worker ends with the process that forked it, even one killed outright (`kill -9` skips the
pool's own clean-up): on Linux the kernel kills it (`PR_SET_PDEATHSIG`), elsewhere a thread in
the worker notices its parent is gone. So no worker of a killed run writes on into a `docs/`
that the next run is writing.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
_MAX_WORKERS = 8
_inherited: Callable[..., Any] | None = None  # the task a forked worker runs (set before forking)
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_PARENT_CHECK_SECONDS = 0.2


def cpu_count() -> int:
    """CPUs this process may run on (a CI runner's share, not the host's), at most 8."""
    if hasattr(os, "sched_getaffinity"):  # Linux
        return min(len(os.sched_getaffinity(0)), _MAX_WORKERS)
    return min(os.cpu_count() or 1, _MAX_WORKERS)


def can_fork() -> bool:
    """Whether worker processes can be forked (Linux and macOS; not Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def in_background(task: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """Start `task` in a forked process; inside the block, call the yielded function to wait
    for its result. With one CPU (or no fork) the task runs when its result is asked for."""
    if cpu_count() < 2 or not can_fork():
        yield task
        return
    with _forked_pool(task, 1) as pool:
        pending = pool.apply_async(_run_inherited)
        yield pending.get


def map_shards(task: Callable[[Sequence[T]], list[R]], items: Sequence[T], workers: int) -> list[R]:
    """`task` over `items` split into `workers` interleaved shards, one per process (this one
    takes the first); the shards' results joined. Same result as `task(items)`, in another
    order."""
    if workers < 2 or not can_fork():
        return task(items)
    shards = [items[index::workers] for index in range(workers)]
    with _forked_pool(task, workers - 1) as pool:
        pending = [pool.apply_async(_run_inherited, (shard,)) for shard in shards[1:]]
        results = task(shards[0])
        for result in pending:
            results += result.get()
    return results


@contextmanager
def _forked_pool(task: Callable[..., Any], processes: int) -> Iterator[Any]:
    """A pool of `processes` forked workers that inherit `task`."""
    global _inherited  # noqa: PLW0603 - how a forked worker receives its task without pickling
    _inherited = task
    try:
        pool = multiprocessing.get_context("fork").Pool(
            processes, initializer=_die_with_parent, initargs=(os.getpid(),)
        )
    finally:
        _inherited = None
    with pool:
        yield pool


def _run_inherited(*args: Any) -> Any:
    if _inherited is None:
        raise RuntimeError("no task was set before the worker was forked")
    return _inherited(*args)


def _die_with_parent(parent: int) -> None:
    """Run first in each worker: arrange for it to end when the process `parent` ends."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        threading.Thread(target=_end_when_orphaned, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the worker got this far
        os._exit(1)


def _end_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(1)
