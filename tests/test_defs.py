import subprocess
import sys
from pathlib import Path

from dagster import AssetKey

from finsam_pipeline.defs import defs
from finsam_pipeline.quality import ALL_CHECKS, WAREHOUSE_CHECKS

ROOT = Path(__file__).resolve().parent.parent


def test_definitions_hold_the_four_steps_and_every_check():
    graph = defs.resolve_asset_graph()
    assert {k.to_user_string() for k in graph.get_all_asset_keys()} == {
        "report_files",
        "parsed_reports",
        "validated_reports",
        "warehouse",
    }
    checks = {key.name for key in graph.asset_check_keys if key.asset_key == AssetKey("validated_reports")}
    assert checks == set(ALL_CHECKS)
    assert {key.name for key in graph.asset_check_keys if key.asset_key == AssetKey("warehouse")} == set(
        WAREHOUSE_CHECKS
    )
    assert defs.resolve_job_def("ingest_job") is not None


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
