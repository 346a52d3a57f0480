"""What runs the load without anyone typing a command: a sensor on the raw folder and a nightly schedule."""

import hashlib
import json
import time
from pathlib import Path

from dagster import (
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    define_asset_job,
    schedule,
    sensor,
)

from finsam_pipeline.defs.assets import ALL_ASSETS, reports_partitions
from finsam_pipeline.defs.resources import FinsamSettings
from finsam_pipeline.ingest import SourceFile, discover

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"

ingest_job = define_asset_job(
    "ingest_job",
    selection=ALL_ASSETS,
    partitions_def=reports_partitions,
    description="Read, parse, validate and load report files, one partition per file.",
)


def run_request_for(keys: list[str], reason: str) -> RunRequest:
    """One run for one report or for many (a contiguous range of the dynamic partitions)."""
    run_key = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:24]
    tags = {"finsam/reason": reason, "finsam/reports": str(len(keys))}
    if len(keys) == 1:
        return RunRequest(run_key=run_key, partition_key=keys[0], tags=tags)
    return RunRequest(run_key=run_key, tags={**tags, RANGE_START: keys[0], RANGE_END: keys[-1]})


@sensor(job=ingest_job, minimum_interval_seconds=30, default_status=DefaultSensorStatus.RUNNING)
def new_reports_sensor(context: SensorEvaluationContext, settings: FinsamSettings):
    """New or changed files in the raw folder become partitions and one run; half-copied files wait.

    The cursor remembers each file's size, modification time and partition key, so a restart
    never loads a file twice (run keys are tied to the content hash too). The sensor reads
    only the raw folder, never the warehouse.
    """
    state = json.loads(context.cursor) if context.cursor else {"seen": {}, "growing": {}}
    seen, growing = state["seen"], state["growing"]
    existing = set(context.instance.get_dynamic_partitions(reports_partitions.name))
    new_keys: list[str] = []
    now = time.time()
    for path in discover([p for p in settings.raw_paths if Path(p).exists()]):
        stat = path.stat()
        fingerprint = [stat.st_size, stat.st_mtime_ns]
        name = str(path)
        if seen.get(name, [None, None])[:2] == fingerprint:
            continue
        settled = now - stat.st_mtime >= settings.settle_seconds or growing.get(name) == stat.st_size
        if not settled:
            growing[name] = stat.st_size  # still being written, perhaps: look again next tick
            continue
        growing.pop(name, None)
        key = SourceFile(path=path, content=path.read_bytes()).partition_key
        seen[name] = [*fingerprint, key]
        if key not in existing and key not in new_keys:
            new_keys.append(key)
    cursor = json.dumps({"seen": seen, "growing": growing}, sort_keys=True)
    if not new_keys:
        return SensorResult(skip_reason=SkipReason("no new or changed report files"), cursor=cursor)
    return SensorResult(
        run_requests=[run_request_for(new_keys, "new or changed files")],
        dynamic_partitions_requests=[reports_partitions.build_add_request(new_keys)],
        cursor=cursor,
    )


@schedule(
    job=ingest_job,
    cron_schedule="30 2 * * *",
    execution_timezone="Europe/Stockholm",
    default_status=DefaultScheduleStatus.RUNNING,
)
def nightly_reconcile(context: ScheduleEvaluationContext):
    """Every night, one run over all known reports: anything a missed tick left out is loaded;
    unchanged files are skipped by their hash before any parsing."""
    keys = context.instance.get_dynamic_partitions(reports_partitions.name)
    if not keys:
        return SkipReason("no report partitions yet: the sensor adds them as files arrive")
    return run_request_for(list(keys), "nightly reconcile")
