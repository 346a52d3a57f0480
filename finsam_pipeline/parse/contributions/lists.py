"""Financing told as lists in the text (`Försäkringskassan 2 000 000 kr`), block by block, with
the totals the text states.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from finsam_pipeline.parse.contributions.amounts import (
    BULLET,
    HEADING_UNIT,
    MAX_LABEL,
    MAX_LINES_BEFORE_ROWS,
    REVENUE_NOTE_CODES,
    UNIT_SUFFIX,
    YEAR_CELL,
    payer_rows,
    scale_evidence,
    stated_totals,
)
from finsam_pipeline.parse.contributions.payers import kind_words, name_sole_kommun, payer
from finsam_pipeline.parse.numbers import NumberParseError, parse_amount, split_amounts
from finsam_pipeline.parse.sections import heading_key, match_heading
from finsam_pipeline.parse.tables import cells_of, declared_unit, is_total_label, read_header, split_label, unit_of
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold


@dataclass
class _ListRow:
    label: str
    values: list[int | None]  # as printed, one per column
    unit: int | None  # stated in the row's own cells (`2 007 tkr`)
    line: TextLine


def _amount_cell(cell: str) -> tuple[int | None, int | None]:
    """(value as printed, unit written in the cell); NumberParseError when the cell is no amount."""
    match = UNIT_SUFFIX.search(cell)
    unit = unit_of(match["word"]) if match and match["word"] else None
    body = cell[: match.start()] if match else cell
    if not any(ch.isdigit() for ch in body):
        raise NumberParseError(f"not an amount: {cell!r}")
    return parse_amount(body), unit


def _list_row(line: TextLine, columns: int) -> _ListRow | None:
    """A `payer  amount [amount …]` line in tabs, pipes, aligned columns or single spaces."""
    text = BULLET.sub("", line.text.strip())
    delimited = cells_of(text)
    parts = delimited if delimited is not None else re.split(r"\s{2,}", text)
    parts = [p.strip() for p in parts]
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    while len(parts) > 1 and not parts[0]:
        parts.pop(0)
    label = parts[0] if parts else ""
    cells = parts[1:]
    if delimited is None and (not cells or len(cells) < columns):
        body = " ".join([label, *cells])
        match = UNIT_SUFFIX.search(body)
        stated = body[match.start() :] if match else ""
        label, tail = split_label(body[: match.start()] if match else body)
        if not tail:
            return None
        try:
            tokens = [tail] if columns == 1 else [str(v) if v is not None else "" for v in split_amounts(tail, columns)]
        except NumberParseError:
            return None
        cells = [*tokens[:-1], tokens[-1] + stated]
    label = label.strip(" .:=\t-–")
    if not label or not any(ch.isalpha() for ch in label) or len(label) > MAX_LABEL or len(cells) != columns:
        return None
    values: list[int | None] = []
    units: set[int] = set()
    for cell in cells:
        try:
            value, unit = _amount_cell(cell) if cell else (None, None)
        except NumberParseError:
            return None
        values.append(value)
        units |= {unit} if unit else set()
    if all(v is None for v in values) or len(units) > 1:
        return None
    return _ListRow(label, values, units.pop() if units else None, line)


def _financing_blocks(lines: Sequence[TextLine]) -> list[Sequence[TextLine]]:
    headings = kind_words("financing_heading")
    starts = [i for i, line in enumerate(lines) if _financing_key(line.text) in headings]
    blocks = []
    for start in starts:
        end = start + 1
        while end < len(lines) and end - start < 120:
            if _financing_key(lines[end].text) in headings or (
                lines[end].text.strip() and match_heading(lines[end].text.strip())
            ):
                break
            end += 1
        blocks.append(lines[start:end])
    return blocks


def _financing_key(text: str) -> str:
    """A heading's key without a unit it states (`Finansiering (tkr)`)."""
    return heading_key(HEADING_UNIT.sub("", text)) if len(text) < 90 else ""


def _year_header(line: TextLine) -> tuple[int, ...] | None:
    """`Finansiär<TAB>2023<TAB>2022`: a label cell over year columns."""
    cells = [c for c in (cells_of(line.text) or re.split(r"\s{2,}", line.text.strip()))[1:] if c]
    return tuple(int(c) for c in cells) if cells and all(YEAR_CELL.match(c) for c in cells) else None


def _read_block(block: Sequence[TextLine], year: int | None) -> tuple[list[_ListRow], tuple, int | None, list[str]]:
    """The rows of one financing list, its year columns, its stated unit and the prose around it."""
    years: tuple[int | None, ...] = (year,)
    unit: int | None = unit_of(block[0].text) if block else None
    rows: list[_ListRow] = []
    prose: list[str] = []
    before_rows = 0
    body = [line for line in block[1:] if line.text.strip()]
    for index, line in enumerate(body):
        text = line.text.strip()
        header = read_header(line)
        header_years = header.years if header is not None else _year_header(line)
        if header_years and not rows:
            if kind_words("budget_header").intersection(fold(text).split()):
                return [], years, unit, prose  # a budget, not money paid
            years, unit = header_years, (header.unit if header is not None else None) or unit_of(text) or unit
            continue
        row = _list_row(line, len(years))
        if row is not None:
            rows.append(row)
            continue
        short_unit = declared_unit(text) if len(text) < 60 else None
        if not rows:
            before_rows += 1
            if short_unit is not None:
                unit = short_unit  # `Belopp i tkr`, `Finansiär  Belopp (tkr)`
            else:
                prose.append(text)
            if before_rows > MAX_LINES_BEFORE_ROWS:
                return [], years, unit, prose
            continue
        if short_unit is not None:
            unit = unit or short_unit  # `Beloppen i tkr` under the list
            continue
        following = body[index + 1] if index + 1 < len(body) else None
        found = _list_row(following, len(years)) if following is not None and len(text) < 60 else None
        if found is not None and payer(found.label).kind != "other":
            continue  # a sub-heading inside the list (`Kommuner`)
        prose.append(text)
        break
    return rows, years, unit, prose


def financing_text_rows(
    lines: Sequence[TextLine], year: int | None, *, facts: Sequence[dict] = (), sole_kommun: str | None = None
) -> list[dict]:
    """The payer list under a `Finansiering` heading (used when no note lists payers), scaled to kronor."""
    for block in _financing_blocks(lines):
        rows, years, unit, prose = _read_block(block, year)
        named = [r for r in rows if not is_total_label(r.label) and payer(r.label).kind != "other"]
        if not named:
            continue
        if unit is None:
            unit = _list_unit(rows, named, years, prose, facts)
        items = [
            {
                "label": row.label,
                "fiscal_year": column_year,
                "amount_sek": value * (row.unit or unit) if value is not None else None,
                "note_no": None,
                "source_page": row.line.page,
                "source_line": row.line.line_no,
            }
            for row in rows
            for column_year, value in zip(years, row.values, strict=True)
        ]
        return name_sole_kommun(payer_rows(items, payers_only=True), sole_kommun)
    return []


def _list_unit(
    rows: list[_ListRow], named: list[_ListRow], years: tuple, prose: list[str], facts: Sequence[dict]
) -> int:
    """A list without a stated unit: the unit its cells state, else the one its sums meet a stated total in."""
    cell_units = {r.unit for r in rows if r.unit}
    if len(cell_units) == 1:
        return cell_units.pop()
    stated = stated_totals(prose)
    for column, column_year in enumerate(years):
        unitless = [r for r in named if r.unit is None and r.values[column] is not None]
        sums = [sum(r.values[column] or 0 for r in unitless)]
        sums += [r.values[column] or 0 for r in rows if is_total_label(r.label) and r.unit is None]
        targets = stated + [
            f["amount_sek"] for f in facts if f["fiscal_year"] == column_year and f["line_code"] in REVENUE_NOTE_CODES
        ]
        found = scale_evidence(sums, targets, len(unitless))
        if found is not None:
            return found
    return 1
