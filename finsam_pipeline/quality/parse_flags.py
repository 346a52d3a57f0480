"""Flags the parser raised while reading a report (warnings): recorded only when raised.

The parser (finsam_pipeline.parse) raises a `ParseIssue` with one of these names; each
becomes a failed warning row. A document without flags has no row for them, so Dagster
counts every checked document as evaluated for these checks.
"""

from __future__ import annotations

from finsam_pipeline.parse import ParsedReport
from finsam_pipeline.quality.registry import PARSE, WARNING, CheckResult, declare

declare(
    "value_left_out",
    severity=WARNING,
    description="every amount in a statement or note could be read unambiguously",
    family=PARSE,
)
declare(
    "unconfirmed_facts",
    severity=WARNING,
    description="every statement fact is reproduced by the report's own arithmetic: a sum, an identity or "
    "another statement (financial_facts.confirmed_by)",
    family=PARSE,
)
declare(
    "ocr_reread",
    severity=WARNING,
    description="every amount OCR read satisfies the report's arithmetic as read (else a lost or invented minus "
    "is read again by the identity it breaks, and named)",
    family=PARSE,
)
declare(
    "statement_found",
    severity=WARNING,
    description="an annual report has an income statement, balance sheet and cash flow",
    family=PARSE,
)
declare(
    "forbund_in_registry",
    severity=WARNING,
    description="the förbund is in the registry",
    family=PARSE,
)
declare(
    "forbund_uncertain",
    severity=WARNING,
    description="the förbund is named by a known organisation number, the title page or repeated running headers, "
    "not guessed from prose, signatures or one running header (a guess never supersedes another report)",
    family=PARSE,
)
declare(
    "forbund_outside_validity",
    severity=WARNING,
    description="the förbund the report names itself existed in the report's year, by the registry",
    family=PARSE,
)
declare(
    "page_unreadable",
    severity=WARNING,
    description="every PDF page could be read, from its text layer or by OCR",
    family=PARSE,
)
declare(
    "label_unmapped",
    severity=WARNING,
    description="every statement line with amounts has a contract line code (else it is loaded as other)",
    family=PARSE,
)


def parse_issue_results(report: ParsedReport) -> list[CheckResult]:
    """One failed warning row per flag the parser raised."""
    return [
        CheckResult(
            report.document_id,
            issue.check_name,
            WARNING,
            False,
            None,
            None,
            issue.message,
            issue.fiscal_year,
            issue.source_line,
        )
        for issue in report.issues
    ]
