"""Column names and types of every table a report's rows go into, read from the warehouse DDL.

`assets/sql/schema.sql` is the one source: each `CREATE TABLE` there (and any later
`ALTER TABLE … ADD COLUMN`) gives a Polars schema here, column for column, in DDL order,
with DuckDB types mapped to Polars types (`DUCKDB_TO_POLARS`). The DDL is read with a small
parser rather than by running it in DuckDB, so parsing needs no database (tests/parse/test_schemas.py
proves the result equals what DuckDB itself creates from the same file).

Two honest differences between a frame and its table:

- load-time columns (`LOAD_TIME_COLUMNS`): the warehouse stamps `documents.loaded_at` and
  `quality_results.checked_at` when it writes a batch, and `documents.source_url` and
  `fetched_at` from the fetcher's state file (provenance); no parser or check produces them, so
  the frames leave them out;
- the content parsers return rows without `document_id`, `forbund_id` (and for some tables
  `fiscal_year`); `parse_report` adds them as constants, so every frame carries every other
  contract column.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from finsam_pipeline.parse.vocabulary import SQL_DIR

SCHEMA_SQL = SQL_DIR / "schema.sql"

DUCKDB_TO_POLARS: dict[str, pl.DataType | type[pl.DataType]] = {
    "VARCHAR": pl.String,
    "INTEGER": pl.Int32,
    "BIGINT": pl.Int64,
    "DOUBLE": pl.Float64,
    "BOOLEAN": pl.Boolean,
    "DATE": pl.Date,
    "TIMESTAMP": pl.Datetime("us"),
}
# Columns the warehouse fills when it writes (warehouse.load), never a parser or a check.
LOAD_TIME_COLUMNS = {"documents": ("loaded_at", "source_url", "fetched_at"), "quality_results": ("checked_at",)}
DOCUMENTS_TABLE, QUALITY_TABLE = "documents", "quality_results"
# Tables filled per document, in load order; `quality_results` is added by validation.
CONTENT_TABLES = (
    "financial_facts",
    "note_lines",
    "key_figures",
    "member_contributions",
    "board_members",
    "budget_lines",
    "interventions",
    "intervention_outcomes",
    "indicator_results",
    "goals",
)

_CREATE = re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\((.*?)\)\s*;", re.IGNORECASE | re.DOTALL)
_ADD_COLUMN = re.compile(
    r"ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s+(\w+)", re.IGNORECASE
)
_TABLE_CONSTRAINTS = ("PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "CONSTRAINT")


def _split_top_level(body: str) -> list[str]:
    """The comma-separated parts of a column list, commas inside parentheses kept (DECIMAL(18, 2))."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(body):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(body[start:index])
            start = index + 1
    return [*parts, body[start:]]


def _polars_type(table: str, column: str, sql_type: str) -> pl.DataType | type[pl.DataType]:
    try:
        return DUCKDB_TO_POLARS[sql_type.upper()]
    except KeyError:
        raise ValueError(f"{table}.{column}: DuckDB type {sql_type} has no Polars type in DUCKDB_TO_POLARS") from None


def ddl_columns(sql: str) -> dict[str, dict[str, pl.DataType | type[pl.DataType]]]:
    """Table -> column -> Polars type, from CREATE TABLE and ALTER TABLE … ADD COLUMN statements."""
    sql = re.sub(r"--[^\n]*", "", sql)
    tables: dict[str, dict[str, pl.DataType | type[pl.DataType]]] = {}
    for match in _CREATE.finditer(sql):
        table, columns = match.group(1).lower(), {}
        for part in _split_top_level(match.group(2)):
            words = part.split()
            if not words or words[0].upper() in _TABLE_CONSTRAINTS:
                continue
            name, sql_type = words[0].lower(), re.match(r"\w+", words[1]).group(0)
            columns[name] = _polars_type(table, name, sql_type)
        tables[table] = columns
    for table, column, sql_type in _ADD_COLUMN.findall(sql):
        tables[table.lower()][column.lower()] = _polars_type(table, column, sql_type)
    return tables


def frame_schemas(path: Path = SCHEMA_SQL) -> dict[str, dict[str, pl.DataType | type[pl.DataType]]]:
    """Each table's frame schema: its DDL columns less the load-time ones."""
    tables = ddl_columns(path.read_text(encoding="utf-8"))
    for table, columns in LOAD_TIME_COLUMNS.items():
        missing = [c for c in columns if c not in tables[table]]
        if missing:
            raise ValueError(f"load-time column(s) {missing} are not in {table} in {path.name}")
    return {
        table: {c: t for c, t in columns.items() if c not in LOAD_TIME_COLUMNS.get(table, ())}
        for table, columns in tables.items()
    }


FRAME_SCHEMAS = frame_schemas()

DOCUMENT_SCHEMA = FRAME_SCHEMAS[DOCUMENTS_TABLE]
QUALITY_SCHEMA = FRAME_SCHEMAS[QUALITY_TABLE]
TABLE_SCHEMAS = {table: FRAME_SCHEMAS[table] for table in CONTENT_TABLES}

FACT_SCHEMA = TABLE_SCHEMAS["financial_facts"]
NOTE_SCHEMA = TABLE_SCHEMAS["note_lines"]
KEY_FIGURE_SCHEMA = TABLE_SCHEMAS["key_figures"]
CONTRIBUTION_SCHEMA = TABLE_SCHEMAS["member_contributions"]
BOARD_SCHEMA = TABLE_SCHEMAS["board_members"]
BUDGET_SCHEMA = TABLE_SCHEMAS["budget_lines"]
INTERVENTION_SCHEMA = TABLE_SCHEMAS["interventions"]
OUTCOME_SCHEMA = TABLE_SCHEMAS["intervention_outcomes"]
INDICATOR_SCHEMA = TABLE_SCHEMAS["indicator_results"]
GOAL_SCHEMA = TABLE_SCHEMAS["goals"]
