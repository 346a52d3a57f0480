"""The `finsam` command: `ingest` runs the Dagster job in process and records the run, its partitions,
materializations and checks in the project's instance (`$DAGSTER_HOME`, else `.dagster_home`), where
`dagster dev` shows them; `fetch` downloads new reports from where each förbund publishes them
(sources.csv) into the raw folder; `query`, `export`, `report` and `docs` serve researchers from the
published warehouse."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from finsam_pipeline.load.workers import DEFAULT_TIMEOUT_S, default_workers
from finsam_pipeline.read.files import DEFAULT_MAX_BYTES
from finsam_pipeline.warehouse import DEFAULT_WAREHOUSE


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
    fetch = commands.add_parser("fetch", help="download new reports from where each förbund publishes them")
    fetch.add_argument("--sources", default="assets/reference/sources.csv", help="CSV: forbund_id,url,source")
    fetch.add_argument("--raw", default="data/raw", help="folder to write into, one subfolder per förbund")
    fetch.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to one host")
    fetch.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a server")
    fetch.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse larger files")
    fetch.add_argument("--retries", type=int, default=3, help="further attempts after a 5xx, 429 or timeout")
    fetch.add_argument("--backoff", type=float, default=2.0, help="first retry's wait in seconds, then doubled")
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

    from finsam_pipeline.research.queries import QueryRefused, format_result, run_query

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
    from finsam_pipeline.research.queries import export as export_tables

    summary = export_tables(Path(args.warehouse), Path(args.out), args.format)
    for name, rows in summary.files.items():
        print(f"{name}: {rows} rows")
    print(f"finsam export: {len(summary.files)} files and README.md in {summary.folder}", file=sys.stderr)
    return 0


def report(args: argparse.Namespace) -> int:
    from finsam_pipeline.research.report import write_report

    print(f"finsam report: wrote {write_report(Path(args.warehouse), Path(args.out))}", file=sys.stderr)
    return 0


def docs(args: argparse.Namespace) -> int:
    from finsam_pipeline.research.queries import data_dictionary

    target = Path(args.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(data_dictionary(), encoding="utf-8")
    print(f"finsam docs: wrote {target}", file=sys.stderr)
    return 0


def fetch(args: argparse.Namespace) -> int:
    from finsam_pipeline.read.fetch import FetchSettings, fetch_all, read_sources

    try:
        sources = read_sources(args.sources)
    except (OSError, ValueError) as error:
        print(f"finsam fetch: {error}", file=sys.stderr)
        return 2
    settings = FetchSettings(
        delay_s=args.delay,
        timeout_s=args.timeout,
        max_bytes=args.max_bytes,
        retries=args.retries,
        backoff_s=args.backoff,
    )
    results = fetch_all(sources, Path(args.raw), settings, report=lambda result: print(result.line(), flush=True))
    new = sum(len(r.new) for r in results)
    failed = sum(1 for r in results if r.failed)
    print(
        f"finsam fetch: {len(results)} sources, {new} new files in {args.raw}, {failed} sources with failures",
        file=sys.stderr,
    )
    return 0


def _document_line(state) -> str:
    doc = state.document
    name = doc["source_file"]
    if doc["status"] != "loaded":
        return f"{doc['status'].upper():11} {name}: {doc['status_reason']}"
    warnings = sum(1 for check in state.checks if check["passed"] is False)
    return (
        f"loaded      {name}: {doc['forbund_name']} ({doc['forbund_id']}), {doc['document_type']} "
        f"{doc['fiscal_year']}, {state.rows.get('financial_facts', 0)} facts, {warnings} warnings"
    )


CLI_TAG, PID_TAG, HOST_TAG = "finsam/launched_by", "finsam/pid", "finsam/host"


def _release_abandoned_runs(instance) -> None:
    """Runs a `finsam ingest` on this machine started and never finished (its process was killed) are
    marked failed and their slot in the writer pool is freed, so the next load does not wait for them."""
    import socket

    from dagster import DagsterRunStatus, RunsFilter

    unfinished = [DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]
    runs = instance.get_runs(RunsFilter(statuses=unfinished, tags={CLI_TAG: "cli", HOST_TAG: socket.gethostname()}))
    for run in runs:
        pid = int(run.tags.get(PID_TAG, "0"))
        try:
            os.kill(pid, 0)
            continue  # still running (or the pid was taken again): leave it
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        instance.report_run_failed(run, f"the finsam ingest process (pid {pid}) ended without finishing this run")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)


def ingest(args: argparse.Namespace) -> int:
    from finsam_pipeline.load.steps import decide, report_files, report_states_in_batches
    from finsam_pipeline.warehouse import published_summary

    warehouse = Path(args.warehouse).resolve()
    try:
        decision = decide(report_files(args.paths), warehouse)
    except FileNotFoundError as error:
        print(f"finsam ingest: {error}", file=sys.stderr)
        return 2
    unchanged_lines = [f"unchanged   {file.name}: already loaded with this content" for file in decision.unchanged]
    if not decision.load:  # nothing new or changed: no run at all
        if unchanged_lines:
            print("\n".join(unchanged_lines))
        print(f"finsam: 0 written, {len(decision.unchanged)} unchanged, 0 quarantined", file=sys.stderr)
        return 0
    result = _run_ingest_job(args, warehouse, decision.keys)
    run_id = result.run_id
    if not result.success:
        print(f"finsam: run {run_id} failed; the published warehouse is unchanged", file=sys.stderr)
        for message in (e.message for e in result.all_events if e.is_failure):
            print(f"  {message}", file=sys.stderr)
        return 2
    del result  # the run's events, one per report: a national run's would double what the summary holds
    written = quarantined = 0
    files = [(file.name, file.sha256) for file in decision.load]
    for pairs, states in report_states_in_batches(warehouse, files, passed_rows=False):
        lines = [_document_line(states[pair]) for pair in pairs if pair in states]
        if lines:
            print("\n".join(lines))
        written += len(states)
        quarantined += sum(1 for state in states.values() if state.document["status"] == "quarantined")
    if unchanged_lines:
        print("\n".join(unchanged_lines))
    print(
        f"finsam: {written} written, {len(decision.unchanged)} unchanged, {quarantined} quarantined; "
        f"warehouse rows: {published_summary(warehouse).table_rows}; Dagster run {run_id}",
        file=sys.stderr,
    )
    return 1 if args.strict and quarantined else 0


def _run_ingest_job(args: argparse.Namespace, warehouse: Path, keys: list[str]):
    """`ingest_job` executed in process over the partitions of `keys` (added where the instance lacks them),
    recorded in the project's Dagster instance so `dagster dev` shows the run."""
    import socket

    os.environ.setdefault("DAGSTER_TELEMETRY_DISABLED", "1")
    # One "planned" event for the run's range of partitions instead of one per partition (a national load
    # would write a thousand before parsing began); a failed run then leaves its partitions as they were
    # rather than marked failed, and the next `finsam ingest` or the nightly run takes them up again.
    os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "1")
    from finsam_pipeline.defs import FinsamSettings, defs, project_instance, reports_partitions
    from finsam_pipeline.defs.automation import checks_for, partition_span, run_tags
    from finsam_pipeline.defs.checks import REPORTS

    instance = project_instance()
    _release_abandoned_runs(instance)
    known = set(instance.get_dynamic_partitions(reports_partitions.name))
    new_keys = [key for key in keys if key not in known]
    if new_keys:
        instance.add_dynamic_partitions(reports_partitions.name, new_keys)
    settings = {
        "raw_paths": [str(Path(p).resolve()) for p in args.paths],
        "warehouse_path": str(warehouse),
        "max_file_bytes": args.max_bytes,
        "show_progress": sys.stderr.isatty(),
        "workers": args.workers,
        "file_timeout_s": args.file_timeout,
    }
    print(
        f"finsam: ingesting {len(keys)} files from {', '.join(args.paths)} into {warehouse} "
        f"(Dagster instance {os.environ['DAGSTER_HOME']})",
        file=sys.stderr,
    )
    span = partition_span(keys, instance)
    job = defs.resolve_job_def("ingest_job")
    checks = checks_for(len(span), FinsamSettings(**settings))
    if checks is not None:  # a large batch: each check once for the run, the reports named
        job = job.get_subset(asset_selection={REPORTS}, asset_check_selection=set(checks))
    return job.execute_in_process(
        run_config={
            "resources": {"settings": {"config": settings}},
            "loggers": {"console": {"config": {"log_level": "WARNING"}}},
        },
        instance=instance,
        partition_key=span[0] if len(span) == 1 else None,
        tags={
            **run_tags(span, "finsam ingest"),
            CLI_TAG: "cli",
            PID_TAG: str(os.getpid()),
            HOST_TAG: socket.gethostname(),
        },
        raise_on_error=False,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"ingest": ingest, "fetch": fetch, "query": query, "export": export, "report": report, "docs": docs}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
