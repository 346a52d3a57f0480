"""The Polars schemas are the DDL's: column for column, type for type, load-time columns named."""

import duckdb
import polars as pl
import pytest

from finsam_pipeline.parse.schemas import (
    CONTENT_TABLES,
    DOCUMENT_SCHEMA,
    DUCKDB_TO_POLARS,
    FRAME_SCHEMAS,
    LOAD_TIME_COLUMNS,
    QUALITY_SCHEMA,
    SCHEMA_SQL,
    TABLE_SCHEMAS,
    ddl_columns,
)
from finsam_pipeline.quality import validate


def _columns(con: duckdb.DuckDBPyConnection, schema: str = "main") -> dict[str, list[tuple[str, object]]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? ORDER BY table_name, ordinal_position",
        [schema],
    ).fetchall()
    tables: dict[str, list[tuple[str, object]]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append((column, DUCKDB_TO_POLARS[data_type]))
    return tables


# Stamped by the load: when a row was written, and where a fetched file came from (finsam fetch) and when.
LOAD_TIME_TYPES = {
    "loaded_at": pl.Datetime("us"),
    "checked_at": pl.Datetime("us"),
    "source_url": pl.String,
    "fetched_at": pl.Datetime("us"),
}


def test_the_ddl_reader_gives_what_duckdb_creates_from_schema_sql():
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    created = _columns(con)
    read = ddl_columns(SCHEMA_SQL.read_text(encoding="utf-8"))
    assert set(read) == set(created)
    for table, columns in created.items():
        assert list(read[table].items()) == columns, table


def test_a_fresh_warehouse_has_exactly_the_frame_columns_plus_the_load_time_columns(tmp_path):
    from finsam_pipeline.warehouse import create_schema

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        create_schema(con)
        created = _columns(con)
    finally:
        con.close()
    for table, schema in FRAME_SCHEMAS.items():
        load_time = LOAD_TIME_COLUMNS.get(table, ())
        assert [(c, t) for c, t in created[table] if c not in load_time] == list(schema.items()), table
        assert [(c, t) for c, t in created[table] if c in load_time] == [(c, LOAD_TIME_TYPES[c]) for c in load_time]


def test_load_time_columns_are_the_only_ddl_columns_no_frame_carries():
    read = ddl_columns(SCHEMA_SQL.read_text(encoding="utf-8"))
    left_out = {t: tuple(c for c in columns if c not in FRAME_SCHEMAS[t]) for t, columns in read.items()}
    assert {t: c for t, c in left_out.items() if c} == LOAD_TIME_COLUMNS
    assert [c for c in read["documents"] if c not in DOCUMENT_SCHEMA] == ["loaded_at", "source_url", "fetched_at"]
    assert [c for c in read["quality_results"] if c not in QUALITY_SCHEMA] == ["checked_at"]


def test_every_table_of_schema_sql_is_filled_per_document_or_is_documents_or_quality_results():
    assert set(FRAME_SCHEMAS) == {"documents", "quality_results", *CONTENT_TABLES}
    assert list(TABLE_SCHEMAS) == list(CONTENT_TABLES)
    for table, schema in TABLE_SCHEMAS.items():  # what parse_report adds to every content parser's rows
        assert {"document_id", "forbund_id", "fiscal_year", "source_line"} <= set(schema), table


def test_parsed_reports_and_checks_produce_frames_of_exactly_the_contract_schemas(seed_reports):
    for report in seed_reports.values():
        assert set(report.document) == set(DOCUMENT_SCHEMA)
        assert list(report.tables) == list(TABLE_SCHEMAS)
        for table, frame in report.tables.items():
            assert frame.schema == pl.Schema(TABLE_SCHEMAS[table]), table
    assert validate(list(seed_reports.values())).schema == pl.Schema(QUALITY_SCHEMA)


def test_the_reader_skips_comments_and_table_constraints_and_follows_added_columns():
    sql = """
    -- CREATE TABLE ignored (x VARCHAR);
    CREATE TABLE IF NOT EXISTS t (
        id     VARCHAR NOT NULL,  -- the key
        amount BIGINT,
        ratio  DOUBLE DEFAULT 0.0,
        PRIMARY KEY (id)
    );
    CREATE TABLE u (day DATE, flag BOOLEAN);
    ALTER TABLE t ADD COLUMN IF NOT EXISTS year INTEGER;
    """
    assert ddl_columns(sql) == {
        "t": {"id": pl.String, "amount": pl.Int64, "ratio": pl.Float64, "year": pl.Int32},
        "u": {"day": pl.Date, "flag": pl.Boolean},
    }


def test_a_type_without_a_polars_type_is_refused_by_name():
    with pytest.raises(ValueError, match=r"t\.price: DuckDB type DECIMAL"):
        ddl_columns("CREATE TABLE t (price DECIMAL(18, 2), name VARCHAR);")
