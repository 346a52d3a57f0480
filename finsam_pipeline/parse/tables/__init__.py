"""Tables read from text: a header's columns and their roles, rows of cells and amounts, units.

`header` reads a header line into columns (year, role, unit); `header_lines` joins headers printed
over more than one line; `rows` reads a row's label, note and amounts under a header; `units`
finds the unit (kr, tkr, Mkr) a table is printed in; `table` reads a whole table from its header
down.
"""

from finsam_pipeline.parse.tables.cells import cells_of, is_pipe_row, split_label
from finsam_pipeline.parse.tables.header import TableHeader, read_header
from finsam_pipeline.parse.tables.header_lines import is_header_text, join_wrapped_header, with_stacked_headers
from finsam_pipeline.parse.tables.rows import TableRow, is_total_label, resolve_by_totals
from finsam_pipeline.parse.tables.table import read_table, section_table_lines
from finsam_pipeline.parse.tables.units import declared_unit, running_units, section_unit, stated_unit, unit_of

__all__ = [
    "TableHeader",
    "TableRow",
    "cells_of",
    "declared_unit",
    "is_header_text",
    "is_pipe_row",
    "is_total_label",
    "join_wrapped_header",
    "read_header",
    "read_table",
    "resolve_by_totals",
    "running_units",
    "section_table_lines",
    "section_unit",
    "split_label",
    "stated_unit",
    "unit_of",
    "with_stacked_headers",
]
