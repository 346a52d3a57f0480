"""Space-aligned tables (PDF layout text, `pdftotext -layout`, aligned .txt) as tab rows.

PDF text comes out of `extract.layout_text` with each glyph near its x position, so a
table's cells are runs of text separated by two or more spaces. The content parsers
read tab and pipe cells; `tabulate_aligned` turns each block of space-aligned lines
into tab rows with one cell per column (empty cells kept), so one parser per table kind
reads a table from text and from PDF alike.

How a block is read, by general rules only:

- A block is a run of lines with two or more cells, allowing blank lines and short
  one-cell lines (section rows, wrapped cells) inside it; a header-like line after rows
  with amounts starts the next block. Its header is the lines before the first row with
  an amount (a table of words: its first line); the body is the rest.
- Columns are the runs of positions the body's cells cover, split by gutters: positions
  blank in (nearly) all body rows. Text is measured short (PDF layout text overruns its
  width on the page), a cell two spaces after a long text may have been pushed right and
  counts only where nothing surer stands, two close columns no row fills both of are one
  (drifted amounts), and when pushes blur the gutters the cells of the commonest full
  row, in order, are the columns. Cells standing wholly in a gutter belong to the column
  beside them (text reaches right to its amounts, amounts left) unless a line has cells in
  both: then they are a column of their own (`Intäkt` over empty cells). A line with two
  cells in one column splits it (a header at once, body rows when several agree).
- Each line's cells go to columns left to right by overlap (amount columns reach left to
  their neighbour, text columns right; left-aligned text starts where its column does).
  Body cells printed one space apart across a gutter are split between an amount and a
  text (`445 Se förklaringar …`).
- PDF layout starts every line at its first glyph, so a line's first cell may have lost
  its indentation: a year or amount like its neighbour goes just left of it, a word
  heads the first column after the labels, and under a header line the text it most
  surely continues decides.
- A cell wrapped over several lines is joined when the text shows it: left open (a
  hyphen, comma or joining word, an open parenthesis, a lower-case start, a scrap such
  as `M`) or the next word would not have fit in the column. Header lines join into the
  header's last line; body lines join into the row's first line, where its amounts are.
  A line as full as the row above is a row, a capitalised line under a total heads the
  next group, and under the table only open text continues. Joined lines are left
  blank, so line numbers and pages stay as they were and facts keep their source line.

Lines already delimited by tabs or pipes, and lines outside any block, are returned unchanged.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise

from finsam_pipeline.parse.tables import cells_of, is_pipe_row
from finsam_pipeline.read.extract import TextLine

_CELL = re.compile(r"\S+(?: \S+)*")
_YEARISH = re.compile(
    r"^(?:(?:19|20)\d{2}(?:-\d{2}-\d{2})?(?:\s*[-–]\s*(?:19|20)\d{2}(?:-\d{2}-\d{2})?)?|(?:19|20)\d{2}\s*[-–/]\s*\d{2,4})$"
)
_TOTAL = re.compile(r"^(?:summa|totalt?|totala|s:a)\b", re.IGNORECASE)
_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_AMOUNT = re.compile(r"^[-+–(]?\s?(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d+)?\s?%?\)?\*?$")
_MAX_SINGLE = 80  # a one-cell line longer than this is prose, not a table row
_MAX_SINGLE_RUN = 8  # one-cell lines in a row inside a block (a cell wrapped over lines, a section row)
_MAX_BLANK_RUN = 2
_FIT_SLACK = 0.9  # character counts only approximate widths in a proportional font
_OPEN_END = re.compile(r"(?:[-,;&/(\ufffe]|\b(?:och|eller|samt|av|för|i|med|till|på|om))$", re.IGNORECASE)
_TEXT_WIDTH = 0.75  # PDF layout text: a text cell's characters overrun its width on the page by about a third


@dataclass
class _Cell:
    start: int  # where the line shows it
    end: int
    text: str
    lo: int  # the leftmost place it may truly start: a cell two spaces after a long text may have been pushed right
    kind: str = field(init=False)
    width: int = field(init=False)  # its width on the page in positions: text is measured short, its characters overrun

    def __post_init__(self) -> None:
        self.kind = _kind(self.text)
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
def _kind(text: str) -> str:
    """`year` (a year or period header), `value` (an amount or count), else `text`."""
    stripped = text.strip()
    if _YEARISH.match(stripped):
        return "year"
    if re.match(r"^[-+–(]?\s?\d", stripped):
        letters = sum(ch.isalpha() for ch in stripped)
        if letters <= max(3, len(stripped) // 2):
            return "value"
    return "text"


def _split(text: str) -> list[_Cell]:
    cells: list[_Cell] = []
    for match in _CELL.finditer(text.replace("\t", " ")):
        start = match.start()
        lo = start
        if cells and start - cells[-1].end == 2:  # as close as a layout puts a cell it had to push
            lo = min(start, math.ceil(cells[-1].lo + cells[-1].width + 1.5))  # layouts keep cells 1.5 apart
        cells.append(_Cell(start, match.end(), match.group(), lo))
    return cells


def _is_data(cells: Sequence[_Cell]) -> bool:
    return len(cells) >= 2 and any(c.kind == "value" for c in cells)


@dataclass
class _Column:
    left: int
    right: int
    numeric: bool = False  # amounts, right-aligned: the column reaches left to its neighbour; text reaches right
    ordinal: bool = False  # found by counting cells, not by gutters: a line with as many cells fills it in order


def tabulate_aligned(lines: Sequence[TextLine]) -> list[TextLine]:
    """The lines with each space-aligned table's cells joined by tabs; everything else unchanged."""
    out = list(lines)
    split = [None if _delimited(line.text) else _split(line.text) for line in lines]
    index = 0
    while index < len(lines):
        cells = split[index]
        if not cells or len(cells) < 2:
            index += 1
            continue
        end = _block_end(lines, split, index)
        tail = end
        while (
            tail + 1 < len(lines)
            and tail - end < _MAX_SINGLE_RUN
            and split[tail + 1]
            and len(split[tail + 1]) == 1
            and len(split[tail + 1][0].text) <= _MAX_SINGLE
        ):
            tail += 1  # one-cell lines right under the block: maybe the last row's wrapped cells
        block = list(range(index, tail + 1))
        if sum(1 for i in block if split[i] and len(split[i]) >= 2) >= 2:
            try:
                texts = _tabulate_block([list(split[i] or []) for i in block], end - index + 1)
            except (ValueError, IndexError):  # a block this reader cannot lay out stays as printed
                texts = {}
            for i, text in texts.items():
                out[block[i]] = replace(lines[block[i]], text=text)
        index = end + 1
    return out


def _delimited(text: str) -> bool:
    """Tab or pipe cells, also a pipe row whose end OCR damaged (`| ?? 231] 21] … |  34  |  -  I`): its pipes,
    not its spacing, were its cells, so it is no space-aligned row to lay out (left as it stands, unread)."""
    return cells_of(text) is not None or is_pipe_row(text)


def _block_end(lines: Sequence[TextLine], split: Sequence[list[_Cell] | None], start: int) -> int:
    """The last multi-cell line of the block that starts at `start`."""
    last = start
    singles = blanks = 0
    seen_data = _is_data(split[start] or [])
    for index in range(start + 1, len(lines)):
        cells = split[index]
        if cells is None:
            break  # a tab or pipe row: another reader's table
        if len(cells) >= 2:
            if seen_data and not _is_data(cells) and not cells[0].text[:1].islower():
                break  # a header after amounts: the next table (a line in lower case continues wrapped cells)
            seen_data = seen_data or _is_data(cells)
            last, singles, blanks = index, 0, 0
            continue
        if not cells:
            blanks += 1
            if blanks > _MAX_BLANK_RUN:
                break
            continue
        singles += 1
        if singles > _MAX_SINGLE_RUN or len(cells[0].text) > _MAX_SINGLE:
            break
    return last


def _tabulate_block(rows: list[list[_Cell]], tail_from: int) -> dict[int, str]:
    """Tab text for the block's lines, by position in the block (blank lines left out).

    Lines from `tail_from` on are one-cell lines under the block: kept only as the last row's wrapped cells.
    """
    first_data = next((i for i, cells in enumerate(rows) if _is_data(cells)), None)
    multi = [i for i, cells in enumerate(rows) if len(cells) >= 2 and i < tail_from]
    header_end = multi[0] + 1 if first_data is None else first_data  # a table of words: its first row heads it
    body = [i for i in multi if i >= header_end] or multi
    _split_amount_prefixes(rows, body)
    label_text = _label_column_is_text(rows, body)
    columns = _columns(rows[:tail_from], body, label_text)
    _split_shared(rows, [i for i in multi if i < header_end], body, columns)
    placed: dict[int, list[str]] = {}
    fallback: dict[int, int] = {}
    siblings: set[int] = set()  # lines whose first cell is a year or amount like its neighbour
    first_header = next((i for i, cells in enumerate(rows) if cells), 0)
    for i, cells in enumerate(rows):
        if not cells:
            continue
        if i >= header_end:
            cells = _split_straddling(cells, columns)
        slots = _assign(cells, columns)
        if cells[0].start == 0 and len(cells) >= 2 and slots[0] == 0 and slots[1] >= 2:
            alike = _alike(cells[0].text, cells[1].text)
            if (i < header_end and alike) or (label_text and cells[0].kind != "text" and alike):
                # The first cell lost its indentation: a year or amount stands just left of its neighbour,
                # a word heads the first column after the labels (`Utfall` over `Intäkt Kostnad Netto`).
                sibling = cells[0].kind != "text" or not label_text
                target = slots[1] - 1 if sibling else 1
                if first_header < i < header_end:
                    fallback[i] = target  # under a header line, what the text continues decides first
                    if cells[0].kind != "text":
                        siblings.add(i)
                else:
                    slots[0] = target
        row = [""] * len(columns)
        for cell, slot in zip(cells, slots, strict=True):
            row[slot] = f"{row[slot]} {cell.text}".strip()
        placed[i] = row
    widths = [max((len(row[c]) for i, row in placed.items() if i < tail_from), default=0) for c in range(len(columns))]
    movable = {i for i, cells in enumerate(rows) if len(cells) == 1 and cells[0].start == 0}
    leading = {i for i, cells in enumerate(rows) if cells and cells[0].start == 0}
    _join_header(placed, [i for i in sorted(placed) if i < header_end], widths, leading, fallback, siblings)
    _join_body(placed, [i for i in sorted(placed) if i >= header_end], widths, tail_from, movable)
    return {
        i: "\t".join(row).rstrip() if any(row) else "" for i, row in placed.items() if i < tail_from or not any(row)
    }


def _split_straddling(cells: list[_Cell], columns: list[_Column]) -> list[_Cell]:
    """A body cell run into its neighbour across a gutter: split between an amount and a text.

    `68 (Antal besök 1981)`, `1 055 Se förklaringar …` (an amount, then the next column's text) and
    `Förbundschef 350` (a label, then an amount) are two cells printed too close; an amount's own
    digit groups (`- 650 000`) are never split.
    """
    out: list[_Cell] = []
    for cell in cells:
        covered = [c for c in columns if c.left <= cell.right and c.right >= cell.start]
        if len(covered) < 2 or " " not in cell.text:
            out.append(cell)
            continue
        cut = None
        for match in re.finditer(" ", cell.text):
            left, right = cell.text[: match.start()], cell.text[match.end() :]
            if _kind(left) == "value" and _kind(right) == "text" and not right[0].isdigit():
                cut = match.start()
                break
            if _kind(left) == "text" and left[-1].isalpha() and _AMOUNT.match(right):
                cut = match.start()
                break
        if cut is None:
            out.append(cell)
            continue
        out.append(_Cell(cell.start, cell.start + cut, cell.text[:cut], cell.lo))
        out.append(_Cell(cell.start + cut + 1, cell.end, cell.text[cut + 1 :], cell.start + cut + 1))
    return out


def _alike(a: str, b: str) -> bool:
    """Two cells of one kind: years, amounts, or words of the same shape (`Intäkt`, `Kostnad`)."""
    kind = _kind(a)
    if kind != _kind(b):
        return False
    if kind != "text":
        return True
    return len(a.split()) == len(b.split()) and bool(_YEAR_IN.search(a)) == bool(_YEAR_IN.search(b))


_AMOUNT_PREFIX = re.compile(r"^[-+–(]?\s?(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d+)?%?(?= [A-Za-zÅÄÖåäöÉé(])")


def _split_amount_prefixes(rows: list[list[_Cell]], body: list[int]) -> None:
    """Amounts printed one space from the next column's text (`445 Se förklaringar …`): split where they align.

    Only when several rows' amounts end at the same place: a right-aligned column, not a count with its
    word (`16 mån`).
    """
    found = []
    for i in body:
        for position, cell in enumerate(rows[i]):
            match = _AMOUNT_PREFIX.match(cell.text)
            if match and _kind(cell.text[match.end() + 1 :]) == "text":
                found.append((cell.start + match.end(), i, position, match.end()))
    ends = [end for end, *_ in found]
    for end, i, position, cut in sorted(found, key=lambda f: (f[1], -f[2])):
        if sum(1 for other in ends if abs(other - end) <= 1) < 2:
            continue
        cell = rows[i][position]
        rows[i][position : position + 1] = [
            _Cell(cell.start, cell.start + cut, cell.text[:cut], cell.lo),
            _Cell(cell.start + cut + 1, cell.end, cell.text[cut + 1 :], cell.start + cut + 1),
        ]


def _merge_alternating(rows: list[list[_Cell]], body: list[int], columns: list[_Column]) -> list[_Column]:
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


def _by_order(rows: list[list[_Cell]], body: list[int], columns: list[_Column]) -> list[_Column]:
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


def _mark_numeric(rows: list[list[_Cell]], body: list[int], columns: list[_Column]) -> None:
    for column in columns:
        kinds = [
            c.kind != "text"
            for i in body
            for c in rows[i]
            if not c.pushed and c.start <= column.right and c.right >= column.left
        ]
        column.numeric = sum(kinds) * 2 > len(kinds)


def _split_shared(rows: list[list[_Cell]], header: list[int], body: list[int], columns: list[_Column]) -> None:
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


def _shared_in(cells: list[_Cell], columns: list[_Column], *, reliable: bool) -> tuple[int, int] | None:
    slots = _assign(cells, columns)
    for a in range(len(slots) - 1):
        b = a + 1
        if slots[a] == slots[b] and cells[b].lo > cells[a].start and not (reliable and cells[b].pushed):
            return slots[a], cells[b].lo
    return None


def _label_column_is_text(rows: list[list[_Cell]], body: list[int]) -> bool:
    leading = [rows[i][0] for i in body if rows[i] and rows[i][0].start == 0]
    return sum(c.kind == "text" for c in leading) * 2 > len(leading)


def _columns(rows: list[list[_Cell]], body: list[int], label_text: bool) -> list[_Column]:
    """Columns: runs of positions the body's cells cover, split by gutters; then cells standing in a gutter."""
    width = max((c.end for cells in rows for c in cells), default=0) + 1
    coverage = [0] * width
    pushed: list[_Cell] = []
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


def _place_region(rows: list[list[_Cell]], columns: list[_Column], left: int, right: int, *, amounts: bool) -> None:
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


def _in_region(cells: list[_Cell], left: int, right: int) -> bool:
    return any(left <= c.start and c.right <= right for c in cells)


def _other_in(cells: list[_Cell], column: _Column, left: int, right: int) -> bool:
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


def _score(cell: _Cell, column: _Column, extent: tuple[int, int]) -> float:
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


def _assign(cells: list[_Cell], columns: list[_Column]) -> list[int]:
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


def _evidence(above: str, below: str, width: int, *, header: bool = False) -> int:
    """How surely `below` continues `above` in a wrapped cell: 2 the text was left open, 1 the word did not fit, else 0.

    Open: `above` ends in a hyphen, comma or joining word, or `below` starts in lower case or is a
    scrap of a cell (`M`). Did not fit: `above` fills most of its column and the first word of
    `below` would have run past the column's widest line (character counts only approximate widths).
    """
    if not above or not below:
        return 0
    if _OPEN_END.search(above) or above.count("(") > above.count(")") or below[:1].islower() or len(below) <= 2:
        return 2
    if _TOTAL.match(above):
        return 0  # a total closes its group: a capitalised line under it heads the next
    return int(_fits_short(above, below, width, header=header))


def _continues(above: list[str], below: list[str], widths: list[int], *, body: bool, tail: bool = False) -> bool:
    filled = [c for c, text in enumerate(below) if text]
    under = sum(1 for c in filled if above[c])
    if not filled or not under or (body and under < len(filled)) or under * 4 < len(filled) * 3:
        return False  # a wrapped cell continues under its own first line (a header line misread in one column aside)
    if body:
        for c in filled:
            if _AMOUNT.match(below[c]) and (_AMOUNT.match(above[c]) or _kind(above[c]) == "year"):
                return False  # an amount under an amount: a row of its own
    needed = 2 if tail else 1  # under the table, only an open text continues: `Beloppen står i tkr` is a note
    evidence = [_evidence(above[c], below[c], widths[c], header=not body) for c in filled]
    if body and len(filled) >= 2 and len(filled) == sum(1 for text in above if text):
        return min(evidence) == 2  # a line as full as the row above is a row, unless every cell was left open
    return max(evidence) >= needed


def _join(upper: list[str], lower: list[str]) -> list[str]:
    return [
        f"{a[:-1]}-{b}".strip() if a.endswith("\ufffe") else f"{a} {b}".strip()
        for a, b in zip(upper, lower, strict=True)
    ]


def _moved(row: list[str], above: list[str], widths: list[int]) -> list[str]:
    """A lone cell at the line's start may have lost its indentation: put it under the text it most surely continues.

    A column whose text fills it and was left open (`… Betalade tillbaka en` / `del`) draws the scrap
    away from a label it would have fitted after (`Rehabteamet`).
    """
    if not row[0] or any(row[1:]):
        return row

    def rank(column: int) -> tuple[int, int]:
        text = above[column]
        if not text or (column and _AMOUNT.match(text)):
            return (-1, -1)
        return (int(_fits_short(text, row[0], widths[column])), _evidence(text, row[0], widths[column]))

    best = max(range(len(row)), key=lambda c: (rank(c), c == 0))
    if best == 0 or rank(best) <= rank(0) or rank(best)[1] < 2:
        return row
    moved = [""] * len(row)
    moved[best] = row[0]
    return moved


def _fits_short(above: str, below: str, width: int, *, header: bool = False) -> bool:
    """The line above fills its column: the first word below would not have fit after it.

    A header breaks its words over narrow columns (`år` / `2023`), so there the line above may be short.
    """
    first = below.split()[0]
    return (header or len(above) >= width * 0.6) and len(above) + 1 + len(first) > width * _FIT_SLACK


def _leading_moved(
    row: list[str], above: list[str], widths: list[int], fallback: int | None, sibling: bool
) -> list[str]:
    """A header line's first cell, its indentation maybe lost: under the header text it most surely continues."""
    if not row[0]:
        return row
    limit = next((c for c in range(1, len(row)) if row[c]), len(row))
    here = _evidence(above[0], row[0], widths[0], header=True) if above[0] else -1
    scored = [(_evidence(above[c], row[0], widths[c], header=True), c) for c in range(1, limit) if above[c]]
    evidence, best = max(scored, default=(-1, 0))
    if limit == len(row) and evidence < 2:
        evidence = -1  # a lone line (`Kansli` under the header) moves only to a text left open
    if evidence < 1 or evidence < here:  # nothing continues better than the first column, if that continues
        best = 0 if here >= 1 or fallback is None else fallback
    elif evidence == here:  # a year beside years goes beside them; a word stays where it is shown
        best = fallback if fallback is not None and sibling else 0
    if not best:
        return row
    moved = list(row)
    moved[0], moved[best] = "", row[0]
    return moved


def _join_header(
    placed: dict[int, list[str]],
    header: list[int],
    widths: list[int],
    leading: set[int],
    fallback: dict[int, int],
    siblings: set[int],
) -> None:
    """Header lines that continue the line above are joined into the lower line; the upper is left blank."""
    last_fragment: list[str] | None = None
    previous: int | None = None
    for i in header:
        row = placed[i]
        if i in leading and last_fragment is not None:
            row = placed[i] = _leading_moved(row, last_fragment, widths, fallback.get(i), i in siblings)
        if previous is not None and last_fragment is not None and _continues(last_fragment, row, widths, body=False):
            placed[i] = _join(placed[previous], row)
            placed[previous] = [""] * len(row)
        last_fragment, previous = list(row), i


def _join_body(
    placed: dict[int, list[str]], body: list[int], widths: list[int], tail_from: int, movable: set[int]
) -> None:
    """Body lines that continue the row above are joined into that row; they are left blank."""
    owner: int | None = None
    last_fragment: list[str] | None = None
    for i in body:
        row = placed[i]
        if i in movable and last_fragment is not None:
            row = _moved(row, last_fragment, widths)
        tail = i >= tail_from
        if (
            owner is not None
            and last_fragment is not None
            and _continues(last_fragment, row, widths, body=True, tail=tail)
        ):
            placed[owner] = _join(placed[owner], row)
            last_fragment = list(row)
            placed[i] = [""] * len(row)
            continue
        if tail:
            return
        owner, last_fragment = i, list(row)
