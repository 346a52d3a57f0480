"""Data-quality checks: structural expectations (Great Expectations) and report arithmetic.

Structural and plausibility failures are errors: the document is quarantined, never
half-loaded. Arithmetic failures are warnings: reports really do contain sums that do not
add up, and researchers need to see where, not lose the report. Every check that could be
evaluated produces one row for `quality_results`, passed or not; a check that had nothing
to evaluate for a document (no facts, none of the lines it compares) produces one row with
`passed` NULL and a message starting "skipped, nothing to evaluate", so an empty check is
never recorded as a pass.

Where things are (each check is registered once, where it is written, see `registry`):

- `registry`: `@check(...)` / `declare(...)`, the row type, skipped rows, the frame;
- `structural`: Great Expectations on financial_facts (error);
- `plausibility`: revenue within what a samordningsförbund can have (error);
- `arithmetic/`: `statements`, `notes`, `contributions`, `key_figures`, `participants`,
  `budgets` (warning);
- `parse_flags`: what the parser flagged while reading (warning);
- `cross_document`: checks across loaded documents, run by the warehouse in SQL (warning);
- `runner`: `validate` (a batch) and `failed_structural` (what holds a document back).
"""

from finsam_pipeline.parse.schemas import QUALITY_SCHEMA
from finsam_pipeline.quality import arithmetic, cross_document  # noqa: F401  (importing registers the checks)
from finsam_pipeline.quality.arithmetic.common import ROUNDED_SEK, TOLERANCE_SEK
from finsam_pipeline.quality.arithmetic.contributions import FUNDING_RULE_TOLERANCE_PCT
from finsam_pipeline.quality.parse_flags import parse_issue_results
from finsam_pipeline.quality.plausibility import PLAUSIBLE_REVENUE_SEK, REVENUE_LINES
from finsam_pipeline.quality.registry import (
    ARITHMETIC,
    CROSS_DOCUMENT,
    ERROR,
    FAMILIES,
    PARSE,
    PLAUSIBILITY,
    REGISTRY,
    SKIPPED,
    STRUCTURAL,
    WARNING,
    Check,
    CheckedReport,
    CheckResult,
    Outcome,
    check,
    checks,
    declare,
    descriptions,
    results_frame,
    skipped,
)
from finsam_pipeline.quality.runner import (
    arithmetic_results,
    failed_structural,
    plausibility_results,
    report_results,
    validate,
)
from finsam_pipeline.quality.structural import _gx_suite, structural_results

# Check name -> what it asserts, per family (Dagster shows one asset check per entry).
STRUCTURAL_CHECKS = descriptions(STRUCTURAL)
PLAUSIBILITY_CHECKS = descriptions(PLAUSIBILITY)
ARITHMETIC_CHECKS = descriptions(ARITHMETIC)
PARSE_CHECKS = descriptions(PARSE)
WAREHOUSE_CHECKS = descriptions(CROSS_DOCUMENT)  # on the warehouse asset (assets/sql/cross_document_checks.sql)
ERROR_CHECKS = {c.name: c.description for c in checks(*FAMILIES) if c.severity == ERROR}
ALL_CHECKS = descriptions(STRUCTURAL, PLAUSIBILITY, ARITHMETIC, PARSE)  # on the validated_reports asset

__all__ = [
    "ALL_CHECKS",
    "ARITHMETIC",
    "ARITHMETIC_CHECKS",
    "CROSS_DOCUMENT",
    "ERROR",
    "ERROR_CHECKS",
    "FAMILIES",
    "FUNDING_RULE_TOLERANCE_PCT",
    "PARSE",
    "PARSE_CHECKS",
    "PLAUSIBILITY",
    "PLAUSIBILITY_CHECKS",
    "PLAUSIBLE_REVENUE_SEK",
    "QUALITY_SCHEMA",
    "REGISTRY",
    "REVENUE_LINES",
    "ROUNDED_SEK",
    "SKIPPED",
    "STRUCTURAL",
    "STRUCTURAL_CHECKS",
    "TOLERANCE_SEK",
    "WAREHOUSE_CHECKS",
    "WARNING",
    "Check",
    "CheckResult",
    "CheckedReport",
    "Outcome",
    "_gx_suite",
    "arithmetic_results",
    "check",
    "checks",
    "declare",
    "descriptions",
    "failed_structural",
    "parse_issue_results",
    "plausibility_results",
    "report_results",
    "results_frame",
    "skipped",
    "structural_results",
    "validate",
]
