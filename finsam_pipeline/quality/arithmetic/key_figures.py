"""The multi-year overview (1.1 Översikt över verksamhetens utveckling) against the statements."""

from __future__ import annotations

from collections.abc import Iterator

from finsam_pipeline.parse.numbers import group_thousands
from finsam_pipeline.quality.arithmetic.common import ROUNDED_SEK, equity, revenue, sum_present
from finsam_pipeline.quality.registry import ARITHMETIC, WARNING, CheckedReport, Outcome, check


def _from_statements(values: dict, metric: str, year: int) -> float | None:
    """The statements' figure for a key-figure metric and year, None where they do not give it."""
    if metric == "revenue":
        return revenue(values, year)
    if metric == "costs":
        return sum_present(values, [("income", c, year) for c in ("operating_costs", "depreciation")])
    if metric == "net_result":
        return values.get(("income", "net_result", year))
    if metric == "equity_ratio_pct":
        equity_total = equity(values, year)
        assets = values.get(("balance", "total_assets", year))
        return 100 * equity_total / assets if equity_total is not None and assets else None
    return None


@check(
    "key_figures_match_statements",
    severity=WARNING,
    description="the multi-year overview agrees with the statements for the same year",
    family=ARITHMETIC,
)
def key_figures_match_statements(report: CheckedReport) -> Iterator[Outcome]:
    """Money within tkr rounding when the overview prints whole thousands; soliditet within 0.1 (1 if whole)."""
    figures = report.rows("key_figures")
    if not figures:
        return
    values = report.amounts
    money = [row["value"] for row in figures if row["metric"] in ("revenue", "costs", "net_result")]
    tolerance = ROUNDED_SEK if money and all(v % 1000 == 0 for v in money) else 0
    for row in figures:
        year, metric, value = row["fiscal_year"], row["metric"], row["value"]
        statement = _from_statements(values, metric, year)
        if statement is None:
            continue
        if metric == "equity_ratio_pct":
            allowed = 1.0 if value == int(value) else 0.1  # whole percents may be truncated, not rounded
            observed, expected = f"{value:g}", f"{statement:.1f}"
            message = f"{year}: soliditet {observed} % against {expected} % from the balance sheet"
        else:
            allowed = tolerance
            observed, expected = str(int(value)), str(int(statement))
            message = (
                f"{year}: key figure {metric} {group_thousands(int(value))} against "
                f"{group_thousands(int(statement))} in the statements"
            )
        yield Outcome(
            abs(value - statement) <= allowed,
            observed,
            expected,
            message,
            fiscal_year=year,
            source_line=row["source_line"],
        )
