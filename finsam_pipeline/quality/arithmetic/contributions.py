"""Member contributions: against the revenue line they make up, and the Finsam funding rule."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from finsam_pipeline.parse.numbers import group_thousands
from finsam_pipeline.quality.arithmetic.common import compare
from finsam_pipeline.quality.registry import ARITHMETIC, WARNING, CheckedReport, Outcome, check

FUNDING_RULE_TOLERANCE_PCT = 1.0


def _years(report: CheckedReport) -> list[tuple[int, pl.DataFrame]]:
    """(fiscal_year, that year's contributions) in the order the report gives them."""
    contributions = report.table("member_contributions")
    if contributions is None or contributions.is_empty():
        return []
    return [(year, group) for (year,), group in contributions.group_by(["fiscal_year"], maintain_order=True)]


@check(
    "contributions_match_revenue",
    severity=WARNING,
    description="member contributions add up to the revenue line they make up",
    family=ARITHMETIC,
)
def contributions_match_revenue(report: CheckedReport) -> Iterator[Outcome | None]:
    """The year's contributions against the income-statement line(s) citing the note they were read from."""
    for year, group in report.once(_years):
        notes = set(group["note_no"].drop_nulls().to_list())
        revenue = report.facts.filter(
            pl.col("note_no").is_in(list(notes)) & (pl.col("fiscal_year") == year) & (pl.col("statement") == "income")
        )["amount_sek"]
        if len(revenue):
            yield compare(
                year,
                int(group["amount_sek"].sum()),
                int(revenue.sum()),
                "sum of member contributions against the revenue line",
            )


@check(
    "finsam_funding_rule",
    severity=WARNING,
    description="the state pays half of member money, region and municipalities the other half",
    family=ARITHMETIC,
)
def finsam_funding_rule(report: CheckedReport) -> Iterator[Outcome]:
    """The state's share of member money is 50 % ± FUNDING_RULE_TOLERANCE_PCT (law 2003:1210)."""
    for year, group in report.once(_years):
        by_type = dict(group.group_by("contributor_type").agg(pl.col("amount_sek").sum()).iter_rows())
        state = by_type.get("state", 0)
        local = by_type.get("region", 0) + by_type.get("municipality", 0)
        if not (state and local):
            continue
        share = 100 * state / (state + local)
        yield Outcome(
            abs(share - 50) <= FUNDING_RULE_TOLERANCE_PCT,
            f"{share:.1f} %",
            "50 % ± 1",
            f"{year}: the state paid {share:.1f} % of member money ({group_thousands(state)} against "
            f"{group_thousands(local)} from region and municipalities)",
            fiscal_year=year,
        )
