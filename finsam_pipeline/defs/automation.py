"""What runs the load without anyone typing a command: a sensor on the raw folder and a nightly schedule.

Both ask `pipeline.decide` which files need loading, as the CLI does: the files whose content
the published warehouse does not hold under their name.
"""

import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path

from dagster import (
    AssetCheckKey,
    AssetSelection,
    DagsterInstance,
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

from finsam_pipeline.defs.assets import REASON_TAG, load_reports, reports_partitions
from finsam_pipeline.defs.checks import REPORTS, RUN_CHECK
from finsam_pipeline.defs.resources import FinsamSettings
from finsam_pipeline.load.steps import ReportFile, decide, report_files, sha256_of
from finsam_pipeline.quality import WAREHOUSE_CHECKS
from finsam_pipeline.read.files import discover

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"

ingest_job = define_asset_job(
    "ingest_job",
    selection=AssetSelection.assets(load_reports),
    description="Read, parse, validate and load report files (one partition per file) and record the "
    "published warehouse's tables and views.",
)


def partition_span(keys: Sequence[str], instance: DagsterInstance | None = None) -> list[str]:
    """`keys` in the order of the dynamic partitions (keys not added yet last, in the given order): a run over
    the range from the first to the last covers them all. Partitions in between are not recorded again
    unless their file is new to the instance (see `load_reports`)."""
    known = instance.get_dynamic_partitions(reports_partitions.name) if instance is not None else []
    position = {key: index for index, key in enumerate(known)}
    unique = list(dict.fromkeys(keys))
    return sorted(unique, key=lambda key: (key not in position, position.get(key, 0)))


def run_tags(keys: Sequence[str], reason: str) -> dict[str, str]:
    """The tags of one run over one report or over a range of them (`keys` in partition order)."""
    tags = {REASON_TAG: reason, "finsam/reports": str(len(keys))}
    if len(keys) > 1:
        tags.update({RANGE_START: keys[0], RANGE_END: keys[-1]})
    return tags


# The checks of a run too large to record each check per report: one result for the run, the reports named.
RUN_LEVEL_CHECKS = [AssetCheckKey(REPORTS, name) for name in (RUN_CHECK, *WAREHOUSE_CHECKS)]


def checks_for(reports: int, settings: FinsamSettings) -> list[AssetCheckKey] | None:
    """The checks a run over `reports` reports records: all of them (None), each per report, up to
    `checks_per_report_max` reports; above, the run-level ones only."""
    return None if reports <= settings.checks_per_report_max else RUN_LEVEL_CHECKS


def run_request_for(keys: Sequence[str], reason: str, settings: FinsamSettings, salt: str = "") -> RunRequest:
    """One run for one report or for a range of them; the run key is tied to the files' contents."""
    run_key = hashlib.sha256((salt + "\n".join(sorted(keys))).encode()).hexdigest()[:24]
    checks = checks_for(len(keys), settings)
    return RunRequest(
        run_key=run_key,
        partition_key=keys[0] if len(keys) == 1 else None,
        tags=run_tags(keys, reason),
        asset_selection=None if checks is None else [REPORTS],
        asset_check_keys=checks,
    )


def _existing(paths: Sequence[str]) -> list[str]:
    return [p for p in paths if Path(p).exists()]


@sensor(job=ingest_job, minimum_interval_seconds=30, default_status=DefaultSensorStatus.RUNNING)
def new_reports_sensor(context: SensorEvaluationContext, settings: FinsamSettings):
    """New or changed files in the raw folder become partitions and one run; half-copied files wait.

    Which files need loading is `decide`'s answer (content not on record in the published warehouse);
    the sensor requests those not yet a partition, so a file is requested once: a run that failed is
    taken up again by the nightly schedule. The cursor remembers each file's size, modification time
    and content hash, so unchanged files are not hashed again.
    """
    state = json.loads(context.cursor) if context.cursor else {}
    seen: dict[str, list] = state.get("seen", {})
    growing: dict[str, int] = state.get("growing", {})
    now = time.time()
    settled: list[ReportFile] = []
    present: set[str] = set()
    for path in discover(_existing(settings.raw_paths)):
        stat = path.stat()
        name = str(path)
        present.add(name)
        known = seen.get(name)
        if known is not None and known[:2] == [stat.st_size, stat.st_mtime_ns]:
            settled.append(ReportFile(path, known[2]))
            continue
        if now - stat.st_mtime < settings.settle_seconds and growing.get(name) != stat.st_size:
            growing[name] = stat.st_size  # still being written, perhaps: look again next tick
            continue
        growing.pop(name, None)
        file = ReportFile(path, sha256_of(path))
        seen[name] = [stat.st_size, stat.st_mtime_ns, file.sha256]
        settled.append(file)
    cursor = json.dumps(
        {
            "seen": {n: v for n, v in seen.items() if n in present},
            "growing": {n: v for n, v in growing.items() if n in present},
        },
        sort_keys=True,
    )
    existing = set(context.instance.get_dynamic_partitions(reports_partitions.name))
    new_keys = [key for key in decide(settled, settings.warehouse).keys if key not in existing]
    if not new_keys:
        return SensorResult(skip_reason=SkipReason("no new or changed report files"), cursor=cursor)
    return SensorResult(  # new keys are added at the end, next to each other: one range, one run
        run_requests=[run_request_for(new_keys, "new or changed files", settings)],
        dynamic_partitions_requests=[reports_partitions.build_add_request(new_keys)],
        cursor=cursor,
    )


@schedule(
    job=ingest_job,
    cron_schedule="30 2 * * *",
    execution_timezone="Europe/Stockholm",
    default_status=DefaultScheduleStatus.RUNNING,
)
def nightly_reconcile(context: ScheduleEvaluationContext, settings: FinsamSettings):
    """Every night, one run over the files that still need loading (changed, new, or left out by a run
    that failed), as `decide` finds them; no run at all when every file is on record as it is."""
    decision = decide(report_files(_existing(settings.raw_paths)), settings.warehouse)
    if not decision.load:
        return SkipReason(f"nothing changed or failed: {len(decision.unchanged)} report files loaded as they are")
    keys = decision.keys
    existing = set(context.instance.get_dynamic_partitions(reports_partitions.name))
    new = [key for key in keys if key not in existing]
    if new:
        context.instance.add_dynamic_partitions(reports_partitions.name, new)
    salt = f"nightly {time.strftime('%Y-%m-%d')}"  # once a night for the same files, even if the tick is retried
    reason = "nightly reconcile: changed or failed files"
    return run_request_for(partition_span(keys, context.instance), reason, settings, salt)
