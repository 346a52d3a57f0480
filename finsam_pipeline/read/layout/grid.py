"""Tables whose cells the page's geometry places beyond doubt, written as tab rows: columns from
the body's amount cells, headers wrapped over lines joined, a table that runs on to the next
page carried over (`Carried`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from finsam_pipeline.read.layout.rows import (
    Run,
    column_extents,
    column_of,
    columns_overlapped,
    is_amount_run,
    one_per_column,
    overlaps,
)

_MAX_LABEL_LINE = 80  # a one-run line longer than this is prose, not a table's section row


_MAX_HEADER_LINES = 8  # a header of narrow cells wraps its titles over many lines


def tabulate_runs(
    rows: list[list[Run]],
    breaks: list[bool],
    unit: float,
    carried: Carried | None = None,
    tight: Sequence[bool] = (),
) -> tuple[dict[int, str | None], Carried | None]:
    """Tab rows for the tables whose cells the geometry places beyond doubt: row index ⟶ its tab row,
    or None for a header line joined into the header's last line. Rows not returned stay as laid out.

    A table is a run of rows (no paragraph gap between them) with two runs or more, one-run
    rows among them (section rows), whose rows with amounts (the body) are either

    - a grid: the x extents of the body's runs, merged where they overlap, give the columns,
      and no body row has two runs in one column (a table with or without borders, cells
      aligned left, right or centred); each run goes to the column it overlaps, empty cells
      kept; or
    - a sequence: every body row has the same number of runs (cells at a word processor's
      tab stops, which need not line up from row to row), and the header has as many.

    The header is the lines just above the body (up to `_MAX_HEADER_LINES`), each run in one column; a line
    that only goes on with the titles above it is joined into them. A table without a header
    is read only as the rows of the last page's table going on (`carried`), by its columns.
    A table with a run in two columns, a header that does not fit, or a body row that fits
    neither form is left as laid out, for `parse.aligned` to read or leave. Returns the tab
    rows (row index ⟶ text, None for a line joined into another) and the last table read.
    """
    out: dict[int, str | None] = {}
    start = 0
    pending = carried.header_rows if carried is not None else ()
    while start < len(rows):
        if not _table_like(rows[start]):
            start += 1
            continue
        end = start
        while end + 1 < len(rows) and not breaks[end + 1] and _table_like(rows[end + 1]):
            end += 1
        if pending and not out:  # the header the page before ended with heads this page's first table
            table = _headed_overleaf(rows, start, end, unit, pending, tight)
            pending = ()
            if table is not None:
                out.update(table)
                carried = Carried(None, 0)
                start = end + 1
                continue
        table = _tabulate_block(rows, start, end, unit, carried, tight)
        if table is not None:
            out.update(table.lines())
            carried = table.carried
        elif end == len(rows) - 1 and _titles_only(rows[start : end + 1]):  # titles at the foot of the page
            carried = Carried(None, 0, header_rows=tuple(tuple(rows[i]) for i in range(start, end + 1)))
        start = end + 1
    return out, carried


def _titles_only(rows: list[list[Run]]) -> bool:
    return any(len(row) >= 2 for row in rows) and not any(_is_body(row) for row in rows)


def _headed_overleaf(
    rows: list[list[Run]],
    start: int,
    end: int,
    unit: float,
    pending: tuple[tuple[Run, ...], ...],
    tight: Sequence[bool] = (),
) -> dict[int, str | None] | None:
    """This page's first table read under the header the page before ended with: the header's joined line
    goes on top of the table's first row here; None where they do not make one table."""
    virtual = [list(row) for row in pending] + rows[start : end + 1]
    table = _tabulate_block(
        virtual, 0, len(virtual) - 1, unit, None, [False] * len(pending) + list(tight[start : end + 1])
    )
    if table is None or not table.headed:
        return None
    lines = table.lines()
    shift = start - len(pending)
    out: dict[int, str | None] = {i + shift: text for i, text in lines.items() if i >= len(pending)}
    header = [text for i, text in sorted(lines.items()) if i < len(pending) and text is not None]
    if not header:
        return out
    first = min((i for i, text in out.items() if text is not None), default=None)
    if first is None:
        return None
    out[first] = "\n".join([*header, out[first]])  # a header line of its own above the first row
    return out


def _table_like(row: list[Run]) -> bool:
    return len(row) >= 2 or (len(row) == 1 and len(row[0][2]) <= _MAX_LABEL_LINE)


@dataclass(frozen=True)
class Carried:
    """A table's columns as the next page may go on with them: x extents (a grid) or a count (a sequence);
    for typed text, the end of the page's last typed line, which may wrap onto the next page."""

    columns: tuple[tuple[float, float], ...] | None
    width: int
    typed_tail: tuple[float, str] | None = None  # typed text: the page's last typed line (where it ends, its text)
    header_rows: tuple[tuple[Run, ...], ...] = ()  # titles the page ended with, whose table starts overleaf


@dataclass
class _Table:
    cells: dict[int, list[str]]  # row index ⟶ its cells
    joined: list[int]  # rows joined into another row (header lines, a wrapped label's lines)
    headed: bool  # has a header of its own
    columns: list[tuple[float, float]] | None = None  # a grid's x extents; None for a sequence

    @property
    def width(self) -> int:
        return max(len(row) for row in self.cells.values())

    @property
    def carried(self) -> Carried:
        return Carried(tuple(self.columns) if self.columns else None, self.width)

    def lines(self) -> dict[int, str | None]:
        out: dict[int, str | None] = dict.fromkeys(self.joined)
        for index, row in self.cells.items():
            out[index] = "\t".join(row + [""] * (self.width - len(row)))
        return out

    def going_on(self, carried: Carried | None) -> _Table | None:
        """This header-less table as the rows of the table before it: each of its columns under one
        of that table's, in order; None where they do not line up."""
        if carried is None:
            return None
        if self.columns is None or carried.columns is None:
            return self if self.columns is None and carried.columns is None and self.width == carried.width else None
        under = [column_of((left, right, ""), list(carried.columns)) for left, right in self.columns]
        if None in under or under != sorted(set(under)):
            return None
        cells = {}
        for index, row in self.cells.items():
            moved = [""] * carried.width
            for column, text in zip(under, row, strict=False):
                moved[column] = text
            cells[index] = moved
        return _Table(cells, self.joined, False, list(carried.columns))


def _tabulate_block(
    rows: list[list[Run]], start: int, end: int, unit: float, carried: Carried | None, tight: Sequence[bool] = ()
) -> _Table | None:
    """One block of table-like rows: its body (rows with amounts), header and section rows as tab rows."""
    body = [i for i in range(start, end + 1) if _is_body(rows[i]) and not _date_ends(rows, i, start)]
    if not body:
        return None
    words = [i for i in range(body[0], body[-1] + 1) if len(rows[i]) >= 2 and i not in body]
    under = [i + 1 for i in body if i + 1 <= end and len(rows[i + 1]) >= 2 and not _is_body(rows[i + 1])]
    if any(i < len(tight) and tight[i] and _wraps_cells(rows, [b for b in body if b < i], i, unit) for i in under):
        return None  # cells wrapped under their row's first line: beyond this reader, left to `parse.aligned`
    if words:  # a row of words between rows of amounts heads the next table
        first = _tabulate_block(rows, start, words[0] - 1, unit, carried, tight)
        rest = _tabulate_block(rows, words[0], end, unit, first.carried if first else None, tight)
        if first is None or rest is None:
            return first or rest
        return _Table(first.cells | rest.cells, first.joined + rest.joined, True, rest.columns)
    titles = _title_line(rows, start, body[0])
    table = None
    for lines in ([titles], []) if titles is not None else ([],):  # a column may have titles and no amounts
        columns = _grid(rows, body, unit, lines)
        table = _grid_table(rows, start, body, columns, unit) if columns else None
        read_with_titles = titles is None or titles in table.cells or titles in table.joined if table else False
        if read_with_titles and (not lines or _titled(rows[titles], rows, body, table.columns)):
            break  # a header line right above the body must be read with it, or the table is not understood
        table = None
    if table is None and len(body) >= 2:
        table = _sequence_table(rows, start, body, unit)
    if table is None:
        return None
    if not table.headed:
        return table.going_on(carried)
    if len(body) < 2 and not _headed(table, body):
        return None
    return table


def _wraps_cells(rows: list[list[Run]], body: list[int], line: int, unit: float) -> bool:
    """Whether a line of words right under a body row, a line's pitch below it, holds its cells' further
    lines (`K 33   2 M   beslut` under `65 32  65  9  4 2 K …`): each of its runs stands in one column of
    theirs. A next table's header (`Projektnamn  Budget  Kostnad …`) stands further down."""
    columns = _grid(rows, body, unit) if body else None
    return columns is not None and one_per_column(rows[line], columns) is not None


def _headed(table: _Table, body: list[int]) -> bool:
    """Whether a one-row table's header vouches for it: a title over each of its cells (`Antal aktiva …
    Antal avslut …` over `57  23 …`), or two lines or more of titles (`Utfall … / 2023 … / Intäkt …`)."""
    header = [i for i in table.cells if i < body[0] and sum(1 for cell in table.cells[i] if cell) >= 2]
    if len(header) + len([i for i in table.joined if i < body[0]]) >= 2:
        return True
    row = table.cells[body[0]]
    return bool(header) and all(title for title, cell in zip(table.cells[header[-1]], row, strict=False) if cell)


_DATE_END = re.compile(r"^(?:\d{1,2}|\d{2}-\d{2})$")


def _date_ends(rows: list[list[Run]], index: int, start: int) -> bool:
    """Whether a line of small numbers ends the dates a narrow header cut at a hyphen (`2020-12-` / `31`):
    each of its runs stands under a title of the line above that ends with a hyphen."""
    if index == start or not all(_DATE_END.match(run[2]) for run in rows[index]):
        return False
    cut = [run for run in rows[index - 1] if run[2].endswith("-")]
    return bool(cut) and all(any(overlaps(run, title) for title in cut) for run in rows[index])


def _is_body(row: list[Run]) -> bool:
    """A row with an amount, other than years only (a header's `2024  2023`, a title's last line `2023`)."""
    amounts = [run for run in row if is_amount_run(run)]
    return len(row) >= 2 and bool(amounts) and not all(_YEAR.match(run[2]) for run in amounts)


_YEAR = re.compile(r"^(?:19|20)\d{2}$")


def _titled(titles: list[Run], rows: list[list[Run]], body: list[int], columns: list[tuple[float, float]]) -> bool:
    """Whether every column with amounts has a title of the line over it standing in it: columns found
    from the titles too are the table's only where each title shares its column with its amounts."""
    titled = {column_of(run, columns) for run in titles}
    return all(column_of(run, columns) in titled for i in body for run in rows[i][1:])


def _title_line(rows: list[list[Run]], start: int, first: int) -> int | None:
    """The line of several titles right above a body (section rows between them skipped), if any."""
    index = first - 1
    while index >= start and len(rows[index]) == 1:
        index -= 1
    if index < start or first - index > _MAX_HEADER_LINES or len(rows[index]) < 2:
        return None
    if _is_sentence(rows[index]):
        return None
    return index


def _grid(
    rows: list[list[Run]], body: list[int], unit: float, titles: list[int] = ()
) -> list[tuple[float, float]] | None:
    """The columns of the body (and of a line of titles over it, where a column may have no amounts)
    as x extents, or None when a row has two runs in one column."""
    extents = column_extents([run for i in [*body, *titles] for run in rows[i]], unit * 0.1)
    if len(extents) < 2:
        return None
    if any(one_per_column(rows[i], extents) is None for i in [*body, *titles]):
        return None
    return extents


def _header_column(run: Run, columns: list[tuple[float, float]], unit: float) -> int | None:
    """The column a header run stands over: the first it overlaps, else the one clearly nearest."""
    over = columns_overlapped(run, columns)
    if over:
        return over[0]  # over several: a title spanning them heads the first, as in a text table (`Utfall 2023\t\t`)
    distances = sorted((max(left - run[1], run[0] - right), i) for i, (left, right) in enumerate(columns))
    if distances[0][0] > unit or (len(distances) > 1 and distances[1][0] - distances[0][0] < unit / 2):
        return None  # in a gutter, as near to one column as to the other
    return distances[0][1]


_SENTENCE = re.compile(r"\w[.:;!?]$")


def _is_sentence(row: list[Run]) -> bool:
    """Whether a line holds a sentence (words ending in a full stop): prose, never a table's titles."""
    return any(_SENTENCE.search(run[2]) and run[2].count(" ") >= 3 for run in row)


def _in_order(row: list[Run], columns: list[tuple[float, float]]) -> list[int] | None:
    """A title line with one title per column (the label column's may be missing) read in order, where
    each title stands between its neighbours' columns: titles set left in a cell whose amounts are set
    right stand nearer the column before theirs than their own."""
    if len(row) not in (len(columns), len(columns) - 1):
        return None
    placed = list(range(len(columns) - len(row), len(columns)))
    for run, column in zip(row, placed, strict=True):
        if column > 0 and run[1] <= columns[column - 1][1]:
            return None
        if column + 1 < len(columns) and run[0] >= columns[column + 1][0]:
            return None
    return placed


def _header_lines(rows: list[list[Run]], start: int, first: int, fits, is_section) -> tuple[list[int], list[int]]:
    """The header lines (top down) and section rows just above the body's first row.

    Walking up from the body: one-run label lines come first (a group's section row, `Kansli`),
    then up to `_MAX_HEADER_LINES` lines that fit the table's columns; a sentence or a line that does not
    fit ends the header.
    """
    header: list[int] = []
    sections: list[int] = []
    index = first - 1
    while index >= start and len(header) < _MAX_HEADER_LINES:
        row = rows[index]
        if _is_sentence(row):
            break
        if not header and len(row) == 1 and is_section(row[0]):
            sections.append(index)
        elif fits(row, index):
            header.insert(0, index)
        else:
            break
        index -= 1
    if header and all(len(rows[i]) == 1 for i in header):
        return [], []  # a caption or a lone phrase, not a header
    return header, sections if header else []


def _grid_table(
    rows: list[list[Run]], start: int, body: list[int], columns: list[tuple[float, float]], unit: float
) -> _Table | None:
    """Cells by the body's columns, and the lines joined into others (header lines into its last line,
    a wrapped label's lines into its row)."""

    placements: dict[int, list[int]] = {}

    def fits(row: list[Run], index: int) -> bool:
        """Each run over one column of its own; a line of one run only over an amount column (a wrapped
        header cell), since one run over the labels is a heading or the end of a paragraph. A line that
        fits widens its columns to its titles, so a title above is placed by the one under it."""
        placed = _in_order(row, columns) or [_header_column(run, columns, unit) for run in row]
        if None in placed or len(set(placed)) != len(placed) or placed == [0]:
            return False
        placements[index] = placed
        for run, column in zip(row, placed, strict=True):
            left = max(min(columns[column][0], run[0]), columns[column - 1][1] if column else -math.inf)
            limit = columns[column + 1][0] if column + 1 < len(columns) else math.inf
            right = min(max(columns[column][1], run[1]), limit)
            columns[column] = (left, right)
        return True

    def in_column(run: Run) -> list[str] | None:
        column = _header_column(run, columns, unit)
        if column is None:
            return None
        return [""] * column + [run[2]] + [""] * (len(columns) - column - 1)

    header, _ = _header_lines(rows, start, body[0], fits, lambda run: _header_column(run, columns, unit) == 0)
    cells: dict[int, list[str]] = {}
    label_row: int | None = None  # the body row whose label a one-run line under it may continue
    label: Run = (0.0, 0.0, "")
    wrapped: list[int] = []  # lines joined into the label above them
    for index in range(header[0] if header else body[0], body[-1] + 1):
        if index in header:
            continue
        if index in body:
            row = [""] * len(columns)
            for run in rows[index]:
                row[column_of(run, columns)] = run[2]
            cells[index] = row
            label_row, label = (index, rows[index][0]) if row[0] else (None, label)
        elif label_row is not None and _continues(label, rows[index][0], columns):
            cells[label_row][0] = f"{cells[label_row][0]} {rows[index][0][2]}"
            label = (label[0], label[1], cells[label_row][0])
            wrapped.append(index)
        else:  # one run between body rows: a section row, or a wrapped cell's line in its column
            placed = in_column(rows[index][0])
            if placed is None:
                return None
            cells[index] = placed
            label_row = None
    joined: list[int] = []
    heading: list[str] | None = None
    previous = -1
    for index in header:
        line = [""] * len(columns)
        for run, column in zip(rows[index], placements[index], strict=True):
            line[column] = run[2]
        if heading is not None and all(heading[c] for c, text in enumerate(line) if text):
            joined.append(previous)  # it goes on with the titles above (`Utfall` / `2023`): one line
            heading = [_joined_title(a, b) for a, b in zip(heading, line, strict=True)]
        else:  # it opens columns the line above leaves empty (`Utfall` / `Intäkt  Kostnad  Netto`): its own line
            heading = line
        cells[index] = heading
        previous = index
    for index in joined:
        del cells[index]
    return _Table(cells, joined + wrapped, bool(header), columns)


_DATE = re.compile(r"^(?:19|20)\d{2}-\d{2}-\d{2}$")


def _joined_title(upper: str, lower: str) -> str:
    """A title going on under another; a date under a date is the period they span (`2024-01-01 – 2024-12-31`)."""
    if _DATE.match(upper) and _DATE.match(lower):
        return f"{upper} – {lower}"
    if upper.endswith("-") and lower[:1].isdigit():
        return upper + lower  # a date cut at its hyphen (`2020-12-` / `31`)
    return f"{upper} {lower}".strip()


_TOTAL = re.compile(r"^(?:summa|totalt?|totala|s:a)\b", re.IGNORECASE)


OPEN_END = re.compile(r"(?:[-,;&/(]|\b(?:och|eller|samt|av|för|i|med|till|på|om))$", re.IGNORECASE)


def _continues(label: Run, line: Run, columns: list[tuple[float, float]]) -> bool:
    """Whether a one-run line under a body row is its label's next line (a cell wrapped with its amounts
    on the first line): it stands in the label column and the label is left open (`stöd,`) or the line
    goes on in lower case. A capitalised line under a whole label is a row of its own (`Verksamhetens
    kostnader` / `Avskrivningar`), even where it would not have fitted beside it."""
    if not (line[0] < columns[0][1] and columns[0][0] < line[1]) or line[0] > label[0] + (label[1] - label[0]) / 2:
        return False
    if _TOTAL.match(label[2]):
        return False  # a total's label is whole: the line under it heads the next group
    return bool(OPEN_END.search(label[2]) or line[2][:1].islower())


def _sequence_table(rows: list[list[Run]], start: int, body: list[int], unit: float) -> _Table | None:
    """Cells in order, where every body row has as many runs as the header has titles.

    Text set at a word processor's tab stops does not line up from row to row, but each row
    has its label and then one run per column; a header line that ran past the margin goes on
    indented (from a tab stop) on the next line.
    """
    counts = {len(rows[i]) for i in body}
    if len(counts) != 1:
        return None
    width = counts.pop()
    label_left = min(rows[i][0][0] for i in body)

    def fits(row: list[Run], _: int) -> bool:
        return len(row) >= 2 or row[0][0] > label_left + unit

    header, _ = _header_lines(rows, start, body[0], fits, lambda run: abs(run[0] - label_left) <= unit)
    titles = [run[2] for i in header for run in rows[i]]
    cells: dict[int, list[str]] = {}
    if header:  # none on a page the table runs on to: its rows go on from the last page's
        if len(titles) not in (width, width - 1):
            return None
        cells[header[-1]] = titles if len(titles) == width else ["", *titles]
    for index in range(header[-1] + 1 if header else body[0], body[-1] + 1):
        if index in body:
            cells[index] = [run[2] for run in rows[index]]
        elif abs(rows[index][0][0] - label_left) <= unit:
            cells[index] = [rows[index][0][2]]  # a section row
        else:
            return None
    return _Table(cells, header[:-1], bool(header))
