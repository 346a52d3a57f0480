"""Dagster definitions: four assets (read, parse, validate, load) and their checks.

Thin by design: each asset calls one step from `pipeline.py` and reports what
happened as metadata, so the UI and the CLI show the same run.
"""

from pathlib import Path

import polars as pl
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    ConfigurableResource,
    Definitions,
    MetadataValue,
    Output,
    asset,
    define_asset_job,
)

from finsam_pipeline.ingest import DEFAULT_MAX_BYTES
from finsam_pipeline.parse import ParsedReport
from finsam_pipeline.pipeline import (
    ReadBatch,
    ValidatedBatch,
    load_step,
    parse_step,
    read_step,
    validate_step,
)
from finsam_pipeline.quality import ALL_CHECKS, ERROR, STRUCTURAL_CHECKS, WAREHOUSE_CHECKS
from finsam_pipeline.warehouse import DEFAULT_WAREHOUSE

GROUP = "finsam"


class FinsamSettings(ConfigurableResource):
    """Where reports come from and where the warehouse is published."""

    raw_paths: list[str] = ["data/raw"]  # noqa: RUF012 (pydantic copies defaults)
    warehouse_path: str = str(DEFAULT_WAREHOUSE)
    max_file_bytes: int = DEFAULT_MAX_BYTES
    show_progress: bool = False  # a progress bar on stderr, for the CLI on a terminal

    @property
    def warehouse(self) -> Path:
        return Path(self.warehouse_path)


def _preview(frame: pl.DataFrame, rows: int = 10) -> MetadataValue:
    if frame.is_empty():
        return MetadataValue.md("_(none)_")
    head = frame.head(rows)
    lines = ["| " + " | ".join(head.columns) + " |", "|" + "---|" * len(head.columns)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in head.iter_rows()]
    return MetadataValue.md("\n".join(lines))


@asset(group_name=GROUP)
def report_files(context: AssetExecutionContext, settings: FinsamSettings) -> ReadBatch:
    """Report files read from the raw folder into numbered lines of text (PDF pages kept).

    Files whose content is already loaded are skipped before parsing; unreadable ones
    (empty, binary, encrypted, image-only) are set aside with a reason.
    """
    batch = read_step(settings.raw_paths, settings.warehouse, settings.max_file_bytes)
    context.add_output_metadata(
        {
            "files_read": len(batch.texts),
            "files_unchanged": len(batch.unchanged),
            "files_rejected": len(batch.rejected),
            "rejected": _preview(
                pl.DataFrame(
                    [
                        {"file": d["source_file"], "status": d["status"], "reason": d["status_reason"]}
                        for d in batch.rejected
                    ]
                )
            ),
        }
    )
    return batch


@asset(group_name=GROUP)
def parsed_reports(
    context: AssetExecutionContext, settings: FinsamSettings, report_files: ReadBatch
) -> list[ParsedReport]:
    """Each report classified (förbund, type, year, decision date) and its statements and notes parsed."""
    reports = parse_step(report_files, show_progress=settings.show_progress)
    documents = pl.DataFrame(
        [
            {
                **{k: r.document[k] for k in ("source_file", "forbund_id", "document_type", "fiscal_year")},
                "facts": r.facts.height,
                "flags": len(r.issues),
            }
            for r in reports
        ]
    )
    context.add_output_metadata(
        {
            "documents": len(reports),
            "facts": sum(r.facts.height for r in reports),
            "note_lines": sum(r.notes.height for r in reports),
            "preview": _preview(documents, 50),
        }
    )
    return reports


@asset(
    group_name=GROUP,
    check_specs=[
        AssetCheckSpec(name, asset="validated_reports", description=description)
        for name, description in ALL_CHECKS.items()
    ],
)
def validated_reports(context: AssetExecutionContext, report_files: ReadBatch, parsed_reports: list[ParsedReport]):
    """Structural checks (Great Expectations, errors quarantine a document) and report arithmetic (warnings)."""
    batch = validate_step(parsed_reports, report_files)
    quality = batch.quality
    quarantined = [d.document for d in batch.loads if d.document["status"] != "loaded"]
    yield Output(
        batch,
        metadata={
            "checks_run": quality.height,
            "checks_failed": quality.filter(~pl.col("passed")).height,
            "documents_quarantined": len(quarantined),
            "failures": _preview(quality.filter(~pl.col("passed")).select("document_id", "check_name", "message"), 50),
        },
    )
    for name, description in ALL_CHECKS.items():
        rows = quality.filter(pl.col("check_name") == name)
        failed = rows.filter(~pl.col("passed"))
        yield AssetCheckResult(
            check_name=name,
            passed=failed.is_empty(),
            severity=AssetCheckSeverity.ERROR if name in STRUCTURAL_CHECKS else AssetCheckSeverity.WARN,
            description=description,
            metadata={
                "evaluated": rows.height,
                "failed": failed.height,
                "failures": _preview(failed.select("document_id", "fiscal_year", "message"), 25),
            },
        )


@asset(
    group_name=GROUP,
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
        outcome = summary.checks.get(name, (0, 0))
        yield AssetCheckResult(
            check_name=name,
            passed=outcome[1] == 0,
            severity=AssetCheckSeverity.WARN,
            description=description,
            metadata={"evaluated": outcome[0], "failed": outcome[1]},
        )


ALL_ASSETS = [report_files, parsed_reports, validated_reports, warehouse]
ingest_job = define_asset_job(
    "ingest_job",
    selection=[a.key for a in ALL_ASSETS],
    description="Read, parse, validate and load every report in the raw folder.",
)

defs = Definitions(
    assets=ALL_ASSETS,
    jobs=[ingest_job],
    resources={"settings": FinsamSettings()},
)

__all__ = ["ALL_ASSETS", "ERROR", "FinsamSettings", "defs"]
