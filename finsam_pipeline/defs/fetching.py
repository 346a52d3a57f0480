"""Reports arriving by themselves: the `fetch_reports` job crawls the förbund's pages (`fetch.py`) weekly.

The job runs one op over every row of sources.csv and writes what is new into the first raw folder
(`FinsamSettings.raw_paths`), where `new_reports_sensor` finds the new files and loads them. Its output
metadata counts, per source and in all, the pages checked, new documents, documents not modified and
failures. It can be launched from the UI (Jobs > fetch_reports > Launchpad), where the op's config can
shorten or lengthen the politeness delay and the timeouts.
"""

import os
from pathlib import Path

from dagster import (
    Config,
    DefaultScheduleStatus,
    MetadataValue,
    OpExecutionContext,
    Output,
    ScheduleDefinition,
    job,
    op,
)

from finsam_pipeline.defs.resources import FinsamSettings
from finsam_pipeline.parse.vocabulary import REFERENCE_DIR
from finsam_pipeline.read.fetch import FetchSettings, SourceResult, fetch_all, read_sources

SOURCES_ENV = "FINSAM_SOURCES"


def default_sources() -> str:
    return os.environ.get(SOURCES_ENV) or str(REFERENCE_DIR / "sources.csv")


class FetchConfig(Config):
    """Where the sources are listed and how politely they are fetched."""

    sources_csv: str = ""  # empty: $FINSAM_SOURCES, else assets/reference/sources.csv
    delay_s: float = 1.0  # between two requests to one host
    timeout_s: float = 30.0
    max_bytes: int = FetchSettings.max_bytes
    retries: int = FetchSettings.retries  # further attempts after a 5xx, a 429 or a timeout
    backoff_s: float = FetchSettings.backoff_s  # the first retry's wait, doubled each time


def fetch_metadata(results: list[SourceResult]) -> dict:
    """The run's counts in all and one row per source, as the op's output metadata."""
    totals = {key: sum(r.counts()[key] for r in results) for key in ("pages_checked", "new", "not_modified")}
    totals["failed"] = sum(len(r.failed) for r in results)
    totals["refused"] = sum(len(r.refused) for r in results)
    rows = [
        "| förbund | pages checked | report links | new | not modified | unchanged | duplicate | refused | failed |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        c = r.counts()
        rows.append(
            f"| {r.forbund_id} | {c['pages_checked']} | {c['report_links']} | {c['new']} | {c['not_modified']} "
            f"| {c['unchanged']} | {c['duplicates']} | {c['refused']} | {c['failed']} |"
        )
    problems = [f"{r.forbund_id}: {why} ({url})" for r in results for url, why in [*r.refused, *r.failed]]
    return {
        **totals,
        "sources": len(results),
        "per_source": MetadataValue.md("\n".join(rows)),
        "per_source_counts": MetadataValue.json({r.forbund_id: r.counts() for r in results}),
        "new_files": MetadataValue.json([path for r in results for path in r.new]),
        "problems": MetadataValue.json(problems[:50]),
    }


@op(description="Fetch new reports from the pages listed in sources.csv into the raw folder, politely.")
def fetch_new_reports(context: OpExecutionContext, config: FetchConfig, settings: FinsamSettings):
    sources = read_sources(config.sources_csv or default_sources())
    raw_dir = Path(settings.raw_paths[0])
    fetch_settings = FetchSettings(
        delay_s=config.delay_s,
        timeout_s=config.timeout_s,
        max_bytes=config.max_bytes,
        retries=config.retries,
        backoff_s=config.backoff_s,
    )
    results = fetch_all(sources, raw_dir, fetch_settings, report=lambda result: context.log.info(result.line()))
    yield Output(None, metadata=fetch_metadata(results))


@job(description="Fetch new annual reports and plans from where each förbund publishes them (sources.csv); "
     "the sensor then loads the new files.")  # fmt: skip
def fetch_reports():
    fetch_new_reports()


weekly_fetch = ScheduleDefinition(
    name="weekly_fetch",
    job=fetch_reports,
    cron_schedule="0 5 * * 1",  # Monday 05:00, when the förbund's sites are quiet
    execution_timezone="Europe/Stockholm",
    # Off until an operator turns it on (UI: Automation): a `dagster dev` started for a test or a demo must
    # never crawl the förbund's websites by itself.
    default_status=DefaultScheduleStatus.STOPPED,
    description="Once a week, fetch_reports asks every source for new or changed reports (turn it on in the UI).",
)
