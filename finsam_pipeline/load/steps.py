"""The steps of a load (read, parse, validate, load) as plain functions, and the one decision
of which files need loading.

`decide` is that decision, and the CLI, the sensor, the nightly schedule and the load asset all
ask it: a file needs loading when the published warehouse does not hold its content under its
name (new, changed, or left out by a run that failed). `read_step` settles the files of a run
(unchanged ones, second copies) before any parsing; `ingest` then streams the rest: files are
parsed in worker processes, and every chunk of `CHUNK_DOCUMENTS` parsed reports is validated and
written in its own transaction on the staging copy of the warehouse, which is published once at
the end. Only a chunk of parsed reports is ever held in memory, however large the batch.

The Dagster asset in `defs/assets.py` calls `read_step` and `ingest`, and the CLI runs that
asset, so there is one code path. `parse_step`, `validate_step` and `load_step` run one stage
over a whole batch in memory, for the benchmark's stage timings and for tests.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from finsam_pipeline.load.workers import DEFAULT_TIMEOUT_S, TimedOut, imap_with_deadline
from finsam_pipeline.parse import ParsedReport, parse_report
from finsam_pipeline.parse.schemas import TABLE_SCHEMAS
from finsam_pipeline.quality import failed_structural, validate
from finsam_pipeline.read.extract import ExtractionError, extract
from finsam_pipeline.read.fetch import provenance
from finsam_pipeline.read.files import DEFAULT_MAX_BYTES, SourceFile, discover, partition_key
from finsam_pipeline.warehouse import (
    ARCHIVE_SCHEMA,
    DocumentLoad,
    LoadSummary,
    duplicate_document_id,
    load,
    loaded_hashes,
    published_summary,
    staged_load,
)

CHUNK_DOCUMENTS = 200  # parsed reports validated (one Great Expectations run) and written per transaction


@dataclass(frozen=True)
class ReportFile:
    """A report file found in the raw folders, hashed: its partition key ties name and content."""

    path: Path
    sha256: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def partition_key(self) -> str:
        return partition_key(self.path, self.sha256)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def report_files(paths: Iterable[Path | str], hashed: Callable[[Path], str] = sha256_of) -> list[ReportFile]:
    """Every report file below the given files or folders, hashed (by `hashed`, e.g. from a cache)."""
    return [ReportFile(path, hashed(path)) for path in discover(paths)]


@dataclass
class Decision:
    """Which files need loading: the answer `decide` gives every caller."""

    load: list[ReportFile] = field(default_factory=list)  # content not on record under this name
    unchanged: list[ReportFile] = field(default_factory=list)  # on record as they are: nothing to do
    on_record: dict[str, dict[str, str]] = field(default_factory=dict)  # sha256 -> {file name: status}

    @property
    def keys(self) -> list[str]:
        """The partition keys of the files to load, each once, in file order."""
        return list(dict.fromkeys(f.partition_key for f in self.load))


def decide(files: Iterable[ReportFile], warehouse: Path, keys: set[str] | None = None) -> Decision:
    """The one decision of which report files need loading, shared by the CLI, the sensor, the nightly
    schedule and the load asset: every file whose content the published warehouse does not hold under
    its name (new, changed, or never loaded because a run failed). With `keys`, only those partitions'."""
    decision = Decision(on_record=loaded_hashes(warehouse))
    for file in files:
        if keys is not None and file.partition_key not in keys:
            continue
        if file.name in decision.on_record.get(file.sha256, {}):
            decision.unchanged.append(file)
        else:
            decision.load.append(file)
    return decision


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
    found: list[ReportFile] = field(default_factory=list)  # every file of the run, whatever became of it
    unchanged_keys: set[str] = field(default_factory=set)  # partitions of the files already loaded as they are


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
        "pages_ocr": None,
        "ocr_mean_confidence": None,
        "page_reading": None,
        **known,
    }


def read_step(
    paths: Sequence[Path | str],
    warehouse: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    partition_keys: set[str] | None = None,
) -> ReadBatch:
    """Hash every file (or the files of the given partitions) and ask `decide`; unchanged ones and
    second copies are settled before any parsing."""
    found = report_files(paths)
    decision = decide(found, warehouse, partition_keys)
    batch = ReadBatch(
        unchanged=[f.name for f in decision.unchanged],
        found=decision.unchanged + decision.load,
        unchanged_keys={f.partition_key for f in decision.unchanged},
    )
    seen_in_batch: dict[str, str] = {}
    for file in decision.load:
        on_record = decision.on_record.get(file.sha256, {})
        first_name = next(iter(sorted(on_record, key=lambda n: on_record[n] != "loaded")), None) or seen_in_batch.get(
            file.sha256
        )
        if first_name is not None:
            batch.rejected.append(
                bare_document(
                    duplicate_document_id(file.sha256, file.name),
                    file.name,
                    file.sha256,
                    "duplicate",
                    f"same content as '{first_name}', which is already loaded",
                )
            )
            continue
        seen_in_batch[file.sha256] = file.name
        batch.files.append(FileJob(path=str(file.path), sha256=file.sha256, max_bytes=max_bytes))
    return batch


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
            pages_ocr=text.pages_ocr,
            ocr_mean_confidence=text.ocr_mean_confidence,
            page_reading=text.page_reading,
        )


def parse_stream(
    batch: ReadBatch,
    workers: int = 0,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    progress: Callable[[int], None] | None = None,
    ahead: int = 0,
) -> Iterator[ParsedReport | dict]:
    """Each file parsed, in file order, as soon as it is done: in `workers` processes with a per-file
    time limit (0: in this process, no limit), up to `ahead` files parsed ahead of the caller; a file
    that fails or overruns comes back as a quarantined document row."""
    if workers > 0:
        outcomes: Iterable = imap_with_deadline(parse_file, batch.files, workers, timeout_s, ahead)
    else:
        outcomes = (parse_file(job) for job in batch.files)
    for done, (job, outcome) in enumerate(zip(batch.files, outcomes, strict=True), start=1):
        if progress is not None:
            progress(done)
        if isinstance(outcome, TimedOut):
            yield bare_document(
                job.sha256[:16],
                Path(job.path).name,
                job.sha256,
                "quarantined",
                f"parsing took longer than the limit of {timeout_s:g} s; the file may be damaged or unusually built",
            )
        else:
            yield outcome


def parse_step(
    batch: ReadBatch,
    workers: int = 0,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    progress: Callable[[int], None] | None = None,
) -> ParsedBatch:
    """Parse every file and hold them all (a stage timing; `ingest` streams instead)."""
    reports, rejected = [], list(batch.rejected)
    for outcome in parse_stream(batch, workers, timeout_s, progress):
        (reports if isinstance(outcome, ParsedReport) else rejected).append(outcome)
    return ParsedBatch(reports=reports, rejected=rejected, unchanged=batch.unchanged)


def validate_step(parsed: ParsedBatch) -> ValidatedBatch:
    """Run every check; documents failing a structural check are quarantined whole."""
    quality = validate(parsed.reports)
    broken = failed_structural(quality)
    empty = quality.clear()
    per_document = {key[0]: rows for key, rows in quality.partition_by("document_id", as_dict=True).items()}
    loads = []
    for report in parsed.reports:
        document = dict(report.document)
        if report.document_id in broken:
            document["status"] = "quarantined"
            document["status_reason"] = f"failed structural checks: {broken[report.document_id]}"
        loads.append(
            DocumentLoad(
                document=document,
                tables={**report.tables, "quality_results": per_document.get(report.document_id, empty)},
            )
        )
    loads.extend(DocumentLoad(doc, {"quality_results": empty}) for doc in parsed.rejected)
    return ValidatedBatch(loads=loads, quality=quality, unchanged=parsed.unchanged)


def load_step(warehouse: Path, batch: ValidatedBatch) -> LoadSummary:
    return load(warehouse, batch.loads)


@dataclass
class StageSeconds:
    """Where a streamed load spent its time in the calling process (parsing runs beside it in workers)."""

    waiting_for_parse: float = 0.0
    validate: float = 0.0
    write: float = 0.0
    finish_and_publish: float = 0.0


def ingest(
    batch: ReadBatch,
    warehouse: Path,
    workers: int = 0,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    chunk_documents: int = CHUNK_DOCUMENTS,
    progress: Callable[[int], None] | None = None,
    seconds: StageSeconds | None = None,
) -> LoadSummary:
    """Parse, validate and write the batch a chunk at a time on the staging copy; publish once at the end.

    Parsed reports are held one chunk at a time, so memory does not grow with the batch; readers of the
    published warehouse see the old state until the whole batch is written, and a crash at any moment
    leaves them the old state.
    """
    seconds = seconds if seconds is not None else StageSeconds()
    if not batch.files and not batch.rejected and warehouse.exists():
        return published_summary(warehouse)
    fetched = provenance([*(f.path for f in batch.found), *(job.path for job in batch.files)])
    with staged_load(warehouse, fetched) as staged:
        reports: list[ParsedReport] = []
        rejected: list[dict] = list(batch.rejected)

        def flush() -> None:
            clock = time.perf_counter()
            loads = validate_step(ParsedBatch(reports=reports, rejected=rejected, unchanged=[])).loads
            seconds.validate += time.perf_counter() - clock
            clock = time.perf_counter()
            staged.write(loads)
            seconds.write += time.perf_counter() - clock
            reports.clear()
            rejected.clear()

        clock = time.perf_counter()
        # the workers parse the next chunk while this process validates and writes the last one
        for outcome in parse_stream(batch, workers, timeout_s, progress, ahead=chunk_documents):
            seconds.waiting_for_parse += time.perf_counter() - clock
            (reports if isinstance(outcome, ParsedReport) else rejected).append(outcome)
            if len(reports) + len(rejected) >= chunk_documents:
                flush()
            clock = time.perf_counter()
        if reports or rejected:
            flush()
        clock = time.perf_counter()
        summary = staged.finish()
    seconds.finish_and_publish += time.perf_counter() - clock
    return summary


@dataclass(frozen=True)
class ReportState:
    """What the published warehouse holds for one file: its documents row, its rows per table and its checks."""

    document: dict
    rows: dict[str, int]  # rows per document table (in the archive schema for a superseded version)
    checks: list[dict]  # its quality_results rows (check_name, severity, passed, message, fiscal_year)
    check_rows: int  # how many quality_results rows it has, `checks` holding all or only those not passed

    @property
    def validated(self) -> bool:
        """Whether the report went through the checks (a file quarantined before them has no rows)."""
        return self.check_rows > 0


STATES_AT_ONCE = 500  # reports whose states a recorder holds at a time: a national load's would not fit


def report_states_in_batches(
    warehouse: Path, files: Iterable[tuple[str, str]], passed_rows: bool = True, size: int | None = None
) -> Iterator[tuple[list[tuple[str, str]], dict[tuple[str, str], ReportState]]]:
    """`report_states` for `size` (`STATES_AT_ONCE`) files at a time, in their order: (the batch's files, their
    states). A recorder of a national load that lets each batch go holds a bounded share of it, whatever the load."""
    pairs, size = list(files), size or STATES_AT_ONCE
    for start in range(0, len(pairs), size):
        chunk = pairs[start : start + size]
        yield chunk, report_states(warehouse, chunk, passed_rows)


def report_states(
    warehouse: Path, files: Iterable[tuple[str, str]], passed_rows: bool = True
) -> dict[tuple[str, str], ReportState]:
    """(file name, sha256) -> what the published warehouse holds for that file, for those it holds.

    Without `passed_rows` only the checks that failed are read: a national load has some seventy check rows
    per report, most of them passed or with nothing to evaluate, and holding those of 10,000 reports had cost
    the run's process over 200 MB while it recorded them (every reader of such states counts failures only)."""
    pairs = list(files)
    if not pairs or not warehouse.exists():
        return {}
    names, hashes = [name for name, _ in pairs], [sha256 for _, sha256 in pairs]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        wanted = "(SELECT unnest(?::VARCHAR[]) AS source_file, unnest(?::VARCHAR[]) AS sha256)"
        documents = con.execute(
            f"SELECT d.* FROM documents d JOIN {wanted} USING (source_file, sha256)", [names, hashes]
        )
        columns = [c[0] for c in documents.description]
        found = [dict(zip(columns, row, strict=True)) for row in documents.fetchall()]
        by_id = {doc["document_id"]: doc for doc in found}
        ids = list(by_id)
        rows: dict[str, dict[str, int]] = {i: {} for i in ids}
        for table in TABLE_SCHEMAS:
            counted = con.execute(
                f"SELECT document_id, count(*) FROM (SELECT document_id FROM main.{table} UNION ALL "
                f"SELECT document_id FROM {ARCHIVE_SCHEMA}.{table}) "
                "WHERE document_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1",
                [ids],
            ).fetchall()
            for document_id, count in counted:
                rows[document_id][table] = count
        checks: dict[str, list[dict]] = {i: [] for i in ids}
        check_rows = dict.fromkeys(ids, 0)
        in_run = "document_id IN (SELECT unnest(?::VARCHAR[]))"
        counted = con.execute(f"SELECT document_id, count(*) FROM quality_results WHERE {in_run} GROUP BY 1", [ids])
        check_rows.update(dict(counted.fetchall()))
        quality = con.execute(
            "SELECT document_id, check_name, severity, passed, message, fiscal_year FROM quality_results "
            f"WHERE {in_run}{'' if passed_rows else ' AND passed IS FALSE'} "
            "ORDER BY document_id, check_name, fiscal_year",
            [ids],
        ).fetchall()
        for document_id, check_name, severity, passed, message, fiscal_year in quality:
            checks[document_id].append(
                {
                    "check_name": check_name,
                    "severity": severity,
                    "passed": passed,
                    "message": message,
                    "fiscal_year": fiscal_year,
                }
            )
    finally:
        con.close()
    return {
        (doc["source_file"], doc["sha256"]): ReportState(doc, rows[doc_id], checks[doc_id], check_rows[doc_id])
        for doc_id, doc in by_id.items()
    }
