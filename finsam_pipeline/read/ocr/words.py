"""A word as Tesseract read it, and when a number word is not to be trusted.

Every other module of the package speaks in `Word`s: Tesseract's hOCR is read into them
(`tesseract.py`), two readings of a page are merged as lists of them (`merge.py`), unsure
amounts are read again (`reread.py`) and they are laid out as text (`text.py`). What makes
a number word unsure is decided here, once: a low confidence, or a letter whose box lies
inside its neighbour's (`775` read as `7175`).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

NUMBER_MIN_CONFIDENCE = 60.0  # a number word below this is not trusted (shown as `?`, so its value is left out)
REREAD_MIN_CONFIDENCE = 80.0  # a second reading of an unsure amount counts only this sure, and only if it agrees
UNSURE = "?"  # stands for each digit of an amount OCR could not read for sure

NUMBER_LIKE = re.compile(r"^[-−–(]?\d[\d.,:)%]*$")
NUMBERISH = re.compile(r"^[^\w\s]{0,3}\d[\d.,:)%]*$")  # a number, maybe with noise before it: `<+-447`
BRACKETED_ZERO = re.compile(r"^[\[\](){}|]*0[\[\](){}|]*$")
_SEPARATED_THOUSANDS = re.compile(r"[-−–(]?\d{1,3}(?:[.,]\d{3}){2,}\)?")


def mixed_separators(text: str) -> bool:
    """`4,552.000`: an amount's thousands set off by a comma before a dot, one of them OCR's misread (a comma is
    the decimal mark, and no group follows decimals). Dot thousands before a decimal comma are an amount as printed
    (`4.552,310` in tkr)."""
    return "," in text and text.find(",") < text.rfind(".") and _SEPARATED_THOUSANDS.fullmatch(text) is not None


@dataclass(frozen=True)
class Word:
    """One word as Tesseract read it, in pixels of the rendered page (y grows downwards)."""

    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float  # 0–100
    line: int  # the Tesseract line it stands in
    line_top: int  # that line's box, so every word of a row shares one height
    line_bottom: int
    letters: tuple[tuple[int, int], ...] = ()  # each letter's left and right, where Tesseract gave them


def digits(text: str) -> str:
    """An amount's digits, whatever OCR read around and between them."""
    return "".join(char for char in text if char.isdigit())


def unit(words: Sequence[Word]) -> float:
    """The page's letter width: the median width of a letter over its words."""
    return statistics.median((w.right - w.left) / len(w.text) for w in words)


def phantom_letters(word: Word) -> set[int]:
    """Letters whose box lies mostly inside a wider neighbour's: Tesseract's `1` seen between two `7`s
    (`775` read as `7175`). Only number words are judged; their digits stand apart.

    In a thousands group or a year (three or four digits, `2.600` too), a neighbour box wider than one and a half of the
    word's letters is not a letter: Tesseract sometimes boxes part of a word as one digit (`000` with a box over
    all three, the `3` of a header's `2023` twice as wide as the others), and a letter of normal width inside it
    is not a phantom; a narrow letter inside it still is. A longer word keeps the rule whole (`19339` for
    `1 939`: one digit too many however wide its boxes)."""
    if not NUMBERISH.match(word.text) or len(word.letters) != len(word.text):
        return set()
    pitch = max(1, word.right - word.left) / len(word.text)
    phantoms = set()
    for index, (left, right) in enumerate(word.letters):
        width = max(1, right - left)
        for other in (index - 1, index + 1):
            if 0 <= other < len(word.letters) and word.text[index].isdigit() and word.text[other].isdigit():
                o_left, o_right = word.letters[other]
                inside = o_right - o_left >= width and min(right, o_right) - max(left, o_left) > 0.4 * width
                not_a_letter = len(digits(word.text)) in (3, 4) and o_right - o_left > _LETTER_BOX_MAX * pitch
                if inside and (not not_a_letter or width < _NARROW_LETTER * pitch):
                    phantoms.add(index)
    return phantoms - _digits_counted_by_form(word)


def _digits_counted_by_form(word: Word) -> set[int]:
    """The digits of a grouped amount (`1.204.167`, `(11.991.909)`) whose group holds as many digits as the
    number's form and its width prove: a group after a printed separator holds three, and the leading group
    as many as its width holds at the pitch of those. A box inside a neighbour's there is no extra digit (a bold
    print's `4` boxed over the `04`); `715.000` for `75.000` keeps its phantom: two digits' width holds no three."""
    groups = _digit_groups(word.text)
    if len(groups) < 2 or len(word.letters) != len(word.text):
        return set()
    if any(end - start != 3 or word.text[start - 1] not in _GROUP_SEPARATORS for start, end in groups[1:]):
        return set()  # not one amount in thousands groups (`2021-12-31`, `12,5`, `1.2034`)
    slots = [_group_width(word, start, end) / 3 for start, end in groups[1:]]
    pitch = sum(slots) / len(slots)
    start, end = groups[0]
    if end - start > 3 or abs(_group_width(word, start, end) / pitch - (end - start)) > _PITCH_TOLERANCE:
        return set(range(groups[1][0], len(word.text)))
    return set(range(len(word.text)))


def _digit_groups(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\d+", text)]


def _group_width(word: Word, start: int, end: int) -> float:
    """From the letter before the group (or the word's left) to the letter after it (or the word's right)."""
    left = word.letters[start - 1][1] if start else word.left
    right = word.letters[end][0] if end < len(word.text) else word.right
    return max(1, right - left)


_GROUP_SEPARATORS = ".,' "
_PITCH_TOLERANCE = 0.35  # digits: a group's width over the pitch of the proven groups is its count within this


_LETTER_BOX_MAX = 1.5  # a box wider than this many of its word's letters boxes a group, not a letter
_NARROW_LETTER = 0.7  # a letter narrower than this share of its word's letters is squeezed in: a phantom


def unsure(word: Word) -> bool:
    return word.confidence < NUMBER_MIN_CONFIDENCE or bool(phantom_letters(word))


def without_phantoms(word: Word) -> str:
    phantoms = phantom_letters(word)
    return "".join(char for index, char in enumerate(word.text) if index not in phantoms)


def amount_clusters(words: list[Word], unit: float) -> list[tuple[int, int]]:
    """(start, end) of each run of number words that stand together in a line (one amount's groups).

    `words` are sorted by line and position."""
    clusters = []
    index = 0
    while index < len(words):
        if not NUMBERISH.match(words[index].text):
            index += 1
            continue
        end = index + 1
        while (
            end < len(words)
            and words[end].line == words[end - 1].line
            and NUMBERISH.match(words[end].text)
            and words[end].left - words[end - 1].right < 1.5 * unit
        ):
            end += 1
        clusters.append((index, end))
        index = end
    return clusters
