"""A block of space-aligned lines found and written as tab rows, one cell per column."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from finsam_pipeline.parse.aligned.cells import (
    MAX_BLANK_RUN,
    MAX_SINGLE,
    MAX_SINGLE_RUN,
    Cell,
    cells_alike,
    is_data,
    split_amount_prefixes,
    split_cells,
)
from finsam_pipeline.parse.aligned.columns import (
    assign_cells,
    block_columns,
    label_column_is_text,
    split_shared,
    split_straddling,
)
from finsam_pipeline.parse.aligned.joins import join_body, join_header
from finsam_pipeline.parse.tables import cells_of, is_pipe_row
from finsam_pipeline.read.extract import TextLine


def tabulate_aligned(lines: Sequence[TextLine]) -> list[TextLine]:
    """The lines with each space-aligned table's cells joined by tabs; everything else unchanged."""
    out = list(lines)
    split = [None if _delimited(line.text) else split_cells(line.text) for line in lines]
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
            and tail - end < MAX_SINGLE_RUN
            and split[tail + 1]
            and len(split[tail + 1]) == 1
            and len(split[tail + 1][0].text) <= MAX_SINGLE
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


def _block_end(lines: Sequence[TextLine], split: Sequence[list[Cell] | None], start: int) -> int:
    """The last multi-cell line of the block that starts at `start`."""
    last = start
    singles = blanks = 0
    seen_data = is_data(split[start] or [])
    for index in range(start + 1, len(lines)):
        cells = split[index]
        if cells is None:
            break  # a tab or pipe row: another reader's table
        if len(cells) >= 2:
            if seen_data and not is_data(cells) and not cells[0].text[:1].islower():
                break  # a header after amounts: the next table (a line in lower case continues wrapped cells)
            seen_data = seen_data or is_data(cells)
            last, singles, blanks = index, 0, 0
            continue
        if not cells:
            blanks += 1
            if blanks > MAX_BLANK_RUN:
                break
            continue
        singles += 1
        if singles > MAX_SINGLE_RUN or len(cells[0].text) > MAX_SINGLE:
            break
    return last


def _tabulate_block(rows: list[list[Cell]], tail_from: int) -> dict[int, str]:
    """Tab text for the block's lines, by position in the block (blank lines left out).

    Lines from `tail_from` on are one-cell lines under the block: kept only as the last row's wrapped cells.
    """
    first_data = next((i for i, cells in enumerate(rows) if is_data(cells)), None)
    multi = [i for i, cells in enumerate(rows) if len(cells) >= 2 and i < tail_from]
    header_end = multi[0] + 1 if first_data is None else first_data  # a table of words: its first row heads it
    body = [i for i in multi if i >= header_end] or multi
    split_amount_prefixes(rows, body)
    label_text = label_column_is_text(rows, body)
    columns = block_columns(rows[:tail_from], body, label_text)
    split_shared(rows, [i for i in multi if i < header_end], body, columns)
    placed: dict[int, list[str]] = {}
    fallback: dict[int, int] = {}
    siblings: set[int] = set()  # lines whose first cell is a year or amount like its neighbour
    first_header = next((i for i, cells in enumerate(rows) if cells), 0)
    for i, cells in enumerate(rows):
        if not cells:
            continue
        if i >= header_end:
            cells = split_straddling(cells, columns)
        slots = assign_cells(cells, columns)
        if cells[0].start == 0 and len(cells) >= 2 and slots[0] == 0 and slots[1] >= 2:
            alike = cells_alike(cells[0].text, cells[1].text)
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
    join_header(placed, [i for i in sorted(placed) if i < header_end], widths, leading, fallback, siblings)
    join_body(placed, [i for i in sorted(placed) if i >= header_end], widths, tail_from, movable)
    return {
        i: "\t".join(row).rstrip() if any(row) else "" for i, row in placed.items() if i < tail_from or not any(row)
    }
