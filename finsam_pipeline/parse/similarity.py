"""Cheap upper bounds of difflib's similarity ratio, so that a search over a vocabulary skips the pairs
that cannot reach its threshold before paying for `SequenceMatcher.ratio()`.

`SequenceMatcher(None, a, b).ratio()` is never above the share of letters the two strings have in common
(difflib's `quick_ratio`), which is never above what their lengths allow (`real_quick_ratio`). Both bounds are
computed here from the letters of each string, kept once per string, instead of by a new matcher per pair.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache


@lru_cache(maxsize=4096)  # a set of tuples is large: a Vocabulary keeps its own strings' sets
def _numbered_letters(text: str) -> frozenset[tuple[str, int]]:
    """Each letter with its occurrence number (`aab` -> a1, a2, b1): two such sets share as many members as the
    strings share letters, counted with repeats."""
    seen: dict[str, int] = {}
    numbered = []
    for letter in text:
        seen[letter] = seen.get(letter, 0) + 1
        numbered.append((letter, seen[letter]))
    return frozenset(numbered)


def length_bound(a: str, b: str) -> float:
    """The highest ratio two strings of these lengths can have (difflib's `real_quick_ratio`)."""
    return _length_ratio(len(a), len(b))


def _length_ratio(a: int, b: int) -> float:
    return _ratio(min(a, b), a + b)


def _ratio(matches: int, total: int) -> float:
    """difflib's ratio of `matches` common letters in two strings of `total` letters together."""
    return 2.0 * matches / total if total else 1.0


def letters_bound(a: str, b: str) -> float:
    """The highest ratio two strings with these letters can have (difflib's `quick_ratio`)."""
    return _ratio(len(_numbered_letters(a) & _numbered_letters(b)), len(a) + len(b))


def may_reach(a: str, b: str, floor: float) -> bool:
    """False where `SequenceMatcher(None, a, b).ratio()` is surely below `floor`; True where it may reach it."""
    return length_bound(a, b) >= floor and letters_bound(a, b) >= floor


def reaches(a: str, b: str, floor: float, autojunk: bool = True) -> bool:
    """Whether `SequenceMatcher(None, a, b, autojunk=autojunk).ratio()` is at least `floor`, computed only where
    the bounds (`may_reach`) allow it."""
    return may_reach(a, b, floor) and SequenceMatcher(None, a, b, autojunk=autojunk).ratio() >= floor


class Vocabulary:
    """Known strings to compare a key with, grouped by length: a search looks only at the strings whose length
    allows its threshold, and of those only at the ones whose letters allow it."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(words)
        by_length: dict[int, list[int]] = {}
        for position, word in enumerate(self.words):
            by_length.setdefault(len(word), []).append(position)
        self._by_length = {length: tuple(positions) for length, positions in by_length.items()}
        self._letters = tuple(_numbered_letters(word) for word in self.words)

    def within_reach(self, key: str, floor: float) -> list[str]:
        """The known strings whose ratio with `key` may reach `floor`, in their order."""
        positions = [
            position
            for length, positions in self._by_length.items()
            if _length_ratio(len(key), length) >= floor
            for position in positions
        ]
        positions.sort()
        letters = _numbered_letters(key)
        return [
            self.words[p]
            for p in positions
            if _ratio(len(letters & self._letters[p]), len(key) + len(self.words[p])) >= floor
        ]
