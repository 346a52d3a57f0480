"""Reports arriving in the raw folder load by themselves: partitions, the sensor, the schedule, one decision."""

import json
import os
import shutil
import time

import duckdb
from conftest import query_warehouse, seed_path
from dagster import (
    AssetKey,
    DagsterInstance,
    RunRequest,
    SkipReason,
    build_schedule_context,
    build_sensor_context,
    materialize,
)

from finsam_pipeline.cli import main
from finsam_pipeline.defs import ALL_ASSETS, FinsamSettings, defs, project_instance, reports_partitions
from finsam_pipeline.defs.automation import (
    RANGE_END,
    RANGE_START,
    RUN_LEVEL_CHECKS,
    new_reports_sensor,
    nightly_reconcile,
)
from finsam_pipeline.defs.checks import RUN_CHECK
from finsam_pipeline.load.steps import decide, report_files
from finsam_pipeline.quality import ALL_CHECKS


def _settled(path, seconds_ago: float = 3600) -> None:
    stamp = time.time() - seconds_ago
    os.utime(path, (stamp, stamp))


def _settings(raw, warehouse, **more) -> FinsamSettings:
    return FinsamSettings(raw_paths=[str(raw)], warehouse_path=str(warehouse), **more)


def _tick(instance, raw, warehouse, cursor=None):
    resources = {"settings": _settings(raw, warehouse)}
    with build_sensor_context(instance=instance, cursor=cursor, resources=resources) as context:
        result = new_reports_sensor(context)
    for request in result.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    return result


def test_sensor_requests_one_run_for_new_files_and_none_when_nothing_changed(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for prefix in ("001", "003"):
        _settled(shutil.copy(seed_path(prefix), raw))
    instance = DagsterInstance.ephemeral()
    first = _tick(instance, raw, tmp_path / "w.duckdb")
    assert len(first.run_requests) == 1  # two new files, one run
    request = first.run_requests[0]
    keys = instance.get_dynamic_partitions(reports_partitions.name)
    assert len(keys) == 2 and (request.tags[RANGE_START], request.tags[RANGE_END]) == (keys[0], keys[-1])
    assert request.run_key
    again = _tick(instance, raw, tmp_path / "w.duckdb", first.cursor)
    assert not again.run_requests  # unchanged files: nothing to do, also after a restart with the cursor
    assert set(json.loads(again.cursor)["seen"]) == {str(p) for p in raw.iterdir()}  # hashes kept, not redone


def test_sensor_requests_a_new_run_for_a_changed_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    report = raw / "report.txt"
    report.write_text(seed_path("003").read_text(encoding="utf-8"), encoding="utf-8")
    _settled(report)
    instance = DagsterInstance.ephemeral()
    first = _tick(instance, raw, tmp_path / "w.duckdb")
    report.write_text(seed_path("003").read_text(encoding="utf-8").replace("159 492", "159 493"), encoding="utf-8")
    _settled(report, 1800)
    second = _tick(instance, raw, tmp_path / "w.duckdb", first.cursor)
    assert len(second.run_requests) == 1
    assert second.run_requests[0].partition_key != first.run_requests[0].partition_key
    assert second.run_requests[0].run_key != first.run_requests[0].run_key


def test_sensor_waits_for_a_file_still_being_written(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    partial = raw / "arriving.txt"
    partial.write_bytes(seed_path("001").read_bytes()[:5000])  # modified just now
    instance = DagsterInstance.ephemeral()
    first = _tick(instance, raw, tmp_path / "w.duckdb")
    assert not first.run_requests
    with partial.open("ab") as handle:  # the copy goes on
        handle.write(seed_path("001").read_bytes()[5000:])
    second = _tick(instance, raw, tmp_path / "w.duckdb", first.cursor)
    assert not second.run_requests
    third = _tick(instance, raw, tmp_path / "w.duckdb", second.cursor)  # same size as last tick: settled
    assert len(third.run_requests) == 1
    assert json.loads(third.cursor)["growing"] == {}


def test_a_partition_materializes_the_report_its_checks_and_the_tables(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(seed_path("004"), raw)
    (key,) = decide(report_files([raw]), tmp_path / "finsam.duckdb").keys
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(reports_partitions.name, [key])
    warehouse = tmp_path / "finsam.duckdb"
    result = materialize(
        ALL_ASSETS, partition_key=key, instance=instance, resources={"settings": _settings(raw, warehouse, workers=0)}
    )
    assert result.success
    per_report = [c for c in result.get_asset_check_evaluations() if c.partition is not None]
    assert {c.partition for c in per_report} == {key}
    assert {c.check_name for c in per_report} == set(ALL_CHECKS)
    assert any(c.check_name == "balance_sheet_balances" and c.target_materialization_data for c in per_report)
    report = instance.get_latest_materialization_event(AssetKey("reports")).asset_materialization
    assert report.partition == key and report.metadata["status"].value == "loaded"
    assert report.metadata["forbund_id"].value == "falun_borlange"
    facts = instance.get_latest_materialization_event(AssetKey("financial_facts")).asset_materialization
    assert facts.metadata["dagster/row_count"].value == report.metadata["rows"].value["financial_facts"] > 0
    assert "amount_sek" in {c.name for c in facts.metadata["dagster/column_schema"].value.columns}
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT forbund_id, status FROM documents").fetchall() == [("falun_borlange", "loaded")]
    con.close()


def test_the_nightly_schedule_requests_only_what_changed_or_failed(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    for prefix in ("000", "001"):
        shutil.copy(seed_path(prefix), raw)
    warehouse = tmp_path / "w.duckdb"
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    instance = project_instance()

    def tick():
        # Entered, so the instance the context opens from its ref is closed again: one left open stays
        # Dagster's current state storage and fails a later test once the instance is collected.
        with build_schedule_context(instance=instance, resources={"settings": _settings(raw, warehouse)}) as context:
            return nightly_reconcile(context)

    first = tick()  # nothing loaded yet: both files, added as partitions
    assert isinstance(first, RunRequest) and first.tags["finsam/reports"] == "2"
    keys = decide(report_files([raw]), warehouse).keys
    assert set(instance.get_dynamic_partitions(reports_partitions.name)) == set(keys)
    assert main(["ingest", str(raw), "--warehouse", str(warehouse), "--workers", "0"]) == 0
    assert isinstance(tick(), SkipReason)  # every file on record as it is: no run
    shutil.copy(seed_path("003"), raw)  # a file the sensor missed, or whose run failed
    request = tick()
    (new_key,) = decide(report_files([raw / seed_path("003").name]), warehouse).keys
    assert request.partition_key == new_key and request.tags["finsam/reports"] == "1"


def test_the_cli_sensor_and_schedule_ask_the_same_decision(tmp_path, monkeypatch):
    """One decision: a file is to load when the published warehouse does not hold its content under its name."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(seed_path("001"), raw)
    warehouse = tmp_path / "w.duckdb"
    assert decide(report_files([raw]), warehouse).load
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    assert main(["ingest", str(raw), "--warehouse", str(warehouse), "--workers", "0"]) == 0
    assert not decide(report_files([raw]), warehouse).load
    _settled(raw / seed_path("001").name)
    assert not _tick(project_instance(), raw, warehouse).run_requests  # loaded by the CLI: the sensor leaves it
    renamed = raw / "same_content_other_name.txt"
    _settled(shutil.copy(seed_path("001"), renamed))
    assert [f.name for f in decide(report_files([raw]), warehouse).load] == [renamed.name]


def test_definitions_list_the_sensor_the_schedule_and_the_writer_pool():
    assert defs.resolve_sensor_def("new_reports_sensor") is not None
    assert defs.resolve_schedule_def("nightly_reconcile") is not None
    graph = defs.resolve_asset_graph()
    assert graph.get(AssetKey("reports")).pools == {"finsam_warehouse"}


def test_a_large_run_records_each_check_once_naming_the_reports(tmp_path):
    """Above `checks_per_report_max` reports a run selects the run-level checks only: no result (nor a planned
    one) per check per report, one `report_checks_in_run` naming the reports that fail."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for prefix in ("001", "004"):
        _settled(shutil.copy(seed_path(prefix), raw))
    warehouse = tmp_path / "w.duckdb"
    settings = _settings(raw, warehouse, workers=0, checks_per_report_max=1)
    instance = DagsterInstance.ephemeral()
    context = build_sensor_context(instance=instance, resources={"settings": settings})
    result = new_reports_sensor(context)
    (request,) = result.run_requests
    assert set(request.asset_check_keys) == set(RUN_LEVEL_CHECKS)
    keys = list(result.dynamic_partitions_requests[0].partition_keys)
    instance.add_dynamic_partitions(reports_partitions.name, keys)
    job = defs.resolve_job_def("ingest_job").get_subset(
        asset_selection={AssetKey("reports")}, asset_check_selection=set(request.asset_check_keys)
    )
    run = job.execute_in_process(instance=instance, tags=request.tags, resources={"settings": settings})
    assert run.success
    evaluations = {e.check_name: e for e in run.get_asset_check_evaluations()}
    assert set(evaluations) == {key.name for key in RUN_LEVEL_CHECKS}
    summary = evaluations[RUN_CHECK]
    assert summary.partition is None and summary.metadata["reports"].value == 2
    assert not summary.passed and "004_" in summary.metadata["failures"].value  # 004's balance sheet
    failed, failing = query_warehouse(
        warehouse, "SELECT count(*), count(DISTINCT document_id) FROM quality_results WHERE passed IS FALSE"
    )[0]
    assert (summary.metadata["failed"].value, summary.metadata["reports_failing"].value) == (failed, failing)
    assert instance.get_materialized_partitions(AssetKey("reports")) == set(keys)
