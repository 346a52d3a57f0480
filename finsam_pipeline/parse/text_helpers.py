"""Small text helpers shared by the parsers: OCR-tolerant word comparison."""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

FUZZY_WORD_RATIO = 0.84
MIN_FUZZY_WORD = 7


@lru_cache(maxsize=500_000)
def word_like(a: str, b: str) -> bool:
    """Equal, or (for words long enough to be distinctive) equal but for OCR damage."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 2 or min(len(a), len(b)) < MIN_FUZZY_WORD:
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return (
        matcher.real_quick_ratio() >= FUZZY_WORD_RATIO
        and matcher.quick_ratio() >= FUZZY_WORD_RATIO
        and matcher.ratio() >= FUZZY_WORD_RATIO
    )
