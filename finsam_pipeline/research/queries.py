"""What researchers run against the published warehouse: safe queries, exports, the data dictionary.

`finsam query` opens the warehouse read-only with external access disabled and the
configuration locked, so a query can neither change the national record nor reach
other files; each refused kind of statement gets its own plain message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from finsam_pipeline.parse.schemas import TABLE_SCHEMAS
from finsam_pipeline.warehouse import ARCHIVE_SCHEMA, create_schema

CONTRACT_TABLES = ("documents", *TABLE_SCHEMAS, "quality_results", "kommuner", "lan", "forbund", "forbund_members")
CONTRACT_VIEWS = ("forbund_year", "national_year", "coverage")
ARCHIVE_TABLES = tuple(f"{ARCHIVE_SCHEMA}.{table}" for table in TABLE_SCHEMAS)  # superseded documents' rows

_REFUSALS = {
    "INSERT": "writes are refused: the warehouse is read-only for queries (load reports with finsam ingest)",
    "UPDATE": "writes are refused: the warehouse is read-only for queries (load reports with finsam ingest)",
    "DELETE": "writes are refused: the warehouse is read-only for queries (load reports with finsam ingest)",
    "CREATE": "creating tables or views is refused: the warehouse is read-only for queries",
    "DROP": "dropping is refused: the warehouse is read-only for queries",
    "ALTER": "altering is refused: the warehouse is read-only for queries",
    "COPY": "COPY is refused: use finsam export --format parquet|csv --out DIR to take data elsewhere",
    "EXPORT": "EXPORT DATABASE is refused: use finsam export --format parquet|csv --out DIR",
    "ATTACH": "ATTACH is refused: a query may only read this warehouse",
    "DETACH": "DETACH is refused: a query may only read this warehouse",
    "LOAD": "INSTALL and LOAD of extensions are refused",
    "EXTENSION": "INSTALL and LOAD of extensions are refused",
    "SET": "changing settings is refused",
    "VARIABLE_SET": "changing settings is refused",
    "PRAGMA": "PRAGMA statements are refused",
    "TRANSACTION": "transactions are not needed for reading and are refused",
    "CALL": "CALL is refused: only SELECT queries are allowed",
}
_ALLOWED = {"SELECT", "EXPLAIN", "RELATION"}


class QueryRefused(Exception):
    """A statement `finsam query` will not run; the message says why in plain words."""


def read_only_connection(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run finsam ingest first")
    con = duckdb.connect(str(warehouse), read_only=True, config={"enable_external_access": "false"})
    con.execute("SET lock_configuration = true")
    return con


def check_query(sql: str) -> None:
    """Refuse anything but reading, before DuckDB sees it, with a message per kind of statement."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryRefused(f"the query could not be read: {error}") from error
    if not statements:
        raise QueryRefused("the query is empty")
    for statement in statements:
        kind = statement.type.name
        if kind not in _ALLOWED:
            raise QueryRefused(_REFUSALS.get(kind, f"{kind} statements are refused: only SELECT queries are allowed"))
    if len(statements) > 1:
        raise QueryRefused(f"one statement at a time: the query holds {len(statements)}; run each on its own")


def fetch_frame(con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
    """A query's result with its column types kept (through Arrow), fetched completely."""
    frame = pl.from_arrow(con.sql(sql).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def run_query(warehouse: Path, sql: str) -> pl.DataFrame:
    check_query(sql)
    con = read_only_connection(warehouse)
    try:
        return fetch_frame(con, sql)
    except duckdb.PermissionException as error:
        raise QueryRefused(
            f"refused by the read-only warehouse: reading other files or writing is not allowed ({error})"
        ) from error
    except duckdb.Error as error:
        raise QueryRefused(f"the query failed: {error}") from error
    finally:
        con.close()


def format_result(frame: pl.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return frame.write_csv()
    if fmt == "json":
        return json.dumps(frame.to_dicts(), ensure_ascii=False, default=str, indent=2)
    with pl.Config(tbl_rows=200, tbl_cols=40, fmt_str_lengths=80, tbl_width_chars=200):
        return str(frame)


@dataclass(frozen=True)
class ExportSummary:
    folder: Path
    files: dict[str, int]  # file name -> rows


def export(warehouse: Path, out: Path, fmt: str) -> ExportSummary:
    """Every contract table and view, and the archive of superseded versions (files `archive.<table>`), to `out`
    (Parquet keeps the types), with a README naming the source."""
    if fmt not in ("parquet", "csv"):
        raise ValueError("format must be parquet or csv")
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    files: dict[str, int] = {}
    try:
        for name in (*CONTRACT_TABLES, *CONTRACT_VIEWS, *ARCHIVE_TABLES):
            target = out / f"{name}.{fmt}"
            options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
            path = str(target).replace("'", "''")
            con.execute(f"COPY (SELECT * FROM {name}) TO '{path}' ({options})")
            files[target.name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        documents = con.execute("SELECT count(*) FROM documents WHERE status = 'loaded'").fetchone()[0]
    finally:
        con.close()
    lines = [
        "# Finsam warehouse export",
        "",
        f"- Source: `{warehouse.resolve()}`",
        f"- Exported: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Format: {fmt}; loaded documents: {documents}",
        "- Columns and meanings: `docs/warehouse.md` in the finsam-pipeline repository.",
        "",
        "| file | rows |",
        "|---|---|",
        *[f"| {name} | {rows} |" for name, rows in files.items()],
        "",
    ]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")
    return ExportSummary(folder=out, files=files)


def data_dictionary() -> str:
    """docs/warehouse.md, generated from the DDL's COMMENT ON statements so it never drifts."""
    con = duckdb.connect(":memory:")
    try:
        create_schema(con)
        qualified = "CASE WHEN schema_name = 'main' THEN '' ELSE schema_name || '.' END || "
        objects = con.execute(
            f"SELECT {qualified} table_name, comment, 'table', schema_name <> 'main' FROM duckdb_tables() UNION ALL "
            f"SELECT {qualified} view_name, comment, 'view', false FROM duckdb_views() WHERE NOT internal "
            "ORDER BY 4, 3, 1"
        ).fetchall()
        columns = con.execute(
            f"SELECT {qualified} table_name, column_name, data_type, comment, column_index FROM duckdb_columns() "
            "WHERE NOT internal ORDER BY 1, column_index"
        ).fetchall()
    finally:
        con.close()
    lines = [
        "# The warehouse: tables, views and columns",
        "",
        "Generated from the `COMMENT ON` statements in `assets/sql/*.sql` by `finsam docs`; do not edit.",
        "",
    ]
    for name, comment, kind, _ in objects:
        lines += [f"## {name} ({kind})", "", comment or "", "", "| column | type | meaning |", "|---|---|---|"]
        for table, column, data_type, column_comment, _ in columns:
            if table == name:
                lines.append(f"| {column} | {data_type} | {(column_comment or '').replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)
