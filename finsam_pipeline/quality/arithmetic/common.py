"""What the arithmetic checks share: statement amounts looked up by code, one comparison rule."""

from __future__ import annotations

from collections.abc import Iterable

from finsam_pipeline.parse.numbers import group_thousands
from finsam_pipeline.quality.registry import Outcome

TOLERANCE_SEK = 0  # reports print whole kronor; any difference is a real inconsistency
ROUNDED_SEK = 500  # a tkr figure may be off by half a thousand kronor from the exact amount

Amounts = dict[tuple[str, str, int], int]  # (statement, line_code, fiscal_year) -> amount_sek


def first(values: Amounts, *keys: tuple[str, str, int]) -> int | None:
    return next((values[k] for k in keys if k in values), None)


def sum_present(values: Amounts, keys: Iterable[tuple[str, str, int]]) -> int | None:
    present = [values[k] for k in keys if k in values]
    return sum(present) if present else None


def equity_lines(values: Amounts, year: int) -> int | None:
    """Equity as the sum of its lines, for reports that print no total."""
    return sum_present(values, [("balance", c, year) for c in ("equity_net_result", "equity_other", "equity_transfer")])


def equity(values: Amounts, year: int) -> int | None:
    """Total equity as printed, else the sum of its lines."""
    total = first(values, ("balance", "equity_total", year))
    return total if total is not None else equity_lines(values, year)


def revenue(values: Amounts, year: int) -> int | None:
    """Revenue as printed, else member contributions + other revenue."""
    total = first(values, ("income", "revenue_total", year))
    if total is not None:
        return total
    return sum_present(values, [("income", c, year) for c in ("member_contributions", "other_revenue")])


def compare(
    year: int, observed: int | None, expected: int | None, detail: str, line: int | None = None
) -> Outcome | None:
    """observed against expected within TOLERANCE_SEK; None when either is missing."""
    if observed is None or expected is None:
        return None
    passed = abs(observed - expected) <= TOLERANCE_SEK
    message = f"{year}: {detail}: {group_thousands(observed)} against {group_thousands(expected)}"
    if not passed:
        message += f" (difference {group_thousands(observed - expected)})"
    return Outcome(passed, str(observed), str(expected), message, fiscal_year=year, source_line=line)
