"""The statements' own arithmetic: balance sheet, income statement and cash flow, year by year."""

from __future__ import annotations

from collections.abc import Iterator

from finsam_pipeline.quality.arithmetic.common import compare, equity, equity_lines, first, revenue, sum_present
from finsam_pipeline.quality.registry import ARITHMETIC, WARNING, CheckedReport, Outcome, check


@check(
    "balance_sheet_balances",
    severity=WARNING,
    description="assets = equity + provisions + liabilities",
    family=ARITHMETIC,
    needs_facts=True,
)
def balance_sheet_balances(report: CheckedReport) -> Iterator[Outcome | None]:
    values = report.amounts
    for year in report.fact_years:
        liabilities = first(values, ("balance", "liabilities_total", year))
        if liabilities is None:
            liabilities = sum_present(
                values, [("balance", "long_term_liabilities", year), ("balance", "short_term_liabilities", year)]
            )
        equity_total = equity(values, year)
        if equity_total is None or liabilities is None:
            continue
        provisions = values.get(("balance", "provisions", year), 0)
        total_assets = first(
            values, ("balance", "total_assets", year), ("balance", "total_equity_and_liabilities", year)
        )
        yield compare(
            year,
            equity_total + provisions + liabilities,
            total_assets,
            "equity + provisions + liabilities against total assets",
        )


@check(
    "equity_lines_sum_to_total",
    severity=WARNING,
    description="the equity lines add up to total equity",
    family=ARITHMETIC,
    needs_facts=True,
)
def equity_lines_sum_to_total(report: CheckedReport) -> Iterator[Outcome | None]:
    values = report.amounts
    for year in report.fact_years:
        total, lines = first(values, ("balance", "equity_total", year)), equity_lines(values, year)
        if total is not None and lines is not None:
            yield compare(year, lines, total, "sum of equity lines against total equity")


@check(
    "revenue_and_costs_give_operating_result",
    severity=WARNING,
    description="revenue + costs = operating result",
    family=ARITHMETIC,
    needs_facts=True,
)
def revenue_and_costs_give_operating_result(report: CheckedReport) -> Iterator[Outcome | None]:
    values = report.amounts
    for year in report.fact_years:
        income, costs = revenue(values, year), first(values, ("income", "operating_costs", year))
        if income is None or costs is None:
            continue
        yield compare(
            year,
            income + costs + values.get(("income", "depreciation", year), 0),
            first(values, ("income", "operating_result", year)),
            "revenue + costs against operating result",
        )


@check(
    "financial_items_give_result_after_financial",
    severity=WARNING,
    description="operating result + financial items = result after financial items",
    family=ARITHMETIC,
    needs_facts=True,
)
def financial_items_give_result_after_financial(report: CheckedReport) -> Iterator[Outcome | None]:
    values = report.amounts
    for year in report.fact_years:
        operating = first(values, ("income", "operating_result", year))
        after_financial = first(values, ("income", "result_after_financial", year))
        financial_keys = [("income", "financial_income", year), ("income", "financial_costs", year)]
        if operating is None or after_financial is None or not any(k in values for k in financial_keys):
            continue
        yield compare(
            year,
            operating + (sum_present(values, financial_keys) or 0),
            after_financial,
            "operating result + financial items against result after financial items",
        )


@check(
    "net_result_agrees_across_statements",
    severity=WARNING,
    description="the year's result is the same in income statement, balance sheet and cash flow",
    family=ARITHMETIC,
    needs_facts=True,
)
def net_result_agrees_across_statements(report: CheckedReport) -> Iterator[Outcome | None]:
    values = report.amounts
    for year in report.fact_years:
        net = first(values, ("income", "net_result", year))
        for other_statement, code in (("balance", "equity_net_result"), ("cash_flow", "cf_net_result")):
            yield compare(
                year,
                values.get((other_statement, code, year)),
                net,
                f"the year's result in {other_statement} against the income statement",
            )


@check(
    "cash_flow_reconciles",
    severity=WARNING,
    description="cash at start + the year's cash flow = cash at end",
    family=ARITHMETIC,
    needs_facts=True,
)
def cash_flow_reconciles(report: CheckedReport) -> Iterator[Outcome | None]:
    values = report.amounts
    for year in report.fact_years:
        begin, flow, end = (values.get(("cash_flow", c, year)) for c in ("cash_begin", "cf_total", "cash_end"))
        if begin is not None and flow is not None:
            yield compare(year, begin + flow, end, "cash at start + the year's cash flow against cash at end")
