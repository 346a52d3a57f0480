"""From extracted text to the frames of one report: pure, no Dagster, no DuckDB."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from finsam_pipeline.parse.aligned import tabulate_aligned
from finsam_pipeline.parse.board import board_member_rows
from finsam_pipeline.parse.budget import budget_line_rows
from finsam_pipeline.parse.classify import classify
from finsam_pipeline.parse.confirm import confirm_facts
from finsam_pipeline.parse.contributions import (
    member_contribution_rows,
    unreconciled_revenue_notes,
)
from finsam_pipeline.parse.goals import goal_rows
from finsam_pipeline.parse.indicators import indicator_rows
from finsam_pipeline.parse.interventions import counts_that_add_up, intervention_reading
from finsam_pipeline.parse.key_figures import in_the_statements_unit, key_figure_rows
from finsam_pipeline.parse.schemas import DOCUMENT_SCHEMA, FACT_SCHEMA, NOTE_SCHEMA, TABLE_SCHEMAS
from finsam_pipeline.parse.sections import find_sections
from finsam_pipeline.parse.side_by_side import statements_unfolded
from finsam_pipeline.parse.statements import (
    ParseIssue,
    note_lines,
    note_titles_of,
    statement_facts,
    with_report_years,
)
from finsam_pipeline.parse.unsure import UnsureAmounts
from finsam_pipeline.read.extract import ExtractedText


@dataclass
class ParsedReport:
    document: dict
    tables: dict[str, pl.DataFrame]  # contract table name -> this document's rows
    issues: list[ParseIssue] = field(default_factory=list)

    @property
    def document_id(self) -> str:
        return self.document["document_id"]

    @property
    def facts(self) -> pl.DataFrame:
        return self.tables["financial_facts"]

    @property
    def notes(self) -> pl.DataFrame:
        return self.tables["note_lines"]


__all__ = ["DOCUMENT_SCHEMA", "FACT_SCHEMA", "NOTE_SCHEMA", "TABLE_SCHEMAS", "ParsedReport", "parse_report"]


_STATEMENT_NAMES = {"income": "income statement", "balance": "balance sheet"}


def _frame(rows: list[dict], schema: dict, **constants: object) -> pl.DataFrame:
    rows = [{**{k: v for k, v in row.items() if k in schema}, **constants} for row in rows]
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def parse_report(extracted: ExtractedText) -> ParsedReport:
    lines = statements_unfolded(extracted.lines)
    sections = find_sections(lines)
    titles = note_titles_of(sections)
    facts, issues, year_columns = statement_facts(lines, titles)
    notes, note_issues = note_lines(lines, sections, facts)
    content_lines = tabulate_aligned(lines)  # space-aligned tables as tab rows, for every content parser
    key_figures, key_figure_issues = key_figure_rows(content_lines, sections, titles)
    issues.extend(note_issues + key_figure_issues)
    statement_year = next((years[0] for years in year_columns.values() if years and years[0] > 0), None)
    statements_found = {f["statement"] for f in facts}
    kind = classify(lines, statement_year, has_statements={"income", "balance"} <= statements_found)
    issues.extend(ParseIssue(name, message) for name, message in kind.forbund_warnings)
    ocr_pages = frozenset(page.page for page in extracted.pages if page.method == "ocr")
    unsure = UnsureAmounts.of(extracted, lines, ocr_pages)  # what OCR read where it shows `?`s
    unread = {i.source_line for i in issues if i.check_name == "value_left_out" and i.source_line is not None}
    facts, read_whole = unsure.statement_facts(facts, titles, kind.fiscal_year, unread)
    facts, unconfirmed = confirm_facts(
        facts,
        ocr_pages,
        frozenset(
            (i.source_line, i.fiscal_year)
            for i in issues
            if i.check_name == "value_left_out" and i.source_line is not None and i.source_line not in read_whole
        ),
    )
    issues = [i for i in issues if not (i.check_name == "value_left_out" and i.source_line in read_whole)]
    notes = with_report_years(notes, kind.fiscal_year)  # `Innevarande år` / `Föregående år` notes, too
    key_figures = with_report_years(key_figures, kind.fiscal_year)
    issues.extend(unconfirmed)
    key_figures, unscaled = in_the_statements_unit(key_figures, facts)
    issues.extend(unscaled)
    if kind.document_type != "arsredovisning":
        issues = [i for i in issues if i.check_name != "statement_found"]
    if kind.forbund_id and not kind.forbund_in_registry:
        issues.append(
            ParseIssue(
                "forbund_in_registry",
                f"förbund '{kind.forbund_name}' ({kind.forbund_evidence}) is not in assets/reference/forbund.csv",
            )
        )
    left_out = {i.source_line for i in issues if i.check_name == "value_left_out"} | read_whole
    issues.extend(ParseIssue(*flag) for flag in extracted.reading_flags() if flag[3] is None or flag[3] not in left_out)
    status, reason = "loaded", None
    if not kind.is_finsam or kind.document_type == "okand":
        status, reason = "quarantined", "not a Finsam report: no samordningsförbund report type was recognised"
    elif kind.forbund_id is None:
        status, reason = "quarantined", "the förbund could not be identified from the text"
    elif kind.fiscal_year is None:
        status, reason = "quarantined", "the fiscal year could not be identified from the text"
    elif kind.document_type == "arsredovisning" and not {"income", "balance"} <= statements_found:
        missing = [name for key, name in _STATEMENT_NAMES.items() if key not in statements_found]
        status, reason = "quarantined", f"no {' and no '.join(missing)} found: the statements cannot be read"
    if status == "quarantined" and extracted.unread_pages_note():
        reason = f"{reason}; {extracted.unread_pages_note()}"
    document = {
        "document_id": extracted.document_id,
        "source_file": extracted.source_file,
        "sha256": extracted.sha256,
        "forbund_id": kind.forbund_id,
        "forbund_name": kind.forbund_name,
        "forbund_in_registry": kind.forbund_in_registry if kind.forbund_id else None,
        "document_type": kind.document_type,
        "fiscal_year": kind.fiscal_year,
        "decided_on": kind.decided_on,
        "status": status,
        "status_reason": reason,
        "page_count": extracted.page_count,
        "line_count": len(extracted.lines),
        "encoding": extracted.encoding,
        "pages_ocr": extracted.pages_ocr,
        "ocr_mean_confidence": extracted.ocr_mean_confidence,
        "page_reading": extracted.page_reading,
    }
    budget_lines = budget_line_rows(content_lines, kind.fiscal_year)
    if status == "loaded" and kind.document_type == "verksamhetsplan" and not budget_lines:
        status, reason = "quarantined", "no budget found: a plan without a readable budget table is not loaded"
        document.update(status=status, status_reason=reason)
    ids = {"document_id": extracted.document_id, "forbund_id": kind.forbund_id}
    contribution_messages: list[str] = []
    contributions = member_contribution_rows(
        content_lines,
        sections,
        facts,
        notes,
        kind.fiscal_year,
        kind.forbund_id,
        kind.forbund_name,
        contribution_messages,
    )
    contributions, unproven, payers_read = unsure.member_contributions(
        with_report_years(contributions, kind.fiscal_year), notes, sections, facts, kind
    )
    issues = [i for i in issues if not (i.check_name == "value_left_out" and i.source_line in payers_read)]
    issues.extend(ParseIssue("value_left_out", message) for message in contribution_messages + unproven)
    issues.extend(
        ParseIssue(
            "value_left_out",
            f"member contributions: note {note} adds up to the income statement line pointing at it in no unit: "
            "its rows are left out",
        )
        for note in unreconciled_revenue_notes(notes, sections, facts)
    )
    annual = kind.document_type == "arsredovisning"
    interventions, outcomes, unproven_counts = (
        intervention_reading(content_lines, kind.fiscal_year) if annual else ([], [], [])
    )
    interventions, miscounted = counts_that_add_up(interventions)
    miscounted += unproven_counts
    issues.extend(ParseIssue("value_left_out", message) for message in miscounted)
    tables = {
        "financial_facts": _frame(facts, FACT_SCHEMA, **ids),
        "note_lines": _frame(notes, NOTE_SCHEMA, **ids),
        "key_figures": _frame(key_figures, TABLE_SCHEMAS["key_figures"], **ids),
        "member_contributions": _frame(contributions, TABLE_SCHEMAS["member_contributions"], **ids),
        "board_members": _frame(
            board_member_rows(content_lines), TABLE_SCHEMAS["board_members"], **ids, fiscal_year=kind.fiscal_year
        ),
        "budget_lines": _frame(budget_lines, TABLE_SCHEMAS["budget_lines"], **ids),
        "interventions": _frame(interventions, TABLE_SCHEMAS["interventions"], **ids, fiscal_year=kind.fiscal_year),
        "intervention_outcomes": _frame(
            outcomes, TABLE_SCHEMAS["intervention_outcomes"], **ids, fiscal_year=kind.fiscal_year
        ),
        "indicator_results": _frame(
            # indicator pairs stay on the untabulated lines: from PDF layout some shares land in the wrong
            # year or sex column, and a wrong number is worse than a missing one
            indicator_rows(lines, kind.fiscal_year),
            TABLE_SCHEMAS["indicator_results"],
            **ids,
        ),
        "goals": _frame(goal_rows(lines), TABLE_SCHEMAS["goals"], **ids, fiscal_year=kind.fiscal_year),
    }
    return ParsedReport(document=document, tables=tables, issues=issues)
