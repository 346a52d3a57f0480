"""The Dagster code location: the report partitions and their checks (`load_reports`), the warehouse's
tables and views it records, the jobs (loading; fetching new reports), the sensor and schedules, resources
configured once."""

from dagster import Definitions

from finsam_pipeline.defs.assets import load_reports, reports_partitions
from finsam_pipeline.defs.automation import ingest_job, new_reports_sensor, nightly_reconcile
from finsam_pipeline.defs.fetching import fetch_reports, weekly_fetch
from finsam_pipeline.defs.resources import FinsamSettings, dagster_home, project_instance
from finsam_pipeline.defs.tables import TABLE_SPECS

ALL_ASSETS = [load_reports, *TABLE_SPECS]

defs = Definitions(
    assets=ALL_ASSETS,
    jobs=[ingest_job, fetch_reports],
    sensors=[new_reports_sensor],
    schedules=[nightly_reconcile, weekly_fetch],
    resources={"settings": FinsamSettings()},
)

__all__ = [
    "ALL_ASSETS",
    "FinsamSettings",
    "dagster_home",
    "defs",
    "fetch_reports",
    "ingest_job",
    "project_instance",
    "reports_partitions",
]
