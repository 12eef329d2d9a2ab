"""Many inputs linted on every core: forked worker processes, results in input order.

Linting is CPU-bound Python, so threads would take turns on one core; worker processes do
not. They are forked once everything is imported, so each starts warm and nothing but the
inputs and their reports crosses between processes. A run forks only when it pays: enough
inputs for every worker, and nothing that must happen in order or in the parent (see
:func:`worker_count`). Workers ignore SIGINT: Ctrl-C reaches the whole process group, and the
parent alone reports it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many inputs per worker, forking and passing reports back costs more than it saves
# (about 1 ms of work per Dockerfile; a fork and its first reports, a few ms).
MIN_INPUTS_PER_WORKER = 16

_work: Callable[[Any], Any] | None = None


def usable_cores() -> int:
    return len(os.sched_getaffinity(0))  # workers are Linux only (forking_is_safe)


def worker_count(jobs: int, inputs: int) -> int:
    """Workers for ``inputs`` inputs: ``jobs`` (0: one per usable core), fewer when there are
    not :data:`MIN_INPUTS_PER_WORKER` inputs for each. 1 means: lint in this process."""
    wanted = jobs if jobs > 0 else usable_cores()
    return max(1, min(wanted, inputs // MIN_INPUTS_PER_WORKER))


def forking_is_safe() -> bool:
    """Linux, and no other thread runs: a fork copies only the calling thread, so a lock
    another thread held would stay locked in the workers (a library caller's threads, the
    Docker client's). Windows cannot fork; macOS's system libraries do not allow a fork that
    is not followed by exec."""
    if sys.platform != "linux":
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def _run(item: Any) -> bytes:
    import pickle

    assert _work is not None  # set before the fork
    # pickled here, unpickled by the caller: a result that cannot be rebuilt then raises in
    # the main thread, where the pool's result thread would die and leave the caller waiting
    return pickle.dumps(_work(item), pickle.HIGHEST_PROTOCOL)


def _ignore_interrupts() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def ordered_map(
    work: Callable[[Item], Result], items: Sequence[Item], workers: int
) -> Iterator[Result]:
    """``work(item)`` for each item, in ``workers`` forked processes, yielded in order."""
    global _work
    import multiprocessing  # with pickle: only a run that forks pays for importing them
    import pickle

    _work = work  # the forked workers inherit it
    # several chunks per worker: a folder of long entrypoint scripts does not hold one back
    chunk = max(1, len(items) // (workers * 8))
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(workers, initializer=_ignore_interrupts) as pool:
            for pickled in pool.imap(_run, items, chunksize=chunk):
                yield pickle.loads(pickled)
    finally:
        _work = None
