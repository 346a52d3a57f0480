"""Running one function per file in worker processes, each file under a time limit.

A PDF that makes a parser spin must not stall the batch: when a file overruns, its
worker pool is terminated, the file is reported as timed out, and the files not yet
finished are given to a fresh pool. Workers are spawned (not forked) because Polars
and DuckDB hold threads that do not survive a fork.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

DEFAULT_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class TimedOut(Generic[Item]):
    item: Item
    seconds: float


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def map_with_deadline(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    workers: int,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    on_result: Callable[[int], None] | None = None,
) -> list[Result | TimedOut[Item]]:
    """`function(item)` for every item, in order; an item over `timeout_s` yields `TimedOut`."""
    results: dict[int, Result | TimedOut[Item]] = {}
    pending = list(range(len(items)))
    context = multiprocessing.get_context("spawn")
    while pending:
        with context.Pool(processes=min(workers, len(pending))) as pool:
            handles = {index: pool.apply_async(function, (items[index],)) for index in pending}
            finished: list[int] = []
            for index in pending:
                try:
                    results[index] = handles[index].get(timeout=timeout_s)
                except multiprocessing.TimeoutError:
                    results[index] = TimedOut(items[index], timeout_s)
                    finished.append(index)
                    for other in pending:  # keep what already finished; the rest start again
                        if other not in results and handles[other].ready():
                            results[other] = handles[other].get()
                            finished.append(other)
                    pool.terminate()
                    break
                finished.append(index)
                if on_result is not None:
                    on_result(len(results))
            pending = [index for index in pending if index not in finished]
    return [results[index] for index in range(len(items))]
