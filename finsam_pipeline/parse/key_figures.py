"""The multi-year overview (1.1 Översikt över verksamhetens utveckling) as `key_figures` rows."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from functools import cache, lru_cache

from finsam_pipeline.parse.sections import Section
from finsam_pipeline.parse.similarity import Vocabulary
from finsam_pipeline.parse.statements import ParseIssue, best_table
from finsam_pipeline.parse.tables import cells_of, running_units
from finsam_pipeline.parse.vocabulary import key_figure_labels
from finsam_pipeline.read.extract import TextLine
from finsam_pipeline.read.textnorm import fold

_DECIMAL = re.compile(r"(?<![\d,.])[-+]?\d+(?:[.,]\d+)?(?![\d,.])")
_FUZZY_RATIO = 0.85
_NUMBERS_AFTER_LABEL = re.compile(r"\s(?=[-+]?\d)")


@lru_cache(maxsize=10_000)
def metric_for(label: str) -> tuple[str, str] | None:
    """(metric, kind) for a row label, OCR-tolerant; None for rows that are no key figure.

    The first known label with the highest ratio wins; one that cannot reach the threshold is not compared."""
    key = fold(label)
    if key in key_figure_labels():
        return key_figure_labels()[key]
    best, best_ratio = None, 0.0
    for known in _known_labels().within_reach(key, _FUZZY_RATIO):
        ratio = SequenceMatcher(None, key, known).ratio()
        if ratio > best_ratio:
            best, best_ratio = key_figure_labels()[known], ratio
    return best if best_ratio >= _FUZZY_RATIO else None


@cache
def _known_labels() -> Vocabulary:
    return Vocabulary(key_figure_labels())


def _decimals(line: TextLine, label: str, columns: int) -> list[float] | None:
    """Percentages and counts (`63,3%`, `64 %`, `48`) after the label, one per column."""
    cells = cells_of(line.text)
    text = " ".join(cells[1:]) if cells else line.text.strip().replace("|", " ")[len(label) :]
    values = [float(m.replace(",", ".")) for m in _DECIMAL.findall(text.replace("%", " "))]
    return values if len(values) == columns else None


def key_figure_rows(
    lines: Sequence[TextLine], sections: Sequence[Section], note_titles: Mapping[int, str]
) -> tuple[list[dict], list[ParseIssue]]:
    found = best_table(lines, [s for s in sections if s.name == "key_figures"], note_titles, running_units(lines))
    if found is None:
        return [], []
    _, header, rows, unit = found
    years = header.years
    out: list[dict] = []
    issues: list[ParseIssue] = []
    for row in rows:
        label = _NUMBERS_AFTER_LABEL.split(row.label)[0].strip()  # OCR rows keep `64% 76 %` in the label
        metric_kind = metric_for(label)
        if metric_kind is None:
            continue
        metric, kind = metric_kind
        if kind in ("percent", "count"):
            values: Sequence[float | None] | None = _decimals(row.line, label, len(years))
        elif row.problem:
            values = None
        else:
            values = [None if v is None else float(v * unit) for v in row.values or ()]
        if not values:
            issues.append(
                ParseIssue(
                    "value_left_out",
                    f"key figure '{row.label}' left out: {row.problem or 'values do not match the year columns'}",
                    row.line.page,
                    row.line.line_no,
                )
            )
            continue
        for year, value in zip(years, values, strict=True):
            if value is None:
                continue
            if kind == "money_negative":
                value = -abs(value)
            out.append(
                {
                    "fiscal_year": year,
                    "metric": metric,
                    "label": row.label,
                    "value": value,
                    "source_page": row.line.page,
                    "source_line": row.line.line_no,
                }
            )
    return out, issues


# the statement line each money figure of the overview repeats
_STATEMENT_LINE = {"revenue": "revenue_total", "costs": "operating_costs", "net_result": "net_result"}
_UNITS = (1, 1000)  # as read, or a thousandfold: `tkr` stated nowhere the overview's reader could see
_ROUNDING = 0.02  # an overview rounds (`3,6 Mkr` for 3 621 000 kr)


def in_the_statements_unit(rows: list[dict], facts: Sequence[dict]) -> tuple[list[dict], list[ParseIssue]]:
    """The overview's money figures in the unit that makes them equal the income statement where both print a
    year (`Verksamhetens intäkter 22 486` in the overview, 22 486 000 kr in the statement): the report's own
    numbers prove the unit. A figure whose line never meets the statement in that unit (costs counted another
    way) leaves them all in doubt: they are left out and flagged; with no year in common they stay as read."""
    statement = {
        (metric, fact["fiscal_year"]): fact["amount_sek"]
        for fact in facts
        for metric, code in _STATEMENT_LINE.items()
        if fact["statement"] == "income" and fact["line_code"] == code
    }
    money = [row for row in rows if row["metric"] in _STATEMENT_LINE]
    pairs = [
        (row["metric"], row["value"], statement[(row["metric"], row["fiscal_year"])])
        for row in money
        if (row["metric"], row["fiscal_year"]) in statement
        and row["value"]
        and statement[(row["metric"], row["fiscal_year"])]
    ]  # a zero fits every unit: it proves none
    if not pairs:
        return rows, []

    def fits(unit: int, value: float, amount: int) -> bool:
        return abs(value * unit - amount) <= max(unit / 2, _ROUNDING * abs(amount))

    units = [unit for unit in _UNITS if all(fits(unit, value, amount) for _, value, amount in pairs)]
    unit = units[0] if len(units) == 1 else None
    failing = {row["metric"] for row in money} if unit is None else set()
    kept = [
        {**row, "value": row["value"] * unit} if row in money and unit else row
        for row in rows
        if row["metric"] not in failing
    ]
    if unit is not None:
        return kept, []
    issue = ParseIssue(
        "value_left_out",
        "key figures: the multi-year overview's money figures do not all equal the income statement in one unit "
        f"({len(pairs)} year(s) compared): {', '.join(sorted(failing))} left out",
        money[0]["source_page"],
        money[0]["source_line"],
    )
    return kept, [issue]
