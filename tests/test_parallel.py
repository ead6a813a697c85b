"""Forked workers: the same results as running everything in this process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from generator import parallel
from generator.parallel import in_background, map_shards


def _square_with_pid(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(item * item, os.getpid()) for item in items]


def test_map_shards_gives_every_result_once_from_several_processes() -> None:
    results = map_shards(_square_with_pid, list(range(100)), workers=2)
    assert sorted(value for value, _ in results) == [n * n for n in range(100)]
    assert len({pid for _, pid in results}) == 2
    assert os.getpid() in {pid for _, pid in results}


def test_map_shards_with_one_worker_stays_in_this_process() -> None:
    results = map_shards(_square_with_pid, [1, 2, 3], workers=1)
    assert results == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]


def test_a_worker_sees_data_made_after_import_without_it_being_passed() -> None:
    table = {n: str(n) for n in range(50)}  # reaches the workers by fork, not as an argument

    def lookup(items: Sequence[int]) -> list[str]:
        return [table[item] for item in items]

    assert sorted(map_shards(lookup, list(range(50)), workers=2), key=int) == list(
        map(str, range(50))
    )


def test_in_background_returns_the_result_of_a_task_run_elsewhere() -> None:
    with in_background(os.getpid) as result:
        pid = result()
    assert pid != os.getpid() or parallel.cpu_count() < 2


def test_an_error_in_a_worker_reaches_the_caller() -> None:
    def fail(items: Sequence[int]) -> list[int]:
        raise ValueError(f"bad shard {list(items)[:1]}")

    with pytest.raises(ValueError, match="bad shard"):
        map_shards(fail, [1, 2, 3, 4], workers=2)
    with pytest.raises(ZeroDivisionError), in_background(lambda: 1 // 0) as result:
        result()


def test_without_fork_everything_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert {pid for _, pid in map_shards(_square_with_pid, list(range(10)), 2)} == {os.getpid()}
    with in_background(os.getpid) as result:
        assert result() == os.getpid()


def test_cpu_count_without_affinity_falls_back_to_the_cpu_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert parallel.cpu_count() == 8
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert parallel.cpu_count() == 1


# A parent whose workers never finish: each process prints its pid (in one write, so lines from
# three processes never mix), then waits forever.
_STUCK = """
import os, sys, threading
from generator.parallel import map_shards

def stuck(items):
    os.write(1, b"%d\\n" % os.getpid())
    threading.Event().wait()
    return items

map_shards(stuck, list(range(3)), workers=3)
"""


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped by whoever adopted it, does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads process states from /proc")
def test_workers_end_soon_after_their_parent_is_killed() -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    parent = subprocess.Popen(
        [sys.executable, "-c", _STUCK], stdout=subprocess.PIPE, text=True, env=env
    )
    assert parent.stdout is not None
    try:
        pids = {int(parent.stdout.readline()) for _ in range(3)}
    finally:
        parent.kill()
        parent.wait()
    workers = pids - {parent.pid}
    assert len(workers) == 2
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)  # polling a process table: there is no event to wait on
    survivors = [pid for pid in workers if _alive(pid)]
    for pid in survivors:  # not left behind by a failing run of this test
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
