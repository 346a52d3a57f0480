"""Resources configured once for every asset, sensor and schedule, and the one Dagster instance.

A batch of reports never travels between steps through an IO manager: one op reads, parses,
validates and loads it (defs/assets.py), and the table assets read what it published.
"""

import os
import shutil
from pathlib import Path

from dagster import ConfigurableResource, DagsterInstance

from finsam_pipeline.load.steps import CHUNK_DOCUMENTS
from finsam_pipeline.load.workers import DEFAULT_TIMEOUT_S, default_workers
from finsam_pipeline.read.files import DEFAULT_MAX_BYTES
from finsam_pipeline.warehouse import DEFAULT_WAREHOUSE

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROJECT_DAGSTER_HOME = PROJECT_ROOT / ".dagster_home"
# Where the UI's, the sensor's and the schedule's settings point unless told otherwise (CLI flags set their own).
RAW_ENV, WAREHOUSE_ENV = "FINSAM_RAW", "FINSAM_WAREHOUSE"


def dagster_home() -> Path:
    """$DAGSTER_HOME, or the project's `.dagster_home` when it is unset: the one instance every run records in."""
    return Path(os.environ.get("DAGSTER_HOME") or PROJECT_DAGSTER_HOME)


def project_instance() -> DagsterInstance:
    """The instance `dagster dev` shows: runs, partitions, materializations and checks of every load."""
    home = dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():  # a new home gets the project's settings (writer pool, telemetry off)
        shutil.copyfile(PROJECT_DAGSTER_HOME / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return DagsterInstance.get()


def _default_raw_paths() -> list[str]:
    return [p for p in os.environ.get(RAW_ENV, "").split(os.pathsep) if p] or ["data/raw"]


class FinsamSettings(ConfigurableResource):
    """Where reports come from and where the warehouse is published ($FINSAM_RAW, $FINSAM_WAREHOUSE)."""

    raw_paths: list[str] = _default_raw_paths()
    warehouse_path: str = os.environ.get(WAREHOUSE_ENV) or str(DEFAULT_WAREHOUSE)
    max_file_bytes: int = DEFAULT_MAX_BYTES
    show_progress: bool = False  # a progress bar on stderr, for the CLI on a terminal
    workers: int = default_workers()  # parsing processes; 0 parses in the run's own process (no time limit)
    file_timeout_s: float = DEFAULT_TIMEOUT_S
    settle_seconds: float = 10.0  # a file younger than this, and still growing, may be half-copied
    chunk_documents: int = CHUNK_DOCUMENTS  # parsed reports validated and written per transaction
    # A run the CLI, the sensor or the schedule starts for at most this many reports records every check per
    # report (one result per partition); a larger run records the checks once for the run, naming the reports
    # that fail them (`report_checks_in_run`): every result is an event in the instance's event log, and at ~30
    # checks a report a national load would spend minutes writing them.
    checks_per_report_max: int = 25

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_path)
