"""The Dagster code location: assets and checks, the job, the sensor and schedule, resources configured once."""

from dagster import Definitions

from finsam_pipeline.defs.assets import ALL_ASSETS, reports_partitions
from finsam_pipeline.defs.automation import ingest_job, new_reports_sensor, nightly_reconcile
from finsam_pipeline.defs.resources import BatchPickleIOManager, FinsamSettings

defs = Definitions(
    assets=ALL_ASSETS,
    jobs=[ingest_job],
    sensors=[new_reports_sensor],
    schedules=[nightly_reconcile],
    resources={"settings": FinsamSettings(), "io_manager": BatchPickleIOManager()},
)

__all__ = ["ALL_ASSETS", "FinsamSettings", "defs", "ingest_job", "reports_partitions"]
