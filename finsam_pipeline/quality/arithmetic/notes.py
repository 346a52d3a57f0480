"""The notes (Noter): their lines against their Summa, their totals against the statements."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from finsam_pipeline.quality.arithmetic.common import compare
from finsam_pipeline.quality.registry import ARITHMETIC, WARNING, CheckedReport, Outcome, check


def _notes(report: CheckedReport) -> list[tuple[int, int, list[dict]]]:
    """(note_no, fiscal_year, the note's lines in reading order) for each note and year."""
    groups = report.notes.group_by(["note_no", "fiscal_year"], maintain_order=True)
    return [(note_no, year, group.sort("source_line").to_dicts()) for (note_no, year), group in groups]


@check(
    "note_items_sum_to_note_total",
    severity=WARNING,
    description="a note's lines add up to its Summa",
    family=ARITHMETIC,
)
def note_items_sum_to_note_total(report: CheckedReport) -> Iterator[Outcome | None]:
    """Lines since the last Summa against the next one; a Summa after only sub-totals against their sum.

    A note with a value left out inside it (or just below it) is not summed: its lines are incomplete.
    """
    left_out_lines = {i.source_line for i in report.issues if i.check_name == "value_left_out"}
    for note_no, year, rows in report.once(_notes):
        first_line, last_line = rows[0]["source_line"], rows[-1]["source_line"]
        if any(first_line <= line <= last_line + 1 for line in left_out_lines if line):
            continue
        subtotals: list[int] = []
        items: list[int] = []
        for row in rows:
            if not row["is_total"]:
                items.append(row["amount_sek"])
                continue
            if items:
                yield compare(
                    year,
                    sum(items),
                    row["amount_sek"],
                    f"note {note_no}: sum of lines against '{row['label']}'",
                    row["source_line"],
                )
            elif subtotals:
                yield compare(
                    year,
                    sum(subtotals),
                    row["amount_sek"],
                    f"note {note_no}: sum of sub-totals against the total",
                    row["source_line"],
                )
            subtotals.append(row["amount_sek"])
            items = []


@check(
    "note_total_matches_statement",
    severity=WARNING,
    description="a note's total equals the statement line(s) it explains",
    family=ARITHMETIC,
)
def note_total_matches_statement(report: CheckedReport) -> Iterator[Outcome | None]:
    """The note's last Summa against the statement lines that refer to the note, amounts unsigned."""
    for note_no, year, rows in report.once(_notes):
        total = next((row["amount_sek"] for row in reversed(rows) if row["is_total"]), None)
        explained = report.facts.filter((pl.col("note_no") == note_no) & (pl.col("fiscal_year") == year))
        if total is None or not explained.height:
            continue
        labels = ", ".join(sorted(set(explained["label"].to_list())))
        yield compare(
            year,
            abs(total),
            sum(abs(a) for a in explained["amount_sek"].to_list()),
            f"note {note_no} total against statement line(s) {labels}",
        )
