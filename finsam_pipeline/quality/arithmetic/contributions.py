"""Member contributions: against the revenue line they make up, and the Finsam funding rule."""

from __future__ import annotations

from collections.abc import Iterator

from finsam_pipeline.parse.numbers import group_thousands
from finsam_pipeline.quality.arithmetic.common import compare
from finsam_pipeline.quality.registry import ARITHMETIC, WARNING, CheckedReport, Outcome, check, grouped

FUNDING_RULE_TOLERANCE_PCT = 1.0


def _years(report: CheckedReport) -> list[tuple[int, list[dict]]]:
    """(fiscal_year, that year's contributions) in the order the report gives them."""
    return [(year, group) for (year,), group in grouped(report.rows("member_contributions"), "fiscal_year").items()]


def _total(rows: list[dict], column: str = "amount_sek") -> int:
    return sum(row[column] for row in rows if row[column] is not None)


@check(
    "contributions_match_revenue",
    severity=WARNING,
    description="member contributions add up to the revenue line they make up",
    family=ARITHMETIC,
)
def contributions_match_revenue(report: CheckedReport) -> Iterator[Outcome | None]:
    """The year's contributions against the income-statement line(s) citing the note they were read from."""
    for year, group in report.once(_years):
        notes = {row["note_no"] for row in group} - {None}
        revenue = [
            row
            for row in report.facts
            if row["note_no"] in notes and row["fiscal_year"] == year and row["statement"] == "income"
        ]
        if revenue:
            yield compare(
                year,
                _total(group),
                _total(revenue),
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
        by_type = {kind: _total(rows) for (kind,), rows in grouped(group, "contributor_type").items()}
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
