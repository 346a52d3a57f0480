"""From extracted text to the frames of one report: pure, no Dagster, no DuckDB."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from finsam_pipeline.extract import ExtractedText
from finsam_pipeline.parse.classify import classify
from finsam_pipeline.parse.sections import find_sections
from finsam_pipeline.parse.statements import ParseIssue, note_lines, note_titles_of, statement_facts

FACT_SCHEMA = {
    "document_id": pl.String,
    "forbund_id": pl.String,
    "fiscal_year": pl.Int32,
    "statement": pl.String,
    "line_code": pl.String,
    "label": pl.String,
    "amount_sek": pl.Int64,
    "note_no": pl.Int32,
    "source_page": pl.Int32,
    "source_line": pl.Int32,
}
DOCUMENT_SCHEMA = {
    "document_id": pl.String,
    "source_file": pl.String,
    "sha256": pl.String,
    "forbund_id": pl.String,
    "forbund_name": pl.String,
    "document_type": pl.String,
    "fiscal_year": pl.Int32,
    "decided_on": pl.Date,
    "status": pl.String,
    "status_reason": pl.String,
    "page_count": pl.Int32,
    "line_count": pl.Int32,
    "encoding": pl.String,
}
NOTE_SCHEMA = {
    "document_id": pl.String,
    "forbund_id": pl.String,
    "fiscal_year": pl.Int32,
    "note_no": pl.Int32,
    "note_title": pl.String,
    "label": pl.String,
    "amount_sek": pl.Int64,
    "is_total": pl.Boolean,
    "source_page": pl.Int32,
    "source_line": pl.Int32,
}


@dataclass
class ParsedReport:
    document: dict
    facts: pl.DataFrame
    notes: pl.DataFrame
    issues: list[ParseIssue] = field(default_factory=list)

    @property
    def document_id(self) -> str:
        return self.document["document_id"]


def _frame(rows: list[dict], schema: dict, **constants: object) -> pl.DataFrame:
    rows = [{**row, **constants} for row in rows]
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def parse_report(extracted: ExtractedText) -> ParsedReport:
    lines = extracted.lines
    sections = find_sections(lines)
    titles = note_titles_of(sections)
    facts, issues = statement_facts(lines, sections, titles)
    notes, note_issues = note_lines(lines, sections)
    issues.extend(note_issues)
    income_years = Counter(f["fiscal_year"] for f in facts if f["statement"] == "income")
    statement_year = max(income_years) if income_years else None
    statements_found = {f["statement"] for f in facts}
    kind = classify(lines, statement_year, has_statements={"income", "balance"} <= statements_found)
    if kind.document_type != "arsredovisning":
        issues = [i for i in issues if i.check_name != "statement_found"]
    if kind.forbund_id and not kind.forbund_in_registry:
        issues.append(
            ParseIssue("forbund_in_registry", f"förbund '{kind.forbund_name}' is not in assets/reference/forbund.csv")
        )
    status, reason = "loaded", None
    if not kind.is_finsam or kind.document_type == "okand":
        status, reason = "quarantined", "not a Finsam report: no samordningsförbund report type was recognised"
    elif kind.forbund_id is None:
        status, reason = "quarantined", "the förbund could not be identified from the text"
    elif kind.fiscal_year is None:
        status, reason = "quarantined", "the fiscal year could not be identified from the text"
    document = {
        "document_id": extracted.document_id,
        "source_file": extracted.source_file,
        "sha256": extracted.sha256,
        "forbund_id": kind.forbund_id,
        "forbund_name": kind.forbund_name,
        "document_type": kind.document_type,
        "fiscal_year": kind.fiscal_year,
        "decided_on": kind.decided_on,
        "status": status,
        "status_reason": reason,
        "page_count": extracted.page_count,
        "line_count": len(lines),
        "encoding": extracted.encoding,
    }
    ids = {"document_id": extracted.document_id, "forbund_id": kind.forbund_id}
    return ParsedReport(
        document=document,
        facts=_frame(facts, FACT_SCHEMA, **ids),
        notes=_frame(notes, NOTE_SCHEMA, **ids),
        issues=issues,
    )
