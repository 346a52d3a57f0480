"""The notes (Noter): their lines against their Summa, their totals against the statements."""

from __future__ import annotations

from collections.abc import Iterator

from finsam_pipeline.quality.arithmetic.common import compare
from finsam_pipeline.quality.registry import ARITHMETIC, WARNING, CheckedReport, Outcome, check, grouped


def _notes(report: CheckedReport) -> list[tuple[int, int, list[dict]]]:
    """(note_no, fiscal_year, the note's lines in reading order) for each note and year."""
    groups = grouped(report.rows("note_lines"), "note_no", "fiscal_year")
    return [(note_no, year, sorted(group, key=lambda r: r["source_line"])) for (note_no, year), group in groups.items()]


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
        explained = [row for row in report.facts if row["note_no"] == note_no and row["fiscal_year"] == year]
        if total is None or not explained:
            continue
        labels = ", ".join(sorted({row["label"] for row in explained}))
        yield compare(
            year,
            abs(total),
            sum(abs(row["amount_sek"]) for row in explained),
            f"note {note_no} total against statement line(s) {labels}",
        )
