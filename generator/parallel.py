"""Use every CPU: run work in forked processes that inherit the data instead of receiving it.

A forked process starts with a copy of this one's memory, so the papers, the plan and its
render functions reach it for free, where pickling them would cost as much as the work. Only
results travel back, pickled. Where fork is not available, or there is one CPU, everything runs
in this process, in the same order, with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
_MAX_WORKERS = 8
_inherited: Callable[..., Any] | None = None  # the task a forked worker runs (set before forking)


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
        pool = multiprocessing.get_context("fork").Pool(processes)
    finally:
        _inherited = None
    with pool:
        yield pool


def _run_inherited(*args: Any) -> Any:
    if _inherited is None:
        raise RuntimeError("no task was set before the worker was forked")
    return _inherited(*args)
