"""Budgets and outcome-versus-budget tables (`budget_lines`).

Two shapes: a plan's budget (`Budget | 2025 | 2026 | 2027`, income and cost
sections, sub-totals) and a follow-up table whose columns say what they hold
(`Utfall`, `Budget`, `Avvikelse`, possibly over `Intäkt | Kostnad | Netto`
sub-columns, of which the net is taken). Only delimited tables (tabs, pipes) are
read: an OCR'd multi-level table cannot be mapped to its columns without guessing.
Money follows the contract: costs negative, whatever the report prints; a
deviation keeps its printed sign.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from finsam_pipeline.parse.numbers import NumberParseError, parse_amount, split_amounts
from finsam_pipeline.parse.tables import cells_of, declared_unit, is_total_label, unit_of
from finsam_pipeline.parse.text_helpers import YEAR
from finsam_pipeline.parse.vocabulary import budget_words
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

_CODE = re.compile(r"^[\d*]+(?:-\d+)?$")
_TRAILING_AMOUNTS = re.compile(
    r"(?:(?<=\s)|^)[-−–]?\s?\d{1,3}(?:[ \u00a0]\d{3})*(?:\s+[-−–]?\s?\d{1,3}(?:[ \u00a0]\d{3})*)*$"
)
_CODE_BEFORE = re.compile(r"^(?:\d{1,3}(?:-\d{1,3})?|\*)\s+(?=[^\d\s%])")


@dataclass(frozen=True)
class _Column:
    index: int
    measure: str
    year: int | None
    net: bool = False  # the `Netto` of an Intäkt/Kostnad/Netto group: a result, its sign kept


def _has(kind: str, text: str) -> bool:
    folded = f" {fold(text)} "
    return any(f" {word} " in folded or folded.strip().startswith(word) for word in budget_words()[kind])


@lru_cache(maxsize=100_000)
def _measure_of(cell: str) -> str | None:
    folded = fold(cell)
    if not folded:
        return None
    for kind in ("deviation", "budget", "outcome"):  # `Avvikelse utfall - budget` is a deviation
        if any(folded.startswith(word) for word in budget_words()[kind]):
            return kind
    return None


def _year_of(cell: str) -> int | None:
    match = YEAR.search(cell)
    return int(match[1]) if match else None


def _header_columns(header_lines: list[list[str]], fallback_measure: str | None) -> list[_Column]:
    """Columns from one or two header lines; a group header spans the empty cells after it."""
    width = max(len(line) for line in header_lines)
    spans: list[str] = []
    for index in range(width):
        cell = header_lines[0][index] if index < len(header_lines[0]) else ""
        spans.append(cell if cell or not spans else spans[-1])
    middle = header_lines[1:-1]
    for line in middle:  # a line of years under the group headers (`| | 2023 | | | 2023 |`)
        year_cells = [line[i] if i < len(line) else "" for i in range(width)]
        for index in range(1, width):
            year = year_cells[index] or next((year_cells[j] for j in range(index, 0, -1) if year_cells[j]), "")
            if _year_of(year) and not _year_of(spans[index]):
                spans[index] = f"{spans[index]} {year}"
    sub = header_lines[-1] if len(header_lines) > 1 else []
    columns: list[_Column] = []
    groups: dict[str, list[int]] = {}
    for index, group in enumerate(spans):
        if index == 0:
            continue
        measure = _measure_of(group) or (fallback_measure if _year_of(group) else None)
        sub_cell = sub[index] if index < len(sub) else ""
        if measure is None:
            measure = _measure_of(sub_cell)
        year = _year_of(group) or _year_of(sub_cell)
        if measure is None:
            continue
        groups.setdefault(f"{group}|{measure}|{year}", []).append(len(columns))
        columns.append(_Column(index, measure, year))
    chosen: list[_Column] = []
    for members in groups.values():
        if len(members) == 1:
            chosen.append(columns[members[0]])
            continue
        net = [
            m for m in members if _has("net_subcolumn", sub[columns[m].index] if columns[m].index < len(sub) else "")
        ]
        if net:
            column = columns[net[0]]
            chosen.append(_Column(column.index, column.measure, column.year, net=True))
    seen: set[tuple[str, int | None]] = set()
    unique = []
    for column in sorted(chosen, key=lambda c: c.index):
        if (column.measure, column.year) not in seen:  # Årsbudget and Periodbudget: the first is kept
            seen.add((column.measure, column.year))
            unique.append(column)
    return unique


def _years_closed_up(cells: list[str] | None) -> list[str] | None:
    """`2 024` beside a clean `2024` in the same header row is that year misprinted, not an amount.

    Only a sibling year vouches for it: alone, `2 024` is an amount (2 024 kr).
    """
    if not cells:
        return cells
    years = {str(y) for c in cells[1:] if (y := _year_of(c)) is not None}
    return [c.replace(" ", "") if c.replace(" ", "") in years else c for c in cells]


def _is_header_cells(cells: list[str]) -> bool:
    texts = [c for c in cells[1:] if c]
    return (
        bool(texts)
        and all(
            _measure_of(c)
            or _year_of(c) is not None
            or fold(c) in ("intakt", "kostnad", "netto")
            or not any(ch.isdigit() for ch in c)
            for c in texts
        )
        and any(
            _measure_of(c) or (_year_of(c) and not any(ch.isdigit() for ch in c.replace(str(_year_of(c)), "")))
            for c in texts
        )
    )


def _is_unit_label(label: str) -> bool:
    """A row labelled `Belopp tkr` carries the whole activity's figures in that unit."""
    return fold(label).startswith("belopp") and unit_of(label) is not None


def _side_of(label: str) -> str | None:
    income, cost = _has("income_words", label), _has("cost_words", label)
    if income != cost:
        return "income" if income else "cost"
    return None


def _label_of(cells: list[str], first_value: int) -> str:
    """Leading text cells, without project numbers (`201`, `101-104`); stops at the first amount."""
    parts = []
    for cell in cells[:first_value]:
        if cell and _parse_or_none(cell) is not None and parts:
            break
        if cell and not _CODE.match(cell):
            parts.append(_CODE_BEFORE.sub("", cell))  # a number printed close to its name (PDF): `201 Styrelsen`
    return " ".join(parts)


def budget_line_rows(lines: Sequence[TextLine], document_year: int | None) -> list[dict]:
    out: list[dict] = []
    index = 0
    while index < len(lines):
        cells = cells_of(lines[index].text)
        if not cells or len(cells) < 3 or not _is_header_cells(cells):
            index += 1
            continue
        header = [cells]
        cursor = index + 1
        while len(header) < 3 and cursor < len(lines):
            if not lines[cursor].text.strip() and cursor + 1 < len(lines):
                cursor += 1  # the markdown rule under a header line
            following = _years_closed_up(cells_of(lines[cursor].text))
            if (
                not following
                or not _is_header_cells(following)
                or any(_parse_or_none(c) is not None and _year_of(c) is None for c in following[1:])
            ):
                break
            header.append(following)
            cursor += 1
        fallback = "budget" if _has("budget", cells[0]) else None
        columns = _header_columns(header, fallback)
        if not any(c.measure == "budget" for c in columns):
            index += 1
            continue  # a table without a budget column is no budget table
        caption = " ".join(  # short lines above, not a sentence's end wrapped in a PDF (`tkr jämfört med år 2024.`)
            line.text
            for line in lines[max(0, index - 5) : index]
            if len(line.text) < 80 and not line.text.endswith(".")
        )
        unit = unit_of(" ".join(cell for line_cells in header for cell in line_cells)) or declared_unit(caption) or 1
        rows, index = _table_rows(lines, cursor, columns, max(len(cells) for cells in header))
        section = fold(header[-1][0]) and header[-1][0] if len(header) > 1 else None
        out.extend(_budget_rows(rows, columns, unit, document_year, section))
    return out


def _parse_or_none(cell: str) -> int | None:
    try:
        return parse_amount(cell)
    except NumberParseError:
        return None


def _table_rows(
    lines: Sequence[TextLine], start: int, columns: list[_Column], header_width: int
) -> tuple[list[tuple], int]:
    rows = []
    index = start
    first_value = min(c.index for c in columns)
    while index < len(lines):
        text = lines[index].text.strip()
        cells = cells_of(lines[index].text)
        if cells is None:
            if not text:
                index += 1
                continue
            if len(text) > 80 or any(ch.isdigit() for ch in text):
                break
            cells = [text]  # a section heading whose empty cells were trimmed away
        if rows and _is_header_cells(cells) and sum(1 for c in cells if _measure_of(c)) >= 2:
            break  # the next table's header
        label = _label_of(cells, first_value)
        values = {}
        for column in columns:
            if column.index < len(cells):
                try:
                    values[column] = parse_amount(cells[column.index])
                except NumberParseError:
                    values[column] = None
        label, values = _amounts_run_into_label(label, values, cells, columns)
        if len(cells) > header_width and any(cells[header_width:]):
            values = dict.fromkeys(columns)  # amounts beyond the header's columns (tab stops): under which is unknown
        rows.append((label, values, lines[index]))
        index += 1
    return _labels_around_amounts(rows), index


def _amounts_run_into_label(label: str, values: dict, cells: list[str], columns: list[_Column]) -> tuple[str, dict]:
    """A row whose amounts did not line up with the header (a word processor's tab stops, not columns):
    the label cell ends in amounts (`Eget kapital från tidigare år 645 000`, the next two amounts under the
    wrong columns). The label's trailing amounts and the row's other amounts are read again in order, as
    many as there are columns, and refused where the digit groups allow more than one reading."""
    trailing = _TRAILING_AMOUNTS.search(label)
    if trailing is None or sum(ch.isdigit() for ch in trailing.group()) < 3:
        return label, values
    rest = [cells[c.index] for c in columns if c.index < len(cells) and cells[c.index].strip()]
    ordered = sorted(columns, key=lambda c: c.index)
    try:
        amounts = split_amounts(" ".join([trailing.group(), *rest]), len(ordered))
    except NumberParseError:
        return label[: trailing.start()].strip(), dict.fromkeys(columns)  # left out: not readable for sure
    return label[: trailing.start()].strip(), dict(zip(ordered, amounts, strict=True))


def _labels_around_amounts(rows: list[tuple]) -> list[tuple]:
    """A word processor's narrow label column wraps a long label around its amounts (`Utgående eget` /
    amounts / `kapital`): the pieces are joined to the amounts. Amounts with no label at all are left out:
    which line they belong to is unknown."""
    out: list[tuple] = []
    for label, values, line in rows:
        has_values = any(v is not None for v in values.values())
        previous = out[-1] if out else None
        follows = previous is not None and previous[2].line_no + 1 == line.line_no
        if has_values and not label:
            if follows and previous[0] and not any(v is not None for v in previous[1].values()):
                out[-1] = (previous[0], values, line)
            continue
        if not has_values and label[:1].islower() and follows and any(v is not None for v in previous[1].values()):
            out[-1] = (f"{previous[0]} {label}", previous[1], previous[2])
            continue
        out.append((label, values, line))
    return out


def _budget_rows(
    rows: list[tuple], columns: list[_Column], unit: int, document_year: int | None, section: str | None
) -> list[dict]:
    cost_table = not any(_has("income_words", label) for label, _, _ in rows)
    section_side = _side_of(section) if section else None
    side = section_side or ("cost" if cost_table else None)
    out = []
    for label, values, line in rows:
        if not any(v is not None for v in values.values()):
            if label:
                section = label
                side = _side_of(label) or side
            continue
        row_side = None if _has("keep_sign_words", label) else (_side_of(label) or side)
        for column, value in values.items():
            if value is None:
                continue
            amount = value * (unit_of(label) if _is_unit_label(label) else unit)
            if row_side == "cost" and column.measure != "deviation" and not column.net:
                amount = -abs(amount)
            out.append(
                {
                    "fiscal_year": column.year or document_year,
                    "section": section,
                    "label": label,
                    "measure": column.measure,
                    "amount_sek": amount,
                    "is_total": is_total_label(label),
                    "source_page": line.page,
                    "source_line": line.line_no,
                }
            )
    return out
