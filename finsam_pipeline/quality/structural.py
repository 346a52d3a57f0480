"""Structural checks of financial_facts with Great Expectations (errors: the document is quarantined).

Each check is a function returning the expectations it stands for; all of them form one
suite, and all documents of a batch are validated in one GX batch, failures attributed to
documents by row.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

import polars as pl

from finsam_pipeline.parse.schemas import FACT_SCHEMA
from finsam_pipeline.parse.statements import STATEMENTS
from finsam_pipeline.parse.vocabulary import known_line_codes
from finsam_pipeline.quality.registry import ERROR, NO_FACTS, STRUCTURAL, CheckResult, check, checks, skipped

NOT_NULL_COLUMNS = ("document_id", "forbund_id", "fiscal_year", "statement", "line_code", "amount_sek")
PLAUSIBLE_YEARS = (1990, 2100)


@check(
    "facts_required_columns",
    severity=ERROR,
    description="every contract column of financial_facts is present",
    family=STRUCTURAL,
)
def facts_required_columns(expect) -> list:
    return [expect.ExpectColumnToExist(column=c) for c in FACT_SCHEMA]


@check(
    "facts_not_null",
    severity=ERROR,
    description="document, förbund, year, statement, code and amount are never empty",
    family=STRUCTURAL,
)
def facts_not_null(expect) -> list:
    return [expect.ExpectColumnValuesToNotBeNull(column=c) for c in NOT_NULL_COLUMNS]


@check(
    "facts_amount_is_integer",
    severity=ERROR,
    description="amounts are whole kronor (64-bit integers)",
    family=STRUCTURAL,
)
def facts_amount_is_integer(expect) -> list:
    return [expect.ExpectColumnValuesToBeInTypeList(column="amount_sek", type_list=["int64", "Int64"])]


@check(
    "facts_known_statement",
    severity=ERROR,
    description="statement is income, balance or cash_flow",
    family=STRUCTURAL,
)
def facts_known_statement(expect) -> list:
    return [expect.ExpectColumnValuesToBeInSet(column="statement", value_set=list(STATEMENTS))]


@check(
    "facts_known_line_code",
    severity=ERROR,
    description="line_code is in assets/reference/line_codes.csv or 'other'",
    family=STRUCTURAL,
)
def facts_known_line_code(expect) -> list:
    return [expect.ExpectColumnValuesToBeInSet(column="line_code", value_set=sorted(known_line_codes()))]


@check(
    "facts_plausible_year",
    severity=ERROR,
    description="fiscal_year lies between 1990 and 2100",
    family=STRUCTURAL,
)
def facts_plausible_year(expect) -> list:
    low, high = PLAUSIBLE_YEARS
    return [expect.ExpectColumnValuesToBeBetween(column="fiscal_year", min_value=low, max_value=high)]


@check(
    "facts_one_value_per_code",
    severity=ERROR,
    description="one value per document, statement, line code and year",
    family=STRUCTURAL,
)
def facts_one_value_per_code(expect) -> list:
    # fact_key: the line code, or for lines without one (`other`) their label
    return [expect.ExpectCompoundColumnsToBeUnique(column_list=["document_id", "statement", "fact_key", "fiscal_year"])]


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
    suite = gx.ExpectationSuite(name="financial_facts_structure")
    for registered in checks(STRUCTURAL):
        for expectation in registered.run(gx.expectations):
            expectation.meta = {"check_name": registered.name}
            suite.add_expectation(expectation)
    return batch_definition, context.suites.add(suite)


def structural_results(facts: pl.DataFrame, document_ids: Sequence[str]) -> list[CheckResult]:
    """Validate all documents' facts in one GX batch; attribute failures per document."""
    if not document_ids:
        return []
    structural = list(checks(STRUCTURAL))
    if "document_id" in facts.columns:
        with_facts = set(facts["document_id"].to_list())
    else:  # rows that cannot be attributed: every document is checked (and fails facts_required_columns)
        with_facts = set(document_ids) if facts.height else set()
    results = [
        skipped(document_id, c.name, c.severity, NO_FACTS)
        for document_id in document_ids
        if document_id not in with_facts
        for c in structural
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
        for c in structural:
            failed = failures.get((c.name, document_id), []) + table_failures.get(c.name, [])
            results.append(
                CheckResult(
                    document_id,
                    c.name,
                    c.severity,
                    not failed,
                    observed=f"{len(failed)} failing value(s): {sorted(set(failed))[:3]}" if failed else "ok",
                    expected=c.description,
                    message=c.description if not failed else f"structure violated: {c.description}",
                )
            )
    return results
