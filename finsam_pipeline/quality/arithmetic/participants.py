"""Participants: women and men add up to the total, for interventions and for how they left."""

from __future__ import annotations

from collections.abc import Iterator

from finsam_pipeline.quality.arithmetic.common import compare
from finsam_pipeline.quality.registry import ARITHMETIC, WARNING, CheckedReport, Outcome, check

# table, name column, total, women, men
_COUNTED = (
    ("interventions", "name", "participants_total", "participants_women", "participants_men"),
    ("intervention_outcomes", "intervention", "persons", "women", "men"),
)


@check(
    "women_and_men_add_up",
    severity=WARNING,
    description="women + men = total participants",
    family=ARITHMETIC,
)
def women_and_men_add_up(report: CheckedReport) -> Iterator[Outcome | None]:
    """Every row that states all three counts."""
    for table, name, total, women, men in _COUNTED:
        for row in report.rows(table):
            if row[total] is None or row[women] is None or row[men] is None:
                continue
            label = row[name] if table == "interventions" else f"{row[name]} ({row['outcome']})"
            yield compare(
                row["fiscal_year"],
                row[women] + row[men],
                row[total],
                f"{label}: women + men against total",
                row["source_line"],
            )
