"""Running the checks on a batch of parsed reports, and what holds a document back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import polars as pl

from finsam_pipeline.parse import ParsedReport
from finsam_pipeline.parse.schemas import FACT_SCHEMA
from finsam_pipeline.quality.parse_flags import parse_issue_results
from finsam_pipeline.quality.registry import (
    ARITHMETIC,
    ERROR,
    PLAUSIBILITY,
    CheckedReport,
    CheckResult,
    checks,
    results_frame,
)
from finsam_pipeline.quality.structural import structural_results


def report_results(report: ParsedReport, *families: str) -> list[CheckResult]:
    """Every per-report check of the families on one report: its outcomes, or one skipped row each."""
    checked = CheckedReport(report)
    return [row for registered in checks(*families) for row in registered.results(checked)]


def plausibility_results(report: ParsedReport) -> list[CheckResult]:
    return report_results(report, PLAUSIBILITY)


def arithmetic_results(report: ParsedReport) -> list[CheckResult]:
    return report_results(report, ARITHMETIC)


def validate(reports: Sequence[ParsedReport]) -> pl.DataFrame:
    """Every check for a batch of reports; structural ones in a single GX validation."""
    loadable = [r for r in reports if r.document["status"] == "loaded"]
    facts = pl.concat([r.facts for r in loadable]) if loadable else pl.DataFrame(schema=FACT_SCHEMA)
    results = structural_results(facts, [r.document_id for r in loadable])
    for report in loadable:
        results.extend(report_results(report, PLAUSIBILITY, ARITHMETIC))
        results.extend(parse_issue_results(report))
    return results_frame(results)


def failed_structural(results: pl.DataFrame) -> dict[str, str]:
    """document_id -> plain-words reason, for documents that must be quarantined.

    Errors are the structural and plausibility checks; a skipped row (passed NULL) holds nothing back.
    """
    failed = results.filter((pl.col("severity") == ERROR) & ~pl.col("passed"))  # a NULL (skipped) row drops out
    reasons: dict[str, list[str]] = defaultdict(list)
    for row in failed.iter_rows(named=True):
        reasons[row["document_id"]].append(row["message"])
    return {doc: "; ".join(messages) for doc, messages in reasons.items()}
