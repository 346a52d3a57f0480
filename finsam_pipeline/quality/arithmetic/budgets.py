"""Budgets: lines against their Summa lines, and a plan's income against its costs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from finsam_pipeline.quality.arithmetic.common import ROUNDED_SEK, compare
from finsam_pipeline.quality.registry import ARITHMETIC, WARNING, CheckedReport, Outcome, check, grouped

TABLE_GAP_LINES = 3  # budget lines further apart than this belong to another table


@check(
    "budget_lines_sum_to_totals",
    severity=WARNING,
    description="budget lines add up to their Summa lines",
    family=ARITHMETIC,
)
def budget_lines_sum_to_totals(report: CheckedReport) -> Iterator[Outcome | None]:
    """Per measure and year: a Summa against the lines above it, with or without the sub-totals before it.

    Of the lines alone, lines plus all sub-totals and lines plus the sub-totals of the same sign,
    the sum nearest the Summa is compared; whole-thousand figures may differ by tkr rounding.
    """
    for (measure, year), group in grouped(report.rows("budget_lines"), "measure", "fiscal_year").items():
        items: list[int] = []
        subtotals: list[int] = []
        previous_line = None
        for row in sorted(group, key=lambda r: r["source_line"]):
            if previous_line is not None and row["source_line"] - previous_line > TABLE_GAP_LINES:
                items, subtotals = [], []  # another table
            previous_line = row["source_line"]
            if not row["is_total"]:
                items.append(row["amount_sek"])
                continue
            total = row["amount_sek"]
            if not items and not subtotals:
                subtotals = [total]
                continue
            same_sign = [s for s in subtotals if (s >= 0) == (total >= 0)]
            candidates = [sum(items), sum(items) + sum(subtotals), sum(items) + sum(same_sign)]
            best = min(candidates, key=lambda c: abs(c - total))
            summed = [*items, *subtotals, total]
            rounding = ROUNDED_SEK * (len(items) + len(subtotals)) if all(v % 1000 == 0 for v in summed) else 0
            outcome = compare(
                year, best, total, f"{measure} lines above '{row['label']}' against it", row["source_line"]
            )
            if outcome is not None and not outcome.passed and abs(best - total) <= rounding:
                outcome = replace(outcome, passed=True, message=outcome.message + " (within tkr rounding)")
            yield outcome
            subtotals = [total] if best != sum(items) else [*subtotals, total]
            items = []


@check(
    "plan_income_equals_costs",
    severity=WARNING,
    description="a plan's income equals its costs",
    family=ARITHMETIC,
    only_for="verksamhetsplan",
)
def plan_income_equals_costs(report: CheckedReport) -> Iterator[Outcome | None]:
    """Per plan year: the largest budget Summa (income) against the smallest (costs), unsigned."""
    totals = [r for r in report.rows("budget_lines") if r["is_total"] and r["measure"] == "budget"]
    for (year,), group in grouped(totals, "fiscal_year").items():
        amounts = [r["amount_sek"] for r in group if r["amount_sek"] is not None]
        income, costs = (max(amounts), min(amounts)) if amounts else (None, None)
        if income is not None and costs is not None and income > 0 > costs:
            yield compare(year, income, -costs, "the plan's income against its costs")
