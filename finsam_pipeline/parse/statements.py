"""Income statement, balance sheet, cash flow and their notes, as fact rows.

Pure functions: lines in, plain rows out. Line codes come from the vocabulary in
`assets/reference/line_codes.csv`; amounts are scaled to kronor and given the
contract's sign (costs negative whatever the report prints).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from finsam_pipeline.extract import TextLine
from finsam_pipeline.parse.sections import Section
from finsam_pipeline.parse.tables import TableRow, is_total_label, read_table, resolve_by_totals
from finsam_pipeline.textnorm import fold
from finsam_pipeline.vocabulary import label_index, sign_convention

STATEMENTS = ("income", "balance", "cash_flow")
_FUZZY_LABEL_RATIO = 0.88


@dataclass(frozen=True)
class ParseIssue:
    """Something the parser left out or could not find; loaded as a warning."""

    check_name: str
    message: str
    source_page: int | None = None
    source_line: int | None = None
    fiscal_year: int | None = None


def line_code_for(statement: str, label: str) -> str:
    """The contract code for a label, tolerant of OCR damage; `other` where none fits."""
    index = label_index().get(statement, {})
    key = fold(label)
    if key in index:
        return index[key]
    best, best_ratio = "other", 0.0
    for known, code in index.items():
        ratio = SequenceMatcher(None, key, known).ratio()
        if ratio > best_ratio:
            best, best_ratio = code, ratio
    return best if best_ratio >= _FUZZY_LABEL_RATIO else "other"


def signed(statement: str, line_code: str, amount: int) -> int:
    if sign_convention().get((statement, line_code)) == "negative":
        return -abs(amount)
    return amount


def _value_rows(rows: Sequence[TableRow]) -> int:
    return sum(1 for r in rows if r.has_values or r.problem)


def best_table(
    lines: Sequence[TextLine], candidates: Sequence[Section], note_titles: Mapping[int, str]
) -> tuple[Section, list[TableRow], tuple[int, ...], int] | None:
    """Among the headings that name a section, the one followed by the fullest table."""
    best = None
    for section in candidates:
        header, rows, unit = read_table(lines[section.start + 1 : section.end], note_titles)
        if header is None or _value_rows(rows) == 0:
            continue
        if best is None or _value_rows(rows) > _value_rows(best[1]):
            best = (section, rows, header.years, unit)
    return best


def statement_facts(
    lines: Sequence[TextLine], sections: Sequence[Section], note_titles: Mapping[int, str]
) -> tuple[list[dict], list[ParseIssue], dict[str, tuple[int, ...]]]:
    """Facts, parse issues, and each statement's year columns (the first is the report's year)."""
    facts: list[dict] = []
    issues: list[ParseIssue] = []
    columns: dict[str, tuple[int, ...]] = {}
    for statement in STATEMENTS:
        found = best_table(lines, [s for s in sections if s.name == statement], note_titles)
        if found is None:
            issues.append(ParseIssue("statement_found", f"no {statement} statement table was found"))
            continue
        _, rows, years, unit = found
        columns[statement] = years
        seen: dict[tuple[str, int], int] = {}
        for row in rows:
            if row.problem:
                issues.append(
                    ParseIssue(
                        "value_left_out",
                        f"{statement} line '{row.label}' left out: {row.problem}",
                        row.line.page,
                        row.line.line_no,
                    )
                )
                continue
            if not row.has_values:
                continue
            code = line_code_for(statement, row.label)
            for year, value in zip(years, row.values or (), strict=True):
                if value is None:
                    continue
                amount = signed(statement, code, value * unit)
                key = (code, year)
                if code != "other" and seen.get(key) == amount:
                    continue  # the same line printed twice (e.g. a repeated total)
                seen[key] = amount
                facts.append(
                    {
                        "statement": statement,
                        "line_code": code,
                        "label": row.label,
                        "fiscal_year": year,
                        "amount_sek": amount,
                        "note_no": row.note,
                        "source_page": row.line.page,
                        "source_line": row.line.line_no,
                    }
                )
    return facts, issues, columns


def note_titles_of(sections: Sequence[Section]) -> dict[int, str]:
    titles: dict[int, str] = {}
    for section in sections:
        if section.name == "note" and section.note_no is not None:
            titles.setdefault(section.note_no, section.title)
    return titles


def note_lines(lines: Sequence[TextLine], sections: Sequence[Section]) -> tuple[list[dict], list[ParseIssue]]:
    """Each note's table rows; `is_total` marks its Summa lines."""
    out: list[dict] = []
    issues: list[ParseIssue] = []
    for section in sections:
        if section.name != "note":
            continue
        header, rows, unit = read_table(lines[section.start + 1 : section.end])
        if header is None:
            continue
        resolve_by_totals(rows, len(header.years))
        for row in rows:
            if row.problem:
                issues.append(
                    ParseIssue(
                        "value_left_out",
                        f"note {section.note_no} line '{row.label}' left out: {row.problem}",
                        row.line.page,
                        row.line.line_no,
                    )
                )
                continue
            if not row.has_values:
                continue
            for year, value in zip(header.years, row.values or (), strict=True):
                if value is None:
                    continue
                out.append(
                    {
                        "note_no": section.note_no,
                        "note_title": section.title,
                        "label": row.label,
                        "fiscal_year": year,
                        "amount_sek": value * unit,
                        "is_total": is_total_label(row.label),
                        "source_page": row.line.page,
                        "source_line": row.line.line_no,
                    }
                )
    return out, issues
