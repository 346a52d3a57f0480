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


def bare_document(source: SourceFile, status: str, reason: str, document_id: str | None = None) -> dict:
    return {
        "document_id": document_id or source.document_id,
        "source_file": source.name,
        "sha256": source.sha256,
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
            batch.rejected.append(bare_document(source, "quarantined", error.reason))
    return batch


def parse_step(batch: ReadBatch) -> list[ParsedReport]:
    return [parse_report(text) for text in batch.texts]


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
                facts=report.facts,
                notes=report.notes,
                quality=quality.filter(pl.col("document_id") == report.document_id),
            )
        )
    empty = quality.clear()
    loads.extend(DocumentLoad(doc, pl.DataFrame(), pl.DataFrame(), empty) for doc in read.rejected)
    return ValidatedBatch(loads=loads, quality=quality, unchanged=read.unchanged)


def load_step(warehouse: Path, batch: ValidatedBatch) -> LoadSummary:
    return load(warehouse, batch.loads)
