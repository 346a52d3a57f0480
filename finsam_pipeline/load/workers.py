"""Running one function per file in worker processes, each file under a time limit.

A PDF that makes a parser spin must not stall the batch: when a file overruns, its
worker pool is terminated, the file is reported as timed out, and the files not yet
finished are given to a fresh pool. Workers are spawned (not forked) because Polars
and DuckDB hold threads that do not survive a fork.

Work whose length is known to be legitimate buys more time for its file: a worker calls
`extend_deadline(seconds)` (OCR does, once per page it reads with Tesseract), and the parent
waits that much longer for the file before calling it stuck. A text PDF that makes a parser
spin still overruns the plain limit; a long scan does not.

Results stream back in the items' order while later items are still being worked on,
and only a few items per worker are handed out ahead, so a caller that writes results
away as they come holds a bounded number of them however long the list.

Cores are shared, never added: the pool holds one token per worker the caller asked for
(a semaphore all its processes share), and a worker holds one while it works on an item.
Work inside an item that can run beside itself (OCR reads a scan's pages in parallel) asks
`spare_core()` for another token: it gets one only while a worker has no item (the batch's
last files, or a batch smaller than the pool), holds it for one piece of work (one page)
and gives it back, so a worker handed a new item waits at most that long for its own core.
A batch of text files keeps every worker busy and no item borrows; one scanned report in a
pool of two reads two pages at a time. Outside a pool, the process has `default_workers()`
tokens to itself.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

Item = TypeVar("Item")
Result = TypeVar("Result")

DEFAULT_TIMEOUT_S = 120.0
AHEAD_PER_WORKER = 4  # items handed to the pool ahead of the one being waited for, per worker


@dataclass(frozen=True)
class TimedOut(Generic[Item]):
    item: Item
    seconds: float


# In a worker process: where extensions of the current item's deadline go, which item it is working on, and
# the pool's cores (one token per worker; see the module's docstring).
_extensions: Queue | None = None
_current_item: int | None = None
_cores = None
_core_count = 1
_local_cores: threading.BoundedSemaphore | None = None  # outside a pool: this process's own spare cores
SPARE_CORE_PAUSE_S = 0.05  # after giving a borrowed core back, so a worker waiting for its own gets it first


def _install(extensions, cores, count: int) -> None:
    global _extensions, _cores, _core_count
    _extensions, _cores, _core_count = extensions, cores, count


def _run_item(function: Callable[[Item], Result], index: int, item: Item) -> Result:
    global _current_item
    _current_item = index
    if _cores is not None:
        _cores.acquire()  # its own core: waits only while another worker's page holds it
    try:
        return function(item)
    finally:
        if _cores is not None:
            _cores.release()
        _current_item = None


@contextmanager
def spare_core(wait_s: float = 0.2) -> Iterator[bool]:
    """A core no other item is working on, held for the block: yields True if one came free within `wait_s`,
    else False (the block then runs without one and should do no work). In a pool, the cores are the pool's
    workers; outside one, this process's `default_workers()` less the one it runs on."""
    cores = _cores if _cores is not None else _process_cores()
    got = cores.acquire(timeout=wait_s)
    try:
        yield got
    finally:
        if got:
            cores.release()
            time.sleep(SPARE_CORE_PAUSE_S)


def core_count() -> int:
    """How many cores this process's work may use at once, its own included: the pool's workers, or
    `default_workers()` outside a pool."""
    return _core_count if _cores is not None else default_workers()


def _process_cores() -> threading.BoundedSemaphore:
    global _local_cores
    if _local_cores is None:
        _local_cores = threading.BoundedSemaphore(max(1, default_workers() - 1))
    return _local_cores


def extend_deadline(seconds: float) -> None:
    """Give the file this worker is on `seconds` more before it counts as stuck; a no-op outside a worker."""
    if _extensions is not None and _current_item is not None:
        _extensions.put((_current_item, seconds))


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def imap_with_deadline(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    workers: int,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    ahead: int = 0,
) -> Iterator[Result | TimedOut[Item]]:
    """`function(item)` for every item, yielded in order as each is done; an item over `timeout_s`
    yields `TimedOut`. At most `ahead` items (and at least `AHEAD_PER_WORKER` per worker) are handed
    out beyond the one being waited for: enough to keep the workers busy while the caller writes a
    chunk away, few enough that memory does not grow with the number of items."""
    if not items:
        return
    context = multiprocessing.get_context("spawn")
    window = max(ahead, max(1, workers) * AHEAD_PER_WORKER)
    extensions = context.Queue()
    extra: dict[int, float] = {}  # seconds each item was given on top of the limit
    handles: dict[int, AsyncResult] = {}
    finished: dict[int, Result] = {}  # done early by a pool that was then terminated
    in_flight: deque[int] = deque()
    next_index = 0
    pool = None
    try:
        while in_flight or next_index < len(items):
            if pool is None:
                cores = context.BoundedSemaphore(max(1, workers))  # fresh: a terminated worker may have held one
                with _workers_stoppable():
                    pool = context.Pool(
                        processes=max(1, min(workers, len(items) - next_index + len(in_flight))),
                        initializer=_install,
                        initargs=(extensions, cores, max(1, workers)),
                    )
                for index in in_flight:  # what a terminated pool left unfinished starts again
                    if index not in finished:
                        extra.pop(index, None)
                        handles[index] = pool.apply_async(_run_item, (function, index, items[index]))
            while len(in_flight) < window and next_index < len(items):
                handles[next_index] = pool.apply_async(_run_item, (function, next_index, items[next_index]))
                in_flight.append(next_index)
                next_index += 1
            index = in_flight.popleft()
            if index in finished:
                yield finished.pop(index)
                continue
            try:
                result = _wait(handles.pop(index), index, timeout_s, extensions, extra)
            except multiprocessing.TimeoutError:
                for other in in_flight:  # keep what already finished; the rest start again
                    if other not in finished and handles[other].ready():
                        finished[other] = handles.pop(other).get()
                pool.terminate()
                pool.join()
                pool = None
                yield TimedOut(items[index], timeout_s)
                continue
            yield result
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


@contextmanager
def _workers_stoppable() -> Iterator[None]:
    """SIGTERM at its default while the pool's workers are spawned. A worker inherits its parent's ignored
    signals, and a host may leave SIGTERM ignored (a process Dagster ran a job in can be left so): such a
    worker would outlive `Pool.terminate`, and a file over its time limit would stall the batch forever."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _wait(handle: AsyncResult, index: int, timeout_s: float, extensions, extra: dict[int, float]):
    """The item's result, waiting `timeout_s` plus whatever extensions its worker announced meanwhile."""
    started = time.monotonic()
    while True:
        remaining = started + timeout_s + extra.get(index, 0.0) - time.monotonic()
        try:
            return handle.get(timeout=max(0.0, remaining))
        except multiprocessing.TimeoutError:
            granted = False
            while True:
                try:
                    item, seconds = extensions.get_nowait()
                except queue.Empty:
                    break
                extra[item] = extra.get(item, 0.0) + seconds
                granted = granted or item == index
            if not granted:
                raise


def map_with_deadline(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    workers: int,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    on_result: Callable[[int], None] | None = None,
) -> list[Result | TimedOut[Item]]:
    """`function(item)` for every item, in order; an item over `timeout_s` yields `TimedOut`."""
    results: list[Result | TimedOut[Item]] = []
    for result in imap_with_deadline(function, items, workers, timeout_s):
        results.append(result)
        if on_result is not None:
            on_result(len(results))
    return results
