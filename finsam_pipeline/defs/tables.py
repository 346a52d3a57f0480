"""The warehouse's tables and views as data products: one asset each, described by the DDL.

Every table and view in `assets/sql/*.sql` is an asset with the description and column schema
its `COMMENT ON` statements give (read from DuckDB's catalog of the DDL, like `finsam docs`):
the document tables (rows per report, downstream of `reports`), the reference tables (official
codes and the förbund registry) and the researcher views (downstream of the tables they read).
They are produced by the load itself, not by an op of their own: after `load_reports` publishes
the warehouse it records each one's materialization with its row count and its column schema as
the published warehouse holds them (`information_schema`, comments included).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
from dagster import (
    AssetKey,
    AssetMaterialization,
    AssetSpec,
    MetadataValue,
    TableColumn,
    TableColumnConstraints,
    TableSchema,
)

from finsam_pipeline.defs.checks import REPORTS
from finsam_pipeline.warehouse import DOCUMENT_TABLES, create_schema

DOCUMENT_GROUP, REFERENCE_GROUP, VIEW_GROUP = "warehouse", "reference", "research_views"


@dataclass(frozen=True)
class WarehouseObject:
    """A table or view of the warehouse's main schema, as DuckDB's catalog describes it."""

    name: str
    kind: str  # table or view
    comment: str
    columns: tuple[tuple[str, str, bool, str | None], ...]  # name, type, nullable, comment
    reads: frozenset[str] = frozenset()  # for a view: the tables and views it selects from

    def column_schema(self) -> TableSchema:
        return TableSchema(
            columns=[
                TableColumn(
                    name=name,
                    type=data_type,
                    description=comment,
                    constraints=TableColumnConstraints(nullable=nullable),
                )
                for name, data_type, nullable, comment in self.columns
            ]
        )


def describe(con: duckdb.DuckDBPyConnection) -> dict[str, WarehouseObject]:
    """The main schema's tables and views with their comments and columns, from DuckDB's catalog."""
    objects = con.execute(
        "SELECT table_name, 'table', comment, NULL FROM duckdb_tables() "
        "WHERE schema_name = 'main' AND database_name = current_database() UNION ALL "
        "SELECT view_name, 'view', comment, sql FROM duckdb_views() "
        "WHERE NOT internal AND schema_name = 'main' AND database_name = current_database() ORDER BY 2, 1"
    ).fetchall()
    columns: dict[str, list[tuple[str, str, bool, str | None]]] = {}
    for table, column, data_type, nullable, comment in con.execute(
        "SELECT table_name, column_name, data_type, is_nullable, comment FROM duckdb_columns() "
        "WHERE schema_name = 'main' AND database_name = current_database() ORDER BY table_name, column_index"
    ).fetchall():
        columns.setdefault(table, []).append((column, data_type, bool(nullable), comment or None))
    names = {name for name, *_ in objects}
    return {
        name: WarehouseObject(
            name=name,
            kind=kind,
            comment=comment or "",
            columns=tuple(columns.get(name, ())),
            reads=frozenset(n for n in names if n != name and sql and re.search(rf"\b{n}\b", sql)),
        )
        for name, kind, comment, sql in objects
    }


def _catalog() -> dict[str, WarehouseObject]:
    """The objects the DDL creates, described from an empty in-memory warehouse."""
    con = duckdb.connect(":memory:")
    try:
        create_schema(con)
        return describe(con)
    finally:
        con.close()


CATALOG = _catalog()


def _group(item: WarehouseObject) -> str:
    if item.kind == "view":
        return VIEW_GROUP
    return DOCUMENT_GROUP if item.name in {"documents", *DOCUMENT_TABLES} else REFERENCE_GROUP


def _deps(item: WarehouseObject) -> list[AssetKey]:
    if item.kind == "view":
        return [AssetKey(name) for name in sorted(item.reads)]
    return [REPORTS] if _group(item) == DOCUMENT_GROUP else []


# Tables before the views that read them, the order their materializations are recorded in.
ORDER = list(TopologicalSorter({name: item.reads for name, item in sorted(CATALOG.items())}).static_order())
TABLE_SPECS = [
    AssetSpec(
        AssetKey(name),
        description=CATALOG[name].comment or None,
        deps=_deps(CATALOG[name]),
        group_name=_group(CATALOG[name]),
        kinds={"duckdb", CATALOG[name].kind},
        metadata={"dagster/column_schema": CATALOG[name].column_schema(), "dagster/table_name": f"main.{name}"},
    )
    for name in ORDER
]


def table_materializations(con: duckdb.DuckDBPyConnection, path: Path) -> Iterator[AssetMaterialization]:
    """A materialization per table and view of the published warehouse: row count, column schema, comments."""
    published = describe(con)
    for name in ORDER:
        if name in published:
            yield AssetMaterialization(
                asset_key=AssetKey(name),
                description=published[name].comment or None,
                metadata=_table_metadata(con, published[name], path),
            )


def _table_metadata(con: duckdb.DuckDBPyConnection, item: WarehouseObject, path: Path) -> dict:
    metadata = {
        "dagster/row_count": con.execute(f"SELECT count(*) FROM main.{item.name}").fetchone()[0],
        "dagster/column_schema": item.column_schema(),
        "dagster/table_name": f"main.{item.name}",
        "warehouse": MetadataValue.path(str(path)),
    }
    if item.name == "documents":
        for status, count in con.execute("SELECT status, count(*) FROM documents GROUP BY 1 ORDER BY 1").fetchall():
            metadata[f"documents_{status}"] = count
        latest = con.execute(
            "SELECT count(*), max(loaded_at), sum(coalesce(pages_ocr, 0)) FROM documents "
            "WHERE loaded_at = (SELECT max(loaded_at) FROM documents)"
        ).fetchone()
        metadata["last_load_documents"] = latest[0]
        if latest[1] is not None:
            metadata["last_load_at"] = f"{latest[1]:%Y-%m-%d %H:%M:%S} UTC"
        metadata["last_load_pages_ocr"] = int(latest[2] or 0)  # PDF pages read by OCR in the last load
        metadata["last_load_pages_unreadable"] = con.execute(
            "SELECT count(*) FROM quality_results WHERE check_name = 'page_unreadable' AND NOT passed AND document_id "
            "IN (SELECT document_id FROM documents WHERE loaded_at = (SELECT max(loaded_at) FROM documents))"
        ).fetchone()[0]
    elif item.name == "quality_results":
        failed, skipped = con.execute(
            "SELECT count(*) FILTER (WHERE NOT passed), count(*) FILTER (WHERE passed IS NULL) FROM quality_results"
        ).fetchone()
        metadata.update(checks_failed=failed, checks_not_evaluated=skipped)
    return metadata


TABLES_RECORDED = AssetKey("documents")  # never recorded yet: a run records the tables even if it wrote nothing
