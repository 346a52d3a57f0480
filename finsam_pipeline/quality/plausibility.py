"""Plausibility: figures no samordningsförbund can report (errors: the document is held back)."""

from __future__ import annotations

from collections.abc import Iterator

from finsam_pipeline.parse.numbers import group_thousands
from finsam_pipeline.quality.registry import ERROR, PLAUSIBILITY, CheckedReport, Outcome, check

PLAUSIBLE_REVENUE_SEK = (100_000, 1_000_000_000)
"""The smallest and largest yearly revenue (kr) a samordningsförbund can plausibly report.

Revenue is almost all member money: the state pays half, the region and the
municipalities the other half. The smallest förbund turn over a few million kronor a
year, the largest some tens of millions, and all ~75 together well under one billion.
A revenue below 100 000 kr or above 1 000 000 000 kr is therefore not a small or a big
förbund but a misread unit: a table printed in tkr read as kronor (1 000 times too
small) or kronor scaled as tkr (1 000 times too large). Such a document is held back
rather than loaded with numbers off by three orders of magnitude.
"""
REVENUE_LINES = ("member_contributions", "other_revenue")  # summed when no revenue_total is printed


@check(
    "revenue_plausible_scale",
    severity=ERROR,
    description="the year's revenue lies between 100 000 and 1 000 000 000 kr",
    family=PLAUSIBILITY,
    needs_facts=True,
    when_nothing="the income statement has no revenue line (revenue_total, or member_contributions with other_revenue)",
)
def revenue_plausible_scale(report: CheckedReport) -> Iterator[Outcome]:
    """Each year's revenue against PLAUSIBLE_REVENUE_SEK: outside it, a unit was misread."""
    low, high = PLAUSIBLE_REVENUE_SEK
    bounds = f"{group_thousands(low)}–{group_thousands(high)} kr"
    income = [row for row in report.facts if row["statement"] == "income"]
    for year in sorted({row["fiscal_year"] for row in report.facts} - {None}):
        lines = [row for row in income if row["fiscal_year"] == year]
        total = [row for row in lines if row["line_code"] == "revenue_total"]
        if not total:
            total = [row for row in lines if row["line_code"] in REVENUE_LINES]
        if not any(row["line_code"] in ("revenue_total", "member_contributions") for row in total):
            continue  # other revenue alone is no year's revenue: the members' money was left out, not misread
        revenue = sum(row["amount_sek"] for row in total if row["amount_sek"] is not None)
        if revenue == 0 and year != report.report.document["fiscal_year"]:
            continue  # a comparison year without revenue (`–` before the förbund began) is no unit misread
        passed = low <= revenue <= high
        message = f"revenue {group_thousands(revenue)} kr for {year} is {'within' if passed else 'outside'} the "
        message += f"plausible {bounds}" + ("" if passed else ": unit misread?")
        line = min((row["source_line"] for row in total if row.get("source_line") is not None), default=None)
        yield Outcome(passed, str(revenue), bounds, message, fiscal_year=year, source_line=line)
