"""A check that evaluated nothing is not a pass; a revenue off by a unit holds the document back."""

import re
import shutil
from dataclasses import replace

import polars as pl
import pytest
from conftest import ROOT, seed_path
from dagster import AssetCheckSeverity, DagsterInstance, materialize, mem_io_manager

from finsam_pipeline.defs import ALL_ASSETS, FinsamSettings, reports_partitions
from finsam_pipeline.load.steps import ParsedBatch, validate_step
from finsam_pipeline.quality import (
    ALL_CHECKS,
    ARITHMETIC,
    ARITHMETIC_CHECKS,
    ERROR_CHECKS,
    FAMILIES,
    PARSE_CHECKS,
    PLAUSIBILITY_CHECKS,
    PLAUSIBLE_REVENUE_SEK,
    REGISTRY,
    SKIPPED,
    STRUCTURAL_CHECKS,
    WAREHOUSE_CHECKS,
    checks,
    declare,
    failed_structural,
    validate,
)
from finsam_pipeline.quality.cross_document import CROSS_DOCUMENT_SQL
from finsam_pipeline.read.files import SourceFile


@pytest.fixture(scope="module")
def quality(seed_reports) -> pl.DataFrame:
    return validate(list(seed_reports.values()))


def _rows(quality: pl.DataFrame, report, check: str | None = None) -> pl.DataFrame:
    rows = quality.filter(pl.col("document_id") == report.document_id)
    return rows if check is None else rows.filter(pl.col("check_name") == check)


def test_a_plan_without_facts_has_its_fact_checks_skipped_not_passed(quality, seed_reports):
    plan = seed_reports["002"]
    assert plan.facts.is_empty()
    for check in [*STRUCTURAL_CHECKS, *PLAUSIBILITY_CHECKS, "balance_sheet_balances", "cash_flow_reconciles"]:
        rows = _rows(quality, plan, check)
        assert rows.height == 1, check
        row = rows.row(0, named=True)
        assert row["passed"] is None, check
        assert row["message"] == f"{SKIPPED}: the document has no financial_facts rows"
    assert plan.document_id not in failed_structural(quality)  # skipped holds nothing back


def test_every_check_leaves_a_row_for_every_document_evaluated_or_skipped(quality, seed_reports):
    expected = {*STRUCTURAL_CHECKS, *PLAUSIBILITY_CHECKS, *ARITHMETIC_CHECKS}
    for report in seed_reports.values():
        rows = _rows(quality, report)
        assert expected <= set(rows["check_name"].to_list())
        for check, group in rows.filter(pl.col("check_name").is_in(list(expected))).group_by("check_name"):
            if group["passed"].null_count():  # a skipped check has exactly one row, and it says why
                assert group.height == 1 and group["message"][0].startswith(SKIPPED), check


def test_an_arithmetic_check_with_nothing_to_compare_is_skipped(quality, seed_reports):
    annual = seed_reports["003"]
    plan_rule = _rows(quality, annual, "plan_income_equals_costs").row(0, named=True)
    assert plan_rule["passed"] is None and plan_rule["severity"] == "warning"
    assert plan_rule["message"] == f"{SKIPPED}: only a plan (verksamhetsplan) is checked for this"
    # the plan's own budget arithmetic is evaluated, not skipped
    assert set(_rows(quality, seed_reports["002"], "plan_income_equals_costs")["passed"]) == {True}  # per plan year


def test_the_seeds_revenue_is_plausible_for_every_year(quality, seed_reports):
    rows = quality.filter(pl.col("check_name") == "revenue_plausible_scale")
    evaluated = rows.filter(pl.col("passed").is_not_null())
    assert evaluated["passed"].all() and set(evaluated["severity"]) == {"error"}
    years = {(r["document_id"], r["fiscal_year"]) for r in evaluated.iter_rows(named=True)}
    assert (seed_reports["000"].document_id, 2023) in years
    assert (seed_reports["001"].document_id, 2024) in years  # 001 prints no total: its revenue lines are summed
    message = evaluated.filter(
        (pl.col("document_id") == seed_reports["001"].document_id) & (pl.col("fiscal_year") == 2024)
    )["message"][0]
    assert message == "revenue 8 265 128 kr for 2024 is within the plausible 100 000–1 000 000 000 kr"


def _scaled(report, factor: float, codes=None):
    """The report with its income-statement revenue lines multiplied, as a misread unit would."""
    codes = codes or ["revenue_total", "member_contributions", "other_revenue"]
    revenue = (pl.col("statement") == "income") & pl.col("line_code").is_in(codes)
    facts = report.facts.with_columns(
        amount_sek=pl.when(revenue).then((pl.col("amount_sek") * factor).round().cast(pl.Int64)).otherwise("amount_sek")
    )
    return replace(report, tables={**report.tables, "financial_facts": facts})


@pytest.mark.parametrize(
    ("factor", "message"),
    [
        (0.001, "revenue 2 684 kr for 2023 is outside the plausible 100 000–1 000 000 000 kr: unit misread?"),
        (
            1000,
            "revenue 2 684 136 000 kr for 2023 is outside the plausible 100 000–1 000 000 000 kr: unit misread?",
        ),
    ],
)
def test_a_revenue_off_by_a_unit_quarantines_the_document(seed_reports, factor, message):
    report = _scaled(seed_reports["000"], factor)
    quality = validate([report])
    failed = quality.filter((pl.col("check_name") == "revenue_plausible_scale") & pl.col("passed").not_())
    assert failed["severity"].unique().to_list() == ["error"]
    assert message in failed["message"].to_list()
    assert set(failed["fiscal_year"]) == {2022, 2023}  # the prior-year column is misread the same way
    (load,) = validate_step(ParsedBatch(reports=[report], rejected=[], unchanged=[])).loads
    assert load.document["status"] == "quarantined"
    assert message in load.document["status_reason"]


def test_the_sum_of_revenue_lines_is_checked_when_no_total_is_printed(seed_reports):
    report = _scaled(seed_reports["001"], 0.001)
    failed = validate([report]).filter((pl.col("check_name") == "revenue_plausible_scale") & pl.col("passed").not_())
    assert "revenue 8 265 kr for 2024 is outside the plausible 100 000–1 000 000 000 kr: unit misread?" in (
        failed["message"].to_list()
    )


@pytest.mark.parametrize(
    ("revenue", "passed"),
    [
        (PLAUSIBLE_REVENUE_SEK[0] - 1, False),
        (PLAUSIBLE_REVENUE_SEK[0], True),
        (PLAUSIBLE_REVENUE_SEK[1], True),
        (PLAUSIBLE_REVENUE_SEK[1] + 1, False),
        (0, False),
    ],
)
def test_the_bounds_are_inclusive(seed_reports, revenue, passed):
    report = seed_reports["003"]
    total = (pl.col("line_code") == "revenue_total") & (pl.col("fiscal_year") == 2023)
    facts = report.facts.with_columns(amount_sek=pl.when(total).then(pl.lit(revenue, pl.Int64)).otherwise("amount_sek"))
    quality = validate([replace(report, tables={**report.tables, "financial_facts": facts})])
    row = quality.filter((pl.col("check_name") == "revenue_plausible_scale") & (pl.col("fiscal_year") == 2023))
    assert row["passed"].to_list() == [passed]


def test_a_report_without_revenue_lines_has_the_scale_check_skipped(seed_reports):
    report = seed_reports["003"]
    facts = report.facts.filter(~pl.col("line_code").is_in(["revenue_total", "member_contributions", "other_revenue"]))
    quality = validate([replace(report, tables={**report.tables, "financial_facts": facts})])
    row = quality.filter(pl.col("check_name") == "revenue_plausible_scale").row(0, named=True)
    assert row["passed"] is None and row["message"].startswith(SKIPPED)


def test_dagster_never_shows_a_check_that_evaluated_nothing_as_passed(tmp_path):
    """A run of one plan: its fact checks and the cross-document check had nothing to evaluate."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(seed_path("002"), raw)
    key = SourceFile(path=raw / seed_path("002").name, content=seed_path("002").read_bytes()).partition_key
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(reports_partitions.name, [key])
    settings = FinsamSettings(raw_paths=[str(raw)], warehouse_path=str(tmp_path / "w.duckdb"), workers=0)
    result = materialize(
        ALL_ASSETS, partition_key=key, instance=instance, resources={"settings": settings, "io_manager": mem_io_manager}
    )
    assert result.success
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    for name in [*STRUCTURAL_CHECKS, *PLAUSIBILITY_CHECKS, "balance_sheet_balances", "prior_year_matches_own_report"]:
        check = checks[name]
        assert not check.passed and check.severity == AssetCheckSeverity.WARN, name
        assert check.description.startswith(SKIPPED), name
        assert check.metadata["evaluated"].value == 0
    assert checks["facts_not_null"].description == f"{SKIPPED}: the document has no financial_facts rows"
    assert checks["budget_lines_sum_to_totals"].passed  # the plan's own arithmetic was evaluated
    for check in checks.values():
        assert check.metadata["evaluated"].value > 0 or not check.passed, check.check_name


def test_every_check_is_registered_once_with_its_name_severity_and_description():
    assert sorted(REGISTRY) == sorted(c.name for c in checks(*FAMILIES))  # every check in a known family
    assert set(ALL_CHECKS) | set(WAREHOUSE_CHECKS) == set(REGISTRY)
    assert not set(ALL_CHECKS) & set(WAREHOUSE_CHECKS)
    for name, registered in REGISTRY.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name) and registered.description, name
        assert registered.severity == ("error" if name in ERROR_CHECKS else "warning"), name
    assert set(ERROR_CHECKS) == {*STRUCTURAL_CHECKS, *PLAUSIBILITY_CHECKS}
    with pytest.raises(ValueError, match="registered twice"):
        declare("balance_sheet_balances", severity="warning", description="again", family=ARITHMETIC)
    assert REGISTRY["balance_sheet_balances"].description == ARITHMETIC_CHECKS["balance_sheet_balances"]


def test_a_report_with_nothing_in_it_has_every_check_skipped_never_passed(seed_reports):
    report = seed_reports["003"]
    empty = replace(report, tables={t: f.clear() for t, f in report.tables.items()}, issues=[])
    quality = validate([empty])
    assert quality["check_name"].to_list() == [*STRUCTURAL_CHECKS, *PLAUSIBILITY_CHECKS, *ARITHMETIC_CHECKS]
    assert quality["passed"].null_count() == quality.height
    assert all(m.startswith(f"{SKIPPED}: ") for m in quality["message"])
    assert failed_structural(quality) == {}


def test_every_flag_the_parser_raises_is_a_registered_parse_check():
    parse_dir = ROOT / "finsam_pipeline" / "parse"
    raised = {
        name
        for path in parse_dir.glob("*.py")
        for name in re.findall(r'ParseIssue\(\s*"(\w+)"', path.read_text(encoding="utf-8"))
    }
    assert raised and raised <= set(PARSE_CHECKS)


def test_the_cross_document_checks_are_the_warehouse_sql_s_with_the_registered_severity():
    sql = CROSS_DOCUMENT_SQL.read_text(encoding="utf-8")
    blocks = dict(
        re.findall(r"DELETE FROM quality_results WHERE check_name = '(\w+)';(.*?)(?=DELETE FROM|\Z)", sql, re.S)
    )
    assert set(blocks) == set(WAREHOUSE_CHECKS)
    for name, block in blocks.items():
        assert f"'{name}'" in block and f"'{REGISTRY[name].severity}'" in block, name


def test_other_revenue_alone_is_no_years_revenue_for_the_scale_check(seed_reports):
    """A scan's members' contributions and revenue total were left out, unreadable; its other grants (85 956 kr)
    had been judged the year's revenue, implausibly small, and the whole report held back."""
    report = seed_reports["003"]
    unread = (pl.col("line_code") == "revenue_total") & (pl.col("fiscal_year") == 2022)
    facts = report.facts.with_columns(  # the year's revenue total unread, its other grants read
        line_code=pl.when(unread).then(pl.lit("other_revenue")).otherwise("line_code"),
        amount_sek=pl.when(unread).then(pl.lit(85_956, pl.Int64)).otherwise("amount_sek"),
    )
    quality = validate([replace(report, tables={**report.tables, "financial_facts": facts})])
    rows = quality.filter(pl.col("check_name") == "revenue_plausible_scale")
    assert 2022 not in rows["fiscal_year"].to_list() and rows["passed"].to_list() == [True]
    assert not failed_structural(quality)
