"""One page laid out as text: glyph rows placed at their columns, tables as tab rows.

The parsers read text; this is where a page's geometry becomes text they can read. Glyphs
become rows by their vertical centres and runs by the gaps between them; a table row whose
cells a word processor centred vertically is made whole again; and a table whose cells the
geometry places beyond doubt is written with its cells joined by tabs, exactly as a delimited
text table, so one parser per table kind reads it from text and from PDF alike. Everything
else stays space-aligned for `parse.aligned`.
"""

from __future__ import annotations

from itertools import pairwise

from finsam_pipeline.read.layout.grid import Carried, tabulate_runs
from finsam_pipeline.read.layout.rows import Glyph, Run, centred_rows, line_pitch, runs_of
from finsam_pipeline.read.layout.typed import typed_rows


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
    centred vertically: see `centred_rows`. On a page that shows where its cells start
    (`cell_starts` not None), the tables whose cells the geometry places beyond doubt are written
    as tab rows (`typed_rows`, `tabulate_runs`); `carried` is the last table of the page before,
    whose rows may go on at this page's top; `digit_jumps` are jumps between digit groups that are a
    tab only where they land on a tab stop (else a no-break space: `tab_not_space`).
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
    runs = [runs_of(row, cell_starts, unit, digit_jumps, margin, run_starts) for row in rows]
    pitch = line_pitch(runs, centres, height) or line_gap
    whole = centred_rows(runs, centres, pitch)
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
