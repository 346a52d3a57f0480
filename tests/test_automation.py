"""Reports arriving in the raw folder load by themselves: partitions, the sensor, the schedule."""

import json
import os
import shutil
import time

import duckdb
from conftest import seed_path
from dagster import (
    DagsterInstance,
    SkipReason,
    build_schedule_context,
    build_sensor_context,
    instance_for_test,
    materialize,
    mem_io_manager,
)

from finsam_pipeline.defs import ALL_ASSETS, FinsamSettings, defs, reports_partitions
from finsam_pipeline.defs.automation import RANGE_END, RANGE_START, new_reports_sensor, nightly_reconcile
from finsam_pipeline.ingest import SourceFile


def _settled(path, seconds_ago: float = 3600) -> None:
    stamp = time.time() - seconds_ago
    os.utime(path, (stamp, stamp))


def _tick(instance, raw, cursor=None):
    context = build_sensor_context(
        instance=instance, cursor=cursor, resources={"settings": FinsamSettings(raw_paths=[str(raw)])}
    )
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
    first = _tick(instance, raw)
    assert len(first.run_requests) == 1  # two new files, one run
    request = first.run_requests[0]
    keys = instance.get_dynamic_partitions(reports_partitions.name)
    assert len(keys) == 2 and (request.tags[RANGE_START], request.tags[RANGE_END]) == (keys[0], keys[-1])
    assert request.run_key
    again = _tick(instance, raw, first.cursor)
    assert not again.run_requests  # unchanged files: nothing to do, also after a restart with the cursor


def test_sensor_requests_a_new_run_for_a_changed_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    report = raw / "report.txt"
    report.write_text(seed_path("003").read_text(encoding="utf-8"), encoding="utf-8")
    _settled(report)
    instance = DagsterInstance.ephemeral()
    first = _tick(instance, raw)
    report.write_text(seed_path("003").read_text(encoding="utf-8").replace("159 492", "159 493"), encoding="utf-8")
    _settled(report, 1800)
    second = _tick(instance, raw, first.cursor)
    assert len(second.run_requests) == 1
    assert second.run_requests[0].partition_key != first.run_requests[0].partition_key
    assert second.run_requests[0].run_key != first.run_requests[0].run_key


def test_sensor_waits_for_a_file_still_being_written(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    partial = raw / "arriving.txt"
    partial.write_bytes(seed_path("001").read_bytes()[:5000])  # modified just now
    instance = DagsterInstance.ephemeral()
    first = _tick(instance, raw)
    assert not first.run_requests
    with partial.open("ab") as handle:  # the copy goes on
        handle.write(seed_path("001").read_bytes()[5000:])
    second = _tick(instance, raw, first.cursor)
    assert not second.run_requests
    third = _tick(instance, raw, second.cursor)  # same size as last tick: settled
    assert len(third.run_requests) == 1
    assert json.loads(third.cursor)["growing"] == {}


def test_a_partition_materialises_into_the_warehouse(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(seed_path("004"), raw)
    key = SourceFile(path=raw / seed_path("004").name, content=seed_path("004").read_bytes()).partition_key
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(reports_partitions.name, [key])
    warehouse = tmp_path / "finsam.duckdb"
    settings = FinsamSettings(raw_paths=[str(raw)], warehouse_path=str(warehouse), workers=0)
    result = materialize(
        ALL_ASSETS, partition_key=key, instance=instance, resources={"settings": settings, "io_manager": mem_io_manager}
    )
    assert result.success
    checks = [e for e in result.get_asset_check_evaluations()]
    assert {c.check_name for c in checks} >= {"balance_sheet_balances", "facts_one_value_per_code"}
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT forbund_id, status FROM documents").fetchall() == [("falun_borlange", "loaded")]
    con.close()


def test_the_nightly_schedule_reconciles_every_known_report():
    with instance_for_test() as instance:
        assert isinstance(nightly_reconcile(build_schedule_context(instance=instance)), SkipReason)
        instance.add_dynamic_partitions(reports_partitions.name, ["a-00000001", "b-00000002", "c-00000003"])
        request = nightly_reconcile(build_schedule_context(instance=instance))
        assert (request.tags[RANGE_START], request.tags[RANGE_END]) == ("a-00000001", "c-00000003")


def test_definitions_list_the_sensor_the_schedule_and_the_writer_pool():
    assert defs.resolve_sensor_def("new_reports_sensor") is not None
    assert defs.resolve_schedule_def("nightly_reconcile") is not None
    graph = defs.resolve_asset_graph()
    warehouse = graph.get(next(k for k in graph.get_all_asset_keys() if k.to_user_string() == "warehouse"))
    assert warehouse.pools == {"finsam_warehouse"}
