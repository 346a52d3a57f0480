"""A whole table read from text: its header found and joined, its rows read under it until the table
ends, a label that runs on to the next line joined, a unit stated below the table honoured.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from finsam_pipeline.parse.tables.cells import cells_of, is_table_row, split_label
from finsam_pipeline.parse.tables.header import (
    PAGE_FURNITURE,
    TableHeader,
    read_header,
    with_kinds_from_line_above,
    years_in,
)
from finsam_pipeline.parse.tables.header_lines import AMOUNTS_ONLY, LEADING_GROUP, THOUSANDS_GROUP, join_wrapped_header
from finsam_pipeline.parse.tables.rows import TableRow, is_total_label, read_row
from finsam_pipeline.parse.tables.units import declared_unit, stated_unit
from finsam_pipeline.parse.vocabulary import payer_kinds_named
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold


def section_table_lines(lines: Sequence[TextLine], start: int, end: int) -> list[TextLine]:
    """The lines under the heading at `start`; a heading that carries the table header on its own line
    (`Resultaträkning   Not   2023   2022`) gives that header, with the heading's words blanked out."""
    heading = lines[start]
    body = list(lines[start + 1 : end])
    cells = cells_of(heading.text)
    if cells is not None and len(cells) > 1 and years_in("\t".join(cells[1:])):
        delimiter = "\t" if "\t" in heading.text else " | "
        text = delimiter.join(["", *cells[1:]])
        return [replace(heading, text=f"| {text.strip(' |')} |" if delimiter != "\t" else text), *body]
    gap = re.search(r"\S(\s{2,})(?=\S)", heading.text)
    if gap and years_in(heading.text[gap.end() :]):
        return [replace(heading, text=" " * gap.end() + heading.text[gap.end() :]), *body]
    return body


def read_table(
    lines: Sequence[TextLine], note_titles: Mapping[int, str] | None = None, default_unit: int = 1
) -> tuple[TableHeader | None, list[TableRow], int]:
    """The first table in `lines`: its header, its rows (labels unwrapped) and unit."""
    note_titles = note_titles or {}
    header: TableHeader | None = None
    unit: int | None = None
    rows: list[TableRow] = []
    pending_text: TableRow | None = None
    around: TableRow | None = None
    ran_on: set[int] = set()  # lines of amounts alone taken into the row above
    lines = join_wrapped_header(lines)
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text:
            continue
        if header is None:
            unit = unit or declared_unit(text) if len(text) < 60 else unit
            header = read_header(line)
            if header is None and _rows_below_print_no_years(lines, index):
                header = read_header(line, lone_year=True)
            if header is not None:
                unit = header.unit or unit
                header = with_kinds_from_line_above(header, _previous_non_empty(lines, index))
            continue
        if read_header(line) is not None and not rows and years_in(text):
            continue  # second line of a two-line header (2024-01-01 / 2024-12-31)
        if rows and years_in(text) and (another := read_header(line)) is not None:
            if another.years != header.years:
                break  # another table's header (`Resultaträkning  2024  2023` under a five-year overview): it ended
            if another.unit in (None, header.unit) and another.column_kinds == header.column_kinds:
                header = replace(another, unit=header.unit)  # the header repeated over a page: its columns from here
            continue
        if (
            THOUSANDS_GROUP.fullmatch(text)
            and rows
            and rows[-1].has_values
            and rows[-1].line.line_no == _previous_line_no(lines, index)
            and re.search(r"(?<!\d)\d{1,3}$", rows[-1].line.text.rstrip())
        ):
            # a line broken inside an amount (`… 819` over `571`): which digits belong where is not printed
            rows[-1].values = None
            rows[-1].problem = f"an amount ran onto the next line ('{text}'): left out"
            continue
        if index in ran_on:
            continue
        row = read_row(line, header, note_titles)
        if row.label and (row.problem or (row.values is not None and None in row.values)):
            following = _run_on_line(lines, index)
            if following is not None and LEADING_GROUP.match(following.text.strip()) and text[-1].isdigit():
                # `… 3 125 900` / `947 835`: the line may have broken inside an amount, at its thousands space
                row.values = None
                row.problem = (
                    f"its amounts go on in the next line ('{following.text.strip()}'): "
                    "which digits belong where is not printed"
                )
                ran_on.add(index + 1)
            elif following is not None:
                joined = read_row(
                    replace(line, text=f"{line.text.rstrip()}   {following.text.strip()}"), header, note_titles
                )
                if joined.values is not None and None not in joined.values and not joined.problem:
                    row = joined
                    ran_on.add(index + 1)
            elif (rest := _rest_of_a_wrapped_row(lines, index, row, header, note_titles)) is not None:
                row.label = f"{row.label} {rest.label}"
                row.values = tuple(a if a is not None else b for a, b in zip(row.values, rest.values, strict=True))
                ran_on.add(index + 1)
        if not row.label and not row.has_values and not row.problem:
            continue
        if PAGE_FURNITURE.match(fold(row.label)):
            continue
        starts_lower = row.label[:1].islower()
        if (
            around is not None
            and rows
            and rows[-1] is around
            and row.label
            and not row.has_values
            and not row.problem
            and around.line.line_no == _previous_line_no(lines, index)
            and not AMOUNTS_ONLY.fullmatch(_next_non_empty_text(lines, index))
        ):
            around.label = f"{around.label} {row.label}"  # the label's last part, under its amounts
            around = None
            continue
        around = None
        if (
            starts_lower
            and not row.has_values
            and not row.problem
            and rows
            and rows[-1].has_values
            and rows[-1].line.line_no == _previous_line_no(lines, index)
        ):
            rows[-1].label = f"{rows[-1].label} {row.label}"
            continue
        goes_on = bool(rows) and pending_text is rows[-1] and (
            _label_goes_on(pending_text.label, row.label) or (starts_lower and not row.has_values and not row.problem)
        )  # a label-only line in lower case goes on the label-only line above (`Resultat efter` / `finansiella …`)
        if goes_on and pending_text is not None and not row.has_values and not row.problem and row.label:
            pending_text.label = f"{pending_text.label} {row.label}"  # `SUMMA EGET KAPITAL,` / `AVSÄTTNINGAR OCH`
            continue
        goes_on = goes_on or (pending_text is not None and _remark_in_brackets(row.label))
        if (starts_lower or goes_on or not row.label.strip()) and (row.has_values or row.problem) and pending_text:
            # a wrapped label's next part, or its amounts alone on a line (a cell's label wrapped around them)
            if not row.label.strip():
                around = row  # a label wrapped around its amounts: its last part may follow, whatever its case
            row.label = f"{pending_text.label} {row.label}".strip()
            rows.remove(pending_text)
        elif not row.label.strip() and row.has_values:
            row.values, row.problem = None, "amounts without a label: which line they belong to is unknown"
        rows.append(row)
        pending_text = row if not row.has_values and not row.problem else None
    if header is not None and unit is None:
        unit = _unit_stated_after(rows)
    return header, rows, unit or default_unit


def _remark_in_brackets(label: str) -> bool:
    """A label that is only a remark in brackets (`(överskott+/underskott-)` under `Årets resultat`) goes on the
    label above it; a bracketed breakdown (`(varav ESF-medel)`) is a line of its own."""
    words = fold(label).split()
    return label.startswith("(") and label.rstrip().endswith(")") and bool(words) and words[0] not in ("varav", "darav")


_OPEN_ENDS = frozenset({"och", "samt", "for", "av", "vid", "till", "i", "fran", "per", "den", "det", "de"})


_TOTAL_WORDS = ("totalt", "summa", "total")
_PARTICIPLE = re.compile(r"(?:ande|ende)$")


def _label_goes_on(label: str, following: str) -> bool:
    """A label without amounts that cannot end there, completed by the next line whatever its case: one ending in
    a comma or a word that joins (`SUMMA EGET KAPITAL,` / `AVSÄTTNINGAR OCH` / `SKULDER`, `Summa eget kapital vid`
    / `årets slut`), or a total in capitals going on in capitals (`SUMMA KORTFRISTIGA` / `SKULDER  110,6`): every
    total carries its amounts. A total in ordinary case alone on its line (`Summa tillgångar` printed twice)
    stays a line of its own."""
    words = fold(label).split()
    if not words or not following:
        return False
    if label.rstrip().endswith(",") or words[-1] in _OPEN_ENDS or _PARTICIPLE.search(words[-1]):
        return True  # `MEDEL FRÅN DEN LÖPANDE` / `VERKSAMHETEN  -17,6`: a participle names no line
    if label.split()[-1] == "Region" and not payer_kinds_named(following):
        return True  # `Medlemsavgift Region` / `Stockholm  4031000`: a region's name follows the word, always;
        # a line naming a payer of its own (`Staten och Region` / `Trelleborgs kommun`) is its own line

    if fold(following).split() in ([word] for word in _TOTAL_WORDS):
        return True  # `ANLÄGGNINGSTILLGÅNGAR` / `TOTALT  56,9  71,1`: a total word alone ends the label above
    complete = _DEFINITE_ENDING.search(words[-1]) is not None  # `SUMMA FINANSIERINGSVERKSAMHETEN` ends there
    return is_total_label(label) and label.isupper() and following.isupper() and not complete


_DEFINITE_ENDING = re.compile(r"(?:heten|[^aeiouy]en|et|arna|erna|orna)$")  # a noun in definite form ends a label


def _rest_of_a_wrapped_row(
    lines: Sequence[TextLine], index: int, row: TableRow, header: TableHeader, note_titles: Mapping[int, str]
) -> TableRow | None:
    """The next line, where it is the rest of a row whose label wrapped with its amounts spread over both lines
    (`SUMMA EGET KAPITAL OCH   ·   1 804` over `SKULDER   2 001   ·`, a scan's two-line cell): the label cannot end
    where it breaks (`och`, `av`, a comma) or the next part starts in lower case, and the two lines print the
    columns' amounts between them exactly once, each under its own column, none unknown or a dash."""
    if index + 1 >= len(lines) or lines[index + 1].line_no != lines[index].line_no + 1 or row.problem:
        return None
    if row.values is None or row.unreadable_columns or row.dashed_columns:
        return None
    rest = read_row(lines[index + 1], header, note_titles)
    if rest.problem or rest.values is None or rest.unreadable_columns or rest.dashed_columns or not rest.label:
        return None
    if not (_label_goes_on(row.label, rest.label) or rest.label[:1].islower()):
        return None
    if any((a is None) == (b is None) for a, b in zip(row.values, rest.values, strict=True)):
        return None
    return rest


def _run_on_line(lines: Sequence[TextLine], index: int) -> TextLine | None:
    """The line right under `index` when it holds amounts alone: the row's last amounts, where a typed line
    wrapped at the margin (`Summa eget kapital, avsättningar och skulder  6 036 648` / `2 775 748`). The row
    is read again with them; it takes them only when it then has every column's amount and nothing left over."""
    if index + 1 >= len(lines):
        return None
    following = lines[index + 1]
    text = following.text.strip()
    if not text or following.line_no != lines[index].line_no + 1 or not AMOUNTS_ONLY.fullmatch(text):
        return None
    return following


_NO_YEAR_AMOUNT = re.compile(r"^[-−–(]?\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?\)?$")


_LOOK_BELOW = 6


def _rows_below_print_no_years(lines: Sequence[TextLine], index: int) -> bool:
    """Whether the first row with an amount under a header candidate with one year (`Medlem  2019`, `| Medlem |
    2021 |` over a rule and group titles) prints it as no year is printed (`1 313 000`, `2 995,0`, `547`): then
    that year names the column rather than being an amount."""
    for line in lines[index + 1 : index + 1 + _LOOK_BELOW]:
        text = line.text.strip()
        if not text or not is_table_row(text):
            continue
        _, amounts = split_label(text)
        if not amounts.strip() or set(amounts) <= set("|-: "):
            continue  # a markdown rule, a group title with empty cells
        return bool(_NO_YEAR_AMOUNT.match(amounts.strip())) and not years_in(amounts)
    return False


def _unit_stated_after(rows: list[TableRow]) -> int | None:
    """`Beloppen står i tkr` printed right under the table: the first line after its last amounts."""
    last_values = max((i for i, row in enumerate(rows) if row.has_values), default=None)
    if last_values is None:
        return None
    for row in rows[last_values + 1 :]:
        unit = stated_unit(row.line.text.strip())
        if unit is not None or not row.problem:
            return unit  # the first line under the amounts; a line of unreadable amounts is passed over
    return None


def _next_non_empty_text(lines: Sequence[TextLine], index: int) -> str:
    return next((line.text.strip() for line in lines[index + 1 :] if line.text.strip()), "")


def _previous_non_empty(lines: Sequence[TextLine], index: int) -> TextLine | None:
    return next((line for line in reversed(lines[:index]) if line.text.strip()), None)


def _previous_line_no(lines: Sequence[TextLine], index: int) -> int:
    for previous in reversed(lines[:index]):
        if previous.text.strip():
            return previous.line_no
    return -1
