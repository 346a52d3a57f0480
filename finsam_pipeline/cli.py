"""The `finsam` command: `ingest` runs the Dagster assets in process; `query`, `export`, `report`
and `docs` serve researchers from the published warehouse."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from finsam_pipeline.ingest import DEFAULT_MAX_BYTES
from finsam_pipeline.warehouse import DEFAULT_WAREHOUSE
from finsam_pipeline.workers import DEFAULT_TIMEOUT_S, default_workers


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="finsam", description="Finsam report pipeline")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="read, parse, check and load report files")
    ingest.add_argument("paths", nargs="*", default=["data/raw"], help="files or folders (default: data/raw)")
    ingest.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE), help="DuckDB file to publish")
    ingest.add_argument("--strict", action="store_true", help="exit non-zero when any file is quarantined")
    ingest.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse larger files")
    ingest.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="parsing processes (0: parse in this process, without a time limit)",
    )
    ingest.add_argument(
        "--file-timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        help="seconds one file may take to parse before it is quarantined",
    )
    query = commands.add_parser("query", help="run a read-only SQL query on the published warehouse")
    query.add_argument("sql", help="one SELECT query")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    export = commands.add_parser("export", help="write every table and view to Parquet or CSV files")
    export.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    export.add_argument("--out", required=True, help="folder to write to")
    export.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    report = commands.add_parser("report", help="write a self-contained HTML report with charts")
    report.add_argument("--out", default="report.html")
    report.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    docs = commands.add_parser("docs", help="write the data dictionary generated from the schema")
    docs.add_argument("--out", default="docs/warehouse.md")
    return parser


def csv_cells(frame):
    """A result CSV can hold: lists, arrays, structs and maps as JSON text, blobs as \\x-prefixed hex."""
    import json

    import polars as pl

    def text(value) -> str | None:
        if value is None:
            return None
        if isinstance(value, bytes):
            return "\\x" + value.hex()
        return json.dumps(value, ensure_ascii=False, default=str)

    return frame.with_columns(
        pl.Series(name, [text(v) for v in frame[name].to_list()], dtype=pl.String)
        for name, dtype in frame.schema.items()
        if dtype.is_nested() or dtype == pl.Binary
    )


def query(args: argparse.Namespace) -> int:
    from polars.exceptions import PolarsError

    from finsam_pipeline.research import QueryRefused, format_result, run_query

    try:
        frame = run_query(Path(args.warehouse), args.sql)
        output = format_result(csv_cells(frame) if args.format == "csv" else frame, args.format)
    except (QueryRefused, FileNotFoundError) as error:
        print(f"finsam query: {error}", file=sys.stderr)
        return 2
    except PolarsError as error:  # a DuckDB type the result frame cannot hold (INTERVAL, UNION, ...)
        first_line = (str(error).splitlines() or [type(error).__name__])[0].split(". Hint")[0]
        print(
            f"finsam query: a result column has a type that cannot be shown ({first_line}); "
            "cast it to VARCHAR in the query, e.g. col::VARCHAR",
            file=sys.stderr,
        )
        return 2
    print(output, end="" if args.format == "csv" else "\n")
    return 0


def export(args: argparse.Namespace) -> int:
    from finsam_pipeline.research import export as export_tables

    summary = export_tables(Path(args.warehouse), Path(args.out), args.format)
    for name, rows in summary.files.items():
        print(f"{name}: {rows} rows")
    print(f"finsam export: {len(summary.files)} files and README.md in {summary.folder}", file=sys.stderr)
    return 0


def report(args: argparse.Namespace) -> int:
    from finsam_pipeline.report import write_report

    print(f"finsam report: wrote {write_report(Path(args.warehouse), Path(args.out))}", file=sys.stderr)
    return 0


def docs(args: argparse.Namespace) -> int:
    from finsam_pipeline.research import data_dictionary

    target = Path(args.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(data_dictionary(), encoding="utf-8")
    print(f"finsam docs: wrote {target}", file=sys.stderr)
    return 0


def _document_line(load) -> str:
    doc = load.document
    name = doc["source_file"]
    if doc["status"] != "loaded":
        return f"{doc['status'].upper():11} {name}: {doc['status_reason']}"
    quality = load.quality
    warnings = quality.filter(~quality["passed"]).height if quality.height else 0
    return (
        f"loaded      {name}: {doc['forbund_name']} ({doc['forbund_id']}), {doc['document_type']} "
        f"{doc['fiscal_year']}, {load.tables['financial_facts'].height} facts, {warnings} warnings"
    )


def ingest(args: argparse.Namespace) -> int:
    os.environ.setdefault("DAGSTER_TELEMETRY_DISABLED", "1")
    from dagster import DagsterInstance, materialize, mem_io_manager

    from finsam_pipeline.defs import ALL_ASSETS, FinsamSettings, reports_partitions
    from finsam_pipeline.defs.automation import RANGE_END, RANGE_START
    from finsam_pipeline.pipeline import pending_partitions

    try:
        keys, unchanged = pending_partitions(args.paths, Path(args.warehouse))
    except FileNotFoundError as error:
        print(f"finsam ingest: {error}", file=sys.stderr)
        return 2
    if not keys:  # nothing new or changed: no run at all
        for name in unchanged:
            print(f"unchanged   {name}: already loaded with this content")
        print(f"finsam: 0 written, {len(unchanged)} unchanged, 0 quarantined", file=sys.stderr)
        return 0
    instance = DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(reports_partitions.name, keys)

    settings = FinsamSettings(
        raw_paths=list(args.paths),
        warehouse_path=args.warehouse,
        max_file_bytes=args.max_bytes,
        show_progress=sys.stderr.isatty(),
        workers=args.workers,
        file_timeout_s=args.file_timeout,
    )
    print(f"finsam: ingesting {', '.join(args.paths)} into {args.warehouse}", file=sys.stderr)
    result = materialize(
        ALL_ASSETS,
        resources={"settings": settings, "io_manager": mem_io_manager},
        instance=instance,
        partition_key=keys[0] if len(keys) == 1 else None,
        tags={} if len(keys) == 1 else {RANGE_START: keys[0], RANGE_END: keys[-1]},
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        raise_on_error=False,
    )
    if not result.success:
        failures = [e.message for e in result.all_events if e.is_failure]
        print("finsam: the run failed; the published warehouse is unchanged", file=sys.stderr)
        for message in failures:
            print(f"  {message}", file=sys.stderr)
        return 2
    validated = result.output_for_node("validated_reports")
    summary = result.output_for_node("warehouse")
    for load in validated.loads:
        print(_document_line(load))
    for name in validated.unchanged:
        print(f"unchanged   {name}: already loaded with this content")
    quarantined = sum(1 for load in validated.loads if load.document["status"] == "quarantined")
    print(
        f"finsam: {len(summary.loaded)} written, {len(summary.unchanged) + len(validated.unchanged)} unchanged, "
        f"{quarantined} quarantined; warehouse rows: {summary.table_rows}",
        file=sys.stderr,
    )
    return 1 if args.strict and quarantined else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"ingest": ingest, "query": query, "export": export, "report": report, "docs": docs}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
