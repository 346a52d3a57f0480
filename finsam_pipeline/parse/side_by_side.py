"""Statements printed side by side on one page, read one after the other.

A landscape page may print the income statement on the left and the balance sheet on the right, under
one line that holds both headings (`Resultaträkning          Balansräkning`). Each line below it then
holds a row of each statement. The page is cut where each heading starts, at the run of spaces nearest
that column, and the parts are read as if printed one under the other: the left statement's lines, then
the right one's. Every part keeps its line's number and page, so a fact still points at the line it is
printed on, and its column: the cut-off text is blanked, not removed, so amounts stay under their years.

The cut ends where a line crosses a cut (prose across the page), another statement's heading starts, or
the page ends. Two headings on one line are no layout unless the line holds nothing else and both
statements below them print amounts: a table of contents (`Resultaträkning 12   Balansräkning 13`) is
left alone, and so is a summary of statements the report prints in full under headings of their own
elsewhere (`Resultaträkning i sammandrag   Balansräkning i sammandrag` in the administration report).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from finsam_pipeline.parse.statement_tables import statement_of_heading
from finsam_pipeline.read.extract import TextLine

_CELL = re.compile(r"\S+(?: \S+)*")  # text between runs of two or more spaces
_SLACK = 6  # characters a part's text may stand left or right of its heading's column
_MIN_AMOUNT_ROWS = 2  # lines with figures each part needs below the headings


def statements_unfolded(lines: Sequence[TextLine]) -> tuple[TextLine, ...]:
    """The lines, with each block of statements printed side by side read one part after the other."""
    out: list[TextLine] = []
    index = 0
    alone: list[tuple[int, str]] | None = None
    while index < len(lines):
        columns = _heading_columns(lines[index].text)
        if columns and alone is None:
            alone = _headed_alone(lines)
        named = {statement_of_heading(lines[index].text[column:]) for column in columns or ()}
        if columns and any(s in named and not index - _TITLE_ABOVE <= at <= index for at, s in alone):
            columns = None  # a summary (`Resultaträkning i sammandrag`) of statements printed in full elsewhere
        parts = _parts(lines, index, columns) if columns else None
        if parts is None:
            out.append(lines[index])
            index += 1
            continue
        for part in parts:
            out.extend(part)
        index += len(parts[0])
    return tuple(out)


def _headed_alone(lines: Sequence[TextLine]) -> list[tuple[int, str]]:
    """Where a line of its own heads a statement (no page number beside it), and which."""
    return [
        (index, statement)
        for index, line in enumerate(lines)
        if "  " not in (text := line.text.strip())
        and not _PAGE_NUMBER_AT_END.search(text)
        and (statement := statement_of_heading(text)) is not None
    ]


_TITLE_ABOVE = 4  # lines above two headings side by side that may title the page (`Resultat- och balansräkning`)


_PAGE_NUMBER_AT_END = re.compile(r"(?<![\d-])(?!(?:19|20)\d\d\b)\d{1,3}$")


def _heading_columns(text: str) -> list[int] | None:
    """Where each statement heading on the line starts, when the line holds headings of two or more different
    statements and nothing else (a table of contents prints their pages beside them)."""
    if "  " not in text.strip():
        return None
    headings = [(cell.start(), statement_of_heading(cell.group())) for cell in _CELL.finditer(text)]
    named = {statement for _, statement in headings}
    if len(headings) < 2 or None in named or len(named) < len(headings):
        return None
    return [start for start, _ in headings]


def _parts(lines: Sequence[TextLine], start: int, columns: list[int]) -> list[list[TextLine]] | None:
    """The lines from the heading on, each cut at the columns, while every line can be cut and the page goes
    on; None where a part below the headings prints no amounts (no statements side by side)."""
    parts: list[list[TextLine]] = [[] for _ in columns]
    for offset, line in enumerate(lines[start:]):
        if line.page != lines[start].page:
            break
        if offset and statement_of_heading(line.text.strip()) is not None:
            break  # a statement of its own starts: the page had more than the two side by side
        cuts = _cuts(line.text, columns)
        if cuts is None:
            break
        bounds = [*cuts, len(line.text)]
        for number, (left, right) in enumerate(pairwise(bounds)):
            parts[number].append(replace(line, text=(" " * left + line.text[left:right]).rstrip()))
    figures = [sum(1 for line in part[1:] if any(char.isdigit() for char in line.text)) for part in parts]
    if min(figures) < _MIN_AMOUNT_ROWS:
        return None
    return parts


def _cuts(text: str, columns: list[int]) -> list[int] | None:
    """Where the line is cut for each column: before the first cell with words that starts near the column or right
    of it (`2020  Belopp i kr` cuts before `Belopp`: the left statement's last year a few characters left of the
    heading is its own; `Bank  6  1 175 408` before `Bank`), else before the first cell at or right of the column,
    else at the line's end; None where a cell runs across a column (prose across the page)."""
    cells = [(cell.start(), cell.end()) for cell in _CELL.finditer(text)]
    cuts = [0]
    for column in columns[1:]:
        if any(a < column - _SLACK and b > column + _SLACK for a, b in cells):
            return None
        near = [(a, text[a:b]) for a, b in cells if a >= max(column - _SLACK, cuts[-1])]
        worded = [a for a, cell in near if any(char.isalpha() for char in cell)]
        at_or_right = [a for a, _ in near if a >= column]
        cuts.append(worded[0] if worded else at_or_right[0] if at_or_right else len(text))
    return cuts
