"""Member contributions (medlemsbidrag): who paid how much, from whichever form the report gives them.

`payers` names a payer and its kind (state, region, kommun); `notes` reads the revenue note's
table of payers; `lists` the financing lists in the text; `shares` the share tables (per cent
and amount); `prose` the contributions told in sentences; `chosen` picks one reading per
year; `amounts` holds what they share.
"""

from finsam_pipeline.parse.contributions.amounts import revenue_note_numbers
from finsam_pipeline.parse.contributions.chosen import member_contribution_rows
from finsam_pipeline.parse.contributions.lists import financing_text_rows
from finsam_pipeline.parse.contributions.notes import contribution_rows, unproven_ocr_notes, unreconciled_revenue_notes
from finsam_pipeline.parse.contributions.payers import (
    Payer,
    contributor_type,
    kommun_code,
    name_sole_kommun,
    payer,
    sole_member_kommun,
)
from finsam_pipeline.parse.contributions.prose import prose_rows
from finsam_pipeline.parse.contributions.shares import share_note_rows

__all__ = [
    "Payer",
    "contribution_rows",
    "contributor_type",
    "financing_text_rows",
    "kommun_code",
    "member_contribution_rows",
    "name_sole_kommun",
    "payer",
    "prose_rows",
    "revenue_note_numbers",
    "share_note_rows",
    "sole_member_kommun",
    "unproven_ocr_notes",
    "unreconciled_revenue_notes",
]
