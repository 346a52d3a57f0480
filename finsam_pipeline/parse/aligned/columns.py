"""A block's columns from its body's cells and gutters, each line's cells placed in them, and
cells that straddle a gutter or share a run split between columns.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from finsam_pipeline.parse.aligned.cells import AMOUNT, Cell, cell_kind


@dataclass
class _Column:
    left: int
    right: int
    numeric: bool = False  # amounts, right-aligned: the column reaches left to its neighbour; text reaches right
    ordinal: bool = False  # found by counting cells, not by gutters: a line with as many cells fills it in order


def split_straddling(cells: list[Cell], columns: list[_Column]) -> list[Cell]:
    """A body cell run into its neighbour across a gutter: split between an amount and a text.

    `68 (Antal besök 1981)`, `1 055 Se förklaringar …` (an amount, then the next column's text) and
    `Förbundschef 350` (a label, then an amount) are two cells printed too close; an amount's own
    digit groups (`- 650 000`) are never split.
    """
    out: list[Cell] = []
    for cell in cells:
        covered = [c for c in columns if c.left <= cell.right and c.right >= cell.start]
        if len(covered) < 2 or " " not in cell.text:
            out.append(cell)
            continue
        cut = None
        for match in re.finditer(" ", cell.text):
            left, right = cell.text[: match.start()], cell.text[match.end() :]
            if cell_kind(left) == "value" and cell_kind(right) == "text" and not right[0].isdigit():
                cut = match.start()
                break
            if cell_kind(left) == "text" and left[-1].isalpha() and AMOUNT.match(right):
                cut = match.start()
                break
        if cut is None:
            out.append(cell)
            continue
        out.append(Cell(cell.start, cell.start + cut, cell.text[:cut], cell.lo))
        out.append(Cell(cell.start + cut + 1, cell.end, cell.text[cut + 1 :], cell.start + cut + 1))
    return out


def _merge_alternating(rows: list[list[Cell]], body: list[int], columns: list[_Column]) -> list[_Column]:
    """Two close columns no row fills both of are one column whose amounts drifted (`114` / `26` a place apart)."""
    merged = list(columns)
    index = 0
    while index + 1 < len(merged):
        left, right = merged[index], merged[index + 1]
        both = any(
            any(c.start <= left.right and c.right >= left.left for c in rows[i])
            and any(c.start <= right.right and c.right >= right.left for c in rows[i])
            for i in body
        )
        if right.left - left.right - 1 <= 2 and not both:
            merged[index : index + 2] = [_Column(left.left, right.right)]
            continue
        index += 1
    return merged


def _by_order(rows: list[list[Cell]], body: list[int], columns: list[_Column]) -> list[_Column]:
    """When most body rows have more cells than the gutters show, their cells, in order, are the columns.

    Cells pushed right by long text before them (a question wrapped in a narrow column) blur the
    gutters; the count of cells per row does not blur.
    """
    counts = Counter(len(rows[i]) for i in body)
    if not counts:
        return columns
    count, rows_with = counts.most_common(1)[0]
    if count < len(columns) or rows_with < max(2, len(body) / 2):
        return columns
    later = [c for i in body for c in rows[i][1:]]
    if sum(c.pushed for c in later) * 3 < len(later):
        return columns  # the gutters were not blurred by pushed cells: trust them
    full = [rows[i] for i in body if len(rows[i]) == count]
    ordered = []
    for k in range(count):
        starts = sorted(cells[k].start for cells in full)
        rights = sorted(cells[k].right for cells in full)
        left = starts[len(starts) // 2]
        ordered.append(_Column(left, max(left, rights[len(rights) // 2]), ordinal=True))
    for left, right in pairwise(ordered):
        if left.right >= right.left:
            left.right = max(left.left, right.left - 1)
    return ordered


def _mark_numeric(rows: list[list[Cell]], body: list[int], columns: list[_Column]) -> None:
    for column in columns:
        kinds = [
            c.kind != "text"
            for i in body
            for c in rows[i]
            if not c.pushed and c.start <= column.right and c.right >= column.left
        ]
        column.numeric = sum(kinds) * 2 > len(kinds)


def split_shared(rows: list[list[Cell]], header: list[int], body: list[int], columns: list[_Column]) -> None:
    """Two cells of one line in one column show a column the gutters missed: split it there.

    A header line shows it at once (a column the body leaves empty); body rows must show it in
    several rows (an amount column run into a text column by cells printed too close).
    """
    for _ in range(len(columns) + 8):
        split = None
        for i in header:
            split = _shared_in(rows[i], columns, reliable=False)
            if split:
                break
        if split is None:
            found = [s for i in body if (s := _shared_in(rows[i], columns, reliable=True))]
            by_column = {index: sorted(at for c, at in found if c == index) for index, _ in found}
            for index, places in by_column.items():
                if len(places) >= max(2, len(body) // 5):
                    split = (index, places[len(places) // 2])
                    break
        if split is None:
            break
        index, at = split
        column = columns[index]
        if not column.left < at <= column.right:
            at = max(column.left + 1, min(at, column.right))
            if not column.left < at:
                break
        columns[index : index + 1] = [_Column(column.left, at - 1), _Column(at, column.right)]
    _mark_numeric(rows, body, columns)


def _shared_in(cells: list[Cell], columns: list[_Column], *, reliable: bool) -> tuple[int, int] | None:
    slots = assign_cells(cells, columns)
    for a in range(len(slots) - 1):
        b = a + 1
        if slots[a] == slots[b] and cells[b].lo > cells[a].start and not (reliable and cells[b].pushed):
            return slots[a], cells[b].lo
    return None


def label_column_is_text(rows: list[list[Cell]], body: list[int]) -> bool:
    leading = [rows[i][0] for i in body if rows[i] and rows[i][0].start == 0]
    return sum(c.kind == "text" for c in leading) * 2 > len(leading)


def block_columns(rows: list[list[Cell]], body: list[int], label_text: bool) -> list[_Column]:
    """Columns: runs of positions the body's cells cover, split by gutters; then cells standing in a gutter."""
    width = max((c.end for cells in rows for c in cells), default=0) + 1
    coverage = [0] * width
    pushed: list[Cell] = []
    for i in body:
        for position, cell in enumerate(rows[i]):
            if position == 0 and cell.start == 0 and label_text and cell.kind != "text":
                continue  # an amount that lost its indentation: its place is not known
            if cell.pushed:
                pushed.append(cell)  # its place is known only roughly: it counts where nothing surer stands
                continue
            for x in range(cell.start, cell.right + 1):
                coverage[x] += 1
    tolerance = 0 if len(body) < 4 else max(1, len(body) // 8)  # one stray cell does not close a gutter
    for cell in pushed:
        if not any(coverage[x] > tolerance for x in range(cell.lo, cell.right + 1)):
            for x in range(cell.start, cell.right + 1):
                coverage[x] += tolerance + 1
    columns: list[_Column] = []
    x = 0
    while x < width:
        if coverage[x] > tolerance:
            left = x
            while x < width and coverage[x] > tolerance:
                x += 1
            columns.append(_Column(left, x - 1))
        x += 1
    columns = _merge_alternating(rows, body, columns)
    columns = _by_order(rows, body, columns)
    _mark_numeric(rows, body, columns)
    orphans = sorted(
        (c.start, c.right, c.kind)
        for cells in rows
        for c in cells
        if not (c.start == 0 and label_text)
        and not c.pushed
        and not any(c.start <= col.right and c.right >= col.left for col in columns)
    )
    regions: list[list] = []
    for left, right, kind in orphans:
        if regions and left <= regions[-1][1] + 1:
            regions[-1][1] = max(regions[-1][1], right)
            regions[-1][2].add(kind)
        else:
            regions.append([left, right, {kind}])
    for left, right, kinds in regions:
        _place_region(rows, columns, left, right, amounts=kinds == {"value"})
    return sorted(columns, key=lambda c: c.left) or [_Column(0, width)]


def _place_region(rows: list[list[Cell]], columns: list[_Column], left: int, right: int, *, amounts: bool) -> None:
    """Cells standing in a gutter belong to the column beside them, unless a line has cells in both: then their own.

    Text is left-aligned, so a text header in a gutter reaches right to its column's amounts;
    an amount is right-aligned and reaches left, unless the column on its left holds amounts,
    which end where their column ends.
    """
    after = min((c for c in columns if c.left > right), key=lambda c: c.left, default=None)
    before = max((c for c in columns if c.right < left), key=lambda c: c.right, default=None)
    right_first = not amounts or (before is not None and before.numeric)
    candidates = [after, before] if right_first else [before, after]
    for column in candidates:
        if column is None or (column.left == 0 and column is before and right_first):
            continue
        if not any(_in_region(cells, left, right) and _other_in(cells, column, left, right) for cells in rows):
            column.left, column.right = min(column.left, left), max(column.right, right)
            return
    columns.append(_Column(left, right))


def _in_region(cells: list[Cell], left: int, right: int) -> bool:
    return any(left <= c.start and c.right <= right for c in cells)


def _other_in(cells: list[Cell], column: _Column, left: int, right: int) -> bool:
    return any(
        not (left <= c.start and c.right <= right) and c.start <= column.right and c.right >= column.left for c in cells
    )


def _extents(columns: list[_Column]) -> list[tuple[int, int]]:
    """Where each column's cells may stand: an amount column up to its left neighbour, a text column up to its right."""
    out = []
    for index, column in enumerate(columns):
        if column.numeric:
            left = columns[index - 1].right + 1 if index else column.left
            out.append((min(left, column.left), column.right))
        else:
            right = columns[index + 1].left - 1 if index + 1 < len(columns) else column.right + 40
            out.append((column.left, max(right, column.right)))
    return out


def _score(cell: Cell, column: _Column, extent: tuple[int, int]) -> float:
    """Overlap with the column's cells counts twice, with the room beside them once; else minus the distance."""
    core = min(cell.right, column.right) - max(cell.lo, column.left) + 1
    room = min(cell.right, extent[1]) - max(cell.lo, extent[0]) + 1
    if room > 0 or core > 0:
        near = max(column.left - cell.right, cell.lo - column.right, 0)  # ties go to the nearer column
        score = min(max(core, 0), cell.width) + min(max(room, 0), cell.width) - near / 100
        if not column.numeric and cell.kind == "text" and not cell.pushed:
            score -= min(abs(cell.start - column.left), 10) / 2  # left-aligned text starts where its column starts
        return score
    return -min(abs(cell.lo - extent[1]), abs(cell.right - extent[0]))


def assign_cells(cells: list[Cell], columns: list[_Column]) -> list[int]:
    """Each cell's column: left to right, cells in distinct columns where possible, most overlap overall."""
    n, m = len(cells), len(columns)
    if n == m and any(c.ordinal for c in columns):
        return list(range(n))  # a full line: its cells in order are the columns, wherever a push put them
    extents = _extents(columns)
    shared = 4.0  # two cells in one column: allowed (a split cell), at a price
    neg = float("-inf")
    best = [[neg] * m for _ in range(n)]
    back = [[0] * m for _ in range(n)]
    for c in range(m):
        best[0][c] = _score(cells[0], columns[c], extents[c])
    for i in range(1, n):
        running, arg = neg, 0
        for c in range(m):
            if c > 0 and best[i - 1][c - 1] > running:
                running, arg = best[i - 1][c - 1], c - 1
            options = [(running, arg), (best[i - 1][c] - shared, c)]
            value, source = max(options, key=lambda o: o[0])
            if value == neg:
                continue
            best[i][c] = value + _score(cells[i], columns[c], extents[c])
            back[i][c] = source
    slot = max(range(m), key=lambda c: best[n - 1][c])
    slots = [slot]
    for i in range(n - 1, 0, -1):
        slot = back[i][slot]
        slots.append(slot)
    return slots[::-1]
