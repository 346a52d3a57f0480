import subprocess
import sys
from pathlib import Path

import duckdb
from dagster import AssetKey

from finsam_pipeline.defs import defs
from finsam_pipeline.defs.checks import RUN_CHECK
from finsam_pipeline.quality import ALL_CHECKS, WAREHOUSE_CHECKS
from finsam_pipeline.warehouse import create_schema

ROOT = Path(__file__).resolve().parents[2]
TABLES = {
    "documents",
    "financial_facts",
    "note_lines",
    "member_contributions",
    "key_figures",
    "budget_lines",
    "interventions",
    "intervention_outcomes",
    "indicator_results",
    "goals",
    "board_members",
    "quality_results",
}
REFERENCE = {"kommuner", "lan", "forbund", "forbund_members"}
VIEWS = {"forbund_year", "national_year", "coverage"}


def test_the_asset_graph_is_the_reports_and_the_warehouses_tables_and_views():
    graph = defs.resolve_asset_graph()
    assert {k.to_user_string() for k in graph.get_all_asset_keys()} == {"reports", *TABLES, *REFERENCE, *VIEWS}
    assert graph.get(AssetKey("reports")).partitions_def is not None  # one partition per report file
    assert graph.get(AssetKey("financial_facts")).parent_keys == {AssetKey("reports")}
    assert AssetKey("financial_facts") in graph.get(AssetKey("forbund_year")).parent_keys
    assert AssetKey("forbund_year") in graph.get(AssetKey("national_year")).parent_keys
    assert not graph.get(AssetKey("kommuner")).parent_keys
    assert defs.resolve_job_def("ingest_job") is not None


def test_every_check_is_on_the_reports_per_report_checks_per_partition():
    graph = defs.resolve_asset_graph()
    checks = {key.name: graph.get(key) for key in graph.asset_check_keys if key.asset_key == AssetKey("reports")}
    assert set(checks) == set(ALL_CHECKS) | set(WAREHOUSE_CHECKS) | {RUN_CHECK}
    for name in ALL_CHECKS:  # about one report: one result per partition
        assert checks[name].partitions_def is not None, name
    for name in [*WAREHOUSE_CHECKS, RUN_CHECK]:  # across documents, and all of a large run: one result per run
        assert checks[name].partitions_def is None, name


def test_tables_carry_their_comments_and_column_schema_from_the_ddl():
    con = duckdb.connect(":memory:")
    create_schema(con)
    tables = "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'main'"
    comments = dict(con.execute(tables).fetchall())
    columns = {
        (t, c): comment
        for t, c, comment in con.execute(
            "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'main'"
        ).fetchall()
    }
    con.close()
    specs = {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}
    for table in TABLES | REFERENCE:
        assert specs[table].description == comments[table], table
        schema = specs[table].metadata["dagster/column_schema"]
        assert [c.name for c in schema.columns] == [c for t, c in columns if t == table]
        for column in schema.columns:
            assert column.description == columns[(table, column.name)], (table, column.name)
    assert specs["documents"].metadata["dagster/column_schema"].columns[0].constraints.nullable is False
    assert "förbund" in specs["forbund_year"].description


def test_no_batch_travels_through_an_io_manager():
    assert "io_manager" not in defs.resources
    assert not (ROOT / "finsam_pipeline" / "defs" / "resources.py").read_text().count("IOManager")


def test_dagster_validates_the_workspace():
    dagster = Path(sys.executable).with_name("dagster")
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
