"""Cheap upper bounds of difflib's similarity ratio, so that a search over a vocabulary skips the pairs
that cannot reach its threshold before paying for `SequenceMatcher.ratio()`.

`SequenceMatcher(None, a, b).ratio()` is never above the share of letters the two strings have in common
(difflib's `quick_ratio`), which is never above what their lengths allow (`real_quick_ratio`). Both bounds are
computed here from letter counts kept once per string, instead of by a new matcher per pair.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache


@lru_cache(maxsize=100_000)
def _letter_counts(text: str) -> Counter[str]:
    return Counter(text)


def length_bound(a: str, b: str) -> float:
    """The highest ratio two strings of these lengths can have (difflib's `real_quick_ratio`)."""
    total = len(a) + len(b)
    return 2.0 * min(len(a), len(b)) / total if total else 1.0


def letters_bound(a: str, b: str) -> float:
    """The highest ratio two strings with these letters can have (difflib's `quick_ratio`)."""
    total = len(a) + len(b)
    if not total:
        return 1.0
    counts_b = _letter_counts(b)
    common = sum(min(n, counts_b[letter]) for letter, n in _letter_counts(a).items() if letter in counts_b)
    return 2.0 * common / total


def may_reach(a: str, b: str, floor: float) -> bool:
    """False where `SequenceMatcher(None, a, b).ratio()` is surely below `floor`; True where it may reach it."""
    return length_bound(a, b) >= floor and letters_bound(a, b) >= floor
