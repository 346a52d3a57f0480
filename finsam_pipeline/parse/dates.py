"""Dates as Swedish reports write them, so that no date's year is taken for anything else."""

from __future__ import annotations

import re

MONTHS = {
    month: number
    for number, month in enumerate(
        (
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ),
        1,
    )
}
MONTH_NAMES = "|".join(MONTHS)

# On folded text: a line that ends in a date (`Uppsala den 13 mars 2025`, a board's signature) or a page number
# (`Årsredovisning 2024  Sida 4 av 4`) ends in no amount, whatever a table reader makes of its last digits.
ENDS_IN_A_DATE_OR_PAGE = re.compile(
    rf"(?:(?<!\d)\d{{1,2}}\.? (?:{MONTH_NAMES}) (?:19|20)\d{{2}}|\bsida \d{{1,3}}(?: (?:av|/) \d{{1,3}})?)\W*$"
)
