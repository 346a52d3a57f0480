"""Resources configured once for every asset, sensor and schedule."""

import hashlib
import os
import pickle
from pathlib import Path

from dagster import ConfigurableIOManager, ConfigurableResource, InputContext, OutputContext

from finsam_pipeline.ingest import DEFAULT_MAX_BYTES
from finsam_pipeline.warehouse import DEFAULT_WAREHOUSE
from finsam_pipeline.workers import DEFAULT_TIMEOUT_S, default_workers


class FinsamSettings(ConfigurableResource):
    """Where reports come from and where the warehouse is published."""

    raw_paths: list[str] = ["data/raw"]  # noqa: RUF012 (pydantic copies defaults)
    warehouse_path: str = str(DEFAULT_WAREHOUSE)
    max_file_bytes: int = DEFAULT_MAX_BYTES
    show_progress: bool = False  # a progress bar on stderr, for the CLI on a terminal
    workers: int = default_workers()  # parsing processes; 0 parses in the run's own process (no time limit)
    file_timeout_s: float = DEFAULT_TIMEOUT_S
    settle_seconds: float = 10.0  # a file younger than this, and still growing, may be half-copied

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_path)


class BatchPickleIOManager(ConfigurableIOManager):
    """Hands a run's batch objects between steps, keyed by asset and the run's set of partitions.

    One run may cover one report or a whole backfill; the batch for a set of partitions is
    stored once and read back by the next step of the same set.
    """

    base_dir: str = os.path.join(os.environ.get("DAGSTER_HOME", ".dagster_home"), "storage", "finsam")

    def _path(self, context: InputContext | OutputContext) -> Path:
        keys = sorted(context.asset_partition_keys) if context.has_asset_partitions else []
        digest = hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16] if keys else "all"
        return Path(self.base_dir, *context.asset_key.path, f"{digest}.pickle")

    def handle_output(self, context: OutputContext, obj) -> None:
        path = self._path(context)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        with temporary.open("wb") as handle:
            pickle.dump(obj, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)

    def load_input(self, context: InputContext):
        with self._path(context).open("rb") as handle:
            return pickle.load(handle)
