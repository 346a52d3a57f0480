"""The four assets of a load (read, parse, validate, load), their checks and their partitions.

Thin by design: each asset calls one step from `pipeline.py` and reports what happened
as metadata. Every report file is its own partition (a slug of its name plus a short
content hash), so each report has its own status, logs and checks in the UI; a backfill
of many reports runs as one run (single-run backfill policy) and is processed as one batch.
"""

import warnings

import polars as pl
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    BackfillPolicy,
    BetaWarning,
    DynamicPartitionsDefinition,
    MetadataValue,
    Output,
    asset,
)

from finsam_pipeline.defs.resources import FinsamSettings
from finsam_pipeline.parse.schemas import TABLE_SCHEMAS
from finsam_pipeline.pipeline import (
    ParsedBatch,
    ReadBatch,
    ValidatedBatch,
    load_step,
    parse_step,
    read_step,
    validate_step,
)
from finsam_pipeline.quality import ALL_CHECKS, ERROR_CHECKS, PARSE_CHECKS, SKIPPED, WAREHOUSE_CHECKS

warnings.filterwarnings("ignore", category=BetaWarning)  # single-run backfill policy is beta in 1.13

GROUP = "finsam"
WAREHOUSE_POOL = "finsam_warehouse"  # limit 1 in dagster.yaml: one writer at a time
reports_partitions = DynamicPartitionsDefinition(name="reports")
PREVIEW_PARTITIONS = 20
_PARTITIONED = {
    "partitions_def": reports_partitions,
    "backfill_policy": BackfillPolicy.single_run(),
    "group_name": GROUP,
}


def _preview(frame: pl.DataFrame, rows: int = 10) -> MetadataValue:
    if frame.is_empty():
        return MetadataValue.md("_(none)_")
    head = frame.head(rows)
    lines = ["| " + " | ".join(head.columns) + " |", "|" + "---|" * len(head.columns)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in head.iter_rows()]
    return MetadataValue.md("\n".join(lines))


def _previews(context: AssetExecutionContext, **previews: MetadataValue) -> dict[str, MetadataValue]:
    """Markdown previews for runs of a few reports; a bulk run's events (one per partition) keep to counts."""
    return previews if len(context.partition_keys) <= PREVIEW_PARTITIONS else {}


def _rejected_preview(rejected: list[dict]) -> MetadataValue:
    return _preview(
        pl.DataFrame(
            [{"file": d["source_file"], "status": d["status"], "reason": d["status_reason"]} for d in rejected]
        )
    )


@asset(**_PARTITIONED)
def report_files(context: AssetExecutionContext, settings: FinsamSettings) -> ReadBatch:
    """The report files in the raw folder, hashed: new or changed ones go on to parsing.

    Files whose content is already loaded are skipped before any parsing; a second copy
    of a file under another name is recorded as a duplicate.
    """
    batch = read_step(settings.raw_paths, settings.warehouse, settings.max_file_bytes, set(context.partition_keys))
    context.add_output_metadata(
        {
            "files_to_parse": len(batch.files),
            "files_unchanged": len(batch.unchanged),
            "files_duplicate": len(batch.rejected),
            **_previews(context, duplicates=_rejected_preview(batch.rejected)),
        }
    )
    return batch


@asset(**_PARTITIONED)
def parsed_reports(context: AssetExecutionContext, settings: FinsamSettings, report_files: ReadBatch) -> ParsedBatch:
    """Each report extracted (PDF pages kept), classified and parsed into the contract's tables.

    Files run in worker processes under a per-file time limit; unreadable ones (empty,
    binary, encrypted, image-only, over the size or time limit) are quarantined with a reason.
    """
    progress = _progress_bar(len(report_files.files)) if settings.show_progress else None
    parsed = parse_step(report_files, workers=settings.workers, timeout_s=settings.file_timeout_s, progress=progress)
    documents = pl.DataFrame(
        [
            {
                **{k: r.document[k] for k in ("source_file", "forbund_id", "document_type", "fiscal_year")},
                "facts": r.facts.height,
                "flags": len(r.issues),
            }
            for r in parsed.reports
        ]
    )
    context.add_output_metadata(
        {
            "documents": len(parsed.reports),
            "quarantined": len([d for d in parsed.rejected if d["status"] == "quarantined"]),
            **{f"rows_{table}": sum(r.tables[table].height for r in parsed.reports) for table in TABLE_SCHEMAS},
            **_previews(
                context, preview=_preview(documents, 50), quarantine_reasons=_rejected_preview(parsed.rejected)
            ),
        }
    )
    return parsed


def _progress_bar(total: int):
    from tqdm import tqdm

    bar = tqdm(total=total, desc="parsing", unit="file", disable=total < 10)

    def advance(done: int) -> None:
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return advance


def _nothing_evaluated(name: str, description: str, why: str, **metadata) -> AssetCheckResult:
    """An asset check that had nothing to evaluate: never green, a warning that says so."""
    return AssetCheckResult(
        check_name=name,
        passed=False,
        severity=AssetCheckSeverity.WARN,
        description=f"{SKIPPED}: {why}",
        metadata={"evaluated": 0, "nothing_to_evaluate": why, "asserts": description, **metadata},
    )


def _quality_check(name: str, description: str, quality: pl.DataFrame, documents: int) -> AssetCheckResult:
    """One asset check from the batch's quality_results rows; a row with passed NULL was not evaluated."""
    rows = quality.filter(pl.col("check_name") == name)
    failed = rows.filter(pl.col("passed").not_())
    skipped = rows.filter(pl.col("passed").is_null())
    # parse flags are recorded only when raised: each checked document counts as evaluated
    evaluated = documents if name in PARSE_CHECKS else rows.height - skipped.height
    if evaluated == 0:
        reasons = sorted({m.removeprefix(f"{SKIPPED}: ") for m in skipped["message"].to_list()})
        why = "; ".join(reasons) if reasons else "no document in this run to check"
        return _nothing_evaluated(name, description, why, skipped=skipped.height)
    return AssetCheckResult(
        check_name=name,
        passed=failed.is_empty(),
        severity=AssetCheckSeverity.ERROR if name in ERROR_CHECKS else AssetCheckSeverity.WARN,
        description=description,
        metadata={
            "evaluated": evaluated,
            "failed": failed.height,
            "skipped": skipped.height,
            "failures": _preview(failed.select("document_id", "fiscal_year", "message"), 25),
        },
    )


@asset(
    **_PARTITIONED,
    check_specs=[
        AssetCheckSpec(name, asset="validated_reports", description=description)
        for name, description in ALL_CHECKS.items()
    ],
)
def validated_reports(context: AssetExecutionContext, parsed_reports: ParsedBatch):
    """Structural and plausibility checks (errors quarantine a document) and report arithmetic (warnings)."""
    batch = validate_step(parsed_reports)
    quality = batch.quality
    quarantined = [d.document for d in batch.loads if d.document["status"] != "loaded"]
    failed = quality.filter(pl.col("passed").not_())
    yield Output(
        batch,
        metadata={
            "checks_run": quality.height,
            "checks_failed": failed.height,
            "checks_not_evaluated": quality.filter(pl.col("passed").is_null()).height,
            "documents_quarantined": len(quarantined),
            **_previews(context, failures=_preview(failed.select("document_id", "check_name", "message"), 50)),
        },
    )
    checked = sum(1 for r in parsed_reports.reports if r.document["status"] == "loaded")
    for name, description in ALL_CHECKS.items():
        yield _quality_check(name, description, quality, checked)


@asset(
    **_PARTITIONED,
    pool=WAREHOUSE_POOL,
    check_specs=[
        AssetCheckSpec(name, asset="warehouse", description=description)
        for name, description in WAREHOUSE_CHECKS.items()
    ],
)
def warehouse(context: AssetExecutionContext, settings: FinsamSettings, validated_reports: ValidatedBatch):
    """The DuckDB warehouse, each document's rows replaced in one transaction and published atomically."""
    summary = load_step(settings.warehouse, validated_reports)
    yield Output(
        summary,
        metadata={
            "path": MetadataValue.path(str(settings.warehouse)),
            "documents_written": len(summary.loaded),
            "documents_unchanged": len(summary.unchanged) + len(validated_reports.unchanged),
            **{f"rows_{table}": count for table, count in summary.table_rows.items()},
        },
    )
    for name, description in WAREHOUSE_CHECKS.items():
        evaluated, failed = summary.checks.get(name, (0, 0))
        if evaluated == 0:
            yield _nothing_evaluated(name, description, "no value in the warehouse had anything to compare with")
            continue
        yield AssetCheckResult(
            check_name=name,
            passed=failed == 0,
            severity=AssetCheckSeverity.WARN,
            description=description,
            metadata={"evaluated": evaluated, "failed": failed},
        )


ALL_ASSETS = [report_files, parsed_reports, validated_reports, warehouse]
