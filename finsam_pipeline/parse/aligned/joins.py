"""Cells wrapped over several lines joined where the text shows it: open ends, words that would
not have fit, lines that lost their indentation.
"""

from __future__ import annotations

from finsam_pipeline.parse.aligned.cells import AMOUNT, FIT_SLACK, OPEN_END, TOTAL, cell_kind


def _evidence(above: str, below: str, width: int, *, header: bool = False) -> int:
    """How surely `below` continues `above` in a wrapped cell: 2 the text was left open, 1 the word did not fit, else 0.

    Open: `above` ends in a hyphen, comma or joining word, or `below` starts in lower case or is a
    scrap of a cell (`M`). Did not fit: `above` fills most of its column and the first word of
    `below` would have run past the column's widest line (character counts only approximate widths).
    """
    if not above or not below:
        return 0
    if OPEN_END.search(above) or above.count("(") > above.count(")") or below[:1].islower() or len(below) <= 2:
        return 2
    if TOTAL.match(above):
        return 0  # a total closes its group: a capitalised line under it heads the next
    return int(_fits_short(above, below, width, header=header))


def _continues(above: list[str], below: list[str], widths: list[int], *, body: bool, tail: bool = False) -> bool:
    filled = [c for c, text in enumerate(below) if text]
    under = sum(1 for c in filled if above[c])
    if not filled or not under or (body and under < len(filled)) or under * 4 < len(filled) * 3:
        return False  # a wrapped cell continues under its own first line (a header line misread in one column aside)
    if body:
        for c in filled:
            if AMOUNT.match(below[c]) and (AMOUNT.match(above[c]) or cell_kind(above[c]) == "year"):
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
        if not text or (column and AMOUNT.match(text)):
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
    return (header or len(above) >= width * 0.6) and len(above) + 1 + len(first) > width * FIT_SLACK


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


def join_header(
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


def join_body(
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
