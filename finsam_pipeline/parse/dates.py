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

# A line that ends in a date written out right after its words (`Uppsala den 13 mars 2025`, a board's signature) or
# in a page number standing apart (`Årsredovisning 2024      Sida 4 av 4`, `Sida 7`) ends in no amount, whatever a
# table reader makes of its last digits; a label's own `sida` (`Bidrag från statlig sida   750`) and a year in a
# column of its own (`Utgående balans 31 december   2045`) are no such thing.
_DATE_WRITTEN_OUT = rf"(?<!\d)\d{{1,2}}\.? (?:{MONTH_NAMES}) (?:19|20)\d{{2}}"
_PAGE_NUMBER_APART = r"(?:^|\s{2,})sida \d{1,3}(?: (?:av|/) \d{1,3})?"
ENDS_IN_A_DATE_OR_PAGE = re.compile(rf"(?:{_DATE_WRITTEN_OUT}|{_PAGE_NUMBER_APART})\W*$", re.IGNORECASE)
