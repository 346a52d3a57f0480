"""Small text helpers shared by the parsers: OCR-tolerant words, whole-word search, the year pattern."""

from __future__ import annotations

import re
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


YEAR = re.compile(
    r"(?<!\d)(?<!(?<!\d)\d[ ,.])(?<!(?<!\d)\d\d[ ,.])(?<!(?<!\d)\d\d\d[ ,.])"  # not after a 1-3 digit group
    r"((?:19|20)\d{2})(?!\d)(?! \d{3}(?!\d))"  # nor before a 3-digit group
)
"""A year as reports print it: four digits, never a grouped amount such as `2 024` or `1 995`."""

_OCR_DIGIT_LETTERS = str.maketrans({"6": "o", "0": "o", "1": "l", "5": "s"})
_MIXED_WORD = re.compile(r"\b(?=\w*[a-z])(?=\w*\d)\w+\b")


def ocr_letters(folded: str) -> str:
    """Digits OCR put for letters inside words (`6vervagande` -> `overvagande`); numbers stay numbers."""
    return _MIXED_WORD.sub(lambda m: m.group().translate(_OCR_DIGIT_LETTERS), folded)


def has_word(folded_text: str, folded_phrase: str) -> bool:
    """The phrase as whole words (`respekt` is not in `respektive`)."""
    return whole_word(folded_phrase).search(folded_text) is not None


@lru_cache(maxsize=10_000)
def whole_word(phrase: str) -> re.Pattern[str]:
    """The pattern of a phrase as whole words, compiled once per phrase (the parsers' phrases are vocabulary)."""
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
