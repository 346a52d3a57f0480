"""The reports: one partition per report file, read, parsed, checked and loaded by one op.

Every report file is its own partition of the asset `reports` (key: a slug of its name plus
8 characters of its content hash), so each report has its own status, metadata and checks in
the UI. A run covers one report or a range of them (single-run backfill policy); the op
`load_reports` reads, parses, validates and loads its files as one batch, a chunk of
documents at a time on the warehouse's staging copy, and publishes once at the end
(`pipeline.ingest`). Nothing travels between steps through an IO manager.

Once the warehouse is published the op records what became of each report (one
materialization per partition: status, förbund, type, year, rows per table, how its pages
were read), the tables and views it wrote (defs/tables.py: row counts, column schemas), each
quality check per report against that report's materialization, and the checks across
documents for the run.
"""

import warnings

import duckdb
from dagster import (
    AssetCheckSpec,
    AssetExecutionContext,
    AssetMaterialization,
    AssetRecordsFilter,
    AssetSpec,
    BackfillPolicy,
    BetaWarning,
    DynamicPartitionsDefinition,
    MetadataValue,
    PreviewWarning,
    multi_asset,
)

from finsam_pipeline.defs.checks import (
    REPORTS,
    RUN_CHECK,
    RUN_CHECK_DESCRIPTION,
    Target,
    cross_document_check,
    missing_file_check,
    report_check,
    run_check,
)
from finsam_pipeline.defs.resources import FinsamSettings
from finsam_pipeline.defs.tables import TABLES_RECORDED, table_materializations
from finsam_pipeline.load.steps import ReadBatch, ReportState, ingest, read_step, report_states_in_batches
from finsam_pipeline.parse.schemas import TABLE_SCHEMAS
from finsam_pipeline.quality import ALL_CHECKS, WAREHOUSE_CHECKS

warnings.filterwarnings("ignore", category=BetaWarning)  # single-run backfill policy is beta in 1.13
warnings.filterwarnings("ignore", category=PreviewWarning)  # partitioned asset checks are a preview in 1.13

GROUP = "reports"
REASON_TAG = "finsam/reason"  # set on the runs the CLI, the sensor and the schedule request
WAREHOUSE_POOL = "finsam_warehouse"  # limit 1 in dagster.yaml: one writer at a time
reports_partitions = DynamicPartitionsDefinition(name="reports")


def _report_metadata(state: ReportState, path: str, written: bool) -> dict:
    """What became of one report, kept to a dozen entries: each entry is stored with every one of a national
    load's thousand materializations."""
    doc = state.document
    failed = sorted({c["check_name"] for c in state.checks if c["passed"] is False})
    metadata = {
        "status": doc["status"],
        "change": "written in this run" if written else "unchanged, already loaded",
        "source_file": MetadataValue.path(path),
        "document_id": doc["document_id"],
        "dagster/row_count": sum(state.rows.values()),
        "rows": MetadataValue.json({table: state.rows[table] for table in TABLE_SCHEMAS if state.rows.get(table)}),
        "checks_failed": len(failed),
    }
    if doc["status_reason"]:
        metadata["status_reason"] = doc["status_reason"]
    if failed:
        metadata["failed_checks"] = ", ".join(failed)
    for field in ("forbund_id", "forbund_name", "document_type", "fiscal_year"):
        if doc.get(field) is not None:
            metadata[field] = doc[field]
    if doc.get("source_url"):  # a file `finsam fetch` downloaded: where from, and when
        metadata["source_url"] = MetadataValue.url(doc["source_url"])
        metadata["fetched_at"] = f"{doc['fetched_at']:%Y-%m-%d %H:%M:%S} UTC"
    if doc.get("page_count") is not None:  # a PDF: how its pages were read
        metadata["page_count"] = doc["page_count"]
        for field in ("page_reading", "pages_ocr", "ocr_mean_confidence"):
            if doc.get(field) is not None:
                metadata[field] = doc[field]
        metadata["pages_unreadable"] = sum(
            1 for c in state.checks if c["check_name"] == "page_unreadable" and c["passed"] is False
        )
    return metadata


def _report_summary(state: ReportState) -> str:
    doc = state.document
    if doc["status"] != "loaded":
        return f"{doc['status']}: {doc['status_reason']}"
    return f"loaded: {doc['forbund_name']} ({doc['forbund_id']}), {doc['document_type']} {doc['fiscal_year']}"


def _progress_bar(total: int):
    from tqdm import tqdm

    bar = tqdm(total=total, desc="parsing", unit="file", disable=total < 10)

    def advance(done: int) -> None:
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return advance


@multi_asset(
    name="load_reports",
    specs=[
        AssetSpec(
            REPORTS,
            partitions_def=reports_partitions,
            group_name=GROUP,
            skippable=True,
            kinds={"python", "duckdb"},
            description=(
                "The report files in the raw folders, one partition each: read (PDF text layer or OCR), "
                "classified, parsed into the contract's tables, checked and loaded into the warehouse. "
                "Unreadable files are quarantined with a reason; a second copy of a file is a duplicate."
            ),
        )
    ],
    check_specs=[
        *(
            AssetCheckSpec(name, asset=REPORTS, description=description, partitions_def=reports_partitions)
            for name, description in ALL_CHECKS.items()
        ),
        AssetCheckSpec(RUN_CHECK, asset=REPORTS, description=RUN_CHECK_DESCRIPTION),
        *(  # across documents: once per run, on the whole published warehouse
            AssetCheckSpec(name, asset=REPORTS, description=description)
            for name, description in WAREHOUSE_CHECKS.items()
        ),
    ],
    partitions_def=reports_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    can_subset=True,
    pool=WAREHOUSE_POOL,
)
def load_reports(context: AssetExecutionContext, settings: FinsamSettings):
    """Read, parse, validate and load the run's reports as one batch, published once; then record
    each report, the warehouse's tables and views, and the quality checks.

    Files on record as they are are not parsed again; a run that selects only checks reads them
    back from the published warehouse.
    """
    batch = read_step(settings.raw_paths, settings.warehouse, settings.max_file_bytes, set(context.partition_keys))
    write = REPORTS in context.selected_asset_keys and bool(batch.files or batch.rejected)
    if write:
        progress = _progress_bar(len(batch.files)) if settings.show_progress else None
        summary = ingest(
            batch,
            settings.warehouse,
            workers=settings.workers,
            timeout_s=settings.file_timeout_s,
            chunk_documents=settings.chunk_documents,
            progress=progress,
        )
        context.log.info(
            f"published {settings.warehouse}: {len(summary.loaded)} documents written, "
            f"{len(batch.unchanged)} files unchanged"
        )
    yield from _record(context, settings, batch, write)


def _record(context: AssetExecutionContext, settings: FinsamSettings, batch: ReadBatch, wrote: bool):
    """What the published warehouse now holds, as Dagster events: each report of the run, the tables and
    views (when the run wrote anything), the checks. The reports' states are read and let go a batch at a
    time, so recording a national load holds no more than recording a small one."""
    files = {f.partition_key: f for f in batch.found}
    key_of = {(f.name, f.sha256): key for key, f in files.items()}
    selected = {key.name for key in context.selected_asset_check_keys if key.asset_key == REPORTS}
    per_report = [name for name in ALL_CHECKS if name in selected]
    # A run the CLI, the sensor or the schedule asked for (tagged with its reason) may span partitions it did
    # not ask for, between the ones it did: those already recorded and unchanged are left as they are. A run
    # an operator launched from the UI records every partition it was asked for.
    recorded = set()
    if REPORTS in context.selected_asset_keys and batch.unchanged_keys and REASON_TAG in context.run.tags:
        recorded = context.instance.get_materialized_partitions(REPORTS)
    held: set[str] = set()  # partitions the warehouse holds a report for
    reported: list[str] = []  # document ids of the reports this run recorded
    for pairs, states in report_states_in_batches(settings.warehouse, key_of, bool(per_report)):
        held.update(key_of[pair] for pair in states)
        report = {
            key_of[pair]: states[pair]
            for pair in pairs
            if pair in states and (key_of[pair] not in batch.unchanged_keys or key_of[pair] not in recorded)
        }
        if REPORTS in context.selected_asset_keys:
            for key, state in report.items():
                yield AssetMaterialization(
                    asset_key=REPORTS,
                    partition=key,
                    description=_report_summary(state),
                    metadata=_report_metadata(state, str(files[key].path), key not in batch.unchanged_keys),
                )
        yield from _report_checks(context, per_report, report, [])
        reported.extend(state.document["document_id"] for state in report.values())
    missing = [key for key in context.partition_keys if key not in held]
    if missing:
        context.log.warning(
            f"{len(missing)} partition(s) of this run have no file under {', '.join(settings.raw_paths)} "
            f"(changed, moved or removed since they were added): {', '.join(missing[:5])}"
        )
    con = duckdb.connect(str(settings.warehouse), read_only=True) if settings.warehouse.exists() else None
    try:
        if con is not None and (wrote or not context.instance.get_latest_materialization_event(TABLES_RECORDED)):
            yield from table_materializations(con, settings.warehouse)
        if context.has_partition_key:  # a run of one partition answers for it
            yield from _report_checks(context, per_report, {}, missing)
        if RUN_CHECK in selected and con is not None:
            yield run_check(con, reported)
        for name in WAREHOUSE_CHECKS:
            if name in selected and con is not None:
                yield cross_document_check(con, name)
    finally:
        if con is not None:
            con.close()


def _report_checks(context: AssetExecutionContext, names: list[str], report: dict, missing: list[str]):
    """Each selected check for each report, evaluated against the report's latest materialization."""
    if not names or not (report or missing):
        return
    targets = _latest_materializations(context, [*report, *missing])
    for key, state in report.items():
        for name in names:
            yield report_check(name, ALL_CHECKS[name], [state], key, targets.get(key))
    for key in missing:
        for name in names:
            yield missing_file_check(name, ALL_CHECKS[name], key, targets.get(key))


def _latest_materializations(context: AssetExecutionContext, keys: list[str]) -> dict[str, Target]:
    """Each partition's latest materialization, which its check results evaluate (one query for the run)."""
    latest: dict[str, Target] = {}
    wanted = list(keys)
    while wanted:  # newest first: this run's materializations come first, older ones only for a checks-only run
        records = context.instance.fetch_materializations(
            AssetRecordsFilter(asset_key=REPORTS, asset_partitions=wanted), limit=len(wanted)
        ).records
        for record in records:
            if record.partition_key is not None and record.partition_key not in latest:
                latest[record.partition_key] = Target(
                    storage_id=record.storage_id, run_id=record.run_id, timestamp=record.timestamp
                )
        remaining = [key for key in wanted if key not in latest]
        if len(records) < len(wanted) or len(remaining) == len(wanted):
            break  # the rest were never materialized
        wanted = remaining
    return latest


ALL_ASSETS = [load_reports]
