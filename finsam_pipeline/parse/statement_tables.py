"""Finding the statements by what they contain, not by their headings.

A statement is a table: a header naming its columns, then rows of labels and amounts.
Every table in the report is a candidate; what makes one the income statement, the
balance sheet or the cash flow is how many of its rows read as that statement's lines.
A heading above it (`2. Resultaträkning (Income statement)`, `BALANSRÄKNING, kr`) is
evidence that adds to its rows, never a gate: a statement with a heading nobody listed,
or with none at all, is found the same way.

Tables run on over page breaks: a page footer, a running header and the column
header repeated overleaf are set aside, and the rows after them belong to the same table.
Two statements printed under one column header are parted at the heading between them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from finsam_pipeline.parse.sections import match_heading, similar_heading
from finsam_pipeline.parse.tables import (
    TableHeader,
    TableRow,
    is_header_text,
    read_header,
    read_table,
    stated_unit,
    unit_of,
)
from finsam_pipeline.parse.vocabulary import section_headings
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

STATEMENTS = ("income", "balance", "cash_flow")
_PAGE_NUMBER = re.compile(
    r"^(?:sida|sid|page|s)?\s*\d{1,3}\s*(?:(?:av|of|/|\()\s*\d{1,3}\)?)?$|^[-–]\s*\d{1,3}\s*[-–]$"
)
_MAX_GAP_LINES = 12  # lines without rows a table may run over (a page break: footer, header, blank lines)
_PROSE_WORDS = 12
_HEADING_REACH = 6  # non-empty lines above a table searched for its heading
_MAX_STATEMENT_YEARS = 3  # a statement compares its year with one or two before; five years is an overview
_HEADING_BONUS = 3  # a statement's heading above a table counts as this many rows of that statement


@dataclass(frozen=True)
class StatementTable:
    """One table read from the report, with the evidence of which statement it is."""

    start: int  # index of its header line
    end: int  # exclusive
    header: TableHeader
    rows: tuple[TableRow, ...]
    unit: int
    heading: str | None  # the statement named by a heading above it
    votes: Mapping[str, int]  # statement -> distinct line codes its rows read as
    anchored: frozenset[str]  # statements one of whose totals or results its rows read as
    unit_stated: bool = True  # False: no unit stated with the table nor in force before it: kronor assumed

    def score(self, statement: str) -> int:
        bonus = _HEADING_BONUS if self.heading == statement else 0
        return self.votes.get(statement, 0) + bonus


@lru_cache(maxsize=100_000)
def statement_of_heading(text: str) -> str | None:
    """The statement a heading line names, whatever it adds (numbering, a gloss, a period, a unit, capitals).
    Cached: the furniture, the tables' ends and the headings above them ask it of the same lines."""
    words = fold(text).split()
    if not words or len(words) > 14:
        return None
    for statement in STATEMENTS:
        for heading in _heading_words()[statement]:
            if heading in words[:4]:
                return statement
    if len(words) > _MISREAD_HEADING_WORDS or len(words[0]) < 8:
        return None
    for statement in STATEMENTS:  # a scan's heading with a letter misread (`Kassafiödesanalys`), alone on its line
        if any(similar_heading(words[0], heading) for heading in _heading_words()[statement] if " " not in heading):
            return statement
    return None


_MISREAD_HEADING_WORDS = 3  # a heading word read only near its spelling stands first, a unit or period after it


@cache
def _heading_words() -> dict[str, tuple[str, ...]]:
    """Each statement's heading words, folded (single words such as `resultatrakning`)."""
    return {s: tuple(fold(h) for h in section_headings().get(s, ())) for s in STATEMENTS}


def furniture_lines(lines: Sequence[TextLine]) -> frozenset[int]:
    """Indexes of page furniture: page numbers, and running headers or footers printed on many pages."""
    texts = [line.text.strip() for line in lines]
    keys = [_furniture_key(text) if text else "" for text in texts]
    counts = Counter(key for key in keys if key)
    furniture = set()
    for index, text in enumerate(texts):
        if not text:
            continue
        if _is_page_number(text) or (
            counts[keys[index]] >= 3
            and _running_text(text)
            and read_header(lines[index]) is None
            and statement_of_heading(text) is None
        ):
            furniture.add(index)
    return frozenset(furniture)


_PAGE_NUMBER_LENGTH = 40  # `Sida 12 av 30`, `- 4 -`, however spaced: no page number line is longer


@lru_cache(maxsize=100_000)
def _is_page_number(text: str) -> bool:
    """`Sida 12 av 30`, `- 4 -`. Cached: the furniture is found three times a report, from every line."""
    # `3  ?????????????`: a numbered heading OCR could not read is no page number (`?` folds away)
    return len(text) <= _PAGE_NUMBER_LENGTH and "?" not in text and _PAGE_NUMBER.match(fold(text)) is not None


_AMOUNT_COLUMNS_AT_END = re.compile(r"\d(?:\s{2,}|\t|\s*\|\s*)[-−–(]?\d[\d ]*\)?\s*\|?\s*$")


@lru_cache(maxsize=100_000)
def _running_text(text: str) -> bool:
    """Words printed on every page, with at most a year and a page number (`Förbundet X – Årsredovisning 2023
    Sida 4`): never a table row, whose amounts would differ from page to page."""
    if _AMOUNT_COLUMNS_AT_END.search(text):
        return False  # `Årets resultat   713   67` (tkr), printed alike in all three statements: a row
    words = re.findall(r"[^\W\d_]{2,}", text)
    numbers = re.findall(r"\d+", text)
    small = [n for n in numbers if not re.fullmatch(r"(?:19|20)\d{2}", n)]
    return len(words) >= 2 and len(numbers) <= 3 and all(len(n) <= 3 for n in small) and len(small) <= 2


@lru_cache(maxsize=100_000)
def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", fold(text))


@lru_cache(maxsize=100_000)
def _has_amounts(text: str) -> bool:
    """Whether a line ends in amounts or has amount cells; a year or a date (`per den 31 december 2020`) is none.
    An amount OCR could not read (`941 052  ??? ???`) is an amount cell too: its row is a row, not prose.
    Cached: the tables' ends, the headings above them and the unit notes below ask it of the same lines."""
    text = _DATES.sub(" ", text)
    return bool(re.search(r"\d[\d .]*[)\-–]?\s*$|\d[)\-–]?\s*[|\t]", text) or _UNREAD_LAST_CELL.search(text))


_UNREAD_LAST_CELL = re.compile(r"(?:^|\S {2,})\?+(?: \?+)*\s*$")


_DATES = re.compile(
    r"(?<!\d)(?:\d{1,2}\s+\w+\s+)?(?:19|20)\d{2}(?:[-./]\d{1,2}[-./]\d{1,2})?(?!\d)|\b\d{1,2}[./]\d{1,2}[./](?:19|20)\d{2}\b"
)


def find_statement_tables(
    lines: Sequence[TextLine],
    note_titles: Mapping[int, str],
    units: Sequence[int | None],
    furniture: frozenset[int],
    line_code: Callable[[str, str], str],
) -> dict[str, StatementTable]:
    """The table that is each statement, chosen by the line codes its rows read as (`furniture`: the lines'
    page furniture, `furniture_lines`)."""
    tables = _tables(lines, note_titles, units, furniture, line_code)
    chosen: dict[str, StatementTable] = {}
    taken: set[int] = set()
    ranked = sorted(
        (
            (t.score(s), -t.start, s, i)
            for i, t in enumerate(tables)
            for s in STATEMENTS
            if (t.heading == s or (t.votes.get(s, 0) >= 2 and s in t.anchored)) and t.votes.get(s, 0) >= 1
            and _may_be_statement(t, s)
        ),
        reverse=True,
    )
    for _, _, statement, index in ranked:
        if statement in chosen or index in taken:
            continue
        table = tables[index]
        if table.score(statement) <= max(table.score(other) for other in STATEMENTS if other != statement):
            continue  # the table reads more as another statement
        chosen[statement] = table
        taken.add(index)
    for statement, table in list(chosen.items()):
        parts = [
            other
            for i, other in enumerate(tables)
            if i not in taken and _continues(other, table, statement)
        ]
        if parts:
            chosen[statement] = _joined([table, *parts])
    return _shared_unit(chosen)


def _continues(part: StatementTable, table: StatementTable, statement: str) -> bool:
    """A part of the statement printed apart from it (`Balansräkning (forts.)` over the equity and liabilities
    pages later): under the statement's own heading, the same columns and unit, and reading as that statement."""
    return (
        part.heading == statement
        and part.header.years == table.header.years
        and part.header.column_kinds == table.header.column_kinds
        and (part.unit == table.unit or not (part.unit_stated and table.unit_stated))  # one unstated: the other's
        and part.score(statement) > max(part.score(other) for other in STATEMENTS if other != statement)
    )


def _joined(parts: list[StatementTable]) -> StatementTable:
    parts = sorted(parts, key=lambda t: t.start)
    first = parts[0]
    votes = {s: max(t.votes.get(s, 0) for t in parts) for s in STATEMENTS}
    rows = tuple(row for t in parts for row in t.rows)
    anchored = frozenset().union(*(t.anchored for t in parts))
    stated = next((t for t in parts if t.unit_stated), first)  # a part printed without its unit takes the stated one
    return replace(
        first, end=parts[-1].end, rows=rows, votes=votes, anchored=anchored, unit=stated.unit,
        unit_stated=stated.unit_stated,
    )


def _may_be_statement(table: StatementTable, statement: str) -> bool:
    """A statement compares its year's outcome with one or two years before. Five years side by side are the
    multi-year overview; one year's outcome beside its budget, without a statement's heading, is the budget
    follow-up (driftredovisning), whose totals are rounded and grouped otherwise."""
    kinds = table.header.column_kinds
    outcome_years = {y for y, kind in zip(table.header.years, kinds, strict=False) if kind == "outcome"}
    budget_only = len(outcome_years) == 1 and any(kind != "outcome" for kind in kinds)
    if not outcome_years:
        return False  # a budget (`Budget  2025  2026  2027`) states no outcome
    return len(outcome_years) <= _MAX_STATEMENT_YEARS and (table.heading == statement or not budget_only)


def _shared_unit(chosen: dict[str, StatementTable]) -> dict[str, StatementTable]:
    """A statement printed without a unit takes the one the report's other statements state, where they agree:
    one report keeps its books in one unit, and a balance sheet without `tkr` beside an income statement in
    tkr is in tkr. The statements' shared result then confirms it (`net_result_agrees_across_statements`)."""
    stated = {table.unit for table in chosen.values() if table.unit_stated}
    if len(stated) != 1:
        return chosen
    unit = stated.pop()
    return {s: t if t.unit_stated else replace(t, unit=unit) for s, t in chosen.items()}


def _tables(
    lines: Sequence[TextLine],
    note_titles: Mapping[int, str],
    units: Sequence[int | None],
    furniture: frozenset[int],
    line_code: Callable[[str, str], str],
) -> list[StatementTable]:
    tables: list[StatementTable] = []
    index = 0
    while index < len(lines):
        if index in furniture or read_header(lines[index]) is None:
            index += 1
            continue
        header_index = index
        end, parted_at = _table_end(lines, header_index, furniture)
        tables.append(_read(lines, header_index, header_index, end, note_titles, units, furniture, line_code))
        while parted_at is not None:
            # a second statement under the same column header: its heading, then rows with no header of their own
            next_end, next_part = _table_end(lines, parted_at, furniture)
            tables.append(_read(lines, header_index, parted_at, next_end, note_titles, units, furniture, line_code))
            end, parted_at = next_end, next_part
        index = max(end, header_index + 1)
    return tables


def _table_end(lines: Sequence[TextLine], start: int, furniture: frozenset[int]) -> tuple[int, int | None]:
    """Where the table under the header (or heading) at `start` ends, and where a statement under the same
    header begins, if one does.

    The table runs on over a page break (furniture, blank lines, its column header repeated overleaf, its
    own heading repeated with `(forts.)`); any other heading ends it.
    """
    header = read_header(lines[start])
    own = statement_of_heading(lines[start].text) or _statement_above(lines, start, furniture)
    last_row = start
    broke = False  # a page break since the last row
    for index in range(start + 1, len(lines)):
        text = lines[index].text.strip()
        if index in furniture or "\f" in lines[index].text or lines[index].page != lines[last_row].page:
            broke = True
        if not text or index in furniture:
            if index - last_row > _MAX_GAP_LINES:
                break
            continue
        named = statement_of_heading(text)
        if named is not None and not _has_amounts(text):
            if named == own and (broke or "forts" in fold(text)):
                continue  # the statement's heading repeated overleaf
            if _rows_follow_without_header(lines, index, furniture):
                return index, index
            break
        repeated = read_header(lines[index])
        if repeated is not None:
            if header is not None and repeated.years == header.years and broke:
                continue  # the column header repeated overleaf
            break
        if match_heading(text) not in (None, "income", "balance", "cash_flow", "heading") or _is_prose(text):
            # a note or another section ends the table; a numbered line (`1. Tilldelning från`) is a row's label
            break
        if index - last_row > _MAX_GAP_LINES:
            break
        last_row, broke = index, False
    return last_row + 1, None


def _statement_above(lines: Sequence[TextLine], index: int, furniture: frozenset[int]) -> str | None:
    above = _heading_above(lines, index, furniture)
    return statement_of_heading(lines[above].text) if above is not None else None


def _rows_follow_without_header(lines: Sequence[TextLine], index: int, furniture: frozenset[int]) -> bool:
    for following in range(index + 1, min(index + 8, len(lines))):
        text = lines[following].text.strip()
        if not text or following in furniture:
            continue
        if read_header(lines[following]) is not None or (_DATES.search(text) and not _has_amounts(text)):
            return False  # a header of its own, even one not read as such: never the other statement's columns
        if not any(ch.isdigit() for ch in text) and is_header_text(text):
            return False  # column words of its own (`Innevarande  Föregående` over `år  år`)
        if _has_amounts(text):
            return True
    return False


def _is_prose(text: str) -> bool:
    words = text.split()
    if _CELL_THEN_SPECK.search(text):
        return False  # `Förändring av kortfristiga fordringar   67.619   (88.222) .`: a row, a speck after its cells
    return (len(words) > _PROSE_WORDS and not _has_amounts(text)) or (text.endswith(".") and len(words) > 6)


_CELL_THEN_SPECK = re.compile(r"\S {2,}[-−–(]?\d[\d .,]*\)? +[.,;:']$")  # an amount cell, a gap, a lone mark


def _read(
    lines: Sequence[TextLine],
    header_index: int,
    start: int,
    end: int,
    note_titles: Mapping[int, str],
    units: Sequence[int | None],
    furniture: frozenset[int],
    line_code: Callable[[str, str], str],
) -> StatementTable:
    header_line = lines[header_index]
    header = read_header(header_line)
    assert header is not None, "tables are read from a header line"
    body = []
    for index in range(start + (1 if start == header_index else 0), end):
        line = lines[index]
        if index in furniture:
            body.append(replace(line, text=""))
            continue
        body.append(line)  # a header repeated over a page stays: the table reader takes its columns from there
    above = _line_above(lines, header_index, furniture)
    table_lines = ([above] if above is not None else []) + [header_line, *body, *_unit_note_below(lines, start, end)]
    heading_index = start if start != header_index else _heading_above(lines, header_index, furniture)
    heading = statement_of_heading(lines[heading_index].text) if heading_index is not None else None
    if heading is None and statement_of_heading(header_line.text):
        heading, heading_index = statement_of_heading(header_line.text), header_index
    read, rows, own_unit = read_table(table_lines, note_titles, 0)  # 0: no unit printed with the table
    caption = range(header_index if heading_index is None else heading_index, header_index)
    caption_unit = next((unit_of(lines[i].text) for i in caption if unit_of(lines[i].text)), None)
    stated = own_unit or caption_unit or units[header_index]
    codes = {
        statement: frozenset({line_code(statement, row.label) for row in rows if row.has_values} - {"other"})
        for statement in STATEMENTS
    }
    votes = {statement: len(read_as) for statement, read_as in codes.items()}
    anchored = frozenset(statement for statement, read_as in codes.items() if read_as & _ANCHORS[statement])
    return StatementTable(
        start, end, read or header, tuple(rows), stated or 1, heading, votes, anchored, stated is not None
    )


# the totals and results a statement always prints: a table without them (a note's breakdown of receivables
# and liabilities) is not that statement unless its heading says so
_ANCHORS = {
    "income": frozenset(
        {"revenue_total", "operating_costs", "operating_result", "result_after_financial", "net_result"}
    ),
    "balance": frozenset(
        {"total_assets", "total_equity_and_liabilities", "equity_total", "liabilities_total", "current_assets_total"}
    ),
    "cash_flow": frozenset({"cf_operating", "cf_total", "cash_begin", "cash_end"}),
}


def _unit_note_below(lines: Sequence[TextLine], start: int, end: int) -> list[TextLine]:
    """The first line under a table's last row when it states the table's unit (`Beloppen står i tkr.`,
    `* Belopp i Tkr`), also where the table runs on to the page's foot."""
    last_row = max((i for i in range(start, end) if _has_amounts(lines[i].text)), default=end - 1)
    for index in range(last_row + 1, min(max(end, last_row + 1) + 4, len(lines))):
        text = lines[index].text.strip()
        if text:
            return [lines[index]] if stated_unit(text) is not None else []
    return []


def _line_above(lines: Sequence[TextLine], index: int, furniture: frozenset[int]) -> TextLine | None:
    """The line right above a header, kept for a two-line header (`Utfall  Budget` over the years)."""
    if index == 0:
        return None
    above = lines[index - 1]
    text = above.text.strip()
    if not text or index - 1 in furniture or statement_of_heading(text) or any(ch.isdigit() for ch in text):
        return None
    return above if len(text.split()) <= 10 else None


def _heading_above(lines: Sequence[TextLine], index: int, furniture: frozenset[int]) -> int | None:
    """The index of the statement heading a few lines above a table, if there is one."""
    seen = 0
    for above in range(index - 1, -1, -1):
        text = lines[above].text.strip()
        if not text or above in furniture:
            continue
        if statement_of_heading(text) is not None:
            return above
        seen += 1
        if seen >= _HEADING_REACH or _has_amounts(text):
            return None
    return None
