"""Checks across loaded documents (warnings), evaluated by the warehouse inside every load.

They need the whole warehouse, not one batch, so they are SQL: `CROSS_DOCUMENT_SQL`
(assets/sql/cross_document_checks.sql), run by `finsam_pipeline.warehouse.load` after the
batch's rows are written. They are registered here so that Dagster lists them on the
`warehouse` asset with the same names, severities and descriptions as every other check.
"""

from __future__ import annotations

from finsam_pipeline.parse.vocabulary import SQL_DIR
from finsam_pipeline.quality.registry import CROSS_DOCUMENT, WARNING, declare

CROSS_DOCUMENT_SQL = SQL_DIR / "cross_document_checks.sql"

declare(
    "prior_year_matches_own_report",
    severity=WARNING,
    description="a prior-year value equals the förbund's own report for that year",
    family=CROSS_DOCUMENT,
)
declare(
    "possible_duplicate_report",
    severity=WARNING,
    description="no other loaded report of the same type and year looks like this one twice",
    family=CROSS_DOCUMENT,
)
