"""Data-quality checks: structural expectations (Great Expectations) and report arithmetic.

Structural failures are errors: the document is quarantined, never half-loaded.
Arithmetic failures are warnings: reports really do contain sums that do not add
up, and researchers need to see where, not lose the report. Every check that could
be evaluated produces one row for `quality_results`, passed or not; a check that had
nothing to evaluate for a document (no facts, none of the lines it compares) produces
one row with `passed` NULL and a message starting "skipped, nothing to evaluate", so
an empty check is never recorded as a pass.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache

import polars as pl

from finsam_pipeline.parse import FACT_SCHEMA, ParsedReport
from finsam_pipeline.parse.numbers import group_thousands
from finsam_pipeline.parse.statements import STATEMENTS
from finsam_pipeline.vocabulary import known_line_codes

QUALITY_SCHEMA = {
    "document_id": pl.String,
    "check_name": pl.String,
    "severity": pl.String,
    "passed": pl.Boolean,
    "observed": pl.String,
    "expected": pl.String,
    "message": pl.String,
    "fiscal_year": pl.Int32,
    "source_line": pl.Int32,
}
ERROR, WARNING = "error", "warning"
SKIPPED = "skipped, nothing to evaluate"  # how a not-evaluated row's message starts (passed is NULL)
TOLERANCE_SEK = 0  # reports print whole kronor; any difference is a real inconsistency

# Check names and what each asserts; Dagster shows one asset check per entry.
STRUCTURAL_CHECKS = {
    "facts_required_columns": "every contract column of financial_facts is present",
    "facts_not_null": "document, förbund, year, statement, code and amount are never empty",
    "facts_amount_is_integer": "amounts are whole kronor (64-bit integers)",
    "facts_known_statement": "statement is income, balance or cash_flow",
    "facts_known_line_code": "line_code is in assets/reference/line_codes.csv or 'other'",
    "facts_plausible_year": "fiscal_year lies between 1990 and 2100",
    "facts_one_value_per_code": "one value per document, statement, line code and year",
}
# Plausibility (error, quarantines the document like a structural failure).
PLAUSIBILITY_CHECKS = {
    "revenue_plausible_scale": "the year's revenue lies between 100 000 and 1 000 000 000 kr",
}
PLAUSIBLE_REVENUE_SEK = (100_000, 1_000_000_000)
"""The smallest and largest yearly revenue (kr) a samordningsförbund can plausibly report.

Revenue is almost all member money: the state pays half, the region and the
municipalities the other half. The smallest förbund turn over a few million kronor a
year, the largest some tens of millions, and all ~75 together well under one billion.
A revenue below 100 000 kr or above 1 000 000 000 kr is therefore not a small or a big
förbund but a misread unit: a table printed in tkr read as kronor (1 000 times too
small) or kronor scaled as tkr (1 000 times too large). Such a document is held back
rather than loaded with numbers off by three orders of magnitude.
"""
REVENUE_LINES = ("member_contributions", "other_revenue")  # summed when no revenue_total is printed
ERROR_CHECKS = {**STRUCTURAL_CHECKS, **PLAUSIBILITY_CHECKS}
ARITHMETIC_CHECKS = {
    "balance_sheet_balances": "assets = equity + provisions + liabilities",
    "equity_lines_sum_to_total": "the equity lines add up to total equity",
    "revenue_and_costs_give_operating_result": "revenue + costs = operating result",
    "financial_items_give_result_after_financial": "operating result + financial items = result after financial items",
    "net_result_agrees_across_statements": (
        "the year's result is the same in income statement, balance sheet and cash flow"
    ),
    "cash_flow_reconciles": "cash at start + the year's cash flow = cash at end",
    "note_items_sum_to_note_total": "a note's lines add up to its Summa",
    "note_total_matches_statement": "a note's total equals the statement line(s) it explains",
    "contributions_match_revenue": "member contributions add up to the revenue line they make up",
    "finsam_funding_rule": "the state pays half of member money, region and municipalities the other half",
    "key_figures_match_statements": "the multi-year overview agrees with the statements for the same year",
    "women_and_men_add_up": "women + men = total participants",
    "budget_lines_sum_to_totals": "budget lines add up to their Summa lines",
    "plan_income_equals_costs": "a plan's income equals its costs",
}
# Checks across documents run in the warehouse (assets/sql/cross_document_checks.sql).
WAREHOUSE_CHECKS = {
    "prior_year_matches_own_report": "a prior-year value equals the förbund's own report for that year",
    "possible_duplicate_report": "no other loaded report of the same type and year looks like this one twice",
}
PARSE_CHECKS = {
    "value_left_out": "every amount in a statement or note could be read unambiguously",
    "statement_found": "an annual report has an income statement, balance sheet and cash flow",
    "forbund_in_registry": "the förbund is in the registry",
    "label_unmapped": "every statement line with amounts has a contract line code (else it is loaded as other)",
}
ALL_CHECKS = {**STRUCTURAL_CHECKS, **PLAUSIBILITY_CHECKS, **ARITHMETIC_CHECKS, **PARSE_CHECKS}


@dataclass(frozen=True)
class CheckResult:
    document_id: str | None
    check_name: str
    severity: str
    passed: bool | None  # None: nothing to evaluate (skipped), never a pass
    observed: str | None
    expected: str | None
    message: str
    fiscal_year: int | None = None
    source_line: int | None = None


def skipped(document_id: str, check_name: str, severity: str, why: str) -> CheckResult:
    """The row of a check that had nothing to evaluate for a document: not passed, not failed."""
    return CheckResult(document_id, check_name, severity, None, "nothing evaluated", None, f"{SKIPPED}: {why}")


def results_frame(results: Iterable[CheckResult]) -> pl.DataFrame:
    rows = [r.__dict__ for r in results]
    return pl.DataFrame(rows, schema=QUALITY_SCHEMA) if rows else pl.DataFrame(schema=QUALITY_SCHEMA)


# --- structural checks with Great Expectations ------------------------------------


@cache
def _gx_suite():
    """One ephemeral GX context and suite per process: building them is the slow part."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (
        context.data_sources.add_pandas("finsam")
        .add_dataframe_asset("financial_facts")
        .add_batch_definition_whole_dataframe("all_documents")
    )
    expectations = gx.expectations
    suite = gx.ExpectationSuite(name="financial_facts_structure")
    named: list[tuple[str, object]] = [
        *(("facts_required_columns", expectations.ExpectColumnToExist(column=c)) for c in FACT_SCHEMA),
        *(
            ("facts_not_null", expectations.ExpectColumnValuesToNotBeNull(column=c))
            for c in ("document_id", "forbund_id", "fiscal_year", "statement", "line_code", "amount_sek")
        ),
        (
            "facts_amount_is_integer",
            expectations.ExpectColumnValuesToBeInTypeList(column="amount_sek", type_list=["int64", "Int64"]),
        ),
        (
            "facts_known_statement",
            expectations.ExpectColumnValuesToBeInSet(column="statement", value_set=list(STATEMENTS)),
        ),
        (
            "facts_known_line_code",
            expectations.ExpectColumnValuesToBeInSet(column="line_code", value_set=sorted(known_line_codes())),
        ),
        (
            "facts_plausible_year",
            expectations.ExpectColumnValuesToBeBetween(column="fiscal_year", min_value=1990, max_value=2100),
        ),
        (
            "facts_one_value_per_code",
            expectations.ExpectCompoundColumnsToBeUnique(
                column_list=["document_id", "statement", "fact_key", "fiscal_year"]
            ),
        ),
    ]
    for check_name, expectation in named:
        expectation.meta = {"check_name": check_name}
        suite.add_expectation(expectation)
    return batch_definition, context.suites.add(suite)


def structural_results(facts: pl.DataFrame, document_ids: Sequence[str]) -> list[CheckResult]:
    """Validate all documents' facts in one GX batch; attribute failures per document."""
    if not document_ids:
        return []
    if "document_id" in facts.columns:
        with_facts = set(facts["document_id"].to_list())
    else:  # rows that cannot be attributed: every document is checked (and fails facts_required_columns)
        with_facts = set(document_ids) if facts.height else set()
    results = [
        skipped(document_id, check_name, ERROR, "the document has no financial_facts rows")
        for document_id in document_ids
        if document_id not in with_facts
        for check_name in STRUCTURAL_CHECKS
    ]
    evaluated = [document_id for document_id in document_ids if document_id in with_facts]
    if not evaluated:
        return results
    batch_definition, suite = _gx_suite()
    frame = (
        facts.with_columns(
            fact_key=pl.when(pl.col("line_code") == "other")
            .then(pl.lit("other:") + pl.col("label"))
            .otherwise(pl.col("line_code"))
        )
        if {"line_code", "label"} <= set(facts.columns)
        else facts
    )
    pandas_frame = frame.to_pandas(use_pyarrow_extension_array=False)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": pandas_frame})
    validation = batch.validate(suite, result_format="COMPLETE")
    doc_column = pandas_frame.get("document_id")
    failures: dict[tuple[str, str], list[str]] = defaultdict(list)
    table_failures: dict[str, list[str]] = defaultdict(list)
    for outcome in validation.results:
        config = outcome.expectation_config
        check_name = (config.meta or {}).get("check_name", config.type)
        what = f"{config.type}({config.kwargs.get('column') or config.kwargs.get('column_list')})"
        if outcome.success:
            continue
        indexes = outcome.result.get("unexpected_index_list")
        if indexes and doc_column is not None:
            for index in indexes:
                failures[(check_name, doc_column.iloc[index])].append(what)
        else:
            table_failures[check_name].append(what)
    for document_id in evaluated:
        for check_name, description in STRUCTURAL_CHECKS.items():
            failed = failures.get((check_name, document_id), []) + table_failures.get(check_name, [])
            results.append(
                CheckResult(
                    document_id,
                    check_name,
                    ERROR,
                    not failed,
                    observed=f"{len(failed)} failing value(s): {sorted(set(failed))[:3]}" if failed else "ok",
                    expected=description,
                    message=description if not failed else f"structure violated: {description}",
                )
            )
    return results


# --- arithmetic checks -------------------------------------------------------------


def _amounts(facts: pl.DataFrame) -> dict[tuple[str, str, int], int]:
    return {
        (row["statement"], row["line_code"], row["fiscal_year"]): row["amount_sek"]
        for row in facts.filter(pl.col("line_code") != "other").iter_rows(named=True)
    }


def _first(values: dict, *keys: tuple[str, str, int]) -> int | None:
    return next((values[k] for k in keys if k in values), None)


def _sum_present(values: dict, keys: Iterable[tuple[str, str, int]]) -> int | None:
    present = [values[k] for k in keys if k in values]
    return sum(present) if present else None


def _equity_lines(values: dict, year: int) -> int | None:
    """Equity as the sum of its lines, for reports that print no total."""
    return _sum_present(
        values, [("balance", c, year) for c in ("equity_net_result", "equity_other", "equity_transfer")]
    )


def _compare(
    document_id: str,
    check: str,
    year: int,
    observed: int | None,
    expected: int | None,
    detail: str,
    line: int | None = None,
) -> CheckResult | None:
    if observed is None or expected is None:
        return None
    passed = abs(observed - expected) <= TOLERANCE_SEK
    message = f"{year}: {detail}: {group_thousands(observed)} against {group_thousands(expected)}"
    if not passed:
        message += f" (difference {group_thousands(observed - expected)})"
    return CheckResult(
        document_id, check, WARNING, passed, str(observed), str(expected), message, fiscal_year=year, source_line=line
    )


def arithmetic_results(report: ParsedReport) -> list[CheckResult]:
    """Report-internal arithmetic, skipping any check whose inputs were left out."""
    doc = report.document_id
    values = _amounts(report.facts)
    years = sorted(set(report.facts["fiscal_year"].to_list()))
    results: list[CheckResult | None] = []
    for y in years:

        def v(statement: str, code: str, year: int = y) -> tuple[str, str, int]:
            return (statement, code, year)

        equity = _first(values, v("balance", "equity_total"))
        equity_parts = _equity_lines(values, y)
        liabilities = _first(values, v("balance", "liabilities_total"))
        if liabilities is None:
            liabilities = _sum_present(
                values, [v("balance", "long_term_liabilities"), v("balance", "short_term_liabilities")]
            )
        provisions = values.get(v("balance", "provisions"), 0)
        equity_used = equity if equity is not None else equity_parts
        total_assets = _first(values, v("balance", "total_assets"), v("balance", "total_equity_and_liabilities"))
        if equity_used is not None and liabilities is not None:
            results.append(
                _compare(
                    doc,
                    "balance_sheet_balances",
                    y,
                    equity_used + provisions + liabilities,
                    total_assets,
                    "equity + provisions + liabilities against total assets",
                )
            )
        if equity is not None and equity_parts is not None:
            results.append(
                _compare(
                    doc,
                    "equity_lines_sum_to_total",
                    y,
                    equity_parts,
                    equity,
                    "sum of equity lines against total equity",
                )
            )

        revenue = _first(values, v("income", "revenue_total"))
        if revenue is None:
            revenue = _sum_present(values, [v("income", "member_contributions"), v("income", "other_revenue")])
        costs = _first(values, v("income", "operating_costs"))
        operating = _first(values, v("income", "operating_result"))
        if revenue is not None and costs is not None:
            results.append(
                _compare(
                    doc,
                    "revenue_and_costs_give_operating_result",
                    y,
                    revenue + costs + values.get(v("income", "depreciation"), 0),
                    operating,
                    "revenue + costs against operating result",
                )
            )
        after_financial = _first(values, v("income", "result_after_financial"))
        financial_keys = [v("income", "financial_income"), v("income", "financial_costs")]
        if operating is not None and after_financial is not None and any(k in values for k in financial_keys):
            results.append(
                _compare(
                    doc,
                    "financial_items_give_result_after_financial",
                    y,
                    operating + (_sum_present(values, financial_keys) or 0),
                    after_financial,
                    "operating result + financial items against result after financial items",
                )
            )
        net = _first(values, v("income", "net_result"))
        for other_statement, code in (("balance", "equity_net_result"), ("cash_flow", "cf_net_result")):
            results.append(
                _compare(
                    doc,
                    "net_result_agrees_across_statements",
                    y,
                    values.get(v(other_statement, code)),
                    net,
                    f"the year's result in {other_statement} against the income statement",
                )
            )
        begin, flow, end = (values.get(v("cash_flow", c)) for c in ("cash_begin", "cf_total", "cash_end"))
        if begin is not None and flow is not None:
            results.append(
                _compare(
                    doc,
                    "cash_flow_reconciles",
                    y,
                    begin + flow,
                    end,
                    "cash at start + the year's cash flow against cash at end",
                )
            )
    results.extend(_note_results(report))
    results.extend(_contribution_results(report, values))
    results.extend(_key_figure_results(report, values))
    results.extend(_participant_results(report))
    results.extend(_budget_results(report))
    evaluated = [r for r in results if r is not None]
    return evaluated + _not_evaluated(report, {r.check_name for r in evaluated})


def _not_evaluated(report: ParsedReport, evaluated: set[str]) -> list[CheckResult]:
    """One skipped row per arithmetic check that found nothing to compare in this document."""
    is_plan = report.document["document_type"] == "verksamhetsplan"
    rows = []
    for check_name, description in ARITHMETIC_CHECKS.items():
        if check_name in evaluated:
            continue
        if check_name == "plan_income_equals_costs" and not is_plan:
            why = "only a plan (verksamhetsplan) is checked for this"
        elif report.facts.is_empty() and check_name in _STATEMENT_CHECKS:
            why = "the document has no financial_facts rows"
        else:
            why = f"the document has none of the values this check compares ({description})"
        rows.append(skipped(report.document_id, check_name, WARNING, why))
    return rows


_STATEMENT_CHECKS = {  # the checks that compare financial_facts only
    "balance_sheet_balances",
    "equity_lines_sum_to_total",
    "revenue_and_costs_give_operating_result",
    "financial_items_give_result_after_financial",
    "net_result_agrees_across_statements",
    "cash_flow_reconciles",
}


def plausibility_results(report: ParsedReport) -> list[CheckResult]:
    """Each year's revenue against PLAUSIBLE_REVENUE_SEK: outside it, a unit was misread (error)."""
    doc, check = report.document_id, "revenue_plausible_scale"
    facts = report.facts
    if facts.is_empty():
        return [skipped(doc, check, ERROR, "the document has no financial_facts rows")]
    low, high = PLAUSIBLE_REVENUE_SEK
    bounds = f"{group_thousands(low)}–{group_thousands(high)} kr"
    income = facts.filter(pl.col("statement") == "income")
    results = []
    for year in sorted(set(facts["fiscal_year"].drop_nulls().to_list())):
        lines = income.filter(pl.col("fiscal_year") == year)
        total = lines.filter(pl.col("line_code") == "revenue_total")
        if total.is_empty():
            total = lines.filter(pl.col("line_code").is_in(REVENUE_LINES))
        if total.is_empty():
            continue
        revenue = int(total["amount_sek"].sum())
        passed = low <= revenue <= high
        message = f"revenue {group_thousands(revenue)} kr for {year} is {'within' if passed else 'outside'} the "
        message += f"plausible {bounds}" + ("" if passed else ": unit misread?")
        line = total["source_line"].min() if "source_line" in total.columns else None
        results.append(
            CheckResult(doc, check, ERROR, passed, str(revenue), bounds, message, fiscal_year=year, source_line=line)
        )
    if not results:
        why = "the income statement has no revenue line (revenue_total, member_contributions or other_revenue)"
        return [skipped(doc, check, ERROR, why)]
    return results


def _note_results(report: ParsedReport) -> list[CheckResult | None]:
    doc = report.document_id
    results: list[CheckResult | None] = []
    left_out_lines = {i.source_line for i in report.issues if i.check_name == "value_left_out"}
    notes = report.notes
    if notes.is_empty():
        return results
    for (note_no, year), group in notes.group_by(["note_no", "fiscal_year"], maintain_order=True):
        rows = group.sort("source_line").to_dicts()
        first_line, last_line = rows[0]["source_line"], rows[-1]["source_line"]
        incomplete = any(first_line <= line <= last_line + 1 for line in left_out_lines if line)
        total = None
        subtotals: list[int] = []
        items: list[int] = []
        for row in rows:
            if row["is_total"]:
                if items and not incomplete:
                    results.append(
                        _compare(
                            doc,
                            "note_items_sum_to_note_total",
                            year,
                            sum(items),
                            row["amount_sek"],
                            f"note {note_no}: sum of lines against '{row['label']}'",
                            row["source_line"],
                        )
                    )
                elif subtotals and not items and not incomplete:
                    results.append(
                        _compare(
                            doc,
                            "note_items_sum_to_note_total",
                            year,
                            sum(subtotals),
                            row["amount_sek"],
                            f"note {note_no}: sum of sub-totals against the total",
                            row["source_line"],
                        )
                    )
                subtotals.append(row["amount_sek"])
                total, items = row["amount_sek"], []
            else:
                items.append(row["amount_sek"])
        explained = report.facts.filter((pl.col("note_no") == note_no) & (pl.col("fiscal_year") == year))
        if total is not None and explained.height:
            statement_amount = sum(abs(a) for a in explained["amount_sek"].to_list())
            labels = ", ".join(sorted(set(explained["label"].to_list())))
            results.append(
                _compare(
                    doc,
                    "note_total_matches_statement",
                    year,
                    abs(total),
                    statement_amount,
                    f"note {note_no} total against statement line(s) {labels}",
                )
            )
    return results


FUNDING_RULE_TOLERANCE_PCT = 1.0
ROUNDED_SEK = 500  # a tkr figure may be off by half a thousand kronor from the exact amount


def _contribution_results(report: ParsedReport, values: dict) -> list[CheckResult | None]:
    doc, results = report.document_id, []
    contributions = report.tables.get("member_contributions")
    if contributions is None or contributions.is_empty():
        return results
    for (year,), group in contributions.group_by(["fiscal_year"], maintain_order=True):
        notes = set(group["note_no"].drop_nulls().to_list())
        revenue = report.facts.filter(
            pl.col("note_no").is_in(list(notes)) & (pl.col("fiscal_year") == year) & (pl.col("statement") == "income")
        )["amount_sek"]
        if len(revenue):
            results.append(
                _compare(
                    doc,
                    "contributions_match_revenue",
                    year,
                    int(group["amount_sek"].sum()),
                    int(revenue.sum()),
                    "sum of member contributions against the revenue line",
                )
            )
        by_type = dict(group.group_by("contributor_type").agg(pl.col("amount_sek").sum()).iter_rows())
        state = by_type.get("state", 0)
        local = by_type.get("region", 0) + by_type.get("municipality", 0)
        if state and local:
            share = 100 * state / (state + local)
            passed = abs(share - 50) <= FUNDING_RULE_TOLERANCE_PCT
            results.append(
                CheckResult(
                    doc,
                    "finsam_funding_rule",
                    WARNING,
                    passed,
                    f"{share:.1f} %",
                    "50 % ± 1",
                    f"{year}: the state paid {share:.1f} % of member money ({group_thousands(state)} against "
                    f"{group_thousands(local)} from region and municipalities)",
                    fiscal_year=year,
                )
            )
    return results


def _key_figure_results(report: ParsedReport, values: dict) -> list[CheckResult | None]:
    doc, results = report.document_id, []
    figures = report.tables.get("key_figures")
    if figures is None or figures.is_empty():
        return results
    money = figures.filter(pl.col("metric").is_in(["revenue", "costs", "net_result"]))["value"].to_list()
    tolerance = ROUNDED_SEK if money and all(v % 1000 == 0 for v in money) else 0
    for row in figures.iter_rows(named=True):
        year, metric, value = row["fiscal_year"], row["metric"], row["value"]
        statement: float | None = None
        if metric == "revenue":
            statement = _first(values, ("income", "revenue_total", year))
            if statement is None:
                statement = _sum_present(
                    values, [("income", c, year) for c in ("member_contributions", "other_revenue")]
                )
        elif metric == "costs":
            statement = _sum_present(values, [("income", c, year) for c in ("operating_costs", "depreciation")])
        elif metric == "net_result":
            statement = values.get(("income", "net_result", year))
        elif metric == "equity_ratio_pct":
            equity = _first(values, ("balance", "equity_total", year))
            if equity is None:
                equity = _equity_lines(values, year)
            assets = values.get(("balance", "total_assets", year))
            statement = 100 * equity / assets if equity is not None and assets else None
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
        results.append(
            CheckResult(
                doc,
                "key_figures_match_statements",
                WARNING,
                abs(value - statement) <= allowed,
                observed,
                expected,
                message,
                fiscal_year=year,
                source_line=row["source_line"],
            )
        )
    return results


def _participant_results(report: ParsedReport) -> list[CheckResult | None]:
    doc, results = report.document_id, []
    checks = (
        ("interventions", "name", "participants_total", "participants_women", "participants_men"),
        ("intervention_outcomes", "intervention", "persons", "women", "men"),
    )
    for table, name, total, women, men in checks:
        frame = report.tables.get(table)
        if frame is None:
            continue
        for row in frame.filter(pl.all_horizontal(pl.col(total, women, men).is_not_null())).iter_rows(named=True):
            label = row[name] if table == "interventions" else f"{row[name]} ({row['outcome']})"
            results.append(
                _compare(
                    doc,
                    "women_and_men_add_up",
                    row["fiscal_year"],
                    row[women] + row[men],
                    row[total],
                    f"{label}: women + men against total",
                    row["source_line"],
                )
            )
    return results


def _budget_results(report: ParsedReport) -> list[CheckResult | None]:
    doc, results = report.document_id, []
    lines = report.tables.get("budget_lines")
    if lines is None or lines.is_empty():
        return results
    for (measure, year), group in lines.group_by(["measure", "fiscal_year"], maintain_order=True):
        items: list[int] = []
        subtotals: list[int] = []
        previous_line = None
        for row in group.sort("source_line").iter_rows(named=True):
            if previous_line is not None and row["source_line"] - previous_line > 3:
                items, subtotals = [], []  # another table
            previous_line = row["source_line"]
            if not row["is_total"]:
                items.append(row["amount_sek"])
                continue
            total = row["amount_sek"]
            same_sign = [s for s in subtotals if (s >= 0) == (total >= 0)]
            candidates = [sum(items), sum(items) + sum(subtotals), sum(items) + sum(same_sign)]
            if not items and not subtotals:
                subtotals = [total]
                continue
            best = min(candidates, key=lambda c: abs(c - total))
            summed = [*items, *subtotals, total]
            rounding = ROUNDED_SEK * (len(items) + len(subtotals)) if all(v % 1000 == 0 for v in summed) else 0
            result = _compare(
                doc,
                "budget_lines_sum_to_totals",
                year,
                best,
                total,
                f"{measure} lines above '{row['label']}' against it",
                row["source_line"],
            )
            if result is not None and not result.passed and abs(best - total) <= rounding:
                result = replace(result, passed=True, message=result.message + " (within tkr rounding)")
            results.append(result)
            subtotals = [total] if best != sum(items) else [*subtotals, total]
            items = []
    if report.document["document_type"] == "verksamhetsplan":
        totals = lines.filter(pl.col("is_total") & (pl.col("measure") == "budget"))
        for (year,), group in totals.group_by(["fiscal_year"], maintain_order=True):
            income, costs = group["amount_sek"].max(), group["amount_sek"].min()
            if income is not None and costs is not None and income > 0 > costs:
                results.append(
                    _compare(
                        doc, "plan_income_equals_costs", year, income, -costs, "the plan's income against its costs"
                    )
                )
    return results


def parse_issue_results(report: ParsedReport) -> list[CheckResult]:
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


def validate(reports: Sequence[ParsedReport]) -> pl.DataFrame:
    """Every check for a batch of reports; structural ones in a single GX validation."""
    loadable = [r for r in reports if r.document["status"] == "loaded"]
    facts = pl.concat([r.facts for r in loadable]) if loadable else pl.DataFrame(schema=FACT_SCHEMA)
    results = structural_results(facts, [r.document_id for r in loadable])
    for report in loadable:
        results.extend(plausibility_results(report))
        results.extend(arithmetic_results(report))
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
