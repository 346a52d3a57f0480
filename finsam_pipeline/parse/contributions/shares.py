"""Share tables: each payer's per cent and amount, proven by the shares summing to the whole."""

from __future__ import annotations

import re
from collections.abc import Sequence

from finsam_pipeline.parse.contributions.amounts import (
    YEAR_IN,
    payer_rows,
    proven_by_revenue,
    proven_years,
    revenue_note_numbers,
)
from finsam_pipeline.parse.contributions.payers import MEMBER_KINDS, kind_words, payer
from finsam_pipeline.parse.numbers import NumberParseError, parse_amount
from finsam_pipeline.parse.sections import Section
from finsam_pipeline.parse.tables import cells_of, declared_unit, is_total_label, unit_of
from finsam_pipeline.parse.tables.header import SHARE_COLUMN_WORDS
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

_SHARE_CELL = re.compile(r"^\d{1,3}(?:[,.]\d+)?\s*%?$")  # under the header's share column the `%` may be left off


def _note_lines_of(lines: Sequence[TextLine], sections: Sequence[Section], numbers: Sequence[int]) -> list:
    """The text lines of the revenue note(s), by the line numbers of their sections."""
    chosen = []
    for section in sections:
        if section.name == "note" and section.note_no in numbers:
            span = {line.line_no for line in lines[section.start : section.end]} if section.end <= len(lines) else set()
            chosen.append((section.note_no, span))
    return chosen


def _columns(text: str) -> tuple[str, list[int | None]] | None:
    """A note header with a share column: (its first cell, one year or None per value column), where every
    value column but the shares names a year (`kr | Andel % | 2023 | 2022`, `| Fördelning | Utfall 2022`)."""
    cells = cells_of(text)
    if cells is None or len(cells) < 3:
        return None
    columns: list[int | None] = []
    for cell in cells[1:]:
        years = YEAR_IN.findall(cell)
        if len(years) > 1 or (not years and (not cell or any(ch.isdigit() for ch in cell))):
            return None
        columns.append(int(years[0]) if years else None)
    if columns.count(None) != 1 or not any(columns):
        return None
    return cells[0], columns


def _columns_of_the_year(text: str, year: int | None) -> tuple[str, list[int | None]] | None:
    """A share table's header naming no year (`Medlem | Andel | Belopp, tkr`): its one amount column is the
    report's year, beside one share column."""
    cells = cells_of(text)
    if year is None or cells is None or len(cells) != 3 or YEAR_IN.search(text) or any(c.isdigit() for c in text):
        return None
    share, amount = (fold(cell) for cell in cells[1:])
    if not (share.startswith(SHARE_COLUMN_WORDS) or share == "%"):
        return None
    if not (amount.startswith("belopp") or unit_of(amount) is not None):
        return None
    return cells[0], [None, year]


def _subtotal(items: list[dict]) -> bool:
    """Whether the last total sums only part of the rows above it (`Summa kommunerna` before the other payers)."""
    last = items[-1]
    of_year = [i for i in items[:-1] if i["fiscal_year"] == last["fiscal_year"] and not i["is_total"]]
    return sum(i["amount_sek"] for i in of_year) != last["amount_sek"]


def _share_table_items(
    note_no: int, lines: Sequence[TextLine], year: int | None = None
) -> tuple[list[dict], int | None, list[str]] | None:
    """The rows of one note printed with a share column (`Försäkringskassan | 25 % | 2 784 | 2 711`): items in
    printed units, the unit the note states (None: unstated), and messages; None where no such table is. Given
    the report's year, a header naming none has its amounts in that year."""
    for index, line in enumerate(lines):
        header = _columns(line.text) or _columns_of_the_year(line.text, year)
        if header is None:
            continue
        first, columns = header
        unit = unit_of(first) or declared_unit(line.text) or next(
            (u for prior in lines[max(0, index - 3) : index] if (u := declared_unit(prior.text))), None
        )
        items: list[dict] = []
        for row in lines[index + 1 :]:
            if items and items[-1]["is_total"] and not _subtotal(items):
                break  # the table's total closes it: what follows is another table or the text
            cells = cells_of(row.text)
            if cells is None:
                if row.text.strip() and items:
                    break
                continue
            cells += [""] * (len(columns) + 1 - len(cells))  # a tab-separated row may leave its empty cells off
            if len(cells) != len(columns) + 1 or not cells[0]:
                return (
                    [],
                    unit,
                    [
                        f"member contributions: note {note_no} line '{row.text.strip()}' does not fit its "
                        "columns: the note is left out"
                    ],
                )
            for column_year, cell in zip(columns, cells[1:], strict=True):
                if column_year is None:
                    if cell and not _SHARE_CELL.match(cell):
                        return (
                            [],
                            unit,
                            [
                                f"member contributions: note {note_no} share cell '{cell}' is no share: "
                                "the note is left out"
                            ],
                        )
                    continue
                try:
                    value = parse_amount(cell) if cell else None
                except NumberParseError:
                    return [], unit, [f"member contributions: note {note_no} cell '{cell}' is no amount: left out"]
                if value is not None:
                    items.append(
                        {
                            "label": cells[0],
                            "fiscal_year": column_year,
                            "amount_sek": value,
                            "note_no": note_no,
                            "is_total": is_total_label(cells[0]),
                            "source_page": row.page,
                            "source_line": row.line_no,
                        }
                    )
        return items, unit, []
    return None


def share_note_rows(
    lines: Sequence[TextLine], sections: Sequence[Section], facts: Sequence[dict], messages: list[str]
) -> list[dict]:
    """Contributions from a revenue note printed with a share column, the years that add up."""
    numbers = revenue_note_numbers(facts, sections)
    for note_no, span in _note_lines_of(lines, sections, numbers):
        found = _share_table_items(note_no, [line for line in lines if line.line_no in span])
        if found is None:
            continue
        items, unit, problems = found
        messages += problems
        kept, left_out = proven_years(items, unit, facts, note_no)
        messages += left_out
        rows = payer_rows(kept, payers_only=False)
        if any(r["contributor_type"] != "other" for r in rows):
            return rows
    return []


def share_table_rows(
    lines: Sequence[TextLine], year: int | None, facts: Sequence[dict], messages: list[str]
) -> list[dict]:
    """A share table anywhere in the report (`| Medlem | Andel | Belopp 2025 | Belopp 2024 |` in the
    administration report), its payers of two kinds or more, kept only for the years they add up to a revenue
    line of the income statement: outside the notes only the statement says it is the members' money. A table
    headed by a budget is no table of payments."""
    for index, line in enumerate(lines):
        if _columns(line.text) is None and _columns_of_the_year(line.text, year) is None:
            continue
        if kind_words("budget_header").intersection(fold(line.text).split()):
            continue
        found = _share_table_items(0, lines[index:], year)
        if found is None:
            continue
        items, unit, _ = found
        kinds = {payer(item["label"]).kind for item in items if not item["is_total"]}
        if len(kinds & MEMBER_KINDS) < 2:
            continue
        kept, left_out = proven_by_revenue(items, unit, facts)
        messages += left_out
        rows = [{**row, "note_no": None} for row in payer_rows(kept, payers_only=False)]
        if any(row["contributor_type"] != "other" for row in rows):
            return rows
    return []
