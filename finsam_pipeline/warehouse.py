"""Loading into the DuckDB warehouse: all of a batch or nothing, readers never blocked.

A load works on a staging copy of the warehouse, writes it in chunks of documents (one
transaction each, so memory stays flat however large the batch) and, once the last chunk
and the checks across documents are committed and checkpointed, renames it over the
published file. Researchers holding the published file open keep reading the old state and
never block the writer; a crash at any moment leaves the published file as it was. One
writer at a time is enforced with a lock file beside the warehouse.

No report is lost: a version supersedes another only when both name the same förbund
(same `forbund_id` and the same own name), type and year, and both name it on strong evidence
(a known organisation number, or the name printed as the report's title); the older version's
rows move to the `archive` schema. A report whose förbund is a weak guess (prose only, one
running header: the parser's `forbund_uncertain` warning) never supersedes and is never
superseded, so a misattributed report cannot remove another. Weaker resemblances, and reports
of one förbund, type and year kept apart this way, leave both loaded and flag each with a
`possible_duplicate_report` warning (assets/sql/cross_document_checks.sql).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from finsam_pipeline.parse.schemas import DOCUMENT_SCHEMA, TABLE_SCHEMAS
from finsam_pipeline.parse.vocabulary import REFERENCE_DIR, SQL_DIR

DEFAULT_WAREHOUSE = Path("data/warehouse/finsam.duckdb")
DOCUMENT_TABLES = (*TABLE_SCHEMAS, "quality_results")
ARCHIVE_SCHEMA = "archive"  # superseded documents' rows, same tables and columns as in main
FORBUND_UNCERTAIN = "forbund_uncertain"  # the parser's flag: the förbund is a guess from weak evidence
Provenance = dict[str, tuple[str, datetime]]  # sha256 -> (URL a fetch downloaded it from, when; UTC)


@dataclass(frozen=True)
class DocumentLoad:
    """Everything the warehouse receives for one file."""

    document: dict
    tables: dict[str, pl.DataFrame]  # the document's rows per table, quality_results included

    @property
    def quality(self) -> pl.DataFrame:
        return self.tables["quality_results"]

    @property
    def forbund_uncertain(self) -> bool:
        """Whether the parser flagged the document's förbund as resting on weak evidence."""
        quality = self.tables.get("quality_results")
        if quality is None or quality.is_empty():
            return False
        flagged = quality.filter((pl.col("check_name") == FORBUND_UNCERTAIN) & (pl.col("passed").not_()))
        return not flagged.is_empty()


@dataclass(frozen=True)
class LoadSummary:
    loaded: list[str]
    unchanged: list[str]
    table_rows: dict[str, int]
    checks: dict[str, tuple[int, int]]  # warehouse-wide check -> (evaluated, failed)


def _execute_script(con: duckdb.DuckDBPyConnection, path: Path, **substitutions: str) -> None:
    script = path.read_text(encoding="utf-8")
    for key, value in substitutions.items():
        script = script.replace(f"${key}", value)
    for statement in script.split(";\n"):
        if statement.strip() and not all(line.strip().startswith("--") for line in statement.strip().splitlines()):
            con.execute(statement)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    _execute_script(con, SQL_DIR / "schema.sql")
    _execute_script(con, SQL_DIR / "archive.sql")
    _mirror_archive_columns(con)
    _execute_script(con, SQL_DIR / "reference.sql", REFERENCE_DIR=str(REFERENCE_DIR).replace("'", "''"))
    _execute_script(con, SQL_DIR / "views.sql")


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _mirror_archive_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Each archive table has its main table's columns (added where main gained some) and their comments."""
    for table in TABLE_SCHEMAS:
        con.execute(f"CREATE TABLE IF NOT EXISTS {ARCHIVE_SCHEMA}.{table} AS FROM main.{table} LIMIT 0")
        columns = con.execute(
            "SELECT schema_name, column_name, data_type, comment FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name IN ('main', ?) AND table_name = ? "
            "ORDER BY column_index",
            [ARCHIVE_SCHEMA, table],
        ).fetchall()
        archived = {name: comment for schema, name, _, comment in columns if schema == ARCHIVE_SCHEMA}
        for schema, name, data_type, comment in columns:
            if schema != "main":
                continue
            if name not in archived:
                con.execute(f"ALTER TABLE {ARCHIVE_SCHEMA}.{table} ADD COLUMN {name} {data_type}")
            if comment and archived.get(name) != comment:
                con.execute(f"COMMENT ON COLUMN {ARCHIVE_SCHEMA}.{table}.{name} IS {_quoted(comment)}")


@contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def staged_connection(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a private copy that replaces `path` atomically on success."""
    with writer_lock(path):
        staging = path.with_name(path.name + ".staging")
        staging.unlink(missing_ok=True)
        if path.exists():
            shutil.copy2(path, staging)
        con = duckdb.connect(str(staging))
        try:
            yield con
            con.execute("CHECKPOINT")
        except BaseException:
            con.close()
            staging.unlink(missing_ok=True)
            raise
        con.close()
        os.replace(staging, path)


def loaded_hashes(path: Path) -> dict[str, dict[str, str]]:
    """sha256 -> {source_file: status} of every file the published warehouse has on record."""
    if not path.exists():
        return {}
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "documents" not in tables:
            return {}
        known: dict[str, dict[str, str]] = {}
        for sha256, source_file, status in con.execute("SELECT sha256, source_file, status FROM documents").fetchall():
            known.setdefault(sha256, {})[source_file] = status
        return known
    finally:
        con.close()


def _supersede(con: duckdb.DuckDBPyConnection, reasons: dict[str, str]) -> None:
    """Keep older versions on record, their rows moved from the tables researchers query to the archive."""
    if not reasons:
        return
    ids = sorted(reasons)
    con.executemany(
        "UPDATE documents SET status = 'superseded', status_reason = ? WHERE document_id = ?",
        [[reasons[document_id], document_id] for document_id in ids],
    )
    for table in TABLE_SCHEMAS:
        selected = f"FROM main.{table} WHERE document_id IN (SELECT unnest(?::VARCHAR[]))"
        con.execute(f"INSERT INTO {ARCHIVE_SCHEMA}.{table} BY NAME SELECT * {selected}", [ids])
        con.execute(f"DELETE {selected}", [ids])


CROSS_DOCUMENT_CHECKS = ("prior_year_matches_own_report", "possible_duplicate_report")


def _check_counts(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    rows = con.execute(
        "SELECT check_name, count(*), count(*) FILTER (WHERE NOT passed) FROM quality_results "
        "WHERE document_id IS NULL OR check_name IN (SELECT unnest(?::VARCHAR[])) GROUP BY check_name",
        [list(CROSS_DOCUMENT_CHECKS)],
    ).fetchall()
    return {name: (evaluated, failed) for name, evaluated, failed in rows}


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {
        table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("documents", *DOCUMENT_TABLES)
    }


def duplicate_document_id(sha256: str, source_file: str) -> str:
    """A second file with known content gets its own id, so both files are on record."""
    return f"{sha256[:16]}-{hashlib.sha1(source_file.encode()).hexdigest()[:6]}"


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    if frame.is_empty():
        return
    arrow_table = frame.to_arrow()  # noqa: F841 (read by DuckDB's replacement scan)
    columns = ", ".join(frame.columns)
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM arrow_table")


def published_summary(path: Path) -> LoadSummary:
    """What the published warehouse holds, for a load that had nothing to write."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return LoadSummary(loaded=[], unchanged=[], table_rows=_counts(con), checks=_check_counts(con))
    finally:
        con.close()


class StagedLoad:
    """One load written in chunks: each chunk of documents in its own transaction on the staging copy.

    The staging copy is published once, by `staged_load`, after `finish`; until then readers see the old
    state, and a crash at any moment leaves the published file as it was. Every chunk is planned against
    what the staging copy holds by then (earlier chunks included), so a chunked load ends in the same
    state as one batch: a version written in an earlier chunk is superseded like one on record.
    """

    def __init__(
        self, con: duckdb.DuckDBPyConnection, now: datetime, provenance: Provenance | None = None
    ) -> None:
        self.con, self.now = con, now
        self.provenance = provenance or {}  # sha256 -> (source_url, fetched_at) of the files a fetch stored
        self.loaded: list[str] = []
        self.unchanged: list[str] = []

    def write(self, batch: Sequence[DocumentLoad]) -> None:
        """Each document's rows replaced, nothing else touched: one DELETE and one INSERT per table."""
        if not batch:
            return
        con, now = self.con, self.now
        con.execute("BEGIN TRANSACTION")
        plan = _plan(_documents_on_record(con), batch)
        replaced = sorted(plan.replaced)
        if replaced:
            archived = [f"{ARCHIVE_SCHEMA}.{table}" for table in TABLE_SCHEMAS]
            for table in (*DOCUMENT_TABLES, *archived, "documents"):
                con.execute(f"DELETE FROM {table} WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [replaced])
        _supersede(con, plan.superseded_on_record)
        documents = [item.document for item in plan.writes]
        _insert(con, "documents", self._documents_frame(documents))
        for table in DOCUMENT_TABLES:
            # a loaded document's rows go to main, a superseded one's to the archive, checks always to main
            targets: dict[str, list[pl.DataFrame]] = {}
            for item in plan.writes:
                frame = item.tables.get(table)
                if frame is None or frame.is_empty():
                    continue
                status = item.document["status"]
                if table == "quality_results" or status == "loaded":
                    targets.setdefault(table, []).append(frame)
                elif status == "superseded":
                    targets.setdefault(f"{ARCHIVE_SCHEMA}.{table}", []).append(frame)
            for target, frames in targets.items():
                combined = pl.concat(frames, how="vertical_relaxed")
                if table == "quality_results":
                    combined = combined.with_columns(checked_at=pl.lit(now))
                _insert(con, target, combined)
        con.execute("COMMIT")
        self.loaded.extend(item.document["document_id"] for item in plan.writes)
        self.unchanged.extend(plan.unchanged)

    def _documents_frame(self, documents: list[dict]) -> pl.DataFrame:
        """The documents rows with their load-time columns: when they were written and, for a fetched file,
        where it was downloaded from and when (NULL for a file dropped into the raw folder by hand)."""
        fetched = [self.provenance.get(doc["sha256"], (None, None)) for doc in documents]
        return pl.DataFrame(documents, schema=DOCUMENT_SCHEMA).with_columns(
            loaded_at=pl.lit(self.now),
            source_url=pl.Series([url for url, _ in fetched], dtype=pl.String),
            fetched_at=pl.Series([when for _, when in fetched], dtype=pl.Datetime("us")),
        )

    def finish(self) -> LoadSummary:
        """The checks across documents, run once over the whole new state, and the counts."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        _execute_script(con, SQL_DIR / "cross_document_checks.sql")
        counts, checks = _counts(con), _check_counts(con)
        con.execute("COMMIT")
        return LoadSummary(loaded=list(self.loaded), unchanged=list(self.unchanged), table_rows=counts, checks=checks)


@contextmanager
def staged_load(path: Path, provenance: Provenance | None = None) -> Iterator[StagedLoad]:
    """A load on the staging copy of `path`, published atomically when the block ends without an error;
    `provenance` (sha256 -> source URL and fetch time) fills `documents.source_url` and `fetched_at`."""
    now = datetime.now(UTC).replace(tzinfo=None)
    with staged_connection(path) as con:
        con.execute("BEGIN TRANSACTION")
        create_schema(con)
        con.execute("COMMIT")
        yield StagedLoad(con, now, provenance)


def load(path: Path, batch: Sequence[DocumentLoad]) -> LoadSummary:
    """Write a batch (one chunk) and publish it: each document's rows replaced, nothing else touched."""
    if not batch and path.exists():
        return published_summary(path)
    with staged_load(path) as staged:
        staged.write(batch)
        summary = staged.finish()
    return summary


@dataclass
class _LoadPlan:
    writes: list[DocumentLoad]  # documents to (re)write, with their final status
    replaced: set[str]  # document ids whose rows are deleted first (rewritten or stale versions of a file)
    superseded_on_record: dict[str, str]  # loaded documents a newer version replaces -> reason
    unchanged: list[str]


def _documents_on_record(con: duckdb.DuckDBPyConnection) -> list[dict]:
    columns = [
        "document_id",
        "sha256",
        "source_file",
        "forbund_id",
        "forbund_name",
        "document_type",
        "fiscal_year",
        "decided_on",
        "status",
    ]
    uncertain = (
        "EXISTS (SELECT 1 FROM quality_results AS q WHERE q.document_id = d.document_id "
        f"AND q.check_name = '{FORBUND_UNCERTAIN}' AND q.passed IS FALSE)"
    )
    selected = ", ".join(f"d.{column}" for column in columns)
    rows = con.execute(f"SELECT {selected}, {uncertain} FROM documents AS d").fetchall()
    return [dict(zip([*columns, FORBUND_UNCERTAIN], row, strict=True)) for row in rows]


def report_key(doc: dict) -> tuple | None:
    """What makes two documents versions of one report: the same förbund (its id and its own name),
    the same type and the same year. Anything weaker never supersedes (see possible_duplicate_report)."""
    if doc["forbund_id"] and doc["forbund_name"] and doc["document_type"] and doc["fiscal_year"]:
        return (doc["forbund_id"], doc["forbund_name"], doc["document_type"], doc["fiscal_year"])
    return None


def _version_key(doc: dict) -> tuple | None:
    """The report key, where the förbund rests on strong evidence; a weak guess is no version of anything."""
    return None if doc.get(FORBUND_UNCERTAIN) else report_key(doc)


def _older_version_of_file(old: dict, new: dict) -> bool:
    """A changed file replaces what its name held before, unless that was another report: a different
    förbund's report under the same file name, or a loaded report the new content cannot stand in for
    (either förbund only a weak guess)."""
    if old["source_file"] != new["source_file"] or old["sha256"] == new["sha256"]:
        return False
    if old["status"] not in ("loaded", "superseded"):
        return True
    return new["status"] == "loaded" and _version_key(old) is not None and _version_key(old) == _version_key(new)


def _plan(on_record: list[dict], batch: Sequence[DocumentLoad]) -> _LoadPlan:
    """Which rows to replace and which versions supersede which, before anything is written."""
    by_id = {doc["document_id"]: doc for doc in on_record}
    plan = _LoadPlan(writes=[], replaced=set(), superseded_on_record={}, unchanged=[])
    current: dict[tuple, dict] = {}  # report key -> the loaded version, on record or in this batch
    for doc in on_record:
        key = _version_key(doc)
        if doc["status"] == "loaded" and key is not None:
            current[key] = doc
    for item in batch:
        doc = dict(item.document)
        existing = by_id.get(doc["document_id"])
        if existing and existing["sha256"] == doc["sha256"] and doc["status"] != "duplicate":
            plan.unchanged.append(doc["document_id"])
            continue
        judged = {**doc, FORBUND_UNCERTAIN: item.forbund_uncertain}
        stale = {d["document_id"] for d in on_record if _older_version_of_file(d, judged)}
        rewritten = stale | {doc["document_id"]}
        plan.replaced |= rewritten
        for key, rival in list(current.items()):
            if rival["document_id"] in rewritten and rival is by_id.get(rival["document_id"]):
                del current[key]  # a version on record that this file replaces anyway
        key = _version_key(judged)
        if doc["status"] == "loaded" and key is not None:
            rival = current.get(key)
            if rival is not None and (rival["decided_on"] or date.min) > (doc["decided_on"] or date.min):
                doc = {
                    **doc,
                    "status": "superseded",
                    "status_reason": f"a newer version of the same report is loaded: '{rival['source_file']}'"
                    f" (decided {rival['decided_on']}); this version's rows are in the archive schema",
                }
            else:
                if rival is not None:
                    decided = f" (decided {doc['decided_on']})" if doc["decided_on"] else ""
                    reason = (
                        f"replaced by a newer version of the same report: '{doc['source_file']}'{decided}; "
                        "this version's rows are in the archive schema"
                    )
                    _supersede_in_plan(plan, rival, reason)
                current[key] = doc
        plan.writes.append(DocumentLoad(document=doc, tables=item.tables))
    return plan


def _supersede_in_plan(plan: _LoadPlan, rival: dict, reason: str) -> None:
    for index, item in enumerate(plan.writes):
        if item.document["document_id"] == rival["document_id"]:  # written in this batch
            plan.writes[index] = DocumentLoad(
                {**item.document, "status": "superseded", "status_reason": reason}, item.tables
            )
            return
    plan.superseded_on_record[rival["document_id"]] = reason
