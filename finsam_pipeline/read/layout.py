"""A PDF page's glyphs, or an OCR page's words, laid out as lines of text in which tables read.

The parsers read text; this is where a page's geometry becomes text they can read. Glyphs
become rows by their vertical centres and runs by the gaps between them; a table row whose
cells a word processor centred vertically is made whole again; and a table whose cells the
geometry places beyond doubt is written with its cells joined by tabs, exactly as a delimited
text table, so one parser per table kind reads it from text and from PDF alike. Everything
else stays space-aligned for `parse.aligned`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from finsam_pipeline.read.textnorm import strip_markup

Glyph = tuple[str, float, float, float, float]  # char, left, bottom, right, top (PDF points, y upwards)


def layout_text(
    glyphs: list[Glyph], cell_starts: frozenset[int] | None = None, run_starts: frozenset[int] = frozenset()
) -> str:
    """One page's text; see `layout_page`."""
    return layout_page(glyphs, cell_starts, run_starts=run_starts)[0]


def layout_page(
    glyphs: list[Glyph],
    cell_starts: frozenset[int] | None = None,
    carried: Carried | None = None,
    digit_jumps: frozenset[int] = frozenset(),
    run_starts: frozenset[int] = frozenset(),
) -> tuple[str, Carried | None]:
    """Lines of text with each glyph near its x position, so table columns stay apart by runs of spaces,
    and the columns of the page's last table, for a table that runs on to the next page.

    Words are joined by one space; a gap wider than one and a half characters, or a glyph in
    `cell_starts` (see `extract._cell_starts`), starts a new run, set two spaces or more from the
    text before it at the column it stands in, the way pdfplumber's layout mode does it. A row of
    cells set half a line off the lines around it is a table row whose cells a word processor
    centred vertically: see `_centred_rows`. On a page that shows where its cells start
    (`cell_starts` not None), the tables whose cells the geometry places beyond doubt are written
    as tab rows (`typed_rows`, `tabulate_runs`); `carried` is the last table of the page before,
    whose rows may go on at this page's top; `digit_jumps` are jumps between digit groups that are a
    tab only where they land on a tab stop (else a no-break space: `_tab_not_space`).
    """
    if not glyphs:
        return "", carried
    widths = sorted(right - left for _, left, _, right, _ in glyphs if right > left)
    heights = sorted(top - bottom for _, _, bottom, _, top in glyphs if top > bottom)
    unit = widths[len(widths) // 2] if widths else 5.0
    height = heights[len(heights) // 2] if heights else 10.0
    margin = min(left for _, left, _, _, _ in glyphs)
    rows: list[list[tuple[int, Glyph]]] = []
    centres: list[float] = []
    for number, glyph in sorted(enumerate(glyphs), key=lambda item: (-(item[1][2] + item[1][4]) / 2, item[1][1])):
        centre = (glyph[2] + glyph[4]) / 2
        if rows and abs(centres[-1] - centre) <= height * 0.5:
            rows[-1].append((number, glyph))
        else:
            rows.append([(number, glyph)])
            centres.append(centre)
    spacing = sorted(a - b for a, b in pairwise(centres))
    line_gap = spacing[len(spacing) // 2] if spacing else height * 1.2
    runs = [_runs(row, cell_starts, unit, digit_jumps, margin, run_starts) for row in rows]
    pitch = _line_pitch(runs, centres, height) or line_gap
    whole = _centred_rows(runs, centres, pitch)
    row_runs = [runs for _, _, runs in whole]
    gaps = [0.0] + [upper[1] - lower[0] for upper, lower in pairwise(whole)]
    breaks = [gap > line_gap * 1.8 for gap in gaps]  # a paragraph's gap: a blank line
    placed = [_natural(row, margin, unit) for row in row_runs]
    tabbed: dict[int, str | None] = {}
    if cell_starts is not None:
        ends = sorted(row[-1][1] for row in row_runs)
        right_margin = ends[int(len(ends) * 0.9)]  # where full lines end; a stray mark further right does not count
        typed = typed_rows(row_runs, margin, right_margin, carried)
        if typed is not None:
            tabbed, carried = typed
        else:
            tight = [gap <= pitch * 1.1 for gap in gaps]  # a cell's or a paragraph's next line
            tabbed, carried = tabulate_runs(row_runs, breaks, unit, carried, tight)
    lines: list[str] = []
    for index, row in enumerate(placed):
        if breaks[index]:
            lines.append("")
        if index in tabbed:
            if tabbed[index] is not None:
                lines.append(tabbed[index])
            continue
        out = ""
        for column, text in row:
            out += " " * (column - len(out)) + text
        lines.append(out.rstrip())
    return "\n".join(_pipe_rows_joined(lines)), carried


def _pipe_rows_joined(lines: list[str]) -> list[str]:
    """Markdown table rows printed as typed, each made one line again: a row too long for the page wraps
    at a space, and its tail is a line ending in a pipe that does not start with one (`Netto |`)."""
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        tail = stripped.endswith("|") and (not stripped.startswith("|") or stripped == "|")
        if tail and out and out[-1].lstrip().startswith("|"):
            rule = out[-1].endswith("-") and stripped.startswith("-")  # a `|---|---|` rule goes on without a space
            out[-1] = f"{out[-1]}{'' if rule else ' '}{stripped}"
        else:
            out.append(line)
    return out


def _natural(row: list[Run], margin: float, unit: float) -> list[tuple[int, str]]:
    """Each run at the character column of its x position, two spaces at least after the run before it."""
    out: list[tuple[int, str]] = []
    for left, _, text in row:
        room = out[-1][0] + len(out[-1][1]) + 2 if out else 0
        out.append((max(round((left - margin) / unit), room), text))
    return out


Run = tuple[float, float, str]  # left, right, text: a row's glyphs printed together, a cell or part of one


def _runs(
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
            tab = number in digit_jumps and _tab_not_space(gap, right - left, left, margin)
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


def _tab_not_space(gap: float, width: float, left: float, margin: float) -> bool:
    """Whether a jump between digit groups is a tab: it lands on a tab stop, and it is not exactly as wide as a
    (no-break, or narrow no-break) space would be, a digit's width or half of it."""
    if any(abs(gap - space) <= 0.15 for space in (width, width / 2)):
        return False
    return any(_on_stop(left, margin, stop) for stop in _TAB_STOPS)


def _line_pitch(runs: list[list[Run]], centres: list[float], height: float) -> float | None:
    """The distance between the lines of one paragraph or table cell: the shortest step seen twice or
    more (else the shortest) between lines that share x positions (the half-line steps between a
    centred row's cells share none; table rows with padding stand further apart than a cell's lines).

    Where the next line shares no x with a line and stands half way to the one after, which does (a
    cell's two lines with a centred cell beside them: `2013-12-` / `(tkr)` / `31`), that span is a
    step too, vouched for twice by its two half steps: on a page of few paragraphs one such cell may
    be all that shows the pitch. Only up to three glyph heights: lines further apart with another
    between them are a title page's lines (`Finsam X` / `Orgnr …` / `ÅRSREDOVISNING`), not one cell."""

    def shares(upper: int, lower: int) -> bool:
        return any(_overlap(a, b) for a in runs[upper] for b in runs[lower])

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


def _centred_rows(runs: list[list[Run]], centres: list[float], pitch: float) -> list[tuple[float, float, list[Run]]]:
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
        return 0.3 <= apart(upper) <= 0.7 and not any(_overlap(a, b) for a in runs[upper] for b in runs[upper + 1])

    def in_tall_cells(line: int, first: int, last: int) -> bool:
        """Whether every run of a line a line apart stands in one column only, one with two lines or more
        of the chain (a heading above the table that reaches over two columns is no cell's line)."""
        chain = [run for row in runs[first : last + 1] for run in row]
        columns = _column_extents(chain)
        for run in runs[line]:
            placed = _overlapped(run, columns)
            if len(placed) != 1 or sum(1 for other in chain if _overlap(run, other)) < 2:
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


def _column_extents(runs: list[Run], tolerance: float = 0.0) -> list[tuple[float, float]]:
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
    columns = _column_extents([run for row in lines for run in row])
    if len(columns) < 2:
        return None
    cells: list[list[Run]] = [[] for _ in columns]
    for row in lines:
        placed = _one_per_column(row, columns)
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


def _overlap(a: Run, b: Run) -> bool:
    return a[0] < b[1] and b[0] < a[1]


_AMOUNT = re.compile(r"^(?:[-+–−(]?\s?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?\s?%?\)?\*?|[-–−])$")
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


def _is_amount(run: Run) -> bool:
    return _amount(run[2])


def _amount(text: str) -> bool:
    """Whether a cell is an amount, also where its markup was printed as typed (`<b>(487)</b>`)."""
    return bool(_AMOUNT.match(strip_markup(text).strip()))


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
        under = [_column_of((left, right, ""), list(carried.columns)) for left, right in self.columns]
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
    return columns is not None and _one_per_column(rows[line], columns) is not None


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
    return bool(cut) and all(any(_overlap(run, title) for title in cut) for run in rows[index])


def _is_body(row: list[Run]) -> bool:
    """A row with an amount, other than years only (a header's `2024  2023`, a title's last line `2023`)."""
    amounts = [run for run in row if _is_amount(run)]
    return len(row) >= 2 and bool(amounts) and not all(_YEAR.match(run[2]) for run in amounts)


_YEAR = re.compile(r"^(?:19|20)\d{2}$")


def _titled(titles: list[Run], rows: list[list[Run]], body: list[int], columns: list[tuple[float, float]]) -> bool:
    """Whether every column with amounts has a title of the line over it standing in it: columns found
    from the titles too are the table's only where each title shares its column with its amounts."""
    titled = {_column_of(run, columns) for run in titles}
    return all(_column_of(run, columns) in titled for i in body for run in rows[i][1:])


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
    extents = _column_extents([run for i in [*body, *titles] for run in rows[i]], unit * 0.1)
    if len(extents) < 2:
        return None
    if any(_one_per_column(rows[i], extents) is None for i in [*body, *titles]):
        return None
    return extents


def _overlapped(run: Run, columns: list[tuple[float, float]]) -> list[int]:
    """The columns a run shares x positions with."""
    return [index for index, (left, right) in enumerate(columns) if run[0] < right and left < run[1]]


def _column_of(run: Run, columns: list[tuple[float, float]]) -> int | None:
    """The one column a run overlaps; None when it overlaps none or several."""
    found = _overlapped(run, columns)
    return found[0] if len(found) == 1 else None


def _one_per_column(row: list[Run], columns: list[tuple[float, float]]) -> list[int] | None:
    """Each run's column, where every run stands in one column and no two in the same; else None."""
    placed = [_column_of(run, columns) for run in row]
    return None if None in placed or len(set(placed)) != len(placed) else placed


def _header_column(run: Run, columns: list[tuple[float, float]], unit: float) -> int | None:
    """The column a header run stands over: the first it overlaps, else the one clearly nearest."""
    over = _overlapped(run, columns)
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
                row[_column_of(run, columns)] = run[2]
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
_OPEN_END = re.compile(r"(?:[-,;&/(]|\b(?:och|eller|samt|av|för|i|med|till|på|om))$", re.IGNORECASE)


def _continues(label: Run, line: Run, columns: list[tuple[float, float]]) -> bool:
    """Whether a one-run line under a body row is its label's next line (a cell wrapped with its amounts
    on the first line): it stands in the label column and the label is left open (`stöd,`) or the line
    goes on in lower case. A capitalised line under a whole label is a row of its own (`Verksamhetens
    kostnader` / `Avskrivningar`), even where it would not have fitted beside it."""
    if not (line[0] < columns[0][1] and columns[0][0] < line[1]) or line[0] > label[0] + (label[1] - label[0]) / 2:
        return False
    if _TOTAL.match(label[2]):
        return False  # a total's label is whole: the line under it heads the next group
    return bool(_OPEN_END.search(label[2]) or line[2][:1].islower())


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


# Default tab stops of word processors: every 1.25 cm (LibreOffice) or 1.27 cm / half an inch (Word).
_TAB_STOPS = (1.25 / 2.54 * 72, 0.5 * 72)
_ON_STOP = 0.6  # points: how far from a tab stop a run may start and still stand at it
_TYPED_SHARE = 0.8
_NEAR = 6  # lines either side in which a typed line's table is measured


GOES_ON = "\u2029"  # starts a page's first line that goes on with the last line of the page before


def typed_rows(
    rows: list[list[Run]], margin: float, right_margin: float, carried: Carried | None = None
) -> tuple[dict[int, str | None], Carried] | None:
    """Tab rows of a page typed with tabs at the default tab stops; None for a page that is not.

    Text typed with tabs (a text file opened in a word processor, a report written without a
    table) does not line up in columns: each tab jumps to the next default tab stop, so where a
    cell starts depends on how long the text before it is. But the stops are regular, so the
    number of stops a jump crosses is the number of tabs typed (`Finansiella kostnader` jumping
    two stops to `-252` is an empty note cell), and the typed line comes back exactly. A line too
    long for the page wraps at a tab onto the next line, which then starts at a stop: it is
    joined back when its first cell would not have fitted after the line above and the two
    together have as many cells as the typed lines near it (see `wrapped` within).

    A page is typed when most of its lines of several runs have every run after the first at a
    stop; its other lines stay as laid out. A page's first line that goes on with the last
    typed line of the page before (`carried`) is marked with `GOES_ON`, for the caller to join.
    """
    multi = [row for row in rows if len(row) >= 2]
    if len(multi) < 2:
        return None
    best = max(_TAB_STOPS, key=lambda stop: sum(_typed(row, margin, stop) for row in multi))
    if sum(_typed(row, margin, best) for row in multi) < max(2, _TYPED_SHARE * len(multi)):
        return None
    typed = [_typed_text(row, margin, best) if row else "" for row in rows]
    widths = [  # of each typed line that starts at the margin: a table's rows, whose width a wrapped line must fit
        typed[index].count("\t") + 1 if len(row) >= 2 and row[0][0] - margin <= _ON_STOP else 0
        for index, row in enumerate(rows)
    ]

    def width_at(index: int) -> int:
        """The cells of the widest typed line near a line: its table's width."""
        return max(widths[max(0, index - _NEAR) : index + _NEAR + 1], default=0)

    def wrapped(tail: float, row: list[Run], text: str, before: str, width: int) -> bool | None:
        """Whether a line starting at a tab stop is the typed line before it going on: the tab, or the cell
        after it, did not fit after `tail`, and the two lines joined have exactly the widest line's cells.
        A tab may also stay, unseen, at the end of the line above: where the joined line has fewer cells,
        how many stayed is not known: None, and the line is left out of the table (its amounts flagged,
        not shifted under the wrong titles); with more cells it is a line of its own."""
        first_stop = margin + (_stops_to(tail - margin, best) + 1) * best
        joined_at = first_stop + (_stops_to(row[0][0] - margin, best) - 1) * best
        if first_stop <= right_margin - _ON_STOP and joined_at + row[0][1] - row[0][0] <= right_margin + _ON_STOP:
            return False  # it would have fitted: a line of its own that starts with a tab
        joined = f"{before}{text}".count("\t") + 1
        if joined > width:
            return False  # more cells than any line: a line of its own (a header's second line)
        if joined < width and not _has_amount(before) and not any(_is_amount(run) for run in row):
            return True  # titles going on: a header line wrapped again further down may complete it
        return True if joined == width else None

    out: dict[int, str | None] = {}
    previous: int | None = None  # the typed line a wrapped line goes on
    last_run: dict[int, Run] = {}  # where a typed line that wrapped ends now: its last part's last run
    for index, row in enumerate(rows):
        before = out.get(previous) or typed[previous] if previous is not None else ""
        above = last_run.get(previous, rows[previous][-1]) if previous is not None else None
        if above is not None and row[0][0] - margin <= _ON_STOP and _wrapped_at_space(above, row, right_margin):
            out[previous] = f"{before} {typed[index]}"  # the cell's next word did not fit
            out[index] = None
            last_run[previous] = row[-1] if len(row) > 1 else (above[0], row[0][1], "")
            continue
        if not _typed(row, margin, best):
            previous = None
            continue
        if len(row) < 2 and _stops_to(row[0][0] - margin, best) == 0:
            previous = index  # a line of text or a group's heading (`Kansli`): as laid out, unless its cells wrapped
            continue
        text = typed[index]
        if above is not None and text.startswith("\t"):
            goes_on = wrapped(above[1], row, text, before, width_at(index))
            if goes_on:
                out[previous] = f"{before}{text}"  # its tabs did not fit after it (`rörelsekapital` / `77 369`)
                out[index] = None
                last_run[previous] = row[-1]
                continue
            if goes_on is None:
                previous = None
                continue
        overleaf = carried is not None and carried.typed_tail is not None and not out and index == _first_line(rows)
        if overleaf and text.startswith("\t"):
            goes_on = wrapped(carried.typed_tail[0], row, text, carried.typed_tail[1], carried.width)
            if goes_on is None:
                continue
            if goes_on:
                text = GOES_ON + text
        out[index] = text
        previous = index
    last = previous is not None and all(len(row) < 2 for row in rows[previous + 1 :])  # a page number may follow
    tail = (last_run.get(previous, rows[previous][-1])[1], out.get(previous) or "") if last else None
    return out, Carried(None, width_at(len(rows) - 1) if tail else max(widths, default=0), typed_tail=tail)


def _has_amount(text: str) -> bool:
    return any(_amount(cell) for cell in text.split("\t") if cell.strip())


def _first_line(rows: list[list[Run]]) -> int:
    return next((index for index, row in enumerate(rows) if row), 0)


_THOUSANDS_GROUP = re.compile(r"^\d{3}\b")
_LEADING_GROUP = re.compile(r"(?:^|\s)[-–−]?\d{1,3}$")


def _wrapped_at_space(last: Run, row: list[Run], right_margin: float) -> bool:
    """Whether a line at the margin goes on with the last cell (`last`, its last run) of the typed line above.

    Its first word must not have fitted after that cell, and the text must show it: the cell is
    left open (`jan-`, `stöd,`, a lone `-`), the line goes on in lower case (`utfall – budget`),
    or an amount was broken at its thousands space (`819` / `571`). A capitalised line that
    would not have fitted either is a row of its own.
    """
    first = row[0]
    per_char = (first[1] - first[0]) / max(1, len(first[2]))
    word = first[2].split(" ")[0]
    if last[1] + per_char * (len(word) + 1) <= right_margin + _ON_STOP:
        return False
    if last[2] in ("-", "–", "−"):
        return word[:1].isdigit()  # a sign whose amount went on (`-` / `590 342`), not a dash for nothing
    if _OPEN_END.search(last[2]) or word[:1].islower():
        return True
    return bool(_LEADING_GROUP.search(last[2]) and _THOUSANDS_GROUP.match(first[2]))


def _on_stop(x: float, margin: float, stop: float) -> bool:
    steps = (x - margin) / stop
    return abs(steps - round(steps)) * stop <= _ON_STOP


def _typed(row: list[Run], margin: float, stop: float) -> bool:
    """A line whose runs after its first (and its first, where indented) all start at tab stops."""
    if not row or (row[0][0] - margin > _ON_STOP and not _on_stop(row[0][0], margin, stop)):
        return False
    return all(_on_stop(run[0], margin, stop) for run in row[1:])


def _stops_to(offset: float, stop: float) -> int:
    """How many tab stops lie in (0, offset] from the margin."""
    return max(0, int((offset + _ON_STOP) // stop))


def _typed_text(row: list[Run], margin: float, stop: float) -> str:
    """The typed line: each jump as the tabs it took (one per stop it crossed)."""
    text = "\t" * _stops_to(row[0][0] - margin, stop) + row[0][2]
    for before, run in pairwise(row):
        tabs = _stops_to(run[0] - margin, stop) - _stops_to(before[1] - margin - _ON_STOP, stop)
        text += "\t" * max(1, tabs) + run[2]
    return text
