"""The four steps of a load (read, parse, validate, load) as plain functions.

Dagster assets in `defs.py` call exactly these, and the CLI runs those assets, so
there is one code path. Each step takes and returns plain values that pickle, so
Dagster's IO managers can hand them between runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from finsam_pipeline.extract import ExtractedText, ExtractionError, extract
from finsam_pipeline.ingest import DEFAULT_MAX_BYTES, SourceFile, discover
from finsam_pipeline.parse import ParsedReport, parse_report
from finsam_pipeline.quality import failed_structural, validate
from finsam_pipeline.warehouse import (
    DocumentLoad,
    LoadSummary,
    duplicate_document_id,
    load,
    loaded_hashes,
)


@dataclass
class ReadBatch:
    texts: list[ExtractedText] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)  # document rows of unreadable files
    unchanged: list[str] = field(default_factory=list)  # file names already loaded as they are


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


def read_step(paths: Sequence[Path | str], warehouse: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadBatch:
    """Read every file; unchanged ones are skipped before any parsing."""
    known = loaded_hashes(warehouse)
    batch = ReadBatch()
    seen_in_batch: dict[str, str] = {}
    for path in discover(paths):
        source = SourceFile(path=path, content=path.read_bytes())
        if known.get(source.sha256) == source.name:
            batch.unchanged.append(source.name)
            continue
        first_name = known.get(source.sha256) or seen_in_batch.get(source.sha256)
        if first_name is not None:
            batch.rejected.append(
                bare_document(
                    source,
                    "duplicate",
                    f"same content as '{first_name}', which is already loaded",
                    duplicate_document_id(source.sha256, source.name),
                )
            )
            continue
        seen_in_batch[source.sha256] = source.name
        try:
            batch.texts.append(extract(source, max_bytes=max_bytes))
        except ExtractionError as error:
            batch.rejected.append(
                bare_document(source.document_id, source.name, source.sha256, "quarantined", error.reason)
            )
    return batch


def parse_step(batch: ReadBatch, show_progress: bool = False) -> list[ParsedReport]:
    """Parse each text; a parser failure quarantines that file alone, never the batch."""
    from tqdm import tqdm

    reports = []
    progress = tqdm(batch.texts, desc="parsing", unit="file", disable=not show_progress or len(batch.texts) < 10)
    for text in progress:
        try:
            reports.append(parse_report(text))
        except Exception as error:  # the rest of the batch must still load
            reason = f"the parser failed on this file ({type(error).__name__}: {error}); please report it"
            batch.rejected.append(
                bare_document(
                    text.document_id,
                    text.source_file,
                    text.sha256,
                    "quarantined",
                    reason,
                    page_count=text.page_count,
                    line_count=len(text.lines),
                    encoding=text.encoding,
                )
            )
    return reports


def validate_step(reports: Sequence[ParsedReport], read: ReadBatch) -> ValidatedBatch:
    """Run every check; documents failing a structural check are quarantined whole."""
    quality = validate(reports)
    broken = failed_structural(quality)
    loads = []
    for report in reports:
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
    loads.extend(DocumentLoad(doc, {"quality_results": empty}) for doc in read.rejected)
    return ValidatedBatch(loads=loads, quality=quality, unchanged=read.unchanged)


def load_step(warehouse: Path, batch: ValidatedBatch) -> LoadSummary:
    return load(warehouse, batch.loads)
