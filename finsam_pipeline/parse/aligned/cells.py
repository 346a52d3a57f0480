"""A space-aligned line split into cells and each cell's kind (amount, year, text)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

_CELL = re.compile(r"\S+(?: \S+)*")


_YEARISH = re.compile(
    r"^(?:(?:19|20)\d{2}(?:-\d{2}-\d{2})?(?:\s*[-–]\s*(?:19|20)\d{2}(?:-\d{2}-\d{2})?)?|(?:19|20)\d{2}\s*[-–/]\s*\d{2,4})$"
)


TOTAL = re.compile(r"^(?:summa|totalt?|totala|s:a)\b", re.IGNORECASE)


_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


# thousands set apart by a space, a dot or an apostrophe (`7 920 000`, `7.920.000`, `7'920'000`)
AMOUNT = re.compile(r"^[-+–(]?\s?(?:\d{1,3}(?:[ .'’\u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?\s?%?\)?\*?$")


MAX_SINGLE = 80  # a one-cell line longer than this is prose, not a table row


MAX_SINGLE_RUN = 8  # one-cell lines in a row inside a block (a cell wrapped over lines, a section row)


MAX_BLANK_RUN = 2


FIT_SLACK = 0.9  # character counts only approximate widths in a proportional font


OPEN_END = re.compile(r"(?:[-,;&/(\ufffe]|\b(?:och|eller|samt|av|för|i|med|till|på|om))$", re.IGNORECASE)


_TEXT_WIDTH = 0.75  # PDF layout text: a text cell's characters overrun its width on the page by about a third


@dataclass
class Cell:
    start: int  # where the line shows it
    end: int
    text: str
    lo: int  # the leftmost place it may truly start: a cell two spaces after a long text may have been pushed right
    kind: str = field(init=False)
    width: int = field(init=False)  # its width on the page in positions: text is measured short, its characters overrun

    def __post_init__(self) -> None:
        self.kind = cell_kind(self.text)
        length = self.end - self.start
        if self.kind == "text":
            self.width = max(1, round(length * _TEXT_WIDTH))
        else:
            self.width = max(1, length - self.text.count(" ") // 2)  # a space in an amount is half a digit wide

    @property
    def right(self) -> int:
        return self.start + self.width - 1

    @property
    def pushed(self) -> bool:
        return self.lo < self.start


@lru_cache(maxsize=50_000)
def cell_kind(text: str) -> str:
    """`year` (a year or period header), `value` (an amount or count), else `text`."""
    stripped = text.strip()
    if _YEARISH.match(stripped):
        return "year"
    if re.match(r"^[-+–(]?\s?\d", stripped):
        letters = sum(ch.isalpha() for ch in stripped)
        if letters <= max(3, len(stripped) // 2):
            return "value"
    return "text"


_LIST_MARK = frozenset("•·*▪◦‣–-")


def split_cells(text: str) -> list[Cell]:
    """The line's space-separated cells; a list mark set apart from its item (`•  Bryggan: 94 deltagare`) is
    the item's, not a column of its own."""
    cells: list[Cell] = []
    for match in _CELL.finditer(text.replace("\t", " ")):
        start = match.start()
        lo = start
        if len(cells) == 1 and cells[0].text in _LIST_MARK and match.group()[:1].isalpha():
            cells = [Cell(cells[0].start, match.end(), text[cells[0].start : match.end()], cells[0].lo)]
            continue
        if cells and start - cells[-1].end == 2:  # as close as a layout puts a cell it had to push
            lo = min(start, math.ceil(cells[-1].lo + cells[-1].width + 1.5))  # layouts keep cells 1.5 apart
        cells.append(Cell(start, match.end(), match.group(), lo))
    return cells


def is_data(cells: Sequence[Cell]) -> bool:
    return len(cells) >= 2 and any(c.kind == "value" for c in cells)


def cells_alike(a: str, b: str) -> bool:
    """Two cells of one kind: years, amounts, or words of the same shape (`Intäkt`, `Kostnad`)."""
    kind = cell_kind(a)
    if kind != cell_kind(b):
        return False
    if kind != "text":
        return True
    return len(a.split()) == len(b.split()) and bool(_YEAR_IN.search(a)) == bool(_YEAR_IN.search(b))


_AMOUNT_PREFIX = re.compile(r"^[-+–(]?\s?(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d+)?%?(?= [A-Za-zÅÄÖåäöÉé(])")


def split_amount_prefixes(rows: list[list[Cell]], body: list[int]) -> None:
    """Amounts printed one space from the next column's text (`445 Se förklaringar …`): split where they align.

    Only when several rows' amounts end at the same place: a right-aligned column, not a count with its
    word (`16 mån`).
    """
    found = []
    for i in body:
        for position, cell in enumerate(rows[i]):
            match = _AMOUNT_PREFIX.match(cell.text)
            if match and cell_kind(cell.text[match.end() + 1 :]) == "text":
                found.append((cell.start + match.end(), i, position, match.end()))
    ends = [end for end, *_ in found]
    for end, i, position, cut in sorted(found, key=lambda f: (f[1], -f[2])):
        if sum(1 for other in ends if abs(other - end) <= 1) < 2:
            continue
        cell = rows[i][position]
        rows[i][position : position + 1] = [
            Cell(cell.start, cell.start + cut, cell.text[:cut], cell.lo),
            Cell(cell.start + cut + 1, cell.end, cell.text[cut + 1 :], cell.start + cut + 1),
        ]
