"""The four steps of a load (read, parse, validate, load) as plain functions.

Dagster assets in `defs.py` call exactly these, and the CLI runs those assets, so
there is one code path. Each step takes and returns plain values that pickle, so
Dagster's IO managers can hand them between runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from finsam_pipeline.extract import ExtractionError, extract
from finsam_pipeline.ingest import DEFAULT_MAX_BYTES, SourceFile, discover
from finsam_pipeline.parse import ParsedReport, parse_report
from finsam_pipeline.quality import failed_structural, validate
from finsam_pipeline.warehouse import DocumentLoad, LoadSummary, duplicate_document_id, load, loaded_hashes
from finsam_pipeline.workers import DEFAULT_TIMEOUT_S, TimedOut, map_with_deadline


@dataclass(frozen=True)
class FileJob:
    """One file to extract and parse: what a worker process needs."""

    path: str
    sha256: str
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass
class ReadBatch:
    files: list[FileJob] = field(default_factory=list)  # new or changed files, to parse
    rejected: list[dict] = field(default_factory=list)  # document rows of files that will not be parsed
    unchanged: list[str] = field(default_factory=list)  # file names already loaded as they are


@dataclass
class ParsedBatch:
    reports: list[ParsedReport]
    rejected: list[dict]
    unchanged: list[str]


@dataclass
class ValidatedBatch:
    loads: list[DocumentLoad]
    quality: pl.DataFrame
    unchanged: list[str]


def bare_document(document_id: str, source_file: str, sha256: str, status: str, reason: str, **known) -> dict:
    """The documents row of a file that will not be parsed (or whose parse failed)."""
    return {
        "document_id": document_id,
        "source_file": source_file,
        "sha256": sha256,
        "forbund_id": None,
        "forbund_name": None,
        "document_type": None,
        "fiscal_year": None,
        "decided_on": None,
        "status": status,
        "status_reason": reason,
        "page_count": None,
        "line_count": None,
        "encoding": None,
        **known,
    }


def _against_record(paths: Sequence[Path | str], warehouse: Path) -> Iterator[tuple[SourceFile, dict[str, str]]]:
    """Each file, hashed, with the names and statuses the warehouse holds for its content."""
    known = loaded_hashes(warehouse)
    for path in discover(paths):
        source = SourceFile(path=path, content=path.read_bytes())
        yield source, known.get(source.sha256, {})


def read_step(
    paths: Sequence[Path | str],
    warehouse: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    partition_keys: set[str] | None = None,
) -> ReadBatch:
    """Hash every file (or the files of the given partitions); unchanged ones and second copies
    are settled before any parsing."""
    batch = ReadBatch()
    seen_in_batch: dict[str, str] = {}
    for source, on_record in _against_record(paths, warehouse):
        if partition_keys is not None and source.partition_key not in partition_keys:
            continue
        if source.name in on_record:
            batch.unchanged.append(source.name)
            continue
        first_name = next(iter(sorted(on_record, key=lambda n: on_record[n] != "loaded")), None) or seen_in_batch.get(
            source.sha256
        )
        if first_name is not None:
            batch.rejected.append(
                bare_document(
                    duplicate_document_id(source.sha256, source.name),
                    source.name,
                    source.sha256,
                    "duplicate",
                    f"same content as '{first_name}', which is already loaded",
                )
            )
            continue
        seen_in_batch[source.sha256] = source.name
        batch.files.append(FileJob(path=str(source.path), sha256=source.sha256, max_bytes=max_bytes))
    return batch


def pending_partitions(paths: Sequence[Path | str], warehouse: Path) -> tuple[list[str], list[str]]:
    """Partition keys of the files not on record as they are, and the names of those that are.

    Lets a caller skip a run entirely when nothing changed, before any parsing.
    """
    keys: list[str] = []
    unchanged: list[str] = []
    for source, on_record in _against_record(paths, warehouse):
        if source.name in on_record:
            unchanged.append(source.name)
        elif source.partition_key not in keys:
            keys.append(source.partition_key)
    return keys, unchanged


def parse_file(job: FileJob) -> ParsedReport | dict:
    """Extract and parse one file; anything wrong with it comes back as a quarantined document row."""
    source = SourceFile(path=Path(job.path), content=Path(job.path).read_bytes())
    try:
        text = extract(source, max_bytes=job.max_bytes)
    except ExtractionError as error:
        return bare_document(source.document_id, source.name, source.sha256, "quarantined", error.reason)
    try:
        return parse_report(text)
    except Exception as error:  # the rest of the batch must still load
        reason = f"the parser failed on this file ({type(error).__name__}: {error}); please report it"
        return bare_document(
            text.document_id,
            text.source_file,
            text.sha256,
            "quarantined",
            reason,
            page_count=text.page_count,
            line_count=len(text.lines),
            encoding=text.encoding,
        )


def parse_step(
    batch: ReadBatch,
    workers: int = 0,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    progress: Callable[[int], None] | None = None,
) -> ParsedBatch:
    """Parse every file, in `workers` processes with a per-file time limit (0: in this process, no limit)."""
    if workers > 0:
        outcomes = map_with_deadline(parse_file, batch.files, workers, timeout_s, on_result=progress)
    else:
        outcomes = []
        for done, job in enumerate(batch.files, start=1):
            outcomes.append(parse_file(job))
            if progress is not None:
                progress(done)
    reports, rejected = [], list(batch.rejected)
    for job, outcome in zip(batch.files, outcomes, strict=True):
        if isinstance(outcome, TimedOut):
            name = Path(job.path).name
            rejected.append(
                bare_document(
                    job.sha256[:16],
                    name,
                    job.sha256,
                    "quarantined",
                    f"parsing took longer than the limit of {timeout_s:g} s; "
                    "the file may be damaged or unusually built",
                )
            )
        elif isinstance(outcome, ParsedReport):
            reports.append(outcome)
        else:
            rejected.append(outcome)
    return ParsedBatch(reports=reports, rejected=rejected, unchanged=batch.unchanged)


def validate_step(parsed: ParsedBatch) -> ValidatedBatch:
    """Run every check; documents failing a structural check are quarantined whole."""
    quality = validate(parsed.reports)
    broken = failed_structural(quality)
    loads = []
    for report in parsed.reports:
        document = dict(report.document)
        if report.document_id in broken:
            document["status"] = "quarantined"
            document["status_reason"] = f"failed structural checks: {broken[report.document_id]}"
        loads.append(
            DocumentLoad(
                document=document,
                tables={
                    **report.tables,
                    "quality_results": quality.filter(pl.col("document_id") == report.document_id),
                },
            )
        )
    empty = quality.clear()
    loads.extend(DocumentLoad(doc, {"quality_results": empty}) for doc in parsed.rejected)
    return ValidatedBatch(loads=loads, quality=quality, unchanged=parsed.unchanged)


def load_step(warehouse: Path, batch: ValidatedBatch) -> LoadSummary:
    return load(warehouse, batch.loads)
