"""Worker processes with a per-file time limit that legitimately long work (OCR) can extend.

Slowness is certain by construction: a worker sleeps several times longer than the limit it
is given; an extension is far longer than any machine needs for that sleep.
"""

import time
from pathlib import Path

from finsam_pipeline.load.workers import TimedOut, core_count, extend_deadline, imap_with_deadline, spare_core

LIMIT_S = 0.5
SLEEP_S = 3.0  # six times the limit: over it on any machine
EXTENSION_S = 600.0


def _sleep_then_answer(item: int) -> int:
    time.sleep(SLEEP_S)
    return item * 10


def _extend_then_sleep(item: int) -> int:
    extend_deadline(EXTENSION_S)  # as OCR does before each page it reads
    time.sleep(SLEEP_S)
    return item * 10


def _only_the_second_extends(item: int) -> int:
    if item == 2:
        extend_deadline(EXTENSION_S)
    time.sleep(SLEEP_S)
    return item * 10


def test_a_file_over_the_limit_times_out_without_an_extension():
    (outcome,) = imap_with_deadline(_sleep_then_answer, [1], workers=1, timeout_s=LIMIT_S)
    assert isinstance(outcome, TimedOut) and outcome.item == 1


def test_work_that_extends_its_deadline_finishes_past_the_plain_limit():
    assert list(imap_with_deadline(_extend_then_sleep, [1, 2], workers=2, timeout_s=LIMIT_S)) == [10, 20]


def test_an_extension_counts_only_for_the_file_that_asked_for_it():
    outcomes = list(imap_with_deadline(_only_the_second_extends, [1, 2], workers=2, timeout_s=LIMIT_S))
    assert isinstance(outcomes[0], TimedOut) and outcomes[0].item == 1
    assert outcomes[1] == 20  # started again in a fresh pool, its extension asked for again


def _both_started_then_ask(item: tuple[str, int]) -> bool:
    """Waits until both items are being worked on, asks for a spare core, then waits until both have asked."""
    folder, number = Path(item[0]), item[1]
    (folder / f"started {number}").touch()
    _wait_for(folder, "started")
    with spare_core(wait_s=0.5) as got:
        pass
    (folder / f"asked {number}").touch()
    _wait_for(folder, "asked")
    return got


def _wait_for(folder: Path, stage: str) -> None:
    deadline = time.monotonic() + 60
    while len(list(folder.glob(f"{stage} *"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)


def _ask_for_a_spare_core(wait_s: float) -> tuple[bool, int]:
    with spare_core(wait_s=wait_s) as got:
        return got, core_count()


def test_a_worker_borrows_only_the_core_of_a_worker_without_a_file(tmp_path):
    """Two files in a pool of two: neither may borrow (every core is busy). One file in a pool of two: it
    may borrow the other core, and says so by its core count."""
    busy = list(imap_with_deadline(_both_started_then_ask, [(str(tmp_path), 1), (str(tmp_path), 2)], 2, 120))
    assert busy == [False, False]
    assert list(imap_with_deadline(_ask_for_a_spare_core, [5.0], workers=2, timeout_s=120)) == [(True, 2)]
    assert list(imap_with_deadline(_ask_for_a_spare_core, [0.5], workers=1, timeout_s=120)) == [(False, 1)]


def test_a_file_over_the_limit_times_out_even_where_the_host_ignores_sigterm():
    """Workers inherit their parent's ignored signals (a process Dagster ran a job in may be left ignoring
    SIGTERM): the pool's workers must still stop at the limit, not be waited for forever."""
    import signal

    before = signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        (outcome,) = imap_with_deadline(_sleep_then_answer, [1], workers=1, timeout_s=LIMIT_S)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN  # the host's own disposition is left as it was
    finally:
        signal.signal(signal.SIGTERM, before)
    assert isinstance(outcome, TimedOut) and outcome.item == 1
