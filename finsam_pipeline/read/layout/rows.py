"""Glyphs into runs (a cell or part of one) and runs into rows, vertically centred rows made whole."""

from __future__ import annotations

import re

from finsam_pipeline.read.textnorm import strip_markup

Glyph = tuple[str, float, float, float, float]  # char, left, bottom, right, top (PDF points, y upwards)


Run = tuple[float, float, str]  # left, right, text: a row's glyphs printed together, a cell or part of one


def runs_of(
    row: list[tuple[int, Glyph]],
    cell_starts: frozenset[int] | None,
    unit: float,
    digit_jumps: frozenset[int] = frozenset(),
    margin: float = 0.0,
    run_starts: frozenset[int] = frozenset(),
) -> list[Run]:
    """A row's glyphs as runs: a new run where the gap is wider than one and a half characters, a cell starts
    or a glyph of `run_starts` stands; a jump between digits that may be a thousands separator starts one only
    where it lands on a tab stop."""
    runs: list[Run] = []
    text, run_left, previous_right = "", 0.0, None
    for number, (char, left, _, right, _) in sorted(row, key=lambda item: item[1][1]):
        if previous_right is not None:
            gap = left - previous_right
            tab = number in digit_jumps and tab_not_space(gap, right - left, left, margin)
            starts = number in run_starts or (cell_starts is not None and number in cell_starts)
            if gap > unit * 1.5 or starts or tab:
                runs.append((run_left, previous_right, text))
                text = ""
            elif gap > unit * 0.25:
                text += " "
        if not text:
            run_left = left
        text += char
        previous_right = right
    runs.append((run_left, previous_right or run_left, text))
    return runs


_SOFT_HYPHENS = ("\ufffe", "\u00ad")


def tab_not_space(gap: float, width: float, left: float, margin: float) -> bool:
    """Whether a jump between digit groups is a tab: it lands on a tab stop, and it is not exactly as wide as a
    (no-break, or narrow no-break) space would be, a digit's width or half of it."""
    if any(abs(gap - space) <= 0.15 for space in (width, width / 2)):
        return False
    return any(on_stop(left, margin, stop) for stop in TAB_STOPS)


def line_pitch(runs: list[list[Run]], centres: list[float], height: float) -> float | None:
    """The distance between the lines of one paragraph or table cell: the shortest step seen twice or
    more (else the shortest) between lines that share x positions (the half-line steps between a
    centred row's cells share none; table rows with padding stand further apart than a cell's lines).

    Where the next line shares no x with a line and stands half way to the one after, which does (a
    cell's two lines with a centred cell beside them: `2013-12-` / `(tkr)` / `31`), that span is a
    step too, vouched for twice by its two half steps: on a page of few paragraphs one such cell may
    be all that shows the pitch. Only up to three glyph heights: lines further apart with another
    between them are a title page's lines (`Finsam X` / `Orgnr …` / `ÅRSREDOVISNING`), not one cell."""

    def shares(upper: int, lower: int) -> bool:
        return any(overlaps(a, b) for a in runs[upper] for b in runs[lower])

    steps: list[float] = []
    for i in range(len(runs) - 1):
        if shares(i, i + 1):
            steps.append(centres[i] - centres[i + 1])
        elif i + 2 < len(runs) and shares(i, i + 2):
            span = centres[i] - centres[i + 2]
            if span <= height * 3 and 0.3 <= (centres[i] - centres[i + 1]) / span <= 0.7:
                steps += [span, span]
    steps = sorted(step for step in steps if step >= height * 0.8)
    for index, step in enumerate(steps[:-1]):
        if steps[index + 1] <= step * 1.05:
            return step
    return steps[0] if steps else None


def centred_rows(runs: list[list[Run]], centres: list[float], pitch: float) -> list[tuple[float, float, list[Run]]]:
    """Rows (centre of their first and of their last line, runs) with each vertically centred table row made whole.

    A word processor centres a table row's cells vertically: where one cell wraps over two
    lines, the one-line cells beside it stand half a line below the first and half a line
    above the second (`Plattformen Samverkan Arvika` / `60  64  41` / `Eda`); cells of three
    and four lines interleave the same way. Such a row is recognised by geometry alone: a
    chain of lines half a line apart that share no x positions (each step goes into another
    cell), widened by lines a line apart whose runs all stand in the chain's cells of two lines
    or more (a tall cell's further lines). Its runs, grouped into columns where their x extents
    overlap, become one line with each column's lines joined top down, provided no line has
    two runs in one column. Everything else is returned as it stands.
    """
    out: list[tuple[float, float, list[Run]]] = []
    index = 0
    while index < len(runs):
        chain = _centred_chain(runs, centres, pitch, index)
        if chain is not None:
            first, last, merged = chain
            out.append((centres[first], centres[last], merged))
            index = last + 1
            continue
        out.append((centres[index], centres[index], runs[index]))
        index += 1
    return out


def _centred_chain(
    runs: list[list[Run]], centres: list[float], pitch: float, index: int
) -> tuple[int, int, list[Run]] | None:
    """The centred table row starting at line `index` (first line, last line, merged runs), if one does."""

    def apart(upper: int) -> float:
        return (centres[upper] - centres[upper + 1]) / pitch

    def half_step(upper: int) -> bool:  # half a line down, into another cell: no x shared with the line above
        return 0.3 <= apart(upper) <= 0.7 and not any(overlaps(a, b) for a in runs[upper] for b in runs[upper + 1])

    def in_tall_cells(line: int, first: int, last: int) -> bool:
        """Whether every run of a line a line apart stands in one column only, one with two lines or more
        of the chain (a heading above the table that reaches over two columns is no cell's line)."""
        chain = [run for row in runs[first : last + 1] for run in row]
        columns = column_extents(chain)
        for run in runs[line]:
            placed = columns_overlapped(run, columns)
            if len(placed) != 1 or sum(1 for other in chain if overlaps(run, other)) < 2:
                return False
        return True

    last = index
    while last + 1 < len(runs) and half_step(last):
        last += 1
    if last == index:  # no half-line step right under this line; it may still head a longer cell
        if index + 1 < len(runs) and 0.9 <= apart(index) <= 1.1:
            following = _centred_chain(runs, centres, pitch, index + 1)
            if following is not None and in_tall_cells(index, index + 1, following[1]):
                return _merged(runs, index, following[1])
        return None
    while last + 1 < len(runs) and 0.9 <= apart(last) <= 1.1 and in_tall_cells(last + 1, index, last):
        last += 1  # a longer cell's further line
    return _merged(runs, index, last)


def column_extents(runs: list[Run], tolerance: float = 0.0) -> list[tuple[float, float]]:
    """Columns as the x extents of runs, merged where they overlap (by more than `tolerance`)."""
    columns: list[list[float]] = []
    for left, right, _ in sorted(runs):
        if columns and left < columns[-1][1] - tolerance:
            columns[-1][1] = max(columns[-1][1], right)
        else:
            columns.append([left, right])
    return [(left, right) for left, right in columns]


def _merged(runs: list[list[Run]], first: int, last: int) -> tuple[int, int, list[Run]] | None:
    """Lines `first`..`last` as one row: each column's runs joined top down; None where a line has two
    runs in one column (two rows, or a line of prose, not one row's cells)."""
    lines = runs[first : last + 1]
    columns = column_extents([run for row in lines for run in row])
    if len(columns) < 2:
        return None
    cells: list[list[Run]] = [[] for _ in columns]
    for row in lines:
        placed = one_per_column(row, columns)
        if placed is None:
            return None
        for run, column in zip(row, placed, strict=True):
            cells[column].append(run)
    merged: list[Run] = []
    for parts in cells:
        text = parts[0][2]
        for part in parts[1:]:
            if text.endswith(_SOFT_HYPHENS):
                text = text[:-1] + part[2]
            elif text.endswith("-") and text.strip("-–− "):  # a word or date broken at its hyphen, not a sign
                text += part[2]
            else:
                text = f"{text} {part[2]}"
        merged.append((min(run[0] for run in parts), max(run[1] for run in parts), text))
    return first, last, merged


def overlaps(a: Run, b: Run) -> bool:
    return a[0] < b[1] and b[0] < a[1]


_AMOUNT = re.compile(r"^(?:[-+–−(]?\s?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?\s?%?\)?\*?|[-–−])$")


def is_amount_run(run: Run) -> bool:
    return looks_like_amount(run[2])


def looks_like_amount(text: str) -> bool:
    """Whether a cell is an amount, also where its markup was printed as typed (`<b>(487)</b>`)."""
    return bool(_AMOUNT.match(strip_markup(text).strip()))


def columns_overlapped(run: Run, columns: list[tuple[float, float]]) -> list[int]:
    """The columns a run shares x positions with."""
    return [index for index, (left, right) in enumerate(columns) if run[0] < right and left < run[1]]


def column_of(run: Run, columns: list[tuple[float, float]]) -> int | None:
    """The one column a run overlaps; None when it overlaps none or several."""
    found = columns_overlapped(run, columns)
    return found[0] if len(found) == 1 else None


def one_per_column(row: list[Run], columns: list[tuple[float, float]]) -> list[int] | None:
    """Each run's column, where every run stands in one column and no two in the same; else None."""
    placed = [column_of(run, columns) for run in row]
    return None if None in placed or len(set(placed)) != len(placed) else placed


# Default tab stops of word processors: every 1.25 cm (LibreOffice) or 1.27 cm / half an inch (Word).
TAB_STOPS = (1.25 / 2.54 * 72, 0.5 * 72)


ON_STOP = 0.6  # points: how far from a tab stop a run may start and still stand at it


def on_stop(x: float, margin: float, stop: float) -> bool:
    steps = (x - margin) / stop
    return abs(steps - round(steps)) * stop <= ON_STOP
