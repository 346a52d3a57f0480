"""Tables a word processor typed with tab stops: rows whose runs stand on the document's tab
stops are written as tab rows, and a page's first line that goes on from the page before is marked.
"""

from __future__ import annotations

import re
from itertools import pairwise

from finsam_pipeline.read.layout.grid import OPEN_END, Carried
from finsam_pipeline.read.layout.rows import ON_STOP, TAB_STOPS, Run, is_amount_run, looks_like_amount, on_stop

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
    best = max(TAB_STOPS, key=lambda stop: sum(_typed(row, margin, stop) for row in multi))
    if sum(_typed(row, margin, best) for row in multi) < max(2, _TYPED_SHARE * len(multi)):
        return None
    typed = [_typed_text(row, margin, best) if row else "" for row in rows]
    widths = [  # of each typed line that starts at the margin: a table's rows, whose width a wrapped line must fit
        typed[index].count("\t") + 1 if len(row) >= 2 and row[0][0] - margin <= ON_STOP else 0
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
        if first_stop <= right_margin - ON_STOP and joined_at + row[0][1] - row[0][0] <= right_margin + ON_STOP:
            return False  # it would have fitted: a line of its own that starts with a tab
        joined = f"{before}{text}".count("\t") + 1
        if joined > width:
            return False  # more cells than any line: a line of its own (a header's second line)
        if joined < width and not _has_amount(before) and not any(is_amount_run(run) for run in row):
            return True  # titles going on: a header line wrapped again further down may complete it
        return True if joined == width else None

    out: dict[int, str | None] = {}
    previous: int | None = None  # the typed line a wrapped line goes on
    last_run: dict[int, Run] = {}  # where a typed line that wrapped ends now: its last part's last run
    for index, row in enumerate(rows):
        before = out.get(previous) or typed[previous] if previous is not None else ""
        above = last_run.get(previous, rows[previous][-1]) if previous is not None else None
        if above is not None and row[0][0] - margin <= ON_STOP and _wrapped_at_space(above, row, right_margin):
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
    return any(looks_like_amount(cell) for cell in text.split("\t") if cell.strip())


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
    if last[1] + per_char * (len(word) + 1) <= right_margin + ON_STOP:
        return False
    if last[2] in ("-", "–", "−"):
        return word[:1].isdigit()  # a sign whose amount went on (`-` / `590 342`), not a dash for nothing
    if OPEN_END.search(last[2]) or word[:1].islower():
        return True
    return bool(_LEADING_GROUP.search(last[2]) and _THOUSANDS_GROUP.match(first[2]))


def _typed(row: list[Run], margin: float, stop: float) -> bool:
    """A line whose runs after its first (and its first, where indented) all start at tab stops."""
    if not row or (row[0][0] - margin > ON_STOP and not on_stop(row[0][0], margin, stop)):
        return False
    return all(on_stop(run[0], margin, stop) for run in row[1:])


def _stops_to(offset: float, stop: float) -> int:
    """How many tab stops lie in (0, offset] from the margin."""
    return max(0, int((offset + ON_STOP) // stop))


def _typed_text(row: list[Run], margin: float, stop: float) -> str:
    """The typed line: each jump as the tabs it took (one per stop it crossed)."""
    text = "\t" * _stops_to(row[0][0] - margin, stop) + row[0][2]
    for before, run in pairwise(row):
        tabs = _stops_to(run[0] - margin, stop) - _stops_to(before[1] - margin - ON_STOP, stop)
        text += "\t" * max(1, tabs) + run[2]
    return text
